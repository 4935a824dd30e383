//! Field submissions (OpenRosa): the XML and attachments exactly as a device sent them,
//! keyed by the form instance's id, and what became of each: registered, or waiting in
//! the review queue with its reasons until a reviewer accepts or rejects it.
//!
//! A submission belongs to the organisation of the user who sent it; only that
//! organisation's users who may create what the form creates see it.

// SQL built at run time is assembled from constant text only; values are always bound.
use passage_domain::access::{Action, Principal, Resource, Scope};
use passage_domain::error::FieldError;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::Store;
use crate::audit::AuditEntry;
use crate::error::StoreError;
use crate::scope::require;
use crate::sql::{self, Arg, Builder, ts};

/// Where a submission stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionStatus {
    /// Stored; not (yet) turned into a record, e.g. the server stopped in between.
    Received,
    /// Registered as it came.
    Registered,
    /// Waiting for a reviewer: invalid, or a likely duplicate.
    Review,
    /// Registered by a reviewer, corrected or declared not a duplicate.
    Accepted,
    /// Refused by a reviewer, with a reason; kept.
    Rejected,
}

impl SubmissionStatus {
    const ALL: [Self; 5] = [
        Self::Received,
        Self::Registered,
        Self::Review,
        Self::Accepted,
        Self::Rejected,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Received => "received",
            Self::Registered => "registered",
            Self::Review => "review",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }

    /// Still waiting for someone to act on it.
    pub fn is_waiting(self) -> bool {
        matches!(self, Self::Received | Self::Review)
    }
}

/// A file sent with a submission (a photo, a signature).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttachment {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// A submission as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubmission {
    /// `meta/instanceID`, e.g. `uuid:…`.
    pub instance_id: String,
    pub form_id: String,
    pub form_version: String,
    /// What the form creates: the permission needed to submit it and to review it.
    pub creates: Resource,
    pub xml: String,
    /// What was read from the XML, kept so that a reviewer has it even when the
    /// registration never ran (the server stopped in between).
    pub draft: serde_json::Value,
    pub attachments: Vec<NewAttachment>,
}

/// An attachment as stored, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct AttachmentInfo {
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
}

/// A submission and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Submission {
    pub id: Uuid,
    pub instance_id: String,
    pub form_id: String,
    pub form_version: String,
    pub submitted_by: String,
    pub status: SubmissionStatus,
    /// Why it waits for review, each at the field of `draft` at fault.
    pub reasons: Vec<FieldError>,
    /// Persons already registered who look like someone in it (from the matching engine).
    #[schema(value_type = Vec<Object>)]
    pub candidates: serde_json::Value,
    /// What was read from the XML, in the shape of the API's registration body.
    #[schema(value_type = Option<Object>)]
    pub draft: Option<serde_json::Value>,
    pub household_id: Option<Uuid>,
    pub decided_by: Option<String>,
    pub decision_reason: Option<String>,
    pub attachments: Vec<AttachmentInfo>,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// What became of a submission once it was read.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Registered {
        household_id: Uuid,
        status: SubmissionStatus,
    },
    Review {
        draft: Option<serde_json::Value>,
        reasons: Vec<FieldError>,
        candidates: serde_json::Value,
    },
}

const COLUMNS: &str = "id, instance_id, form_id, form_version, creates, organisation_id, submitted_by, \
     xml_sha256, status, draft, reasons, candidates, household_id, decided_by, decision_reason, \
     version, created_at, updated_at";

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn decode(row: &AnyRow, attachments: Vec<AttachmentInfo>) -> Result<Submission, StoreError> {
    let status = sql::text(row, "status")?;
    let household: Option<String> = row.try_get("household_id")?;
    let draft: Option<String> = row.try_get("draft")?;
    Ok(Submission {
        id: sql::uuid(&sql::text(row, "id")?)?,
        instance_id: sql::text(row, "instance_id")?,
        form_id: sql::text(row, "form_id")?,
        form_version: sql::text(row, "form_version")?,
        submitted_by: sql::text(row, "submitted_by")?,
        status: SubmissionStatus::from_code(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("submission status {status}")))?,
        reasons: sql::json(row, "reasons")?,
        candidates: sql::json(row, "candidates")?,
        draft: draft.as_deref().map(serde_json::from_str).transpose()?,
        household_id: household.as_deref().map(sql::uuid).transpose()?,
        decided_by: row.try_get("decided_by")?,
        decision_reason: row.try_get("decision_reason")?,
        attachments,
        version: sql::int(row, "version")?,
        created_at: sql::parse_ts(&sql::text(row, "created_at")?)?,
        updated_at: sql::parse_ts(&sql::text(row, "updated_at")?)?,
    })
}

fn resource(row: &AnyRow) -> Result<Resource, StoreError> {
    let code = sql::text(row, "creates")?;
    Resource::ALL
        .into_iter()
        .find(|r| r.code() == code)
        .ok_or_else(|| StoreError::Corrupt(format!("submission resource {code}")))
}

async fn attachments_of(
    c: &mut AnyConnection,
    id: Uuid,
) -> Result<Vec<AttachmentInfo>, StoreError> {
    let rows = sqlx::query(
        "SELECT name, content_type, CAST(LENGTH(bytes) AS BIGINT) AS size, sha256 FROM submission_attachments \
         WHERE submission_id = $1 ORDER BY name",
    )
    .bind(id.to_string())
    .fetch_all(c)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(AttachmentInfo {
                name: sql::text(r, "name")?,
                content_type: sql::text(r, "content_type")?,
                size: sql::int(r, "size")?,
                sha256: sql::text(r, "sha256")?,
            })
        })
        .collect()
}

/// The submission `id` if `p` may see it with `action`: of the principal's organisation,
/// and of a form whose records `p` may create. Otherwise it is missing.
async fn visible(
    c: &mut AnyConnection,
    p: &Principal,
    action: Action,
    id: Uuid,
) -> Result<Submission, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM submissions WHERE id = $1");
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_optional(&mut *c)
        .await?;
    let missing = StoreError::NotFound {
        entity: "submission",
        id,
    };
    let Some(row) = row else {
        return Err(missing);
    };
    let scope = require(p, action, resource(&row)?)?;
    let organisation: Option<String> = row.try_get("organisation_id")?;
    if let Scope::Organisation(org) = scope
        && organisation != Some(org.to_string())
    {
        return Err(missing);
    }
    let attachments = attachments_of(c, id).await?;
    decode(&row, attachments)
}

fn audit(p: &Principal, action: Action, id: Uuid, detail: serde_json::Value) -> AuditEntry {
    AuditEntry {
        entity: "submission".to_owned(),
        ..AuditEntry::by(p, action, Resource::Household, Some(id.to_string()), detail)
    }
}

/// Inserts the attachments not stored yet; one stored under the same name with other
/// bytes is refused.
async fn add_attachments(
    c: &mut AnyConnection,
    id: Uuid,
    at: OffsetDateTime,
    attachments: &[NewAttachment],
) -> Result<(), StoreError> {
    for a in attachments {
        let digest = sha256(&a.bytes);
        let stored: Option<String> = sqlx::query_scalar(
            "SELECT sha256 FROM submission_attachments WHERE submission_id = $1 AND name = $2",
        )
        .bind(id.to_string())
        .bind(a.name.clone())
        .fetch_optional(&mut *c)
        .await?;
        match stored {
            Some(s) if s == digest => {}
            Some(_) => {
                return Err(StoreError::Refused(format!(
                    "attachment '{}' was received before with other content",
                    a.name
                )));
            }
            None => {
                sqlx::query(
                    "INSERT INTO submission_attachments (submission_id, name, content_type, bytes, sha256, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(id.to_string())
                .bind(a.name.clone())
                .bind(a.content_type.clone())
                .bind(a.bytes.clone())
                .bind(digest)
                .bind(ts(at))
                .execute(&mut *c)
                .await?;
            }
        }
    }
    Ok(())
}

async fn receive(
    c: &mut AnyConnection,
    p: &Principal,
    new: &NewSubmission,
) -> Result<(Submission, bool), StoreError> {
    let digest = sha256(new.xml.as_bytes());
    let existing = sqlx::query(
        "SELECT id, xml_sha256, organisation_id FROM submissions WHERE instance_id = $1",
    )
    .bind(new.instance_id.clone())
    .fetch_optional(&mut *c)
    .await?;
    let organisation = p.organisation_id.map(|o| o.to_string());
    if let Some(row) = existing {
        let id = sql::uuid(&sql::text(&row, "id")?)?;
        let stored_org: Option<String> = row.try_get("organisation_id")?;
        if sql::text(&row, "xml_sha256")? != digest || stored_org != organisation {
            return Err(StoreError::Refused(format!(
                "instance {} was received before with different content; a changed form needs a new instanceID",
                new.instance_id
            )));
        }
        add_attachments(c, id, p.at, &new.attachments).await?;
        return Ok((visible(c, p, Action::Create, id).await?, false));
    }
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO submissions (id, instance_id, form_id, form_version, creates, organisation_id, \
         submitted_by, xml, xml_sha256, status, draft, reasons, candidates, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'received', $10, '[]', '[]', 1, $11, $11)",
    )
    .bind(id.to_string())
    .bind(new.instance_id.clone())
    .bind(new.form_id.clone())
    .bind(new.form_version.clone())
    .bind(new.creates.code().to_owned())
    .bind(organisation)
    .bind(p.name.clone())
    .bind(new.xml.clone())
    .bind(digest)
    .bind(new.draft.to_string())
    .bind(ts(p.at))
    .execute(&mut *c)
    .await?;
    add_attachments(c, id, p.at, &new.attachments).await?;
    Ok((visible(c, p, Action::Create, id).await?, true))
}

impl Store {
    /// Stores a submission exactly as received. The instance id is the key: the same XML
    /// again stores nothing twice and adds only attachments not seen yet (a submission
    /// split over several requests); different XML under a known id is refused. Answers
    /// the submission and whether it is new.
    pub async fn receive_submission(
        &self,
        p: &Principal,
        new: NewSubmission,
    ) -> Result<(Submission, bool), StoreError> {
        require(p, Action::Create, new.creates)?;
        let entry = AuditEntry {
            entity: "submission".to_owned(),
            ..AuditEntry::by(
                p,
                Action::Create,
                new.creates,
                None,
                serde_json::json!({"instance_id": new.instance_id, "form_id": new.form_id,
                    "form_version": new.form_version, "attachments": new.attachments.len()}),
            )
        };
        self.writer
            .write_audited((new, p.clone()), vec![entry], |c, (new, p)| {
                Box::pin(async move { receive(c, p, new).await })
            })
            .await
    }

    /// Records what became of a submission: registered, or in the review queue with its
    /// reasons. Only from `received` (the request that stored it) or `accepted` (the
    /// reviewer's registration), so a settled submission is never settled again.
    pub async fn settle_submission(
        &self,
        p: &Principal,
        id: Uuid,
        outcome: Outcome,
    ) -> Result<Submission, StoreError> {
        let detail = match &outcome {
            Outcome::Registered {
                household_id,
                status,
            } => serde_json::json!({"status": status.code(), "household_id": household_id}),
            Outcome::Review { reasons, .. } => {
                serde_json::json!({"status": "review", "reasons": reasons})
            }
        };
        let entry = audit(p, Action::Update, id, detail);
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
                        {
                            return Err(StoreError::Refused(format!(
                                "submission {id} is {} already",
                                current.status.code()
                            )));
                        }
                        let mut b = Builder::new("UPDATE submissions SET version = version + 1");
                        b.push(", updated_at = ?", Arg::Text(ts(p.at)));
                        match outcome {
                            Outcome::Registered {
                                household_id,
                                status,
                            } => {
                                b.push(", status = ?", Arg::Text(status.code().to_owned()));
                                b.push(", household_id = ?", Arg::Text(household_id.to_string()));
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
            id,
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

    /// The registration submissions of the caller's organisation, newest first; `waiting`
    /// keeps those received or in review. Reviewers are those who may register.
    pub async fn submissions(
        &self,
        p: &Principal,
        waiting: bool,
        limit: u32,
    ) -> Result<Vec<Submission>, StoreError> {
        require(p, Action::Create, Resource::Household)?;
        let mut b = Builder::new(&format!(
            "SELECT {COLUMNS} FROM submissions WHERE creates = 'household'"
        ));
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
            .map(|s| audit(p, Action::Read, s.id, serde_json::json!({})))
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
        self.record_audit(vec![audit(p, Action::Read, id, serde_json::json!({}))])
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
        match visible(&mut conn, p, Action::Create, id).await {
            Ok(_) => {}
            Err(StoreError::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e),
        }
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
            id,
            serde_json::json!({"attachment": name}),
        )])
        .await?;
        Ok(Some((
            sql::text(&row, "content_type")?,
            row.try_get("bytes")?,
        )))
    }
}
