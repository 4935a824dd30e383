//! Documents: `/api/v1/persons/{id}/documents`, `/api/v1/documents`, and MRZ verification.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use passage_domain::document::{DocumentDetails, MrzVerification, verify_mrz};
use passage_domain::record::Document;
use passage_store::{DocumentFilter, Page};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{DEFAULT_LIMIT, Patch, created, patched, prefixed};
use crate::AppState;
use crate::auth::Caller;
use crate::extract::{Body, Id, Query};
use crate::problem::{ApiError, Problem};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentQuery {
    pub person_id: Option<Uuid>,
    pub number: Option<String>,
    pub cursor: Option<String>,
    /// At most this many items; larger values are reduced to the page size.
    #[param(value_type = Option<u64>, maximum = 4_294_967_295.0)]
    pub limit: Option<u32>,
}

/// An MRZ to check, and optionally the person whose declaration it is compared with.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MrzCheck {
    pub mrz: String,
    pub person_id: Option<Uuid>,
}

/// Record a document for a person. An MRZ is read and its check digits verified; the
/// answer lists where it disagrees with what the person declared.
#[utoipa::path(post, path = "/api/v1/persons/{id}/documents", tag = "documents", params(("id" = Uuid, Path)), request_body = DocumentDetails,
    responses((status = 201, body = Document), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(person_id): Id,
    Body(details): Body<DocumentDetails>,
) -> Result<(StatusCode, HeaderMap, Json<Document>), ApiError> {
    let person = app
        .store
        .person(&p, person_id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("person {person_id}")))?;
    let valid = details.validated(app.clock.today(), Some(&person.details))?;
    let document = app.store.add_document(&p, person_id, valid).await?;
    let (status, headers) = created(format!("/api/v1/documents/{}", document.meta.id));
    Ok((status, headers, Json(document)))
}

/// Read a document.
#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "documents", params(("id" = Uuid, Path)),
    responses((status = 200, body = Document), (status = 404, body = Problem)))]
pub async fn read(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
) -> Result<Json<Document>, ApiError> {
    app.store
        .document(&p, id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("document {id}")))
}

/// Change a document; its MRZ is verified again.
#[utoipa::path(patch, path = "/api/v1/documents/{id}", tag = "documents", params(("id" = Uuid, Path)), request_body = Patch,
    responses((status = 200, body = Document), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
    Body(patch): Body<Patch>,
) -> Result<Json<Document>, ApiError> {
    let current = app
        .store
        .document(&p, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("document {id}")))?;
    let person = app.store.person(&p, current.person_id).await?;
    let details: DocumentDetails = patched(&current.details, patch.details.as_ref())?;
    let valid = details
        .validated(app.clock.today(), person.as_ref().map(|x| &x.details))
        .map_err(|e| prefixed("details", e))?;
    Ok(Json(
        app.store
            .update_document(&p, id, patch.version, valid)
            .await?,
    ))
}

/// List documents, by person or by number.
#[utoipa::path(get, path = "/api/v1/documents", tag = "documents", params(DocumentQuery),
    responses((status = 200, body = Page<Document>), (status = 400, body = Problem)))]
pub async fn list(
    State(app): State<AppState>,
    Caller(p): Caller,
    Query(q): Query<DocumentQuery>,
) -> Result<Json<Page<Document>>, ApiError> {
    let filter = DocumentFilter {
        person_id: q.person_id,
        number: q.number,
    };
    let page = app
        .store
        .documents(
            &p,
            &filter,
            q.cursor.as_deref(),
            q.limit.unwrap_or(DEFAULT_LIMIT),
        )
        .await?;
    Ok(Json(page))
}

/// Read an MRZ and verify its check digits without saving anything.
#[utoipa::path(post, path = "/api/v1/mrz/verify", tag = "documents", request_body = MrzCheck,
    responses((status = 200, body = MrzVerification), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn verify(
    State(app): State<AppState>,
    Caller(p): Caller,
    Body(check): Body<MrzCheck>,
) -> Result<Json<MrzVerification>, ApiError> {
    let person = match check.person_id {
        Some(id) => Some(
            app.store
                .person(&p, id)
                .await?
                .ok_or_else(|| ApiError::not_found(format!("person {id}")))?,
        ),
        None => None,
    };
    let (_, verification) = verify_mrz(
        &check.mrz,
        app.clock.today(),
        person.as_ref().map(|x| &x.details),
    )
    .map_err(|e| ApiError::invalid("mrz", e.to_string()))?;
    Ok(Json(verification))
}
