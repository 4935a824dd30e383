//! What every page has around its content: the language of the request, who is logged
//! in, the top bar with the pages the user's roles open, and drawing a page or an error.

use askama::Template;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use passage_domain::access::{Action, Principal, Resource};
use passage_server::AppState;
use passage_server::problem::ApiError;
use passage_store::Session;
use passage_store::StoreError;
use serde::Deserialize;

use crate::i18n::{Lang, Tr};

/// The cookie that keeps the language a user picked.
pub const LANG_COOKIE: &str = "passage_lang";

#[derive(Debug, Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

/// The language of a request, and whether the user just picked it (then it is kept): the
/// `lang` query parameter, then the language kept with the logged-in user, then the
/// `passage_lang` cookie (for pages before login), then `Accept-Language`, then English.
/// A language picked with `lang` while logged in is kept with the user, so it follows
/// them to any browser.
#[derive(Debug, Clone, Copy)]
pub struct Chosen {
    pub lang: Lang,
    picked: bool,
}

impl FromRequestParts<AppState> for Chosen {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        let asked = Query::<LangQuery>::try_from_uri(&parts.uri)
            .ok()
            .and_then(|q| q.0.lang)
            .and_then(|l| Lang::parse(&l));
        let session = looked_up(parts, app).await?;
        if let Some(lang) = asked {
            if let Some(s) = &session
                && s.language.as_deref() != Some(lang.tag())
                && let Err(e) = app.store.set_user_language(&s.principal, lang.tag()).await
            {
                // The page is still shown in the language asked; only keeping it failed.
                tracing::warn!(error = %e, "the language picked could not be kept");
            }
            return Ok(Self { lang, picked: true });
        }
        Ok(Self {
            lang: kept(parts, session.as_ref()),
            picked: false,
        })
    }
}

/// The language of a page whose `lang` parameter names something else (the language of
/// a printed sheet): the user's, the cookie's or the browser's, never changed by the page.
#[derive(Debug, Clone, Copy)]
pub struct Kept(pub Chosen);

impl FromRequestParts<AppState> for Kept {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        let session = looked_up(parts, app).await?;
        Ok(Self(Chosen {
            lang: kept(parts, session.as_ref()),
            picked: false,
        }))
    }
}

/// The language kept with the user, else the cookie's, else the browser's, else English.
fn kept(parts: &Parts, session: Option<&Session>) -> Lang {
    let user = || {
        session
            .and_then(|s| s.language.as_deref())
            .and_then(Lang::parse)
    };
    let cookie = || passage_server::auth::cookie(parts, LANG_COOKIE).and_then(Lang::parse);
    let browser = || {
        parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Lang::from_accept)
    };
    user().or_else(cookie).or_else(browser).unwrap_or(Lang::En)
}

/// The session of a request, looked up once however many extractors ask.
#[derive(Clone)]
struct LookedUp(Option<Session>);

async fn looked_up(parts: &mut Parts, app: &AppState) -> Result<Option<Session>, ApiError> {
    if let Some(LookedUp(s)) = parts.extensions.get::<LookedUp>() {
        return Ok(s.clone());
    }
    let s = passage_server::auth::session_of(parts, app).await?;
    parts.extensions.insert(LookedUp(s.clone()));
    Ok(s)
}

impl Chosen {
    /// The language of a request from what it carries (cookie, browser), without the
    /// user's setting: for answers made before any page runs.
    pub(crate) fn of_request(parts: &Parts) -> Self {
        Self {
            lang: kept(parts, None),
            picked: false,
        }
    }

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
        let session = looked_up(parts, app).await?;
        Ok(Self(session.map(|s| (s.principal, s.csrf))))
    }
}

/// The person logged in; a page that needs one sends everyone else to the login page.
pub struct User {
    pub p: Principal,
    /// The session's CSRF token, which every form of the page carries.
    pub csrf: String,
}

impl FromRequestParts<AppState> for User {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Response> {
        match looked_up(parts, app).await {
            Ok(Some(s)) => Ok(Self {
                p: s.principal,
                csrf: s.csrf,
            }),
            Ok(None) => Err(Redirect::to("/login").into_response()),
            Err(e) => Err(e.into_response()),
        }
    }
}

impl User {
    /// Refuses a form that does not carry this session's token (sent by another site).
    pub fn check(&self, csrf: &str) -> Result<(), ApiError> {
        if csrf == self.csrf {
            Ok(())
        } else {
            Err(ApiError::Forbidden(
                "this form is out of date: reload the page and try again".into(),
            ))
        }
    }

    pub fn can(&self, action: Action, resource: Resource) -> bool {
        self.p.require(action, resource).is_ok()
    }
}

/// The pages of the top bar: where, the message naming it, and what the user must be
/// allowed to do to be shown it.
const NAV: [(&str, &str, Action, Resource); 9] = [
    (
        "/arrivals",
        "nav-registration",
        Action::Create,
        Resource::Household,
    ),
    ("/persons", "nav-persons", Action::Read, Resource::Person),
    (
        "/referrals",
        "nav-referrals",
        Action::Read,
        Resource::Referral,
    ),
    ("/cases", "nav-cases", Action::Read, Resource::Case),
    ("/sites", "nav-sites", Action::Read, Resource::ShelterUnit),
    (
        "/assistance",
        "nav-assistance",
        Action::Create,
        Resource::Distribution,
    ),
    (
        "/incidents",
        "nav-incidents",
        Action::Read,
        Resource::Incident,
    ),
    (
        "/tracing",
        "nav-tracing",
        Action::Read,
        Resource::TracingRequest,
    ),
    (
        "/dashboard",
        "nav-dashboard",
        Action::Read,
        Resource::Statistics,
    ),
];

/// What every page shows around its content.
pub struct Frame {
    pub tr: Tr,
    /// The user's name, when logged in.
    pub user: Option<String>,
    pub csrf: String,
    /// The path of this page with its query (without `lang`), for the language links.
    pub path: String,
    /// The pages the user's roles open: (path, name).
    pub nav: Vec<(&'static str, String)>,
}

impl Frame {
    /// The frame of a page for the logged-in `user`; `path` is the page's own path.
    pub fn new(chosen: Chosen, user: &User, path: impl Into<String>) -> Self {
        let tr = chosen.tr();
        let nav = NAV
            .iter()
            .filter(|(_, _, action, resource)| user.can(*action, *resource))
            .map(|(href, id, _, _)| (*href, tr.t(id)))
            .collect();
        Self {
            tr,
            user: Some(user.p.name.clone()),
            csrf: user.csrf.clone(),
            path: path.into(),
            nav,
        }
    }

    /// The frame of a page nobody needs to be logged in for.
    pub fn anonymous(chosen: Chosen, path: impl Into<String>) -> Self {
        Self {
            tr: chosen.tr(),
            user: None,
            csrf: String::new(),
            path: path.into(),
            nav: Vec::new(),
        }
    }

    pub fn t(&self, id: &str) -> String {
        self.tr.t(id)
    }

    pub fn lang(&self) -> &'static str {
        self.tr.lang.tag()
    }

    pub fn dir(&self) -> &'static str {
        self.tr.lang.dir()
    }

    /// The other languages: (link to this page in it, tag, own name).
    pub fn languages(&self) -> Vec<(String, &'static str, &'static str)> {
        let join = if self.path.contains('?') { '&' } else { '?' };
        Lang::ALL
            .iter()
            .filter(|l| **l != self.tr.lang)
            .map(|l| {
                (
                    format!("{}{join}lang={}", self.path, l.tag()),
                    l.tag(),
                    l.name(),
                )
            })
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

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    frame: Frame,
    title: String,
    message: String,
}

/// A page saying what went wrong, with the status the API would answer: a record not
/// found, a role that may not, a record changed meanwhile.
pub fn failed(chosen: Chosen, user: &User, error: ApiError) -> Response {
    let message = error.to_string();
    let status = error.into_response().status();
    let tr = chosen.tr();
    let title = match status {
        StatusCode::NOT_FOUND => tr.t("error-not-found"),
        StatusCode::FORBIDDEN => tr.t("error-forbidden"),
        StatusCode::CONFLICT => tr.t("error-conflict"),
        s if s.is_server_error() => tr.t("error-server"),
        _ => tr.t("error-refused"),
    };
    let page = ErrorPage {
        frame: Frame::new(chosen, user, "/"),
        title,
        message,
    };
    (status, render(chosen, &page)).into_response()
}

/// A read the user's roles do not allow leaves its part of a page out; any other failure
/// stays an error.
pub fn readable<T>(read: Result<T, StoreError>) -> Result<Option<T>, StoreError> {
    match read {
        Ok(v) => Ok(Some(v)),
        Err(StoreError::Forbidden(_)) => Ok(None),
        Err(e) => Err(e),
    }
}
