//! What duplicate detection reads and writes: the feed of changed persons that keeps
//! every server's candidate index current, decisions on pairs (merge, link, not a
//! duplicate, each undoable) and the review queue.
//!
//! # Invariants
//!
//! - A pair has at most one decision in force; undoing keeps the row.
//! - A merge changes the merged person's status and `merged_into` only, and keeps its
//!   previous status in the decision: unmerging restores the record exactly (its
//!   version moves on, like any change).
//! - Review items are unique per pair; a decided pair is never opened again.
//! - A merge or unmerge first takes the row locks of both persons' merge clusters, like
//!   every protection change and payment, and a merge re-imposes the non-refoulement hold
//!   on the kept record's scheduled returns; an unmerge changes no case.

use passage_domain::access::{Action, Principal, Resource, Scope};
use passage_domain::duplicates::{
    Decision, DecisionKind, FieldScore, NewDecision, ReviewItem, ReviewStatus,
};
use passage_domain::person::{PersonDetails, PersonStatus};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::Store;
use crate::audit::AuditEntry;
use crate::error::StoreError;
use crate::history;
use crate::protection::{lock_persons, reimpose};
use crate::scope::{ensure_visible, require, visible};
use crate::sql::{self, Arg, Builder, ts};

/// A person as the candidate index needs them.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedEntry {
    pub id: Uuid,
    pub details: PersonDetails,
    pub version: i64,
    pub updated_at: OffsetDateTime,
    /// Merged away or anonymised: no longer a candidate.
    pub gone: bool,
}

/// A pair for the review queue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReview {
    pub person_a: Uuid,
    pub person_b: Uuid,
    pub probability: f64,
    pub fields: Vec<FieldScore>,
    pub found_by: &'static str,
}

const DECISION_COLUMNS: &str = "id, person_a, person_b, decision, reason, decided_by, decided_at, \
     undone_by, undone_at, undo_reason";

const REVIEW_COLUMNS: &str = "id, person_a, person_b, probability, explanation, found_by, status, \
     created_at, closed_at, closed_reason";

fn decode_decision(row: &AnyRow) -> Result<Decision, StoreError> {
    let kind = sql::text(row, "decision")?;
    let undone: Option<String> = row.try_get("undone_at")?;
    Ok(Decision {
        id: sql::uuid(&sql::text(row, "id")?)?,
        person_a: sql::uuid(&sql::text(row, "person_a")?)?,
        person_b: sql::uuid(&sql::text(row, "person_b")?)?,
        decision: DecisionKind::from_code(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("decision {kind}")))?,
        reason: sql::text(row, "reason")?,
        decided_by: sql::text(row, "decided_by")?,
        decided_at: sql::parse_ts(&sql::text(row, "decided_at")?)?,
        undone_by: row.try_get("undone_by")?,
        undone_at: undone.as_deref().map(sql::parse_ts).transpose()?,
        undo_reason: row.try_get("undo_reason")?,
    })
}

fn decode_review(row: &AnyRow) -> Result<ReviewItem, StoreError> {
    let status = sql::text(row, "status")?;
    let closed: Option<String> = row.try_get("closed_at")?;
    Ok(ReviewItem {
        id: sql::uuid(&sql::text(row, "id")?)?,
        person_a: sql::uuid(&sql::text(row, "person_a")?)?,
        person_b: sql::uuid(&sql::text(row, "person_b")?)?,
        probability: row.try_get("probability")?,
        fields: sql::json(row, "explanation")?,
        found_by: sql::text(row, "found_by")?,
        status: ReviewStatus::from_code(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("review status {status}")))?,
        created_at: sql::parse_ts(&sql::text(row, "created_at")?)?,
        closed_at: closed.as_deref().map(sql::parse_ts).transpose()?,
        closed_reason: row.try_get("closed_reason")?,
    })
}

async fn decision(c: &mut AnyConnection, id: Uuid) -> Result<Option<Decision>, StoreError> {
    let sql = format!("SELECT {DECISION_COLUMNS} FROM match_decisions WHERE id = $1");
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_optional(c)
        .await?;
    row.as_ref().map(decode_decision).transpose()
}

/// The decision in force on a pair, either way round.
async fn in_force(c: &mut AnyConnection, a: Uuid, b: Uuid) -> Result<Option<Decision>, StoreError> {
    let sql = format!(
        "SELECT {DECISION_COLUMNS} FROM match_decisions WHERE undone_at IS NULL AND \
         ((person_a = $1 AND person_b = $2) OR (person_a = $2 AND person_b = $1))"
    );
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(a.to_string())
        .bind(b.to_string())
        .fetch_optional(c)
        .await?;
    row.as_ref().map(decode_decision).transpose()
}

async fn person_status(c: &mut AnyConnection, id: Uuid) -> Result<(String, i64), StoreError> {
    let row = sqlx::query("SELECT status, version FROM persons WHERE id = $1")
        .bind(id.to_string())
        .fetch_one(c)
        .await?;
    Ok((sql::text(&row, "status")?, sql::int(&row, "version")?))
}

/// Sets a person's status and `merged_into`, moving their version on.
async fn set_merged(
    c: &mut AnyConnection,
    id: Uuid,
    status: &str,
    into: Option<Uuid>,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    let (_, version) = person_status(c, id).await?;
    sqlx::query(
        "UPDATE persons SET status = $1, merged_into = $2, version = version + 1, updated_at = $3 \
         WHERE id = $4",
    )
    .bind(status.to_owned())
    .bind(into.map(|i| i.to_string()))
    .bind(ts(at))
    .bind(id.to_string())
    .execute(&mut *c)
    .await?;
    let action = if into.is_some() { "merged" } else { "unmerged" };
    let detail = serde_json::json!({"status": status, "merged_into": into});
    history::record(c, "person", id, action, version + 1, at, &detail).await
}

async fn decide(
    c: &mut AnyConnection,
    d: &NewDecision,
    p: &Principal,
    scope: Scope,
) -> Result<Decision, StoreError> {
    for id in [d.person_a, d.person_b] {
        ensure_visible(c, "persons", "person", id, scope, p).await?;
    }
    if let Some(existing) = in_force(c, d.person_a, d.person_b).await? {
        return Err(StoreError::Refused(format!(
            "this pair was already decided ({}, decision {}); undo that decision first",
            existing.decision.code(),
            existing.id
        )));
    }
    let mut previous = None;
    if d.decision == DecisionKind::Merge {
        // Every record of both persons, as protection changes and payments take them.
        lock_persons(c, &[d.person_a, d.person_b]).await?;
        for (id, what) in [
            (d.person_a, "the record kept"),
            (d.person_b, "the record merged"),
        ] {
            let (status, _) = person_status(c, id).await?;
            if status == PersonStatus::Merged.code() {
                return Err(StoreError::Refused(format!(
                    "{what} ({id}) is itself merged into another record; decide on that one"
                )));
            }
            if id == d.person_b {
                previous = Some(status);
            }
        }
        set_merged(
            c,
            d.person_b,
            PersonStatus::Merged.code(),
            Some(d.person_a),
            p.at,
        )
        .await?;
    }
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO match_decisions (id, person_a, person_b, decision, reason, previous_status, \
         decided_by, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id.to_string())
    .bind(d.person_a.to_string())
    .bind(d.person_b.to_string())
    .bind(d.decision.code().to_owned())
    .bind(d.reason.clone())
    .bind(previous)
    .bind(p.name.clone())
    .bind(ts(p.at))
    .execute(&mut *c)
    .await?;
    let (a, b) = (d.person_a.min(d.person_b), d.person_a.max(d.person_b));
    sqlx::query(
        "UPDATE match_reviews SET status = 'decided', closed_at = $1, closed_reason = $2 \
         WHERE person_a = $3 AND person_b = $4 AND status = 'open'",
    )
    .bind(ts(p.at))
    .bind(d.decision.code().to_owned())
    .bind(a.to_string())
    .bind(b.to_string())
    .execute(&mut *c)
    .await?;
    if d.decision == DecisionKind::Merge {
        // A claim, fear or code the merged record brought holds the kept record's
        // scheduled returns at once (and the other way round).
        reimpose(c, d.person_a, p).await?;
    }
    decision(c, id).await?.ok_or(StoreError::NotFound {
        entity: "decision",
        id,
    })
}

async fn undo(
    c: &mut AnyConnection,
    id: Uuid,
    reason: &str,
    p: &Principal,
    scope: Scope,
) -> Result<Decision, StoreError> {
    let d = decision(c, id).await?.ok_or(StoreError::NotFound {
        entity: "decision",
        id,
    })?;
    for person in [d.person_a, d.person_b] {
        ensure_visible(c, "persons", "person", person, scope, p)
            .await
            .map_err(|_| StoreError::NotFound {
                entity: "decision",
                id,
            })?;
    }
    if d.undone_at.is_some() {
        return Err(StoreError::Refused(format!(
            "decision {id} was already undone"
        )));
    }
    if d.decision == DecisionKind::Merge {
        let row = sqlx::query("SELECT previous_status FROM match_decisions WHERE id = $1")
            .bind(id.to_string())
            .fetch_one(&mut *c)
            .await?;
        let previous: Option<String> = row.try_get("previous_status")?;
        let previous = previous.unwrap_or_else(|| PersonStatus::Active.code().to_owned());
        // Unmerging lifts nothing: a return the merge suspended stays suspended until a
        // caseworker resumes it past the guard, on the facts of that record alone.
        lock_persons(c, &[d.person_a, d.person_b]).await?;
        set_merged(c, d.person_b, &previous, None, p.at).await?;
    }
    sqlx::query(
        "UPDATE match_decisions SET undone_by = $1, undone_at = $2, undo_reason = $3 WHERE id = $4",
    )
    .bind(p.name.clone())
    .bind(ts(p.at))
    .bind(reason.to_owned())
    .bind(id.to_string())
    .execute(&mut *c)
    .await?;
    decision(c, id).await?.ok_or(StoreError::NotFound {
        entity: "decision",
        id,
    })
}

impl Store {
    /// Persons changed after `after` (a change time and id; every person when None),
    /// in order of change, at most `limit`: what keeps a candidate index current. The
    /// caller's scope applies; a server's index reads as the operator.
    pub async fn match_feed(
        &self,
        p: &Principal,
        after: Option<(OffsetDateTime, Uuid)>,
        limit: u32,
    ) -> Result<Vec<FeedEntry>, StoreError> {
        let scope = require(p, Action::Read, Resource::Person)?;
        let mut b = Builder::new(
            "SELECT id, details, version, updated_at, status, anonymised_at FROM persons WHERE 1 = 1",
        );
        if let Some((at, id)) = after {
            // A range on the (updated_at, id) index first: an OR alone would scan every
            // person on SQLite.
            b.push(" AND updated_at >= ?", Arg::Text(ts(at)));
            b.push(" AND (updated_at > ?", Arg::Text(ts(at)));
            b.push(" OR id > ?)", Arg::Text(id.to_string()));
        }
        visible(&mut b, scope, "organisation_id", p);
        b.push(
            " ORDER BY updated_at, id LIMIT ?",
            Arg::Int(i64::from(limit)),
        );
        let rows = b.query().fetch_all(&self.read).await?;
        rows.iter()
            .map(|row| {
                let anonymised: Option<String> = row.try_get("anonymised_at")?;
                Ok(FeedEntry {
                    id: sql::uuid(&sql::text(row, "id")?)?,
                    details: sql::json(row, "details")?,
                    version: sql::int(row, "version")?,
                    updated_at: sql::parse_ts(&sql::text(row, "updated_at")?)?,
                    gone: anonymised.is_some()
                        || sql::text(row, "status")? == PersonStatus::Merged.code(),
                })
            })
            .collect()
    }

    /// Records a decision on a pair of persons the caller can see. A merge needs the
    /// right to update duplicates; link and not-a-duplicate the right to create them.
    pub async fn record_decision(
        &self,
        p: &Principal,
        d: NewDecision,
    ) -> Result<Decision, StoreError> {
        let action = match d.decision {
            DecisionKind::Merge => Action::Update,
            _ => Action::Create,
        };
        let scope = require(p, action, Resource::Duplicate)?;
        let d = d.validated()?;
        let audit = vec![AuditEntry::by(
            p,
            action,
            Resource::Duplicate,
            None,
            serde_json::json!({"person_a": d.person_a, "person_b": d.person_b, "decision": d.decision}),
        )];
        self.writer
            .write_audited((d, p.clone(), scope), audit, |c, (d, p, scope)| {
                Box::pin(async move { decide(c, d, p, *scope).await })
            })
            .await
    }

    /// Undoes a decision: a merged person is restored exactly; a not-a-duplicate pair
    /// can come back.
    pub async fn undo_decision(
        &self,
        p: &Principal,
        id: Uuid,
        reason: String,
    ) -> Result<Decision, StoreError> {
        let scope = require(p, Action::Update, Resource::Duplicate)?;
        let mut problems = passage_domain::error::Problems::new();
        let reason = passage_domain::duplicates::validated_reason(&mut problems, "reason", &reason);
        problems.finish(())?;
        let audit = vec![AuditEntry::by(
            p,
            Action::Update,
            Resource::Duplicate,
            Some(id.to_string()),
            serde_json::json!({"undone": true}),
        )];
        self.writer
            .write_audited(
                (id, reason, p.clone(), scope),
                audit,
                |c, (id, reason, p, scope)| {
                    Box::pin(async move { undo(c, *id, reason, p, *scope).await })
                },
            )
            .await
    }

    /// Every decision involving a person the caller can see, newest first; None when
    /// the person is missing or hidden.
    pub async fn decisions(
        &self,
        p: &Principal,
        person: Uuid,
    ) -> Result<Option<Vec<Decision>>, StoreError> {
        let scope = require(p, Action::Read, Resource::Duplicate)?;
        let mut conn = self.read.acquire().await?;
        match ensure_visible(&mut conn, "persons", "person", person, scope, p).await {
            Ok(()) => {}
            Err(StoreError::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e),
        }
        let sql = format!(
            "SELECT {DECISION_COLUMNS} FROM match_decisions WHERE person_a = $1 OR person_b = $1 \
             ORDER BY decided_at DESC, id DESC"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(person.to_string())
            .fetch_all(&mut *conn)
            .await?;
        rows.iter()
            .map(decode_decision)
            .collect::<Result<_, _>>()
            .map(Some)
    }

    /// The pairs with a decision in force, each `(smaller id, larger id)`: pairs batch
    /// runs and candidate lists leave out.
    pub async fn decided_pairs(&self, p: &Principal) -> Result<Vec<(Uuid, Uuid)>, StoreError> {
        require(p, Action::Read, Resource::Duplicate)?;
        let rows =
            sqlx::query("SELECT person_a, person_b FROM match_decisions WHERE undone_at IS NULL")
                .fetch_all(&self.read)
                .await?;
        rows.iter()
            .map(|row| {
                let a = sql::uuid(&sql::text(row, "person_a")?)?;
                let b = sql::uuid(&sql::text(row, "person_b")?)?;
                Ok((a.min(b), a.max(b)))
            })
            .collect()
    }

    /// Puts pairs in the review queue; a pair already queued or decided is left as it is.
    /// Returns how many were added.
    pub async fn queue_reviews(
        &self,
        p: &Principal,
        items: Vec<NewReview>,
    ) -> Result<usize, StoreError> {
        require(p, Action::Create, Resource::Duplicate)?;
        let audit = vec![AuditEntry::by(
            p,
            Action::Create,
            Resource::Duplicate,
            None,
            serde_json::json!({"review_items": items.len()}),
        )];
        self.writer
            .write_audited((items, p.at), audit, |c, (items, at)| {
                Box::pin(async move {
                    let mut added = 0;
                    for r in items.iter() {
                        let (a, b) = (r.person_a.min(r.person_b), r.person_a.max(r.person_b));
                        if in_force(c, a, b).await?.is_some() {
                            continue;
                        }
                        let done = sqlx::query(
                            "INSERT INTO match_reviews (id, person_a, person_b, probability, explanation, \
                             found_by, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'open', $7) \
                             ON CONFLICT (person_a, person_b) DO NOTHING",
                        )
                        .bind(Uuid::now_v7().to_string())
                        .bind(a.to_string())
                        .bind(b.to_string())
                        .bind(r.probability)
                        .bind(serde_json::to_string(&r.fields)?)
                        .bind(r.found_by.to_owned())
                        .bind(ts(*at))
                        .execute(&mut *c)
                        .await?;
                        added += done.rows_affected() as usize;
                    }
                    Ok(added)
                })
            })
            .await
    }

    /// Review items with `status` where the caller can see both persons, most probable
    /// first.
    pub async fn reviews(
        &self,
        p: &Principal,
        status: ReviewStatus,
        person: Option<Uuid>,
        limit: u32,
    ) -> Result<Vec<ReviewItem>, StoreError> {
        let scope = require(p, Action::Read, Resource::Duplicate)?;
        let mut b = Builder::new(&format!(
            "SELECT {REVIEW_COLUMNS} FROM match_reviews WHERE status = "
        ));
        b.push("?", Arg::Text(status.code().to_owned()));
        if let Some(person) = person {
            b.push(" AND (person_a = ?", Arg::Text(person.to_string()));
            b.push(" OR person_b = ?)", Arg::Text(person.to_string()));
        }
        for column in ["person_a", "person_b"] {
            b.raw(&format!(
                " AND {column} IN (SELECT id FROM persons WHERE 1 = 1"
            ));
            visible(&mut b, scope, "organisation_id", p);
            b.raw(")");
        }
        b.push(
            " ORDER BY probability DESC, id LIMIT ?",
            Arg::Int(i64::from(limit)),
        );
        let rows = b.query().fetch_all(&self.read).await?;
        rows.iter().map(decode_review).collect()
    }

    /// Closes open review items that are no longer alike (after an edit), saying why.
    pub async fn close_reviews(
        &self,
        p: &Principal,
        ids: Vec<Uuid>,
        reason: String,
    ) -> Result<(), StoreError> {
        require(p, Action::Update, Resource::Duplicate)?;
        if ids.is_empty() {
            return Ok(());
        }
        let audit = vec![AuditEntry::by(
            p,
            Action::Update,
            Resource::Duplicate,
            None,
            serde_json::json!({"closed_reviews": ids}),
        )];
        self.writer
            .write_audited((ids, reason, p.at), audit, |c, (ids, reason, at)| {
                Box::pin(async move {
                    for id in ids.iter() {
                        sqlx::query(
                            "UPDATE match_reviews SET status = 'closed', closed_at = $1, closed_reason = $2 \
                             WHERE id = $3 AND status = 'open'",
                        )
                        .bind(ts(*at))
                        .bind(reason.clone())
                        .bind(id.to_string())
                        .execute(&mut *c)
                        .await?;
                    }
                    Ok(())
                })
            })
            .await
    }
}
