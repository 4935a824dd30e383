//! Consents: a person's agreement to their data going to one recipient for one scope,
//! until withdrawn. Visible with the person; withdrawal keeps the record.

// SQL built at run time is assembled from constant text only; values are always bound.
use passage_domain::access::{Action, Principal, Resource, Scope};
use passage_domain::data_protection::{Consent, ConsentScope, ValidConsent};
use passage_domain::error::ValidationErrors;
use passage_domain::record::Meta;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use uuid::Uuid;

use crate::Store;
use crate::audit::AuditEntry;
use crate::error::StoreError;
use crate::history;
use crate::scope::{ensure_visible, require};
use crate::sites::meta;
use crate::sql::{self, ts};

pub(crate) const COLUMNS: &str = "id, person_id, recipient_id, scope, description, given_at, recorded_by, \
     withdrawn_at, withdrawn_by, version, created_at, updated_at";

pub(crate) fn decode(row: &AnyRow) -> Result<Consent, StoreError> {
    let scope = sql::text(row, "scope")?;
    let withdrawn: Option<String> = row.try_get("withdrawn_at")?;
    Ok(Consent {
        meta: meta(row)?,
        person_id: sql::uuid(&sql::text(row, "person_id")?)?,
        recipient_id: sql::uuid(&sql::text(row, "recipient_id")?)?,
        scope: ConsentScope::from_code(&scope)
            .ok_or_else(|| StoreError::Corrupt(format!("consent scope {scope}")))?,
        description: row.try_get("description")?,
        given_at: sql::parse_ts(&sql::text(row, "given_at")?)?,
        recorded_by: sql::text(row, "recorded_by")?,
        withdrawn_at: withdrawn.as_deref().map(sql::parse_ts).transpose()?,
        withdrawn_by: row.try_get("withdrawn_by")?,
    })
}

/// Every consent of a person, oldest first, on the caller's connection.
pub(crate) async fn of_person(
    c: &mut AnyConnection,
    person_id: Uuid,
) -> Result<Vec<Consent>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM consents WHERE person_id = $1 ORDER BY id");
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(person_id.to_string())
        .fetch_all(c)
        .await?;
    rows.iter().map(decode).collect()
}

async fn fetch(c: &mut AnyConnection, id: Uuid) -> Result<Consent, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM consents WHERE id = $1");
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_one(c)
        .await?;
    decode(&row)
}

impl Store {
    /// Records that a person the caller can see consented to sharing with a recipient.
    pub async fn record_consent(
        &self,
        p: &Principal,
        person_id: Uuid,
        consent: ValidConsent,
    ) -> Result<Consent, StoreError> {
        let scope = require(p, Action::Create, Resource::Consent)?;
        let record = Consent {
            meta: Meta {
                id: Uuid::now_v7(),
                version: 1,
                created_at: p.at,
                updated_at: p.at,
            },
            person_id,
            recipient_id: consent.recipient_id,
            scope: consent.scope,
            description: consent.description,
            given_at: consent.given_at,
            recorded_by: p.name.clone(),
            withdrawn_at: None,
            withdrawn_by: None,
        };
        let audit = vec![AuditEntry::by(
            p,
            Action::Create,
            Resource::Consent,
            Some(record.meta.id.to_string()),
            serde_json::json!({"person_id": person_id, "recipient_id": record.recipient_id, "scope": record.scope}),
        )];
        self.writer
            .write_audited((record, p.clone(), scope), audit, |c, (record, p, scope)| {
                Box::pin(async move {
                    ensure_visible(c, "persons", "person", record.person_id, *scope, p).await?;
                    let recipient = sqlx::query("SELECT id FROM organisations WHERE id = $1")
                        .bind(record.recipient_id.to_string())
                        .fetch_optional(&mut *c)
                        .await?;
                    if recipient.is_none() {
                        return Err(ValidationErrors::one("recipient_id", format!("no organisation with id {}", record.recipient_id)).into());
                    }
                    sqlx::query(
                        "INSERT INTO consents (id, person_id, recipient_id, scope, description, given_at, recorded_by, \
                         version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)",
                    )
                    .bind(record.meta.id.to_string())
                    .bind(record.person_id.to_string())
                    .bind(record.recipient_id.to_string())
                    .bind(record.scope.code().to_owned())
                    .bind(record.description.clone())
                    .bind(ts(record.given_at))
                    .bind(record.recorded_by.clone())
                    .bind(ts(record.meta.created_at))
                    .execute(&mut *c)
                    .await?;
                    let detail = serde_json::json!({"person_id": record.person_id, "recipient_id": record.recipient_id, "scope": record.scope, "given_at": ts(record.given_at)});
                    history::record(c, "consent", record.meta.id, "given", 1, record.meta.created_at, &detail).await?;
                    Ok(record.clone())
                })
            })
            .await
    }

    /// Every consent of a person the caller can see, oldest first; None when the person
    /// is missing or hidden.
    pub async fn consents(
        &self,
        p: &Principal,
        person_id: Uuid,
    ) -> Result<Option<Vec<Consent>>, StoreError> {
        let scope = require(p, Action::Read, Resource::Consent)?;
        let mut conn = self.read.acquire().await?;
        let consents =
            match ensure_visible(&mut conn, "persons", "person", person_id, scope, p).await {
                Ok(()) => Some(of_person(&mut conn, person_id).await?),
                Err(StoreError::NotFound { .. }) => None,
                Err(e) => return Err(e),
            };
        drop(conn);
        let ids = consents.iter().flatten().map(|c| c.meta.id);
        self.audit_reads(p, Resource::Consent, ids.collect::<Vec<_>>())
            .await?;
        Ok(consents)
    }

    /// Records that the person withdrew a consent, now. Withdrawing a withdrawn consent
    /// changes nothing.
    pub async fn withdraw_consent(&self, p: &Principal, id: Uuid) -> Result<Consent, StoreError> {
        let scope = require(p, Action::Update, Resource::Consent)?;
        let audit = vec![AuditEntry::by(
            p,
            Action::Update,
            Resource::Consent,
            Some(id.to_string()),
            serde_json::json!({"withdrawn": true}),
        )];
        self.writer
            .write_audited((id, p.clone(), scope), audit, |c, (id, p, scope)| {
                Box::pin(async move { withdraw(c, *id, p, *scope).await })
            })
            .await
    }
}

async fn withdraw(
    c: &mut AnyConnection,
    id: Uuid,
    p: &Principal,
    scope: Scope,
) -> Result<Consent, StoreError> {
    ensure_visible(c, "consents", "consent", id, scope, p).await?;
    let current = fetch(c, id).await?;
    if current.withdrawn_at.is_some() {
        return Ok(current);
    }
    sqlx::query(
        "UPDATE consents SET withdrawn_at = $1, withdrawn_by = $2, version = version + 1, updated_at = $1 \
         WHERE id = $3",
    )
    .bind(ts(p.at))
    .bind(p.name.clone())
    .bind(id.to_string())
    .execute(&mut *c)
    .await?;
    let detail = serde_json::json!({"withdrawn_at": ts(p.at)});
    history::record(
        c,
        "consent",
        id,
        "withdrawn",
        current.meta.version + 1,
        p.at,
        &detail,
    )
    .await?;
    fetch(c, id).await
}
