//! Tracing requests and the candidates the matching engine found for them. Candidates go
//! to a caseworker, never to the requester; another organisation's request shows only
//! whose it is and the score, never what it says; the outcome is recorded, and
//! reunification links the households.

// SQL built at run time is assembled from constant text only; values are always bound.
use passage_domain::access::{Action, Principal, Resource, Scope};
use passage_domain::care::records::{MatchKind, TracingMatch, TracingRequest};
use passage_domain::care::tracing::{TracingOutcome, TracingRequestDetails, TracingStatus};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use uuid::Uuid;

use crate::Store;
use crate::audit::AuditEntry;
use crate::error::StoreError;
use crate::history;
use crate::scope::{ensure_visible, require, visible};
use crate::sites::meta;
use crate::sql::{self, Arg, Builder, ts};

fn kind_code(k: MatchKind) -> &'static str {
    match k {
        MatchKind::Person => "person",
        MatchKind::Request => "request",
        MatchKind::Incident => "incident",
    }
}

fn kind_of(s: &str) -> Option<MatchKind> {
    [MatchKind::Person, MatchKind::Request, MatchKind::Incident]
        .into_iter()
        .find(|k| kind_code(*k) == s)
}

/// An open request to compare a new one with, and whose it is.
pub struct OpenTracingRequest {
    pub id: Uuid,
    pub organisation_id: Option<Uuid>,
    pub organisation: String,
    pub details: TracingRequestDetails,
}

/// How a request filed without an organisation (by the local operator) is named.
const NO_ORGANISATION: &str = "the local operator";

/// The organisation that filed request `id` and its name; None if there is no such
/// request.
async fn owner_of(
    c: &mut AnyConnection,
    id: Uuid,
) -> Result<Option<(Option<Uuid>, String)>, StoreError> {
    let row = sqlx::query(
        "SELECT r.organisation_id, o.name FROM tracing_requests r \
         LEFT JOIN organisations o ON o.id = r.organisation_id WHERE r.id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(&mut *c)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let org: Option<String> = row.try_get("organisation_id")?;
    let name: Option<String> = row.try_get("name")?;
    Ok(Some((
        org.as_deref().map(sql::uuid).transpose()?,
        name.unwrap_or_else(|| NO_ORGANISATION.to_owned()),
    )))
}

/// A candidate as the organisation that filed the request may see it
/// ([`TracingMatch::seen_by`]).
async fn seen_by(
    c: &mut AnyConnection,
    m: TracingMatch,
    filer: Option<Uuid>,
) -> Result<TracingMatch, StoreError> {
    if m.kind != MatchKind::Request {
        return Ok(m);
    }
    Ok(match owner_of(c, m.id).await? {
        Some((owner, name)) => m.seen_by(filer, owner, &name),
        None => TracingMatch::other_organisation_request(m.id, m.probability, "an organisation"),
    })
}

async fn decode(c: &mut AnyConnection, row: &AnyRow) -> Result<TracingRequest, StoreError> {
    let m = meta(row)?;
    let status = sql::text(row, "status")?;
    let filer: Option<String> = row.try_get("organisation_id")?;
    let filer = filer.as_deref().map(sql::uuid).transpose()?;
    let rows = sqlx::query(
        "SELECT candidate_kind, candidate_id, probability, explanation FROM tracing_matches WHERE request_id = $1 \
         ORDER BY probability DESC, candidate_id",
    )
    .bind(m.id.to_string())
    .fetch_all(&mut *c)
    .await?;
    let mut matches = Vec::with_capacity(rows.len());
    for r in &rows {
        let kind = sql::text(r, "candidate_kind")?;
        let found = TracingMatch {
            kind: kind_of(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("match kind {kind}")))?,
            id: sql::uuid(&sql::text(r, "candidate_id")?)?,
            probability: r.try_get("probability")?,
            explanation: sql::text(r, "explanation")?,
        };
        // Also for candidates stored before other organisations' requests were hidden.
        matches.push(seen_by(c, found, filer).await?);
    }
    Ok(TracingRequest {
        meta: m,
        details: sql::json(row, "details")?,
        status: TracingStatus::from_code(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("tracing status {status}")))?,
        outcome: sql::opt_json(row, "outcome")?,
        filed_by: sql::text(row, "filed_by")?,
        matches,
    })
}

const COLUMNS: &str =
    "id, organisation_id, details, status, outcome, filed_by, version, created_at, updated_at";

async fn fetch(c: &mut AnyConnection, id: Uuid) -> Result<TracingRequest, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM tracing_requests WHERE id = $1"
    )))
    .bind(id.to_string())
    .fetch_optional(&mut *c)
    .await?;
    let row = row.ok_or(StoreError::NotFound {
        entity: "tracing request",
        id,
    })?;
    decode(c, &row).await
}

/// A request is seen by the organisation that filed it (and the operator).
fn visible_request(scope: Scope, filed_by: Option<Uuid>) -> bool {
    match scope {
        Scope::All => true,
        Scope::Organisation(org) => filed_by == Some(org),
    }
}

async fn filing_org(c: &mut AnyConnection, id: Uuid) -> Result<Option<Uuid>, StoreError> {
    let org: Option<Option<String>> =
        sqlx::query_scalar("SELECT organisation_id FROM tracing_requests WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut *c)
            .await?;
    org.flatten().as_deref().map(sql::uuid).transpose()
}

impl Store {
    /// Files a tracing request with the candidates found for it.
    pub async fn file_tracing_request(
        &self,
        p: &Principal,
        details: TracingRequestDetails,
        matches: Vec<TracingMatch>,
    ) -> Result<TracingRequest, StoreError> {
        require(p, Action::Create, Resource::TracingRequest)?;
        let id = Uuid::now_v7();
        let audit = vec![AuditEntry::by(
            p,
            Action::Create,
            Resource::TracingRequest,
            Some(id.to_string()),
            serde_json::json!({"candidates": matches.len()}),
        )];
        self.writer
            .write_audited((id, details, matches, p.clone()), audit, |c, (id, details, matches, p)| {
                Box::pin(async move {
                    sqlx::query(
                        "INSERT INTO tracing_requests (id, organisation_id, details, status, filed_by, version, created_at, updated_at) \
                         VALUES ($1, $2, $3, 'open', $4, 1, $5, $5)",
                    )
                    .bind(id.to_string())
                    .bind(p.organisation_id.map(|o| o.to_string()))
                    .bind(serde_json::to_string(details)?)
                    .bind(p.name.clone())
                    .bind(ts(p.at))
                    .execute(&mut *c)
                    .await?;
                    for m in matches {
                        let m = seen_by(c, m.clone(), p.organisation_id).await?;
                        sqlx::query(
                            "INSERT INTO tracing_matches (request_id, candidate_kind, candidate_id, probability, explanation, found_at) \
                             VALUES ($1, $2, $3, $4, $5, $6)",
                        )
                        .bind(id.to_string())
                        .bind(kind_code(m.kind).to_owned())
                        .bind(m.id.to_string())
                        .bind(m.probability)
                        .bind(m.explanation.clone())
                        .bind(ts(p.at))
                        .execute(&mut *c)
                        .await?;
                    }
                    history::record(c, "tracing_request", *id, "filed", 1, p.at, &serde_json::json!({"candidates": matches.len()})).await?;
                    fetch(c, *id).await
                })
            })
            .await
    }

    /// A request of the caller's organisation, with its candidates.
    pub async fn tracing_request(
        &self,
        p: &Principal,
        id: Uuid,
    ) -> Result<Option<TracingRequest>, StoreError> {
        let scope = require(p, Action::Read, Resource::TracingRequest)?;
        let mut c = self.read.acquire().await?;
        let r = match fetch(&mut c, id).await {
            Ok(r) => r,
            Err(StoreError::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        let org = filing_org(&mut c, id).await?;
        drop(c);
        if !visible_request(scope, org) {
            return Ok(None);
        }
        self.audit_reads(p, Resource::TracingRequest, [id]).await?;
        Ok(Some(r))
    }

    /// Open requests of the caller's organisation (all of them for the operator).
    pub async fn tracing_requests(
        &self,
        p: &Principal,
        limit: u32,
    ) -> Result<Vec<TracingRequest>, StoreError> {
        let scope = require(p, Action::Read, Resource::TracingRequest)?;
        let mut b = Builder::new(&format!(
            "SELECT {COLUMNS} FROM tracing_requests WHERE 1 = 1"
        ));
        if let Scope::Organisation(org) = scope {
            b.push(" AND organisation_id = ?", Arg::Text(org.to_string()));
        }
        b.push(
            " ORDER BY created_at, id LIMIT ?",
            Arg::Int(i64::from(limit.clamp(1, 1000))),
        );
        let mut c = self.read.acquire().await?;
        let rows = b.query().fetch_all(&mut *c).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(decode(&mut c, r).await?);
        }
        drop(c);
        self.audit_reads(p, Resource::TracingRequest, out.iter().map(|r| r.meta.id))
            .await?;
        Ok(out)
    }

    /// Earlier open requests (of any organisation) to compare a new one with, for the
    /// matching engine, with whose each is. What another organisation's request says
    /// never reaches the caller: candidates are stored and read as
    /// [`TracingMatch::seen_by`] says.
    pub async fn open_tracing_requests(
        &self,
        p: &Principal,
    ) -> Result<Vec<OpenTracingRequest>, StoreError> {
        require(p, Action::Create, Resource::TracingRequest)?;
        let rows = sqlx::query(
            "SELECT r.id, r.organisation_id, o.name, r.details FROM tracing_requests r \
             LEFT JOIN organisations o ON o.id = r.organisation_id \
             WHERE r.status = 'open' ORDER BY r.created_at LIMIT 5000",
        )
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                let org: Option<String> = r.try_get("organisation_id")?;
                let name: Option<String> = r.try_get("name")?;
                Ok(OpenTracingRequest {
                    id: sql::uuid(&sql::text(r, "id")?)?,
                    organisation_id: org.as_deref().map(sql::uuid).transpose()?,
                    organisation: name.unwrap_or_else(|| NO_ORGANISATION.to_owned()),
                    details: sql::json(r, "details")?,
                })
            })
            .collect()
    }

    /// Records the outcome. Reunification with a registered person links the requester's
    /// household and the found person's household in the history of both.
    pub async fn close_tracing_request(
        &self,
        p: &Principal,
        id: Uuid,
        version: i64,
        outcome: TracingOutcome,
    ) -> Result<TracingRequest, StoreError> {
        let scope = require(p, Action::Update, Resource::TracingRequest)?;
        let audit = vec![AuditEntry::by(
            p,
            Action::Update,
            Resource::TracingRequest,
            Some(id.to_string()),
            serde_json::json!({"status": outcome.status}),
        )];
        self.writer
            .write_audited((id, version, outcome, p.clone(), scope), audit, |c, (id, version, outcome, p, scope)| {
                Box::pin(async move {
                    let current = fetch(c, *id).await?;
                    let org = filing_org(c, *id).await?;
                    if !visible_request(*scope, org) {
                        return Err(StoreError::NotFound { entity: "tracing request", id: *id });
                    }
                    if let Some(found) = outcome.found_person_id {
                        ensure_visible(c, "persons", "person", found, *scope, p).await?;
                    }
                    if current.status != TracingStatus::Open {
                        return Err(StoreError::Refused(format!("tracing request {id} is already {}", current.status.code())));
                    }
                    let done = sqlx::query("UPDATE tracing_requests SET status = $1, outcome = $2, version = version + 1, updated_at = $3 WHERE id = $4 AND version = $5")
                        .bind(outcome.status.code().to_owned())
                        .bind(serde_json::to_string(outcome)?)
                        .bind(ts(p.at))
                        .bind(id.to_string())
                        .bind(*version)
                        .execute(&mut *c)
                        .await?;
                    if done.rows_affected() == 0 {
                        return Err(history::missing_or_conflict(c, "tracing_requests", "tracing request", *id, *version).await);
                    }
                    history::record(c, "tracing_request", *id, outcome.status.code(), version + 1, p.at, &serde_json::to_value(outcome)?).await?;
                    if outcome.status == TracingStatus::Reunited
                        && let (Some(found), Some(requester)) = (outcome.found_person_id, current.details.requester_person_id)
                    {
                        let household = |person: Uuid| {
                            sqlx::query_scalar::<_, String>("SELECT household_id FROM persons WHERE id = $1").bind(person.to_string())
                        };
                        let a = sql::uuid(&household(found).fetch_one(&mut *c).await?)?;
                        let b = sql::uuid(&household(requester).fetch_one(&mut *c).await?)?;
                        let detail = serde_json::json!({"tracing_request_id": id, "households": [a, b]});
                        history::record(c, "household", a, "reunited", 0, p.at, &detail).await?;
                        history::record(c, "household", b, "reunited", 0, p.at, &detail).await?;
                    }
                    fetch(c, *id).await
                })
            })
            .await
    }

    /// Registered persons in the caller's scope, for matching a tracing request against
    /// (none outside it).
    pub async fn visible_persons(
        &self,
        p: &Principal,
        ids: &[Uuid],
    ) -> Result<Vec<Uuid>, StoreError> {
        let scope = require(p, Action::Read, Resource::Person)?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut b = Builder::new("SELECT id FROM persons WHERE id IN (");
        for (i, id) in ids.iter().enumerate() {
            b.push(if i == 0 { "?" } else { ", ?" }, Arg::Text(id.to_string()));
        }
        b.raw(")");
        visible(&mut b, scope, "organisation_id", p);
        let rows: Vec<AnyRow> = b.query().fetch_all(&self.read).await?;
        rows.iter()
            .map(|r| sql::uuid(&sql::text(r, "id")?))
            .collect()
    }
}
