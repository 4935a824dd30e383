//! The SQL side of backups and restores: what a database holds, a consistent copy of a
//! SQLite file taken while the server writes, a PostgreSQL snapshot for `pg_dump` to read,
//! and a SQLite restore that replaces a database in one transaction.
//!
//! A SQLite copy is made with `VACUUM INTO`: it reads the source inside one read
//! transaction, so in WAL mode the server keeps writing and the copy is the database as of
//! one commit, never part of a batch. (The online backup API would do the same, but sqlx
//! does not expose it, and stepping it in pieces restarts whenever the source changes.)
//! A PostgreSQL copy is `pg_dump` reading a snapshot exported here, so that what is counted
//! and what is dumped are the same snapshot.

use std::path::Path;

use sqlx::any::AnyPoolOptions;
use sqlx::{Any, AnyConnection, AnyPool, AssertSqlSafe, Connection, Executor, Row, Transaction};

use crate::error::StoreError;
use crate::{Backend, DRIVERS, parse_url};

/// Tables that a freshly migrated database already fills: the migrations' bookkeeping and
/// the audit log's head. Rows anywhere else are records.
const BOOKKEEPING: [&str; 2] = ["_sqlx_migrations", "audit_head"];

/// What a database holds: every table with its row count, and the audit log's last entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contents {
    /// Every table by name, with its number of rows.
    pub tables: Vec<(String, i64)>,
    /// The seq of the last audit entry; None when the database has no audit log.
    pub audit_seq: Option<i64>,
}

impl Contents {
    /// Rows in every table.
    pub fn rows(&self) -> i64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }

    /// The tables holding records (rows beyond what the migrations put there), with
    /// their counts.
    pub fn records(&self) -> Vec<(String, i64)> {
        self.tables
            .iter()
            .filter(|(t, n)| *n > 0 && !BOOKKEEPING.contains(&t.as_str()))
            .cloned()
            .collect()
    }
}

/// A double-quoted SQL identifier; names come from the database's own catalogue.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The database's tables by name (SQLite's internal tables left out).
async fn tables(c: &mut AnyConnection, backend: Backend) -> Result<Vec<String>, StoreError> {
    let sql = match backend {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             ORDER BY name"
        }
        Backend::Postgres => {
            "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() \
             ORDER BY tablename"
        }
    };
    Ok(sqlx::query_scalar(sql).fetch_all(&mut *c).await?)
}

/// Counts every table and reads the audit head, on the connection's current snapshot.
async fn contents_of(c: &mut AnyConnection, backend: Backend) -> Result<Contents, StoreError> {
    let names = tables(c, backend).await?;
    let mut counted = Vec::with_capacity(names.len());
    for name in names {
        let sql = format!("SELECT COUNT(*) FROM {}", quoted(&name));
        let n: i64 = sqlx::query_scalar(AssertSqlSafe(sql))
            .fetch_one(&mut *c)
            .await?;
        counted.push((name, n));
    }
    let audit_seq = if counted.iter().any(|(t, _)| t == "audit_head") {
        sqlx::query_scalar("SELECT seq FROM audit_head WHERE id = 1")
            .fetch_optional(&mut *c)
            .await?
    } else {
        None
    };
    Ok(Contents {
        tables: counted,
        audit_seq,
    })
}

/// A pool of one connection; SQLite connections wait for a lock rather than fail.
async fn one(backend: Backend, url: &str) -> Result<AnyPool, StoreError> {
    DRIVERS.call_once(sqlx::any::install_default_drivers);
    let mut options = AnyPoolOptions::new().max_connections(1);
    if backend == Backend::Sqlite {
        options = options.after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute("PRAGMA busy_timeout = 10000").await?;
                Ok(())
            })
        });
    }
    Ok(options.connect(url).await?)
}

/// What the database at `url` holds, read in one transaction. A SQLite file that does not
/// exist is created empty.
pub async fn contents(url: &str) -> Result<Contents, StoreError> {
    let (backend, url) = parse_url(url)?;
    let pool = one(backend, &url).await?;
    let mut tx = pool.begin().await?;
    let found = contents_of(&mut tx, backend).await;
    tx.rollback().await?;
    pool.close().await;
    found
}

/// The SQLite URL of an existing file: like [`parse_url`]'s, but never creates it.
fn existing(url: &str) -> Result<String, StoreError> {
    match parse_url(url)? {
        (Backend::Sqlite, url) => {
            let path = url
                .strip_prefix("sqlite://")
                .and_then(|rest| rest.strip_suffix("?mode=rwc"))
                .unwrap_or(&url);
            if !Path::new(path).is_file() {
                return Err(StoreError::Refused(format!(
                    "there is no SQLite database at {path}"
                )));
            }
            Ok(url.replacen("mode=rwc", "mode=rw", 1))
        }
        (Backend::Postgres, _) => Err(StoreError::Refused(
            "this is a PostgreSQL database, not a SQLite file".into(),
        )),
    }
}

fn path_text(path: &Path) -> Result<&str, StoreError> {
    path.to_str().ok_or_else(|| {
        StoreError::Refused(format!(
            "the path {} is not valid UTF-8; choose another",
            path.display()
        ))
    })
}

/// Writes a consistent copy of the SQLite database at `url` to `out`, a file that must
/// not exist yet, while other connections go on writing. Returns what the copy holds.
/// The copy is not synced to disk: the caller syncs it before naming it a backup.
pub async fn sqlite_snapshot(url: &str, out: &Path) -> Result<Contents, StoreError> {
    let source = existing(url)?;
    let pool = one(Backend::Sqlite, &source).await?;
    let mut c = pool.acquire().await?;
    let names = tables(&mut c, Backend::Sqlite).await?;
    if !names.iter().any(|t| t == "audit_head") {
        return Err(StoreError::Refused(
            "this SQLite file is not a Passage database (it has no audit log)".into(),
        ));
    }
    sqlx::query("VACUUM INTO $1")
        .bind(path_text(out)?.to_owned())
        .execute(&mut *c)
        .await?;
    drop(c);
    pool.close().await;

    let copy = one(
        Backend::Sqlite,
        &format!("sqlite://{}?mode=ro", path_text(out)?),
    )
    .await?;
    let mut tx = copy.begin().await?;
    let found = contents_of(&mut tx, Backend::Sqlite).await;
    tx.rollback().await?;
    copy.close().await;
    found
}

/// A PostgreSQL snapshot held open so that `pg_dump --snapshot` reads exactly it.
pub struct PgSnapshot {
    tx: Transaction<'static, Any>,
    pool: AnyPool,
    /// The id to give `pg_dump --snapshot`.
    pub id: String,
    /// What the snapshot holds.
    pub contents: Contents,
}

impl std::fmt::Debug for PgSnapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgSnapshot")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl PgSnapshot {
    /// Opens a read-only repeatable-read transaction on the PostgreSQL database at `url`,
    /// exports its snapshot and counts what it holds.
    pub async fn export(url: &str) -> Result<Self, StoreError> {
        let url = match parse_url(url)? {
            (Backend::Postgres, url) => url,
            (Backend::Sqlite, _) => {
                return Err(StoreError::Refused(
                    "this is a SQLite file, not a PostgreSQL database".into(),
                ));
            }
        };
        let pool = one(Backend::Postgres, &url).await?;
        let mut tx = pool
            .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .await?;
        let id: String = sqlx::query_scalar("SELECT pg_export_snapshot()")
            .fetch_one(&mut *tx)
            .await?;
        let contents = contents_of(&mut tx, Backend::Postgres).await?;
        if contents.audit_seq.is_none() {
            return Err(StoreError::Refused(
                "this PostgreSQL database is not a Passage database (it has no audit log)".into(),
            ));
        }
        Ok(Self {
            tx,
            pool,
            id,
            contents,
        })
    }

    /// Ends the snapshot's transaction once the dump is written.
    pub async fn release(self) -> Result<(), StoreError> {
        self.tx.rollback().await?;
        self.pool.close().await;
        Ok(())
    }
}

/// Replaces the SQLite database at `url` with the backup file `from`, in one transaction:
/// a restore that fails or is interrupted leaves the database as it was. A database that
/// holds records is refused unless `replace` is set. The backup is checked first: intact,
/// made by Passage, and by a version whose migrations this one knows.
pub async fn sqlite_restore(url: &str, from: &Path, replace: bool) -> Result<Contents, StoreError> {
    let (backend, target) = parse_url(url)?;
    if backend != Backend::Sqlite {
        return Err(StoreError::Refused(
            "a SQLite backup restores into a SQLite file only".into(),
        ));
    }
    if !from.is_file() {
        return Err(StoreError::Refused(format!(
            "the backup {} is not a file",
            from.display()
        )));
    }
    DRIVERS.call_once(sqlx::any::install_default_drivers);
    let mut c = AnyConnection::connect(&target).await?;
    c.execute(crate::SQLITE_PRAGMAS).await?;
    // Rows are copied table by table, so references are checked once, at the end.
    c.execute("PRAGMA foreign_keys = OFF").await?;
    sqlx::query("ATTACH DATABASE $1 AS backup")
        .bind(path_text(from)?.to_owned())
        .execute(&mut c)
        .await?;
    let restored = match check_backup(&mut c).await {
        Ok(()) => replace_from_backup(&mut c, replace).await,
        Err(e) => Err(e),
    };
    c.execute("DETACH DATABASE backup").await?;
    c.close().await?;
    restored
}

/// The attached backup is intact, made by Passage, and not newer than this version.
async fn check_backup(c: &mut AnyConnection) -> Result<(), StoreError> {
    let check: Vec<String> = sqlx::query_scalar("PRAGMA backup.quick_check")
        .fetch_all(&mut *c)
        .await?;
    if check != ["ok"] {
        return Err(StoreError::Refused(format!(
            "the backup is damaged: {}",
            check.join("; ")
        )));
    }
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM backup.sqlite_master WHERE type = 'table' \
         AND name IN ('_sqlx_migrations', 'audit', 'audit_head')",
    )
    .fetch_all(&mut *c)
    .await?;
    if names.len() != 3 {
        return Err(StoreError::Refused(
            "the file is a SQLite database but not a Passage backup".into(),
        ));
    }
    let versions: Vec<i64> = sqlx::query_scalar("SELECT version FROM backup._sqlx_migrations")
        .fetch_all(&mut *c)
        .await?;
    let known = crate::migrator(Backend::Sqlite);
    if let Some(v) = versions
        .iter()
        .find(|v| !known.iter().any(|m| m.version == **v))
    {
        return Err(StoreError::Refused(format!(
            "the backup was made by a newer Passage (schema version {v}): restore it with that version"
        )));
    }
    Ok(())
}

/// Drops everything in the database and recreates it from the attached backup: tables,
/// their rows, the AUTOINCREMENT counters, then indexes, triggers and views.
async fn replace_from_backup(c: &mut AnyConnection, replace: bool) -> Result<Contents, StoreError> {
    let mut tx = c.begin_with("BEGIN IMMEDIATE").await?;
    match recreate(&mut tx, replace).await {
        Ok(restored) => {
            tx.commit().await?;
            Ok(restored)
        }
        Err(e) => {
            tx.rollback().await?;
            Err(e)
        }
    }
}

async fn recreate(tx: &mut AnyConnection, replace: bool) -> Result<Contents, StoreError> {
    if !replace {
        let held = contents_of(tx, Backend::Sqlite).await?.records();
        if !held.is_empty() {
            return Err(StoreError::Refused(format!(
                "the database is not empty ({})",
                described(&held)
            )));
        }
    }
    let existing = sqlx::query(
        "SELECT type, name FROM main.sqlite_master \
         WHERE type IN ('view', 'trigger', 'table') AND name NOT LIKE 'sqlite_%' \
         ORDER BY CASE type WHEN 'view' THEN 0 WHEN 'trigger' THEN 1 ELSE 2 END",
    )
    .fetch_all(&mut *tx)
    .await?;
    for row in &existing {
        let (kind, name): (String, String) = (row.try_get("type")?, row.try_get("name")?);
        let sql = format!("DROP {} main.{}", kind.to_uppercase(), quoted(&name));
        sqlx::query(AssertSqlSafe(sql)).execute(&mut *tx).await?;
    }

    let objects = sqlx::query(
        "SELECT type, name, sql FROM backup.sqlite_master \
         WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut later = Vec::new();
    for row in &objects {
        let (kind, name, sql): (String, String, String) = (
            row.try_get("type")?,
            row.try_get("name")?,
            row.try_get("sql")?,
        );
        if kind != "table" {
            later.push(sql);
            continue;
        }
        sqlx::query(AssertSqlSafe(sql)).execute(&mut *tx).await?;
        let copy = format!(
            "INSERT INTO main.{0} SELECT * FROM backup.{0}",
            quoted(&name)
        );
        sqlx::query(AssertSqlSafe(copy)).execute(&mut *tx).await?;
    }
    let counters: Option<String> =
        sqlx::query_scalar("SELECT name FROM backup.sqlite_master WHERE name = 'sqlite_sequence'")
            .fetch_optional(&mut *tx)
            .await?;
    if counters.is_some() {
        sqlx::query("DELETE FROM main.sqlite_sequence")
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO main.sqlite_sequence SELECT * FROM backup.sqlite_sequence")
            .execute(&mut *tx)
            .await?;
    }
    for sql in later {
        sqlx::query(AssertSqlSafe(sql)).execute(&mut *tx).await?;
    }
    let broken: Vec<String> = sqlx::query("PRAGMA main.foreign_key_check")
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| r.try_get("table"))
        .collect::<Result<_, _>>()?;
    if let Some(table) = broken.first() {
        return Err(StoreError::Refused(format!(
            "the backup is inconsistent: {} row(s) of {table} refer to rows it does not hold",
            broken.iter().filter(|t| *t == table).count()
        )));
    }
    contents_of(tx, Backend::Sqlite).await
}

/// "412 rows in persons, 140 in households, …" (the largest first, at most five).
pub fn described(tables: &[(String, i64)]) -> String {
    let mut tables = tables.to_vec();
    tables.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut parts: Vec<String> = tables
        .iter()
        .take(5)
        .enumerate()
        .map(|(i, (t, n))| {
            if i == 0 {
                format!("{n} rows in {t}")
            } else {
                format!("{n} in {t}")
            }
        })
        .collect();
    if tables.len() > 5 {
        parts.push(format!("and {} more tables", tables.len() - 5));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_tables_are_named_first() {
        let t = |n: &str, c| (n.to_owned(), c);
        assert_eq!(
            described(&[t("persons", 12), t("households", 4), t("sites", 1)]),
            "12 rows in persons, 4 in households, 1 in sites"
        );
        let many: Vec<_> = (1..=7).map(|i| t(&format!("t{i}"), i)).collect();
        assert_eq!(
            described(&many),
            "7 rows in t7, 6 in t6, 5 in t5, 4 in t4, 3 in t3, and 2 more tables"
        );
    }

    #[test]
    fn bookkeeping_rows_are_not_records() {
        let c = Contents {
            tables: vec![
                ("_sqlx_migrations".into(), 11),
                ("audit_head".into(), 1),
                ("persons".into(), 0),
            ],
            audit_seq: Some(0),
        };
        assert!(c.records().is_empty());
        assert_eq!(c.rows(), 12);
    }
}
