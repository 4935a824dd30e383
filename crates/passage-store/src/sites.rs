//! Sites.

// SQL built at run time is assembled from constant text only; values are always bound.
use passage_domain::access::{Action, Principal, Resource};
use passage_domain::error::ValidationErrors;
use passage_domain::record::{Meta, Site};
use passage_domain::site::{SiteDetails, SiteKind};
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;
use uuid::Uuid;

use crate::Store;
use crate::audit::AuditEntry;
use crate::error::StoreError;
use crate::history;
use crate::scope::require;
use crate::sql::{self, Arg, Builder, Page};

#[derive(Debug, Clone, Default)]
pub struct SiteFilter {
    pub kind: Option<SiteKind>,
    pub country: Option<String>,
}

const COLUMNS: &str = "id, details, version, created_at, updated_at";

pub(crate) fn meta(row: &AnyRow) -> Result<Meta, StoreError> {
    Ok(Meta {
        id: sql::uuid(&sql::text(row, "id")?)?,
        version: sql::int(row, "version")?,
        created_at: sql::parse_ts(&sql::text(row, "created_at")?)?,
        updated_at: sql::parse_ts(&sql::text(row, "updated_at")?)?,
    })
}

fn decode(row: &AnyRow) -> Result<Site, StoreError> {
    Ok(Site {
        meta: meta(row)?,
        details: sql::json(row, "details")?,
    })
}

fn code_taken(code: &str) -> StoreError {
    ValidationErrors::one(
        "code",
        format!("site code {code} is already used by another site"),
    )
    .into()
}

impl Store {
    pub async fn create_site(
        &self,
        p: &Principal,
        details: SiteDetails,
    ) -> Result<Site, StoreError> {
        require(p, Action::Create, Resource::Site)?;
        let now = p.at;
        let site = Site {
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
            Resource::Site,
            Some(site.meta.id.to_string()),
            serde_json::json!({"code": site.details.code}),
        )];
        self.writer
            .write_audited(site, audit, |c, site| {
                Box::pin(async move {
                    let now = site.meta.created_at;
                    let d = &site.details;
                    let taken = sqlx::query("SELECT id FROM sites WHERE code = $1")
                        .bind(d.code.as_str().to_owned())
                        .fetch_optional(&mut *c)
                        .await?;
                    if taken.is_some() {
                        return Err(code_taken(d.code.as_str()));
                    }
                    let json = serde_json::to_value(d)?;
                    sqlx::query(
                        "INSERT INTO sites (id, code, name, kind, country, details, version, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)",
                    )
                    .bind(site.meta.id.to_string())
                    .bind(d.code.as_str().to_owned())
                    .bind(d.name.clone())
                    .bind(d.kind.code().to_owned())
                    .bind(d.country.as_str().to_owned())
                    .bind(json.to_string())
                    .bind(sql::ts(now))
                    .execute(&mut *c)
                    .await?;
                    history::record(c, "site", site.meta.id, "created", 1, now, &json).await?;
                    Ok(site.clone())
                })
            })
            .await
    }

    pub async fn site(&self, p: &Principal, id: Uuid) -> Result<Option<Site>, StoreError> {
        require(p, Action::Read, Resource::Site)?;
        let sql = format!("SELECT {COLUMNS} FROM sites WHERE id = $1");
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(id.to_string())
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(decode).transpose()
    }

    /// Replaces a site's details if `version` is still current. The site code cannot
    /// change once numbers have been issued under it.
    pub async fn update_site(
        &self,
        p: &Principal,
        id: Uuid,
        version: i64,
        details: SiteDetails,
    ) -> Result<Site, StoreError> {
        require(p, Action::Update, Resource::Site)?;
        let now = p.at;
        let audit = vec![AuditEntry::by(
            p,
            Action::Update,
            Resource::Site,
            Some(id.to_string()),
            serde_json::json!({"version": version}),
        )];
        self.writer
            .write_audited((id, version, details, now), audit, |c, (id, version, details, now)| {
                Box::pin(async move {
                    let (id, version, now) = (*id, *version, *now);
                    let json = serde_json::to_value(details)?;
                    let done = sqlx::query(
                        "UPDATE sites SET name = $1, kind = $2, country = $3, details = $4, version = version + 1, updated_at = $5 \
                         WHERE id = $6 AND version = $7 AND code = $8",
                    )
                    .bind(details.name.clone())
                    .bind(details.kind.code().to_owned())
                    .bind(details.country.as_str().to_owned())
                    .bind(json.to_string())
                    .bind(sql::ts(now))
                    .bind(id.to_string())
                    .bind(version)
                    .bind(details.code.as_str().to_owned())
                    .execute(&mut *c)
                    .await?;
                    if done.rows_affected() == 0 {
                        let code: Option<String> = sqlx::query_scalar("SELECT code FROM sites WHERE id = $1")
                            .bind(id.to_string())
                            .fetch_optional(&mut *c)
                            .await?;
                        if code.is_some_and(|code| code != details.code.as_str()) {
                            return Err(ValidationErrors::one("details.code", "the site code cannot change: registration numbers were issued under it").into());
                        }
                        return Err(history::missing_or_conflict(c, "sites", "site", id, version).await);
                    }
                    history::record(c, "site", id, "updated", version + 1, now, &json).await?;
                    let sql = format!("SELECT {COLUMNS} FROM sites WHERE id = $1");
                    let row = sqlx::query(AssertSqlSafe(sql)).bind(id.to_string()).fetch_one(&mut *c).await?;
                    decode(&row)
                })
            })
            .await
    }

    pub async fn sites(
        &self,
        p: &Principal,
        filter: &SiteFilter,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<Site>, StoreError> {
        require(p, Action::Read, Resource::Site)?;
        let mut b = Builder::new(&format!("SELECT {COLUMNS} FROM sites WHERE 1 = 1"));
        if let Some(k) = filter.kind {
            b.push(" AND kind = ?", Arg::Text(k.code().to_owned()));
        }
        if let Some(c) = &filter.country {
            b.push(" AND country = ?", Arg::Text(c.clone()));
        }
        sql::page(&self.read, b, cursor, limit, decode).await
    }
}
