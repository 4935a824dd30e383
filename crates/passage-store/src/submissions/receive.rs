//! Receiving a submission: stored exactly as sent, once per instance id.

use passage_domain::access::{Action, Principal};
use passage_domain::error::FieldError;
use sqlx::{AnyConnection, Row};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{NewAttachment, NewSubmission, Submission, SubmissionStatus, audit, sha256, visible};
use crate::Store;
use crate::error::StoreError;
use crate::scope::require;
use crate::sql::{self, ts};

/// What the sender of a submission held for review learns: that it is stored, and where
/// it stands; nothing of what a reviewer did with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Receipt {
    pub id: Uuid,
    pub status: SubmissionStatus,
    /// Stored by this request; false when it was received before.
    pub fresh: bool,
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

/// Stores `new` unless its instance id is known (then only its new attachments), as
/// `received`, or in review with `held` as the reasons. Answers the id, its status and
/// whether it is new.
async fn receive(
    c: &mut AnyConnection,
    p: &Principal,
    new: &NewSubmission,
    held: Option<&[FieldError]>,
) -> Result<Receipt, StoreError> {
    let digest = sha256(new.xml.as_bytes());
    let existing = sqlx::query(
        "SELECT id, xml_sha256, organisation_id, status FROM submissions WHERE instance_id = $1",
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
        let status = sql::text(&row, "status")?;
        let status = SubmissionStatus::from_code(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("submission status {status}")))?;
        return Ok(Receipt {
            id,
            status,
            fresh: false,
        });
    }
    let id = Uuid::now_v7();
    let (status, reasons) = match held {
        None => (SubmissionStatus::Received, "[]".to_owned()),
        Some(r) => (SubmissionStatus::Review, serde_json::to_string(r)?),
    };
    sqlx::query(
        "INSERT INTO submissions (id, instance_id, form_id, form_version, creates, organisation_id, \
         submitted_by, xml, xml_sha256, status, draft, reasons, candidates, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, '[]', 1, $13, $13)",
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
    .bind(status.code().to_owned())
    .bind(new.draft.to_string())
    .bind(reasons)
    .bind(ts(p.at))
    .execute(&mut *c)
    .await?;
    add_attachments(c, id, p.at, &new.attachments).await?;
    Ok(Receipt {
        id,
        status,
        fresh: true,
    })
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
        let entry = audit(
            p,
            Action::Create,
            new.creates,
            None,
            serde_json::json!({"instance_id": new.instance_id, "form_id": new.form_id,
                "form_version": new.form_version, "attachments": new.attachments.len()}),
        );
        self.writer
            .write_audited((new, p.clone()), vec![entry], |c, (new, p)| {
                Box::pin(async move {
                    let receipt = receive(c, p, new, None).await?;
                    let stored = visible(c, p, Action::Create, receipt.id).await?;
                    Ok((stored, receipt.fresh))
                })
            })
            .await
    }

    /// Stores a submission from a user of an organisation who may not create what its
    /// form creates (a role taken away after the form was downloaded, a shared device):
    /// kept exactly as received, under the same instance-id rules, waiting in review for
    /// that organisation's users who may, with the reason at `submitted_by`. The sender
    /// reads nothing of it back but its receipt. Someone outside any organisation has no
    /// reviewer and is refused; someone who may create it is sent to `receive_submission`.
    pub async fn hold_submission(
        &self,
        p: &Principal,
        new: NewSubmission,
    ) -> Result<Receipt, StoreError> {
        let refusal = match require(p, Action::Create, new.creates) {
            Ok(_) => {
                return Err(StoreError::Refused(format!(
                    "{} may create {}: the submission is received, not held",
                    p.name,
                    new.creates.code()
                )));
            }
            Err(e) => e,
        };
        if p.organisation_id.is_none() {
            return Err(refusal);
        }
        let reasons = vec![FieldError {
            field: "submitted_by".to_owned(),
            message: format!(
                "{refusal}; a reviewer who may create {} accepts it for them",
                new.creates.code()
            ),
        }];
        let entry = audit(
            p,
            Action::Create,
            new.creates,
            None,
            serde_json::json!({"instance_id": new.instance_id, "form_id": new.form_id,
                "form_version": new.form_version, "attachments": new.attachments.len(),
                "held": reasons}),
        );
        self.writer
            .write_audited(
                (new, p.clone(), reasons),
                vec![entry],
                |c, (new, p, reasons)| {
                    Box::pin(async move { receive(c, p, new, Some(reasons)).await })
                },
            )
            .await
    }
}
