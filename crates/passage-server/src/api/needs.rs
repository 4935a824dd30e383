//! Specific needs of a person in the standard `CAT-SUB` codes.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use passage_domain::protection::needs::{CloseNeed, NewNeed, SpecificNeed};

use super::created;
use crate::AppState;
use crate::auth::Caller;
use crate::extract::{Body, Id};
use crate::problem::{ApiError, Problem};

/// Record a specific need by hand; the code must be in the code list in force. A
/// refoulement-risk code (LP-RR, LP-TR, LP-RD, LP-TD) holds every return of the person.
#[utoipa::path(post, path = "/api/v1/persons/{id}/needs", tag = "protection", params(("id" = Uuid, Path)),
    request_body = NewNeed,
    responses((status = 201, body = SpecificNeed), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(person_id): Id,
    Body(need): Body<NewNeed>,
) -> Result<(StatusCode, HeaderMap, Json<SpecificNeed>), ApiError> {
    let need = need.validated(app.clock.now().date())?;
    let created_need = app.store.record_need(&p, person_id, need).await?;
    let (status, headers) = created(format!("/api/v1/persons/{person_id}/needs"));
    Ok((status, headers, Json(created_need)))
}

/// The person's specific needs, active and closed.
#[utoipa::path(get, path = "/api/v1/persons/{id}/needs", tag = "protection", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<SpecificNeed>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(person_id): Id,
) -> Result<Json<Vec<SpecificNeed>>, ApiError> {
    app.store
        .needs(&p, person_id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("person {person_id}")))
}

/// Close a need that no longer applies, with a reason; the record stays.
#[utoipa::path(post, path = "/api/v1/needs/{id}/close", tag = "protection", params(("id" = Uuid, Path)),
    request_body = CloseNeed,
    responses((status = 200, body = SpecificNeed), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn close(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
    Body(close): Body<CloseNeed>,
) -> Result<Json<SpecificNeed>, ApiError> {
    Ok(Json(app.store.close_need(&p, id, close).await?))
}
