//! `POST /submission`: one `xml_submission_file` part and the attachments, stored as
//! received under the instance id, then made into what the form creates through the same
//! functions as the API (`settle`). What cannot be made waits in the review queue with its
//! reasons, and so does a submission from a user who may not create what the form creates;
//! the device is told it arrived.

use axum::extract::State;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::http::StatusCode;
use axum::response::Response;
use passage_domain::access::{Action, Resource};
use passage_store::{NewAttachment, NewSubmission, SubmissionStatus};

use super::{Device, OpenRosaError, forms, mapping, response_xml, screening, settle, xml};
use crate::AppState;

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
    let draft = match form.creates {
        Resource::Screening => screening::draft(&doc),
        _ => mapping::registration(&doc),
    };
    let new = NewSubmission {
        instance_id: header.instance_id,
        form_id: form.id.to_owned(),
        form_version: form.version.to_owned(),
        creates: form.creates,
        xml: text.clone(),
        draft: draft.clone(),
        attachments,
    };
    if p.require(Action::Create, form.creates).is_err() {
        let receipt = app.store.hold_submission(&p, new).await?;
        let message = if receipt.fresh {
            format!(
                "Received. It waits for a reviewer: you may not create {}s yourself.",
                form.creates.code()
            )
        } else {
            format!(
                "Received before ({}); nothing stored twice.",
                receipt.status.code()
            )
        };
        return Ok(xml(StatusCode::CREATED, response_xml(&message)));
    }
    let (stored, fresh) = app.store.receive_submission(&p, new).await?;
    let message = if fresh {
        let (settled, _) =
            settle::settle(&app, &p, &stored, draft, SubmissionStatus::Registered).await?;
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
            _ => format!("Received and {}.", made(form.creates)),
        }
    } else {
        format!(
            "Received before ({}); nothing stored twice.",
            stored.status.code()
        )
    };
    Ok(xml(StatusCode::CREATED, response_xml(&message)))
}

/// What the device is told became of a submission that needed no review.
fn made(creates: Resource) -> &'static str {
    match creates {
        Resource::Screening => "screened",
        _ => "registered",
    }
}
