//! Arrivals.

// SQL built at run time is assembled from constant text only; values are always bound.
use passage_domain::access::{Action, Principal, Resource};
use passage_domain::arrival::{ArrivalDetails, ArrivalMode};
use passage_domain::error::ValidationErrors;
use passage_domain::record::{Arrival, Meta};
use sqlx::AnyConnection;
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;
use uuid::Uuid;

use crate::Store;
use crate::audit::AuditEntry;
use crate::error::StoreError;
use crate::history;
use crate::scope::require;
use crate::sites::meta;
use crate::sql::{self, Arg, Builder, Page};

#[derive(Debug, Clone, Default)]
pub struct ArrivalFilter {
    pub site_id: Option<Uuid>,
    pub mode: Option<ArrivalMode>,
}

const COLUMNS: &str = "id, details, version, created_at, updated_at";

fn decode(row: &AnyRow) -> Result<Arrival, StoreError> {
    Ok(Arrival {
        meta: meta(row)?,
        details: sql::json(row, "details")?,
    })
}

async fn site_exists(c: &mut AnyConnection, site_id: Uuid) -> Result<(), StoreError> {
    let found = sqlx::query("SELECT id FROM sites WHERE id = $1")
        .bind(site_id.to_string())
        .fetch_optional(c)
        .await?;
    match found {
        Some(_) => Ok(()),
        None => Err(ValidationErrors::one("site_id", format!("no site with id {site_id}")).into()),
    }
}

impl Store {
    pub async fn create_arrival(
        &self,
        p: &Principal,
        details: ArrivalDetails,
    ) -> Result<Arrival, StoreError> {
        require(p, Action::Create, Resource::Arrival)?;
        let now = p.at;
        let arrival = Arrival {
            meta: Meta {
                id: Uuid::now_v7(),
                version: 1,
                created_at: now,
                updated_at: now,
            },
            details,
        };
        let audit = vec![AuditEntry::by(
            p,
            Action::Create,
            Resource::Arrival,
            Some(arrival.meta.id.to_string()),
            serde_json::json!({"site_id": arrival.details.site_id}),
        )];
        self.writer
            .write_audited(arrival, audit, |c, arrival| {
                Box::pin(async move {
                    let now = arrival.meta.created_at;
                    let d = &arrival.details;
                    site_exists(c, d.site_id).await?;
                    let json = serde_json::to_value(d)?;
                    sqlx::query(
                        "INSERT INTO arrivals (id, site_id, mode, arrived_at, details, version, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, 1, $6, $6)",
                    )
                    .bind(arrival.meta.id.to_string())
                    .bind(d.site_id.to_string())
                    .bind(d.mode.code().to_owned())
                    .bind(sql::ts(d.arrived_at))
                    .bind(json.to_string())
                    .bind(sql::ts(now))
                    .execute(&mut *c)
                    .await?;
                    history::record(c, "arrival", arrival.meta.id, "created", 1, now, &json).await?;
                    Ok(arrival.clone())
                })
            })
            .await
    }

    pub async fn arrival(&self, p: &Principal, id: Uuid) -> Result<Option<Arrival>, StoreError> {
        require(p, Action::Read, Resource::Arrival)?;
        let sql = format!("SELECT {COLUMNS} FROM arrivals WHERE id = $1");
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(id.to_string())
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(decode).transpose()
    }

    pub async fn update_arrival(
        &self,
        p: &Principal,
        id: Uuid,
        version: i64,
        details: ArrivalDetails,
    ) -> Result<Arrival, StoreError> {
        require(p, Action::Update, Resource::Arrival)?;
        let now = p.at;
        let audit = vec![AuditEntry::by(
            p,
            Action::Update,
            Resource::Arrival,
            Some(id.to_string()),
            serde_json::json!({"version": version}),
        )];
        self.writer
            .write_audited((id, version, details, now), audit, |c, (id, version, details, now)| {
                Box::pin(async move {
                    let (id, version, now) = (*id, *version, *now);
                    site_exists(c, details.site_id).await.map_err(|_| {
                        StoreError::from(ValidationErrors::one("details.site_id", format!("no site with id {}", details.site_id)))
                    })?;
                    let json = serde_json::to_value(details)?;
                    let done = sqlx::query(
                        "UPDATE arrivals SET site_id = $1, mode = $2, arrived_at = $3, details = $4, version = version + 1, updated_at = $5 \
                         WHERE id = $6 AND version = $7",
                    )
                    .bind(details.site_id.to_string())
                    .bind(details.mode.code().to_owned())
                    .bind(sql::ts(details.arrived_at))
                    .bind(json.to_string())
                    .bind(sql::ts(now))
                    .bind(id.to_string())
                    .bind(version)
                    .execute(&mut *c)
                    .await?;
                    if done.rows_affected() == 0 {
                        return Err(history::missing_or_conflict(c, "arrivals", "arrival", id, version).await);
                    }
                    history::record(c, "arrival", id, "updated", version + 1, now, &json).await?;
                    let sql = format!("SELECT {COLUMNS} FROM arrivals WHERE id = $1");
                    let row = sqlx::query(AssertSqlSafe(sql)).bind(id.to_string()).fetch_one(&mut *c).await?;
                    decode(&row)
                })
            })
            .await
    }

    pub async fn arrivals(
        &self,
        p: &Principal,
        filter: &ArrivalFilter,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<Arrival>, StoreError> {
        require(p, Action::Read, Resource::Arrival)?;
        let mut b = Builder::new(&format!("SELECT {COLUMNS} FROM arrivals WHERE 1 = 1"));
        if let Some(s) = filter.site_id {
            b.push(" AND site_id = ?", Arg::Text(s.to_string()));
        }
        if let Some(m) = filter.mode {
            b.push(" AND mode = ?", Arg::Text(m.code().to_owned()));
        }
        sql::page(&self.read, b, cursor, limit, decode).await
    }
}
