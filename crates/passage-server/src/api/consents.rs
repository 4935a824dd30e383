//! Consent per recipient: `/api/v1/persons/{id}/consents` and
//! `/api/v1/consents/{id}/withdraw`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use passage_domain::data_protection::{Consent, ConsentDetails};

use super::created;
use crate::AppState;
use crate::auth::Caller;
use crate::extract::{Body, Id};
use crate::problem::{ApiError, Problem};

/// Record that the person consented to their data going to a recipient, for a scope
/// (SGBV, trafficking or tracing referrals, or other).
#[utoipa::path(post, path = "/api/v1/persons/{id}/consents", tag = "data protection", params(("id" = Uuid, Path)),
    request_body = ConsentDetails,
    responses((status = 201, body = Consent), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(person_id): Id,
    Body(details): Body<ConsentDetails>,
) -> Result<(StatusCode, HeaderMap, Json<Consent>), ApiError> {
    let valid = details.validated(app.clock.now())?;
    let consent = app.store.record_consent(&p, person_id, valid).await?;
    let (status, headers) = created(format!("/api/v1/persons/{person_id}/consents"));
    Ok((status, headers, Json(consent)))
}

/// The person's consents, given and withdrawn, oldest first.
#[utoipa::path(get, path = "/api/v1/persons/{id}/consents", tag = "data protection", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<Consent>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(person_id): Id,
) -> Result<Json<Vec<Consent>>, ApiError> {
    app.store
        .consents(&p, person_id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("person {person_id}")))
}

/// Record that the person withdrew a consent, now. The consent is kept, marked withdrawn.
#[utoipa::path(post, path = "/api/v1/consents/{id}/withdraw", tag = "data protection", params(("id" = Uuid, Path)),
    responses((status = 200, body = Consent), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn withdraw(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
) -> Result<Json<Consent>, ApiError> {
    Ok(Json(app.store.withdraw_consent(&p, id).await?))
}
