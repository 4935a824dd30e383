//! What statistics count, without names or ids: the population registered by a reference
//! time. A household registered at level 1 counts through its breakdown by sex and age
//! (its members are not registered one by one yet), with its head's population type and
//! nationality; every other household counts its persons.

// SQL built at run time is assembled from constant text only; values are always bound.
use std::collections::HashMap;

use passage_domain::access::{Action, Principal, Resource};
use passage_domain::age::AgeBracket;
use passage_domain::household::Breakdown;
use passage_domain::person::{PersonDetails, PopulationType, Sex};
use passage_domain::site::SiteDetails;
use time::OffsetDateTime;

use crate::Store;
use crate::error::StoreError;
use crate::scope::{require, visible};
use crate::sql::{self, Arg, Builder, ts};

/// People of one kind as the population table counts them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopulationCount {
    pub population_type: Option<PopulationType>,
    pub sex: Sex,
    pub bracket: AgeBracket,
    /// ISO 3166-1 alpha-3, `stateless` or `unknown`: the first nationality.
    pub nationality: String,
    pub site: String,
    pub admin_pcode: Option<String>,
    /// The country of the site: where the people are, and who reports them.
    pub country: String,
    /// A disability (an active DS code) recorded; None for people counted through a
    /// level-1 breakdown.
    pub disability: Option<bool>,
    pub count: u64,
}

fn nationality(d: &PersonDetails) -> String {
    d.nationalities
        .first()
        .map_or_else(|| "unknown".to_owned(), |n| n.code().to_owned())
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
    /// The population registered by `at`, within the caller's scope: persons not merged
    /// away and not anonymised, with age at `at`.
    pub async fn population(
        &self,
        p: &Principal,
        at: OffsetDateTime,
    ) -> Result<Vec<PopulationCount>, StoreError> {
        let scope = require(p, Action::Read, Resource::Statistics)?;
        let mut c = self.read.acquire().await?;
        let sites: HashMap<String, SiteDetails> = sqlx::query("SELECT id, details FROM sites")
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(|r| Ok((sql::text(r, "id")?, sql::json(r, "details")?)))
            .collect::<Result<_, StoreError>>()?;
        let site_of = |id: &str| {
            sites
                .get(id)
                .map_or((String::new(), None, String::new()), |s| {
                    (
                        s.code.as_str().to_owned(),
                        s.admin_pcode.clone().map(String::from),
                        s.country.as_str().to_owned(),
                    )
                })
        };
        let today = at.date();
        let mut out: Vec<PopulationCount> = Vec::new();

        let mut b = Builder::new(
            "SELECT p.details, p.site_id, h.registration_level, h.breakdown, h.size, h.head_person_id, p.id, \
             (SELECT COUNT(*) FROM specific_needs n WHERE n.person_id = p.id AND n.active = 1 AND n.category = 'DS') AS ds \
             FROM persons p \
             JOIN households h ON h.id = p.household_id WHERE p.status <> 'merged' AND p.anonymised_at IS NULL AND p.created_at <= ",
        );
        b.push("?", Arg::Text(ts(at)));
        visible(&mut b, scope, "p.organisation_id", p);
        let rows = b.query().fetch_all(&mut *c).await?;
        for r in &rows {
            let d: PersonDetails = sql::json(r, "details")?;
            let (site, admin_pcode, country) = site_of(&sql::text(r, "site_id")?);
            let level = sql::int(r, "registration_level")?;
            if level <= 1 {
                // Counted through the breakdown, once, on the head's row.
                if sql::text(r, "head_person_id")? != sql::text(r, "id")? {
                    continue;
                }
                let mut breakdown: Breakdown = sql::json(r, "breakdown")?;
                if breakdown.total() == 0 {
                    // Only the size is known: everyone of unknown sex and age.
                    breakdown.x_total = u32::try_from(sql::int(r, "size")?).unwrap_or(0);
                }
                for (sex, bracket, n) in breakdown_cells(&breakdown) {
                    if n > 0 {
                        out.push(PopulationCount {
                            population_type: d.population_type,
                            sex,
                            bracket,
                            nationality: nationality(&d),
                            site: site.clone(),
                            admin_pcode: admin_pcode.clone(),
                            country: country.clone(),
                            disability: None,
                            count: u64::from(n),
                        });
                    }
                }
                continue;
            }
            out.push(PopulationCount {
                population_type: d.population_type,
                sex: d.sex,
                bracket: AgeBracket::of(d.date_of_birth.and_then(|b| b.age_at(today))),
                nationality: nationality(&d),
                site,
                admin_pcode,
                country,
                disability: Some(sql::int(r, "ds")? > 0),
                count: 1,
            });
        }
        Ok(out)
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
        let mut b = Builder::new(
            "SELECT a.id, a.arrived_at, a.mode, a.site_id, a.details, \
             CAST(COALESCE(SUM(h.size), 0) AS BIGINT) AS persons FROM arrivals a \
             LEFT JOIN households h ON h.arrival_id = a.id",
        );
        if let passage_domain::access::Scope::Organisation(_) = scope {
            b.raw(" AND h.id IN (SELECT household_id FROM persons WHERE 1 = 1");
            visible(&mut b, scope, "organisation_id", p);
            b.raw(")");
        }
        b.push(" WHERE a.arrived_at >= ?", Arg::Text(ts(from)));
        b.push(" AND a.arrived_at < ?", Arg::Text(ts(to)));
        b.raw(" GROUP BY a.id, a.arrived_at, a.mode, a.site_id, a.details ORDER BY a.arrived_at");
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
            "SELECT r.service AS what, r.urgency, r.status AS state, r.due_at, s.details AS site FROM referrals r \
             JOIN persons p ON p.id = r.person_id JOIN sites s ON s.id = p.site_id WHERE 1 = 1"
        } else {
            "SELECT k.kind AS what, NULL AS urgency, k.state, NULL AS due_at, s.details AS site FROM cases k \
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
                    state,
                    country: site.country.as_str().to_owned(),
                })
            })
            .collect()
    }
}
