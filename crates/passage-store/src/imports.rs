//! Bulk import bookkeeping: column mappings saved by name, and one job per file and
//! arrival recording how far its import has been committed.
//!
//! # Invariants
//!
//! - A file (by its SHA-256) is imported into an arrival by one job per organisation:
//!   starting it again answers the same job, so a resumed run continues after `last_row`
//!   and a finished one does nothing. Another organisation's job is never answered.
//! - `last_row` only grows.
//! - A job and a mapping belong to the organisation of the user who made them (none: the
//!   local operator). An organisation sees its own jobs; its mappings are its own names,
//!   and the operator's mappings are shared with every organisation, read only.

use passage_domain::access::{Action, Principal, Resource, Scope};
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::Store;
use crate::audit::AuditEntry;
use crate::error::StoreError;
use crate::scope::{registering_organisation, require};
use crate::sql::{self, Arg, Builder, ts};

/// How far an import has gone and what it did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ImportJob {
    pub id: Uuid,
    pub file_sha256: String,
    pub arrival_id: Uuid,
    /// The organisation whose user started it; none for the local operator.
    pub organisation_id: Option<Uuid>,
    pub started_by: String,
    pub mode: String,
    /// The last data row whose outcome is committed (0: none yet).
    pub last_row: u64,
    pub created: u64,
    pub duplicates: u64,
    pub rejected: u64,
    /// `running` or `done`.
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub started_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
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

/// A column mapping saved under a name.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SavedMapping {
    pub name: String,
    /// The organisation it belongs to; none when the local operator saved it, for every
    /// organisation to use.
    pub organisation_id: Option<Uuid>,
    /// `{"columns": {"file column": "field"}}`.
    #[schema(value_type = Object)]
    pub mapping: serde_json::Value,
    pub saved_by: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
}

const COLUMNS: &str = "id, file_sha256, arrival_id, organisation_id, started_by, mode, last_row, \
     created, duplicates, rejected, status, created_at, updated_at";

const MAPPING_COLUMNS: &str = "name, organisation_id, mapping, saved_by, updated_at";

fn count(row: &AnyRow, col: &str) -> Result<u64, StoreError> {
    let n = sql::int(row, col)?;
    u64::try_from(n).map_err(|_| StoreError::Corrupt(format!("import job {col} {n}")))
}

fn organisation(row: &AnyRow) -> Result<Option<Uuid>, StoreError> {
    let org: Option<String> = row.try_get("organisation_id")?;
    org.as_deref().map(sql::uuid).transpose()
}

fn decode(row: &AnyRow) -> Result<ImportJob, StoreError> {
    Ok(ImportJob {
        id: sql::uuid(&sql::text(row, "id")?)?,
        file_sha256: sql::text(row, "file_sha256")?,
        arrival_id: sql::uuid(&sql::text(row, "arrival_id")?)?,
        organisation_id: organisation(row)?,
        started_by: sql::text(row, "started_by")?,
        mode: sql::text(row, "mode")?,
        last_row: count(row, "last_row")?,
        created: count(row, "created")?,
        duplicates: count(row, "duplicates")?,
        rejected: count(row, "rejected")?,
        status: sql::text(row, "status")?,
        started_at: sql::parse_ts(&sql::text(row, "created_at")?)?,
        updated_at: sql::parse_ts(&sql::text(row, "updated_at")?)?,
    })
}

fn decode_mapping(row: &AnyRow) -> Result<SavedMapping, StoreError> {
    Ok(SavedMapping {
        name: sql::text(row, "name")?,
        organisation_id: organisation(row)?,
        mapping: serde_json::from_str(&sql::text(row, "mapping")?)?,
        saved_by: sql::text(row, "saved_by")?,
        updated_at: sql::parse_ts(&sql::text(row, "updated_at")?)?,
    })
}

fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The organisation key of a job or mapping: the empty text for the local operator, as in
/// the unique indexes.
fn owner(p: &Principal) -> String {
    registering_organisation(p).unwrap_or_default()
}

/// Appends the condition that a job or mapping is the caller's own (everything for the
/// local operator).
fn own(b: &mut Builder, scope: Scope) {
    if let Scope::Organisation(org) = scope {
        b.push(" AND organisation_id = ?", Arg::Text(org.to_string()));
    }
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
    /// The job importing the file with this digest into `arrival` for the principal's
    /// organisation: the one begun before (to resume, or already done), or a new one.
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
        let input = (p.clone(), file_sha256.to_owned(), arrival, mode.to_owned());
        self.writer
            .write_audited(input, vec![audit], |c, (p, digest, arrival, mode)| {
                Box::pin(async move {
                    let known = sqlx::query("SELECT id FROM arrivals WHERE id = $1")
                        .bind(arrival.to_string())
                        .fetch_optional(&mut *c)
                        .await?;
                    if known.is_none() {
                        return Err(StoreError::NotFound {
                            entity: "arrival",
                            id: *arrival,
                        });
                    }
                    let select = format!(
                        "SELECT {COLUMNS} FROM import_jobs WHERE file_sha256 = $1 AND arrival_id = $2 \
                         AND COALESCE(organisation_id, '') = $3"
                    );
                    let find = || {
                        sqlx::query(AssertSqlSafe(select.clone()))
                            .bind(digest.clone())
                            .bind(arrival.to_string())
                            .bind(owner(p))
                    };
                    if let Some(row) = find().fetch_optional(&mut *c).await? {
                        return decode(&row);
                    }
                    sqlx::query(
                        "INSERT INTO import_jobs (id, file_sha256, arrival_id, organisation_id, started_by, \
                         mode, last_row, created, duplicates, rejected, status, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, 0, 0, 0, 0, 'running', $7, $7)",
                    )
                    .bind(Uuid::now_v7().to_string())
                    .bind(digest.clone())
                    .bind(arrival.to_string())
                    .bind(registering_organisation(p))
                    .bind(p.name.clone())
                    .bind(mode.clone())
                    .bind(ts(p.at))
                    .execute(&mut *c)
                    .await?;
                    decode(&find().fetch_one(&mut *c).await?)
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
        let org = owner(p);
        self.writer
            .write_audited((id, progress, at, org), audit, |c, (id, g, at, org)| {
                Box::pin(async move {
                    sqlx::query(
                        "UPDATE import_jobs SET last_row = $2, created = $3, duplicates = $4, rejected = $5, \
                         status = $6, updated_at = $7 WHERE id = $1 AND last_row <= $2 \
                         AND ($8 = '' OR organisation_id = $8)",
                    )
                    .bind(id.to_string())
                    .bind(signed(g.last_row))
                    .bind(signed(g.created))
                    .bind(signed(g.duplicates))
                    .bind(signed(g.rejected))
                    .bind(if g.done { "done" } else { "running" })
                    .bind(at.clone())
                    .bind(org.clone())
                    .execute(&mut *c)
                    .await?;
                    Ok(())
                })
            })
            .await
    }

    /// The caller's import jobs (every job for the local operator), newest first.
    pub async fn import_jobs(
        &self,
        p: &Principal,
        limit: u32,
    ) -> Result<Vec<ImportJob>, StoreError> {
        let scope = require(p, Action::Create, Resource::Household)?;
        let mut b = Builder::new(&format!("SELECT {COLUMNS} FROM import_jobs WHERE 1 = 1"));
        own(&mut b, scope);
        b.raw(" ORDER BY created_at DESC, id DESC");
        b.push(" LIMIT ?", Arg::Int(i64::from(limit.clamp(1, 500))));
        let rows = b.query().fetch_all(&self.read).await?;
        rows.iter().map(decode).collect()
    }

    /// One import job of the caller's; None when missing or another organisation's.
    pub async fn import_job(
        &self,
        p: &Principal,
        id: Uuid,
    ) -> Result<Option<ImportJob>, StoreError> {
        let scope = require(p, Action::Create, Resource::Household)?;
        let mut b = Builder::new(&format!("SELECT {COLUMNS} FROM import_jobs WHERE id = "));
        b.push("?", Arg::Text(id.to_string()));
        own(&mut b, scope);
        b.query()
            .fetch_optional(&self.read)
            .await?
            .as_ref()
            .map(decode)
            .transpose()
    }

    /// The caller's job for the file with this digest and arrival, if it was started.
    pub async fn import_job_of(
        &self,
        p: &Principal,
        file_sha256: &str,
        arrival: Uuid,
    ) -> Result<Option<ImportJob>, StoreError> {
        require(p, Action::Create, Resource::Household)?;
        let select = format!(
            "SELECT {COLUMNS} FROM import_jobs WHERE file_sha256 = $1 AND arrival_id = $2 \
             AND COALESCE(organisation_id, '') = $3"
        );
        sqlx::query(AssertSqlSafe(select))
            .bind(file_sha256.to_owned())
            .bind(arrival.to_string())
            .bind(owner(p))
            .fetch_optional(&self.read)
            .await?
            .as_ref()
            .map(decode)
            .transpose()
    }

    /// Saves a column mapping (JSON) under `name` among the caller's organisation's
    /// mappings (the shared ones for the local operator), replacing one of that name.
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
            registering_organisation(p),
            mapping.to_string(),
            p.name.clone(),
            ts(p.at),
        );
        self.writer
            .write_audited(input, vec![audit], |c, (name, org, mapping, by, at)| {
                Box::pin(async move {
                    let replaced = sqlx::query(
                        "UPDATE import_mappings SET mapping = $3, saved_by = $4, updated_at = $5 \
                         WHERE name = $1 AND COALESCE(organisation_id, '') = $2",
                    )
                    .bind(name.clone())
                    .bind(org.clone().unwrap_or_default())
                    .bind(mapping.clone())
                    .bind(by.clone())
                    .bind(at.clone())
                    .execute(&mut *c)
                    .await?;
                    if replaced.rows_affected() == 0 {
                        sqlx::query(
                            "INSERT INTO import_mappings (name, organisation_id, mapping, saved_by, updated_at) \
                             VALUES ($1, $2, $3, $4, $5)",
                        )
                        .bind(name.clone())
                        .bind(org.clone())
                        .bind(mapping.clone())
                        .bind(by.clone())
                        .bind(at.clone())
                        .execute(&mut *c)
                        .await?;
                    }
                    Ok(())
                })
            })
            .await
    }

    /// The column mapping saved under `name`: the caller's organisation's own, else a
    /// shared one.
    pub async fn import_mapping(
        &self,
        p: &Principal,
        name: &str,
    ) -> Result<Option<serde_json::Value>, StoreError> {
        Ok(self.saved_import_mapping(p, name).await?.map(|m| m.mapping))
    }

    /// The mapping saved under `name` with who saved it: the caller's organisation's own,
    /// else a shared one.
    pub async fn saved_import_mapping(
        &self,
        p: &Principal,
        name: &str,
    ) -> Result<Option<SavedMapping>, StoreError> {
        require(p, Action::Create, Resource::Household)?;
        let select = format!(
            "SELECT {MAPPING_COLUMNS} FROM import_mappings WHERE name = $1 \
             AND (organisation_id IS NULL OR organisation_id = $2) ORDER BY organisation_id IS NULL"
        );
        sqlx::query(AssertSqlSafe(select))
            .bind(name.to_owned())
            .bind(owner(p))
            .fetch_optional(&self.read)
            .await?
            .as_ref()
            .map(decode_mapping)
            .transpose()
    }

    /// The mappings the caller can use (every mapping for the local operator), by name.
    pub async fn import_mappings(&self, p: &Principal) -> Result<Vec<SavedMapping>, StoreError> {
        let scope = require(p, Action::Create, Resource::Household)?;
        let mut b = Builder::new(&format!(
            "SELECT {MAPPING_COLUMNS} FROM import_mappings WHERE 1 = 1"
        ));
        if let Scope::Organisation(org) = scope {
            b.push(
                " AND (organisation_id IS NULL OR organisation_id = ?)",
                Arg::Text(org.to_string()),
            );
        }
        b.raw(" ORDER BY name, organisation_id IS NULL, organisation_id");
        let rows = b.query().fetch_all(&self.read).await?;
        rows.iter().map(decode_mapping).collect()
    }
}
