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

/// One table's rows, each value as text (NULL as None), sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
}

impl Table {
    /// The position of a column.
    ///
    /// # Panics
    /// When the table has no such column.
    #[allow(clippy::expect_used)]
    pub fn column(&self, name: &str) -> usize {
        self.columns
            .iter()
            .position(|c| c == name)
            .expect("no such column")
    }
}

/// Every table of the database at `url` with all its rows: two databases hold the same
/// data when these are equal.
///
/// # Panics
/// When the database cannot be read.
#[allow(clippy::expect_used)]
pub async fn rows(url: &str) -> std::collections::BTreeMap<String, Table> {
    let (backend, url) = crate::parse_url(url).expect("database URL");
    sqlx::any::install_default_drivers();
    let mut conn = AnyConnection::connect(&url).await.expect("connect");
    let (tables, columns) = match backend {
        crate::Backend::Sqlite => (
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            "SELECT name FROM pragma_table_info($1) ORDER BY cid",
        ),
        crate::Backend::Postgres => (
            "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema()",
            "SELECT column_name::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
        ),
    };
    let names: Vec<String> = sqlx::query_scalar(tables)
        .fetch_all(&mut conn)
        .await
        .expect("tables");
    let mut all = std::collections::BTreeMap::new();
    for name in names {
        let columns: Vec<String> = sqlx::query_scalar(columns)
            .bind(name.clone())
            .fetch_all(&mut conn)
            .await
            .expect("columns");
        // Every value as text the same way on both sides: quote() keeps SQLite's types
        // apart (1 and '1' differ); PostgreSQL's columns have one type each.
        let select: Vec<String> = columns
            .iter()
            .map(|c| match backend {
                crate::Backend::Sqlite => format!("quote(\"{c}\")"),
                crate::Backend::Postgres => format!("\"{c}\"::text"),
            })
            .collect();
        let sql = format!("SELECT {} FROM \"{name}\"", select.join(", "));
        let fetched = sqlx::query(AssertSqlSafe(sql))
            .fetch_all(&mut conn)
            .await
            .expect("rows");
        let mut rows: Vec<Vec<Option<String>>> = fetched
            .iter()
            .map(|r| {
                (0..columns.len())
                    .map(|i| sqlx::Row::try_get::<Option<String>, _>(r, i).expect("text"))
                    .collect()
            })
            .collect();
        rows.sort();
        all.insert(name, Table { columns, rows });
    }
    let _ = conn.close().await;
    all
}
