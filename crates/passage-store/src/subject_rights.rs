//! Data-subject requests, tracked to their deadline, and legal holds on persons.

// SQL built at run time is assembled from constant text only; values are always bound.
use passage_domain::access::{Action, Principal, Resource, Scope};
use passage_domain::data_protection::subject::{
    CloseRequest, DataSubjectRequest, LegalHold, RequestKind, RequestStatus, ValidRequest,
};
use passage_domain::error::ValidationErrors;
use passage_domain::record::Meta;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::Store;
use crate::audit::AuditEntry;
use crate::error::StoreError;
use crate::history;
use crate::scope::{ensure_own_person, ensure_visible, require, visible};
use crate::sites::meta;
use crate::sql::{self, Arg, Builder, Page, ts};

pub(crate) const COLUMNS: &str = "id, person_id, kind, details, received_at, due_at, status, outcome, \
     refusal_reason, recorded_by, handled_by, closed_at, version, created_at, updated_at";

/// Filters of the list of requests.
#[derive(Debug, Clone, Default)]
pub struct RequestFilter {
    pub person_id: Option<Uuid>,
    pub status: Option<RequestStatus>,
    pub kind: Option<RequestKind>,
}

pub(crate) fn decode(row: &AnyRow, at: OffsetDateTime) -> Result<DataSubjectRequest, StoreError> {
    let kind = sql::text(row, "kind")?;
    let status = sql::text(row, "status")?;
    let status = RequestStatus::from_code(&status)
        .ok_or_else(|| StoreError::Corrupt(format!("request status {status}")))?;
    let due_at = sql::parse_ts(&sql::text(row, "due_at")?)?;
    let closed: Option<String> = row.try_get("closed_at")?;
    Ok(DataSubjectRequest {
        meta: meta(row)?,
        person_id: sql::uuid(&sql::text(row, "person_id")?)?,
        kind: RequestKind::from_code(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("request kind {kind}")))?,
        details: row.try_get("details")?,
        received_at: sql::parse_ts(&sql::text(row, "received_at")?)?,
        due_at,
        status,
        overdue: status == RequestStatus::Open && at > due_at,
        outcome: row.try_get("outcome")?,
        refusal_reason: row.try_get("refusal_reason")?,
        recorded_by: sql::text(row, "recorded_by")?,
        handled_by: row.try_get("handled_by")?,
        closed_at: closed.as_deref().map(sql::parse_ts).transpose()?,
    })
}

async fn fetch(
    c: &mut AnyConnection,
    id: Uuid,
    at: OffsetDateTime,
) -> Result<DataSubjectRequest, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM data_subject_requests WHERE id = $1");
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_one(c)
        .await?;
    decode(&row, at)
}

/// The legal hold on a person, if any, on the caller's connection.
pub(crate) async fn hold_of(
    c: &mut AnyConnection,
    person_id: Uuid,
) -> Result<Option<LegalHold>, StoreError> {
    let row = sqlx::query(
        "SELECT legal_hold_reason, legal_hold_by, legal_hold_at FROM persons WHERE id = $1",
    )
    .bind(person_id.to_string())
    .fetch_optional(c)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let at: Option<String> = row.try_get("legal_hold_at")?;
    let Some(at) = at else {
        return Ok(None);
    };
    Ok(Some(LegalHold {
        person_id,
        reason: row
            .try_get::<Option<String>, _>("legal_hold_reason")?
            .unwrap_or_default(),
        placed_by: row
            .try_get::<Option<String>, _>("legal_hold_by")?
            .unwrap_or_default(),
        placed_at: sql::parse_ts(&at)?,
    }))
}

impl Store {
    /// Records a request about a person the caller can see; it is due in thirty days.
    pub async fn create_request(
        &self,
        p: &Principal,
        request: ValidRequest,
    ) -> Result<DataSubjectRequest, StoreError> {
        let scope = require(p, Action::Create, Resource::DataSubjectRequest)?;
        let id = Uuid::now_v7();
        let audit = vec![AuditEntry::by(
            p,
            Action::Create,
            Resource::DataSubjectRequest,
            Some(id.to_string()),
            serde_json::json!({"person_id": request.person_id, "kind": request.kind}),
        )];
        self.writer
            .write_audited((id, request, p.clone(), scope), audit, |c, (id, r, p, scope)| {
                Box::pin(async move {
                    match ensure_visible(c, "persons", "person", r.person_id, *scope, p).await {
                        Err(StoreError::NotFound { .. }) => {
                            return Err(ValidationErrors::one("person_id", format!("no person with id {}", r.person_id)).into());
                        }
                        other => other?,
                    }
                    sqlx::query(
                        "INSERT INTO data_subject_requests (id, person_id, kind, details, received_at, due_at, status, \
                         recorded_by, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)",
                    )
                    .bind(id.to_string())
                    .bind(r.person_id.to_string())
                    .bind(r.kind.code().to_owned())
                    .bind(r.details.clone())
                    .bind(ts(r.received_at))
                    .bind(ts(r.due_at))
                    .bind(RequestStatus::Open.code().to_owned())
                    .bind(p.name.clone())
                    .bind(ts(p.at))
                    .execute(&mut *c)
                    .await?;
                    let detail = serde_json::json!({"person_id": r.person_id, "kind": r.kind, "due_at": ts(r.due_at)});
                    history::record(c, "data_subject_request", *id, "received", 1, p.at, &detail).await?;
                    Ok(DataSubjectRequest {
                        meta: Meta { id: *id, version: 1, created_at: p.at, updated_at: p.at },
                        person_id: r.person_id,
                        kind: r.kind,
                        details: r.details.clone(),
                        received_at: r.received_at,
                        due_at: r.due_at,
                        status: RequestStatus::Open,
                        overdue: p.at > r.due_at,
                        outcome: None,
                        refusal_reason: None,
                        recorded_by: p.name.clone(),
                        handled_by: None,
                        closed_at: None,
                    })
                })
            })
            .await
    }

    /// Requests about persons the caller can see.
    pub async fn requests(
        &self,
        p: &Principal,
        filter: &RequestFilter,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<DataSubjectRequest>, StoreError> {
        let scope = require(p, Action::Read, Resource::DataSubjectRequest)?;
        let mut b = Builder::new(&format!(
            "SELECT {COLUMNS} FROM data_subject_requests WHERE 1 = 1"
        ));
        if let Scope::Organisation(_) = scope {
            b.raw(" AND person_id IN (SELECT id FROM persons WHERE 1 = 1");
            visible(&mut b, scope, "organisation_id", p);
            b.raw(")");
        }
        if let Some(person) = filter.person_id {
            b.push(" AND person_id = ?", Arg::Text(person.to_string()));
        }
        if let Some(s) = filter.status {
            b.push(" AND status = ?", Arg::Text(s.code().to_owned()));
        }
        if let Some(k) = filter.kind {
            b.push(" AND kind = ?", Arg::Text(k.code().to_owned()));
        }
        let at = p.at;
        let page = sql::page(&self.read, b, cursor, limit, |r| decode(r, at)).await?;
        let ids: Vec<Uuid> = page.items.iter().map(|r| r.meta.id).collect();
        self.audit_reads(p, Resource::DataSubjectRequest, ids)
            .await?;
        Ok(page)
    }

    /// Closes an open request as completed (with what was done) or refused (with why).
    pub async fn close_request(
        &self,
        p: &Principal,
        id: Uuid,
        close: CloseRequest,
    ) -> Result<DataSubjectRequest, StoreError> {
        let scope = require(p, Action::Update, Resource::DataSubjectRequest)?;
        let audit = vec![AuditEntry::by(
            p,
            Action::Update,
            Resource::DataSubjectRequest,
            Some(id.to_string()),
            serde_json::json!({"status": close.status}),
        )];
        self.writer
            .write_audited((id, close, p.clone(), scope), audit, |c, (id, close, p, scope)| {
                Box::pin(async move {
                    ensure_visible(c, "data_subject_requests", "data-subject request", *id, *scope, p).await?;
                    let current = fetch(c, *id, p.at).await?;
                    if current.status != RequestStatus::Open {
                        return Err(StoreError::Refused(format!(
                            "data-subject request {id} is already {}", current.status.code()
                        )));
                    }
                    sqlx::query(
                        "UPDATE data_subject_requests SET status = $1, outcome = $2, refusal_reason = $3, handled_by = $4, \
                         closed_at = $5, version = version + 1, updated_at = $5 WHERE id = $6",
                    )
                    .bind(close.status.code().to_owned())
                    .bind(close.outcome.clone())
                    .bind(close.refusal_reason.clone())
                    .bind(p.name.clone())
                    .bind(ts(p.at))
                    .bind(id.to_string())
                    .execute(&mut *c)
                    .await?;
                    let detail = serde_json::to_value(close)?;
                    history::record(c, "data_subject_request", *id, "closed", current.meta.version + 1, p.at, &detail).await?;
                    fetch(c, *id, p.at).await
                })
            })
            .await
    }

    /// The legal hold on a person the caller can see: Some(None) when there is none,
    /// None when the person is missing or hidden.
    pub async fn legal_hold(
        &self,
        p: &Principal,
        person_id: Uuid,
    ) -> Result<Option<Option<LegalHold>>, StoreError> {
        let scope = require(p, Action::Read, Resource::LegalHold)?;
        let mut conn = self.read.acquire().await?;
        match ensure_visible(&mut conn, "persons", "person", person_id, scope, p).await {
            Ok(()) => {}
            Err(StoreError::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e),
        }
        let hold = hold_of(&mut conn, person_id).await?;
        drop(conn);
        self.audit_reads(p, Resource::LegalHold, [person_id])
            .await?;
        Ok(Some(hold))
    }

    /// Places a legal hold on a person of the caller's organisation: until it is lifted the
    /// record is neither erased nor anonymised by retention.
    pub async fn place_legal_hold(
        &self,
        p: &Principal,
        person_id: Uuid,
        reason: String,
    ) -> Result<LegalHold, StoreError> {
        let scope = require(p, Action::Create, Resource::LegalHold)?;
        let audit = vec![AuditEntry::by(
            p,
            Action::Create,
            Resource::LegalHold,
            Some(person_id.to_string()),
            serde_json::json!({"placed": true}),
        )];
        self.writer
            .write_audited((person_id, reason, p.clone(), scope), audit, |c, (id, reason, p, scope)| {
                Box::pin(async move {
                    ensure_own_person(c, *id, *scope).await?;
                    if let Some(hold) = hold_of(c, *id).await? {
                        return Err(StoreError::Refused(format!(
                            "person {id} is already under a legal hold, placed by {} at {}; lift it to place another",
                            hold.placed_by,
                            ts(hold.placed_at)
                        )));
                    }
                    sqlx::query("UPDATE persons SET legal_hold_reason = $1, legal_hold_by = $2, legal_hold_at = $3 WHERE id = $4")
                        .bind(reason.clone())
                        .bind(p.name.clone())
                        .bind(ts(p.at))
                        .bind(id.to_string())
                        .execute(&mut *c)
                        .await?;
                    history::record(c, "person", *id, "legal_hold_placed", 0, p.at, &serde_json::json!({"reason": reason})).await?;
                    hold_of(c, *id).await?.ok_or(StoreError::NotFound { entity: "person", id: *id })
                })
            })
            .await
    }

    /// Lifts the legal hold on a person of the caller's organisation; returns the hold
    /// lifted, None when there was none.
    pub async fn lift_legal_hold(
        &self,
        p: &Principal,
        person_id: Uuid,
    ) -> Result<Option<LegalHold>, StoreError> {
        let scope = require(p, Action::Update, Resource::LegalHold)?;
        let audit = vec![AuditEntry::by(
            p,
            Action::Update,
            Resource::LegalHold,
            Some(person_id.to_string()),
            serde_json::json!({"lifted": true}),
        )];
        self.writer
            .write_audited((person_id, p.clone(), scope), audit, |c, (id, p, scope)| {
                Box::pin(async move {
                    ensure_own_person(c, *id, *scope).await?;
                    let Some(hold) = hold_of(c, *id).await? else {
                        return Ok(None);
                    };
                    sqlx::query("UPDATE persons SET legal_hold_reason = NULL, legal_hold_by = NULL, legal_hold_at = NULL WHERE id = $1")
                        .bind(id.to_string())
                        .execute(&mut *c)
                        .await?;
                    history::record(c, "person", *id, "legal_hold_lifted", 0, p.at, &serde_json::json!({"placed_at": ts(hold.placed_at)})).await?;
                    Ok(Some(hold))
                })
            })
            .await
    }
}
