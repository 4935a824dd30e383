//! Households: registered whole at level 1, completed member by member to level 2.

// SQL built at run time is assembled from constant text only; values are always bound.
use passage_domain::access::{Action, Principal, Resource};
use passage_domain::data_protection::ProcessingBasis;
use passage_domain::error::ValidationErrors;
use passage_domain::household::{
    Breakdown, GroupKind, MemberDetails, Relationship, ValidHousehold,
};
use passage_domain::person::{PersonDetails, PersonStatus, RegistrationLevel};
use passage_domain::record::{Household, MemberSummary, Meta, Person};
use passage_domain::regno::{RegistrationNumber, SiteCode};
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::Store;
use crate::audit::AuditEntry;
use crate::error::StoreError;
use crate::history;
use crate::persons;
use crate::scope::{ensure_visible, registering_organisation, require, visible};
use crate::sites::meta;
use crate::sql::{self, Arg, Builder, Page};

#[derive(Debug, Clone, Default)]
pub struct HouseholdFilter {
    pub site_id: Option<Uuid>,
    pub arrival_id: Option<Uuid>,
    pub registration_level: Option<RegistrationLevel>,
}

const COLUMNS: &str = "id, registration_number, arrival_id, site_id, kind, size, breakdown, registration_level, \
     head_person_id, version, created_at, updated_at, legal_basis, purposes, basis_recorded_by, basis_recorded_at";

fn decode_row(row: &AnyRow) -> Result<Household, StoreError> {
    let number = sql::text(row, "registration_number")?;
    let kind = sql::text(row, "kind")?;
    let level = sql::int(row, "registration_level")?;
    let size = sql::int(row, "size")?;
    Ok(Household {
        meta: meta(row)?,
        registration_number: RegistrationNumber::parse(&number)
            .map_err(|_| StoreError::Corrupt(format!("registration number {number}")))?,
        arrival_id: sql::uuid(&sql::text(row, "arrival_id")?)?,
        site_id: sql::uuid(&sql::text(row, "site_id")?)?,
        kind: GroupKind::from_code(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("household kind {kind}")))?,
        size: u32::try_from(size)
            .map_err(|_| StoreError::Corrupt(format!("household size {size}")))?,
        breakdown: sql::json(row, "breakdown")?,
        registration_level: u8::try_from(level)
            .ok()
            .and_then(|l| RegistrationLevel::try_from(l).ok())
            .ok_or_else(|| StoreError::Corrupt(format!("registration level {level}")))?,
        head_person_id: sql::uuid(&sql::text(row, "head_person_id")?)?,
        members: Vec::new(),
        basis: persons::decode_basis(row)?,
    })
}

fn summary(p: &Person) -> MemberSummary {
    MemberSummary {
        person_id: p.meta.id,
        registration_number: p.registration_number.clone(),
        relationship: p.relationship,
        name: p.details.display_name(),
    }
}

/// Head first, then members in registration order.
fn summaries(mut people: Vec<Person>) -> Vec<MemberSummary> {
    people.sort_by_key(|p| {
        (
            p.relationship != Relationship::Head,
            p.registration_number.sequence(),
        )
    });
    people.iter().map(summary).collect()
}

async fn members_of(c: &mut AnyConnection, id: Uuid) -> Result<Vec<Person>, StoreError> {
    let sql = format!(
        "SELECT {} FROM persons WHERE household_id = $1 ORDER BY id",
        persons::COLUMNS
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_all(c)
        .await?;
    rows.iter().map(persons::decode).collect()
}

pub(crate) async fn fetch(
    c: &mut AnyConnection,
    id: Uuid,
) -> Result<Option<Household>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM households WHERE id = $1");
    let Some(row) = sqlx::query(AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_optional(&mut *c)
        .await?
    else {
        return Ok(None);
    };
    let mut h = decode_row(&row)?;
    h.members = summaries(members_of(c, id).await?);
    Ok(Some(h))
}

/// Reads the site id, code and first number taken from an `UPDATE sites … RETURNING`.
fn numbers(row: &AnyRow, count: i64) -> Result<(Uuid, SiteCode, u64), StoreError> {
    let next: i64 = row.try_get("next_sequence")?;
    let code: String = row.try_get("code")?;
    let id: String = row.try_get("id")?;
    let code = SiteCode::try_from(code).map_err(StoreError::Corrupt)?;
    let first =
        u64::try_from(next - count).map_err(|_| StoreError::Corrupt("site sequence".into()))?;
    Ok((sql::uuid(&id)?, code, first))
}

/// Takes `n` consecutive sequence numbers of a site, returning its code and the first.
async fn take_numbers(
    c: &mut AnyConnection,
    site_id: Uuid,
    n: usize,
) -> Result<(SiteCode, u64), StoreError> {
    let count =
        i64::try_from(n).map_err(|_| StoreError::Database("too many numbers at once".into()))?;
    let row = sqlx::query("UPDATE sites SET next_sequence = next_sequence + $1 WHERE id = $2 RETURNING id, next_sequence, code")
        .bind(count)
        .bind(site_id.to_string())
        .fetch_one(c)
        .await?;
    let (_, code, first) = numbers(&row, count)?;
    Ok((code, first))
}

fn new_person(
    site: &SiteCode,
    sequence: u64,
    household: &Household,
    relationship: Relationship,
    details: PersonDetails,
    now: OffsetDateTime,
) -> Person {
    let level_two = household.registration_level >= RegistrationLevel::Individual;
    Person {
        meta: Meta {
            id: Uuid::now_v7(),
            version: 1,
            created_at: now,
            updated_at: now,
        },
        registration_number: RegistrationNumber::new(site.clone(), sequence),
        household_id: household.meta.id,
        site_id: household.site_id,
        relationship,
        registration_level: household.registration_level,
        status: if level_two {
            PersonStatus::Active
        } else {
            PersonStatus::Provisional
        },
        details,
        basis: household.basis.clone(),
        anonymised_at: None,
    }
}

/// Inserts a household row and returns the history entry of its registration.
async fn insert_household(
    c: &mut AnyConnection,
    h: &Household,
    organisation: Option<&str>,
) -> Result<history::Entry, StoreError> {
    sqlx::query(
        "INSERT INTO households (id, registration_number, arrival_id, site_id, kind, size, breakdown, registration_level, \
         head_person_id, version, created_at, updated_at, organisation_id, legal_basis, purposes, basis_recorded_by, \
         basis_recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $10, $11, $12, $13, $14, $15)",
    )
    .bind(h.meta.id.to_string())
    .bind(h.registration_number.to_string())
    .bind(h.arrival_id.to_string())
    .bind(h.site_id.to_string())
    .bind(h.kind.code().to_owned())
    .bind(i64::from(h.size))
    .bind(serde_json::to_string(&h.breakdown)?)
    .bind(i64::from(u8::from(h.registration_level)))
    .bind(h.head_person_id.to_string())
    .bind(sql::ts(h.meta.created_at))
    .bind(organisation.map(str::to_owned))
    .bind(h.basis.legal_basis.code().to_owned())
    .bind(serde_json::to_string(&h.basis.purposes)?)
    .bind(h.basis.basis_recorded_by.clone())
    .bind(sql::ts(h.basis.basis_recorded_at))
    .execute(&mut *c)
    .await?;
    Ok(history::Entry {
        entity: "household",
        id: h.meta.id,
        action: "registered",
        version: 1,
        at: h.meta.created_at,
        detail: serde_json::json!({
            "size": h.size, "breakdown": h.breakdown, "level": h.registration_level,
            "legal_basis": h.basis.legal_basis, "purposes": h.basis.purposes,
        }),
    })
}

/// Registers one household in the caller's transaction: takes its numbers, inserts it
/// and its people; returns it with the history entries to record.
async fn insert_registration(
    c: &mut AnyConnection,
    valid: &ValidHousehold,
    now: OffsetDateTime,
    organisation: Option<&str>,
    household_id: Uuid,
    recorder: &str,
) -> Result<(Household, Vec<history::Entry>), StoreError> {
    let count = i64::try_from(2 + valid.members.len()).unwrap_or(i64::MAX);
    let row = sqlx::query(
        "UPDATE sites SET next_sequence = next_sequence + $1 \
         WHERE id = (SELECT site_id FROM arrivals WHERE id = $2) RETURNING id, next_sequence, code",
    )
    .bind(count)
    .bind(valid.arrival_id.to_string())
    .fetch_optional(&mut *c)
    .await?;
    let Some(row) = row else {
        return Err(ValidationErrors::one(
            "arrival_id",
            format!("no arrival with id {}", valid.arrival_id),
        )
        .into());
    };
    let (site_id, code, first) = numbers(&row, count)?;
    let mut household = Household {
        meta: Meta {
            id: household_id,
            version: 1,
            created_at: now,
            updated_at: now,
        },
        registration_number: RegistrationNumber::new(code.clone(), first),
        arrival_id: valid.arrival_id,
        site_id,
        kind: valid.kind,
        size: valid.size,
        breakdown: valid.breakdown,
        registration_level: if valid.is_level_one() {
            RegistrationLevel::Emergency
        } else {
            RegistrationLevel::Individual
        },
        head_person_id: Uuid::nil(),
        members: Vec::new(),
        basis: ProcessingBasis {
            legal_basis: valid.legal_basis,
            purposes: valid.purposes.clone(),
            basis_recorded_by: Some(recorder.to_owned()),
            basis_recorded_at: now,
        },
    };
    let mut people = vec![new_person(
        &code,
        first + 1,
        &household,
        Relationship::Head,
        valid.head.clone(),
        now,
    )];
    for (i, m) in valid.members.iter().enumerate() {
        people.push(new_person(
            &code,
            first + 2 + i as u64,
            &household,
            m.relationship,
            m.person.clone(),
            now,
        ));
    }
    household.head_person_id = people[0].meta.id;
    let mut entries = vec![insert_household(c, &household, organisation).await?];
    entries.extend(persons::insert_all(c, &people, organisation).await?);
    household.members = summaries(people);
    Ok((household, entries))
}

impl Store {
    /// Registers a household with its head and any members, all or nothing, issuing a
    /// number to the household and to each person registered. Four statements whatever
    /// the household's size: take the numbers, insert the household, its people, its history.
    pub async fn register_household(
        &self,
        p: &Principal,
        valid: ValidHousehold,
    ) -> Result<Household, StoreError> {
        require(p, Action::Create, Resource::Household)?;
        let organisation = registering_organisation(p);
        let household_id = Uuid::now_v7();
        let audit = vec![AuditEntry::by(
            p,
            Action::Create,
            Resource::Household,
            Some(household_id.to_string()),
            serde_json::json!({"arrival_id": valid.arrival_id, "size": valid.size, "members": valid.members.len() + 1,
                               "legal_basis": valid.legal_basis, "purposes": valid.purposes}),
        )];
        let recorder = p.name.clone();
        self.writer
            .write_audited(
                (valid, p.at, organisation, household_id, recorder),
                audit,
                |c, (valid, now, organisation, household_id, recorder)| {
                    Box::pin(async move {
                        let (household, entries) = insert_registration(
                            c,
                            valid,
                            *now,
                            organisation.as_deref(),
                            *household_id,
                            recorder,
                        )
                        .await?;
                        history::record_all(c, &entries).await?;
                        Ok(household)
                    })
                },
            )
            .await
    }

    /// Registers many households in one transaction, all or nothing, each as
    /// [`Store::register_household`] would (its numbers, its people, its history and its
    /// audit entry): what a bulk load writes.
    pub async fn register_households(
        &self,
        p: &Principal,
        valid: Vec<ValidHousehold>,
    ) -> Result<Vec<Household>, StoreError> {
        require(p, Action::Create, Resource::Household)?;
        let organisation = registering_organisation(p);
        let ids: Vec<Uuid> = valid.iter().map(|_| Uuid::now_v7()).collect();
        let audit = valid
            .iter()
            .zip(&ids)
            .map(|(v, id)| {
                AuditEntry::by(
                    p,
                    Action::Create,
                    Resource::Household,
                    Some(id.to_string()),
                    serde_json::json!({"arrival_id": v.arrival_id, "size": v.size, "members": v.members.len() + 1,
                                       "legal_basis": v.legal_basis, "purposes": v.purposes}),
                )
            })
            .collect();
        let recorder = p.name.clone();
        self.writer
            .write_audited(
                (valid, ids, p.at, organisation, recorder),
                audit,
                |c, (valid, ids, now, organisation, recorder)| {
                    Box::pin(async move {
                        let mut out = Vec::with_capacity(valid.len());
                        let mut entries = Vec::new();
                        for (v, id) in valid.iter().zip(ids.iter()) {
                            let (household, e) = insert_registration(
                                c,
                                v,
                                *now,
                                organisation.as_deref(),
                                *id,
                                recorder,
                            )
                            .await?;
                            out.push(household);
                            entries.extend(e);
                        }
                        history::record_all(c, &entries).await?;
                        Ok(out)
                    })
                },
            )
            .await
    }

    pub async fn household(
        &self,
        p: &Principal,
        id: Uuid,
    ) -> Result<Option<Household>, StoreError> {
        let scope = require(p, Action::Read, Resource::Household)?;
        let mut conn = self.read.acquire().await?;
        let household =
            match ensure_visible(&mut conn, "households", "household", id, scope, p).await {
                Ok(()) => fetch(&mut conn, id).await?,
                Err(StoreError::NotFound { .. }) => None,
                Err(e) => return Err(e),
            };
        drop(conn);
        self.audit_reads(p, Resource::Household, household.iter().map(|h| h.meta.id))
            .await?;
        Ok(household)
    }

    /// The household holding a registration number (the number on its card).
    pub async fn household_by_number(
        &self,
        p: &Principal,
        number: &RegistrationNumber,
    ) -> Result<Option<Household>, StoreError> {
        let scope = require(p, Action::Read, Resource::Household)?;
        let mut b = Builder::new("SELECT id FROM households WHERE registration_number = ");
        b.push("?", Arg::Text(number.to_string()));
        visible(&mut b, scope, "organisation_id", p);
        let mut conn = self.read.acquire().await?;
        let id: Option<String> = b
            .query()
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| sql::text(&r, "id"))
            .transpose()?;
        let household = match id {
            Some(id) => fetch(&mut conn, sql::uuid(&id)?).await?,
            None => None,
        };
        drop(conn);
        self.audit_reads(p, Resource::Household, household.iter().map(|h| h.meta.id))
            .await?;
        Ok(household)
    }

    /// Adds individuals to a household. When every member counted at level 1 is registered
    /// individually, the household and its people move to level 2 and the breakdown is
    /// recomputed from the individuals at `today`. The household keeps its number.
    pub async fn add_members(
        &self,
        p: &Principal,
        id: Uuid,
        version: i64,
        members: Vec<MemberDetails>,
        today: Date,
    ) -> Result<Household, StoreError> {
        let scope = require(p, Action::Update, Resource::Household)?;
        let audit = vec![AuditEntry::by(
            p,
            Action::Update,
            Resource::Household,
            Some(id.to_string()),
            serde_json::json!({"added": members.len()}),
        )];
        let input = (id, version, members, today, p.clone(), scope);
        self.writer
            .write_audited(input, audit, |c, (id, version, members, today, p, scope)| {
                Box::pin(async move {
                    let (id, version, today, now) = (*id, *version, *today, p.at);
                    ensure_visible(c, "households", "household", id, *scope, p).await?;
                    let organisation = registering_organisation(p);
                    let Some(mut h) = fetch(c, id).await? else {
                        return Err(StoreError::NotFound { entity: "household", id });
                    };
                    if h.meta.version != version {
                        return Err(StoreError::Conflict { entity: "household", id, given: version, current: h.meta.version });
                    }
                    let mut people = members_of(c, id).await?;
                    let added = members.len();
                    let registered = people.len() + added;
                    let size = h.size.max(u32::try_from(registered).unwrap_or(u32::MAX));
                    let complete = registered >= size as usize;
                    if complete {
                        h.registration_level = h.registration_level.max(RegistrationLevel::Individual);
                    }
                    let (code, first) = take_numbers(c, h.site_id, added).await?;
                    let added_people: Vec<Person> = members
                        .iter()
                        .enumerate()
                        .map(|(i, m)| new_person(&code, first + i as u64, &h, m.relationship, m.person.clone(), now))
                        .collect();
                    let mut entries = persons::insert_all(c, &added_people, organisation.as_deref()).await?;
                    people.extend(added_people);
                    if complete {
                        h.breakdown = Breakdown::of(people.iter().map(|p| &p.details), today);
                        sqlx::query(
                            "UPDATE persons SET registration_level = $1, status = $2, version = version + 1, updated_at = $3 \
                             WHERE household_id = $4 AND registration_level < $1 AND status <> 'merged' AND anonymised_at IS NULL",
                        )
                        .bind(i64::from(u8::from(h.registration_level)))
                        .bind(PersonStatus::Active.code().to_owned())
                        .bind(sql::ts(now))
                        .bind(id.to_string())
                        .execute(&mut *c)
                        .await?;
                    }
                    h.size = size;
                    sqlx::query(
                        "UPDATE households SET size = $1, breakdown = $2, registration_level = $3, version = version + 1, updated_at = $4 \
                         WHERE id = $5 AND version = $6",
                    )
                    .bind(i64::from(size))
                    .bind(serde_json::to_string(&h.breakdown)?)
                    .bind(i64::from(u8::from(h.registration_level)))
                    .bind(sql::ts(now))
                    .bind(id.to_string())
                    .bind(version)
                    .execute(&mut *c)
                    .await?;
                    entries.push(history::Entry {
                        entity: "household",
                        id,
                        action: "members_added",
                        version: version + 1,
                        at: now,
                        detail: serde_json::json!({ "added": added, "size": size, "level": h.registration_level }),
                    });
                    history::record_all(c, &entries).await?;
                    fetch(c, id).await?.ok_or(StoreError::NotFound { entity: "household", id })
                })
            })
            .await
    }

    /// Corrects a level-1 household's kind, size and counts.
    pub async fn update_household(
        &self,
        p: &Principal,
        id: Uuid,
        version: i64,
        kind: GroupKind,
        size: u32,
        breakdown: Breakdown,
    ) -> Result<Household, StoreError> {
        let scope = require(p, Action::Update, Resource::Household)?;
        let input = (id, version, kind, size, breakdown, p.clone(), scope);
        let audit = vec![AuditEntry::by(
            p,
            Action::Update,
            Resource::Household,
            Some(id.to_string()),
            serde_json::json!({"size": size}),
        )];
        self.writer
            .write_audited(input, audit, |c, (id, version, kind, size, breakdown, p, scope)| {
                Box::pin(async move {
                    let (id, version, kind, size, breakdown, now) = (*id, *version, *kind, *size, *breakdown, p.at);
                    ensure_visible(c, "households", "household", id, *scope, p).await?;
                    let registered: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM persons WHERE household_id = $1")
                        .bind(id.to_string())
                        .fetch_one(&mut *c)
                        .await?;
                    if i64::from(size) < registered {
                        return Err(ValidationErrors::one("size", format!("{size} is fewer than the {registered} people registered")).into());
                    }
                    let done = sqlx::query(
                        "UPDATE households SET kind = $1, size = $2, breakdown = $3, version = version + 1, updated_at = $4 \
                         WHERE id = $5 AND version = $6",
                    )
                    .bind(kind.code().to_owned())
                    .bind(i64::from(size))
                    .bind(serde_json::to_string(&breakdown)?)
                    .bind(sql::ts(now))
                    .bind(id.to_string())
                    .bind(version)
                    .execute(&mut *c)
                    .await?;
                    if done.rows_affected() == 0 {
                        return Err(history::missing_or_conflict(c, "households", "household", id, version).await);
                    }
                    let detail = serde_json::json!({ "kind": kind, "size": size, "breakdown": breakdown });
                    history::record(c, "household", id, "updated", version + 1, now, &detail).await?;
                    fetch(c, id).await?.ok_or(StoreError::NotFound { entity: "household", id })
                })
            })
            .await
    }

    /// Lists households; each lists its members.
    pub async fn households(
        &self,
        p: &Principal,
        filter: &HouseholdFilter,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<Household>, StoreError> {
        let scope = require(p, Action::Read, Resource::Household)?;
        let mut b = Builder::new(&format!("SELECT {COLUMNS} FROM households WHERE 1 = 1"));
        visible(&mut b, scope, "organisation_id", p);
        if let Some(s) = filter.site_id {
            b.push(" AND site_id = ?", Arg::Text(s.to_string()));
        }
        if let Some(a) = filter.arrival_id {
            b.push(" AND arrival_id = ?", Arg::Text(a.to_string()));
        }
        if let Some(l) = filter.registration_level {
            b.push(
                " AND registration_level = ?",
                Arg::Int(i64::from(u8::from(l))),
            );
        }
        let mut page = sql::page(&self.read, b, cursor, limit, decode_row).await?;
        let mut conn = self.read.acquire().await?;
        for h in &mut page.items {
            h.members = summaries(members_of(&mut conn, h.meta.id).await?);
        }
        drop(conn);
        self.audit_reads(p, Resource::Household, page.items.iter().map(|h| h.meta.id))
            .await?;
        Ok(page)
    }
}
