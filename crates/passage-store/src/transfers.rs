//! Person-level exports under a data-sharing agreement: only by the provider's
//! data-protection focal point, only while the agreement is in force and for its purpose,
//! only the fields it lists. To an authority of a country people fled, nobody who ever
//! sought asylum, is at risk of refoulement, is a (presumed) trafficking victim or has a
//! trafficking or statelessness case open is ever included, on any record of the person
//! (a claim on a record merged away withholds the record kept); a readmission (return)
//! export carries identity fields only. Trafficking flags never leave at person level.
//! Each export is audited with its agreement, purpose, row count and the SHA-256 of the
//! file.

// SQL built at run time is assembled from constant text only; values are always bound.
use passage_domain::access::{Action, Principal, Resource, Scope};
use passage_domain::data_protection::Purpose;
use passage_domain::data_protection::agreement::SHAREABLE_FIELDS;
use passage_domain::person::{PersonDetails, PopulationType, ProfileFlag};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use uuid::Uuid;

use crate::Store;
use crate::agreements;
use crate::audit::AuditEntry;
use crate::cluster;
use crate::error::StoreError;
use crate::scope::require;
use crate::sql;

/// Fields a readmission export may carry: who the person is, nothing of why they left.
const IDENTITY_FIELDS: &[&str] = &[
    "registration_number",
    "given_name",
    "family_name",
    "other_names",
    "original_name",
    "sex",
    "date_of_birth",
    "nationalities",
    "documents.kind",
    "documents.number",
    "documents.issuing_state",
    "documents.expiry_date",
];

/// What the rule for an authority of a country of origin reads of a person `p`: claims ever
/// made, active refoulement-risk codes, fears expressed, open trafficking or statelessness
/// cases.
const PROTECTION_COLUMNS: &str = "\
    (SELECT COUNT(*) FROM cases k WHERE k.person_id = p.id AND k.kind = 'asylum') AS claims, \
    (SELECT COUNT(*) FROM specific_needs n WHERE n.person_id = p.id AND n.active = 1 \
      AND n.code IN ('LP-RR', 'LP-TR', 'LP-RD', 'LP-TD')) AS risks, \
    (SELECT COUNT(*) FROM screenings s WHERE s.person_id = p.id AND s.fear_of_return = 1) AS fears, \
    (SELECT COUNT(*) FROM cases k WHERE k.person_id = p.id AND k.kind IN ('trafficking', 'statelessness') \
      AND k.closed = 0) AS open_cases";

/// Whether the person of a row (with `details` and [`PROTECTION_COLUMNS`]) may never go to
/// an authority of a country of origin: they sought asylum or protection (a claim, a fear,
/// the population type), are at risk on return (an active LP code), are a (presumed)
/// trafficking victim, or have a trafficking or statelessness case open.
fn never_to_origin(r: &AnyRow) -> Result<bool, StoreError> {
    let details: PersonDetails = sql::json(r, "details")?;
    let sought_protection = sql::int(r, "claims")? > 0
        || sql::int(r, "fears")? > 0
        || matches!(
            details.population_type,
            Some(PopulationType::ASY | PopulationType::REF | PopulationType::OIP)
        );
    let trafficked = details.profile_flags.iter().any(|f| {
        matches!(
            f,
            ProfileFlag::PresumedTraffickingVictim | ProfileFlag::TraffickingVictim
        )
    });
    Ok(sought_protection
        || trafficked
        || sql::int(r, "risks")? > 0
        || sql::int(r, "open_cases")? > 0)
}

/// [`never_to_origin`] for another record of the person, whatever its status or
/// organisation.
async fn other_never_to_origin(c: &mut AnyConnection, id: Uuid) -> Result<bool, StoreError> {
    let sql = format!("SELECT p.details, {PROTECTION_COLUMNS} FROM persons p WHERE p.id = $1");
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_optional(&mut *c)
        .await?;
    row.as_ref().map_or(Ok(false), never_to_origin)
}

/// The rows of a transfer, before they are written and hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    pub agreement_id: Uuid,
    pub purpose: Purpose,
    pub recipient_id: Uuid,
    pub fields: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// People left out because the recipient is an authority of a country of origin.
    pub withheld: usize,
}

fn join<T: ToString>(v: &[T]) -> String {
    v.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

fn value(
    field: &str,
    number: &str,
    d: &PersonDetails,
    status: &str,
    household: &[String; 4],
    document: &[String; 4],
) -> String {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    match field {
        "registration_number" => number.to_owned(),
        "given_name" => text(&d.given_name),
        "family_name" => text(&d.family_name),
        "other_names" => d.other_names.join("; "),
        "aliases" => d.aliases.join("; "),
        "original_name" => d
            .original_name
            .as_ref()
            .map(|o| o.text.clone())
            .unwrap_or_default(),
        "sex" => d.sex.code().to_owned(),
        "date_of_birth" => d
            .date_of_birth
            .map(|b| b.date.to_string())
            .unwrap_or_default(),
        "nationalities" => d
            .nationalities
            .iter()
            .map(|n| n.code().to_owned())
            .collect::<Vec<_>>()
            .join("; "),
        "languages" => join(
            &d.languages
                .iter()
                .map(|l| l.as_str().to_owned())
                .collect::<Vec<_>>(),
        ),
        "place_of_origin" => text(&d.place_of_origin),
        "contact" => d
            .contact
            .as_ref()
            .map(|c| {
                [c.phone.clone(), c.address.clone()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default(),
        "population_type" => d
            .population_type
            .map(|t| t.code().to_owned())
            .unwrap_or_default(),
        // Trafficking flags never leave at person level.
        "profile_flags" => d
            .profile_flags
            .iter()
            .filter(|f| {
                !matches!(
                    f,
                    ProfileFlag::PresumedTraffickingVictim | ProfileFlag::TraffickingVictim
                )
            })
            .map(|f| {
                serde_json::to_value(f)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join("; "),
        "status" => status.to_owned(),
        "household.registration_number" => household[0].clone(),
        "household.kind" => household[1].clone(),
        "household.size" => household[2].clone(),
        "household.relationship" => household[3].clone(),
        "household.breakdown" => String::new(),
        "documents.kind" => document[0].clone(),
        "documents.number" => document[1].clone(),
        "documents.issuing_state" => document[2].clone(),
        "documents.expiry_date" => document[3].clone(),
        _ => String::new(),
    }
}

impl Store {
    /// The persons the caller's organisation registered, as the agreement allows them to
    /// go to its recipient now, for `purpose`.
    pub async fn transfer(
        &self,
        p: &Principal,
        agreement_id: Uuid,
        purpose: Purpose,
    ) -> Result<Transfer, StoreError> {
        let scope = require(p, Action::Export, Resource::Person)?;
        let mut c = self.read.acquire().await?;
        let agreement = agreements::fetch(&mut c, agreement_id, scope, p.at).await?;
        let d = &agreement.details;
        if let Scope::Organisation(org) = scope
            && org != d.provider_id
        {
            return Err(StoreError::Refused(
                "only the provider of an agreement exports under it".into(),
            ));
        }
        if !agreement.in_force {
            return Err(StoreError::Refused(format!(
                "agreement {agreement_id} is not in force now: nothing goes out under it"
            )));
        }
        if d.purpose != purpose {
            return Err(StoreError::Refused(format!(
                "agreement {agreement_id} covers the purpose {}, not {}",
                d.purpose.code(),
                purpose.code()
            )));
        }
        let coo: i64 = sqlx::query_scalar(
            "SELECT country_of_origin_authority FROM organisations WHERE id = $1",
        )
        .bind(d.recipient_id.to_string())
        .fetch_one(&mut *c)
        .await?;
        let coo = coo != 0;
        let readmission = purpose == Purpose::Return;
        let fields: Vec<String> = d
            .fields
            .iter()
            .filter(|f| SHAREABLE_FIELDS.contains(&f.as_str()))
            .filter(|f| !readmission || IDENTITY_FIELDS.contains(&f.as_str()))
            .cloned()
            .collect();
        let sql = format!(
            "SELECT p.id, p.registration_number, p.status, p.details, p.relationship, h.registration_number AS hnumber, h.kind, h.size, \
             {PROTECTION_COLUMNS} FROM persons p JOIN households h ON h.id = p.household_id \
             WHERE p.organisation_id = $1 AND p.status <> 'merged' AND p.anonymised_at IS NULL ORDER BY p.registration_number"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(d.provider_id.to_string())
            .fetch_all(&mut *c)
            .await?;
        // Records merged with others: a claim on any record of the person withholds them.
        let merged = if coo {
            cluster::all_merged(&mut c).await?
        } else {
            Default::default()
        };
        let mut out = Vec::with_capacity(rows.len());
        let mut withheld = 0;
        for r in &rows {
            let details: PersonDetails = sql::json(r, "details")?;
            if coo {
                let mut barred = never_to_origin(r)?;
                let id = sql::uuid(&sql::text(r, "id")?)?;
                for other in merged.get(&id).into_iter().flatten() {
                    if barred {
                        break;
                    }
                    if *other != id {
                        barred = other_never_to_origin(&mut c, *other).await?;
                    }
                }
                if barred {
                    withheld += 1;
                    continue;
                }
            }
            let id = sql::text(r, "id")?;
            let document = match sqlx::query(
                "SELECT kind, number, issuing_state, details FROM documents WHERE person_id = $1 ORDER BY created_at LIMIT 1",
            )
            .bind(id)
            .fetch_optional(&mut *c)
            .await?
            {
                Some(doc) => {
                    let details: serde_json::Value = sql::json(&doc, "details")?;
                    [
                        sql::text(&doc, "kind")?,
                        doc.try_get::<Option<String>, _>("number")?.unwrap_or_default(),
                        doc.try_get::<Option<String>, _>("issuing_state")?.unwrap_or_default(),
                        details["expiry_date"].as_str().unwrap_or_default().to_owned(),
                    ]
                }
                None => Default::default(),
            };
            let household = [
                sql::text(r, "hnumber")?,
                sql::text(r, "kind")?,
                sql::int(r, "size")?.to_string(),
                sql::text(r, "relationship")?,
            ];
            let number = sql::text(r, "registration_number")?;
            let status = sql::text(r, "status")?;
            out.push(
                fields
                    .iter()
                    .map(|f| value(f, &number, &details, &status, &household, &document))
                    .collect(),
            );
        }
        Ok(Transfer {
            agreement_id,
            purpose,
            recipient_id: d.recipient_id,
            fields,
            rows: out,
            withheld,
        })
    }

    /// Records in the audit log that a transfer left: agreement, purpose, recipient, rows and
    /// the SHA-256 of the file as sent.
    pub async fn record_transfer(
        &self,
        p: &Principal,
        t: &Transfer,
        sha256: &str,
    ) -> Result<(), StoreError> {
        let entry = AuditEntry::by(
            p,
            Action::Export,
            Resource::SharingAgreement,
            Some(t.agreement_id.to_string()),
            serde_json::json!({"purpose": t.purpose, "recipient_id": t.recipient_id, "rows": t.rows.len(),
                "withheld": t.withheld, "fields": t.fields, "sha256": sha256}),
        );
        self.record_audit(vec![entry]).await
    }
}
