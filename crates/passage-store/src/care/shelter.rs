//! Shelter units, stays (admission, transfer, departure) and the occupancy derived from
//! them, never typed in; the allocation proposal for an arrival not yet sheltered.

// SQL built at run time is assembled from constant text only; values are always bound.
use passage_domain::access::{Action, Principal, Resource, Role, Scope};
use passage_domain::care::allocation::{Arriving, Space, propose};
use passage_domain::care::records::{
    Admission, Admissions, AllocationProposal, DailyOccupancy, KindOccupancy, ShelterUnit,
    SiteOccupancy, Stay, StayChange,
};
use passage_domain::care::shelter::{
    ShelterUnitDetails, UnitKind, UnitOccupancy, capacity_warnings, occupancy,
};
use passage_domain::error::ValidationErrors;
use passage_domain::person::{ProfileFlag, Sex};
use passage_domain::record::Person;
use passage_domain::site::SiteDetails;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use time::{Date, OffsetDateTime, Time};
use uuid::Uuid;

use crate::Store;
use crate::audit::AuditEntry;
use crate::error::StoreError;
use crate::history;
use crate::persons::{COLUMNS as PERSON_COLUMNS, decode as decode_person};
use crate::protection::lock_person;
use crate::scope::{ensure_visible, require, visible};
use crate::sites::meta;
use crate::sql::{self, Arg, Builder, ts};

const STAY_COLUMNS: &str = "id, person_id, site_id, unit_id, companions, admitted_at, admitted_by, transferred_from, override_reason, \
     departed_at, departed_by, departure_reason, version, created_at, updated_at";

fn decode_unit(row: &AnyRow) -> Result<ShelterUnit, StoreError> {
    Ok(ShelterUnit {
        meta: meta(row)?,
        details: sql::json(row, "details")?,
    })
}

fn decode_stay(row: &AnyRow) -> Result<Stay, StoreError> {
    let opt_ts = |col: &str| -> Result<Option<OffsetDateTime>, StoreError> {
        let v: Option<String> = row.try_get(col)?;
        v.as_deref().map(sql::parse_ts).transpose()
    };
    let from: Option<String> = row.try_get("transferred_from")?;
    Ok(Stay {
        meta: meta(row)?,
        person_id: sql::uuid(&sql::text(row, "person_id")?)?,
        site_id: sql::uuid(&sql::text(row, "site_id")?)?,
        unit_id: sql::uuid(&sql::text(row, "unit_id")?)?,
        companions: u32::try_from(sql::int(row, "companions")?).unwrap_or(u32::MAX),
        admitted_at: sql::parse_ts(&sql::text(row, "admitted_at")?)?,
        admitted_by: sql::text(row, "admitted_by")?,
        transferred_from: from.as_deref().map(sql::uuid).transpose()?,
        override_reason: row.try_get("override_reason")?,
        departed_at: opt_ts("departed_at")?,
        departed_by: row.try_get("departed_by")?,
        departure_reason: row.try_get("departure_reason")?,
    })
}

async fn site(c: &mut AnyConnection, id: Uuid) -> Result<SiteDetails, StoreError> {
    let details: Option<String> = sqlx::query_scalar("SELECT details FROM sites WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(&mut *c)
        .await?;
    let details = details.ok_or(StoreError::NotFound { entity: "site", id })?;
    Ok(serde_json::from_str(&details)?)
}

async fn unit(c: &mut AnyConnection, id: Uuid) -> Result<ShelterUnit, StoreError> {
    let row = sqlx::query(
        "SELECT id, details, version, created_at, updated_at FROM shelter_units WHERE id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(&mut *c)
    .await?;
    decode_unit(&row.ok_or(StoreError::NotFound {
        entity: "shelter unit",
        id,
    })?)
}

async fn units_of(c: &mut AnyConnection, site_id: Uuid) -> Result<Vec<ShelterUnit>, StoreError> {
    let rows = sqlx::query("SELECT id, details, version, created_at, updated_at FROM shelter_units WHERE site_id = $1 ORDER BY created_at, id")
        .bind(site_id.to_string())
        .fetch_all(&mut *c)
        .await?;
    rows.iter().map(decode_unit).collect()
}

/// People staying in each unit of a site now.
async fn open_stays(c: &mut AnyConnection, site_id: Uuid) -> Result<Vec<(Uuid, u32)>, StoreError> {
    let rows = sqlx::query("SELECT unit_id, CAST(SUM(1 + companions) AS BIGINT) AS n FROM stays WHERE site_id = $1 AND departed_at IS NULL GROUP BY unit_id")
        .bind(site_id.to_string())
        .fetch_all(&mut *c)
        .await?;
    rows.iter()
        .map(|r| {
            Ok((
                sql::uuid(&sql::text(r, "unit_id")?)?,
                u32::try_from(sql::int(r, "n")?).unwrap_or(u32::MAX),
            ))
        })
        .collect()
}

async fn fetch_stay(c: &mut AnyConnection, id: Uuid) -> Result<Stay, StoreError> {
    let sql = format!("SELECT {STAY_COLUMNS} FROM stays WHERE id = $1");
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_optional(&mut *c)
        .await?;
    decode_stay(&row.ok_or(StoreError::NotFound { entity: "stay", id })?)
}

/// Whether `p` may fill a unit beyond its beds: a site manager (or the operator), with a
/// reason.
fn may_override(p: &Principal, reason: Option<&str>) -> bool {
    (p.is_operator() || p.roles.contains(&Role::SiteManager))
        && reason.is_some_and(|r| !r.trim().is_empty())
}

/// Opens a stay in the caller's transaction after every check: the person visible and not
/// staying anywhere, the unit and its site open, a free bed or a site manager's override.
async fn admit_one(
    c: &mut AnyConnection,
    a: Admission,
    from: Option<Uuid>,
    override_reason: Option<&str>,
    p: &Principal,
    scope: Scope,
) -> Result<Stay, StoreError> {
    ensure_visible(c, "persons", "person", a.person_id, scope, p).await?;
    lock_person(c, a.person_id).await?;
    let u = unit(c, a.unit_id).await?;
    let s = site(c, u.details.site_id).await?;
    if s.closed {
        return Err(StoreError::Refused(format!(
            "site {} is closed: it takes no admissions or transfers",
            s.name
        )));
    }
    if u.details.closed {
        return Err(StoreError::Refused(format!(
            "unit {} is closed",
            u.details.name
        )));
    }
    let staying: Option<String> =
        sqlx::query_scalar("SELECT id FROM stays WHERE person_id = $1 AND departed_at IS NULL")
            .bind(a.person_id.to_string())
            .fetch_optional(&mut *c)
            .await?;
    if staying.is_some() {
        return Err(StoreError::Refused(format!(
            "person {} is already staying in a unit: transfer them instead",
            a.person_id
        )));
    }
    let occupied: i64 =
        sqlx::query_scalar("SELECT CAST(COALESCE(SUM(1 + companions), 0) AS BIGINT) FROM stays WHERE unit_id = $1 AND departed_at IS NULL")
            .bind(a.unit_id.to_string())
            .fetch_one(&mut *c)
            .await?;
    let occupied = u32::try_from(occupied).unwrap_or(u32::MAX);
    let over = occupied.saturating_add(1).saturating_add(a.companions) > u.details.beds;
    let override_reason = match (over, override_reason) {
        (false, _) => None,
        (true, r) if may_override(p, r) => r.map(|r| r.trim().to_owned()),
        (true, _) => {
            return Err(StoreError::Refused(format!(
                "unit {} is full ({occupied} of {} beds taken, {} more needed): a site manager may override with a reason",
                u.details.name,
                u.details.beds,
                1 + a.companions
            )));
        }
    };
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO stays (id, person_id, site_id, unit_id, companions, admitted_at, admitted_by, transferred_from, \
         override_reason, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $9, $5, $6, $7, $8, 1, $5, $5)",
    )
    .bind(id.to_string())
    .bind(a.person_id.to_string())
    .bind(u.details.site_id.to_string())
    .bind(a.unit_id.to_string())
    .bind(ts(p.at))
    .bind(p.name.clone())
    .bind(from.map(|f| f.to_string()))
    .bind(override_reason.clone())
    .bind(i64::from(a.companions))
    .execute(&mut *c)
    .await?;
    let detail = serde_json::json!({"person_id": a.person_id, "unit_id": a.unit_id, "companions": a.companions, "override_reason": override_reason});
    history::record(c, "stay", id, "admitted", 1, p.at, &detail).await?;
    fetch_stay(c, id).await
}

impl Store {
    pub async fn create_unit(
        &self,
        p: &Principal,
        details: ShelterUnitDetails,
    ) -> Result<ShelterUnit, StoreError> {
        require(p, Action::Create, Resource::ShelterUnit)?;
        let id = Uuid::now_v7();
        let audit = vec![AuditEntry::by(
            p,
            Action::Create,
            Resource::ShelterUnit,
            Some(id.to_string()),
            serde_json::json!({"site_id": details.site_id, "kind": details.kind, "beds": details.beds}),
        )];
        self.writer
            .write_audited((id, details, p.clone()), audit, |c, (id, details, p)| {
                Box::pin(async move {
                    site(c, details.site_id).await.map_err(|_| ValidationErrors::one("site_id", format!("no site with id {}", details.site_id)))?;
                    sqlx::query(
                        "INSERT INTO shelter_units (id, site_id, kind, beds, closed, details, version, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)",
                    )
                    .bind(id.to_string())
                    .bind(details.site_id.to_string())
                    .bind(details.kind.code().to_owned())
                    .bind(i64::from(details.beds))
                    .bind(i64::from(details.closed))
                    .bind(serde_json::to_string(details)?)
                    .bind(ts(p.at))
                    .execute(&mut *c)
                    .await?;
                    history::record(c, "shelter_unit", *id, "created", 1, p.at, &serde_json::to_value(details)?).await?;
                    unit(c, *id).await
                })
            })
            .await
    }

    /// Changes a unit (beds, name, closed); beds below the people staying are refused.
    pub async fn update_unit(
        &self,
        p: &Principal,
        id: Uuid,
        version: i64,
        details: ShelterUnitDetails,
    ) -> Result<ShelterUnit, StoreError> {
        require(p, Action::Update, Resource::ShelterUnit)?;
        let audit = vec![AuditEntry::by(
            p,
            Action::Update,
            Resource::ShelterUnit,
            Some(id.to_string()),
            serde_json::json!({"beds": details.beds, "closed": details.closed}),
        )];
        self.writer
            .write_audited((id, version, details, p.clone()), audit, |c, (id, version, details, p)| {
                Box::pin(async move {
                    let current = unit(c, *id).await?;
                    if current.details.site_id != details.site_id {
                        return Err(ValidationErrors::one("site_id", "a unit cannot move to another site").into());
                    }
                    let done = sqlx::query(
                        "UPDATE shelter_units SET kind = $1, beds = $2, closed = $3, details = $4, version = version + 1, updated_at = $5 \
                         WHERE id = $6 AND version = $7",
                    )
                    .bind(details.kind.code().to_owned())
                    .bind(i64::from(details.beds))
                    .bind(i64::from(details.closed))
                    .bind(serde_json::to_string(details)?)
                    .bind(ts(p.at))
                    .bind(id.to_string())
                    .bind(*version)
                    .execute(&mut *c)
                    .await?;
                    if done.rows_affected() == 0 {
                        return Err(history::missing_or_conflict(c, "shelter_units", "shelter unit", *id, *version).await);
                    }
                    history::record(c, "shelter_unit", *id, "updated", version + 1, p.at, &serde_json::to_value(details)?).await?;
                    unit(c, *id).await
                })
            })
            .await
    }

    pub async fn units(
        &self,
        p: &Principal,
        site_id: Uuid,
    ) -> Result<Vec<ShelterUnit>, StoreError> {
        require(p, Action::Read, Resource::ShelterUnit)?;
        let mut c = self.read.acquire().await?;
        site(&mut c, site_id).await?;
        units_of(&mut c, site_id).await
    }

    /// Occupancy of a site now, per unit and unit type, with the units at or above
    /// `threshold_percent` full.
    pub async fn occupancy(
        &self,
        p: &Principal,
        site_id: Uuid,
        threshold_percent: u32,
    ) -> Result<SiteOccupancy, StoreError> {
        require(p, Action::Read, Resource::ShelterUnit)?;
        let mut c = self.read.acquire().await?;
        site(&mut c, site_id).await?;
        let units = units_of(&mut c, site_id).await?;
        let open = open_stays(&mut c, site_id).await?;
        let spec: Vec<(Uuid, UnitKind, u32)> = units
            .iter()
            .map(|u| (u.meta.id, u.details.kind, u.details.beds))
            .collect();
        let per_unit = occupancy(&spec, &open);
        let warnings = capacity_warnings(&per_unit, threshold_percent);
        Ok(SiteOccupancy {
            site_id,
            beds: per_unit.iter().map(|u| u.beds).sum(),
            occupied: per_unit.iter().map(|u| u.occupied).sum(),
            by_kind: by_kind(&per_unit),
            units: per_unit,
            warnings,
            threshold_percent,
        })
    }

    /// The daily report: who was staying at the end of `date`, per unit type, and how many
    /// were admitted and departed that day.
    pub async fn daily_occupancy(
        &self,
        p: &Principal,
        site_id: Uuid,
        date: Date,
    ) -> Result<DailyOccupancy, StoreError> {
        require(p, Action::Read, Resource::ShelterUnit)?;
        let mut c = self.read.acquire().await?;
        site(&mut c, site_id).await?;
        let start = ts(date.with_time(Time::MIDNIGHT).assume_utc());
        let end = ts(date
            .next_day()
            .unwrap_or(date)
            .with_time(Time::MIDNIGHT)
            .assume_utc());
        let units = units_of(&mut c, site_id).await?;
        let rows = sqlx::query(
            "SELECT unit_id, CAST(SUM(1 + companions) AS BIGINT) AS n FROM stays WHERE site_id = $1 AND admitted_at < $2 \
             AND (departed_at IS NULL OR departed_at >= $2) GROUP BY unit_id",
        )
        .bind(site_id.to_string())
        .bind(end.clone())
        .fetch_all(&mut *c)
        .await?;
        let open: Vec<(Uuid, u32)> = rows
            .iter()
            .map(|r| {
                Ok((
                    sql::uuid(&sql::text(r, "unit_id")?)?,
                    u32::try_from(sql::int(r, "n")?).unwrap_or(u32::MAX),
                ))
            })
            .collect::<Result<_, StoreError>>()?;
        let spec: Vec<(Uuid, UnitKind, u32)> = units
            .iter()
            .map(|u| (u.meta.id, u.details.kind, u.details.beds))
            .collect();
        let count = |sql: &'static str| {
            sqlx::query_scalar::<_, i64>(sql)
                .bind(site_id.to_string())
                .bind(start.clone())
                .bind(end.clone())
        };
        let admitted = count("SELECT COUNT(*) FROM stays WHERE site_id = $1 AND admitted_at >= $2 AND admitted_at < $3").fetch_one(&mut *c).await?;
        let departed = count("SELECT COUNT(*) FROM stays WHERE site_id = $1 AND departed_at >= $2 AND departed_at < $3").fetch_one(&mut *c).await?;
        Ok(DailyOccupancy {
            site_id,
            date,
            by_kind: by_kind(&occupancy(&spec, &open)),
            admitted: u32::try_from(admitted).unwrap_or(u32::MAX),
            departed: u32::try_from(departed).unwrap_or(u32::MAX),
        })
    }

    /// Admits people to units, all or nothing.
    pub async fn admit(
        &self,
        p: &Principal,
        admissions: Admissions,
    ) -> Result<Vec<Stay>, StoreError> {
        let scope = require(p, Action::Create, Resource::Stay)?;
        let audit = vec![AuditEntry::by(
            p,
            Action::Create,
            Resource::Stay,
            None,
            serde_json::json!({"admissions": admissions.placements.len(), "override_reason": admissions.override_reason}),
        )];
        self.writer
            .write_audited(
                (admissions, p.clone(), scope),
                audit,
                |c, (admissions, p, scope)| {
                    Box::pin(async move {
                        let mut stays = Vec::with_capacity(admissions.placements.len());
                        for (i, a) in admissions.placements.iter().enumerate() {
                            let stay = admit_one(
                                c,
                                *a,
                                None,
                                admissions.override_reason.as_deref(),
                                p,
                                *scope,
                            )
                            .await
                            .map_err(|e| match e {
                                StoreError::Refused(m) => {
                                    StoreError::Refused(format!("placements[{i}]: {m}"))
                                }
                                other => other,
                            })?;
                            stays.push(stay);
                        }
                        Ok(stays)
                    })
                },
            )
            .await
    }

    /// A departure, or with `to_unit_id` a transfer: the stay closes and the next opens in
    /// the same transaction.
    pub async fn change_stay(
        &self,
        p: &Principal,
        id: Uuid,
        change: StayChange,
    ) -> Result<Stay, StoreError> {
        let scope = require(p, Action::Update, Resource::Stay)?;
        let audit = vec![AuditEntry::by(
            p,
            Action::Update,
            Resource::Stay,
            Some(id.to_string()),
            serde_json::json!({"to_unit_id": change.to_unit_id}),
        )];
        self.writer
            .write_audited((id, change, p.clone(), scope), audit, |c, (id, change, p, scope)| {
                Box::pin(async move {
                    let current = fetch_stay(c, *id).await?;
                    ensure_visible(c, "persons", "person", current.person_id, *scope, p)
                        .await
                        .map_err(|_| StoreError::NotFound { entity: "stay", id: *id })?;
                    let reason = change.reason.trim();
                    if reason.is_empty() {
                        return Err(ValidationErrors::one("reason", "say why the person leaves or moves").into());
                    }
                    if current.departed_at.is_some() {
                        return Err(StoreError::Refused(format!("stay {id} has ended")));
                    }
                    let done = sqlx::query(
                        "UPDATE stays SET departed_at = $1, departed_by = $2, departure_reason = $3, version = version + 1, updated_at = $1 \
                         WHERE id = $4 AND version = $5",
                    )
                    .bind(ts(p.at))
                    .bind(p.name.clone())
                    .bind(reason.to_owned())
                    .bind(id.to_string())
                    .bind(change.version)
                    .execute(&mut *c)
                    .await?;
                    if done.rows_affected() == 0 {
                        return Err(history::missing_or_conflict(c, "stays", "stay", *id, change.version).await);
                    }
                    history::record(c, "stay", *id, "departed", change.version + 1, p.at, &serde_json::json!({"reason": reason})).await?;
                    match change.to_unit_id {
                        None => fetch_stay(c, *id).await,
                        Some(to) => {
                            let a = Admission { person_id: current.person_id, unit_id: to, companions: current.companions };
                            admit_one(c, a, Some(*id), change.override_reason.as_deref(), p, *scope).await
                        }
                    }
                })
            })
            .await
    }

    /// Every stay of a person, oldest first; None when the person is hidden or missing.
    pub async fn stays_of(
        &self,
        p: &Principal,
        person_id: Uuid,
    ) -> Result<Option<Vec<Stay>>, StoreError> {
        let scope = require(p, Action::Read, Resource::Stay)?;
        let mut c = self.read.acquire().await?;
        match ensure_visible(&mut c, "persons", "person", person_id, scope, p).await {
            Ok(()) => {}
            Err(StoreError::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e),
        }
        let sql = format!(
            "SELECT {STAY_COLUMNS} FROM stays WHERE person_id = $1 ORDER BY admitted_at, id"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(person_id.to_string())
            .fetch_all(&mut *c)
            .await?;
        let stays = rows
            .iter()
            .map(decode_stay)
            .collect::<Result<Vec<_>, _>>()?;
        drop(c);
        self.audit_reads(p, Resource::Stay, stays.iter().map(|s| s.meta.id))
            .await?;
        Ok(Some(stays))
    }

    /// The people staying at a site now, each with their open stay, in the order of their
    /// units then of admission; only the persons the caller may see.
    pub async fn staying_at(
        &self,
        p: &Principal,
        site_id: Uuid,
    ) -> Result<Vec<(Stay, Person)>, StoreError> {
        require(p, Action::Read, Resource::Stay)?;
        let scope = require(p, Action::Read, Resource::Person)?;
        let mut c = self.read.acquire().await?;
        site(&mut c, site_id).await?;
        let sql = format!(
            "SELECT {STAY_COLUMNS} FROM stays WHERE site_id = $1 AND departed_at IS NULL ORDER BY unit_id, admitted_at, id"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(site_id.to_string())
            .fetch_all(&mut *c)
            .await?;
        let stays = rows
            .iter()
            .map(decode_stay)
            .collect::<Result<Vec<_>, _>>()?;
        let mut b = Builder::new(&format!(
            "SELECT {PERSON_COLUMNS} FROM persons WHERE id IN (SELECT person_id FROM stays WHERE departed_at IS NULL AND site_id = "
        ));
        b.push("?)", Arg::Text(site_id.to_string()));
        visible(&mut b, scope, "organisation_id", p);
        let rows = b.query().fetch_all(&mut *c).await?;
        drop(c);
        let mut persons: std::collections::HashMap<Uuid, Person> = std::collections::HashMap::new();
        for r in &rows {
            let person = decode_person(r)?;
            persons.insert(person.meta.id, person);
        }
        let found: Vec<(Stay, Person)> = stays
            .into_iter()
            .filter_map(|s| persons.remove(&s.person_id).map(|x| (s, x)))
            .collect();
        self.audit_reads(p, Resource::Stay, found.iter().map(|(s, _)| s.meta.id))
            .await?;
        self.audit_reads(p, Resource::Person, found.iter().map(|(_, x)| x.meta.id))
            .await?;
        Ok(found)
    }

    /// The allocation proposal for everyone of `arrival_id` the caller can see who is not
    /// staying anywhere yet, into the open units of `site_id` with free beds.
    pub async fn allocation_proposal(
        &self,
        p: &Principal,
        site_id: Uuid,
        arrival_id: Uuid,
    ) -> Result<AllocationProposal, StoreError> {
        let scope = require(p, Action::Create, Resource::Stay)?;
        let mut c = self.read.acquire().await?;
        let s = site(&mut c, site_id).await?;
        if s.closed {
            return Err(StoreError::Refused(format!("site {} is closed", s.name)));
        }
        let units = units_of(&mut c, site_id).await?;
        let open = open_stays(&mut c, site_id).await?;
        let spaces: Vec<Space> = units
            .iter()
            .filter(|u| !u.details.closed)
            .map(|u| {
                let taken = open
                    .iter()
                    .find(|(id, _)| *id == u.meta.id)
                    .map_or(0, |(_, n)| *n);
                Space {
                    unit_id: u.meta.id,
                    unit_name: u.details.name.clone(),
                    kind: u.details.kind,
                    free: u.details.beds.saturating_sub(taken),
                }
            })
            .collect();
        let mut b = Builder::new(
            "SELECT id, household_id, details FROM persons WHERE anonymised_at IS NULL AND status <> 'merged' \
             AND household_id IN (SELECT id FROM households WHERE arrival_id = ",
        );
        b.push("?)", Arg::Text(arrival_id.to_string()));
        b.raw(" AND id NOT IN (SELECT person_id FROM stays WHERE departed_at IS NULL)");
        visible(&mut b, scope, "organisation_id", p);
        b.raw(" ORDER BY household_id, registration_number");
        let rows = b.query().fetch_all(&mut *c).await?;
        let mut people = Vec::with_capacity(rows.len());
        for r in &rows {
            let id = sql::uuid(&sql::text(r, "id")?)?;
            let details: passage_domain::person::PersonDetails = sql::json(r, "details")?;
            let codes: Vec<String> = sqlx::query_scalar(
                "SELECT code FROM specific_needs WHERE person_id = $1 AND active = 1",
            )
            .bind(id.to_string())
            .fetch_all(&mut *c)
            .await?;
            people.push((
                id,
                sql::uuid(&sql::text(r, "household_id")?)?,
                details,
                codes,
            ));
        }
        // Household members counted but not registered one by one come with the first of
        // their household in the list (the head is registered first).
        let sizes = sqlx::query(
            "SELECT id, CAST(size - (SELECT COUNT(*) FROM persons WHERE persons.household_id = households.id) AS BIGINT) \
             AS unregistered FROM households WHERE arrival_id = $1",
        )
        .bind(arrival_id.to_string())
        .fetch_all(&mut *c)
        .await?;
        let mut unregistered: std::collections::HashMap<Uuid, u32> =
            std::collections::HashMap::new();
        for r in &sizes {
            let n = u32::try_from(sql::int(r, "unregistered")?.max(0)).unwrap_or(0);
            unregistered.insert(sql::uuid(&sql::text(r, "id")?)?, n);
        }
        drop(c);
        let today = p.at.date();
        let adult = |d: &passage_domain::person::PersonDetails| {
            d.date_of_birth
                .and_then(|b| b.age_at(today))
                .is_none_or(|a| a >= 18)
        };
        let group: Vec<Arriving> = people
            .iter()
            .map(|(id, household, d, codes)| {
                let other_adults = people
                    .iter()
                    .filter(|(o, h, od, _)| o != id && h == household && adult(od))
                    .count();
                Arriving {
                    person_id: *id,
                    household_id: *household,
                    name: d.display_name(),
                    sex: d.sex,
                    age: d.date_of_birth.and_then(|b| b.age_at(today)),
                    unaccompanied_child: d.profile_flags.iter().any(|f| {
                        matches!(
                            f,
                            ProfileFlag::UnaccompaniedChild | ProfileFlag::SeparatedChild
                        )
                    }) || codes.iter().any(|c| c.starts_with("SC-")),
                    // Alone only when nobody of her household is still to be registered.
                    woman_alone: d.sex == Sex::F
                        && adult(d)
                        && unregistered.get(household).copied().unwrap_or(0) == 0
                        && (other_adults == 0 || codes.iter().any(|c| c.starts_with("WR-"))),
                    companions: 0,
                }
            })
            .collect();
        let mut group = group;
        for a in group.iter_mut() {
            if let Some(n) = unregistered.remove(&a.household_id) {
                a.companions = n;
            }
        }
        self.audit_reads(p, Resource::Person, group.iter().map(|a| a.person_id))
            .await?;
        Ok(AllocationProposal {
            site_id,
            arrival_id,
            proposal: propose(&group, &spaces),
        })
    }
}

fn by_kind(units: &[UnitOccupancy]) -> Vec<KindOccupancy> {
    let mut out: Vec<KindOccupancy> = Vec::new();
    for u in units {
        match out.iter_mut().find(|k| k.kind == u.kind) {
            Some(k) => {
                k.beds += u.beds;
                k.occupied += u.occupied;
            }
            None => out.push(KindOccupancy {
                kind: u.kind,
                beds: u.beds,
                occupied: u.occupied,
            }),
        }
    }
    out
}
