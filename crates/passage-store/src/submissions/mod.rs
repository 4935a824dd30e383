//! Field submissions (OpenRosa): the XML and attachments exactly as a device sent them,
//! keyed by the form instance's id, and what became of each: the record it created (a
//! household, a screening), or waiting in the review queue with its reasons until a
//! reviewer accepts or rejects it.
//!
//! A submission belongs to the organisation of the user who sent it; only that
//! organisation's users who may create what the form creates see it. `receive` stores
//! them, `review` settles and lists them.

mod receive;
mod review;

pub use receive::Receipt;

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

use crate::audit::AuditEntry;
use crate::error::StoreError;
use crate::scope::require;
use crate::sql;

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
    /// What the form creates (`household`, `screening`): who may review it.
    pub creates: Resource,
    /// The household it registered, for a registration form.
    pub household_id: Option<Uuid>,
    /// The screening it recorded, for the screening form.
    pub screening_id: Option<Uuid>,
    pub decided_by: Option<String>,
    pub decision_reason: Option<String>,
    pub attachments: Vec<AttachmentInfo>,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// The record a submission created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Created {
    Household(Uuid),
    Screening(Uuid),
}

impl Created {
    /// Every kind of record a submission can create.
    pub const KINDS: [Resource; 2] = [Resource::Household, Resource::Screening];

    /// The kind of record, as a form's `creates` names it.
    pub fn resource(self) -> Resource {
        match self {
            Self::Household(_) => Resource::Household,
            Self::Screening(_) => Resource::Screening,
        }
    }
}

/// What became of a submission once it was read.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Registered {
        record: Created,
        status: SubmissionStatus,
    },
    Review {
        draft: Option<serde_json::Value>,
        reasons: Vec<FieldError>,
        candidates: serde_json::Value,
    },
}

const COLUMNS: &str = "id, instance_id, form_id, form_version, creates, organisation_id, submitted_by, \
     xml_sha256, status, draft, reasons, candidates, household_id, screening_id, decided_by, \
     decision_reason, version, created_at, updated_at";

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn decode(row: &AnyRow, attachments: Vec<AttachmentInfo>) -> Result<Submission, StoreError> {
    let status = sql::text(row, "status")?;
    let household: Option<String> = row.try_get("household_id")?;
    let screening: Option<String> = row.try_get("screening_id")?;
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
        creates: resource(row)?,
        household_id: household.as_deref().map(sql::uuid).transpose()?,
        screening_id: screening.as_deref().map(sql::uuid).transpose()?,
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

/// An audit entry on submission `id` of a form that creates `creates`.
fn audit(
    p: &Principal,
    action: Action,
    creates: Resource,
    id: Option<Uuid>,
    detail: serde_json::Value,
) -> AuditEntry {
    AuditEntry {
        entity: "submission".to_owned(),
        ..AuditEntry::by(p, action, creates, id.map(|i| i.to_string()), detail)
    }
}
