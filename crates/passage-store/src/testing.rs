//! Fresh databases for tests: a SQLite file always, and a new PostgreSQL database when
//! `PASSAGE_TEST_PG_URL` names a server. Under `CI=true` a missing PostgreSQL URL is a
//! failure, never a skip.

use sqlx::{AnyConnection, AssertSqlSafe, Connection, Executor};
use uuid::Uuid;

/// One database to run a test against.
#[derive(Debug, Clone)]
pub struct TestDb {
    pub backend: &'static str,
    pub url: String,
    /// Keeps a SQLite file's folder alive for the test's duration.
    pub dir: Option<std::path::PathBuf>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// A new SQLite file in a fresh temporary folder.
pub fn sqlite() -> TestDb {
    let dir = std::env::temp_dir().join(format!("passage-test-{}", Uuid::now_v7().simple()));
    let _ = std::fs::create_dir_all(&dir);
    TestDb {
        backend: "sqlite",
        url: format!("sqlite://{}", dir.join("passage.db").display()),
        dir: Some(dir),
    }
}

/// A new, empty PostgreSQL database on the server of `PASSAGE_TEST_PG_URL`, or None
/// when the variable is unset outside CI.
///
/// # Panics
/// Under `CI=true` without `PASSAGE_TEST_PG_URL`, or when the server cannot be used.
#[allow(clippy::panic, clippy::expect_used)]
pub async fn postgres() -> Option<TestDb> {
    let Ok(admin) = std::env::var("PASSAGE_TEST_PG_URL") else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but PASSAGE_TEST_PG_URL is not set: PostgreSQL tests must run in CI"
        );
        eprintln!("PASSAGE_TEST_PG_URL is not set: PostgreSQL tests skipped outside CI");
        return None;
    };
    sqlx::any::install_default_drivers();
    let name = format!("passage_test_{}", Uuid::now_v7().simple());
    let mut conn = AnyConnection::connect(&admin)
        .await
        .expect("cannot connect to PASSAGE_TEST_PG_URL");
    conn.execute(AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .expect("cannot create a test database");
    let _ = conn.close().await;
    let (base, query) = match admin.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (admin.as_str(), String::new()),
    };
    let prefix = base.rsplit_once('/').map_or(base, |(p, _)| p);
    Some(TestDb {
        backend: "postgres",
        url: format!("{prefix}/{name}{query}"),
        dir: None,
    })
}

/// SQLite, and PostgreSQL when available.
pub async fn all() -> Vec<TestDb> {
    let mut dbs = vec![sqlite()];
    dbs.extend(postgres().await);
    dbs
}
