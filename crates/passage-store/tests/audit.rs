#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The tamper-evident audit log, on every backend: appends chain, and every kind of
//! tampering done with raw SQL behind Passage's back is found and named by its seq.

use passage_store::testing::{self, TestDb};
use passage_store::{AuditEntry, Store, Tamper};
use sqlx::{AnyConnection, Connection};
use time::Duration;
use time::macros::datetime;
use uuid::Uuid;

/// The entries every tampering test starts from.
const ENTRIES: i64 = 50;

fn entry(n: usize, entity_id: &str, action: &str) -> AuditEntry {
    AuditEntry {
        at: datetime!(2026-11-27 10:00:00.000001 UTC) + Duration::seconds(n as i64),
        actor_id: (!n.is_multiple_of(3)).then(Uuid::now_v7),
        actor: if n.is_multiple_of(3) {
            "system".into()
        } else {
            format!("officer{}", n % 5)
        },
        organisation_id: n.is_multiple_of(2).then(Uuid::now_v7),
        role: (!n.is_multiple_of(3)).then(|| "registration_officer".into()),
        action: action.into(),
        entity: "person".into(),
        entity_id: Some(entity_id.into()),
        purpose: (action == "read").then(|| "case review — ünïcode".into()),
        request_id: Some(format!("req-{n}")),
        client: Some("192.0.2.7".into()),
        detail: serde_json::json!({ "n": n, "fields": ["details.names"], "note": null }),
    }
}

/// A store on `db` holding `ENTRIES` entries, appended by ten concurrent callers of five
/// entries each so that the writer gathers them into batches.
async fn filled(db: &TestDb) -> Store {
    let store = Store::open(&db.url).await.expect("open store");
    let calls = (0..10).map(|c| {
        let store = store.clone();
        tokio::spawn(async move {
            let entries = (0..5)
                .map(|i| entry(c * 5 + i, &format!("p{c}"), "read"))
                .collect();
            store.record_audit(entries).await
        })
    });
    for call in futures_util::future::join_all(calls).await {
        call.unwrap().unwrap();
    }
    store
}

async fn raw(db: &TestDb) -> AnyConnection {
    sqlx::any::install_default_drivers();
    AnyConnection::connect(&db.url)
        .await
        .expect("raw connection")
}

async fn hash_of(conn: &mut AnyConnection, seq: i64) -> String {
    sqlx::query_scalar("SELECT hash FROM audit WHERE seq = $1")
        .bind(seq)
        .fetch_one(conn)
        .await
        .unwrap()
}

/// Writes `e` at `seq` behind Passage's back, with `prev_hash` and its own correct hash.
async fn insert_raw(conn: &mut AnyConnection, seq: i64, e: &AuditEntry, prev_hash: &str) {
    sqlx::query(
        "INSERT INTO audit (seq, at, actor_id, actor, organisation_id, role, action, entity, \
         entity_id, purpose, request_id, client, detail, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(seq)
    .bind(passage_store::sql::ts(e.at))
    .bind(e.actor_id.map(|u| u.to_string()))
    .bind(e.actor.clone())
    .bind(e.organisation_id.map(|u| u.to_string()))
    .bind(e.role.clone())
    .bind(e.action.clone())
    .bind(e.entity.clone())
    .bind(e.entity_id.clone())
    .bind(e.purpose.clone())
    .bind(e.request_id.clone())
    .bind(e.client.clone())
    .bind(e.detail.to_string())
    .bind(prev_hash.to_owned())
    .bind(e.chain_hash(seq, prev_hash))
    .execute(conn)
    .await
    .unwrap();
}

async fn exec(conn: &mut AnyConnection, sql: &'static str) {
    sqlx::query(sql).execute(conn).await.unwrap();
}

async fn problems(store: &Store) -> Vec<Tamper> {
    store.verify_audit().await.unwrap().problems
}

#[tokio::test]
async fn concurrent_appends_form_one_intact_chain() {
    for db in testing::all().await {
        eprintln!("{}", db.backend);
        let store = Store::open(&db.url).await.unwrap();
        let report = store.verify_audit().await.unwrap();
        assert_eq!((report.entries, report.problems.len()), (0, 0), "empty log");

        let store = filled(&db).await;
        let report = store.verify_audit().await.unwrap();
        assert_eq!(report.entries, ENTRIES as u64);
        assert!(report.problems.is_empty(), "{:?}", report.problems);

        let mut conn = raw(&db).await;
        let seqs: Vec<i64> = sqlx::query_scalar("SELECT seq FROM audit ORDER BY seq")
            .fetch_all(&mut conn)
            .await
            .unwrap();
        assert_eq!(seqs, (1..=ENTRIES).collect::<Vec<_>>());
        let head: (i64, String) = (
            sqlx::query_scalar("SELECT seq FROM audit_head")
                .fetch_one(&mut conn)
                .await
                .unwrap(),
            sqlx::query_scalar("SELECT hash FROM audit_head")
                .fetch_one(&mut conn)
                .await
                .unwrap(),
        );
        assert_eq!(head, (ENTRIES, hash_of(&mut conn, ENTRIES).await));
        conn.close().await.unwrap();
    }
}

/// Two stores on one database stand for two server processes: their appends interleave
/// but stay one chain.
#[tokio::test]
async fn two_stores_on_one_database_keep_one_chain() {
    for db in testing::all().await {
        eprintln!("{}", db.backend);
        let a = Store::open(&db.url).await.unwrap();
        let b = Store::open(&db.url).await.unwrap();
        let calls = (0..20).map(|c| {
            let store = if c % 2 == 0 { a.clone() } else { b.clone() };
            tokio::spawn(async move {
                let entries = (0..3).map(|i| entry(c * 3 + i, "p", "update")).collect();
                store.record_audit(entries).await
            })
        });
        for call in futures_util::future::join_all(calls).await {
            call.unwrap().unwrap();
        }
        for store in [&a, &b] {
            let report = store.verify_audit().await.unwrap();
            assert_eq!(report.entries, 60);
            assert!(report.problems.is_empty(), "{:?}", report.problems);
        }
        a.close().await;
        b.close().await;
    }
}

#[tokio::test]
async fn an_edited_entry_is_named() {
    for db in testing::all().await {
        eprintln!("{}", db.backend);
        let store = filled(&db).await;
        let mut conn = raw(&db).await;
        exec(
            &mut conn,
            "UPDATE audit SET actor = 'mallory' WHERE seq = 17",
        )
        .await;
        let found = problems(&store).await;
        assert_eq!(found, [Tamper::Edited { seq: 17 }]);
        assert_eq!(
            found[0].to_string(),
            "entry 17 was edited: its content no longer matches its hash"
        );
    }
}

#[tokio::test]
async fn a_deleted_entry_is_named() {
    for db in testing::all().await {
        eprintln!("{}", db.backend);
        let store = filled(&db).await;
        let mut conn = raw(&db).await;
        exec(&mut conn, "DELETE FROM audit WHERE seq = 25").await;
        let found = problems(&store).await;
        assert_eq!(
            found,
            [Tamper::Deleted {
                after_seq: 24,
                missing: 1
            }]
        );
        assert!(found[0].to_string().starts_with("entry 25 was deleted"));
    }
}

/// A forger who can compute hashes puts an entry of their own in the middle, in the place
/// of entry 25: once chained correctly to entry 24, once not chained at all.
#[tokio::test]
async fn a_forged_entry_in_the_middle_is_named() {
    for chained in [true, false] {
        for db in testing::all().await {
            eprintln!("{} chained={chained}", db.backend);
            let store = filled(&db).await;
            let mut conn = raw(&db).await;
            let prev = if chained {
                hash_of(&mut conn, 24).await
            } else {
                entry(99, "x", "read").chain_hash(1, "f00d")
            };
            exec(&mut conn, "DELETE FROM audit WHERE seq = 25").await;
            let forged = entry(25, "p-innocent", "update");
            insert_raw(&mut conn, 25, &forged, &prev).await;
            let found = problems(&store).await;
            assert_eq!(found, [Tamper::Inserted { seq: 25 }]);
            assert!(found[0].to_string().starts_with("entry 25 was inserted"));
        }
    }
}

/// Genuine entries swapped with each other, far apart and next to each other.
#[tokio::test]
async fn swapped_entries_are_named_as_reordered() {
    for db in testing::all().await {
        eprintln!("{}", db.backend);
        let store = filled(&db).await;
        let mut conn = raw(&db).await;
        for sql in [
            "UPDATE audit SET seq = -1 WHERE seq = 20",
            "UPDATE audit SET seq = 20 WHERE seq = 30",
            "UPDATE audit SET seq = 30 WHERE seq = -1",
            "UPDATE audit SET seq = -1 WHERE seq = 10",
            "UPDATE audit SET seq = 10 WHERE seq = 11",
            "UPDATE audit SET seq = 11 WHERE seq = -1",
        ] {
            exec(&mut conn, sql).await;
        }
        let found = problems(&store).await;
        assert_eq!(found, [10, 11, 20, 30].map(|seq| Tamper::Reordered { seq }));
        assert!(found[2].to_string().starts_with("entry 20 was moved"));
    }
}

#[tokio::test]
async fn a_deleted_last_entry_is_caught_by_the_head() {
    for db in testing::all().await {
        eprintln!("{}", db.backend);
        let store = filled(&db).await;
        let mut conn = raw(&db).await;
        exec(&mut conn, "DELETE FROM audit WHERE seq = 50").await;
        let found = problems(&store).await;
        assert_eq!(
            found,
            [Tamper::HeadMismatch {
                head_seq: 50,
                last_seq: 49
            }]
        );
        assert!(
            found[0]
                .to_string()
                .contains("entries after 49 were deleted")
        );
    }
}

/// Several kinds at once are all reported, in log order, and the list stops at 100.
#[tokio::test]
async fn every_problem_is_reported_up_to_a_hundred() {
    for db in testing::all().await {
        eprintln!("{}", db.backend);
        let store = filled(&db).await;
        let mut conn = raw(&db).await;
        exec(&mut conn, "UPDATE audit SET detail = '{}' WHERE seq = 3").await;
        exec(&mut conn, "DELETE FROM audit WHERE seq IN (30, 31, 32)").await;
        exec(&mut conn, "DELETE FROM audit WHERE seq = 50").await;
        assert_eq!(
            problems(&store).await,
            [
                Tamper::Edited { seq: 3 },
                Tamper::Deleted {
                    after_seq: 29,
                    missing: 3
                },
                Tamper::HeadMismatch {
                    head_seq: 50,
                    last_seq: 49
                },
            ]
        );
        exec(&mut conn, "UPDATE audit SET actor = 'mallory'").await;
        let report = store.verify_audit().await.unwrap();
        assert_eq!(report.entries, 46);
        assert_eq!(report.problems.len(), 46 + 2, "46 edited, 1 gap, the head");
        store
            .record_audit((0..200).map(|n| entry(n, "q", "export")).collect())
            .await
            .unwrap();
        exec(&mut conn, "UPDATE audit SET actor = 'mallory'").await;
        let report = store.verify_audit().await.unwrap();
        assert_eq!(report.entries, 246);
        assert_eq!(report.problems.len(), 100);
        assert_eq!(report.problems[0], Tamper::Edited { seq: 1 });
    }
}

/// More entries than one page of the walk; problems on both sides of the page border.
#[tokio::test]
async fn a_long_log_is_walked_page_by_page() {
    for db in testing::all().await {
        eprintln!("{}", db.backend);
        let store = Store::open(&db.url).await.unwrap();
        for chunk in 0..5 {
            let entries = (0..5000)
                .map(|n| entry(chunk * 5000 + n, "bulk", "export"))
                .collect();
            store.record_audit(entries).await.unwrap();
        }
        let report = store.verify_audit().await.unwrap();
        assert_eq!((report.entries, report.problems.len()), (25_000, 0));
        let mut conn = raw(&db).await;
        exec(&mut conn, "UPDATE audit SET actor = 'x' WHERE seq = 10001").await;
        exec(&mut conn, "DELETE FROM audit WHERE seq = 20000").await;
        assert_eq!(
            problems(&store).await,
            [
                Tamper::Edited { seq: 10_001 },
                Tamper::Deleted {
                    after_seq: 19_999,
                    missing: 1
                }
            ]
        );
    }
}

#[tokio::test]
async fn the_audit_of_a_record_is_newest_first() {
    for db in testing::all().await {
        eprintln!("{}", db.backend);
        let store = Store::open(&db.url).await.unwrap();
        let actions = ["create", "read", "update", "read", "export"];
        for (n, action) in actions.iter().enumerate() {
            store
                .record_audit(vec![entry(n, "p-1", action), entry(n + 100, "p-2", "read")])
                .await
                .unwrap();
        }
        let got = store
            .audit_of(
                &passage_domain::access::Principal::operator(time::OffsetDateTime::UNIX_EPOCH),
                "p-1",
                100,
            )
            .await
            .unwrap();
        let seqs: Vec<i64> = got.iter().map(|(s, _)| *s).collect();
        assert_eq!(seqs, [9, 7, 5, 3, 1]);
        let got_actions: Vec<&str> = got.iter().map(|(_, e)| e.action.as_str()).collect();
        assert_eq!(got_actions, ["export", "read", "update", "read", "create"]);
        // Read back as written, apart from the fresh ids.
        let (_, newest) = &got[0];
        let mut want = entry(4, "p-1", "export");
        want.actor_id = newest.actor_id;
        want.organisation_id = newest.organisation_id;
        assert_eq!(*newest, want);
        assert!(newest.actor_id.is_some());

        let two = store
            .audit_of(
                &passage_domain::access::Principal::operator(time::OffsetDateTime::UNIX_EPOCH),
                "p-1",
                2,
            )
            .await
            .unwrap();
        assert_eq!(two.iter().map(|(s, _)| *s).collect::<Vec<_>>(), [9, 7]);
        assert!(
            store
                .audit_of(
                    &passage_domain::access::Principal::operator(time::OffsetDateTime::UNIX_EPOCH),
                    "nobody",
                    10
                )
                .await
                .unwrap()
                .is_empty()
        );
        assert!(store.verify_audit().await.unwrap().problems.is_empty());
    }
}
