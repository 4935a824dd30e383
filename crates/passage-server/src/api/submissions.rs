//! `/api/v1/submissions`: the review queue of field submissions (ODK Collect, KoboCollect,
//! Enketo) that could not be made into what their form creates as they came: invalid, a
//! likely duplicate, a person nobody can find, or sent by someone who may not create it.
//! A reviewer (someone who may create it) reads the XML as received, the reasons and the
//! candidates, then accepts it (corrected, or declared not a duplicate) or rejects it with
//! a reason.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use passage_domain::access::Resource;
use passage_domain::document::DocumentDetails;
use passage_domain::error::Problems;
use passage_domain::household::HouseholdRegistration;
use passage_domain::protection::records::Screening;
use passage_domain::record::Household;
use passage_store::{Submission, SubmissionStatus};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::DEFAULT_LIMIT;
use crate::AppState;
use crate::auth::Caller;
use crate::extract::{Body, Id, Query};
use crate::openrosa::screening::FieldScreening;
use crate::openrosa::{mapping, settle};
use crate::problem::{ApiError, Problem};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubmissionQuery {
    /// `waiting` (the default: received or in review) or `all`.
    pub status: Option<String>,
    /// At most this many items; larger values are reduced to the page size.
    #[param(value_type = Option<u64>, maximum = 4_294_967_295.0)]
    pub limit: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionList {
    pub items: Vec<Submission>,
}

/// A submission with its XML exactly as the device sent it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionDetail {
    #[serde(flatten)]
    pub submission: Submission,
    pub xml: String,
}

/// A reviewer's acceptance of a waiting submission: what its form creates is made from
/// the draft, or from the correction sent for its kind (`registration` and
/// `head_document` for a registration form, `screening` for the screening form).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Accept {
    /// The version of the submission read.
    pub version: i64,
    /// What the reviewer checked or corrected.
    pub reason: String,
    /// The registration as corrected (the submission's `draft` with the fields named in
    /// its reasons fixed; `not_duplicates` for candidates that are other people). When
    /// left out, the draft as it is.
    pub registration: Option<HouseholdRegistration>,
    /// The head's identity document as corrected; when left out with `registration`
    /// given, the draft's.
    pub head_document: Option<DocumentDetails>,
    /// The screening as corrected (the draft with the registration number or the answers
    /// named in its reasons fixed). When left out, the draft as it is.
    pub screening: Option<FieldScreening>,
}

/// A reviewer's refusal of a waiting submission.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reject {
    pub version: i64,
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Accepted {
    pub submission: Submission,
    /// The household registered, for a registration form.
    pub household: Option<Household>,
    /// The screening recorded, for the screening form.
    pub screening: Option<Screening>,
}

fn reason(text: &str) -> Result<String, ApiError> {
    let mut problems = Problems::new();
    let r = passage_domain::duplicates::validated_reason(&mut problems, "reason", text);
    Ok(problems.finish(r)?)
}

/// The submissions of the caller's organisation, newest first: by default those waiting
/// for review.
#[utoipa::path(get, path = "/api/v1/submissions", tag = "field collection", params(SubmissionQuery),
    responses((status = 200, body = SubmissionList), (status = 400, body = Problem)))]
pub async fn list(
    State(app): State<AppState>,
    Caller(p): Caller,
    Query(q): Query<SubmissionQuery>,
) -> Result<Json<SubmissionList>, ApiError> {
    let waiting = match q.status.as_deref() {
        None | Some("waiting") => true,
        Some("all") => false,
        Some(other) => {
            return Err(ApiError::invalid(
                "status",
                format!("'{other}' is neither waiting nor all"),
            ));
        }
    };
    let items = app
        .store
        .submissions(&p, waiting, q.limit.unwrap_or(DEFAULT_LIMIT))
        .await?;
    Ok(Json(SubmissionList { items }))
}

/// One submission: the XML as received, what was read from it, why it waits, the
/// candidates.
#[utoipa::path(get, path = "/api/v1/submissions/{id}", tag = "field collection", params(("id" = Uuid, Path)),
    responses((status = 200, body = SubmissionDetail), (status = 404, body = Problem)))]
pub async fn read(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
) -> Result<Json<SubmissionDetail>, ApiError> {
    let (submission, xml) = app
        .store
        .submission(&p, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("submission {id}")))?;
    Ok(Json(SubmissionDetail { submission, xml }))
}

/// One attachment of a submission (a photo, a signature), exactly as the device sent it.
#[utoipa::path(get, path = "/api/v1/submissions/{id}/attachments/{name}", tag = "field collection",
    params(("id" = Uuid, Path), ("name" = String, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 404, body = Problem)))]
pub async fn attachment(
    State(app): State<AppState>,
    Caller(p): Caller,
    Path((id, name)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let id = Uuid::parse_str(&id)
        .map_err(|_| ApiError::invalid("id", format!("'{id}' is not a UUID")))?;
    let (content_type, bytes) = app
        .store
        .submission_attachment(&p, id, &name)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("attachment {name} of submission {id}")))?;
    let content_type = HeaderValue::from_str(&content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let mut r = bytes.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, content_type);
    r.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment"),
    );
    Ok(r)
}

/// The draft a reviewer's acceptance makes the record from: the correction sent for the
/// submission's kind, or the draft read from the XML.
fn corrected(current: &Submission, body: Accept) -> Result<serde_json::Value, ApiError> {
    let not_for = |field: &str| {
        ApiError::invalid(
            field,
            format!(
                "this submission creates a {}: send no {field}",
                current.creates.code()
            ),
        )
    };
    let read = || {
        current.draft.clone().ok_or_else(|| {
            ApiError::invalid(
                "draft",
                "nothing could be read from this submission: send the correction",
            )
        })
    };
    if current.creates == Resource::Screening {
        if body.registration.is_some() {
            return Err(not_for("registration"));
        }
        if body.head_document.is_some() {
            return Err(not_for("head_document"));
        }
        return match body.screening {
            Some(s) => serde_json::to_value(s).map_err(|_| ApiError::Unavailable),
            None => read(),
        };
    }
    if body.screening.is_some() {
        return Err(not_for("screening"));
    }
    let read_document = current
        .draft
        .as_ref()
        .and_then(|d| d.get(mapping::HEAD_DOCUMENT))
        .cloned();
    let mut draft = match body.registration {
        Some(r) => serde_json::to_value(r).map_err(|_| ApiError::Unavailable)?,
        None => read()?,
    };
    let document = match body.head_document {
        Some(d) => Some(serde_json::to_value(d).map_err(|_| ApiError::Unavailable)?),
        None => read_document,
    };
    if let (Some(d), Some(o)) = (document, draft.as_object_mut()) {
        o.insert(mapping::HEAD_DOCUMENT.to_owned(), d);
    }
    Ok(draft)
}

/// Accept a waiting submission, as corrected: a registration through the same validation
/// and duplicate guard as `POST /api/v1/households`, a screening through the same check
/// as `POST /api/v1/persons/{id}/screenings`, as the reviewer. Refused again, it stays in
/// review with the new reasons and the answer says why.
#[utoipa::path(post, path = "/api/v1/submissions/{id}/accept", tag = "field collection", params(("id" = Uuid, Path)),
    request_body = Accept,
    responses((status = 200, body = Accepted), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn accept(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
    Body(body): Body<Accept>,
) -> Result<Json<Accepted>, ApiError> {
    let why = reason(&body.reason)?;
    let (current, _) = app
        .store
        .submission(&p, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("submission {id}")))?;
    let version = body.version;
    let draft = corrected(&current, body)?;
    let decided = app
        .store
        .decide_submission(&p, id, version, why, false)
        .await?;
    let (settled, refused) =
        settle::settle(&app, &p, &decided, draft, SubmissionStatus::Accepted).await?;
    if let Some(e) = refused {
        return Err(e);
    }
    let household = match settled.household_id {
        Some(h) => app.store.household(&p, h).await?,
        None => None,
    };
    let screening = match settled.screening_id {
        Some(s) => app.store.screening(&p, s).await?,
        None => None,
    };
    Ok(Json(Accepted {
        submission: settled,
        household,
        screening,
    }))
}

/// Refuse a waiting submission, with the reason. It is kept, with its XML.
#[utoipa::path(post, path = "/api/v1/submissions/{id}/reject", tag = "field collection", params(("id" = Uuid, Path)),
    request_body = Reject,
    responses((status = 200, body = Submission), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn reject(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
    Body(body): Body<Reject>,
) -> Result<Json<Submission>, ApiError> {
    let why = reason(&body.reason)?;
    Ok(Json(
        app.store
            .decide_submission(&p, id, body.version, why, true)
            .await?,
    ))
}
