//! Referrals between organisations, the overdue queue, and what an accepted referral
//! shares with the receiving organisation.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use passage_domain::protection::referral::{NewReferral, Referral, ReferralStatus, ReferralStep};
use passage_domain::protection::shared::SharedPerson;
use passage_store::ReferralFilter;
use serde::Deserialize;
use utoipa::IntoParams;

use super::{DEFAULT_LIMIT, created};
use crate::AppState;
use crate::auth::Caller;
use crate::extract::{Body, Id, Query};
use crate::problem::{ApiError, Problem};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReferralQuery {
    pub status: Option<ReferralStatus>,
    /// Only open referrals past their due time.
    pub overdue: Option<bool>,
    /// Only referrals sent to the caller's organisation.
    pub incoming: Option<bool>,
    /// At most this many items; larger values are reduced to the page size.
    #[param(value_type = Option<u64>, maximum = 4_294_967_295.0)]
    pub limit: Option<u32>,
}

/// Refer a person to a service by hand. It starts proposed; due by urgency (24, 72 or 336
/// hours) unless `due_within_hours` says otherwise.
#[utoipa::path(post, path = "/api/v1/persons/{id}/referrals", tag = "protection", params(("id" = Uuid, Path)),
    request_body = NewReferral,
    responses((status = 201, body = Referral), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(person_id): Id,
    Body(new): Body<NewReferral>,
) -> Result<(StatusCode, HeaderMap, Json<Referral>), ApiError> {
    let new = new.validated()?;
    let referral = app.store.create_referral(&p, person_id, new).await?;
    let (status, headers) = created(format!("/api/v1/referrals/{}", referral.meta.id));
    Ok((status, headers, Json(referral)))
}

/// The person's referrals, oldest first.
#[utoipa::path(get, path = "/api/v1/persons/{id}/referrals", tag = "protection", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<Referral>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn of_person(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(person_id): Id,
) -> Result<Json<Vec<Referral>>, ApiError> {
    app.store
        .referrals_of(&p, person_id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("person {person_id}")))
}

/// Referrals the caller's organisation made or received, earliest due first;
/// `overdue=true` gives the overdue queue. A referral received and not accepted (or whose
/// consent is no longer in force) comes without the person's id, the reason or the
/// screening: what a decision needs, never who the person is.
#[utoipa::path(get, path = "/api/v1/referrals", tag = "protection", params(ReferralQuery),
    responses((status = 200, body = Vec<Referral>), (status = 403, body = Problem)))]
pub async fn list(
    State(app): State<AppState>,
    Caller(p): Caller,
    Query(q): Query<ReferralQuery>,
) -> Result<Json<Vec<Referral>>, ApiError> {
    let filter = ReferralFilter {
        status: q.status,
        overdue: q.overdue.unwrap_or(false),
        incoming: q.incoming.unwrap_or(false),
        limit: q.limit.unwrap_or(DEFAULT_LIMIT),
    };
    Ok(Json(app.store.referrals(&p, &filter).await?))
}

/// A referral. The receiving organisation reads it as in the listing: without the
/// person's id, the reason or the screening until it accepts, and while the consent the
/// service needs is in force.
#[utoipa::path(get, path = "/api/v1/referrals/{id}", tag = "protection", params(("id" = Uuid, Path)),
    responses((status = 200, body = Referral), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn read(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
) -> Result<Json<Referral>, ApiError> {
    app.store
        .referral(&p, id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("referral {id}")))
}

/// A step on a referral: `send` or `cancel` by the referring organisation; `accept`,
/// `decline` (with a reason) or `complete` by the receiving one. Sending to trafficking,
/// SGBV, torture or tracing services needs the person's consent for that recipient, and
/// so does accepting: consent withdrawn since sending is 409.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/steps", tag = "protection", params(("id" = Uuid, Path)),
    request_body = ReferralStep,
    responses((status = 200, body = Referral), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn step(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
    Body(s): Body<ReferralStep>,
) -> Result<Json<Referral>, ApiError> {
    Ok(Json(app.store.referral_step(&p, id, s).await?))
}

/// The person as the receiving organisation sees them once it has accepted: exactly the
/// fields the service needs, and only while the consent the service needs is in force
/// (409 otherwise).
#[utoipa::path(get, path = "/api/v1/referrals/{id}/person", tag = "protection", params(("id" = Uuid, Path)),
    responses((status = 200, body = SharedPerson), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn person(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
) -> Result<Json<SharedPerson>, ApiError> {
    Ok(Json(app.store.referred_person(&p, id).await?))
}
