//! Two clients at once on the same record, through the real router on a real database,
//! each request on its own task released together: one wins, the other gets 409 with the
//! current version and succeeds when it sends that version; nothing is lost. Two
//! distributions of one one-off entitlement at once: exactly one is given. Twenty trials
//! each, on SQLite and on PostgreSQL; in every other trial the two requests go to two
//! servers (two stores, each with its own writer) sharing the database.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use passage_domain::access::Role;
use serde_json::{Value, json};
use tokio::sync::Barrier;
use tower::ServiceExt;

#[allow(unused_macros)]
mod support;

use support::{App, distinct_head};

const TRIALS: usize = 20;

/// Sends one request to `router` on its own task once `start` lets every racer go.
fn racer(
    router: &Router,
    start: &Arc<Barrier>,
    token: &str,
    method: Method,
    path: String,
    body: Value,
) -> tokio::task::JoinHandle<(StatusCode, Value)> {
    let (router, start, token) = (router.clone(), start.clone(), token.to_owned());
    tokio::spawn(async move {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        start.wait().await;
        let res = router.oneshot(req).await.unwrap();
        let status = res.status();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    })
}

/// The application, and a second server on the same database: its own store, so its own
/// writer and connections, as another `passage serve` process would have.
struct Servers {
    app: App,
    other: Router,
    backend: &'static str,
}

impl Servers {
    async fn start(db: passage_store::testing::TestDb) -> Self {
        let (url, backend) = (db.url.clone(), db.backend);
        let app = App::start(db).await;
        let state = passage_server::AppState {
            store: passage_store::Store::open(&url).await.unwrap(),
            ..app.state.clone()
        };
        Self {
            other: passage_server::router(state),
            app,
            backend,
        }
    }

    /// Runs two requests at once; returns their answers in the order given. In odd trials
    /// the second request goes to the other server.
    async fn race(
        &self,
        trial: usize,
        first: (&str, Method, String, Value),
        second: (&str, Method, String, Value),
    ) -> [(StatusCode, Value); 2] {
        let start = Arc::new(Barrier::new(2));
        let there = if trial % 2 == 1 {
            &self.other
        } else {
            &self.app.router
        };
        let a = racer(&self.app.router, &start, first.0, first.1, first.2, first.3);
        let b = racer(there, &start, second.0, second.1, second.2, second.3);
        let (a, b) = tokio::join!(a, b);
        [a.unwrap(), b.unwrap()]
    }
}

/// Of two answers, the one with `winner` and the other; panics unless exactly one won.
fn one_won(
    answers: [(StatusCode, Value); 2],
    winner: StatusCode,
    backend: &str,
) -> (usize, Value, (StatusCode, Value)) {
    let won: Vec<usize> = (0..2).filter(|&i| answers[i].0 == winner).collect();
    assert_eq!(
        won.len(),
        1,
        "{backend}: exactly one of two racing requests must get {winner}: {answers:?}"
    );
    let w = won[0];
    let [a, b] = answers;
    if w == 0 { (0, a.1, b) } else { (1, b.1, a) }
}

/// A household of `size` persons at a new arrival; returns the person ids, head first.
async fn household(app: &App, arrival: &str, size: usize) -> Vec<String> {
    let members: Vec<Value> = (1..size)
        .map(|_| json!({"relationship": "child", "person": distinct_head()}))
        .collect();
    let (s, h) = app
        .post(
            "/api/v1/households",
            json!({"arrival_id": arrival, "head": distinct_head(), "members": members}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{h}");
    let (_, persons) = app
        .get(&format!(
            "/api/v1/persons?household_id={}",
            h["id"].as_str().unwrap()
        ))
        .await;
    let mut ids: Vec<String> = persons["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_owned())
        .collect();
    let head = h["head_person_id"].as_str().unwrap();
    ids.sort_by_key(|id| id != head);
    assert_eq!(ids.len(), size);
    ids
}

async fn two_edits_of_one_person(servers: Servers) {
    let (app, backend) = (&servers.app, servers.backend);
    let arrival = app.arrival().await;
    let person = household(app, &arrival, 1).await.remove(0);
    let path = format!("/api/v1/persons/{person}");
    let clerk = app.token_of("a", Role::RegistrationClerk);
    for i in 0..TRIALS {
        let (_, read) = app.get(&path).await;
        let version = read["version"].as_i64().unwrap();
        let place =
            json!({"version": version, "details": {"place_of_origin": format!("Village {i}")}});
        let alias = json!({"version": version, "details": {"aliases": [format!("Alias {i}")]}});
        let answers = servers
            .race(
                i,
                (&app.token, Method::PATCH, path.clone(), place.clone()),
                (&clerk, Method::PATCH, path.clone(), alias.clone()),
            )
            .await;
        let (w, won, (status, conflict)) = one_won(answers, StatusCode::OK, backend);
        assert_eq!(status, StatusCode::CONFLICT, "{backend}: {conflict}");
        assert_eq!(won["version"], version + 1);
        assert_eq!(
            conflict["current_version"],
            version + 1,
            "{backend}: the 409 names the version now: {conflict}"
        );
        // The loser sends its change again at the version the 409 named.
        let mut retry = if w == 0 { alias } else { place };
        retry["version"] = conflict["current_version"].clone();
        let (s, after) = app.patch(&path, retry).await;
        assert_eq!(s, StatusCode::OK, "{backend}: {after}");
        assert_eq!(after["version"], version + 2);
        assert_eq!(after["details"]["place_of_origin"], format!("Village {i}"));
        assert_eq!(after["details"]["aliases"], json!([format!("Alias {i}")]));
    }
    eprintln!(
        "{backend}: {TRIALS} races on one person, each one 200 and one 409, both changes kept"
    );
}

async fn two_steps_of_one_case(servers: Servers) {
    let (app, backend) = (&servers.app, servers.backend);
    let arrival = app.arrival().await;
    let officer = app.token_of("a", Role::ReturnCaseworker);
    let colleague = app
        .another_user("a", Role::ReturnCaseworker, "second.caseworker")
        .await;
    for i in 0..TRIALS {
        let person = household(app, &arrival, 1).await.remove(0);
        let (s, case) = app
            .post_as(
                &officer,
                &format!("/api/v1/persons/{person}/cases"),
                json!({"kind": "return", "voluntary": true, "reason": "chooses to go home"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{case}");
        let path = format!("/api/v1/cases/{}/transitions", case["id"].as_str().unwrap());
        let version = case["version"].as_i64().unwrap();
        let step = |event: &str, version: i64, who: &str| json!({"event": event, "version": version, "reason": format!("{who}, trial {i}")});
        let answers = servers
            .race(
                i,
                (
                    &officer,
                    Method::POST,
                    path.clone(),
                    step("give_informed_consent", version, "first"),
                ),
                (
                    &colleague,
                    Method::POST,
                    path.clone(),
                    step("give_informed_consent", version, "second"),
                ),
            )
            .await;
        let (w, won, (status, conflict)) = one_won(answers, StatusCode::OK, backend);
        assert_eq!(status, StatusCode::CONFLICT, "{backend}: {conflict}");
        assert_eq!(
            conflict["current_version"], won["version"],
            "{backend}: the 409 names the version now: {conflict}"
        );
        // The one who lost reads the step already taken and takes the next one.
        let loser = if w == 0 { &colleague } else { &officer };
        let current = conflict["current_version"].as_i64().unwrap();
        let (s, after) = app
            .post_as(
                loser,
                &path,
                step("check_pre_departure", current, "the other"),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{backend}: {after}");
        let events: Vec<&str> = after["transitions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|t| t["event"].as_str())
            .collect();
        assert_eq!(
            events
                .iter()
                .filter(|e| **e == "give_informed_consent")
                .count(),
            1,
            "{backend}: a step taken twice or lost: {after}"
        );
        assert!(events.contains(&"check_pre_departure"), "{after}");
        let winner = if w == 0 { "first" } else { "second" };
        assert!(
            after["transitions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["reason"] == format!("{winner}, trial {i}")),
            "{backend}: the winner's reason is kept: {after}"
        );
    }
    eprintln!("{backend}: {TRIALS} races on a case step, each one 200 and one 409");
}

async fn programme(app: &App, code: &str, beneficiary: &str) -> String {
    let officer = app.token_of("a", Role::AssistanceOfficer);
    let (s, p) = app
        .post_as(
            &officer,
            "/api/v1/programmes",
            json!({"code": code, "name": format!("{code} kit"), "item": "one kit",
                   "beneficiary": beneficiary, "frequency": {"kind": "once"}}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    p["id"].as_str().unwrap().to_owned()
}

async fn two_distributions_of_one_entitlement(servers: Servers) {
    let (app, backend) = (&servers.app, servers.backend);
    let arrival = app.arrival().await;
    let (_, a) = app.get(&format!("/api/v1/arrivals/{arrival}")).await;
    let site = a["details"]["site_id"].as_str().unwrap().to_owned();
    let officer = app.token_of("a", Role::AssistanceOfficer);
    let colleague = app
        .another_user("a", Role::AssistanceOfficer, "second.officer")
        .await;
    let personal = programme(app, "HYGIENE", "person").await;
    let family = programme(app, "SHELTER-KIT", "household").await;
    let give = |programme: &str, person: &str| json!({"programme_id": programme, "person_id": person, "site_id": site});
    for i in 0..TRIALS {
        let members = household(app, &arrival, 2).await;
        // The same person at two desks.
        let answers = servers
            .race(
                i,
                (
                    &officer,
                    Method::POST,
                    "/api/v1/distributions".into(),
                    give(&personal, &members[0]),
                ),
                (
                    &colleague,
                    Method::POST,
                    "/api/v1/distributions".into(),
                    give(&personal, &members[0]),
                ),
            )
            .await;
        let (_, given, (status, refused)) = one_won(answers, StatusCode::CREATED, backend);
        assert_eq!(given["status"], "given");
        assert_eq!(status, StatusCode::CONFLICT, "{backend}: {refused}");
        assert!(
            refused["detail"].as_str().unwrap().contains("already"),
            "{backend}: the refusal says it was already given: {refused}"
        );
        // Two members of one household, for a household's one-off entitlement.
        let answers = servers
            .race(
                i,
                (
                    &officer,
                    Method::POST,
                    "/api/v1/distributions".into(),
                    give(&family, &members[0]),
                ),
                (
                    &colleague,
                    Method::POST,
                    "/api/v1/distributions".into(),
                    give(&family, &members[1]),
                ),
            )
            .await;
        let (_, given, (status, refused)) = one_won(answers, StatusCode::CREATED, backend);
        assert_eq!(given["status"], "given");
        assert_eq!(status, StatusCode::CONFLICT, "{backend}: {refused}");
        assert!(
            refused["detail"].as_str().unwrap().contains("already"),
            "{backend}: {refused}"
        );
    }
    for p in [&personal, &family] {
        let (_, totals) = app
            .get_as(&officer, &format!("/api/v1/programmes/{p}/totals"))
            .await;
        assert_eq!(
            totals[0]["given"], TRIALS,
            "{backend}: one given per beneficiary: {totals}"
        );
    }
    eprintln!(
        "{backend}: {TRIALS} races each for a person's and a household's one-off, one given each"
    );
}

/// Runs a scenario on a fresh application over every database, on a runtime with two
/// worker threads so that the racing requests run in parallel.
macro_rules! on_every_backend_in_parallel {
    ($name:ident, $scenario:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            for db in passage_store::testing::all().await {
                $scenario(Servers::start(db).await).await;
            }
        }
    };
}

on_every_backend_in_parallel!(
    two_edits_of_one_person_at_once_one_wins_and_nothing_is_lost,
    two_edits_of_one_person
);
on_every_backend_in_parallel!(
    two_steps_of_one_case_at_once_one_wins_and_the_other_is_told_the_version,
    two_steps_of_one_case
);
on_every_backend_in_parallel!(
    two_distributions_of_one_one_off_at_once_give_it_once,
    two_distributions_of_one_entitlement
);
