//! Assistance programmes and distributions. A one-off entitlement is given once per
//! beneficiary: the rule is checked in the writing transaction and held by a unique key in
//! the database, so no route, process or race pays it twice. For a programme per person,
//! every record of the person counts (the merge cluster, checked under all its row locks):
//! what a record merged away received, the record kept received. A recipient who looks
//! like an earlier recipient (their household, for a programme per household) is held for
//! review, not refused; releasing a held one checks the frequency again.

// SQL built at run time is assembled from constant text only; values are always bound.
use passage_domain::access::{Action, Principal, Resource, Scope};
use passage_domain::care::assistance::{
    AlreadyReceived, Beneficiary, Frequency, NewDistribution, ProgrammeDetails, Recipient,
    check_frequency, eligible,
};
use passage_domain::care::records::{
    Distribution, DistributionStatus, DistributionTotal, HeldMatch, Programme, Review,
};
use passage_domain::error::ValidationErrors;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::Store;
use crate::audit::AuditEntry;
use crate::cluster;
use crate::error::StoreError;
use crate::history;
use crate::protection::{lock_person, person_details};
use crate::scope::{ensure_visible, require, visible};
use crate::sites::meta;
use crate::sql::{self, Arg, Builder, ts};

const COLUMNS: &str = "id, programme_id, person_id, household_id, site_id, status, quantity, note, held_because, \
     distributed_at, distributed_by, reviewed_by, review_reason, version, created_at, updated_at";

fn decode(row: &AnyRow) -> Result<Distribution, StoreError> {
    let status = sql::text(row, "status")?;
    let quantity: Option<i64> = row.try_get("quantity")?;
    Ok(Distribution {
        meta: meta(row)?,
        programme_id: sql::uuid(&sql::text(row, "programme_id")?)?,
        person_id: sql::uuid(&sql::text(row, "person_id")?)?,
        household_id: sql::uuid(&sql::text(row, "household_id")?)?,
        site_id: sql::uuid(&sql::text(row, "site_id")?)?,
        status: DistributionStatus::from_code(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("distribution status {status}")))?,
        quantity: quantity.and_then(|q| u32::try_from(q).ok()),
        note: row.try_get("note")?,
        held_because: sql::opt_json(row, "held_because")?.unwrap_or_default(),
        distributed_at: sql::parse_ts(&sql::text(row, "distributed_at")?)?,
        distributed_by: sql::text(row, "distributed_by")?,
        reviewed_by: row.try_get("reviewed_by")?,
        review_reason: row.try_get("review_reason")?,
    })
}

async fn fetch(c: &mut AnyConnection, id: Uuid) -> Result<Distribution, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM distributions WHERE id = $1");
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_optional(&mut *c)
        .await?;
    decode(&row.ok_or(StoreError::NotFound {
        entity: "distribution",
        id,
    })?)
}

async fn programme(c: &mut AnyConnection, id: Uuid) -> Result<Programme, StoreError> {
    let row = sqlx::query(
        "SELECT id, details, version, created_at, updated_at FROM programmes WHERE id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(&mut *c)
    .await?;
    let row = row.ok_or(StoreError::NotFound {
        entity: "programme",
        id,
    })?;
    Ok(Programme {
        meta: meta(&row)?,
        details: sql::json(&row, "details")?,
    })
}

/// The key that makes a one-off entitlement unique: programme and beneficiary.
fn once_key(programme: Uuid, beneficiary: Uuid) -> String {
    format!("{programme}:{beneficiary}")
}

/// Sets a distribution given, with its one-off key where the programme is once only; a
/// key already taken (another process gave it first) is refused.
async fn give(c: &mut AnyConnection, id: Uuid, key: Option<String>) -> Result<(), StoreError> {
    if let Some(key) = &key {
        let taken: Option<String> =
            sqlx::query_scalar("SELECT id FROM distributions WHERE once_key = $1")
                .bind(key.clone())
                .fetch_optional(&mut *c)
                .await?;
        if let Some(taken) = taken {
            return Err(StoreError::Refused(format!(
                "this one-off entitlement was already given to this beneficiary (distribution {taken})"
            )));
        }
    }
    let given =
        sqlx::query("UPDATE distributions SET status = 'given', once_key = $1 WHERE id = $2")
            .bind(key)
            .bind(id.to_string())
            .execute(&mut *c)
            .await;
    match given {
        Ok(_) => Ok(()),
        // Another server gave it between the check above and this write.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(StoreError::Refused(
            "this one-off entitlement was already given to this beneficiary".into(),
        )),
        Err(e) => Err(e.into()),
    }
}

/// Which distributions a listing returns.
#[derive(Debug, Clone)]
pub struct DistributionFilter {
    pub programme_id: Option<Uuid>,
    pub site_id: Option<Uuid>,
    pub day: Option<Date>,
    pub status: Option<DistributionStatus>,
    /// Only to the members of this household.
    pub household_id: Option<Uuid>,
    /// Only those handed over by this user (a desk's own list).
    pub distributed_by: Option<String>,
    /// The latest first (the oldest first otherwise).
    pub newest_first: bool,
    pub limit: u32,
}

impl Default for DistributionFilter {
    /// Everything, oldest first, a page of a hundred.
    fn default() -> Self {
        Self {
            programme_id: None,
            site_id: None,
            day: None,
            status: None,
            household_id: None,
            distributed_by: None,
            newest_first: false,
            limit: 100,
        }
    }
}

impl Store {
    pub async fn create_programme(
        &self,
        p: &Principal,
        details: ProgrammeDetails,
    ) -> Result<Programme, StoreError> {
        require(p, Action::Create, Resource::Programme)?;
        let id = Uuid::now_v7();
        let audit = vec![AuditEntry::by(
            p,
            Action::Create,
            Resource::Programme,
            Some(id.to_string()),
            serde_json::json!({"code": details.code}),
        )];
        self.writer
            .write_audited((id, details, p.clone()), audit, |c, (id, details, p)| {
                Box::pin(async move {
                    let taken: Option<String> = sqlx::query_scalar("SELECT id FROM programmes WHERE code = $1")
                        .bind(details.code.clone())
                        .fetch_optional(&mut *c)
                        .await?;
                    if taken.is_some() {
                        return Err(ValidationErrors::one("code", format!("programme code {} is already used", details.code)).into());
                    }
                    sqlx::query("INSERT INTO programmes (id, code, details, version, created_at, updated_at) VALUES ($1, $2, $3, 1, $4, $4)")
                        .bind(id.to_string())
                        .bind(details.code.clone())
                        .bind(serde_json::to_string(details)?)
                        .bind(ts(p.at))
                        .execute(&mut *c)
                        .await?;
                    history::record(c, "programme", *id, "created", 1, p.at, &serde_json::to_value(details)?).await?;
                    programme(c, *id).await
                })
            })
            .await
    }

    pub async fn programmes(&self, p: &Principal) -> Result<Vec<Programme>, StoreError> {
        require(p, Action::Read, Resource::Programme)?;
        let rows = sqlx::query(
            "SELECT id, details, version, created_at, updated_at FROM programmes ORDER BY code",
        )
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Programme {
                    meta: meta(r)?,
                    details: sql::json(r, "details")?,
                })
            })
            .collect()
    }

    /// Gives assistance, or holds it for review when the recipient looks like someone who
    /// already received it (`lookalikes`: persons the matching engine finds alike, with
    /// their probability). Refused, naming the rule, when the recipient is not eligible or
    /// already received it.
    pub async fn distribute(
        &self,
        p: &Principal,
        new: NewDistribution,
        lookalikes: Vec<(Uuid, f64)>,
    ) -> Result<Distribution, StoreError> {
        let scope = require(p, Action::Create, Resource::Distribution)?;
        let id = Uuid::now_v7();
        let audit = vec![AuditEntry::by(
            p,
            Action::Create,
            Resource::Distribution,
            Some(id.to_string()),
            serde_json::json!({"programme_id": new.programme_id, "person_id": new.person_id, "site_id": new.site_id}),
        )];
        self.writer
            .write_audited(
                (id, new, lookalikes, p.clone(), scope),
                audit,
                |c, (id, new, lookalikes, p, scope)| {
                    Box::pin(async move { insert(c, *id, new, lookalikes, p, *scope).await })
                },
            )
            .await
    }

    /// A reviewer's decision on a held distribution: release gives it (still once only),
    /// refuse records why.
    pub async fn review_distribution(
        &self,
        p: &Principal,
        id: Uuid,
        review: Review,
    ) -> Result<Distribution, StoreError> {
        let scope = require(p, Action::Update, Resource::Distribution)?;
        let audit = vec![AuditEntry::by(
            p,
            Action::Update,
            Resource::Distribution,
            Some(id.to_string()),
            serde_json::json!({"release": review.release}),
        )];
        self.writer
            .write_audited((id, review, p.clone(), scope), audit, |c, (id, review, p, scope)| {
                Box::pin(async move {
                    let current = fetch(c, *id).await?;
                    ensure_visible(c, "persons", "person", current.person_id, *scope, p)
                        .await
                        .map_err(|_| StoreError::NotFound { entity: "distribution", id: *id })?;
                    if current.meta.version != review.version {
                        return Err(StoreError::Conflict { entity: "distribution", id: *id, given: review.version, current: current.meta.version });
                    }
                    if current.status != DistributionStatus::Held {
                        return Err(StoreError::Refused(format!("distribution {id} is {}: only a held one is reviewed", current.status.code())));
                    }
                    let reason = review.reason.trim();
                    if reason.is_empty() {
                        return Err(ValidationErrors::one("reason", "say what the review found").into());
                    }
                    lock_person(c, current.person_id).await?;
                    if review.release {
                        let prog = programme(c, current.programme_id).await?;
                        let beneficiary = beneficiary_of(&prog.details, current.person_id, current.household_id);
                        if prog.details.beneficiary == Beneficiary::Household {
                            lock_household(c, current.household_id).await?;
                        }
                        // Given meanwhile to the person or household (a recurring one too soon).
                        check_received(c, &prog, current.person_id, beneficiary, current.distributed_at).await?;
                        let key = matches!(prog.details.frequency, Frequency::Once).then(|| once_key(prog.meta.id, beneficiary));
                        give(c, *id, key).await?;
                    } else {
                        sqlx::query("UPDATE distributions SET status = 'refused' WHERE id = $1").bind(id.to_string()).execute(&mut *c).await?;
                    }
                    sqlx::query("UPDATE distributions SET reviewed_by = $1, reviewed_at = $2, review_reason = $3, version = version + 1, updated_at = $2 WHERE id = $4")
                        .bind(p.name.clone())
                        .bind(ts(p.at))
                        .bind(reason.to_owned())
                        .bind(id.to_string())
                        .execute(&mut *c)
                        .await?;
                    history::record(c, "distribution", *id, "reviewed", current.meta.version + 1, p.at, &serde_json::json!({"release": review.release, "reason": reason})).await?;
                    fetch(c, *id).await
                })
            })
            .await
    }

    pub async fn distributions(
        &self,
        p: &Principal,
        f: &DistributionFilter,
    ) -> Result<Vec<Distribution>, StoreError> {
        let scope = require(p, Action::Read, Resource::Distribution)?;
        let mut b = Builder::new(&format!(
            "SELECT {COLUMNS} FROM distributions WHERE person_id IN (SELECT id FROM persons WHERE 1 = 1"
        ));
        visible(&mut b, scope, "organisation_id", p);
        b.raw(")");
        if let Some(x) = f.programme_id {
            b.push(" AND programme_id = ?", Arg::Text(x.to_string()));
        }
        if let Some(x) = f.site_id {
            b.push(" AND site_id = ?", Arg::Text(x.to_string()));
        }
        if let Some(day) = f.day {
            b.push(
                " AND distributed_at >= ?",
                Arg::Text(format!("{day}T00:00:00")),
            );
            b.push(
                " AND distributed_at < ?",
                Arg::Text(format!("{}T00:00:00", day.next_day().unwrap_or(day))),
            );
        }
        if let Some(s) = f.status {
            b.push(" AND status = ?", Arg::Text(s.code().to_owned()));
        }
        if let Some(h) = f.household_id {
            b.push(" AND household_id = ?", Arg::Text(h.to_string()));
        }
        if let Some(by) = &f.distributed_by {
            b.push(" AND distributed_by = ?", Arg::Text(by.clone()));
        }
        b.raw(if f.newest_first {
            " ORDER BY distributed_at DESC, id DESC"
        } else {
            " ORDER BY distributed_at, id"
        });
        b.push(" LIMIT ?", Arg::Int(i64::from(f.limit.clamp(1, 10_000))));
        let rows = b.query().fetch_all(&self.read).await?;
        let found = rows.iter().map(decode).collect::<Result<Vec<_>, _>>()?;
        self.audit_reads(p, Resource::Distribution, found.iter().map(|d| d.meta.id))
            .await?;
        Ok(found)
    }

    /// Totals of a programme per site and day: given, held, and the quantity given.
    pub async fn distribution_totals(
        &self,
        p: &Principal,
        programme_id: Uuid,
    ) -> Result<Vec<DistributionTotal>, StoreError> {
        require(p, Action::Read, Resource::Programme)?;
        let rows = sqlx::query(
            "SELECT site_id, SUBSTR(distributed_at, 1, 10) AS day, \
             CAST(SUM(CASE WHEN status = 'given' THEN 1 ELSE 0 END) AS BIGINT) AS given, \
             CAST(SUM(CASE WHEN status = 'held' THEN 1 ELSE 0 END) AS BIGINT) AS held, \
             CAST(SUM(CASE WHEN status = 'given' THEN COALESCE(quantity, 1) ELSE 0 END) AS BIGINT) AS quantity \
             FROM distributions WHERE programme_id = $1 GROUP BY site_id, SUBSTR(distributed_at, 1, 10) ORDER BY 2, 1",
        )
        .bind(programme_id.to_string())
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                let day = sql::text(r, "day")?;
                Ok(DistributionTotal {
                    programme_id,
                    site_id: sql::uuid(&sql::text(r, "site_id")?)?,
                    day: sql::parse_date(&day)?,
                    given: u32::try_from(sql::int(r, "given")?).unwrap_or(u32::MAX),
                    held: u32::try_from(sql::int(r, "held")?).unwrap_or(u32::MAX),
                    quantity: u64::try_from(sql::int(r, "quantity")?).unwrap_or(0),
                })
            })
            .collect()
    }
}

fn beneficiary_of(p: &ProgrammeDetails, person: Uuid, household: Uuid) -> Uuid {
    match p.beneficiary {
        Beneficiary::Person => person,
        Beneficiary::Household => household,
    }
}

/// Refuses a distribution of `prog` dated `at` when the beneficiary already had theirs
/// (once only, or too soon for a recurring programme), naming the earlier distribution.
/// For a programme per person, every record of the person counts (their merge cluster):
/// what was given to a record merged away was given to the person. The caller holds the
/// cluster's row locks (and the household's, for a programme per household).
async fn check_received(
    c: &mut AnyConnection,
    prog: &Programme,
    person: Uuid,
    beneficiary: Uuid,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    let beneficiaries = match prog.details.beneficiary {
        Beneficiary::Person => cluster::members(c, person).await?,
        Beneficiary::Household => vec![beneficiary],
    };
    let mut previous: Vec<(OffsetDateTime, Uuid)> = Vec::new();
    for b in beneficiaries {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT distributed_at, id FROM distributions WHERE programme_id = $1 AND beneficiary_id = $2 AND status = 'given'",
        )
        .bind(prog.meta.id.to_string())
        .bind(b.to_string())
        .fetch_all(&mut *c)
        .await?;
        for (t, id) in &rows {
            previous.push((sql::parse_ts(t)?, sql::uuid(id)?));
        }
    }
    previous.sort();
    let times: Vec<OffsetDateTime> = previous.iter().map(|(t, _)| *t).collect();
    check_frequency(&prog.details.frequency, &times, at).map_err(|e| {
        let when = match e {
            AlreadyReceived::Once { at } => at,
            AlreadyReceived::TooSoon { last, .. } => last,
        };
        match previous.iter().find(|(t, _)| *t == when) {
            Some((_, id)) => StoreError::Refused(format!("{e} (distribution {id})")),
            None => StoreError::Refused(e.to_string()),
        }
    })
}

/// Two members of one household at two desks: one waits for the other.
async fn lock_household(c: &mut AnyConnection, household: Uuid) -> Result<(), StoreError> {
    sqlx::query("UPDATE households SET version = version WHERE id = $1")
        .bind(household.to_string())
        .execute(&mut *c)
        .await?;
    Ok(())
}

async fn insert(
    c: &mut AnyConnection,
    id: Uuid,
    new: &NewDistribution,
    lookalikes: &[(Uuid, f64)],
    p: &Principal,
    scope: Scope,
) -> Result<Distribution, StoreError> {
    ensure_visible(c, "persons", "person", new.person_id, scope, p).await?;
    let prog = programme(c, new.programme_id).await.map_err(|_| {
        ValidationErrors::one(
            "programme_id",
            format!("no programme with id {}", new.programme_id),
        )
    })?;
    let site: Option<String> = sqlx::query_scalar("SELECT id FROM sites WHERE id = $1")
        .bind(new.site_id.to_string())
        .fetch_optional(&mut *c)
        .await?;
    if site.is_none() {
        return Err(
            ValidationErrors::one("site_id", format!("no site with id {}", new.site_id)).into(),
        );
    }
    lock_person(c, new.person_id).await?;
    let household: String = sqlx::query_scalar("SELECT household_id FROM persons WHERE id = $1")
        .bind(new.person_id.to_string())
        .fetch_one(&mut *c)
        .await?;
    let household = sql::uuid(&household)?;
    if prog.details.beneficiary == Beneficiary::Household {
        lock_household(c, household).await?;
    }
    let d = person_details(c, new.person_id).await?;
    let documents: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM documents WHERE person_id = $1")
        .bind(new.person_id.to_string())
        .fetch_one(&mut *c)
        .await?;
    let recipient = Recipient {
        population_type: d.population_type,
        flags: d.profile_flags.clone(),
        documented: documents > 0,
        site_id: Some(new.site_id),
    };
    eligible(&prog.details, &recipient)
        .map_err(|e| StoreError::Refused(format!("not eligible for {}: {e}", prog.details.code)))?;
    let beneficiary = beneficiary_of(&prog.details, new.person_id, household);
    check_received(c, &prog, new.person_id, beneficiary, p.at).await?;

    // Earlier recipients of this programme whom the recipient looks like, by what the
    // programme gives to: the lookalike's household for a programme per household.
    let mut alike: Vec<(Uuid, f64)> = lookalikes.to_vec();
    if prog.details.beneficiary == Beneficiary::Household
        && matches!(prog.details.frequency, Frequency::Once)
    {
        // Another record of the person, merged, in another household: a reviewer decides
        // whether the two households are one.
        for member in cluster::members(c, new.person_id).await? {
            alike.push((member, 1.0));
        }
    }
    let mut held: Vec<HeldMatch> = Vec::new();
    for (other, probability) in alike.iter().filter(|(o, _)| *o != new.person_id) {
        if held.iter().any(|h| h.person_id == *other) {
            continue;
        }
        let theirs: Option<String> =
            sqlx::query_scalar("SELECT household_id FROM persons WHERE id = $1")
                .bind(other.to_string())
                .fetch_optional(&mut *c)
                .await?;
        let Some(theirs) = theirs else { continue };
        let theirs = beneficiary_of(&prog.details, *other, sql::uuid(&theirs)?);
        if theirs == beneficiary {
            // Same household: the frequency check above already counted it.
            continue;
        }
        let earlier: Option<String> = sqlx::query_scalar(
            "SELECT id FROM distributions WHERE programme_id = $1 AND beneficiary_id = $2 AND status = 'given' ORDER BY distributed_at LIMIT 1",
        )
        .bind(prog.meta.id.to_string())
        .bind(theirs.to_string())
        .fetch_optional(&mut *c)
        .await?;
        if let Some(earlier) = earlier {
            held.push(HeldMatch {
                person_id: *other,
                probability: *probability,
                distribution_id: sql::uuid(&earlier)?,
            });
        }
    }
    let status = if held.is_empty() {
        DistributionStatus::Given
    } else {
        DistributionStatus::Held
    };
    sqlx::query(
        "INSERT INTO distributions (id, programme_id, person_id, household_id, beneficiary_id, site_id, organisation_id, status, \
         quantity, note, held_because, distributed_at, distributed_by, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'held', $8, $9, $10, $11, $12, 1, $11, $11)",
    )
    .bind(id.to_string())
    .bind(prog.meta.id.to_string())
    .bind(new.person_id.to_string())
    .bind(household.to_string())
    .bind(beneficiary.to_string())
    .bind(new.site_id.to_string())
    .bind(p.organisation_id.map(|o| o.to_string()))
    .bind(new.quantity.map(i64::from))
    .bind(new.note.clone())
    .bind((!held.is_empty()).then(|| serde_json::to_string(&held)).transpose()?)
    .bind(ts(p.at))
    .bind(p.name.clone())
    .execute(&mut *c)
    .await?;
    if status == DistributionStatus::Given {
        let key = matches!(prog.details.frequency, Frequency::Once)
            .then(|| once_key(prog.meta.id, beneficiary));
        give(c, id, key).await?;
    }
    let detail = serde_json::json!({"programme_id": prog.meta.id, "person_id": new.person_id, "status": status});
    history::record(c, "distribution", id, status.code(), 1, p.at, &detail).await?;
    fetch(c, id).await
}
