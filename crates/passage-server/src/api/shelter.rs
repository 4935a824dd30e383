//! Shelter: units of a site, occupancy derived from stays, the allocation proposal for an
//! arrival, admissions, transfers and departures.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use passage_domain::care::records::{
    Admissions, AllocationProposal, DailyOccupancy, ShelterUnit, SiteOccupancy, Stay, StayChange,
};
use passage_domain::care::shelter::ShelterUnitDetails;
use serde::Deserialize;
use time::Date;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::created;
use crate::AppState;
use crate::auth::Caller;
use crate::extract::{Body, Id, Query};
use crate::problem::{ApiError, Problem};

/// The default capacity warning: a unit or site this full or more.
pub const WARNING_PERCENT: u32 = 90;

/// Record a shelter unit of a site (family tent, communal hall, child-friendly space,
/// women's safe space, medical isolation) with its beds.
#[utoipa::path(post, path = "/api/v1/shelter-units", tag = "care", request_body = ShelterUnitDetails,
    responses((status = 201, body = ShelterUnit), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_unit(
    State(app): State<AppState>,
    Caller(p): Caller,
    Body(details): Body<ShelterUnitDetails>,
) -> Result<(StatusCode, HeaderMap, Json<ShelterUnit>), ApiError> {
    let unit = app.store.create_unit(&p, details.validated()?).await?;
    let (status, headers) = created(format!("/api/v1/sites/{}/units", unit.details.site_id));
    Ok((status, headers, Json(unit)))
}

/// A change to a unit: the version read and the unit's new details.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitChange {
    pub version: i64,
    pub details: ShelterUnitDetails,
}

/// Change a unit's beds or name, or close it.
#[utoipa::path(patch, path = "/api/v1/shelter-units/{id}", tag = "care", params(("id" = Uuid, Path)), request_body = UnitChange,
    responses((status = 200, body = ShelterUnit), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_unit(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
    Body(change): Body<UnitChange>,
) -> Result<Json<ShelterUnit>, ApiError> {
    let details = change.details.validated()?;
    Ok(Json(
        app.store
            .update_unit(&p, id, change.version, details)
            .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/sites/{id}/units", tag = "care", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<ShelterUnit>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn units(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(site): Id,
) -> Result<Json<Vec<ShelterUnit>>, ApiError> {
    Ok(Json(app.store.units(&p, site).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OccupancyQuery {
    /// Warn at this percentage full or more (default 90).
    pub threshold: Option<u32>,
}

/// Occupancy now per unit and unit type, from the open stays, with capacity warnings.
#[utoipa::path(get, path = "/api/v1/sites/{id}/occupancy", tag = "care", params(("id" = Uuid, Path), OccupancyQuery),
    responses((status = 200, body = SiteOccupancy), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn occupancy(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(site): Id,
    Query(q): Query<OccupancyQuery>,
) -> Result<Json<SiteOccupancy>, ApiError> {
    let threshold = q.threshold.unwrap_or(WARNING_PERCENT);
    if !(1..=1000).contains(&threshold) {
        return Err(ApiError::invalid(
            "threshold",
            "must be a percentage between 1 and 1000",
        ));
    }
    Ok(Json(app.store.occupancy(&p, site, threshold).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DayQuery {
    /// The day, YYYY-MM-DD (UTC); today when left out.
    #[param(value_type = Option<String>, format = Date)]
    pub date: Option<Date>,
}

/// The daily occupancy report: staying at the end of the day, per unit type, with the
/// admissions and departures of the day.
#[utoipa::path(get, path = "/api/v1/sites/{id}/occupancy/daily", tag = "care", params(("id" = Uuid, Path), DayQuery),
    responses((status = 200, body = DailyOccupancy), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn daily(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(site): Id,
    Query(q): Query<DayQuery>,
) -> Result<Json<DailyOccupancy>, ApiError> {
    let date = q.date.unwrap_or(app.clock.today());
    Ok(Json(app.store.daily_occupancy(&p, site, date).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProposalQuery {
    pub arrival_id: Uuid,
}

/// The allocation proposal for the people of an arrival not sheltered yet: households kept
/// together, unaccompanied children only in child-friendly space, women travelling alone
/// only in women's safe space, and why for everyone it could not place. Writes nothing.
#[utoipa::path(get, path = "/api/v1/sites/{id}/allocation-proposal", tag = "care", params(("id" = Uuid, Path), ProposalQuery),
    responses((status = 200, body = AllocationProposal), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn proposal(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(site): Id,
    Query(q): Query<ProposalQuery>,
) -> Result<Json<AllocationProposal>, ApiError> {
    Ok(Json(
        app.store
            .allocation_proposal(&p, site, q.arrival_id)
            .await?,
    ))
}

/// Admit people to units, all or nothing (for example the placements of a proposal). A
/// full unit refuses unless a site manager gives `override_reason`.
#[utoipa::path(post, path = "/api/v1/stays", tag = "care", request_body = Admissions,
    responses((status = 201, body = Vec<Stay>), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn admit(
    State(app): State<AppState>,
    Caller(p): Caller,
    Body(admissions): Body<Admissions>,
) -> Result<(StatusCode, HeaderMap, Json<Vec<Stay>>), ApiError> {
    if admissions.placements.is_empty() {
        return Err(ApiError::invalid("placements", "admit at least one person"));
    }
    let stays = app.store.admit(&p, admissions).await?;
    let (status, headers) = created("/api/v1/stays".into());
    Ok((status, headers, Json(stays)))
}

/// End a stay (departure), or move the person to another unit (transfer, with
/// `to_unit_id`), with a reason.
#[utoipa::path(post, path = "/api/v1/stays/{id}/change", tag = "care", params(("id" = Uuid, Path)), request_body = StayChange,
    responses((status = 200, body = Stay), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn change(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
    Body(c): Body<StayChange>,
) -> Result<Json<Stay>, ApiError> {
    Ok(Json(app.store.change_stay(&p, id, c).await?))
}

/// Where the person has stayed, oldest first.
#[utoipa::path(get, path = "/api/v1/persons/{id}/stays", tag = "care", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<Stay>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn of_person(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(person): Id,
) -> Result<Json<Vec<Stay>>, ApiError> {
    app.store
        .stays_of(&p, person)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("person {person}")))
}
