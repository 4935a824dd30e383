//! The browser pages of Passage, served beside the JSON API by the same process:
//! server-rendered HTML from templates checked at compile time (askama), one stylesheet,
//! no script needed for any page's core action. Every string comes from the message
//! files of [`i18n`]; the charts are SVG drawn on the server ([`charts`]).
//!
//! # Invariants
//!
//! - Pages call the same store functions and API handlers as the API, with the
//!   logged-in person's principal: the permissions, rules, visibility and audit of
//!   reads are the API's.
//! - A page that changes something is a form POST carrying the session's CSRF token,
//!   checked ([`frame::User::check`]) before anything is done.
//! - Numbers leave through the same disclosure control as the statistics API.

mod care;
pub mod charts;
mod dashboard;
pub mod form;
pub mod frame;
mod home;
pub mod i18n;
mod information;
mod layers;
mod protection;
mod registration;
mod session;

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use passage_server::AppState;

pub use frame::LANG_COOKIE;

/// The routes of the pages, to merge with the API's.
pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/", get(home::page))
        .route("/login", get(session::login_page).post(session::login))
        .route("/logout", post(session::logout))
        .route("/dashboard", get(dashboard::page))
        .route("/static/passage.css", get(stylesheet))
        .merge(registration::routes())
        .merge(information::routes())
        .merge(care::routes())
        .merge(protection::routes())
        .layer(axum::middleware::from_fn(layers::wrap))
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/passage.css"),
    )
}
