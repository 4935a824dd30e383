//! A registration acknowledged with 2xx survives `kill -9`: the real binary is killed in
//! the middle of a burst of concurrent registrations, restarted on the same database, and
//! every acknowledged household is there, whole; no household is there in part.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Stdio;
use std::time::Duration;

use passage_store::testing::{self, TestDb};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// Starts `passage serve` on a free port and returns it with its base URL, read from the
/// line it prints once it is listening.
async fn start(db: &TestDb) -> (Child, String) {
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

fn household(arrival: &str, i: usize) -> Value {
    json!({
        "arrival_id": arrival,
        "head": {"given_name": format!("Head {i}"), "sex": "F"},
        "members": [
            {"relationship": "child", "person": {"given_name": format!("Child {i} a"), "sex": "M"}},
            {"relationship": "child", "person": {"given_name": format!("Child {i} b"), "sex": "F"}}
        ]
    })
}

/// Runs `passage ARGS --database URL` to completion and returns its standard output.
async fn cli(db: &TestDb, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_passage"))
        .args(args)
        .args(["--database", &db.url])
        .output()
        .await
        .expect("run passage");
    assert!(
        out.status.success(),
        "passage {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// A client that sends a registration clerk's API token, made with the command line.
async fn clerk(db: &TestDb) -> reqwest::Client {
    cli(db, &["init", "--organisation", "Crash test office"]).await;
    cli(
        db,
        &[
            "users",
            "add",
            "clerk",
            "--organisation",
            "Crash test office",
            "--roles",
            "registration_clerk,site_manager",
        ],
    )
    .await;
    let token = cli(db, &["users", "token", "clerk"]).await;
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

async fn crash_and_check(db: TestDb) {
    let client = clerk(&db).await;
    let (mut child, url) = start(&db).await;
    let site: Value = client
        .post(format!("{url}/api/v1/sites"))
        .json(&json!({"code": "CRS", "name": "Crash test point", "kind": "landing_point", "country": "IDN"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let arrival: Value = client
        .post(format!("{url}/api/v1/arrivals"))
        .json(&json!({"site_id": site["id"], "mode": "sea", "arrived_at": "2026-01-01T00:00:00Z"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let arrival = arrival["id"].as_str().unwrap().to_owned();

    // 32 clients register households of three until the server dies under them.
    let mut clients = Vec::new();
    for c in 0..32 {
        let (client, url, arrival) = (client.clone(), url.clone(), arrival.clone());
        clients.push(tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            for i in 0.. {
                let sent = client
                    .post(format!("{url}/api/v1/households"))
                    .json(&household(&arrival, c * 100_000 + i))
                    .send()
                    .await;
                match sent {
                    Ok(r) if r.status() == reqwest::StatusCode::CREATED => {
                        let Ok(h) = r.json::<Value>().await else {
                            break;
                        };
                        acknowledged.push(h["id"].as_str().unwrap().to_owned());
                    }
                    _ => break,
                }
            }
            acknowledged
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    child.start_kill().expect("SIGKILL");
    child.wait().await.expect("wait");
    let mut acknowledged = Vec::new();
    for c in clients {
        acknowledged.extend(c.await.unwrap());
    }
    assert!(
        acknowledged.len() > 50,
        "too few registrations before the kill: {}",
        acknowledged.len()
    );

    let (mut child, url) = start(&db).await;
    for id in &acknowledged {
        let r = client
            .get(format!("{url}/api/v1/households/{id}"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            r.status(),
            reqwest::StatusCode::OK,
            "acknowledged household {id} lost"
        );
    }
    let mut cursor: Option<String> = None;
    let mut total = 0;
    loop {
        let mut path = format!("{url}/api/v1/households?limit=500&arrival_id={arrival}");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page: Value = client.get(path).send().await.unwrap().json().await.unwrap();
        for h in page["items"].as_array().unwrap() {
            assert_eq!(
                h["members"].as_array().unwrap().len(),
                3,
                "half-written household {}",
                h["id"]
            );
            total += 1;
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert!(total >= acknowledged.len());
    eprintln!(
        "{}: {} acknowledged before SIGKILL, {} households found after restart, all whole",
        db.backend,
        acknowledged.len(),
        total
    );
    child.start_kill().expect("stop");
    let _ = child.wait().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_registrations_survive_sigkill() {
    for db in testing::all().await {
        crash_and_check(db).await;
    }
}
