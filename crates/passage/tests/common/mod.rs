//! What the tests of the real binary share: start `passage serve` on a database, run a
//! command of the command line, make a client with a user's API token.

// Each test binary uses only some of these.
#![allow(dead_code)]

use std::process::{Output, Stdio};
use std::time::Duration;

use passage_store::testing::TestDb;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// Starts `passage serve` on a free port and returns it with its base URL, read from the
/// line it prints once it is listening.
pub async fn start(db: &TestDb) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_passage"))
        .args(["serve", "--bind", "127.0.0.1:0", "--database", &db.url])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("start passage");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let line = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
        .await
        .expect("passage did not start in time")
        .expect("read stdout")
        .expect("passage exited before listening");
    let url = line.rsplit(' ').next().expect("url").to_owned();
    (child, url)
}

/// Kills the server with SIGKILL and waits for it to be gone.
pub async fn kill(mut child: Child) {
    child.start_kill().expect("SIGKILL");
    child.wait().await.expect("wait");
}

/// Runs `passage ARGS --database URL` to its end.
pub async fn run(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_passage"))
        .args(args)
        .args(["--database", url])
        .output()
        .await
        .expect("run passage")
}

/// Runs `passage ARGS --database URL`, which must succeed; returns its standard output.
pub async fn cli(url: &str, args: &[&str]) -> String {
    let out = run(url, args).await;
    assert!(
        out.status.success(),
        "passage {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Sets up the database with one organisation and one user `clerk` holding `roles`
/// (comma-separated), made with the command line; returns a client that sends the
/// user's API token.
pub async fn clerk(db: &TestDb, organisation: &str, roles: &str) -> reqwest::Client {
    cli(&db.url, &["init", "--organisation", organisation]).await;
    cli(
        &db.url,
        &[
            "users",
            "add",
            "clerk",
            "--organisation",
            organisation,
            "--roles",
            roles,
        ],
    )
    .await;
    let token = cli(&db.url, &["users", "token", "clerk"]).await;
    let mut headers = reqwest::header::HeaderMap::new();
    let value = format!("Bearer {}", token.trim());
    headers.insert(
        reqwest::header::AUTHORIZATION,
        value.parse().expect("header"),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("client")
}

/// A household of three: a head and two children, named after `i`.
pub fn household(arrival: &str, i: usize) -> Value {
    json!({
        "arrival_id": arrival,
        "head": {"given_name": format!("Head {i}"), "sex": "F"},
        "members": [
            {"relationship": "child", "person": {"given_name": format!("Child {i} a"), "sex": "M"}},
            {"relationship": "child", "person": {"given_name": format!("Child {i} b"), "sex": "F"}}
        ]
    })
}

/// POSTs `body` to `url`, which must answer 201 Created; returns the answer.
pub async fn post(client: &reqwest::Client, url: &str, body: Value) -> Value {
    let r = client.post(url).json(&body).send().await.expect("send");
    assert_eq!(r.status(), reqwest::StatusCode::CREATED);
    r.json().await.expect("json")
}

/// A site and an arrival at it; returns the arrival's id.
pub async fn arrival(client: &reqwest::Client, url: &str, code: &str) -> String {
    site_and_arrival(client, url, code).await.1
}

/// A site and an arrival at it; returns their ids.
pub async fn site_and_arrival(client: &reqwest::Client, url: &str, code: &str) -> (String, String) {
    let site = post(
        client,
        &format!("{url}/api/v1/sites"),
        json!({"code": code, "name": format!("{code} test point"), "kind": "landing_point", "country": "IDN"}),
    )
    .await;
    let arrival = post(
        client,
        &format!("{url}/api/v1/arrivals"),
        json!({"site_id": site["id"], "mode": "sea", "arrived_at": "2026-01-01T00:00:00Z"}),
    )
    .await;
    let id = |v: &Value| v["id"].as_str().expect("id").to_owned();
    (id(&site), id(&arrival))
}
