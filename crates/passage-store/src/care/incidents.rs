//! Incidents on the routes (rescues, shipwrecks, deaths, disappearances) with the arrivals
//! they produced, and anonymous flow counts at monitoring points.

// SQL built at run time is assembled from constant text only; values are always bound.
use passage_domain::access::{Action, Principal, Resource};
use passage_domain::care::flow::FlowObservation;
use passage_domain::care::incident::IncidentDetails;
use passage_domain::care::records::{FlowRecord, Incident};
use passage_domain::error::ValidationErrors;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::Store;
use crate::audit::AuditEntry;
use crate::error::StoreError;
use crate::history;
use crate::scope::require;
use crate::sites::meta;
use crate::sql::{self, Arg, Builder, ts};

/// The arrivals whose details name the incident.
async fn arrivals_of(c: &mut AnyConnection, id: Uuid) -> Result<Vec<Uuid>, StoreError> {
    let pattern = format!("%\"incident_id\":\"{id}\"%");
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM arrivals WHERE details LIKE $1 ORDER BY arrived_at, id")
            .bind(pattern)
            .fetch_all(&mut *c)
            .await?;
    ids.iter().map(|i| sql::uuid(i)).collect()
}

async fn decode(c: &mut AnyConnection, row: &AnyRow) -> Result<Incident, StoreError> {
    let m = meta(row)?;
    Ok(Incident {
        arrival_ids: arrivals_of(c, m.id).await?,
        meta: m,
        details: sql::json(row, "details")?,
        recorded_by: sql::text(row, "recorded_by")?,
    })
}

pub(crate) async fn fetch(c: &mut AnyConnection, id: Uuid) -> Result<Incident, StoreError> {
    let row = sqlx::query("SELECT id, details, recorded_by, version, created_at, updated_at FROM incidents WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(&mut *c)
        .await?;
    let row = row.ok_or(StoreError::NotFound {
        entity: "incident",
        id,
    })?;
    decode(c, &row).await
}

impl Store {
    pub async fn create_incident(
        &self,
        p: &Principal,
        details: IncidentDetails,
    ) -> Result<Incident, StoreError> {
        require(p, Action::Create, Resource::Incident)?;
        let id = Uuid::now_v7();
        let audit = vec![AuditEntry::by(
            p,
            Action::Create,
            Resource::Incident,
            Some(id.to_string()),
            serde_json::json!({"kind": details.kind, "dead": details.dead, "missing": details.missing}),
        )];
        self.writer
            .write_audited((id, details, p.clone()), audit, |c, (id, details, p)| {
                Box::pin(async move {
                    sqlx::query(
                        "INSERT INTO incidents (id, kind, occurred_on, details, organisation_id, recorded_by, version, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)",
                    )
                    .bind(id.to_string())
                    .bind(details.kind.code().to_owned())
                    .bind(details.occurred_on.to_string())
                    .bind(serde_json::to_string(details)?)
                    .bind(p.organisation_id.map(|o| o.to_string()))
                    .bind(p.name.clone())
                    .bind(ts(p.at))
                    .execute(&mut *c)
                    .await?;
                    history::record(c, "incident", *id, "recorded", 1, p.at, &serde_json::to_value(details)?).await?;
                    fetch(c, *id).await
                })
            })
            .await
    }

    /// Corrects an incident (counts rise as bodies are found and survivors counted).
    pub async fn update_incident(
        &self,
        p: &Principal,
        id: Uuid,
        version: i64,
        details: IncidentDetails,
    ) -> Result<Incident, StoreError> {
        require(p, Action::Update, Resource::Incident)?;
        let audit = vec![AuditEntry::by(
            p,
            Action::Update,
            Resource::Incident,
            Some(id.to_string()),
            serde_json::json!({"version": version}),
        )];
        self.writer
            .write_audited((id, version, details, p.clone()), audit, |c, (id, version, details, p)| {
                Box::pin(async move {
                    let done = sqlx::query(
                        "UPDATE incidents SET kind = $1, occurred_on = $2, details = $3, version = version + 1, updated_at = $4 \
                         WHERE id = $5 AND version = $6",
                    )
                    .bind(details.kind.code().to_owned())
                    .bind(details.occurred_on.to_string())
                    .bind(serde_json::to_string(details)?)
                    .bind(ts(p.at))
                    .bind(id.to_string())
                    .bind(*version)
                    .execute(&mut *c)
                    .await?;
                    if done.rows_affected() == 0 {
                        return Err(history::missing_or_conflict(c, "incidents", "incident", *id, *version).await);
                    }
                    history::record(c, "incident", *id, "updated", version + 1, p.at, &serde_json::to_value(details)?).await?;
                    fetch(c, *id).await
                })
            })
            .await
    }

    pub async fn incident(&self, p: &Principal, id: Uuid) -> Result<Option<Incident>, StoreError> {
        require(p, Action::Read, Resource::Incident)?;
        let mut c = self.read.acquire().await?;
        match fetch(&mut c, id).await {
            Ok(i) => Ok(Some(i)),
            Err(StoreError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Incidents, oldest first, optionally from a date on.
    pub async fn incidents(&self, p: &Principal, limit: u32) -> Result<Vec<Incident>, StoreError> {
        require(p, Action::Read, Resource::Incident)?;
        let mut c = self.read.acquire().await?;
        let rows = sqlx::query("SELECT id, details, recorded_by, version, created_at, updated_at FROM incidents ORDER BY occurred_on, id LIMIT $1")
            .bind(i64::from(limit.clamp(1, 10_000)))
            .fetch_all(&mut *c)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(decode(&mut c, r).await?);
        }
        Ok(out)
    }

    /// Records an anonymous group count at a monitoring point.
    pub async fn record_flow(
        &self,
        p: &Principal,
        o: FlowObservation,
    ) -> Result<FlowRecord, StoreError> {
        require(p, Action::Create, Resource::FlowObservation)?;
        let id = Uuid::now_v7();
        let audit = vec![AuditEntry::by(
            p,
            Action::Create,
            Resource::FlowObservation,
            Some(id.to_string()),
            serde_json::json!({"site_id": o.site_id}),
        )];
        self.writer
            .write_audited((id, o, p.clone()), audit, |c, (id, o, p)| {
                Box::pin(async move {
                    let site: Option<String> = sqlx::query_scalar("SELECT id FROM sites WHERE id = $1").bind(o.site_id.to_string()).fetch_optional(&mut *c).await?;
                    if site.is_none() {
                        return Err(ValidationErrors::one("site_id", format!("no site with id {}", o.site_id)).into());
                    }
                    sqlx::query(
                        "INSERT INTO flow_observations (id, site_id, observed_at, direction, total, details, recorded_by, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(id.to_string())
                    .bind(o.site_id.to_string())
                    .bind(ts(o.observed_at))
                    .bind(o.direction.code().to_owned())
                    .bind(i64::try_from(o.people()).unwrap_or(i64::MAX))
                    .bind(serde_json::to_string(o)?)
                    .bind(p.name.clone())
                    .bind(ts(p.at))
                    .execute(&mut *c)
                    .await?;
                    Ok(FlowRecord { id: *id, observation: o.clone(), recorded_by: p.name.clone() })
                })
            })
            .await
    }

    /// Flow counts at a point (or everywhere), in a period, oldest first.
    pub async fn flows(
        &self,
        p: &Principal,
        site_id: Option<Uuid>,
        from: Option<OffsetDateTime>,
        to: Option<OffsetDateTime>,
        limit: u32,
    ) -> Result<Vec<FlowRecord>, StoreError> {
        require(p, Action::Read, Resource::FlowObservation)?;
        let mut b =
            Builder::new("SELECT id, details, recorded_by FROM flow_observations WHERE 1 = 1");
        if let Some(s) = site_id {
            b.push(" AND site_id = ?", Arg::Text(s.to_string()));
        }
        if let Some(f) = from {
            b.push(" AND observed_at >= ?", Arg::Text(ts(f)));
        }
        if let Some(t) = to {
            b.push(" AND observed_at < ?", Arg::Text(ts(t)));
        }
        b.push(
            " ORDER BY observed_at, id LIMIT ?",
            Arg::Int(i64::from(limit.clamp(1, 10_000))),
        );
        let rows = b.query().fetch_all(&self.read).await?;
        rows.iter()
            .map(|r| {
                Ok(FlowRecord {
                    id: sql::uuid(&sql::text(r, "id")?)?,
                    observation: sql::json(r, "details")?,
                    recorded_by: sql::text(r, "recorded_by")?,
                })
            })
            .collect()
    }
}
