//! A registration acknowledged with 2xx survives `kill -9`: the real binary is killed in
//! the middle of a burst of concurrent registrations, restarted on the same database, and
//! every acknowledged household is there, whole; no household is there in part.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use passage_store::testing::{self, TestDb};
use serde_json::Value;

mod common;
use common::{arrival, clerk, household, start};

async fn crash_and_check(db: TestDb) {
    let client = clerk(&db, "Crash test office", "registration_clerk,site_manager").await;
    let (mut child, url) = start(&db).await;
    let arrival = arrival(&client, &url, "CRS").await;

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
