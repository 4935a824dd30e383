//! `POST /submission`: one `xml_submission_file` part and the attachments, stored as
//! received under the instance id, then registered through the same validation and
//! duplicate guard as `POST /api/v1/households`. What cannot be registered waits in the
//! review queue with its reasons; the device is told it arrived.

use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::StatusCode;
use axum::response::Response;
use passage_domain::access::Principal;
use passage_domain::document::DocumentDetails;
use passage_domain::error::{FieldError, Problems};
use passage_domain::household::HouseholdRegistration;
use passage_store::{NewAttachment, NewSubmission, Outcome, Submission, SubmissionStatus};
use serde_json::Value;
use uuid::Uuid;

use super::{Device, OpenRosaError, forms, mapping, response_xml, xml};
use crate::AppState;
use crate::api::households;
use crate::problem::ApiError;

/// The part holding the submission XML.
pub const XML_PART: &str = "xml_submission_file";

fn bad(message: impl Into<String>) -> OpenRosaError {
    OpenRosaError::new(StatusCode::BAD_REQUEST, message)
}

/// Reads the multipart body: the XML and the attachments (named by file name).
async fn read_parts(
    mut multipart: Multipart,
) -> Result<(String, Vec<NewAttachment>), OpenRosaError> {
    let mut submission: Option<Vec<u8>> = None;
    let mut attachments: Vec<NewAttachment> = Vec::new();
    loop {
        let field = multipart.next_field().await.map_err(|e| {
            OpenRosaError::new(
                e.status(),
                format!("the multipart body cannot be read: {}", e.body_text()),
            )
        })?;
        let Some(field) = field else { break };
        let name = field.name().unwrap_or("").to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field
            .content_type()
            .unwrap_or("application/octet-stream")
            .to_owned();
        let bytes = field.bytes().await.map_err(|e| {
            OpenRosaError::new(
                e.status(),
                format!("part '{name}' cannot be read: {}", e.body_text()),
            )
        })?;
        if name == XML_PART {
            if submission.is_some() {
                return Err(bad(format!("more than one '{XML_PART}' part")));
            }
            submission = Some(bytes.to_vec());
        } else if name == "*isIncomplete*" {
            // Collect marks all but the last request of a split submission; each carries
            // the XML again, so nothing depends on it.
        } else {
            let file = file_name.filter(|f| !f.is_empty()).unwrap_or(name);
            if file.is_empty() {
                return Err(bad("an attachment part has neither a name nor a file name"));
            }
            if attachments.iter().any(|a| a.name == file) {
                return Err(bad(format!("two attachments are named '{file}'")));
            }
            attachments.push(NewAttachment {
                name: file,
                content_type,
                bytes: bytes.to_vec(),
            });
        }
    }
    let submission = submission.ok_or_else(|| {
        bad(format!(
            "no '{XML_PART}' part: send the submission XML in a multipart part named {XML_PART}"
        ))
    })?;
    let xml = String::from_utf8(submission)
        .map_err(|_| bad(format!("the '{XML_PART}' part is not UTF-8 text")))?;
    Ok((xml, attachments))
}

/// Whether a refusal of the registration is the submission's (it waits for review) or the
/// server's (it stays received, and the device is told to try again).
fn reasons_of(e: &ApiError) -> Option<(Vec<FieldError>, serde_json::Value)> {
    let one = |field: &str, message: String| {
        vec![FieldError {
            field: field.to_owned(),
            message,
        }]
    };
    match e {
        ApiError::Invalid(v) => Some((v.0.clone(), serde_json::json!([]))),
        ApiError::LikelyDuplicate(message, candidates) => Some((
            one("not_duplicates", message.clone()),
            serde_json::to_value(candidates).unwrap_or_default(),
        )),
        ApiError::NotFound { .. } | ApiError::Refused(_) | ApiError::Conflict(..) => {
            Some((one("registration", e.to_string()), serde_json::json!([])))
        }
        _ => None,
    }
}

/// Registers the household of a draft, and the head's identity document with it: all
/// of it is checked before anything is saved, and every problem is named at once.
async fn household_of(app: &AppState, p: &Principal, draft: &Value) -> Result<Uuid, ApiError> {
    let today = app.clock.today();
    let mut body = draft.clone();
    let document = body
        .as_object_mut()
        .and_then(|o| o.remove(mapping::HEAD_DOCUMENT));
    let registration = crate::extract::from_value::<HouseholdRegistration>("", body);
    let details = document
        .map(|d| crate::extract::from_value::<DocumentDetails>(mapping::HEAD_DOCUMENT, d))
        .transpose();
    let (registration, details) = match (registration, details) {
        (Ok(r), Ok(d)) => (r, d),
        (r, d) => {
            // Every problem at once: the registration's and the document's.
            let mut problems = Problems::new();
            for e in [r.err(), d.err()].into_iter().flatten() {
                match e {
                    ApiError::Invalid(v) => {
                        v.0.into_iter()
                            .for_each(|f| problems.add(f.field, f.message))
                    }
                    other => return Err(other),
                }
            }
            return Err(problems
                .finish(())
                .err()
                .map_or(ApiError::Unavailable, ApiError::Invalid));
        }
    };
    let document = match details {
        None => None,
        Some(details) => {
            let head = registration.head.clone().validated(today).ok();
            match details.validated(today, head.as_ref()) {
                Ok(valid) => Some(valid),
                Err(e) => {
                    let mut problems = Problems::new();
                    if let Err(r) = registration.validated(today) {
                        r.0.into_iter()
                            .for_each(|f| problems.add(f.field, f.message));
                    }
                    problems.nest(mapping::HEAD_DOCUMENT, e);
                    return Err(problems
                        .finish(())
                        .err()
                        .map_or(ApiError::Unavailable, ApiError::Invalid));
                }
            }
        }
    };
    let household = households::register(app, p, registration).await?;
    if let Some(valid) = document {
        app.store
            .add_document(p, household.head_person_id, valid)
            .await?;
    }
    Ok(household.meta.id)
}

/// Registers the draft read from submission `id` (which must be `received`, or
/// `accepted` by a reviewer) and records the outcome: registered, or in review with the
/// reasons. Answers the submission and, when refused, why.
pub async fn register(
    app: &AppState,
    p: &Principal,
    id: Uuid,
    draft: Value,
    registered: SubmissionStatus,
) -> Result<(Submission, Option<ApiError>), ApiError> {
    match household_of(app, p, &draft).await {
        Ok(household_id) => {
            let outcome = Outcome::Registered {
                household_id,
                status: registered,
            };
            Ok((app.store.settle_submission(p, id, outcome).await?, None))
        }
        Err(e) => {
            let Some((reasons, candidates)) = reasons_of(&e) else {
                return Err(e);
            };
            let outcome = Outcome::Review {
                draft: Some(draft),
                reasons,
                candidates,
            };
            Ok((app.store.settle_submission(p, id, outcome).await?, Some(e)))
        }
    }
}

/// `POST /submission`.
pub async fn submit(
    State(app): State<AppState>,
    Device(p): Device,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, OpenRosaError> {
    let multipart = multipart.map_err(|e| {
        bad(format!(
            "send the submission as multipart/form-data with a '{XML_PART}' part: {}",
            e.body_text()
        ))
    })?;
    let (text, attachments) = read_parts(multipart).await?;
    let (doc, header) = mapping::parse(&text).map_err(|e| bad(e.to_string()))?;
    let form = forms::find(&header.form_id).ok_or_else(|| {
        OpenRosaError::new(
            StatusCode::NOT_FOUND,
            format!("no form {}: download the forms again", header.form_id),
        )
    })?;
    if header.version != form.version {
        return Err(OpenRosaError::new(
            StatusCode::CONFLICT,
            format!(
                "form {} is at version {}, not {}: download the form again and fill it anew",
                form.id, form.version, header.version
            ),
        ));
    }
    let draft = mapping::registration(&doc);
    let new = NewSubmission {
        instance_id: header.instance_id,
        form_id: form.id.to_owned(),
        form_version: form.version.to_owned(),
        creates: form.creates,
        xml: text.clone(),
        draft: draft.clone(),
        attachments,
    };
    let (stored, fresh) = app.store.receive_submission(&p, new).await?;
    let message = if fresh {
        let (settled, _) =
            register(&app, &p, stored.id, draft, SubmissionStatus::Registered).await?;
        match settled.status {
            SubmissionStatus::Review => format!(
                "Received. It waits for a reviewer: {}",
                settled
                    .reasons
                    .iter()
                    .map(|r| format!("{}: {}", r.field, r.message))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            _ => "Received and registered.".to_owned(),
        }
    } else {
        format!(
            "Received before ({}); nothing stored twice.",
            stored.status.code()
        )
    };
    Ok(xml(StatusCode::CREATED, response_xml(&message)))
}
