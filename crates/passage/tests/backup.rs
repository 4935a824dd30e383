//! `passage backup` while the server registers households, then `passage restore` into a
//! fresh database: every table holds the source's rows as of one moment (everything
//! acknowledged before the backup began, no household in part, the audit log a verified
//! prefix of the source's), and a backup of the quiet database restores to an exact copy.
//! A restore into a database that holds records is refused without --force.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use passage_store::testing::{self, Table, TestDb};

mod common;
use common::{arrival, clerk, cli, household, post, run, start};

/// Tables whose rows change in place as households are registered: the site's next
/// registration number and the audit log's head. Their rows are compared by key.
const COUNTERS: [&str; 2] = ["sites", "audit_head"];

/// Waits until the writers have had `n` registrations acknowledged.
async fn until(count: &AtomicUsize, n: usize) {
    let waited = tokio::time::timeout(Duration::from_secs(120), async {
        while count.load(Ordering::Relaxed) < n {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(
        waited.is_ok(),
        "the server acknowledged too few registrations"
    );
}

/// A fresh, empty database on the same backend as `db`.
async fn fresh(db: &TestDb) -> TestDb {
    match db.backend {
        "sqlite" => testing::sqlite(),
        _ => testing::postgres().await.expect("PostgreSQL"),
    }
}

/// The restored database holds the source's rows as of one moment: every restored row is
/// in the source as it is (counters by key), and no table has more rows than the source.
fn assert_a_past_state_of(
    restored: &BTreeMap<String, Table>,
    source: &BTreeMap<String, Table>,
    backend: &str,
) {
    assert_eq!(
        restored.keys().collect::<Vec<_>>(),
        source.keys().collect::<Vec<_>>(),
        "{backend}: the restored database has other tables"
    );
    for (name, table) in restored {
        let from = &source[name];
        assert_eq!(table.columns, from.columns, "{backend}: columns of {name}");
        assert!(
            table.rows.len() <= from.rows.len(),
            "{backend}: {name} has more rows than the source"
        );
        let key = |r: &Vec<Option<String>>| -> Vec<Option<String>> {
            if COUNTERS.contains(&name.as_str()) {
                vec![r[0].clone()]
            } else {
                r.clone()
            }
        };
        let present: HashSet<Vec<Option<String>>> = from.rows.iter().map(key).collect();
        for row in &table.rows {
            assert!(
                present.contains(&key(row)),
                "{backend}: a row of {name} is not in the source: {row:?}"
            );
        }
    }
}

async fn backup_while_serving(source: TestDb) {
    let backend = source.backend;
    let folder = std::env::temp_dir().join(format!(
        "passage-backup-test-{}",
        uuid::Uuid::now_v7().simple()
    ));
    std::fs::create_dir_all(&folder).unwrap();
    let file = |name: &str| -> PathBuf { folder.join(name) };
    let path = |p: &Path| p.to_str().unwrap().to_owned();

    let client = clerk(
        &source,
        "Backup test office",
        "registration_clerk,site_manager",
    )
    .await;
    let (mut server, url) = start(&source).await;
    let arrival = arrival(&client, &url, "BKP").await;

    // Sixteen clients register households of three until told to stop; each notes when
    // each registration was acknowledged.
    let stop = Arc::new(AtomicBool::new(false));
    let count = Arc::new(AtomicUsize::new(0));
    let mut writers = Vec::new();
    for c in 0..16 {
        let (client, url, arrival, stop, count) = (
            client.clone(),
            url.clone(),
            arrival.clone(),
            stop.clone(),
            count.clone(),
        );
        writers.push(tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                let h = post(
                    &client,
                    &format!("{url}/api/v1/households"),
                    household(&arrival, c * 100_000 + i),
                )
                .await;
                acknowledged.push((h["id"].as_str().unwrap().to_owned(), Instant::now()));
                count.fetch_add(1, Ordering::Relaxed);
                i += 1;
            }
            acknowledged
        }));
    }
    until(&count, 50).await;
    let online = file("online.backup");
    let began = Instant::now();
    let said = cli(&source.url, &["backup", "--out", &path(&online)]).await;
    let ended = Instant::now();
    eprintln!("{backend}: {}", said.trim());
    assert!(said.starts_with("backup written to"), "{said}");
    until(&count, count.load(Ordering::Relaxed) + 32).await;
    stop.store(true, Ordering::Relaxed);
    let mut acknowledged = Vec::new();
    for w in writers {
        acknowledged.extend(w.await.unwrap());
    }
    server.start_kill().unwrap();
    server.wait().await.unwrap();
    let before: Vec<&String> = acknowledged
        .iter()
        .filter(|(_, at)| *at < began)
        .map(|(id, _)| id)
        .collect();
    let during = acknowledged
        .iter()
        .filter(|(_, at)| *at >= began && *at <= ended)
        .count();
    assert!(
        before.len() >= 50,
        "too few registrations before the backup"
    );
    assert!(
        acknowledged.len() > before.len() + during,
        "no registration after the backup"
    );

    // Restored into a fresh database, the backup holds a past state of the source.
    let restored = fresh(&source).await;
    let said = cli(&restored.url, &["restore", "--from", &path(&online)]).await;
    eprintln!("{backend}: {}", said.trim());
    assert!(said.contains("audit log intact"), "{said}");
    let source_rows = testing::rows(&source.url).await;
    let restored_rows = testing::rows(&restored.url).await;
    assert_a_past_state_of(&restored_rows, &source_rows, backend);

    let households = &restored_rows["households"];
    let persons = &restored_rows["persons"];
    let (h_id, h_size) = (households.column("id"), households.column("size"));
    let p_household = persons.column("household_id");
    let ids: HashSet<&str> = households
        .rows
        .iter()
        .map(|r| r[h_id].as_deref().unwrap().trim_matches('\''))
        .collect();
    for id in &before {
        assert!(
            ids.contains(id.as_str()),
            "{backend}: household {id}, acknowledged before the backup began, is not in it"
        );
    }
    for h in &households.rows {
        let id = h[h_id].clone();
        let members = persons.rows.iter().filter(|p| p[p_household] == id).count();
        assert_eq!(
            members, 3,
            "{backend}: household {id:?} restored with {members} of its 3 persons"
        );
        assert_eq!(
            h[h_size].as_deref().map(|s| s.trim_matches('\'')),
            Some("3")
        );
    }
    let audit_entries = restored_rows["audit"].rows.len();
    eprintln!(
        "{backend}: {} households acknowledged ({} before the backup began, {during} while it ran); \
         the backup holds {} households and {audit_entries} audit entries of the source's {}",
        acknowledged.len(),
        before.len(),
        households.rows.len(),
        source_rows["audit"].rows.len()
    );
    let verified = cli(&restored.url, &["audit", "verify"]).await;
    assert!(verified.contains("audit log intact"), "{verified}");

    // Restoring over a database that holds records is refused, and leaves it unchanged.
    let quiet = file("quiet.backup");
    cli(&source.url, &["backup", "--out", &path(&quiet)]).await;
    let refused = run(&restored.url, &["restore", "--from", &path(&quiet)]).await;
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(
        said.contains("not empty") && said.contains("--force"),
        "{said}"
    );
    assert_eq!(testing::rows(&restored.url).await, restored_rows);
    let again = run(&source.url, &["backup", "--out", &path(&quiet)]).await;
    assert!(
        !again.status.success(),
        "a backup overwrote an existing file"
    );

    // With --force, the backup of the quiet source replaces it: an exact copy.
    let said = cli(
        &restored.url,
        &["restore", "--from", &path(&quiet), "--force"],
    )
    .await;
    assert!(said.contains("audit log intact"), "{said}");
    let replaced = testing::rows(&restored.url).await;
    for (name, table) in &source_rows {
        assert_eq!(
            &replaced[name], table,
            "{backend}: {name} differs after restoring the quiet backup"
        );
    }
    assert_eq!(replaced.len(), source_rows.len());

    // A backup does not restore into the other kind of database.
    let other = match backend {
        "sqlite" => testing::postgres().await,
        _ => Some(testing::sqlite()),
    };
    if let Some(other) = other {
        let crossed = run(&other.url, &["restore", "--from", &path(&quiet)]).await;
        assert!(!crossed.status.success());
        assert!(
            String::from_utf8_lossy(&crossed.stderr).contains("is a backup of a"),
            "{}",
            String::from_utf8_lossy(&crossed.stderr)
        );
    }
    std::fs::remove_dir_all(&folder).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_serving_restores_to_a_consistent_verified_copy() {
    for db in testing::all().await {
        backup_while_serving(db).await;
    }
}
