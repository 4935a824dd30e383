//! Assistance: programmes with entitlement rules, distributions (given, or held when the
//! recipient looks like an earlier one), review of held ones, totals, the finance list.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use passage_domain::access::Principal;
use passage_domain::care::assistance::{NewDistribution, ProgrammeDetails};
use passage_domain::care::records::{
    Distribution, DistributionStatus, DistributionTotal, Programme, Review,
};
use passage_store::{DistributionFilter, Store, StoreError};
use serde::Deserialize;
use time::Date;
use utoipa::IntoParams;
use uuid::Uuid;

use super::csv_out::csv;
use super::{DEFAULT_LIMIT, created};
use crate::AppState;
use crate::auth::Caller;
use crate::extract::{Body, Id, Query};
use crate::matcher::LIKELY;
use crate::problem::{ApiError, Problem};

/// Set up a programme: what it gives, to whom (person or household), how often (once or
/// every so many days), and the entitlement rules over population type, flags, documents
/// and site.
#[utoipa::path(post, path = "/api/v1/programmes", tag = "care", request_body = ProgrammeDetails,
    responses((status = 201, body = Programme), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_programme(
    State(app): State<AppState>,
    Caller(p): Caller,
    Body(details): Body<ProgrammeDetails>,
) -> Result<(StatusCode, HeaderMap, Json<Programme>), ApiError> {
    let programme = app.store.create_programme(&p, details.validated()?).await?;
    let (status, headers) = created("/api/v1/programmes".into());
    Ok((status, headers, Json(programme)))
}

#[utoipa::path(get, path = "/api/v1/programmes", tag = "care",
    responses((status = 200, body = Vec<Programme>), (status = 403, body = Problem)))]
pub async fn programmes(
    State(app): State<AppState>,
    Caller(p): Caller,
) -> Result<Json<Vec<Programme>>, ApiError> {
    Ok(Json(app.store.programmes(&p).await?))
}

/// Totals of a programme per site and day.
#[utoipa::path(get, path = "/api/v1/programmes/{id}/totals", tag = "care", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<DistributionTotal>), (status = 403, body = Problem)))]
pub async fn totals(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
) -> Result<Json<Vec<DistributionTotal>>, ApiError> {
    Ok(Json(app.store.distribution_totals(&p, id).await?))
}

/// Give assistance. 201 when given; 202 when held for review because the recipient looks
/// like someone who already received it (people without documents are not turned away);
/// 409 naming the rule when the recipient is not eligible or already received it.
#[utoipa::path(post, path = "/api/v1/distributions", tag = "care", request_body = NewDistribution,
    responses((status = 201, body = Distribution), (status = 202, body = Distribution), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn distribute(
    State(app): State<AppState>,
    Caller(p): Caller,
    Body(new): Body<NewDistribution>,
) -> Result<(StatusCode, HeaderMap, Json<Distribution>), ApiError> {
    let new = new.validated()?;
    let person = app
        .store
        .person(&p, new.person_id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("person {}", new.person_id)))?;
    let lookalikes: Vec<(Uuid, f64)> = app
        .matcher
        .candidates(&person.details, 10, |id| *id == new.person_id)
        .into_iter()
        .filter(|f| f.scored.probability >= LIKELY)
        .map(|f| (f.id, f.scored.probability))
        .collect();
    let d = app.store.distribute(&p, new, lookalikes).await?;
    let (mut status, headers) = created(format!(
        "/api/v1/distributions?programme_id={}",
        d.programme_id
    ));
    if d.status == DistributionStatus::Held {
        status = StatusCode::ACCEPTED;
    }
    Ok((status, headers, Json(d)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DistributionQuery {
    pub programme_id: Option<Uuid>,
    pub site_id: Option<Uuid>,
    #[param(value_type = Option<String>, format = Date)]
    pub day: Option<Date>,
    pub status: Option<DistributionStatus>,
    /// At most this many items; larger values are reduced to the page size.
    #[param(value_type = Option<u64>, maximum = 4_294_967_295.0)]
    pub limit: Option<u32>,
}

fn filter(q: DistributionQuery, limit: u32) -> DistributionFilter {
    DistributionFilter {
        programme_id: q.programme_id,
        site_id: q.site_id,
        day: q.day,
        status: q.status,
        limit: q.limit.unwrap_or(limit),
        ..DistributionFilter::default()
    }
}

/// Distributions to persons the caller can see; `status=held` gives the review queue.
#[utoipa::path(get, path = "/api/v1/distributions", tag = "care", params(DistributionQuery),
    responses((status = 200, body = Vec<Distribution>), (status = 403, body = Problem)))]
pub async fn list(
    State(app): State<AppState>,
    Caller(p): Caller,
    Query(q): Query<DistributionQuery>,
) -> Result<Json<Vec<Distribution>>, ApiError> {
    Ok(Json(
        app.store
            .distributions(&p, &filter(q, DEFAULT_LIMIT))
            .await?,
    ))
}

/// The columns of the distribution list for finance.
pub const LIST_COLUMNS: [&str; 9] = [
    "distribution_id",
    "date",
    "programme",
    "item",
    "quantity",
    "registration_number",
    "name",
    "site_id",
    "distributed_by",
];

/// The distribution list for finance: one row per distribution given, under
/// [`LIST_COLUMNS`], for the API and the command line alike.
pub async fn list_rows(
    store: &Store,
    p: &Principal,
    mut f: DistributionFilter,
) -> Result<Vec<Vec<String>>, StoreError> {
    f.status = Some(DistributionStatus::Given);
    let given = store.distributions(p, &f).await?;
    let programmes = store.programmes(p).await?;
    let mut rows = Vec::with_capacity(given.len());
    for d in given {
        let person = store.person(p, d.person_id).await?;
        let prog = programmes.iter().find(|x| x.meta.id == d.programme_id);
        rows.push(vec![
            d.meta.id.to_string(),
            d.distributed_at.date().to_string(),
            prog.map(|x| x.details.code.clone()).unwrap_or_default(),
            prog.map(|x| x.details.item.clone()).unwrap_or_default(),
            d.quantity.unwrap_or(1).to_string(),
            person
                .as_ref()
                .map(|x| x.registration_number.to_string())
                .unwrap_or_default(),
            person
                .as_ref()
                .map(|x| x.details.display_name())
                .unwrap_or_default(),
            d.site_id.to_string(),
            d.distributed_by,
        ]);
    }
    Ok(rows)
}

/// The distribution list for finance, as CSV: one row per distribution given.
#[utoipa::path(get, path = "/api/v1/distributions.csv", tag = "care", params(DistributionQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = Problem)))]
pub async fn export(
    State(app): State<AppState>,
    Caller(p): Caller,
    Query(q): Query<DistributionQuery>,
) -> Result<Response, ApiError> {
    let rows = list_rows(&app.store, &p, filter(q, 10_000)).await?;
    csv("distributions.csv", &LIST_COLUMNS, rows)
}

/// Release or refuse a held distribution, with what the review found. A release is still
/// once only.
#[utoipa::path(post, path = "/api/v1/distributions/{id}/review", tag = "care", params(("id" = Uuid, Path)), request_body = Review,
    responses((status = 200, body = Distribution), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn review(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
    Body(r): Body<Review>,
) -> Result<Json<Distribution>, ApiError> {
    Ok(Json(app.store.review_distribution(&p, id, r).await?))
}
