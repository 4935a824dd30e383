//! What the access tests share: requests with any kind of authentication, answers,
//! logins, a fixture of records of organisation "a", and level-1 households.

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use passage_domain::access::Role;
use passage_server::auth::{self, AuthConfig};
use passage_server::{AppState, Clock};
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::{App, PASSWORD, level_one};

pub const PROBLEM_JSON: &str = "application/problem+json";

/// A level-1 household with a head nobody registered before ([`super::distinct_head`]).
pub fn another_level_one(arrival_id: &str) -> Value {
    let mut body = level_one(arrival_id);
    body["head"] = super::distinct_head();
    body
}

// ---------------------------------------------------------------------------------------
// Requests

/// How a request authenticates.
#[derive(Debug, Clone, Copy)]
pub enum Auth<'a> {
    Nobody,
    Bearer(&'a str),
    /// The session cookie, and the CSRF token sent with it, if any.
    Session(&'a str, Option<&'a str>),
}

/// What came back.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap())
            .unwrap_or_default()
    }

    pub fn is_problem(&self) -> bool {
        self.content_type() == PROBLEM_JSON && self.body["status"] == self.status.as_u16()
    }
}

pub async fn send(
    app: &App,
    method: Method,
    path: &str,
    who: Auth<'_>,
    body: Option<&Value>,
) -> Answer {
    let json = body.map(|b| ("application/json", b.to_string().into_bytes()));
    send_bytes(app, method, path, who, json).await
}

/// Sends a body of any media type: `(content type, bytes)`.
pub async fn send_bytes(
    app: &App,
    method: Method,
    path: &str,
    who: Auth<'_>,
    body: Option<(&str, Vec<u8>)>,
) -> Answer {
    let mut req = Request::builder().method(method).uri(path);
    match who {
        Auth::Nobody => {}
        Auth::Bearer(t) => req = req.header(header::AUTHORIZATION, format!("Bearer {t}")),
        Auth::Session(cookie, csrf) => {
            req = req.header(header::COOKIE, format!("{}={cookie}", auth::SESSION_COOKIE));
            if let Some(c) = csrf {
                req = req.header(auth::CSRF_HEADER, c);
            }
        }
    }
    if let Some((content_type, _)) = &body {
        req = req.header(header::CONTENT_TYPE, *content_type);
    }
    let req = req
        .body(body.map_or_else(Body::empty, |(_, b)| Body::from(b)))
        .unwrap();
    let (status, headers, body) = app.request(req).await;
    Answer {
        status,
        headers,
        body,
    }
}

/// Serves the same database with the clock at `t`.
pub fn clock_at(app: &mut App, t: OffsetDateTime) {
    app.router = passage_server::router(AppState {
        store: app.store.clone(),
        clock: Clock::fixed(t),
        auth: AuthConfig::default(),
        throttle: Default::default(),
        matcher: app.matcher.clone(),
        population: Default::default(),
    });
}

/// Logs in; returns the session cookie's value and the CSRF token.
pub async fn login(app: &App, username: &str) -> (String, String) {
    let a = send(
        app,
        Method::POST,
        "/api/v1/session",
        Auth::Nobody,
        Some(&json!({"username": username, "password": PASSWORD})),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "login of {username}: {}", a.body);
    let cookie = a.headers[header::SET_COOKIE].to_str().unwrap();
    let value = cookie
        .split(';')
        .next()
        .and_then(|kv| kv.strip_prefix("passage_session="))
        .unwrap()
        .to_owned();
    (value, a.body["csrf_token"].as_str().unwrap().to_owned())
}

pub fn username(org: &str, role: Role) -> String {
    format!("{}.{org}", role.code())
}

/// Records of organisation a, created by its supervisor.
pub struct Fixture {
    pub site: String,
    pub arrival: String,
    pub household: String,
    pub household_number: String,
    pub person: String,
    pub person_number: String,
    pub document: String,
}

pub async fn fixture(app: &App, creator: &str) -> Fixture {
    let arrival = app.arrival().await;
    let (_, a) = app.get(&format!("/api/v1/arrivals/{arrival}")).await;
    let site = a["details"]["site_id"].as_str().unwrap().to_owned();
    let (s, h) = app
        .post_as(creator, "/api/v1/households", level_one(&arrival))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{h}");
    let person = h["head_person_id"].as_str().unwrap().to_owned();
    let (s, d) = app
        .post_as(
            creator,
            &format!("/api/v1/persons/{person}/documents"),
            json!({"kind": "national_id_card", "number": "A1234567"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    Fixture {
        site,
        arrival,
        household: h["id"].as_str().unwrap().to_owned(),
        household_number: h["registration_number"].as_str().unwrap().to_owned(),
        person,
        person_number: h["members"][0]["registration_number"]
            .as_str()
            .unwrap()
            .to_owned(),
        document: d["id"].as_str().unwrap().to_owned(),
    }
}

/// The answer with `id` (and any other given text) replaced, to compare a hidden record's
/// answer with a missing one's.
pub fn masked(a: &Answer, ids: &[&str]) -> String {
    let mut text = a.body.to_string();
    for id in ids {
        text = text.replace(id, "<ID>");
    }
    format!("{} {} {text}", a.status, a.content_type())
}
