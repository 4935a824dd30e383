//! Persons.

use passage_domain::access::{Action, Principal, Resource};
use passage_domain::codes::Nationality;
use passage_domain::data_protection::{LegalBasis, ProcessingBasis};
use passage_domain::household::Relationship;
use passage_domain::person::{PersonDetails, PersonStatus, RegistrationLevel, Sex};
use passage_domain::record::Person;
use passage_domain::regno::RegistrationNumber;
use passage_domain::text;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use uuid::Uuid;

use crate::Store;
use crate::audit::AuditEntry;
use crate::error::StoreError;
use crate::history;
use crate::scope::{ensure_visible, require, visible};
use crate::sites::meta;
use crate::sql::{self, Arg, Builder, Page};

#[derive(Debug, Clone, Default)]
pub struct PersonFilter {
    pub site_id: Option<Uuid>,
    pub household_id: Option<Uuid>,
    pub status: Option<PersonStatus>,
    pub sex: Option<Sex>,
    pub nationality: Option<Nationality>,
    pub registration_level: Option<RegistrationLevel>,
    /// Every word must appear in one of the person's names (case and accents folded).
    pub name: Option<String>,
}

/// The person's columns, and their household's legal basis and purposes, for a query
/// `FROM persons`.
pub(crate) const COLUMNS: &str = "id, registration_number, household_id, site_id, relationship, registration_level, \
     status, details, version, created_at, updated_at, anonymised_at, \
     (SELECT h.legal_basis FROM households h WHERE h.id = persons.household_id) AS legal_basis, \
     (SELECT h.purposes FROM households h WHERE h.id = persons.household_id) AS purposes, \
     (SELECT h.basis_recorded_by FROM households h WHERE h.id = persons.household_id) AS basis_recorded_by, \
     (SELECT h.basis_recorded_at FROM households h WHERE h.id = persons.household_id) AS basis_recorded_at";

/// Nationalities stored as ` MMR BGD ` so that one can be found with LIKE.
fn nationality_key(d: &PersonDetails) -> String {
    let mut s = String::from(" ");
    for n in &d.nationalities {
        s.push_str(n.code());
        s.push(' ');
    }
    s
}

/// The columns the population table counts a person by: population type, the date age
/// counts from, and the first nationality.
pub(crate) fn counted(d: &PersonDetails) -> [Option<String>; 3] {
    [
        d.population_type.map(|t| t.code().to_owned()),
        d.date_of_birth.map(|b| b.counts_from().to_string()),
        d.nationalities.first().map(|n| n.code().to_owned()),
    ]
}

/// Reads the legal basis and purposes of a registration from a row that has the columns
/// `legal_basis`, `purposes`, `basis_recorded_by`, `basis_recorded_at` and `created_at`.
pub(crate) fn decode_basis(row: &AnyRow) -> Result<ProcessingBasis, StoreError> {
    let basis = sql::text(row, "legal_basis")?;
    let by: Option<String> = row.try_get("basis_recorded_by")?;
    let at: Option<String> = row.try_get("basis_recorded_at")?;
    let at = match at {
        Some(at) => sql::parse_ts(&at)?,
        None => sql::parse_ts(&sql::text(row, "created_at")?)?,
    };
    Ok(ProcessingBasis {
        legal_basis: LegalBasis::from_code(&basis)
            .ok_or_else(|| StoreError::Corrupt(format!("legal basis {basis}")))?,
        purposes: sql::json(row, "purposes")?,
        basis_recorded_by: by,
        basis_recorded_at: at,
    })
}

pub(crate) fn decode(row: &AnyRow) -> Result<Person, StoreError> {
    let number = sql::text(row, "registration_number")?;
    let relationship = sql::text(row, "relationship")?;
    let status = sql::text(row, "status")?;
    let level = sql::int(row, "registration_level")?;
    let anonymised: Option<String> = row.try_get("anonymised_at")?;
    Ok(Person {
        meta: meta(row)?,
        registration_number: RegistrationNumber::parse(&number)
            .map_err(|_| StoreError::Corrupt(format!("registration number {number}")))?,
        household_id: sql::uuid(&sql::text(row, "household_id")?)?,
        site_id: sql::uuid(&sql::text(row, "site_id")?)?,
        relationship: Relationship::from_code(&relationship)
            .ok_or_else(|| StoreError::Corrupt(format!("relationship {relationship}")))?,
        registration_level: u8::try_from(level)
            .ok()
            .and_then(|l| RegistrationLevel::try_from(l).ok())
            .ok_or_else(|| StoreError::Corrupt(format!("registration level {level}")))?,
        status: PersonStatus::from_code(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("status {status}")))?,
        details: sql::json(row, "details")?,
        basis: decode_basis(row)?,
        anonymised_at: anonymised.as_deref().map(sql::parse_ts).transpose()?,
    })
}

/// Inserts new persons in one statement, in the caller's transaction, and returns the
/// history entries that record their registration.
pub(crate) async fn insert_all(
    c: &mut AnyConnection,
    people: &[Person],
    organisation: Option<&str>,
) -> Result<Vec<history::Entry>, StoreError> {
    let mut entries = Vec::with_capacity(people.len());
    for chunk in people.chunks(sql::rows_per_statement(19)) {
        insert_chunk(c, chunk, organisation, &mut entries).await?;
    }
    Ok(entries)
}

async fn insert_chunk(
    c: &mut AnyConnection,
    people: &[Person],
    organisation: Option<&str>,
    entries: &mut Vec<history::Entry>,
) -> Result<(), StoreError> {
    let mut b = Builder::new(
        "INSERT INTO persons (id, registration_number, household_id, site_id, relationship, registration_level, status, \
         sex, birth_date, nationality, name_key, details, version, created_at, updated_at, organisation_id, \
         population_type, born_on, first_nationality) VALUES ",
    );
    for (i, p) in people.iter().enumerate() {
        let d = &p.details;
        let json = serde_json::to_value(d)?;
        if i > 0 {
            b.raw(", ");
        }
        b.row(
            [
                Arg::Text(p.meta.id.to_string()),
                Arg::Text(p.registration_number.to_string()),
                Arg::Text(p.household_id.to_string()),
                Arg::Text(p.site_id.to_string()),
                Arg::Text(p.relationship.code().to_owned()),
                Arg::Int(i64::from(u8::from(p.registration_level))),
                Arg::Text(p.status.code().to_owned()),
                Arg::Text(d.sex.code().to_owned()),
                Arg::OptText(d.date_of_birth.map(|b| b.date.to_string())),
                Arg::Text(nationality_key(d)),
                Arg::Text(d.name_key()),
                Arg::Text(json.to_string()),
                Arg::Int(p.meta.version),
                Arg::Text(sql::ts(p.meta.created_at)),
                Arg::Text(sql::ts(p.meta.updated_at)),
                Arg::OptText(organisation.map(str::to_owned)),
            ]
            .into_iter()
            .chain(counted(d).map(Arg::OptText)),
        );
        entries.push(history::Entry {
            entity: "person",
            id: p.meta.id,
            action: "registered",
            version: p.meta.version,
            at: p.meta.created_at,
            detail: json,
        });
    }
    if !people.is_empty() {
        b.query().execute(&mut *c).await?;
    }
    Ok(())
}

pub(crate) async fn fetch(c: &mut AnyConnection, id: Uuid) -> Result<Person, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM persons WHERE id = $1");
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_one(c)
        .await?;
    decode(&row)
}

/// What an update of a person may change.
#[derive(Debug, Clone)]
pub struct PersonChange {
    pub details: PersonDetails,
    pub status: PersonStatus,
    pub registration_level: RegistrationLevel,
}

impl Store {
    pub async fn person(&self, p: &Principal, id: Uuid) -> Result<Option<Person>, StoreError> {
        let scope = require(p, Action::Read, Resource::Person)?;
        let mut b = Builder::new(&format!("SELECT {COLUMNS} FROM persons WHERE id = "));
        b.push("?", Arg::Text(id.to_string()));
        visible(&mut b, scope, "organisation_id", p);
        let row = b.query().fetch_optional(&self.read).await?;
        let person = row.as_ref().map(decode).transpose()?;
        self.audit_reads(p, Resource::Person, person.iter().map(|x| x.meta.id))
            .await?;
        Ok(person)
    }

    /// The person holding a registration number.
    pub async fn person_by_number(
        &self,
        p: &Principal,
        number: &RegistrationNumber,
    ) -> Result<Option<Person>, StoreError> {
        let scope = require(p, Action::Read, Resource::Person)?;
        let mut b = Builder::new(&format!(
            "SELECT {COLUMNS} FROM persons WHERE registration_number = "
        ));
        b.push("?", Arg::Text(number.to_string()));
        visible(&mut b, scope, "organisation_id", p);
        let row = b.query().fetch_optional(&self.read).await?;
        let person = row.as_ref().map(decode).transpose()?;
        self.audit_reads(p, Resource::Person, person.iter().map(|x| x.meta.id))
            .await?;
        Ok(person)
    }

    pub async fn update_person(
        &self,
        p: &Principal,
        id: Uuid,
        version: i64,
        change: PersonChange,
    ) -> Result<Person, StoreError> {
        let scope = require(p, Action::Update, Resource::Person)?;
        let audit = vec![AuditEntry::by(
            p,
            Action::Update,
            Resource::Person,
            Some(id.to_string()),
            serde_json::json!({"version": version}),
        )];
        self.writer
            .write_audited((id, version, change, p.clone(), scope), audit, |c, (id, version, change, p, scope)| {
                Box::pin(async move {
                    let (id, version, now) = (*id, *version, p.at);
                    ensure_visible(c, "persons", "person", id, *scope, p).await?;
                    let anonymised: Option<Option<String>> = sqlx::query_scalar("SELECT anonymised_at FROM persons WHERE id = $1")
                        .bind(id.to_string())
                        .fetch_optional(&mut *c)
                        .await?;
                    if anonymised.flatten().is_some() {
                        return Err(StoreError::Refused(format!("person {id} was anonymised: the record can no longer be changed")));
                    }
                    let d = &change.details;
                    let before = crate::protection::person_details(c, id).await?;
                    crate::protection::check_edit(&before, d)?;
                    let json = serde_json::to_value(d)?;
                    let done = sqlx::query(
                        "UPDATE persons SET status = $1, registration_level = $2, sex = $3, birth_date = $4, nationality = $5, \
                         name_key = $6, details = $7, version = version + 1, updated_at = $8, population_type = $11, born_on = $12, \
                         first_nationality = $13 WHERE id = $9 AND version = $10",
                    )
                    .bind(change.status.code().to_owned())
                    .bind(i64::from(u8::from(change.registration_level)))
                    .bind(d.sex.code().to_owned())
                    .bind(d.date_of_birth.map(|b| b.date.to_string()))
                    .bind(nationality_key(d))
                    .bind(d.name_key())
                    .bind(json.to_string())
                    .bind(sql::ts(now))
                    .bind(id.to_string())
                    .bind(version);
                    let [population_type, born_on, first_nationality] = counted(d);
                    let done = done
                        .bind(population_type)
                        .bind(born_on)
                        .bind(first_nationality)
                        .execute(&mut *c)
                    .await?;
                    if done.rows_affected() == 0 {
                        return Err(history::missing_or_conflict(c, "persons", "person", id, version).await);
                    }
                    let detail = serde_json::json!({
                        "status": change.status,
                        "registration_level": change.registration_level,
                        "details": json,
                    });
                    history::record(c, "person", id, "updated", version + 1, now, &detail).await?;
                    // A status or flag added by hand (ASY, a child alone) holds returns too.
                    crate::protection::reimpose(c, id, p).await?;
                    fetch(c, id).await
                })
            })
            .await
    }

    pub async fn persons(
        &self,
        p: &Principal,
        filter: &PersonFilter,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<Person>, StoreError> {
        let scope = require(p, Action::Read, Resource::Person)?;
        let mut b = Builder::new(&format!("SELECT {COLUMNS} FROM persons WHERE 1 = 1"));
        visible(&mut b, scope, "organisation_id", p);
        if let Some(s) = filter.site_id {
            b.push(" AND site_id = ?", Arg::Text(s.to_string()));
        }
        if let Some(h) = filter.household_id {
            b.push(" AND household_id = ?", Arg::Text(h.to_string()));
        }
        if let Some(s) = filter.status {
            b.push(" AND status = ?", Arg::Text(s.code().to_owned()));
        }
        if let Some(s) = filter.sex {
            b.push(" AND sex = ?", Arg::Text(s.code().to_owned()));
        }
        if let Some(n) = &filter.nationality {
            b.push(
                " AND nationality LIKE ?",
                Arg::Text(format!("% {} %", n.code())),
            );
        }
        if let Some(l) = filter.registration_level {
            b.push(
                " AND registration_level = ?",
                Arg::Int(i64::from(u8::from(l))),
            );
        }
        if let Some(q) = &filter.name {
            for word in text::fold(q).split(' ').filter(|w| !w.is_empty()) {
                let escaped = word
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                b.push(
                    " AND name_key LIKE ? ESCAPE '\\'",
                    Arg::Text(format!("%{escaped}%")),
                );
            }
        }
        let page = sql::page(&self.read, b, cursor, limit, decode).await?;
        self.audit_reads(p, Resource::Person, page.items.iter().map(|x| x.meta.id))
            .await?;
        Ok(page)
    }
}
