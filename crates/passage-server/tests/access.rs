//! Access control through the real router on a real database: every route against every
//! role of two organisations, organisation isolation, login and lockout, CSRF, session
//! lifetimes and API tokens. SQLite always, PostgreSQL when `PASSAGE_TEST_PG_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use passage_domain::access::{self, Action, Principal, Resource, Role};
use passage_domain::regno::{RegistrationNumber, SiteCode};
use passage_server::auth::{self, AuthConfig};
use passage_server::{AppState, Clock};
use passage_store::NewUser;
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

#[macro_use]
mod support;

use support::{App, NOW, PASSWORD};

const SPECIMEN_TD3: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

const PROBLEM_JSON: &str = "application/problem+json";

fn level_one(arrival_id: &str) -> Value {
    json!({
        "arrival_id": arrival_id,
        "size": 5,
        "breakdown": {"f_18_59": 1, "m_18_59": 1, "f_5_11": 1, "m_0_4": 2},
        "head": {"given_name": "Mohammed", "family_name": "Ayub", "sex": "M",
                 "original_name": {"text": "محمد ایوب", "script": "Arab"},
                 "date_of_birth": {"date": "1988-01-01", "precision": "year_only"},
                 "nationalities": ["stateless"], "languages": ["rhg"]}
    })
}

/// A level-1 household with a head nobody registered before ([`support::distinct_head`]).
fn another_level_one(arrival_id: &str) -> Value {
    let mut body = level_one(arrival_id);
    body["head"] = support::distinct_head();
    body
}

// ---------------------------------------------------------------------------------------
// Requests

/// How a request authenticates.
#[derive(Debug, Clone, Copy)]
enum Auth<'a> {
    Nobody,
    Bearer(&'a str),
    /// The session cookie, and the CSRF token sent with it, if any.
    Session(&'a str, Option<&'a str>),
}

/// What came back.
#[derive(Debug)]
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

impl Answer {
    fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap())
            .unwrap_or_default()
    }

    fn is_problem(&self) -> bool {
        self.content_type() == PROBLEM_JSON && self.body["status"] == self.status.as_u16()
    }
}

async fn send(
    app: &App,
    method: Method,
    path: &str,
    who: Auth<'_>,
    body: Option<&Value>,
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
    if body.is_some() {
        req = req.header(header::CONTENT_TYPE, "application/json");
    }
    let req = req
        .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
        .unwrap();
    let (status, headers, body) = app.request(req).await;
    Answer {
        status,
        headers,
        body,
    }
}

/// Serves the same database with the clock at `t`.
fn clock_at(app: &mut App, t: OffsetDateTime) {
    app.router = passage_server::router(AppState {
        store: app.store.clone(),
        clock: Clock::fixed(t),
        auth: AuthConfig::default(),
        throttle: Default::default(),
        matcher: app.matcher.clone(),
    });
}

/// Logs in; returns the session cookie's value and the CSRF token.
async fn login(app: &App, username: &str) -> (String, String) {
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

fn username(org: &str, role: Role) -> String {
    format!("{}.{org}", role.code())
}

// ---------------------------------------------------------------------------------------
// 1. The access matrix

/// What a route needs.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// No authentication at all.
    Public,
    /// Any authenticated caller, whatever their roles.
    Authenticated,
    /// A role that allows this action on this resource.
    Needs(Action, Resource),
}

use Action::{Create, Erase, Export, Read, Update};
use Resource::{
    Arrival, AuditLog, Consent, DataSubjectRequest, Document, Duplicate, Household, LegalHold,
    Organisation, Person, SharingAgreement, Site, User,
};
use Rule::{Authenticated, Needs, Public};

/// Every route of the API and what it needs. A route in the OpenAPI document and not here
/// fails the matrix test: a new route needs a rule first.
const RULES: &[(&str, &str, Rule)] = &[
    ("POST", "/api/v1/session", Public),
    ("POST", "/api/v1/duplicates/check", Needs(Read, Duplicate)),
    (
        "GET",
        "/api/v1/persons/{id}/candidates",
        Needs(Read, Duplicate),
    ),
    (
        "GET",
        "/api/v1/persons/{id}/decisions",
        Needs(Read, Duplicate),
    ),
    ("GET", "/api/v1/duplicates/reviews", Needs(Read, Duplicate)),
    (
        "POST",
        "/api/v1/duplicates/decisions",
        Needs(Create, Duplicate),
    ),
    (
        "POST",
        "/api/v1/duplicates/decisions/{id}/undo",
        Needs(Update, Duplicate),
    ),
    ("GET", "/api/v1/session", Authenticated),
    ("DELETE", "/api/v1/session", Authenticated),
    ("POST", "/api/v1/organisations", Needs(Create, Organisation)),
    ("GET", "/api/v1/organisations", Needs(Read, Organisation)),
    ("POST", "/api/v1/users", Needs(Create, User)),
    ("GET", "/api/v1/users", Needs(Read, User)),
    ("POST", "/api/v1/sites", Needs(Create, Site)),
    ("GET", "/api/v1/sites", Needs(Read, Site)),
    ("GET", "/api/v1/sites/{id}", Needs(Read, Site)),
    ("PATCH", "/api/v1/sites/{id}", Needs(Update, Site)),
    ("POST", "/api/v1/arrivals", Needs(Create, Arrival)),
    ("GET", "/api/v1/arrivals", Needs(Read, Arrival)),
    ("GET", "/api/v1/arrivals/{id}", Needs(Read, Arrival)),
    ("PATCH", "/api/v1/arrivals/{id}", Needs(Update, Arrival)),
    ("POST", "/api/v1/households", Needs(Create, Household)),
    ("GET", "/api/v1/households", Needs(Read, Household)),
    ("GET", "/api/v1/households/{id}", Needs(Read, Household)),
    ("PATCH", "/api/v1/households/{id}", Needs(Update, Household)),
    (
        "POST",
        "/api/v1/households/{id}/members",
        Needs(Update, Household),
    ),
    (
        "GET",
        "/api/v1/households/by-number/{number}",
        Needs(Read, Household),
    ),
    (
        "GET",
        "/api/v1/households/{id}/token.svg",
        Needs(Read, Household),
    ),
    ("GET", "/api/v1/persons", Needs(Read, Person)),
    ("GET", "/api/v1/persons/{id}", Needs(Read, Person)),
    ("PATCH", "/api/v1/persons/{id}", Needs(Update, Person)),
    (
        "GET",
        "/api/v1/persons/by-number/{number}",
        Needs(Read, Person),
    ),
    ("GET", "/api/v1/persons/{id}/token.svg", Needs(Read, Person)),
    // The person is read first (so another organisation's person is missing), then the
    // log, which only the data-protection focal point may read.
    ("GET", "/api/v1/persons/{id}/audit", Needs(Read, AuditLog)),
    (
        "POST",
        "/api/v1/persons/{id}/documents",
        Needs(Create, Document),
    ),
    ("GET", "/api/v1/documents", Needs(Read, Document)),
    ("GET", "/api/v1/documents/{id}", Needs(Read, Document)),
    ("PATCH", "/api/v1/documents/{id}", Needs(Update, Document)),
    // Reads an MRZ the caller sends and saves nothing; with `person_id` it reads that
    // person (Read Person, checked in `isolation_*` below).
    ("POST", "/api/v1/mrz/verify", Authenticated),
    // Data protection. Each call acts on a record made for it (see `data_protection_call`).
    ("GET", "/api/v1/persons/{id}/consents", Needs(Read, Consent)),
    (
        "POST",
        "/api/v1/persons/{id}/consents",
        Needs(Create, Consent),
    ),
    (
        "POST",
        "/api/v1/consents/{id}/withdraw",
        Needs(Update, Consent),
    ),
    (
        "GET",
        "/api/v1/sharing-agreements",
        Needs(Read, SharingAgreement),
    ),
    (
        "POST",
        "/api/v1/sharing-agreements",
        Needs(Create, SharingAgreement),
    ),
    (
        "POST",
        "/api/v1/sharing-agreements/{id}/end",
        Needs(Update, SharingAgreement),
    ),
    (
        "GET",
        "/api/v1/data-subject-requests",
        Needs(Read, DataSubjectRequest),
    ),
    (
        "POST",
        "/api/v1/data-subject-requests",
        Needs(Create, DataSubjectRequest),
    ),
    (
        "POST",
        "/api/v1/data-subject-requests/{id}/close",
        Needs(Update, DataSubjectRequest),
    ),
    ("GET", "/api/v1/persons/{id}/export", Needs(Export, Person)),
    (
        "GET",
        "/api/v1/persons/{id}/legal-hold",
        Needs(Read, LegalHold),
    ),
    (
        "POST",
        "/api/v1/persons/{id}/legal-hold",
        Needs(Create, LegalHold),
    ),
    (
        "DELETE",
        "/api/v1/persons/{id}/legal-hold",
        Needs(Update, LegalHold),
    ),
    // Only the registering organisation erases: another's person is as missing.
    ("POST", "/api/v1/persons/{id}/erase", Needs(Erase, Person)),
];

const METHODS: [&str; 7] = ["get", "put", "post", "delete", "patch", "head", "options"];

/// Every (METHOD, path) the OpenAPI document lists.
async fn documented_routes(app: &App) -> BTreeSet<(String, String)> {
    let doc = send(app, Method::GET, "/api/v1/openapi.json", Auth::Nobody, None).await;
    assert_eq!(doc.status, StatusCode::OK);
    let paths = doc.body["paths"]
        .as_object()
        .expect("paths in the OpenAPI document");
    let mut routes = BTreeSet::new();
    for (path, item) in paths {
        for method in item.as_object().unwrap().keys() {
            if METHODS.contains(&method.as_str()) {
                routes.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    routes
}

/// Records of organisation a, created by its supervisor.
struct Fixture {
    site: String,
    arrival: String,
    household: String,
    household_number: String,
    person: String,
    person_number: String,
    document: String,
}

async fn fixture(app: &App, creator: &str) -> Fixture {
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

/// True when the path names one household, person or document (or something of theirs).
fn names_personal_record(template: &str) -> bool {
    template.contains('{')
        && [
            "/api/v1/households/",
            "/api/v1/persons/",
            "/api/v1/documents/",
            "/api/v1/consents/",
            "/api/v1/data-subject-requests/",
        ]
        .iter()
        .any(|p| template.starts_with(p))
}

/// What the handler of a route that acts on one record reads before it acts: the
/// store's check of the action comes after that read.
fn read_before_acting(method: &str, template: &str) -> Option<Resource> {
    match (method, template) {
        ("PATCH", "/api/v1/persons/{id}") | ("POST", "/api/v1/persons/{id}/documents") => {
            Some(Person)
        }
        ("PATCH", "/api/v1/households/{id}") => Some(Household),
        ("PATCH", "/api/v1/documents/{id}") => Some(Document),
        _ => None,
    }
}

/// A site code nobody has used: two to five letters, without I, L, O, U.
fn site_code(n: usize) -> String {
    const LETTERS: &[u8] = b"ABCDEFGHJKMNPQRSTVWXYZ";
    let l = |i: usize| char::from(LETTERS[i % LETTERS.len()]);
    format!("MX{}{}", l(n / LETTERS.len()), l(n))
}

/// The head of a household `org`'s supervisor registers now.
async fn registered_person(app: &App, f: &Fixture, org: &'static str) -> String {
    let token = app.token_of(org, Role::Supervisor);
    let (s, h) = app
        .post_as(&token, "/api/v1/households", another_level_one(&f.arrival))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{h}");
    h["head_person_id"].as_str().unwrap().to_owned()
}

/// An agreement from `provider` to `recipient` that starts tomorrow, so that recording it
/// changes what nobody sees today.
fn agreement_body(app: &App, provider: &str, recipient: &str) -> Value {
    json!({
        "provider_id": app.organisations[provider], "recipient_id": app.organisations[recipient],
        "purpose": "assistance", "data_categories": ["identity"], "fields": ["given_name"],
        "valid_from": "2026-11-28T10:00:00Z", "expires_at": "2026-12-28T10:00:00Z"
    })
}

/// The path and body of a call to a data-protection route, with what it acts on made for
/// it (a consent, an agreement, a request, a person to erase) so that no call changes the
/// fixture; None for the other routes.
async fn data_protection_call(
    app: &App,
    f: &Fixture,
    method: &str,
    template: &str,
    caller: (&str, Role),
    n: usize,
) -> Option<(String, Option<Value>)> {
    let focal_point = app.token_of("a", Role::DataProtectionFocalPoint);
    let (own, other) = if caller.0 == "b" {
        ("b", "a")
    } else {
        ("a", "b")
    };
    let call = match (method, template) {
        ("POST", "/api/v1/persons/{id}/consents") => (
            template.replace("{id}", &f.person),
            Some(json!({"recipient_id": app.organisations["b"], "scope": "tracing"})),
        ),
        ("POST", "/api/v1/consents/{id}/withdraw") => {
            let clerk = app.token_of("a", Role::RegistrationClerk);
            let (s, c) = app
                .post_as(
                    &clerk,
                    &format!("/api/v1/persons/{}/consents", f.person),
                    json!({"recipient_id": app.organisations["b"], "scope": "sgbv"}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{c}");
            (template.replace("{id}", c["id"].as_str().unwrap()), None)
        }
        ("POST", "/api/v1/sharing-agreements") => {
            (template.to_owned(), Some(agreement_body(app, own, other)))
        }
        ("POST", "/api/v1/sharing-agreements/{id}/end") => {
            let (s, a) = app
                .post_as(
                    &focal_point,
                    "/api/v1/sharing-agreements",
                    agreement_body(app, "a", "b"),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{a}");
            (template.replace("{id}", a["id"].as_str().unwrap()), None)
        }
        ("POST", "/api/v1/data-subject-requests") => {
            // About a person of the caller's own organisation.
            let person = if own == "a" {
                f.person.clone()
            } else {
                registered_person(app, f, "b").await
            };
            let body = json!({"person_id": person, "kind": "access"});
            (template.to_owned(), Some(body))
        }
        ("POST", "/api/v1/data-subject-requests/{id}/close") => {
            let (s, r) = app
                .post_as(
                    &focal_point,
                    "/api/v1/data-subject-requests",
                    json!({"person_id": f.person, "kind": "rectification"}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{r}");
            let body = json!({"status": "completed", "outcome": format!("corrected ({n})")});
            (
                template.replace("{id}", r["id"].as_str().unwrap()),
                Some(body),
            )
        }
        ("POST", "/api/v1/persons/{id}/legal-hold") => (
            template.replace("{id}", &f.person),
            Some(json!({"reason": format!("proceedings {n}")})),
        ),
        ("POST", "/api/v1/persons/{id}/erase") => {
            let person = registered_person(app, f, "a").await;
            let body = json!({"reason": "the person asked"});
            (template.replace("{id}", &person), Some(body))
        }
        _ => return None,
    };
    Some(call)
}

/// The path with real ids, and a valid body, for one call of a route. `n` makes names
/// and codes unique; updates carry the version the record is at now.
async fn plausible(
    app: &App,
    f: &Fixture,
    method: &str,
    template: &str,
    caller: (&str, Role),
    n: usize,
) -> (String, Option<Value>) {
    if let Some(call) = data_protection_call(app, f, method, template, caller, n).await {
        return call;
    }
    if template.starts_with("/api/v1/duplicates/decisions") {
        // A fresh pair of the caller's organisation each time: a pair is decided once.
        let org = if caller.0 == "a" { "a" } else { "b" };
        let supervisor = app.token_of(org, Role::Supervisor);
        let mut heads = Vec::new();
        for _ in 0..2 {
            let (s, h) = app
                .post_as(
                    &supervisor,
                    "/api/v1/households",
                    another_level_one(&f.arrival),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{h}");
            heads.push(h["head_person_id"].clone());
        }
        let link = json!({"person_a": heads[0], "person_b": heads[1],
                          "decision": "link", "reason": format!("matrix {n}")});
        if method == "POST" && template == "/api/v1/duplicates/decisions" {
            return (template.to_owned(), Some(link));
        }
        let (s, d) = app
            .post_as(&supervisor, "/api/v1/duplicates/decisions", link)
            .await;
        assert_eq!(s, StatusCode::CREATED, "{d}");
        let path = template.replace("{id}", d["id"].as_str().unwrap_or_default());
        return (path, Some(json!({"reason": format!("matrix {n}")})));
    }
    let id = if template.starts_with("/api/v1/sites") {
        &f.site
    } else if template.starts_with("/api/v1/arrivals") {
        &f.arrival
    } else if template.starts_with("/api/v1/households") {
        &f.household
    } else if template.starts_with("/api/v1/persons") {
        &f.person
    } else {
        &f.document
    };
    let number = if template.starts_with("/api/v1/households") {
        &f.household_number
    } else {
        &f.person_number
    };
    let path = template.replace("{id}", id).replace("{number}", number);
    let version = if method == "PATCH" || template.ends_with("/members") {
        let record = path.trim_end_matches("/members");
        let (s, current) = app.get(record).await;
        assert_eq!(s, StatusCode::OK, "{record}: {current}");
        current["version"].as_i64().unwrap()
    } else {
        0
    };
    let body = match (method, template) {
        ("POST", "/api/v1/session") => {
            json!({"username": username(caller.0, caller.1), "password": PASSWORD})
        }
        ("POST", "/api/v1/organisations") => {
            json!({"name": format!("Matrix organisation {n}"), "kind": "ngo"})
        }
        ("POST", "/api/v1/users") => json!({
            // Administrators create users in their own organisation only.
            "organisation_id": app.organisations[caller.0], "username": format!("matrix.user.{n}"),
            "display_name": "Matrix user", "password": PASSWORD, "roles": ["assistance_officer"]
        }),
        ("POST", "/api/v1/sites") => json!({
            "code": site_code(n), "name": "Matrix reception centre",
            "kind": "reception_centre", "country": "IDN"
        }),
        ("PATCH", "/api/v1/sites/{id}") => json!({"version": version, "details": {"capacity": n}}),
        ("POST", "/api/v1/arrivals") => json!({
            "site_id": f.site, "mode": "sea", "arrived_at": "2026-11-26T02:40:00+07:00",
            "persons_reported": 12
        }),
        ("PATCH", "/api/v1/arrivals/{id}") => {
            json!({"version": version, "details": {"persons_reported": 600 + n}})
        }
        ("POST", "/api/v1/households") => another_level_one(&f.arrival),
        ("PATCH", "/api/v1/households/{id}") => json!({"version": version, "kind": "family"}),
        ("POST", "/api/v1/households/{id}/members") => json!({"version": version, "members": [
            {"relationship": "child", "person": support::distinct_head()}
        ]}),
        ("PATCH", "/api/v1/persons/{id}") => json!({
            "version": version, "details": {"place_of_origin": format!("Maungdaw {n}")}
        }),
        ("POST", "/api/v1/persons/{id}/documents") => {
            json!({"kind": "national_id_card", "number": format!("N{n:07}")})
        }
        ("PATCH", "/api/v1/documents/{id}") => {
            json!({"version": version, "details": {"number": format!("A{n:07}")}})
        }
        ("POST", "/api/v1/mrz/verify") => json!({"mrz": SPECIMEN_TD3}),
        ("POST", "/api/v1/duplicates/check") => json!({"person": level_one(&f.arrival)["head"]}),

        (m, t) if m == "POST" || m == "PATCH" => panic!("no plausible body for {m} {t}"),
        _ => return (path, None),
    };
    (path, Some(body))
}

on_every_backend!(
    every_route_answers_every_role_as_the_permission_table_says,
    |app: App| async move {
        let routes = documented_routes(&app).await;
        let ruled: BTreeSet<(String, String)> = RULES
            .iter()
            .map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned()))
            .collect();
        let unruled: Vec<String> = routes
            .difference(&ruled)
            .map(|(m, p)| format!("{m} {p}"))
            .collect();
        assert!(
            unruled.is_empty(),
            "routes in the OpenAPI document without an access rule in tests/access.rs: {unruled:?}"
        );
        let stale: Vec<String> = ruled
            .difference(&routes)
            .map(|(m, p)| format!("{m} {p}"))
            .collect();
        assert!(
            stale.is_empty(),
            "access rules for routes the OpenAPI document does not list: {stale:?}"
        );

        let f = fixture(&app, &app.token).await;
        let mut n = 0;
        let mut calls = 0;
        let mut not_found_before_forbidden = BTreeSet::new();
        for (method, template, rule) in RULES {
            let m = Method::from_bytes(method.as_bytes()).unwrap();
            // Without any credentials.
            n += 1;
            let (path, body) =
                plausible(&app, &f, method, template, ("a", Role::Supervisor), n).await;
            let a = send(&app, m.clone(), &path, Auth::Nobody, body.as_ref()).await;
            calls += 1;
            match rule {
                Public => assert!(
                    a.status.is_success(),
                    "{method} {path} without a token: {a:?}"
                ),
                _ => {
                    assert_eq!(
                        a.status,
                        StatusCode::UNAUTHORIZED,
                        "{method} {path} without a token: {a:?}"
                    );
                    assert!(a.is_problem(), "{method} {path}: {a:?}");
                    assert_eq!(a.headers[header::WWW_AUTHENTICATE], "Bearer");
                }
            }
            // As every role of both organisations.
            for org in ["a", "b"] {
                for role in Role::ALL {
                    n += 1;
                    let (path, body) = plausible(&app, &f, method, template, (org, role), n).await;
                    let token = app.token_of(org, role);
                    let a = send(&app, m.clone(), &path, Auth::Bearer(&token), body.as_ref()).await;
                    calls += 1;
                    let who = format!("{method} {path} as {role} of {org}");
                    match rule {
                        Public | Authenticated => {
                            assert!(a.status.is_success(), "{who}: {a:?}");
                        }
                        Needs(action, resource) if access::allows(role, *action, *resource) => {
                            // Another organisation's personal record is as missing.
                            let hidden = org == "b" && names_personal_record(template);
                            assert!(
                                a.status.is_success()
                                    || a.status == StatusCode::CONFLICT
                                    || (hidden && a.status == StatusCode::NOT_FOUND),
                                "{who} is allowed by the table: {a:?}"
                            );
                        }
                        Needs(action, resource) => {
                            // The handler reads the record before the store checks the
                            // action; a record the caller may not see is then missing.
                            let read_first = org == "b"
                                && names_personal_record(template)
                                && read_before_acting(method, template)
                                    .is_some_and(|r| access::allows(role, Read, r));
                            if read_first && a.status == StatusCode::NOT_FOUND {
                                not_found_before_forbidden
                                    .insert(format!("{method} {template} as {role}"));
                            } else {
                                assert_eq!(
                                    a.status,
                                    StatusCode::FORBIDDEN,
                                    "{who} may not {action:?} {resource:?}: {a:?}"
                                );
                            }
                            assert!(a.is_problem(), "{who}: {a:?}");
                        }
                    }
                }
            }
        }
        eprintln!(
            "access matrix: {} routes, {calls} calls ({} with a role's token)",
            RULES.len(),
            RULES.len() * 2 * Role::ALL.len()
        );
        eprintln!(
            "forbidden, but 404 for another organisation's record (read before the check): {not_found_before_forbidden:#?}"
        );
    }
);

// ---------------------------------------------------------------------------------------
// 2. Organisation isolation

/// The answer with `id` (and any other given text) replaced, to compare a hidden record's
/// answer with a missing one's.
fn masked(a: &Answer, ids: &[&str]) -> String {
    let mut text = a.body.to_string();
    for id in ids {
        text = text.replace(id, "<ID>");
    }
    format!("{} {} {text}", a.status, a.content_type())
}

on_every_backend!(
    another_organisations_household_is_as_missing_by_every_route,
    |app: App| async move {
        let clerk_a = app.token_of("a", Role::RegistrationClerk);
        let f = fixture(&app, &clerk_a).await;
        let missing = Uuid::now_v7().to_string();
        let site = SiteCode::try_from(f.person_number[..3].to_owned()).unwrap();
        let missing_number = RegistrationNumber::new(site, 999_999).to_string();
        let (_, before) = app
            .get_as(&clerk_a, &format!("/api/v1/households/{}", f.household))
            .await;

        // (method, path of the real record, path of a missing one, body, and the permission
        // without which the record is not even looked up)
        let probes: Vec<(Method, String, String, Option<Value>, Action, Resource)> = vec![
            (
                Method::GET,
                format!("/api/v1/persons/{}", f.person),
                format!("/api/v1/persons/{missing}"),
                None,
                Read,
                Person,
            ),
            (
                Method::GET,
                format!("/api/v1/persons/by-number/{}", f.person_number),
                format!("/api/v1/persons/by-number/{missing_number}"),
                None,
                Read,
                Person,
            ),
            (
                Method::GET,
                format!("/api/v1/persons/{}/token.svg", f.person),
                format!("/api/v1/persons/{missing}/token.svg"),
                None,
                Read,
                Person,
            ),
            (
                Method::GET,
                format!("/api/v1/households/{}", f.household),
                format!("/api/v1/households/{missing}"),
                None,
                Read,
                Household,
            ),
            (
                Method::GET,
                format!("/api/v1/households/by-number/{}", f.household_number),
                format!("/api/v1/households/by-number/{missing_number}"),
                None,
                Read,
                Household,
            ),
            (
                Method::GET,
                format!("/api/v1/households/{}/token.svg", f.household),
                format!("/api/v1/households/{missing}/token.svg"),
                None,
                Read,
                Household,
            ),
            (
                Method::GET,
                format!("/api/v1/persons/{}/audit", f.person),
                format!("/api/v1/persons/{missing}/audit"),
                None,
                Read,
                AuditLog,
            ),
            (
                Method::GET,
                format!("/api/v1/documents/{}", f.document),
                format!("/api/v1/documents/{missing}"),
                None,
                Read,
                Document,
            ),
            // A stale version: a visible record would answer 409.
            (
                Method::PATCH,
                format!("/api/v1/persons/{}", f.person),
                format!("/api/v1/persons/{missing}"),
                Some(json!({"version": 99, "details": {"family_name": "Changed"}})),
                Read,
                Person,
            ),
            (
                Method::POST,
                format!("/api/v1/persons/{}/documents", f.person),
                format!("/api/v1/persons/{missing}/documents"),
                Some(json!({"kind": "passport", "number": "B7654321"})),
                Read,
                Person,
            ),
            (
                Method::PATCH,
                format!("/api/v1/households/{}", f.household),
                format!("/api/v1/households/{missing}"),
                Some(json!({"version": 99, "size": 5})),
                Read,
                Household,
            ),
            (
                Method::POST,
                format!("/api/v1/households/{}/members", f.household),
                format!("/api/v1/households/{missing}/members"),
                Some(
                    json!({"version": 99, "members": [{"relationship": "child", "person": {"given_name": "Nur", "sex": "F"}}]}),
                ),
                Update,
                Household,
            ),
            (
                Method::PATCH,
                format!("/api/v1/documents/{}", f.document),
                format!("/api/v1/documents/{missing}"),
                Some(json!({"version": 99, "details": {"number": "A7654321"}})),
                Read,
                Document,
            ),
        ];
        let lists: Vec<(String, Resource)> = vec![
            ("/api/v1/persons".into(), Person),
            ("/api/v1/persons?name=Mohammed%20Ayub".into(), Person),
            (
                "/api/v1/persons?name=%D9%85%D8%AD%D9%85%D8%AF".into(),
                Person,
            ),
            ("/api/v1/persons?nationality=stateless&sex=M".into(), Person),
            (
                format!("/api/v1/persons?household_id={}", f.household),
                Person,
            ),
            ("/api/v1/households".into(), Household),
            (
                format!("/api/v1/households?arrival_id={}", f.arrival),
                Household,
            ),
            ("/api/v1/documents".into(), Document),
            (
                format!("/api/v1/documents?person_id={}", f.person),
                Document,
            ),
            ("/api/v1/documents?number=A1234567".into(), Document),
        ];

        for role in Role::ALL {
            let token = app.token_of("b", role);
            for (method, real, gone, body, action, resource) in &probes {
                let seen = send(
                    &app,
                    method.clone(),
                    real,
                    Auth::Bearer(&token),
                    body.as_ref(),
                )
                .await;
                let absent = send(
                    &app,
                    method.clone(),
                    gone,
                    Auth::Bearer(&token),
                    body.as_ref(),
                )
                .await;
                let who = format!("{method} {real} as {role} of b");
                let expected = if access::allows(role, *action, *resource) {
                    StatusCode::NOT_FOUND
                } else {
                    StatusCode::FORBIDDEN
                };
                assert_eq!(seen.status, expected, "{who}: {seen:?}");
                assert_eq!(
                    masked(
                        &seen,
                        &[
                            &f.person,
                            &f.household,
                            &f.document,
                            &f.person_number,
                            &f.household_number
                        ]
                    ),
                    masked(&absent, &[&missing, &missing_number]),
                    "{who} answers unlike a missing record"
                );
                assert!(!seen.body.to_string().contains("Ayub"), "{who}: {seen:?}");
            }
            // MRZ verification against that person reads the person.
            let check = send(
                &app,
                Method::POST,
                "/api/v1/mrz/verify",
                Auth::Bearer(&token),
                Some(&json!({"mrz": SPECIMEN_TD3, "person_id": f.person})),
            )
            .await;
            let expected = if access::allows(role, Read, Person) {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(
                check.status, expected,
                "MRZ check against a's person as {role} of b: {check:?}"
            );
            for (path, resource) in &lists {
                let (s, page) = app.get_as(&token, path).await;
                if access::allows(role, Read, *resource) {
                    assert_eq!(s, StatusCode::OK, "{path} as {role} of b: {page}");
                    assert_eq!(page["items"], json!([]), "{path} as {role} of b");
                } else {
                    assert_eq!(s, StatusCode::FORBIDDEN, "{path} as {role} of b: {page}");
                }
            }
        }

        // Nothing b tried changed anything.
        let (_, after) = app
            .get_as(&clerk_a, &format!("/api/v1/households/{}", f.household))
            .await;
        assert_eq!(before, after);
        let (_, person) = app
            .get_as(&clerk_a, &format!("/api/v1/persons/{}", f.person))
            .await;
        assert_eq!(person["version"], 1);
        assert_eq!(person["details"]["family_name"], "Ayub");
        let (_, docs) = app
            .get_as(
                &clerk_a,
                &format!("/api/v1/documents?person_id={}", f.person),
            )
            .await;
        assert_eq!(docs["items"].as_array().unwrap().len(), 1, "{docs}");
        assert_eq!(docs["items"][0]["version"], 1);

        // Organisation a sees it, by the roles that may.
        for role in Role::ALL {
            let token = app.token_of("a", role);
            let reads = [
                (format!("/api/v1/persons/{}", f.person), Person),
                (
                    format!("/api/v1/persons/by-number/{}", f.person_number),
                    Person,
                ),
                (format!("/api/v1/persons/{}/token.svg", f.person), Person),
                (format!("/api/v1/households/{}", f.household), Household),
                (
                    format!("/api/v1/households/by-number/{}", f.household_number),
                    Household,
                ),
                (
                    format!("/api/v1/households/{}/token.svg", f.household),
                    Household,
                ),
                (format!("/api/v1/documents/{}", f.document), Document),
            ];
            for (path, resource) in reads {
                let a = send(&app, Method::GET, &path, Auth::Bearer(&token), None).await;
                if access::allows(role, Read, resource) {
                    assert_eq!(a.status, StatusCode::OK, "{path} as {role} of a: {a:?}");
                    if path.ends_with(".svg") {
                        assert_eq!(a.content_type(), "image/svg+xml");
                    }
                } else {
                    assert_eq!(
                        a.status,
                        StatusCode::FORBIDDEN,
                        "{path} as {role} of a: {a:?}"
                    );
                }
            }
            for (path, resource) in &lists {
                let (s, page) = app.get_as(&token, path).await;
                if access::allows(role, Read, *resource) {
                    assert_eq!(s, StatusCode::OK, "{path} as {role} of a: {page}");
                    assert_eq!(
                        page["items"].as_array().unwrap().len(),
                        1,
                        "{path} as {role} of a: {page}"
                    );
                } else {
                    assert_eq!(s, StatusCode::FORBIDDEN, "{path} as {role} of a: {page}");
                }
            }
            if access::allows(role, Read, Person) {
                let (_, p) = app
                    .get_as(&token, &format!("/api/v1/persons/{}", f.person))
                    .await;
                assert_eq!(p["details"]["family_name"], "Ayub");
            }
        }
    }
);

// ---------------------------------------------------------------------------------------
// 3. Analysts and administrators

on_every_backend!(
    analysts_and_administrators_never_see_names,
    |app: App| async move {
        let f = fixture(&app, &app.token).await;
        let paths = [
            "/api/v1/persons".to_owned(),
            "/api/v1/persons?name=Ayub".to_owned(),
            "/api/v1/persons?nationality=stateless".to_owned(),
            "/api/v1/households".to_owned(),
            format!("/api/v1/households?arrival_id={}", f.arrival),
            "/api/v1/documents".to_owned(),
            format!("/api/v1/persons/{}", f.person),
            format!("/api/v1/persons/by-number/{}", f.person_number),
            format!("/api/v1/households/{}", f.household),
            format!("/api/v1/households/by-number/{}", f.household_number),
            format!("/api/v1/documents/{}", f.document),
        ];
        for org in ["a", "b"] {
            for role in [Role::DataAnalyst, Role::Administrator] {
                let token = app.token_of(org, role);
                for path in &paths {
                    let a = send(&app, Method::GET, path, Auth::Bearer(&token), None).await;
                    assert_eq!(
                        a.status,
                        StatusCode::FORBIDDEN,
                        "{path} as {role} of {org}: {a:?}"
                    );
                    assert!(a.is_problem(), "{a:?}");
                    let text = a.body.to_string();
                    assert!(
                        !text.contains("Ayub") && !text.contains("Mohammed"),
                        "{text}"
                    );
                }
                // What they may read carries no names either.
                let (s, sites) = app.get_as(&token, "/api/v1/sites").await;
                assert_eq!(s, StatusCode::OK, "{sites}");
                assert!(!sites.to_string().contains("Ayub"), "{sites}");
            }
        }
    }
);

// ---------------------------------------------------------------------------------------
// 4. Login and lockout

async fn try_login(app: &App, username: &str, password: &str) -> Answer {
    send(
        app,
        Method::POST,
        "/api/v1/session",
        Auth::Nobody,
        Some(&json!({"username": username, "password": password})),
    )
    .await
}

/// Status, content type and body: what a client can tell apart.
fn seen(a: &Answer) -> (StatusCode, String, Value, Option<String>) {
    let www = a
        .headers
        .get(header::WWW_AUTHENTICATE)
        .map(|v| v.to_str().unwrap().to_owned());
    (a.status, a.content_type().to_owned(), a.body.clone(), www)
}

on_every_backend!(
    login_refuses_alike_and_locks_after_five_failures,
    |mut app: App| async move {
        let clerk = username("a", Role::RegistrationClerk);
        let ok = try_login(&app, &clerk, PASSWORD).await;
        assert_eq!(ok.status, StatusCode::OK, "{ok:?}");
        assert_eq!(ok.body["username"], clerk);
        assert_eq!(ok.body["roles"], json!(["registration_clerk"]));
        let csrf = ok.body["csrf_token"].as_str().unwrap();
        assert!(csrf.len() >= 32, "{csrf}");
        let cookie = ok.headers[header::SET_COOKIE].to_str().unwrap();
        assert!(cookie.starts_with("passage_session="), "{cookie}");
        let flags: Vec<&str> = cookie.split(';').map(str::trim).collect();
        assert!(flags.contains(&"HttpOnly"), "{cookie}");
        assert!(flags.contains(&"SameSite=Strict"), "{cookie}");
        assert!(flags.contains(&"Path=/"), "{cookie}");
        assert!(flags[0].len() > "passage_session=".len() + 32, "{cookie}");

        let wrong = try_login(&app, &clerk, "not the password").await;
        let unknown = try_login(&app, "nobody.here", PASSWORD).await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{wrong:?}");
        assert!(wrong.is_problem());
        assert!(wrong.headers.get(header::SET_COOKIE).is_none());
        assert_eq!(seen(&wrong), seen(&unknown));
        let disabled = username("b", Role::SiteManager);
        app.store
            .set_user_disabled(&Principal::operator(NOW), &disabled, true)
            .await
            .unwrap();
        assert_eq!(
            seen(&try_login(&app, &disabled, PASSWORD).await),
            seen(&wrong)
        );
        // Bad input is about the input, not the account.
        let a = send(
            &app,
            Method::POST,
            "/api/v1/session",
            Auth::Nobody,
            Some(&json!({"username": clerk})),
        )
        .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{a:?}");

        // Four failures do not lock; a success clears them.
        let caseworker = username("a", Role::AsylumCaseworker);
        for _ in 0..4 {
            assert_eq!(
                seen(&try_login(&app, &caseworker, "guess").await),
                seen(&wrong)
            );
        }
        assert_eq!(
            try_login(&app, &caseworker, PASSWORD).await.status,
            StatusCode::OK
        );
        let creds = app.store.credentials(&caseworker).await.unwrap().unwrap();
        assert_eq!((creds.failed_logins, creds.user.locked_until), (0, None));

        // Five in a row lock, and the right password is then refused alike.
        let officer = username("a", Role::ScreeningOfficer);
        for _ in 0..5 {
            assert_eq!(
                seen(&try_login(&app, &officer, "guess").await),
                seen(&wrong)
            );
        }
        let locked = try_login(&app, &officer, PASSWORD).await;
        assert_eq!(
            seen(&locked),
            seen(&wrong),
            "a locked account answers like a wrong password"
        );
        let creds = app.store.credentials(&officer).await.unwrap().unwrap();
        assert_eq!(
            creds.failed_logins, 5,
            "the right password is not a failure"
        );
        let until = creds.user.locked_until.expect("locked after five failures");
        assert!(until > NOW, "{until}");
        // Still locked just before the end.
        clock_at(&mut app, until - Duration::milliseconds(1));
        assert_eq!(
            seen(&try_login(&app, &officer, PASSWORD).await),
            seen(&wrong)
        );
        // And open after it.
        clock_at(&mut app, until + Duration::seconds(1));
        let a = try_login(&app, &officer, PASSWORD).await;
        assert_eq!(a.status, StatusCode::OK, "{a:?}");
        let creds = app.store.credentials(&officer).await.unwrap().unwrap();
        assert_eq!((creds.failed_logins, creds.user.locked_until), (0, None));
    }
);

// ---------------------------------------------------------------------------------------
// 5. CSRF

on_every_backend!(
    a_session_changes_nothing_without_its_csrf_token,
    |app: App| async move {
        let (cookie, csrf) = login(&app, &username("a", Role::Supervisor)).await;
        let site =
            json!({"code": "CSRF", "name": "Forged", "kind": "transit_centre", "country": "IDN"});
        let refusals = [None, Some("0123456789abcdef"), Some("")];
        for sent in refusals {
            let a = send(
                &app,
                Method::POST,
                "/api/v1/sites",
                Auth::Session(&cookie, sent),
                Some(&site),
            )
            .await;
            assert_eq!(
                a.status,
                StatusCode::FORBIDDEN,
                "CSRF token {sent:?}: {a:?}"
            );
            assert!(a.is_problem(), "{a:?}");
        }
        // Reads need no token.
        let list = send(
            &app,
            Method::GET,
            "/api/v1/sites",
            Auth::Session(&cookie, None),
            None,
        )
        .await;
        assert_eq!(list.status, StatusCode::OK, "{list:?}");
        assert_eq!(
            list.body["items"],
            json!([]),
            "the refused writes left nothing"
        );
        let me = send(
            &app,
            Method::GET,
            "/api/v1/session",
            Auth::Session(&cookie, None),
            None,
        )
        .await;
        assert_eq!(me.status, StatusCode::OK, "{me:?}");
        assert_eq!(me.body["username"], "supervisor.a");
        assert!(me.body.get("csrf_token").is_none(), "{me:?}");

        let made = send(
            &app,
            Method::POST,
            "/api/v1/sites",
            Auth::Session(&cookie, Some(&csrf)),
            Some(&site),
        )
        .await;
        assert_eq!(made.status, StatusCode::CREATED, "{made:?}");
        let path = format!("/api/v1/sites/{}", made.body["id"].as_str().unwrap());
        let patch = json!({"version": 1, "details": {"capacity": 40}});
        for sent in refusals {
            let a = send(
                &app,
                Method::PATCH,
                &path,
                Auth::Session(&cookie, sent),
                Some(&patch),
            )
            .await;
            assert_eq!(
                a.status,
                StatusCode::FORBIDDEN,
                "CSRF token {sent:?}: {a:?}"
            );
        }
        let a = send(
            &app,
            Method::PATCH,
            &path,
            Auth::Session(&cookie, Some(&csrf)),
            Some(&patch),
        )
        .await;
        assert_eq!(a.status, StatusCode::OK, "{a:?}");
        assert_eq!(a.body["version"], 2);

        // Another session's token does not do.
        let (other_cookie, other_csrf) = login(&app, &username("a", Role::SiteManager)).await;
        let a = send(
            &app,
            Method::PATCH,
            &path,
            Auth::Session(&other_cookie, Some(&csrf)),
            Some(&json!({"version": 2})),
        )
        .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{a:?}");
        let a = send(
            &app,
            Method::PATCH,
            &path,
            Auth::Session(&cookie, Some(&other_csrf)),
            Some(&json!({"version": 2})),
        )
        .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{a:?}");

        // Logging out is a change too.
        let a = send(
            &app,
            Method::DELETE,
            "/api/v1/session",
            Auth::Session(&cookie, None),
            None,
        )
        .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{a:?}");
        let a = send(
            &app,
            Method::DELETE,
            "/api/v1/session",
            Auth::Session(&cookie, Some(&csrf)),
            None,
        )
        .await;
        assert_eq!(a.status, StatusCode::NO_CONTENT, "{a:?}");
        let a = send(
            &app,
            Method::GET,
            "/api/v1/sites",
            Auth::Session(&cookie, None),
            None,
        )
        .await;
        assert_eq!(
            a.status,
            StatusCode::UNAUTHORIZED,
            "a session ends at logout: {a:?}"
        );
        // An API token needs no CSRF token: a browser never sends it by itself.
        let site =
            json!({"code": "TKN", "name": "By token", "kind": "transit_centre", "country": "IDN"});
        let (s, body) = app.post("/api/v1/sites", site).await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
    }
);

// ---------------------------------------------------------------------------------------
// 6. Session lifetimes

async fn whoami(app: &App, cookie: &str) -> StatusCode {
    send(
        app,
        Method::GET,
        "/api/v1/session",
        Auth::Session(cookie, None),
        None,
    )
    .await
    .status
}

on_every_backend!(
    sessions_end_when_idle_and_at_their_absolute_limit,
    |mut app: App| async move {
        let config = AuthConfig::default();
        assert_eq!(
            (config.idle, config.absolute),
            (Duration::minutes(30), Duration::hours(12))
        );
        let user = username("a", Role::AssistanceOfficer);
        let (idle, _) = login(&app, &user).await;
        let (busy, _) = login(&app, &user).await;
        // Used every 29 minutes, the busy session lives on; the idle one ends after 30.
        let mut t = NOW;
        for step in 1..=24 {
            t = NOW + Duration::minutes(29 * step);
            clock_at(&mut app, t);
            assert_eq!(whoami(&app, &busy).await, StatusCode::OK, "{}", t - NOW);
            if step == 2 {
                assert_eq!(
                    whoami(&app, &idle).await,
                    StatusCode::UNAUTHORIZED,
                    "idle since login, at {}",
                    t - NOW
                );
            }
        }
        assert_eq!(t, NOW + Duration::minutes(696));
        t = NOW + config.absolute - Duration::minutes(1);
        clock_at(&mut app, t);
        assert_eq!(whoami(&app, &busy).await, StatusCode::OK, "{}", t - NOW);
        // Twelve hours after login it ends, though it was used a minute ago.
        t = NOW + config.absolute;
        clock_at(&mut app, t);
        assert_eq!(
            whoami(&app, &busy).await,
            StatusCode::UNAUTHORIZED,
            "{}",
            t - NOW
        );

        // The store says the same, and an ended session stays ended.
        let hash = auth::digest(&idle);
        assert!(
            app.store
                .session(&hash, NOW + Duration::minutes(31), config.idle)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            app.store
                .session(&hash, NOW + Duration::minutes(29), config.idle)
                .await
                .unwrap()
                .is_some()
        );
        let hash = auth::digest(&busy);
        assert!(
            app.store
                .session(&hash, NOW + config.absolute, config.idle)
                .await
                .unwrap()
                .is_none()
        );
        // An unknown cookie is no session.
        let a = send(
            &app,
            Method::GET,
            "/api/v1/session",
            Auth::Session("forged", None),
            None,
        )
        .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        assert!(a.is_problem());
    }
);

// ---------------------------------------------------------------------------------------
// 7. API tokens

async fn new_token(
    app: &App,
    user: &str,
    roles: Option<Vec<Role>>,
    expires: OffsetDateTime,
) -> (Uuid, String) {
    let secret = auth::new_secret("psg_").unwrap();
    let id = app
        .store
        .create_token(
            user,
            "access test",
            auth::digest(&secret),
            roles,
            expires,
            NOW,
        )
        .await
        .unwrap();
    (id, secret)
}

on_every_backend!(
    tokens_carry_only_their_roles_and_stop_when_expired_revoked_or_disabled,
    |mut app: App| async move {
        let arrival = app.arrival().await;
        // A user holding two roles.
        app.store
            .create_user(
                &Principal::operator(NOW),
                NewUser {
                    organisation_id: app.organisations["a"],
                    username: "two.roles".into(),
                    display_name: "Two roles".into(),
                    password_hash: auth::hash_password(PASSWORD).unwrap(),
                    roles: vec![Role::RegistrationClerk, Role::DataProtectionFocalPoint],
                },
            )
            .await
            .unwrap();
        let day = NOW + Duration::days(1);
        let (_, both) = new_token(&app, "two.roles", None, day).await;
        let (_, clerk) =
            new_token(&app, "two.roles", Some(vec![Role::RegistrationClerk]), day).await;
        let (_, focal) = new_token(
            &app,
            "two.roles",
            Some(vec![Role::DataProtectionFocalPoint]),
            day,
        )
        .await;
        let (_, none) = new_token(&app, "two.roles", Some(vec![]), day).await;
        // A token cannot hold a role its user lacks.
        let secret = auth::new_secret("psg_").unwrap();
        assert!(
            app.store
                .create_token(
                    "two.roles",
                    "x",
                    auth::digest(&secret),
                    Some(vec![Role::Supervisor]),
                    day,
                    NOW
                )
                .await
                .is_err()
        );

        // Only the clerk role registers households; only the focal point role lists users.
        for (token, registers, lists_users) in [
            (&both, true, true),
            (&clerk, true, false),
            (&focal, false, true),
            (&none, false, false),
        ] {
            let (s, h) = app
                .post_as(token, "/api/v1/households", another_level_one(&arrival))
                .await;
            let expected = if registers {
                StatusCode::CREATED
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(s, expected, "{h}");
            let (s, users) = app.get_as(token, "/api/v1/users").await;
            let expected = if lists_users {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(s, expected, "{users}");
            let (s, me) = app.get_as(token, "/api/v1/session").await;
            assert_eq!(s, StatusCode::OK, "{me}");
            let roles: Vec<Role> = serde_json::from_value(me["roles"].clone()).unwrap();
            assert!(
                roles
                    .iter()
                    .all(|r| [Role::RegistrationClerk, Role::DataProtectionFocalPoint].contains(r))
            );
            assert_eq!(roles.contains(&Role::RegistrationClerk), registers, "{me}");
            assert_eq!(
                roles.contains(&Role::DataProtectionFocalPoint),
                lists_users,
                "{me}"
            );
        }

        // Unknown and malformed tokens.
        for token in ["psg_0000", ""] {
            let a = send(
                &app,
                Method::GET,
                "/api/v1/sites",
                Auth::Bearer(token),
                None,
            )
            .await;
            assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{a:?}");
        }

        // Revoked: refused from then on.
        let (id, revoked) = new_token(&app, "two.roles", None, day).await;
        assert_eq!(
            app.get_as(&revoked, "/api/v1/sites").await.0,
            StatusCode::OK
        );
        app.store.revoke_token(id, NOW).await.unwrap();
        let a = send(
            &app,
            Method::GET,
            "/api/v1/sites",
            Auth::Bearer(&revoked),
            None,
        )
        .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{a:?}");
        assert!(a.is_problem());
        assert!(
            app.store.revoke_token(id, NOW).await.is_err(),
            "revoked twice"
        );

        // Disabled user: every token of theirs stops, and starts again when enabled.
        let operator = Principal::operator(NOW);
        app.store
            .set_user_disabled(&operator, "two.roles", true)
            .await
            .unwrap();
        for token in [&both, &clerk, &focal] {
            let a = send(
                &app,
                Method::GET,
                "/api/v1/sites",
                Auth::Bearer(token),
                None,
            )
            .await;
            assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{a:?}");
        }
        let other = app.token_of("a", Role::RegistrationClerk);
        assert_eq!(
            app.get_as(&other, "/api/v1/sites").await.0,
            StatusCode::OK,
            "other users go on"
        );
        app.store
            .set_user_disabled(&operator, "two.roles", false)
            .await
            .unwrap();
        assert_eq!(app.get_as(&both, "/api/v1/sites").await.0, StatusCode::OK);

        // Expired: refused from its expiry on.
        let (_, short) = new_token(&app, "two.roles", None, NOW + Duration::hours(1)).await;
        let (_, stale) = new_token(&app, "two.roles", None, NOW).await;
        assert_eq!(app.get_as(&short, "/api/v1/sites").await.0, StatusCode::OK);
        assert_eq!(
            app.get_as(&stale, "/api/v1/sites").await.0,
            StatusCode::UNAUTHORIZED
        );
        clock_at(&mut app, NOW + Duration::hours(1) - Duration::seconds(1));
        assert_eq!(app.get_as(&short, "/api/v1/sites").await.0, StatusCode::OK);
        clock_at(&mut app, NOW + Duration::hours(1));
        let a = send(
            &app,
            Method::GET,
            "/api/v1/sites",
            Auth::Bearer(&short),
            None,
        )
        .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{a:?}");
        assert_eq!(
            app.get_as(&both, "/api/v1/sites").await.0,
            StatusCode::OK,
            "a day-long token goes on"
        );
    }
);
