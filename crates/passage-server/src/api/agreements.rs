//! Data-sharing agreements: `/api/v1/sharing-agreements`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use passage_domain::data_protection::agreement::{SharingAgreement, SharingAgreementDetails};

use super::created;
use crate::AppState;
use crate::auth::Caller;
use crate::extract::{Body, Id};
use crate::problem::{ApiError, Problem};

/// Record a data-sharing agreement: the caller's organisation (the provider) shares its
/// registrations with the recipient for a purpose, categories and fields, from `valid_from`
/// until `expires_at`. While it is in force the recipient sees the provider's records.
/// For the data-protection focal point.
#[utoipa::path(post, path = "/api/v1/sharing-agreements", tag = "data protection", request_body = SharingAgreementDetails,
    responses((status = 201, body = SharingAgreement), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<AppState>,
    Caller(p): Caller,
    Body(details): Body<SharingAgreementDetails>,
) -> Result<(StatusCode, HeaderMap, Json<SharingAgreement>), ApiError> {
    let valid = details.validated(app.clock.now())?;
    let agreement = app.store.create_agreement(&p, valid).await?;
    let (status, headers) = created(format!("/api/v1/sharing-agreements/{}", agreement.meta.id));
    Ok((status, headers, Json(agreement)))
}

/// The agreements the caller's organisation provides or receives, newest first.
#[utoipa::path(get, path = "/api/v1/sharing-agreements", tag = "data protection",
    responses((status = 200, body = Vec<SharingAgreement>), (status = 403, body = Problem)))]
pub async fn list(
    State(app): State<AppState>,
    Caller(p): Caller,
) -> Result<Json<Vec<SharingAgreement>>, ApiError> {
    Ok(Json(app.store.agreements(&p).await?))
}

/// End an agreement now: from this moment the recipient no longer sees the provider's
/// records. Either party's data-protection focal point may end it.
#[utoipa::path(post, path = "/api/v1/sharing-agreements/{id}/end", tag = "data protection", params(("id" = Uuid, Path)),
    responses((status = 200, body = SharingAgreement), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn end(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
) -> Result<Json<SharingAgreement>, ApiError> {
    Ok(Json(app.store.end_agreement(&p, id).await?))
}
