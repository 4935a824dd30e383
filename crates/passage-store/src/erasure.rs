//! Erasure and retention: one anonymisation, run for a person at their request (by the
//! data-protection focal point of the registering organisation) or by the retention job
//! for everyone whose every purpose's period has run out. A legal hold stops both.
//!
//! Anonymisation keeps the row, its id, number, sex, nationalities, year of birth, site and
//! household, so that every count stays as it was; it removes names, aliases, the name in
//! the original script, contact, place of origin, document numbers and machine-readable
//! zones, the free text of the person's consents and requests, and the earlier versions
//! of all of these kept in the record's history.

// SQL built at run time is assembled from constant text only; values are always bound.
use futures_util::future::join_all;
use passage_domain::access::{Action, Principal, Resource, Scope};
use passage_domain::data_protection::Purpose;
use passage_domain::data_protection::retention::{
    RetentionPolicy, anonymised_document, anonymised_person,
};
use passage_domain::data_protection::subject::{ErasureRequest, RequestKind};
use passage_domain::document::DocumentDetails;
use passage_domain::error::ValidationErrors;
use passage_domain::person::{PersonDetails, PersonStatus};
use passage_domain::record::Person;
use serde::Serialize;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::Store;
use crate::audit::AuditEntry;
use crate::error::StoreError;
use crate::history;
use crate::persons;
use crate::scope::{ensure_own_person, require};
use crate::sql::{self, Arg, Builder, ts};

/// One person the retention job found due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RetentionItem {
    pub person_id: Uuid,
    pub registration_number: String,
    #[serde(with = "time::serde::rfc3339")]
    pub registered_at: OffsetDateTime,
    pub purposes: Vec<Purpose>,
    /// When the longest period among the purposes ran out.
    #[serde(with = "time::serde::rfc3339")]
    pub kept_until: OffsetDateTime,
}

/// What a retention run found and did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RetentionReport {
    /// Persons due for anonymisation (anonymised unless the run was dry).
    pub due: Vec<RetentionItem>,
    /// Persons due but kept because a legal hold is on.
    pub held: Vec<RetentionItem>,
    /// How many were anonymised: 0 on a dry run.
    pub anonymised: usize,
}

/// Writes at once to the group-commit writer during a retention run.
const RETENTION_BATCH: usize = 256;

/// Anonymises the person `id` in the caller's transaction. A person already anonymised is
/// returned as they are; a person under a legal hold is refused.
async fn anonymise(
    c: &mut AnyConnection,
    id: Uuid,
    now: OffsetDateTime,
    why: &serde_json::Value,
) -> Result<Person, StoreError> {
    let row = sqlx::query(
        "SELECT details, legal_hold_at, anonymised_at, version FROM persons WHERE id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(&mut *c)
    .await?
    .ok_or(StoreError::NotFound {
        entity: "person",
        id,
    })?;
    let anonymised: Option<String> = row.try_get("anonymised_at")?;
    if anonymised.is_some() {
        return persons::fetch(c, id).await;
    }
    let held: Option<String> = row.try_get("legal_hold_at")?;
    if let Some(since) = held {
        return Err(StoreError::Refused(format!(
            "person {id} is under a legal hold since {since}: the record cannot be erased until the hold is lifted"
        )));
    }
    let details: PersonDetails = sql::json(&row, "details")?;
    let version = sql::int(&row, "version")?;
    let d = anonymised_person(&details);
    sqlx::query(
        "UPDATE persons SET details = $1, name_key = '', birth_date = $2, status = $3, anonymised_at = $4, \
         born_on = NULL, version = version + 1, updated_at = $4 WHERE id = $5",
    )
    .bind(serde_json::to_string(&d)?)
    .bind(d.date_of_birth.map(|b| b.date.to_string()))
    .bind(PersonStatus::Inactive.code().to_owned())
    .bind(ts(now))
    .bind(id.to_string())
    .execute(&mut *c)
    .await?;
    let docs = sqlx::query("SELECT id, details FROM documents WHERE person_id = $1")
        .bind(id.to_string())
        .fetch_all(&mut *c)
        .await?;
    let mut scrubbed = vec![id.to_string()];
    for doc in &docs {
        let doc_id = sql::text(doc, "id")?;
        let details: DocumentDetails = sql::json(doc, "details")?;
        sqlx::query(
            "UPDATE documents SET details = $1, number = NULL, verification = NULL, version = version + 1, \
             updated_at = $2 WHERE id = $3",
        )
        .bind(serde_json::to_string(&anonymised_document(&details))?)
        .bind(ts(now))
        .bind(doc_id.clone())
        .execute(&mut *c)
        .await?;
        scrubbed.push(doc_id);
    }
    // Free text about the person that others wrote down: the words of a consent and of
    // their requests. The records themselves stay, for accountability.
    for table in ["consents", "data_subject_requests"] {
        let column = if table == "consents" {
            "description"
        } else {
            "details"
        };
        sqlx::query(AssertSqlSafe(format!(
            "UPDATE {table} SET {column} = NULL WHERE person_id = $1"
        )))
        .bind(id.to_string())
        .execute(&mut *c)
        .await?;
    }
    // What the person said at screenings, notes on their needs and the reasons written at
    // each step of their cases. The codes, states and outcomes stay, for accountability.
    for statement in [
        "UPDATE screenings SET answers = '{}', age_assessment = NULL WHERE person_id = $1",
        "UPDATE specific_needs SET note = NULL WHERE person_id = $1",
        "UPDATE case_transitions SET reason = '' WHERE case_id IN (SELECT id FROM cases WHERE person_id = $1)",
    ] {
        sqlx::query(statement)
            .bind(id.to_string())
            .execute(&mut *c)
            .await?;
    }
    // Earlier versions kept in the history hold the names and numbers too.
    let mut b = Builder::new("UPDATE history SET detail = ");
    b.push("?", Arg::Text(r#"{"anonymised":true}"#.to_owned()));
    b.raw(" WHERE entity_id IN (");
    for (i, e) in scrubbed.iter().enumerate() {
        if i > 0 {
            b.raw(", ");
        }
        b.push("?", Arg::Text(e.clone()));
    }
    b.raw(")");
    b.query().execute(&mut *c).await?;
    history::record(c, "person", id, "anonymised", version + 1, now, why).await?;
    persons::fetch(c, id).await
}

/// Checks that an erasure request named as grounds is about this person.
async fn check_grounds(
    c: &mut AnyConnection,
    person_id: Uuid,
    request: Uuid,
) -> Result<(), StoreError> {
    let kind: Option<String> = sqlx::query_scalar(
        "SELECT kind FROM data_subject_requests WHERE id = $1 AND person_id = $2",
    )
    .bind(request.to_string())
    .bind(person_id.to_string())
    .fetch_optional(&mut *c)
    .await?;
    match kind {
        Some(k) if k == RequestKind::Erasure.code() => Ok(()),
        Some(k) => Err(ValidationErrors::one(
            "data_subject_request_id",
            format!("is a request of kind {k}, not erasure"),
        )
        .into()),
        None => Err(ValidationErrors::one(
            "data_subject_request_id",
            format!("no request {request} about person {person_id}"),
        )
        .into()),
    }
}

impl Store {
    /// Anonymises a person of the caller's organisation at their request. Refused while a
    /// legal hold is on; a person already anonymised is returned unchanged.
    pub async fn erase_person(
        &self,
        p: &Principal,
        id: Uuid,
        grounds: ErasureRequest,
    ) -> Result<Person, StoreError> {
        let scope = require(p, Action::Erase, Resource::Person)?;
        let why = serde_json::json!({
            "by": "erasure",
            "data_subject_request_id": grounds.data_subject_request_id,
            "reason": grounds.reason,
        });
        let audit = vec![AuditEntry::by(
            p,
            Action::Erase,
            Resource::Person,
            Some(id.to_string()),
            why.clone(),
        )];
        let input = (id, grounds, why, p.at, scope);
        self.writer
            .write_audited(input, audit, |c, (id, grounds, why, at, scope)| {
                Box::pin(async move {
                    ensure_own_person(c, *id, *scope).await?;
                    if let Some(request) = grounds.data_subject_request_id {
                        check_grounds(c, *id, request).await?;
                    }
                    anonymise(c, *id, *at, why).await
                })
            })
            .await
    }

    /// Finds every person whose every purpose's retention period has run out since their
    /// registration and anonymises them, unless a legal hold is on (those are reported as
    /// held) or `dry_run` is set. Each anonymisation is logged to the audit log.
    pub async fn run_retention(
        &self,
        p: &Principal,
        policy: &RetentionPolicy,
        dry_run: bool,
    ) -> Result<RetentionReport, StoreError> {
        let scope = require(p, Action::Erase, Resource::Person)?;
        let mut report = self.retention_candidates(p.at, scope, policy).await?;
        if dry_run {
            return Ok(report);
        }
        let due = std::mem::take(&mut report.due);
        for chunk in due.chunks(RETENTION_BATCH) {
            let writes = chunk.iter().map(|item| self.retain_one(p, item, policy));
            for (item, outcome) in chunk.iter().zip(join_all(writes).await) {
                match outcome {
                    Ok(_) => {
                        report.anonymised += 1;
                        report.due.push(item.clone());
                    }
                    // Held since the candidates were read.
                    Err(StoreError::Refused(_)) => report.held.push(item.clone()),
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(report)
    }

    async fn retain_one(
        &self,
        p: &Principal,
        item: &RetentionItem,
        policy: &RetentionPolicy,
    ) -> Result<Person, StoreError> {
        let why = serde_json::json!({
            "by": "retention",
            "purposes": item.purposes,
            "kept_until": ts(item.kept_until),
            "policy": policy.to_string(),
        });
        let audit = vec![AuditEntry::by(
            p,
            Action::Erase,
            Resource::Person,
            Some(item.person_id.to_string()),
            why.clone(),
        )];
        self.writer
            .write_audited((item.person_id, why, p.at), audit, |c, (id, why, at)| {
                Box::pin(async move { anonymise(c, *id, *at, why).await })
            })
            .await
    }

    /// Persons not yet anonymised whose retention has run out at `now`, split into those
    /// due and those held.
    async fn retention_candidates(
        &self,
        now: OffsetDateTime,
        scope: Scope,
        policy: &RetentionPolicy,
    ) -> Result<RetentionReport, StoreError> {
        // Nobody registered after this can be due, whatever their purposes.
        let cutoff = now - Duration::days(i64::from(policy.shortest()));
        let mut b = Builder::new(
            "SELECT p.id, p.registration_number, p.created_at, p.legal_hold_at, h.purposes \
             FROM persons p JOIN households h ON h.id = p.household_id \
             WHERE p.anonymised_at IS NULL AND p.created_at <= ",
        );
        b.push("?", Arg::Text(ts(cutoff)));
        if let Scope::Organisation(org) = scope {
            b.push(" AND p.organisation_id = ?", Arg::Text(org.to_string()));
        }
        b.raw(" ORDER BY p.id");
        let rows = b.query().fetch_all(&self.read).await?;
        let mut report = RetentionReport::default();
        for row in &rows {
            let registered_at = sql::parse_ts(&sql::text(row, "created_at")?)?;
            let purposes: Vec<Purpose> = sql::json(row, "purposes")?;
            if !policy.expired(&purposes, registered_at, now) {
                continue;
            }
            let held: Option<String> = row.try_get("legal_hold_at")?;
            let item = RetentionItem {
                person_id: sql::uuid(&sql::text(row, "id")?)?,
                registration_number: sql::text(row, "registration_number")?,
                registered_at,
                kept_until: policy.kept_until(&purposes, registered_at),
                purposes,
            };
            if held.is_some() {
                report.held.push(item);
            } else {
                report.due.push(item);
            }
        }
        Ok(report)
    }
}
