//! Settling a submission (the record it created, or review with its reasons), the
//! reviewers' decisions, and reading the queue.

use passage_domain::access::{Action, Principal, Resource};
use sqlx::Row;
use uuid::Uuid;

use super::{
    COLUMNS, Created, Outcome, Submission, SubmissionStatus, attachments_of, audit, decode, visible,
};
use crate::Store;
use crate::error::StoreError;
use crate::scope::require;
use crate::sql::{self, Arg, Builder, ts};

/// Where a created record goes: its column and id.
fn column(record: Created) -> (&'static str, Uuid) {
    match record {
        Created::Household(id) => ("household_id", id),
        Created::Screening(id) => ("screening_id", id),
    }
}

impl Store {
    /// What submission `id`'s form creates (it never changes), for the audit entry of a
    /// change made to it; missing is missing.
    async fn creates_of(&self, id: Uuid) -> Result<Resource, StoreError> {
        let code: Option<String> =
            sqlx::query_scalar("SELECT creates FROM submissions WHERE id = $1")
                .bind(id.to_string())
                .fetch_optional(&self.read)
                .await?;
        code.as_deref()
            .and_then(|c| Resource::ALL.into_iter().find(|r| r.code() == c))
            .ok_or(StoreError::NotFound {
                entity: "submission",
                id,
            })
    }

    /// Records what became of a submission: the record it created (of the kind its form
    /// creates), or the review queue with its reasons. Only from `received` (the request
    /// that stored it) or `accepted` (the reviewer's decision), so a settled submission is
    /// never settled again.
    pub async fn settle_submission(
        &self,
        p: &Principal,
        id: Uuid,
        outcome: Outcome,
    ) -> Result<Submission, StoreError> {
        let detail = match &outcome {
            Outcome::Registered { record, status } => {
                let (column, record_id) = column(*record);
                serde_json::json!({"status": status.code(), column: record_id})
            }
            Outcome::Review { reasons, .. } => {
                serde_json::json!({"status": "review", "reasons": reasons})
            }
        };
        let creates = self.creates_of(id).await?;
        let entry = audit(p, Action::Update, creates, Some(id), detail);
        self.writer
            .write_audited(
                (id, p.clone(), outcome),
                vec![entry],
                |c, (id, p, outcome)| {
                    Box::pin(async move {
                        let current = visible(c, p, Action::Create, *id).await?;
                        if !matches!(
                            current.status,
                            SubmissionStatus::Received | SubmissionStatus::Accepted
                        ) || current.household_id.is_some()
                            || current.screening_id.is_some()
                        {
                            return Err(StoreError::Refused(format!(
                                "submission {id} is {} already",
                                current.status.code()
                            )));
                        }
                        let mut b = Builder::new("UPDATE submissions SET version = version + 1");
                        b.push(", updated_at = ?", Arg::Text(ts(p.at)));
                        match outcome {
                            Outcome::Registered { record, status } => {
                                if record.resource() != current.creates {
                                    return Err(StoreError::Refused(format!(
                                        "submission {id} creates a {}, not a {}",
                                        current.creates.code(),
                                        record.resource().code()
                                    )));
                                }
                                let (column, record_id) = column(*record);
                                b.push(", status = ?", Arg::Text(status.code().to_owned()));
                                b.push(
                                    &format!(", {column} = ?"),
                                    Arg::Text(record_id.to_string()),
                                );
                            }
                            Outcome::Review {
                                draft,
                                reasons,
                                candidates,
                            } => {
                                b.raw(", status = 'review', decided_by = NULL, decided_at = NULL");
                                b.push(", reasons = ?", Arg::Text(serde_json::to_string(reasons)?));
                                b.push(", candidates = ?", Arg::Text(candidates.to_string()));
                                if let Some(d) = draft {
                                    b.push(", draft = ?", Arg::Text(d.to_string()));
                                }
                            }
                        }
                        b.push(" WHERE id = ?", Arg::Text(id.to_string()));
                        b.query().execute(&mut *c).await?;
                        visible(c, p, Action::Create, *id).await
                    })
                },
            )
            .await
    }

    /// A reviewer takes a waiting submission at `version` to register it (`reason` says
    /// what was checked or corrected) or to reject it (`reject`). Another reviewer acting
    /// first makes this a conflict, so a submission is registered once.
    pub async fn decide_submission(
        &self,
        p: &Principal,
        id: Uuid,
        version: i64,
        reason: String,
        reject: bool,
    ) -> Result<Submission, StoreError> {
        let status = if reject {
            SubmissionStatus::Rejected
        } else {
            SubmissionStatus::Accepted
        };
        let entry = audit(
            p,
            Action::Update,
            self.creates_of(id).await?,
            Some(id),
            serde_json::json!({"status": status.code(), "reason": reason}),
        );
        self.writer
            .write_audited(
                (id, p.clone(), version, reason, status),
                vec![entry],
                |c, (id, p, version, reason, status)| {
                    Box::pin(async move {
                        let current = visible(c, p, Action::Create, *id).await?;
                        if current.version != *version {
                            return Err(StoreError::Conflict {
                                entity: "submission",
                                id: *id,
                                given: *version,
                                current: current.version,
                            });
                        }
                        if !current.status.is_waiting() {
                            return Err(StoreError::Refused(format!(
                                "submission {id} is {} already",
                                current.status.code()
                            )));
                        }
                        sqlx::query(
                            "UPDATE submissions SET status = $1, decided_by = $2, decided_at = $3, \
                             decision_reason = $4, version = version + 1, updated_at = $3 WHERE id = $5",
                        )
                        .bind(status.code().to_owned())
                        .bind(p.name.clone())
                        .bind(ts(p.at))
                        .bind(reason.clone())
                        .bind(id.to_string())
                        .execute(&mut *c)
                        .await?;
                        visible(c, p, Action::Create, *id).await
                    })
                },
            )
            .await
    }

    /// The submissions of the caller's organisation whose forms create what the caller
    /// may create (households for those who register, screenings for those who screen),
    /// newest first; `waiting` keeps those received or in review.
    pub async fn submissions(
        &self,
        p: &Principal,
        waiting: bool,
        limit: u32,
    ) -> Result<Vec<Submission>, StoreError> {
        let kinds: Vec<Resource> = Created::KINDS
            .into_iter()
            .filter(|r| p.require(Action::Create, *r).is_ok())
            .collect();
        if kinds.is_empty() {
            // Who may create nothing reviews nothing: refused as for households.
            require(p, Action::Create, Resource::Household)?;
        }
        let mut b = Builder::new(&format!(
            "SELECT {COLUMNS} FROM submissions WHERE creates IN ("
        ));
        for (i, kind) in kinds.iter().enumerate() {
            b.push(
                if i == 0 { "?" } else { ", ?" },
                Arg::Text(kind.code().to_owned()),
            );
        }
        b.raw(")");
        if let Some(org) = p.organisation_id {
            b.push(" AND organisation_id = ?", Arg::Text(org.to_string()));
        }
        if waiting {
            b.raw(" AND status IN ('received', 'review')");
        }
        b.raw(" ORDER BY created_at DESC, id DESC");
        b.push(" LIMIT ?", Arg::Int(i64::from(limit.clamp(1, 500))));
        let mut conn = self.read.acquire().await?;
        let rows = b.query().fetch_all(&mut *conn).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let id = sql::uuid(&sql::text(row, "id")?)?;
            out.push(decode(row, attachments_of(&mut conn, id).await?)?);
        }
        drop(conn);
        let entries = out
            .iter()
            .map(|s| {
                audit(
                    p,
                    Action::Read,
                    s.creates,
                    Some(s.id),
                    serde_json::json!({}),
                )
            })
            .collect();
        self.record_audit(entries).await?;
        Ok(out)
    }

    /// One submission with its XML as received; None when missing or not the caller's.
    pub async fn submission(
        &self,
        p: &Principal,
        id: Uuid,
    ) -> Result<Option<(Submission, String)>, StoreError> {
        let mut conn = self.read.acquire().await?;
        let found = match visible(&mut conn, p, Action::Create, id).await {
            Ok(s) => s,
            Err(StoreError::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        let xml: String = sqlx::query_scalar("SELECT xml FROM submissions WHERE id = $1")
            .bind(id.to_string())
            .fetch_one(&mut *conn)
            .await?;
        drop(conn);
        self.record_audit(vec![audit(
            p,
            Action::Read,
            found.creates,
            Some(id),
            serde_json::json!({}),
        )])
        .await?;
        Ok(Some((found, xml)))
    }

    /// The content type and bytes of one attachment of a submission the caller can see,
    /// exactly as received; None when either is missing.
    pub async fn submission_attachment(
        &self,
        p: &Principal,
        id: Uuid,
        name: &str,
    ) -> Result<Option<(String, Vec<u8>)>, StoreError> {
        let mut conn = self.read.acquire().await?;
        let creates = match visible(&mut conn, p, Action::Create, id).await {
            Ok(s) => s.creates,
            Err(StoreError::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        let row = sqlx::query(
            "SELECT content_type, bytes FROM submission_attachments WHERE submission_id = $1 AND name = $2",
        )
        .bind(id.to_string())
        .bind(name.to_owned())
        .fetch_optional(&mut *conn)
        .await?;
        drop(conn);
        let Some(row) = row else {
            return Ok(None);
        };
        self.record_audit(vec![audit(
            p,
            Action::Read,
            creates,
            Some(id),
            serde_json::json!({"attachment": name}),
        )])
        .await?;
        Ok(Some((
            sql::text(&row, "content_type")?,
            row.try_get("bytes")?,
        )))
    }
}
