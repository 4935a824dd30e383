//! Bulk import bookkeeping: column mappings saved by name, and one job per file and
//! arrival recording how far its import has been committed.
//!
//! # Invariants
//!
//! - A file (by its SHA-256) is imported into an arrival by one job: starting it again
//!   answers the same job, so a resumed run continues after `last_row` and a finished one
//!   does nothing.
//! - `last_row` only grows.

use passage_domain::access::{Action, Principal, Resource};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::Store;
use crate::audit::AuditEntry;
use crate::error::StoreError;
use crate::scope::require;
use crate::sql::{self, ts};

/// How far an import has gone and what it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ImportJob {
    pub id: Uuid,
    pub file_sha256: String,
    pub arrival_id: Uuid,
    pub mode: String,
    /// The last data row whose outcome is committed (0: none yet).
    pub last_row: u64,
    pub created: u64,
    pub duplicates: u64,
    pub rejected: u64,
    /// `running` or `done`.
    pub status: String,
}

/// Counts of a job's progress, written together with its last row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportProgress {
    pub last_row: u64,
    pub created: u64,
    pub duplicates: u64,
    pub rejected: u64,
    pub done: bool,
}

const COLUMNS: &str =
    "id, file_sha256, arrival_id, mode, last_row, created, duplicates, rejected, status";

fn count(row: &AnyRow, col: &str) -> Result<u64, StoreError> {
    let n = sql::int(row, col)?;
    u64::try_from(n).map_err(|_| StoreError::Corrupt(format!("import job {col} {n}")))
}

fn decode(row: &AnyRow) -> Result<ImportJob, StoreError> {
    Ok(ImportJob {
        id: sql::uuid(&sql::text(row, "id")?)?,
        file_sha256: sql::text(row, "file_sha256")?,
        arrival_id: sql::uuid(&sql::text(row, "arrival_id")?)?,
        mode: sql::text(row, "mode")?,
        last_row: count(row, "last_row")?,
        created: count(row, "created")?,
        duplicates: count(row, "duplicates")?,
        rejected: count(row, "rejected")?,
        status: sql::text(row, "status")?,
    })
}

fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn entry(
    p: &Principal,
    action: Action,
    id: Option<String>,
    detail: serde_json::Value,
) -> AuditEntry {
    AuditEntry {
        entity: "import".to_owned(),
        ..AuditEntry::by(p, action, Resource::Household, id, detail)
    }
}

impl Store {
    /// The job importing the file with this digest into `arrival`: the one begun before
    /// (to resume, or already done), or a new one.
    pub async fn start_import(
        &self,
        p: &Principal,
        file_sha256: &str,
        arrival: Uuid,
        mode: &str,
    ) -> Result<ImportJob, StoreError> {
        require(p, Action::Create, Resource::Household)?;
        let audit = entry(
            p,
            Action::Create,
            None,
            serde_json::json!({"file_sha256": file_sha256, "arrival_id": arrival, "mode": mode}),
        );
        let input = (
            p.clone(),
            file_sha256.to_owned(),
            arrival.to_string(),
            mode.to_owned(),
        );
        self.writer
            .write_audited(input, vec![audit], |c, (p, digest, arrival, mode)| {
                Box::pin(async move {
                    let select =
                        format!("SELECT {COLUMNS} FROM import_jobs WHERE file_sha256 = $1 AND arrival_id = $2");
                    let found = sqlx::query(sqlx::AssertSqlSafe(select.clone()))
                        .bind(digest.clone())
                        .bind(arrival.clone())
                        .fetch_optional(&mut *c)
                        .await?;
                    if let Some(row) = found {
                        return decode(&row);
                    }
                    sqlx::query(
                        "INSERT INTO import_jobs (id, file_sha256, arrival_id, started_by, mode, last_row, \
                         created, duplicates, rejected, status, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, 0, 0, 0, 0, 'running', $6, $6)",
                    )
                    .bind(Uuid::now_v7().to_string())
                    .bind(digest.clone())
                    .bind(arrival.clone())
                    .bind(p.name.clone())
                    .bind(mode.clone())
                    .bind(ts(p.at))
                    .execute(&mut *c)
                    .await?;
                    let row = sqlx::query(sqlx::AssertSqlSafe(select))
                        .bind(digest.clone())
                        .bind(arrival.clone())
                        .fetch_one(&mut *c)
                        .await?;
                    decode(&row)
                })
            })
            .await
    }

    /// Records how far job `id` has been committed; `last_row` never moves back.
    pub async fn import_progress(
        &self,
        p: &Principal,
        id: Uuid,
        progress: ImportProgress,
    ) -> Result<(), StoreError> {
        require(p, Action::Create, Resource::Household)?;
        let audit = if progress.done {
            vec![entry(
                p,
                Action::Update,
                Some(id.to_string()),
                serde_json::json!({"created": progress.created, "duplicates": progress.duplicates,
                    "rejected": progress.rejected, "rows": progress.last_row}),
            )]
        } else {
            Vec::new()
        };
        let at = ts(p.at);
        self.writer
            .write_audited((id, progress, at), audit, |c, (id, g, at)| {
                Box::pin(async move {
                    sqlx::query(
                        "UPDATE import_jobs SET last_row = $2, created = $3, duplicates = $4, rejected = $5, \
                         status = $6, updated_at = $7 WHERE id = $1 AND last_row <= $2",
                    )
                    .bind(id.to_string())
                    .bind(signed(g.last_row))
                    .bind(signed(g.created))
                    .bind(signed(g.duplicates))
                    .bind(signed(g.rejected))
                    .bind(if g.done { "done" } else { "running" })
                    .bind(at.clone())
                    .execute(&mut *c)
                    .await?;
                    Ok(())
                })
            })
            .await
    }

    /// Saves a column mapping (JSON) under `name`, replacing one of that name.
    pub async fn save_import_mapping(
        &self,
        p: &Principal,
        name: &str,
        mapping: &serde_json::Value,
    ) -> Result<(), StoreError> {
        require(p, Action::Create, Resource::Household)?;
        let audit = entry(
            p,
            Action::Update,
            Some(name.to_owned()),
            serde_json::json!({"mapping": name}),
        );
        let input = (
            name.to_owned(),
            mapping.to_string(),
            p.name.clone(),
            ts(p.at),
        );
        self.writer
            .write_audited(input, vec![audit], |c, (name, mapping, by, at)| {
                Box::pin(async move {
                    sqlx::query(
                        "INSERT INTO import_mappings (name, mapping, saved_by, updated_at) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (name) DO UPDATE SET mapping = $2, saved_by = $3, updated_at = $4",
                    )
                    .bind(name.clone())
                    .bind(mapping.clone())
                    .bind(by.clone())
                    .bind(at.clone())
                    .execute(&mut *c)
                    .await?;
                    Ok(())
                })
            })
            .await
    }

    /// The column mapping saved under `name`.
    pub async fn import_mapping(
        &self,
        p: &Principal,
        name: &str,
    ) -> Result<Option<serde_json::Value>, StoreError> {
        require(p, Action::Create, Resource::Household)?;
        let row = sqlx::query("SELECT mapping FROM import_mappings WHERE name = $1")
            .bind(name.to_owned())
            .fetch_optional(&self.read)
            .await?;
        match row {
            None => Ok(None),
            Some(r) => {
                let text: String = r.try_get("mapping")?;
                Ok(Some(serde_json::from_str(&text)?))
            }
        }
    }
}
