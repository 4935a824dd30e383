//! Specific needs: one row per code identified, active until closed, never deleted.

// SQL built at run time is assembled from constant text only; values are always bound.
use passage_domain::access::{Action, Principal, Resource};
use passage_domain::protection::needs::{CloseNeed, NeedCode, NewNeed, SpecificNeed};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use uuid::Uuid;

use super::{guard, lock_person};
use crate::Store;
use crate::audit::AuditEntry;
use crate::error::StoreError;
use crate::history;
use crate::scope::{ensure_visible, require};
use crate::sites::meta;
use crate::sql;
use crate::sql::ts;

const COLUMNS: &str = "id, person_id, code, identified_on, identified_by, screening_id, note, active, \
     closed_on, closed_by, close_reason, version, created_at, updated_at";

fn decode(row: &AnyRow) -> Result<SpecificNeed, StoreError> {
    let code = sql::text(row, "code")?;
    let code = NeedCode::parse(&code)
        .ok_or_else(|| StoreError::Corrupt(format!("specific-needs code {code}")))?;
    let closed_on: Option<String> = row.try_get("closed_on")?;
    let screening: Option<String> = row.try_get("screening_id")?;
    Ok(SpecificNeed {
        meta: meta(row)?,
        person_id: sql::uuid(&sql::text(row, "person_id")?)?,
        category: code.category().to_owned(),
        label: code.label().to_owned(),
        code,
        identified_on: sql::parse_date(&sql::text(row, "identified_on")?)?,
        identified_by: sql::text(row, "identified_by")?,
        screening_id: screening.as_deref().map(sql::uuid).transpose()?,
        note: row.try_get("note")?,
        active: sql::int(row, "active")? != 0,
        closed_on: closed_on.as_deref().map(sql::parse_date).transpose()?,
        closed_by: row.try_get("closed_by")?,
        close_reason: row.try_get("close_reason")?,
    })
}

/// Every need of a person, oldest first.
pub(crate) async fn of_person(
    c: &mut AnyConnection,
    person_id: Uuid,
) -> Result<Vec<SpecificNeed>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM specific_needs WHERE person_id = $1 ORDER BY created_at, id"
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(person_id.to_string())
        .fetch_all(c)
        .await?;
    rows.iter().map(decode).collect()
}

async fn fetch(c: &mut AnyConnection, id: Uuid) -> Result<SpecificNeed, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM specific_needs WHERE id = $1");
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_one(c)
        .await?;
    decode(&row)
}

/// Records a code for the person unless it is already active; returns the new need.
pub(super) async fn insert_if_new(
    c: &mut AnyConnection,
    person_id: Uuid,
    code: &NeedCode,
    screening_id: Option<Uuid>,
    p: &Principal,
) -> Result<Option<SpecificNeed>, StoreError> {
    let new = NewNeed {
        code: code.clone(),
        identified_on: Some(p.at.date()),
        note: None,
    };
    insert(c, Uuid::now_v7(), person_id, &new, screening_id, p).await
}

async fn insert(
    c: &mut AnyConnection,
    id: Uuid,
    person_id: Uuid,
    need: &NewNeed,
    screening_id: Option<Uuid>,
    p: &Principal,
) -> Result<Option<SpecificNeed>, StoreError> {
    let active: Option<String> = sqlx::query_scalar(
        "SELECT id FROM specific_needs WHERE person_id = $1 AND code = $2 AND active = 1",
    )
    .bind(person_id.to_string())
    .bind(need.code.as_str().to_owned())
    .fetch_optional(&mut *c)
    .await?;
    if active.is_some() {
        return Ok(None);
    }
    let on = need.identified_on.unwrap_or(p.at.date());
    sqlx::query(
        "INSERT INTO specific_needs (id, person_id, category, code, identified_on, identified_by, screening_id, note, \
         active, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, 1, $9, $9)",
    )
    .bind(id.to_string())
    .bind(person_id.to_string())
    .bind(need.code.category().to_owned())
    .bind(need.code.as_str().to_owned())
    .bind(on.to_string())
    .bind(p.name.clone())
    .bind(screening_id.map(|s| s.to_string()))
    .bind(need.note.clone())
    .bind(ts(p.at))
    .execute(&mut *c)
    .await?;
    let detail = serde_json::json!({"person_id": person_id, "code": need.code});
    history::record(c, "specific_need", id, "identified", 1, p.at, &detail).await?;
    fetch(c, id).await.map(Some)
}

impl Store {
    /// Records a specific need of a person the caller can see. A code already active is
    /// refused (the record would say the same twice).
    pub async fn record_need(
        &self,
        p: &Principal,
        person_id: Uuid,
        need: NewNeed,
    ) -> Result<SpecificNeed, StoreError> {
        let scope = require(p, Action::Create, Resource::SpecificNeed)?;
        let id = Uuid::now_v7();
        let audit = vec![AuditEntry::by(
            p,
            Action::Create,
            Resource::SpecificNeed,
            Some(id.to_string()),
            serde_json::json!({"person_id": person_id, "code": need.code}),
        )];
        self.writer
            .write_audited(
                (id, person_id, need, p.clone(), scope),
                audit,
                |c, (id, person_id, need, p, scope)| {
                    Box::pin(async move {
                        ensure_visible(c, "persons", "person", *person_id, *scope, p).await?;
                        lock_person(c, *person_id).await?;
                        let Some(created) = insert(c, *id, *person_id, need, None, p).await? else {
                            return Err(StoreError::Refused(format!(
                                "{} is already active for this person",
                                need.code
                            )));
                        };
                        if created.code.is_refoulement_risk() || created.code.is_separated_child() {
                            guard::reimpose(c, *person_id, p).await?;
                        }
                        Ok(created)
                    })
                },
            )
            .await
    }

    /// Closes a need, with a reason; the record stays.
    pub async fn close_need(
        &self,
        p: &Principal,
        id: Uuid,
        close: CloseNeed,
    ) -> Result<SpecificNeed, StoreError> {
        let scope = require(p, Action::Update, Resource::SpecificNeed)?;
        let audit = vec![AuditEntry::by(
            p,
            Action::Update,
            Resource::SpecificNeed,
            Some(id.to_string()),
            serde_json::json!({"closed": true}),
        )];
        self.writer
            .write_audited((id, close, p.clone(), scope), audit, |c, (id, close, p, scope)| {
                Box::pin(async move {
                    ensure_visible(c, "specific_needs", "specific need", *id, *scope, p).await?;
                    let reason = close.reason.trim();
                    if reason.is_empty() {
                        return Err(passage_domain::error::ValidationErrors::one("reason", "say why the need is closed").into());
                    }
                    let current = fetch(c, *id).await?;
                    if !current.active {
                        return Err(StoreError::Refused(format!("specific need {id} is already closed")));
                    }
                    let done = sqlx::query(
                        "UPDATE specific_needs SET active = 0, closed_on = $1, closed_by = $2, close_reason = $3, \
                         version = version + 1, updated_at = $4 WHERE id = $5 AND version = $6",
                    )
                    .bind(p.at.date().to_string())
                    .bind(p.name.clone())
                    .bind(reason.to_owned())
                    .bind(ts(p.at))
                    .bind(id.to_string())
                    .bind(close.version)
                    .execute(&mut *c)
                    .await?;
                    if done.rows_affected() == 0 {
                        return Err(history::missing_or_conflict(c, "specific_needs", "specific need", *id, close.version).await);
                    }
                    history::record(c, "specific_need", *id, "closed", close.version + 1, p.at, &serde_json::json!({"reason": reason})).await?;
                    fetch(c, *id).await
                })
            })
            .await
    }

    /// Every need of a person, active and closed; None when the person is hidden or missing.
    pub async fn needs(
        &self,
        p: &Principal,
        person_id: Uuid,
    ) -> Result<Option<Vec<SpecificNeed>>, StoreError> {
        let scope = require(p, Action::Read, Resource::SpecificNeed)?;
        let mut conn = self.read.acquire().await?;
        let found = match ensure_visible(&mut conn, "persons", "person", person_id, scope, p).await
        {
            Ok(()) => Some(of_person(&mut conn, person_id).await?),
            Err(StoreError::NotFound { .. }) => None,
            Err(e) => return Err(e),
        };
        drop(conn);
        self.audit_reads(
            p,
            Resource::SpecificNeed,
            found.iter().flatten().map(|n| n.meta.id),
        )
        .await?;
        Ok(found)
    }
}
