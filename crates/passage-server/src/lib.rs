//! HTTP for Passage: the JSON API under `/api/v1`, its OpenAPI document, health checks.
//!
//! Handlers are thin: they parse the request into domain types, call the store, and turn
//! errors into `application/problem+json`. Every API route is registered through
//! `utoipa-axum`, so every route is in the OpenAPI document.

pub mod api;
pub mod auth;
pub mod extract;
pub mod import;
pub mod matcher;
pub mod openapi_doc;
pub mod openrosa;
pub mod population;
pub mod problem;
pub mod token;
pub mod tracing_match;

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use passage_store::Store;
use time::{Date, OffsetDateTime};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::problem::ApiError;

/// Largest request body accepted, in bytes.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Where the server gets the time from; tests can fix it.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> OffsetDateTime + Send + Sync>);

impl Clock {
    /// The system clock, to the microsecond (the precision stored).
    pub fn system() -> Self {
        Self(Arc::new(|| {
            let now = OffsetDateTime::now_utc();
            now.replace_nanosecond(now.nanosecond() / 1000 * 1000)
                .unwrap_or(now)
        }))
    }

    pub fn fixed(at: OffsetDateTime) -> Self {
        Self(Arc::new(move || at))
    }

    pub fn now(&self) -> OffsetDateTime {
        (self.0)()
    }

    pub fn today(&self) -> Date {
        self.now().date()
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub clock: Clock,
    pub auth: auth::AuthConfig,
    /// Failed logins per typed user name, for the pause after a failure.
    pub throttle: Arc<auth::Throttle>,
    /// The live candidate index.
    pub matcher: Arc<matcher::Matcher>,
    /// The population counted in memory, for the population table.
    pub population: Arc<population::Population>,
}

/// Declares how callers authenticate: an API token, or the session cookie.
struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{
            ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme,
        };
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(auth::SESSION_COOKIE))),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    modifiers(&Security),
    security(("bearer" = []), ("session" = [])),
    info(title = "Passage API", description = "Registration, documents and households of a mixed movement."),
    tags(
        (name = "session", description = "Log in and out"),
        (name = "access", description = "Organisations and users"),
        (name = "sites", description = "Landing points, border posts, reception centres, camps"),
        (name = "arrivals", description = "Landings, crossings and convoys"),
        (name = "households", description = "Level-1 and level-2 registration"),
        (name = "persons", description = "Individuals"),
        (name = "documents", description = "Identity documents and MRZ verification"),
        (name = "duplicates", description = "Candidates, the review queue, merge, link and not-a-duplicate decisions"),
        (name = "data protection", description = "Consent, sharing agreements, data-subject requests, erasure, legal holds"),
        (name = "care", description = "Shelter and occupancy, assistance and distributions, incidents, flow monitoring, tracing"),
        (name = "statistics", description = "Disaggregated tables with disclosure control"),
        (name = "field collection", description = "Submissions from ODK Collect, KoboCollect and Enketo: the review queue"),
        (name = "import", description = "Bulk import of CSV and XLSX lists, import jobs, saved column mappings"),
        (name = "protection", description = "Screening, specific needs, referrals, cases of the differentiated procedures, the non-refoulement guard, work queues"),
    )
)]
struct ApiDoc;

fn api() -> OpenApiRouter<AppState> {
    use api::{
        agreements, arrivals, assistance, cases, consents, documents, duplicates, households,
        incidents, needs, persons, referrals, screenings, session, shelter, sites, stats,
        subject_rights, submissions, tracing_requests, users,
    };
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(session::login, session::current, session::logout))
        .routes(routes!(users::create_organisation, users::organisations))
        .routes(routes!(users::create_user, users::users))
        .routes(routes!(sites::create, sites::list))
        .routes(routes!(sites::read, sites::update))
        .routes(routes!(arrivals::create, arrivals::list))
        .routes(routes!(arrivals::read, arrivals::update))
        .routes(routes!(households::create, households::list))
        .routes(routes!(households::read, households::update))
        .routes(routes!(households::add_members))
        .routes(routes!(households::by_number))
        .routes(routes!(households::token))
        .routes(routes!(persons::list))
        .routes(routes!(persons::read, persons::update))
        .routes(routes!(persons::by_number))
        .routes(routes!(persons::token))
        .routes(routes!(persons::audit))
        .routes(routes!(duplicates::check))
        .routes(routes!(duplicates::of_person))
        .routes(routes!(duplicates::decisions))
        .routes(routes!(duplicates::reviews))
        .routes(routes!(duplicates::decide))
        .routes(routes!(duplicates::undo))
        .routes(routes!(documents::create))
        .routes(routes!(documents::read, documents::update))
        .routes(routes!(documents::list))
        .routes(routes!(documents::verify))
        .routes(routes!(consents::create, consents::list))
        .routes(routes!(consents::withdraw))
        .routes(routes!(agreements::create, agreements::list))
        .routes(routes!(agreements::end))
        .routes(routes!(agreements::export))
        .routes(routes!(subject_rights::create, subject_rights::list))
        .routes(routes!(subject_rights::close))
        .routes(routes!(subject_rights::export))
        .routes(routes!(subject_rights::erase))
        .routes(routes!(screenings::questionnaires))
        .routes(routes!(screenings::questionnaire))
        .routes(routes!(screenings::create, screenings::list))
        .routes(routes!(screenings::read))
        .routes(routes!(screenings::confirm))
        .routes(routes!(needs::create, needs::list))
        .routes(routes!(needs::close))
        .routes(routes!(referrals::create, referrals::of_person))
        .routes(routes!(referrals::list))
        .routes(routes!(referrals::read))
        .routes(routes!(referrals::step))
        .routes(routes!(referrals::person))
        .routes(routes!(cases::create, cases::of_person))
        .routes(routes!(cases::read))
        .routes(routes!(cases::transition))
        .routes(routes!(cases::return_file))
        .routes(routes!(cases::request_lift))
        .routes(routes!(cases::decide_lift))
        .routes(routes!(cases::queues))
        .routes(routes!(shelter::create_unit))
        .routes(routes!(shelter::update_unit))
        .routes(routes!(shelter::units))
        .routes(routes!(shelter::occupancy))
        .routes(routes!(shelter::daily))
        .routes(routes!(shelter::proposal))
        .routes(routes!(shelter::admit))
        .routes(routes!(shelter::change))
        .routes(routes!(shelter::of_person))
        .routes(routes!(
            assistance::create_programme,
            assistance::programmes
        ))
        .routes(routes!(assistance::totals))
        .routes(routes!(assistance::distribute, assistance::list))
        .routes(routes!(assistance::export))
        .routes(routes!(assistance::review))
        .routes(routes!(incidents::create, incidents::list))
        .routes(routes!(incidents::read, incidents::update))
        .routes(routes!(incidents::export))
        .routes(routes!(incidents::record_flow, incidents::flows))
        .routes(routes!(tracing_requests::create, tracing_requests::list))
        .routes(routes!(tracing_requests::read))
        .routes(routes!(tracing_requests::outcome))
        .routes(routes!(submissions::list))
        .routes(routes!(submissions::read))
        .routes(routes!(submissions::attachment))
        .routes(routes!(submissions::accept))
        .routes(routes!(submissions::reject))
        .routes(routes!(stats::table_of))
        .routes(routes!(api::imports::upload, api::imports::jobs))
        .routes(routes!(api::imports::job))
        .routes(routes!(api::import_mappings::list))
        .routes(routes!(
            api::import_mappings::read,
            api::import_mappings::save
        ))
        .routes(routes!(
            subject_rights::hold,
            subject_rights::place_hold,
            subject_rights::lift_hold
        ))
}

/// The OpenAPI document of the API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_parts().1
}

/// The API's routes and their OpenAPI document, its error answers documented.
fn api_parts() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (api, mut doc) = api().split_for_parts();
    openapi_doc::complete(&mut doc);
    (api, doc)
}

async fn healthz(State(app): State<AppState>) -> impl IntoResponse {
    if app.store.ping().await {
        (StatusCode::OK, "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
    }
}

/// The whole HTTP application.
pub fn router(state: AppState) -> Router {
    router_with(state, Router::new())
}

/// The API with other routes beside it (the browser pages), sharing its state, limits
/// and request ids.
pub fn router_with(state: AppState, pages: Router<AppState>) -> Router {
    let (api, doc) = api_parts();
    let doc = Arc::new(doc);
    api.merge(pages)
        .merge(openrosa::router())
        .route(
            "/api/v1/openapi.json",
            get(move || async move { Json(doc.as_ref().clone()) }),
        )
        .route("/healthz", get(healthz))
        .fallback(|| async { ApiError::not_found("this path") })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(TraceLayer::new_for_http())
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// Serves the API and `pages` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    pages: Router<AppState>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let refresh = state.matcher.clone().spawn_refresh(state.store.clone());
    let app =
        router_with(state, pages).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    // The index lives as long as the server: no polling of a store about to close.
    refresh.abort();
    served
}
