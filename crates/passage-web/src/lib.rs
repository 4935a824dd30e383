//! The browser pages of Passage, served beside the JSON API by the same process:
//! server-rendered HTML from templates checked at compile time (askama), one stylesheet,
//! no script needed for any page's core action. Every string comes from the message
//! files of [`i18n`]; the charts are SVG drawn on the server ([`charts`]).
//!
//! # Invariants
//!
//! - Pages call the same store functions as the API with the logged-in person's
//!   principal: the permissions, visibility and audit of reads are the API's.
//! - A page that changes something is a form POST carrying the session's CSRF token,
//!   checked before anything is done.
//! - Numbers leave through the same disclosure control as the statistics API.

pub mod charts;
mod dashboard;
pub mod i18n;
mod session;

use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use passage_domain::access::Principal;
use passage_server::AppState;
use passage_server::problem::ApiError;
use serde::Deserialize;

use i18n::{Lang, Tr};

/// The cookie that keeps the language a user picked.
pub const LANG_COOKIE: &str = "passage_lang";

/// The routes of the pages, to merge with the API's.
pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(session::login_page).post(session::login))
        .route("/logout", axum::routing::post(session::logout))
        .route("/dashboard", get(dashboard::page))
        .route("/static/passage.css", get(stylesheet))
}

#[derive(Debug, Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

/// The language of a request, and whether the user just picked it (then it is kept).
#[derive(Debug, Clone, Copy)]
pub struct Chosen {
    pub lang: Lang,
    picked: bool,
}

impl FromRequestParts<AppState> for Chosen {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        let asked = Query::<LangQuery>::try_from_uri(&parts.uri)
            .ok()
            .and_then(|q| q.0.lang)
            .and_then(|l| Lang::parse(&l));
        if let Some(lang) = asked {
            return Ok(Self { lang, picked: true });
        }
        let kept = passage_server::auth::cookie(parts, LANG_COOKIE).and_then(Lang::parse);
        let browser = || {
            parts
                .headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept)
        };
        Ok(Self {
            lang: kept.or_else(browser).unwrap_or(Lang::En),
            picked: false,
        })
    }
}

impl Chosen {
    pub fn tr(self) -> Tr {
        Tr { lang: self.lang }
    }

    /// The header that keeps a language just picked, for a year.
    fn keep(self) -> HeaderMap {
        let mut h = HeaderMap::new();
        if self.picked {
            let cookie = format!(
                "{LANG_COOKIE}={}; SameSite=Lax; Path=/; Max-Age=31536000",
                self.lang.tag()
            );
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                h.insert(header::SET_COOKIE, v);
            }
        }
        h
    }
}

/// The person logged in, with their session's CSRF token, or None.
pub struct Visitor(pub Option<(Principal, String)>);

impl FromRequestParts<AppState> for Visitor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        Ok(Self(passage_server::auth::session_of(parts, app).await?))
    }
}

/// What every page shows around its content.
pub struct Frame {
    pub tr: Tr,
    /// The user's name, when logged in.
    pub user: Option<String>,
    pub csrf: String,
    /// The path of this page, for the language links.
    pub path: &'static str,
}

impl Frame {
    pub fn t(&self, id: &str) -> String {
        self.tr.t(id)
    }

    pub fn lang(&self) -> &'static str {
        self.tr.lang.tag()
    }

    pub fn dir(&self) -> &'static str {
        self.tr.lang.dir()
    }

    /// The other languages: (tag, own name).
    pub fn languages(&self) -> Vec<(&'static str, &'static str)> {
        Lang::ALL
            .iter()
            .filter(|l| **l != self.tr.lang)
            .map(|l| (l.tag(), l.name()))
            .collect()
    }
}

/// Renders a page with the language cookie if one was just picked.
pub fn render(chosen: Chosen, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => (chosen.keep(), Html(html)).into_response(),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the page could not be drawn",
        )
            .into_response(),
    }
}

fn to_login(chosen: Chosen) -> Response {
    (chosen.keep(), Redirect::to("/login")).into_response()
}

/// One work queue on the home page.
pub struct QueueView {
    pub title: String,
    /// How many are waiting, written for the language.
    pub count: String,
    pub items: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    frame: Frame,
    roles: Vec<String>,
    queues: Vec<QueueView>,
}

async fn home(
    axum::extract::State(app): axum::extract::State<AppState>,
    chosen: Chosen,
    Visitor(visitor): Visitor,
) -> Result<Response, ApiError> {
    let Some((p, csrf)) = visitor else {
        return Ok(to_login(chosen));
    };
    let tr = chosen.tr();
    let mut queues = Vec::new();
    let found = match app.store.work_queues(&p).await {
        Ok(q) => Some(q),
        // A role without queues has none to show; any other failure is an error.
        Err(passage_store::StoreError::Forbidden(_)) => None,
        Err(e) => return Err(e.into()),
    };
    if let Some(q) = found {
        let lists = [
            ("queue-children", q.children_without_assessment),
            ("queue-overdue-referrals", q.overdue_referrals),
            ("queue-claims", q.claims_awaiting_interview),
            ("queue-blocked-returns", q.blocked_returns),
            ("queue-detention", q.detention_alternatives),
            ("queue-hold-lifts", q.hold_lifts_waiting),
        ];
        for (id, items) in lists {
            let Some(items) = items else { continue };
            queues.push(QueueView {
                title: tr.t(id),
                count: tr.number(items.len() as u64),
                items: items
                    .into_iter()
                    .map(|i| {
                        let name = i.name.unwrap_or_else(|| tr.t("queue-not-shown"));
                        (name, i.since.date().to_string())
                    })
                    .collect(),
            });
        }
    }
    let roles = p
        .roles
        .iter()
        .map(|r| tr.t(&format!("role-{}", r.code().replace('_', "-"))))
        .collect();
    let page = Home {
        frame: Frame {
            tr,
            user: Some(p.name.clone()),
            csrf,
            path: "/",
        },
        roles,
        queues,
    };
    Ok(render(chosen, &page))
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
