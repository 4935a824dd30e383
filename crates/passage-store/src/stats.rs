//! What statistics count, without names: the persons registered one by one as a change
//! feed of the columns the population table counts (a server keeps them in memory, see
//! `passage_stats::population`), the households registered at level 1 through their
//! breakdown by sex and age, arrivals, and the referral and case pipelines.

// SQL built at run time is assembled from constant text only; values are always bound.
use std::collections::{HashMap, HashSet};

use passage_domain::access::{Action, Principal, Resource};
use passage_domain::age::AgeBracket;
use passage_domain::household::Breakdown;
use passage_domain::person::{PopulationType, Sex};
use passage_domain::site::SiteDetails;
use sqlx::Row;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::Store;
use crate::error::StoreError;
use crate::scope::{require, visible};
use crate::sql::{self, Arg, Builder, ts};

/// A person as the population table counts them, from the change feed. `counted` is
/// false when the person no longer counts one by one: merged away, anonymised, or in a
/// household still registered at level 1 (counted through its breakdown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedPerson {
    pub id: Uuid,
    pub version: i64,
    pub updated_at: OffsetDateTime,
    pub counted: bool,
    pub site_id: Uuid,
    pub organisation_id: Option<String>,
    pub population_type: Option<String>,
    pub sex: String,
    pub nationality: Option<String>,
    /// The day age counts from (1 July for a year-only date of birth).
    pub born_on: Option<Date>,
    pub registered_at: OffsetDateTime,
}

/// The people of a level-1 household, counted through its breakdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BreakdownCount {
    pub population_type: Option<PopulationType>,
    pub sex: Sex,
    pub bracket: AgeBracket,
    /// ISO 3166-1 alpha-3, `stateless` or `unknown`: the head's first nationality.
    pub nationality: String,
    pub site_id: Uuid,
    pub count: u64,
}

/// A site as statistics report it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteLabel {
    pub code: String,
    pub admin_pcode: Option<String>,
    /// The country of the site: where the people are, and who reports them.
    pub country: String,
}

fn breakdown_cells(b: &Breakdown) -> [(Sex, AgeBracket, u32); 13] {
    use AgeBracket::*;
    [
        (Sex::F, Age0To4, b.f_0_4),
        (Sex::F, Age5To11, b.f_5_11),
        (Sex::F, Age12To17, b.f_12_17),
        (Sex::F, Age18To59, b.f_18_59),
        (Sex::F, Age60Plus, b.f_60),
        (Sex::F, Unknown, b.f_other),
        (Sex::M, Age0To4, b.m_0_4),
        (Sex::M, Age5To11, b.m_5_11),
        (Sex::M, Age12To17, b.m_12_17),
        (Sex::M, Age18To59, b.m_18_59),
        (Sex::M, Age60Plus, b.m_60),
        (Sex::M, Unknown, b.m_other),
        (Sex::U, Unknown, b.x_total),
    ]
}

impl Store {
    /// Persons changed after `after` (a change time and id; everyone when None), in
    /// order of change, at most `limit`, as the population table counts them. Reads as
    /// the operator: what a caller may see is decided when counting.
    pub async fn population_feed(
        &self,
        p: &Principal,
        after: Option<(OffsetDateTime, Uuid)>,
        limit: u32,
    ) -> Result<Vec<CountedPerson>, StoreError> {
        let scope = require(p, Action::Read, Resource::Statistics)?;
        let mut b = Builder::new(
            // The household's level decides, as for the breakdowns: a person counts one by
            // one exactly when their household is not counted through its breakdown.
            "SELECT p.id, p.version, p.updated_at, p.status, p.anonymised_at, h.registration_level, p.site_id, \
             p.organisation_id, p.population_type, p.sex, p.first_nationality, p.born_on, p.created_at \
             FROM persons p JOIN households h ON h.id = p.household_id WHERE 1 = 1",
        );
        if let Some((at, id)) = after {
            // A range on the (updated_at, id) index first: an OR alone would scan every
            // person on SQLite.
            b.push(" AND p.updated_at >= ?", Arg::Text(ts(at)));
            b.push(" AND (p.updated_at > ?", Arg::Text(ts(at)));
            b.push(" OR p.id > ?)", Arg::Text(id.to_string()));
        }
        visible(&mut b, scope, "p.organisation_id", p);
        b.push(
            " ORDER BY p.updated_at, p.id LIMIT ?",
            Arg::Int(i64::from(limit)),
        );
        let rows = b.query().fetch_all(&self.read).await?;
        rows.iter()
            .map(|r| {
                let anonymised: Option<String> = r.try_get("anonymised_at")?;
                let born_on: Option<String> = r.try_get("born_on")?;
                Ok(CountedPerson {
                    id: sql::uuid(&sql::text(r, "id")?)?,
                    version: sql::int(r, "version")?,
                    updated_at: sql::parse_ts(&sql::text(r, "updated_at")?)?,
                    counted: anonymised.is_none()
                        && sql::text(r, "status")? != "merged"
                        && sql::int(r, "registration_level")? >= 2,
                    site_id: sql::uuid(&sql::text(r, "site_id")?)?,
                    organisation_id: r.try_get("organisation_id")?,
                    population_type: r.try_get("population_type")?,
                    sex: sql::text(r, "sex")?,
                    nationality: r.try_get("first_nationality")?,
                    born_on: born_on.as_deref().map(sql::parse_date).transpose()?,
                    registered_at: sql::parse_ts(&sql::text(r, "created_at")?)?,
                })
            })
            .collect()
    }

    /// The organisations whose persons the caller's statistics count (its own, and those
    /// sharing with it under an agreement in force); None when the caller counts
    /// everyone.
    pub async fn counted_organisations(
        &self,
        p: &Principal,
    ) -> Result<Option<Vec<String>>, StoreError> {
        let scope = require(p, Action::Read, Resource::Statistics)?;
        let passage_domain::access::Scope::Organisation(_) = scope else {
            return Ok(None);
        };
        let mut b = Builder::new("SELECT id FROM organisations WHERE 1 = 1");
        visible(&mut b, scope, "id", p);
        let orgs: Vec<String> = b
            .query()
            .fetch_all(&self.read)
            .await?
            .iter()
            .map(|r| sql::text(r, "id"))
            .collect::<Result<_, _>>()?;
        Ok(Some(orgs))
    }

    /// The sites by id, as statistics report them.
    pub async fn site_labels(&self) -> Result<HashMap<Uuid, SiteLabel>, StoreError> {
        sqlx::query("SELECT id, details FROM sites")
            .fetch_all(&self.read)
            .await?
            .iter()
            .map(|r| {
                let s: SiteDetails = sql::json(r, "details")?;
                Ok((
                    sql::uuid(&sql::text(r, "id")?)?,
                    SiteLabel {
                        code: s.code.as_str().to_owned(),
                        admin_pcode: s.admin_pcode.map(String::from),
                        country: s.country.as_str().to_owned(),
                    },
                ))
            })
            .collect()
    }

    /// The persons with a disability recorded (an active DS code), within the caller's
    /// scope.
    pub async fn persons_with_disability(
        &self,
        p: &Principal,
    ) -> Result<HashSet<Uuid>, StoreError> {
        let scope = require(p, Action::Read, Resource::Statistics)?;
        let mut b = Builder::new(
            "SELECT DISTINCT n.person_id FROM specific_needs n JOIN persons p ON p.id = n.person_id \
             WHERE n.category = 'DS' AND n.active = 1",
        );
        visible(&mut b, scope, "p.organisation_id", p);
        let rows = b.query().fetch_all(&self.read).await?;
        rows.iter()
            .map(|r| sql::uuid(&sql::text(r, "person_id")?))
            .collect()
    }

    /// The people of households registered at level 1 by `at`, within the caller's
    /// scope, counted through their breakdown (with the head's population type and
    /// nationality): their members are not registered one by one yet.
    pub async fn breakdown_counts(
        &self,
        p: &Principal,
        at: OffsetDateTime,
    ) -> Result<Vec<BreakdownCount>, StoreError> {
        let scope = require(p, Action::Read, Resource::Statistics)?;
        let mut b = Builder::new(
            "SELECT p.population_type, p.first_nationality, h.site_id, h.breakdown, h.size, \
             CAST(COUNT(*) AS BIGINT) AS households FROM households h \
             JOIN persons p ON p.id = h.head_person_id \
             WHERE h.registration_level <= 1 AND p.status <> 'merged' AND p.anonymised_at IS NULL AND h.created_at <= ",
        );
        b.push("?", Arg::Text(ts(at)));
        visible(&mut b, scope, "h.organisation_id", p);
        // Households alike in all that is counted are read once, with how many they are.
        b.raw(" GROUP BY p.population_type, p.first_nationality, h.site_id, h.breakdown, h.size");
        let rows = b.query().fetch_all(&self.read).await?;
        let mut counts: HashMap<(Option<PopulationType>, Sex, AgeBracket, String, Uuid), u64> =
            HashMap::new();
        for r in &rows {
            let population_type: Option<String> = r.try_get("population_type")?;
            let population_type = population_type
                .map(|t| {
                    PopulationType::from_code(&t)
                        .ok_or_else(|| StoreError::Corrupt(format!("population type {t}")))
                })
                .transpose()?;
            let nationality: Option<String> = r.try_get("first_nationality")?;
            let nationality = nationality.unwrap_or_else(|| "unknown".to_owned());
            let site_id = sql::uuid(&sql::text(r, "site_id")?)?;
            let mut breakdown: Breakdown = sql::json(r, "breakdown")?;
            if breakdown.total() == 0 {
                // Only the size is known: everyone of unknown sex and age.
                breakdown.x_total = u32::try_from(sql::int(r, "size")?).unwrap_or(0);
            }
            let households = u64::try_from(sql::int(r, "households")?).unwrap_or(0);
            for (sex, bracket, n) in breakdown_cells(&breakdown) {
                if n > 0 {
                    *counts
                        .entry((population_type, sex, bracket, nationality.clone(), site_id))
                        .or_default() += u64::from(n) * households;
                }
            }
        }
        Ok(counts
            .into_iter()
            .map(
                |((population_type, sex, bracket, nationality, site_id), count)| BreakdownCount {
                    population_type,
                    sex,
                    bracket,
                    nationality,
                    site_id,
                    count,
                },
            )
            .collect())
    }
}

/// The people of one arrival, as the arrivals table counts them (a flow: dated events).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArrivalCount {
    pub arrived_at: OffsetDateTime,
    pub mode: String,
    pub route: Option<String>,
    pub origin_country: Option<String>,
    pub site: String,
    pub country: String,
    /// People registered from the arrival: every member counted, registered one by one or
    /// not.
    pub persons: u64,
}

impl Store {
    /// The arrivals from `from` (inclusive) to `to` (exclusive), each with the people
    /// registered from it within the caller's scope.
    pub async fn arrival_counts(
        &self,
        p: &Principal,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> Result<Vec<ArrivalCount>, StoreError> {
        let scope = require(p, Action::Read, Resource::Statistics)?;
        let mut c = self.read.acquire().await?;
        let sites: HashMap<String, SiteDetails> = sqlx::query("SELECT id, details FROM sites")
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(|r| Ok((sql::text(r, "id")?, sql::json(r, "details")?)))
            .collect::<Result<_, StoreError>>()?;
        // Each arrival's people from its households, through the (arrival_id, size)
        // index: no pass over the households of other periods.
        let mut b = Builder::new(
            "SELECT a.id, a.arrived_at, a.mode, a.site_id, a.details, \
             CAST(COALESCE((SELECT SUM(h.size) FROM households h WHERE h.arrival_id = a.id",
        );
        visible(&mut b, scope, "h.organisation_id", p);
        b.raw("), 0) AS BIGINT) AS persons FROM arrivals a");
        b.push(" WHERE a.arrived_at >= ?", Arg::Text(ts(from)));
        b.push(" AND a.arrived_at < ?", Arg::Text(ts(to)));
        b.raw(" ORDER BY a.arrived_at");
        let rows = b.query().fetch_all(&mut *c).await?;
        rows.iter()
            .map(|r| {
                let details: passage_domain::arrival::ArrivalDetails = sql::json(r, "details")?;
                let site = sites.get(&sql::text(r, "site_id")?);
                Ok(ArrivalCount {
                    arrived_at: sql::parse_ts(&sql::text(r, "arrived_at")?)?,
                    mode: sql::text(r, "mode")?,
                    route: details.route,
                    origin_country: details.origin_country.map(|c| c.as_str().to_owned()),
                    site: site.map(|s| s.code.as_str().to_owned()).unwrap_or_default(),
                    country: site
                        .map(|s| s.country.as_str().to_owned())
                        .unwrap_or_default(),
                    persons: u64::try_from(sql::int(r, "persons")?).unwrap_or(0),
                })
            })
            .collect()
    }
}

/// One referral or one case, as the pipeline tables count them: its step, no person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipelineItem {
    /// `service` and `urgency` of a referral; `kind` of a case.
    pub what: String,
    pub urgency: Option<String>,
    /// The referral's status or the case's state.
    pub state: String,
    /// Open and past its due time (referrals only).
    pub overdue: bool,
    /// When it entered its current status or state.
    pub since: OffsetDateTime,
    pub country: String,
}

impl Store {
    /// Every referral and case of persons in the caller's scope, by step.
    pub async fn pipeline(
        &self,
        p: &Principal,
        referrals: bool,
    ) -> Result<Vec<PipelineItem>, StoreError> {
        let scope = require(p, Action::Read, Resource::Statistics)?;
        let sql = if referrals {
            "SELECT r.service AS what, r.urgency, r.status AS state, r.due_at, r.updated_at AS since, s.details AS site FROM referrals r \
             JOIN persons p ON p.id = r.person_id JOIN sites s ON s.id = p.site_id WHERE 1 = 1"
        } else {
            "SELECT k.kind AS what, NULL AS urgency, k.state, NULL AS due_at, \
             (SELECT MAX(t.at) FROM case_transitions t WHERE t.case_id = k.id) AS since, s.details AS site FROM cases k \
             JOIN persons p ON p.id = k.person_id JOIN sites s ON s.id = p.site_id WHERE 1 = 1"
        };
        let mut b = Builder::new(sql);
        visible(&mut b, scope, "p.organisation_id", p);
        let rows = b.query().fetch_all(&self.read).await?;
        let now = ts(p.at);
        rows.iter()
            .map(|r| {
                let state = sql::text(r, "state")?;
                let due: Option<String> = sqlx::Row::try_get(r, "due_at")?;
                let open = matches!(state.as_str(), "proposed" | "sent" | "accepted");
                let site: SiteDetails = sql::json(r, "site")?;
                Ok(PipelineItem {
                    what: sql::text(r, "what")?,
                    urgency: sqlx::Row::try_get(r, "urgency")?,
                    overdue: open && due.is_some_and(|d| d < now),
                    since: sql::parse_ts(&sql::text(r, "since")?)?,
                    state,
                    country: site.country.as_str().to_owned(),
                })
            })
            .collect()
    }
}

/// Distributions given, as the assistance table counts them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssistanceCount {
    pub programme: String,
    pub site: Uuid,
    pub day: Date,
    /// Distributions given.
    pub given: u64,
}

impl Store {
    /// The distributions given from `from` (inclusive) to `to` (exclusive) by programme,
    /// site and day, to persons in the caller's scope.
    pub async fn assistance_counts(
        &self,
        p: &Principal,
        from: OffsetDateTime,
        to: OffsetDateTime,
    ) -> Result<Vec<AssistanceCount>, StoreError> {
        let scope = require(p, Action::Read, Resource::Statistics)?;
        let mut b = Builder::new(
            "SELECT pr.code, d.site_id, SUBSTR(d.distributed_at, 1, 10) AS day, CAST(COUNT(*) AS BIGINT) AS given \
             FROM distributions d JOIN programmes pr ON pr.id = d.programme_id JOIN persons p ON p.id = d.person_id \
             WHERE d.status = 'given'",
        );
        b.push(" AND d.distributed_at >= ?", Arg::Text(ts(from)));
        b.push(" AND d.distributed_at < ?", Arg::Text(ts(to)));
        visible(&mut b, scope, "p.organisation_id", p);
        b.raw(" GROUP BY pr.code, d.site_id, SUBSTR(d.distributed_at, 1, 10)");
        let rows = b.query().fetch_all(&self.read).await?;
        rows.iter()
            .map(|r| {
                Ok(AssistanceCount {
                    programme: sql::text(r, "code")?,
                    site: sql::uuid(&sql::text(r, "site_id")?)?,
                    day: sql::parse_date(&sql::text(r, "day")?)?,
                    given: u64::try_from(sql::int(r, "given")?).unwrap_or(0),
                })
            })
            .collect()
    }
}
