//! Incidents on the routes, exported under the Missing Migrants Project column names, and
//! anonymous flow counts at monitoring points.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use passage_domain::care::flow::FlowObservation;
use passage_domain::care::incident::{IncidentDetails, MMP_COLUMNS, mmp_row};
use passage_domain::care::records::{FlowRecord, Incident};
use serde::Deserialize;
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::csv_out::csv;
use super::{DEFAULT_LIMIT, created};
use crate::AppState;
use crate::auth::Caller;
use crate::extract::{Body, Id, Query};
use crate::problem::{ApiError, Problem};

/// Record a rescue, shipwreck, death or disappearance: dead and missing as separate
/// minimum counts, survivors by sex and children, cause, source and its quality. Arrivals
/// name the incident that produced them (`incident_id`).
#[utoipa::path(post, path = "/api/v1/incidents", tag = "care", request_body = IncidentDetails,
    responses((status = 201, body = Incident), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<AppState>,
    Caller(p): Caller,
    Body(d): Body<IncidentDetails>,
) -> Result<(StatusCode, HeaderMap, Json<Incident>), ApiError> {
    let incident = app
        .store
        .create_incident(&p, d.validated(app.clock.today())?)
        .await?;
    let (status, headers) = created(format!("/api/v1/incidents/{}", incident.meta.id));
    Ok((status, headers, Json(incident)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IncidentChange {
    pub version: i64,
    pub details: IncidentDetails,
}

/// Correct an incident as counts become known.
#[utoipa::path(patch, path = "/api/v1/incidents/{id}", tag = "care", params(("id" = Uuid, Path)), request_body = IncidentChange,
    responses((status = 200, body = Incident), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
    Body(c): Body<IncidentChange>,
) -> Result<Json<Incident>, ApiError> {
    let details = c.details.validated(app.clock.today())?;
    Ok(Json(
        app.store
            .update_incident(&p, id, c.version, details)
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/incidents/{id}", tag = "care", params(("id" = Uuid, Path)),
    responses((status = 200, body = Incident), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn read(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
) -> Result<Json<Incident>, ApiError> {
    app.store
        .incident(&p, id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("incident {id}")))
}

#[utoipa::path(get, path = "/api/v1/incidents", tag = "care",
    responses((status = 200, body = Vec<Incident>), (status = 403, body = Problem)))]
pub async fn list(
    State(app): State<AppState>,
    Caller(p): Caller,
) -> Result<Json<Vec<Incident>>, ApiError> {
    Ok(Json(app.store.incidents(&p, 10_000).await?))
}

/// Every incident as CSV under the Missing Migrants Project column names.
#[utoipa::path(get, path = "/api/v1/incidents.csv", tag = "care",
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = Problem)))]
pub async fn export(State(app): State<AppState>, Caller(p): Caller) -> Result<Response, ApiError> {
    let incidents = app.store.incidents(&p, 10_000).await?;
    let rows = incidents
        .iter()
        .map(|i| mmp_row(i.meta.id, &i.details))
        .collect();
    csv("incidents-mmp.csv", &MMP_COLUMNS, rows)
}

/// Record an anonymous count of a group passing a monitoring point: direction, origin,
/// destinations, nationalities, transport, counts by sex and age. Never names anyone.
#[utoipa::path(post, path = "/api/v1/flow-observations", tag = "care", request_body = FlowObservation,
    responses((status = 201, body = FlowRecord), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn record_flow(
    State(app): State<AppState>,
    Caller(p): Caller,
    Body(o): Body<FlowObservation>,
) -> Result<(StatusCode, HeaderMap, Json<FlowRecord>), ApiError> {
    let record = app
        .store
        .record_flow(&p, o.validated(app.clock.now())?)
        .await?;
    let (status, headers) = created(format!(
        "/api/v1/flow-observations?site_id={}",
        record.observation.site_id
    ));
    Ok((status, headers, Json(record)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FlowQuery {
    pub site_id: Option<Uuid>,
    #[param(value_type = Option<String>, format = DateTime)]
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub from: Option<OffsetDateTime>,
    #[param(value_type = Option<String>, format = DateTime)]
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub to: Option<OffsetDateTime>,
    /// At most this many items; larger values are reduced to the page size.
    #[param(value_type = Option<u64>, maximum = 4_294_967_295.0)]
    pub limit: Option<u32>,
}

#[utoipa::path(get, path = "/api/v1/flow-observations", tag = "care", params(FlowQuery),
    responses((status = 200, body = Vec<FlowRecord>), (status = 403, body = Problem)))]
pub async fn flows(
    State(app): State<AppState>,
    Caller(p): Caller,
    Query(q): Query<FlowQuery>,
) -> Result<Json<Vec<FlowRecord>>, ApiError> {
    Ok(Json(
        app.store
            .flows(
                &p,
                q.site_id,
                q.from,
                q.to,
                q.limit.unwrap_or(DEFAULT_LIMIT),
            )
            .await?,
    ))
}
