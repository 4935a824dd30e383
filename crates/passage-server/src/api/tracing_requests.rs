//! Tracing: a family's request to find a missing relative, matched by the matching engine
//! against registrations, other families' requests and incidents. The candidates go to a
//! caseworker, never to the requester; the caseworker records the outcome.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use passage_domain::care::records::TracingRequest;
use passage_domain::care::tracing::{TracingOutcome, TracingRequestDetails, TracingStatus};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::created;
use crate::AppState;
use crate::auth::Caller;
use crate::extract::{Body, Id};
use crate::problem::{ApiError, Problem};

/// File a tracing request. The answer lists what the matching engine found, for the
/// caseworker; the requester is told only what the caseworker decides to tell.
#[utoipa::path(post, path = "/api/v1/tracing-requests", tag = "care", request_body = TracingRequestDetails,
    responses((status = 201, body = TracingRequest), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<AppState>,
    Caller(p): Caller,
    Body(d): Body<TracingRequestDetails>,
) -> Result<(StatusCode, HeaderMap, Json<TracingRequest>), ApiError> {
    let d = d.validated(app.clock.today())?;
    let matches = crate::tracing_match::candidates(&app.store, &app.matcher, &p, &d).await?;
    let request = app.store.file_tracing_request(&p, d, matches).await?;
    let (status, headers) = created(format!("/api/v1/tracing-requests/{}", request.meta.id));
    Ok((status, headers, Json(request)))
}

#[utoipa::path(get, path = "/api/v1/tracing-requests", tag = "care",
    responses((status = 200, body = Vec<TracingRequest>), (status = 403, body = Problem)))]
pub async fn list(
    State(app): State<AppState>,
    Caller(p): Caller,
) -> Result<Json<Vec<TracingRequest>>, ApiError> {
    Ok(Json(app.store.tracing_requests(&p, 500).await?))
}

#[utoipa::path(get, path = "/api/v1/tracing-requests/{id}", tag = "care", params(("id" = Uuid, Path)),
    responses((status = 200, body = TracingRequest), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn read(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
) -> Result<Json<TracingRequest>, ApiError> {
    app.store
        .tracing_request(&p, id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("tracing request {id}")))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeRequest {
    pub version: i64,
    pub status: TracingStatus,
    /// What was found or why the search stopped.
    pub reason: String,
    /// The registered person found; required when found alive or reunited.
    pub found_person_id: Option<Uuid>,
}

/// Record the outcome: found alive, found deceased, reunited (which links the two
/// households), or closed.
#[utoipa::path(post, path = "/api/v1/tracing-requests/{id}/outcome", tag = "care", params(("id" = Uuid, Path)), request_body = OutcomeRequest,
    responses((status = 200, body = TracingRequest), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn outcome(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
    Body(o): Body<OutcomeRequest>,
) -> Result<Json<TracingRequest>, ApiError> {
    let outcome = TracingOutcome {
        status: o.status,
        reason: o.reason,
        found_person_id: o.found_person_id,
    }
    .validated()?;
    Ok(Json(
        app.store
            .close_tracing_request(&p, id, o.version, outcome)
            .await?,
    ))
}
