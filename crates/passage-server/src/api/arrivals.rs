//! `/api/v1/arrivals`

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use passage_domain::arrival::{ArrivalDetails, ArrivalMode};
use passage_domain::record::Arrival;
use passage_store::{ArrivalFilter, Page};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use super::{DEFAULT_LIMIT, Patch, created, patched, prefixed};
use crate::AppState;
use crate::auth::Caller;
use crate::extract::{Body, Id, Query};
use crate::problem::{ApiError, Problem};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ArrivalQuery {
    pub site_id: Option<Uuid>,
    pub mode: Option<ArrivalMode>,
    pub cursor: Option<String>,
    /// At most this many items; larger values are reduced to the page size.
    #[param(value_type = Option<u64>, maximum = 4_294_967_295.0)]
    pub limit: Option<u32>,
}

/// Record an arrival: a landing, a crossing, a convoy.
#[utoipa::path(post, path = "/api/v1/arrivals", tag = "arrivals", request_body = ArrivalDetails,
    responses((status = 201, body = Arrival), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<AppState>,
    Caller(p): Caller,
    Body(details): Body<ArrivalDetails>,
) -> Result<(StatusCode, HeaderMap, Json<Arrival>), ApiError> {
    let now = app.clock.now();
    let arrival = app
        .store
        .create_arrival(&p, details.validated(now)?)
        .await?;
    let (status, headers) = created(format!("/api/v1/arrivals/{}", arrival.meta.id));
    Ok((status, headers, Json(arrival)))
}

/// Read an arrival.
#[utoipa::path(get, path = "/api/v1/arrivals/{id}", tag = "arrivals", params(("id" = Uuid, Path)),
    responses((status = 200, body = Arrival), (status = 404, body = Problem)))]
pub async fn read(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
) -> Result<Json<Arrival>, ApiError> {
    app.store
        .arrival(&p, id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("arrival {id}")))
}

/// Change an arrival. Send the version you read.
#[utoipa::path(patch, path = "/api/v1/arrivals/{id}", tag = "arrivals", params(("id" = Uuid, Path)), request_body = Patch,
    responses((status = 200, body = Arrival), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
    Body(patch): Body<Patch>,
) -> Result<Json<Arrival>, ApiError> {
    let current = app
        .store
        .arrival(&p, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("arrival {id}")))?;
    let details: ArrivalDetails = patched(&current.details, patch.details.as_ref())?;
    let now = app.clock.now();
    let details = details.validated(now).map_err(|e| prefixed("details", e))?;
    Ok(Json(
        app.store
            .update_arrival(&p, id, patch.version, details)
            .await?,
    ))
}

/// List arrivals, oldest record first.
#[utoipa::path(get, path = "/api/v1/arrivals", tag = "arrivals", params(ArrivalQuery),
    responses((status = 200, body = Page<Arrival>), (status = 400, body = Problem)))]
pub async fn list(
    State(app): State<AppState>,
    Caller(p): Caller,
    Query(q): Query<ArrivalQuery>,
) -> Result<Json<Page<Arrival>>, ApiError> {
    let filter = ArrivalFilter {
        site_id: q.site_id,
        mode: q.mode,
    };
    let page = app
        .store
        .arrivals(
            &p,
            &filter,
            q.cursor.as_deref(),
            q.limit.unwrap_or(DEFAULT_LIMIT),
        )
        .await?;
    Ok(Json(page))
}
