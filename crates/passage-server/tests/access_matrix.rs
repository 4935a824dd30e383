//! Access control through the real router on a real database: every documented route
//! against every role of two organisations, as the permission table says. SQLite
//! always, PostgreSQL when `PASSAGE_TEST_PG_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use axum::http::{Method, StatusCode, header};
use passage_domain::access::{self, Action, Context, Principal, Resource, Role};
use passage_domain::protection::case_access::case_access;
use passage_domain::protection::procedure::ProcedureKind;
use serde_json::{Value, json};

#[macro_use]
mod support;
#[path = "access_matrix/calls.rs"]
mod calls;

use calls::{call, care_call, data_protection_call, import_call, protection_call};

use support::access::*;
use support::{App, PASSWORD, SPECIMEN_TD3, level_one};

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
    /// A role that allows this action on any of these resources.
    AnyOf(Action, &'static [Resource]),
    /// A role that may take this action on a case of this kind (the table, then the
    /// caseworkers of the kind: `protection::case_access`).
    CaseOf(Action, ProcedureKind),
}

use Action::{Create, Erase, Export, Read, Update};
use Resource::{
    Arrival, AuditLog, Case, Consent, DataSubjectRequest, Distribution, Document, Duplicate,
    FlowObservation, HoldLift, Household, Incident, LegalHold, Organisation, Person, Programme,
    Referral, Screening, SharingAgreement, ShelterUnit, Site, SpecificNeed, Statistics, Stay,
    TracingRequest, User,
};
use Rule::{AnyOf, Authenticated, CaseOf, Needs, Public};

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
    // The queue lists the submissions of every form whose record the caller may create.
    (
        "GET",
        "/api/v1/submissions",
        AnyOf(Create, &[Household, Screening]),
    ),
    ("GET", "/api/v1/submissions/{id}", Needs(Create, Household)),
    (
        "GET",
        "/api/v1/submissions/{id}/attachments/{name}",
        Needs(Create, Household),
    ),
    (
        "POST",
        "/api/v1/submissions/{id}/accept",
        Needs(Create, Household),
    ),
    (
        "POST",
        "/api/v1/submissions/{id}/reject",
        Needs(Create, Household),
    ),
    // Whoever may register households may import them, and see the jobs and mappings.
    ("POST", "/api/v1/imports", Needs(Create, Household)),
    ("GET", "/api/v1/imports", Needs(Create, Household)),
    ("GET", "/api/v1/imports/{id}", Needs(Create, Household)),
    ("GET", "/api/v1/import-mappings", Needs(Create, Household)),
    (
        "GET",
        "/api/v1/import-mappings/{name}",
        Needs(Create, Household),
    ),
    (
        "PUT",
        "/api/v1/import-mappings/{name}",
        Needs(Create, Household),
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
    // Protection. Each call that changes something acts on a record made for it (see
    // `protection_call`).
    ("GET", "/api/v1/questionnaires", Authenticated),
    (
        "GET",
        "/api/v1/questionnaires/{id}/{version}",
        Authenticated,
    ),
    (
        "POST",
        "/api/v1/persons/{id}/screenings",
        Needs(Create, Screening),
    ),
    (
        "GET",
        "/api/v1/persons/{id}/screenings",
        Needs(Read, Screening),
    ),
    ("GET", "/api/v1/screenings/{id}", Needs(Read, Screening)),
    (
        "POST",
        "/api/v1/screenings/{id}/confirm",
        Needs(Update, Screening),
    ),
    (
        "POST",
        "/api/v1/persons/{id}/needs",
        Needs(Create, SpecificNeed),
    ),
    (
        "GET",
        "/api/v1/persons/{id}/needs",
        Needs(Read, SpecificNeed),
    ),
    (
        "POST",
        "/api/v1/needs/{id}/close",
        Needs(Update, SpecificNeed),
    ),
    (
        "POST",
        "/api/v1/persons/{id}/referrals",
        Needs(Create, Referral),
    ),
    (
        "GET",
        "/api/v1/persons/{id}/referrals",
        Needs(Read, Referral),
    ),
    ("GET", "/api/v1/referrals", Needs(Read, Referral)),
    ("GET", "/api/v1/referrals/{id}", Needs(Read, Referral)),
    (
        "POST",
        "/api/v1/referrals/{id}/steps",
        Needs(Update, Referral),
    ),
    (
        "GET",
        "/api/v1/referrals/{id}/person",
        Needs(Read, Referral),
    ),
    (
        "POST",
        "/api/v1/persons/{id}/cases",
        CaseOf(Create, ProcedureKind::Asylum),
    ),
    ("GET", "/api/v1/persons/{id}/cases", Needs(Read, Case)),
    ("GET", "/api/v1/cases/{id}", Needs(Read, Case)),
    (
        "POST",
        "/api/v1/cases/{id}/transitions",
        CaseOf(Update, ProcedureKind::Asylum),
    ),
    ("GET", "/api/v1/cases/{id}/return-file", Needs(Read, Case)),
    (
        "POST",
        "/api/v1/cases/{id}/hold-lifts",
        Needs(Create, HoldLift),
    ),
    (
        "POST",
        "/api/v1/hold-lifts/{id}/decision",
        Needs(Update, HoldLift),
    ),
    ("GET", "/api/v1/queues", Needs(Read, Person)),
    // Care. Calls that change something act on a record made for them (see `care_call`).
    ("POST", "/api/v1/shelter-units", Needs(Create, ShelterUnit)),
    (
        "PATCH",
        "/api/v1/shelter-units/{id}",
        Needs(Update, ShelterUnit),
    ),
    ("GET", "/api/v1/sites/{id}/units", Needs(Read, ShelterUnit)),
    (
        "GET",
        "/api/v1/sites/{id}/occupancy",
        Needs(Read, ShelterUnit),
    ),
    (
        "GET",
        "/api/v1/sites/{id}/occupancy/daily",
        Needs(Read, ShelterUnit),
    ),
    (
        "GET",
        "/api/v1/sites/{id}/allocation-proposal",
        Needs(Create, Stay),
    ),
    ("POST", "/api/v1/stays", Needs(Create, Stay)),
    ("POST", "/api/v1/stays/{id}/change", Needs(Update, Stay)),
    ("GET", "/api/v1/persons/{id}/stays", Needs(Read, Stay)),
    ("POST", "/api/v1/programmes", Needs(Create, Programme)),
    ("GET", "/api/v1/programmes", Needs(Read, Programme)),
    (
        "GET",
        "/api/v1/programmes/{id}/totals",
        Needs(Read, Programme),
    ),
    // The recipient is read first (Read Person), then the store checks the distribution.
    ("POST", "/api/v1/distributions", Needs(Create, Distribution)),
    ("GET", "/api/v1/distributions", Needs(Read, Distribution)),
    (
        "GET",
        "/api/v1/distributions.csv",
        Needs(Read, Distribution),
    ),
    (
        "POST",
        "/api/v1/distributions/{id}/review",
        Needs(Update, Distribution),
    ),
    ("POST", "/api/v1/incidents", Needs(Create, Incident)),
    ("GET", "/api/v1/incidents", Needs(Read, Incident)),
    ("GET", "/api/v1/incidents/{id}", Needs(Read, Incident)),
    ("PATCH", "/api/v1/incidents/{id}", Needs(Update, Incident)),
    ("GET", "/api/v1/incidents.csv", Needs(Read, Incident)),
    (
        "POST",
        "/api/v1/flow-observations",
        Needs(Create, FlowObservation),
    ),
    (
        "GET",
        "/api/v1/flow-observations",
        Needs(Read, FlowObservation),
    ),
    // Matching reads persons (Read Person) before the store checks the request.
    (
        "POST",
        "/api/v1/tracing-requests",
        Needs(Create, TracingRequest),
    ),
    (
        "GET",
        "/api/v1/tracing-requests",
        Needs(Read, TracingRequest),
    ),
    (
        "GET",
        "/api/v1/tracing-requests/{id}",
        Needs(Read, TracingRequest),
    ),
    (
        "POST",
        "/api/v1/tracing-requests/{id}/outcome",
        Needs(Update, TracingRequest),
    ),
    ("GET", "/api/v1/stats/{table}", Needs(Read, Statistics)),
    // A transfer under an agreement (see `care_call`): refused unless in force.
    (
        "POST",
        "/api/v1/sharing-agreements/{id}/export",
        Needs(Export, Person),
    ),
];

/// Whether `role` may take `action` on a case of `kind`.
fn case_rule(role: Role, action: Action, kind: ProcedureKind) -> bool {
    let p = Principal {
        user_id: Some(uuid::Uuid::from_u128(1)),
        at: support::NOW,
        name: "matrix".into(),
        organisation_id: Some(uuid::Uuid::from_u128(2)),
        roles: vec![role],
        context: Context::default(),
    };
    case_access(&p, action, kind).is_ok()
}

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

/// True when the path names one household, person or document (or something of theirs).
fn names_personal_record(template: &str) -> bool {
    template.contains('{')
        && [
            "/api/v1/households/",
            "/api/v1/persons/",
            "/api/v1/documents/",
            "/api/v1/consents/",
            "/api/v1/data-subject-requests/",
            "/api/v1/screenings/",
            "/api/v1/needs/",
            "/api/v1/referrals/",
            "/api/v1/cases/",
            "/api/v1/hold-lifts/",
            "/api/v1/stays/",
            "/api/v1/distributions/",
            "/api/v1/tracing-requests/",
            "/api/v1/submissions/",
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
    if let Some(call) = protection_call(app, f, method, template, n).await {
        return call;
    }
    if let Some(call) = care_call(app, f, method, template, caller, n).await {
        return call;
    }
    if let Some(call) = import_call(app, f, method, template, caller, n).await {
        return call;
    }
    if template.starts_with("/api/v1/submissions/") {
        // A fresh submission of organisation a waiting for review each time: a
        // submission is decided once.
        let s = support::openrosa::submission_in_review(app, "a", &f.arrival, n).await;
        let path = template
            .replace("{id}", s["id"].as_str().unwrap())
            .replace("{name}", support::openrosa::PHOTO);
        let reason = format!("matrix {n}");
        let body = match method {
            "POST" if template.ends_with("/accept") => Some(json!({
                "version": s["version"], "reason": reason,
                "registration": another_level_one(&f.arrival)
            })),
            "POST" => Some(json!({"version": s["version"], "reason": reason})),
            _ => None,
        };
        return (path, body);
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
            let a = call(
                &app,
                m.clone(),
                template,
                &path,
                Auth::Nobody,
                body.as_ref(),
            )
            .await;
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
                    let who = Auth::Bearer(&token);
                    let a = call(&app, m.clone(), template, &path, who, body.as_ref()).await;
                    calls += 1;
                    let who = format!("{method} {path} as {role} of {org}");
                    match rule {
                        Public | Authenticated => {
                            assert!(a.status.is_success(), "{who}: {a:?}");
                        }
                        CaseOf(action, kind) if case_rule(role, *action, *kind) => {
                            let hidden = org == "b" && names_personal_record(template);
                            assert!(
                                a.status.is_success()
                                    || a.status == StatusCode::CONFLICT
                                    || (hidden && a.status == StatusCode::NOT_FOUND),
                                "{who} is allowed by the table and the case rule: {a:?}"
                            );
                        }
                        CaseOf(action, kind) => {
                            assert_eq!(
                                a.status,
                                StatusCode::FORBIDDEN,
                                "{who} may not {action:?} a {kind:?} case: {a:?}"
                            );
                            assert!(a.is_problem(), "{who}: {a:?}");
                        }
                        AnyOf(action, resources)
                            if resources.iter().any(|r| access::allows(role, *action, *r)) =>
                        {
                            assert!(
                                a.status.is_success(),
                                "{who} is allowed by the table: {a:?}"
                            );
                        }
                        AnyOf(action, resources) => {
                            assert_eq!(
                                a.status,
                                StatusCode::FORBIDDEN,
                                "{who} may not {action:?} any of {resources:?}: {a:?}"
                            );
                            assert!(a.is_problem(), "{who}: {a:?}");
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
