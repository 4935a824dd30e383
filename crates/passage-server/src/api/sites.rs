//! `/api/v1/sites`

use axum::Json;
use axum::extract::State;
use passage_domain::codes::Country;
use passage_domain::record::Site;
use passage_domain::site::{SiteDetails, SiteKind};
use passage_store::{Page, SiteFilter};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{DEFAULT_LIMIT, Patch, created, patched, prefixed};
use crate::AppState;
use crate::auth::Caller;
use crate::extract::{Body, Id, Query};
use crate::problem::{ApiError, Problem};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SiteQuery {
    pub kind: Option<SiteKind>,
    /// Read as a string and checked by the handler, so that a code that is not a country
    /// is answered 422 naming the field.
    #[param(value_type = Option<Country>)]
    pub country: Option<String>,
    pub cursor: Option<String>,
    /// At most this many items; larger values are reduced to the page size.
    #[param(value_type = Option<u64>, maximum = 4_294_967_295.0)]
    pub limit: Option<u32>,
}

/// Record a site.
#[utoipa::path(post, path = "/api/v1/sites", tag = "sites", request_body = SiteDetails,
    responses((status = 201, body = Site), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<AppState>,
    Caller(p): Caller,
    Body(details): Body<SiteDetails>,
) -> Result<(axum::http::StatusCode, axum::http::HeaderMap, Json<Site>), ApiError> {
    let site = app.store.create_site(&p, details.validated()?).await?;
    let (status, headers) = created(format!("/api/v1/sites/{}", site.meta.id));
    Ok((status, headers, Json(site)))
}

/// Read a site.
#[utoipa::path(get, path = "/api/v1/sites/{id}", tag = "sites", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, body = Site), (status = 404, body = Problem)))]
pub async fn read(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
) -> Result<Json<Site>, ApiError> {
    app.store
        .site(&p, id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("site {id}")))
}

/// Change a site. Send the version you read; the code cannot change.
#[utoipa::path(patch, path = "/api/v1/sites/{id}", tag = "sites", params(("id" = uuid::Uuid, Path)), request_body = Patch,
    responses((status = 200, body = Site), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
    Body(patch): Body<Patch>,
) -> Result<Json<Site>, ApiError> {
    let current = app
        .store
        .site(&p, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("site {id}")))?;
    let details: SiteDetails = patched(&current.details, patch.details.as_ref())?;
    let details = details.validated().map_err(|e| prefixed("details", e))?;
    Ok(Json(
        app.store
            .update_site(&p, id, patch.version, details)
            .await?,
    ))
}

/// List sites.
#[utoipa::path(get, path = "/api/v1/sites", tag = "sites", params(SiteQuery),
    responses((status = 200, body = Page<Site>), (status = 400, body = Problem)))]
pub async fn list(
    State(app): State<AppState>,
    Caller(p): Caller,
    Query(q): Query<SiteQuery>,
) -> Result<Json<Page<Site>>, ApiError> {
    let filter = SiteFilter {
        kind: q.kind,
        country: q
            .country
            .map(Country::try_from)
            .transpose()
            .map_err(|m| ApiError::invalid("country", m))?
            .map(String::from),
    };
    let page = app
        .store
        .sites(
            &p,
            &filter,
            q.cursor.as_deref(),
            q.limit.unwrap_or(DEFAULT_LIMIT),
        )
        .await?;
    Ok(Json(page))
}
