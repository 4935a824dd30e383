//! Persistence for Passage on an embedded SQLite file or on PostgreSQL, from one codebase.
//!
//! One SQL text serves both backends (`$N` placeholders, text timestamps and ids, JSON as
//! text) through sqlx's `Any` driver; only the migrations differ, in two folders kept in
//! step. Every write goes through the group-commit [`writer`]; reads use a pool.
//! Every mutable record carries a version, and an update names the version it read.

mod agreements;
mod arrivals;
mod audit;
pub mod backup;
mod care;
mod cluster;
mod consents;
mod documents;
mod erasure;
pub mod error;
mod export;
mod history;
mod households;
mod imports;
mod matching;
mod persons;
mod protection;
mod scope;
mod sites;
pub mod sql;
mod stats;
mod subject_rights;
mod submissions;
#[cfg(feature = "testing")]
pub mod testing;
mod transfers;
mod users;
pub mod writer;

use std::sync::Once;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};

pub use audit::{AuditEntry, AuditReport, Tamper};
pub use care::{DistributionFilter, OpenTracingRequest};
pub use erasure::{RetentionItem, RetentionReport};
pub use error::StoreError;
pub use export::{HouseholdSummary, PersonExport};
pub use history::Event;
pub use matching::{FeedEntry, NewReview};
pub use persons::{PersonChange, PersonFilter};
pub use protection::{CaseFilter, CheckedScreening, ReferralFilter};
pub use sql::Page;
pub use stats::{
    ArrivalCount, AssistanceCount, BreakdownCount, CountedPerson, PipelineItem, SiteLabel,
};
pub use transfers::Transfer;
pub use users::{Credentials, NewUser, Session};

pub use arrivals::ArrivalFilter;
pub use documents::DocumentFilter;
pub use households::HouseholdFilter;
pub use imports::{ImportJob, ImportProgress, SavedMapping};
pub use sites::SiteFilter;
pub use subject_rights::RequestFilter;
pub use submissions::{
    AttachmentInfo, Created, NewAttachment, NewSubmission, Outcome, Receipt, Submission,
    SubmissionStatus,
};

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Reads the database URL: a SQLite file path (`passage.db`, `sqlite://passage.db`) or a
/// PostgreSQL URL (`postgres://…`). Any other scheme is refused rather than guessed.
pub fn parse_url(url: &str) -> Result<(Backend, String), StoreError> {
    let url = url.trim();
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok((Backend::Postgres, url.to_owned()));
    }
    let path = if let Some(rest) = url.strip_prefix("sqlite://") {
        rest
    } else if let Some(rest) = url.strip_prefix("sqlite:") {
        rest
    } else if url.contains("://") || url.is_empty() {
        return Err(StoreError::Url(url.to_owned()));
    } else {
        url
    };
    let path = path.split('?').next().unwrap_or(path);
    if path.is_empty() {
        return Err(StoreError::Url(url.to_owned()));
    }
    Ok((Backend::Sqlite, format!("sqlite://{path}?mode=rwc")))
}

/// The SQLite settings that make an acknowledged write survive a crash or a power cut:
/// write-ahead log, a full sync of the log at every commit, foreign keys enforced, and a
/// wait rather than an error when another process holds the lock.
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;";

static DRIVERS: Once = Once::new();

/// A connection to Passage's database.
#[derive(Clone)]
pub struct Store {
    backend: Backend,
    read: AnyPool,
    /// The writer's own pool of one connection; kept to close it and to inspect it in tests.
    writer_pool: AnyPool,
    writer: writer::Writer,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the URL: it may carry a password.
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

async fn pool(backend: Backend, url: &str, size: u32) -> Result<AnyPool, StoreError> {
    let mut options = AnyPoolOptions::new()
        .max_connections(size)
        .acquire_timeout(Duration::from_secs(30));
    if backend == Backend::Sqlite {
        options = options.after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute(SQLITE_PRAGMAS).await?;
                Ok(())
            })
        });
    }
    Ok(options.connect(url).await?)
}

impl Store {
    /// Connects, brings the schema up to date, and starts the writer.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        DRIVERS.call_once(sqlx::any::install_default_drivers);
        let (backend, url) = parse_url(url)?;
        let write = pool(backend, &url, 1).await?;
        migrate(backend, &write).await?;
        let read = pool(
            backend,
            &url,
            if backend == Backend::Sqlite { 4 } else { 8 },
        )
        .await?;
        Ok(Self {
            backend,
            read,
            writer_pool: write.clone(),
            writer: writer::Writer::start(
                write,
                if backend == Backend::Sqlite {
                    "BEGIN IMMEDIATE"
                } else {
                    "BEGIN"
                },
            ),
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// True when the database answers a query.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.read).await.is_ok()
    }

    /// Closes the pools; writes already acknowledged are on disk.
    pub async fn close(&self) {
        self.read.close().await;
        self.writer_pool.close().await;
    }
}

/// The migrations of a backend, embedded at build time.
fn migrator(backend: Backend) -> sqlx::migrate::Migrator {
    match backend {
        Backend::Sqlite => sqlx::migrate!("migrations/sqlite"),
        Backend::Postgres => sqlx::migrate!("migrations/postgres"),
    }
}

async fn migrate(backend: Backend, pool: &AnyPool) -> Result<(), StoreError> {
    migrator(backend).run(pool).await?;
    Ok(())
}

/// Runs the migrations and returns; for `passage migrate`.
pub async fn migrate_only(url: &str) -> Result<Backend, StoreError> {
    DRIVERS.call_once(sqlx::any::install_default_drivers);
    let (backend, url) = parse_url(url)?;
    let p = pool(backend, &url, 1).await?;
    migrate(backend, &p).await?;
    p.close().await;
    Ok(backend)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The settings that make an acknowledged write durable are in force on every
    /// connection, the writer's included.
    #[tokio::test]
    async fn sqlite_connections_sync_the_log_at_every_commit() {
        let dir =
            std::env::temp_dir().join(format!("passage-pragmas-{}", uuid::Uuid::now_v7().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let store = Store::open(&dir.join("p.db").display().to_string())
            .await
            .unwrap();
        for pool in [&store.read, &store.writer_pool] {
            let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
                .fetch_one(pool)
                .await
                .unwrap();
            let sync: i64 = sqlx::query_scalar("PRAGMA synchronous")
                .fetch_one(pool)
                .await
                .unwrap();
            let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
                .fetch_one(pool)
                .await
                .unwrap();
            assert_eq!((mode.as_str(), sync, fk), ("wal", 2, 1));
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn urls_pick_the_backend_or_are_refused() {
        assert_eq!(
            parse_url("passage.db").unwrap(),
            (Backend::Sqlite, "sqlite://passage.db?mode=rwc".into())
        );
        assert_eq!(
            parse_url("/var/lib/p.db").unwrap().1,
            "sqlite:///var/lib/p.db?mode=rwc"
        );
        assert_eq!(
            parse_url("sqlite://x.db").unwrap().1,
            "sqlite://x.db?mode=rwc"
        );
        assert_eq!(parse_url("postgres://u@h/db").unwrap().0, Backend::Postgres);
        assert!(parse_url("mysql://h/db").is_err());
        assert!(parse_url("").is_err());
    }
}
