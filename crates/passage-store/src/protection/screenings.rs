//! Screenings: recorded with what the rules computed, then confirmed by the officer, which
//! applies them: population type and flags, specific needs, referrals, cases.

// SQL built at run time is assembled from constant text only; values are always bound.
use passage_domain::access::{Action, Principal, Resource, Scope};
use passage_domain::protection::case_access::case_access;
use passage_domain::protection::questionnaire::{Answers, Questionnaire};
use passage_domain::protection::records::{Confirmation, NewCase, Screening, ScreeningStatus};
use passage_domain::protection::referral::{NewReferral, Urgency};
use passage_domain::protection::screening::{AgeAssessment, Subject, evaluate};
use passage_domain::record::Meta;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use uuid::Uuid;

use super::{
    StatusChange, cases, change_status, guard, lock_person, needs, person_details, referrals,
};
use crate::Store;
use crate::audit::AuditEntry;
use crate::error::StoreError;
use crate::history;
use crate::scope::{ensure_visible, require};
use crate::sites::meta;
use crate::sql::{self, ts};

const COLUMNS: &str = "id, person_id, questionnaire, questionnaire_version, answers, age_assessment, outcome, \
     status, screened_by, confirmed_by, confirmed_at, version, created_at, updated_at";

fn decode(row: &AnyRow) -> Result<Screening, StoreError> {
    let status = sql::text(row, "status")?;
    let confirmed_at: Option<String> = row.try_get("confirmed_at")?;
    let version = sql::int(row, "questionnaire_version")?;
    Ok(Screening {
        meta: meta(row)?,
        person_id: sql::uuid(&sql::text(row, "person_id")?)?,
        questionnaire: sql::text(row, "questionnaire")?,
        questionnaire_version: u32::try_from(version)
            .map_err(|_| StoreError::Corrupt(format!("questionnaire version {version}")))?,
        answers: sql::json(row, "answers")?,
        age_assessment: sql::opt_json(row, "age_assessment")?,
        outcome: sql::json(row, "outcome")?,
        status: ScreeningStatus::from_code(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("screening status {status}")))?,
        screened_by: sql::text(row, "screened_by")?,
        confirmed_by: row.try_get("confirmed_by")?,
        confirmed_at: confirmed_at.as_deref().map(sql::parse_ts).transpose()?,
    })
}

pub(super) async fn fetch(c: &mut AnyConnection, id: Uuid) -> Result<Screening, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM screenings WHERE id = $1");
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_one(c)
        .await?;
    decode(&row)
}

/// Every screening of a person, oldest first.
pub(super) async fn of_person(
    c: &mut AnyConnection,
    person_id: Uuid,
) -> Result<Vec<Screening>, StoreError> {
    let sql =
        format!("SELECT {COLUMNS} FROM screenings WHERE person_id = $1 ORDER BY created_at, id");
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(person_id.to_string())
        .fetch_all(c)
        .await?;
    rows.iter().map(decode).collect()
}

/// A screening checked against its questionnaire, ready to record.
pub struct CheckedScreening {
    pub questionnaire: &'static Questionnaire,
    pub answers: Answers,
    pub age_assessment: Option<AgeAssessment>,
}

impl Store {
    /// Records a screening of a person the caller can see, with the outcome the rules
    /// compute from the answers and the person's registration.
    pub async fn record_screening(
        &self,
        p: &Principal,
        person_id: Uuid,
        screening: CheckedScreening,
    ) -> Result<Screening, StoreError> {
        let scope = require(p, Action::Create, Resource::Screening)?;
        let id = Uuid::now_v7();
        let audit = vec![AuditEntry::by(
            p,
            Action::Create,
            Resource::Screening,
            Some(id.to_string()),
            serde_json::json!({"person_id": person_id, "questionnaire": screening.questionnaire.id, "version": screening.questionnaire.version}),
        )];
        self.writer
            .write_audited(
                (id, person_id, screening, p.clone(), scope),
                audit,
                |c, (id, person_id, s, p, scope)| {
                    Box::pin(async move { insert(c, *id, *person_id, s, p, *scope).await })
                },
            )
            .await
    }

    /// A screening the caller can see.
    pub async fn screening(
        &self,
        p: &Principal,
        id: Uuid,
    ) -> Result<Option<Screening>, StoreError> {
        let scope = require(p, Action::Read, Resource::Screening)?;
        let mut conn = self.read.acquire().await?;
        let found = match ensure_visible(&mut conn, "screenings", "screening", id, scope, p).await {
            Ok(()) => Some(fetch(&mut conn, id).await?),
            Err(StoreError::NotFound { .. }) => None,
            Err(e) => return Err(e),
        };
        drop(conn);
        self.audit_reads(p, Resource::Screening, found.iter().map(|s| s.meta.id))
            .await?;
        Ok(found)
    }

    /// Every screening of a person, oldest first; None when the person is hidden or missing.
    pub async fn screenings(
        &self,
        p: &Principal,
        person_id: Uuid,
    ) -> Result<Option<Vec<Screening>>, StoreError> {
        let scope = require(p, Action::Read, Resource::Screening)?;
        let mut conn = self.read.acquire().await?;
        let found = match ensure_visible(&mut conn, "persons", "person", person_id, scope, p).await
        {
            Ok(()) => Some(of_person(&mut conn, person_id).await?),
            Err(StoreError::NotFound { .. }) => None,
            Err(e) => return Err(e),
        };
        drop(conn);
        self.audit_reads(
            p,
            Resource::Screening,
            found.iter().flatten().map(|s| s.meta.id),
        )
        .await?;
        Ok(found)
    }

    /// Applies a screening as the officer confirms it: the person's population type and
    /// flags, the specific needs, the referrals (proposed, with due dates from the
    /// proposal) and the cases to open. All or nothing; a screening is confirmed once.
    pub async fn confirm_screening(
        &self,
        p: &Principal,
        id: Uuid,
        confirmation: Confirmation,
    ) -> Result<Screening, StoreError> {
        let scope = require(p, Action::Update, Resource::Screening)?;
        if !confirmation.referrals.is_empty() {
            require(p, Action::Create, Resource::Referral)?;
        }
        if !confirmation.needs.is_empty() {
            require(p, Action::Create, Resource::SpecificNeed)?;
        }
        for kind in &confirmation.open_cases {
            case_access(p, Action::Create, *kind)?;
        }
        let audit = vec![AuditEntry::by(
            p,
            Action::Update,
            Resource::Screening,
            Some(id.to_string()),
            serde_json::json!({"confirmed": true, "population_type": confirmation.population_type,
                "needs": confirmation.needs, "referrals": confirmation.referrals.iter().map(|r| r.service).collect::<Vec<_>>(),
                "open_cases": confirmation.open_cases}),
        )];
        self.writer
            .write_audited(
                (id, confirmation, p.clone(), scope),
                audit,
                |c, (id, confirmation, p, scope)| {
                    Box::pin(async move { confirm(c, *id, confirmation, p, *scope).await })
                },
            )
            .await
    }
}

async fn insert(
    c: &mut AnyConnection,
    id: Uuid,
    person_id: Uuid,
    s: &CheckedScreening,
    p: &Principal,
    scope: Scope,
) -> Result<Screening, StoreError> {
    ensure_visible(c, "persons", "person", person_id, scope, p).await?;
    lock_person(c, person_id).await?;
    let d = person_details(c, person_id).await?;
    let subject = Subject {
        date_of_birth: d.date_of_birth,
        nationalities: d.nationalities.clone(),
        population_type: d.population_type,
        profile_flags: d.profile_flags.clone(),
    };
    let outcome = evaluate(
        s.questionnaire,
        &s.answers,
        s.age_assessment.as_ref(),
        &subject,
        p.at.date(),
    );
    let record = Screening {
        meta: Meta {
            id,
            version: 1,
            created_at: p.at,
            updated_at: p.at,
        },
        person_id,
        questionnaire: s.questionnaire.id.clone(),
        questionnaire_version: s.questionnaire.version,
        answers: s.answers.clone(),
        age_assessment: s.age_assessment.clone(),
        outcome,
        status: ScreeningStatus::Proposed,
        screened_by: p.name.clone(),
        confirmed_by: None,
        confirmed_at: None,
    };
    let fear = record.outcome.fear_of_return || record.outcome.asylum_intention;
    sqlx::query(
        "INSERT INTO screenings (id, person_id, organisation_id, questionnaire, questionnaire_version, answers, \
         age_assessment, outcome, fear_of_return, status, screened_by, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, $12)",
    )
    .bind(id.to_string())
    .bind(person_id.to_string())
    .bind(p.organisation_id.map(|o| o.to_string()))
    .bind(record.questionnaire.clone())
    .bind(i64::from(record.questionnaire_version))
    .bind(serde_json::to_string(&record.answers)?)
    .bind(record.age_assessment.as_ref().map(serde_json::to_string).transpose()?)
    .bind(serde_json::to_string(&record.outcome)?)
    .bind(i64::from(fear))
    .bind(ScreeningStatus::Proposed.code().to_owned())
    .bind(p.name.clone())
    .bind(ts(p.at))
    .execute(&mut *c)
    .await?;
    let detail = serde_json::json!({"person_id": person_id, "questionnaire": record.questionnaire, "version": record.questionnaire_version});
    history::record(c, "screening", id, "recorded", 1, p.at, &detail).await?;
    // An expressed fear holds every return of the person at once.
    if fear {
        guard::reimpose(c, person_id, p).await?;
    }
    Ok(record)
}

async fn confirm(
    c: &mut AnyConnection,
    id: Uuid,
    confirmation: &Confirmation,
    p: &Principal,
    scope: Scope,
) -> Result<Screening, StoreError> {
    ensure_visible(c, "screenings", "screening", id, scope, p).await?;
    // Lock the person first, so that two servers cannot both confirm the screening.
    let person_id: String = sqlx::query_scalar("SELECT person_id FROM screenings WHERE id = $1")
        .bind(id.to_string())
        .fetch_one(&mut *c)
        .await?;
    lock_person(c, sql::uuid(&person_id)?).await?;
    let current = fetch(c, id).await?;
    if current.meta.version != confirmation.version {
        return Err(StoreError::Conflict {
            entity: "screening",
            id,
            given: confirmation.version,
            current: current.meta.version,
        });
    }
    if current.status == ScreeningStatus::Confirmed {
        return Err(StoreError::Refused(format!(
            "screening {id} is already confirmed; record a new screening to change it"
        )));
    }
    let person_id = current.person_id;
    let before = person_details(c, person_id).await?;
    let mut after = before.clone();
    after.population_type = confirmation.population_type;
    after.profile_flags = confirmation.profile_flags.clone();
    super::check_edit(&before, &after)?;
    change_status(
        c,
        person_id,
        StatusChange {
            population_type: Some(confirmation.population_type),
            set_flags: Some(confirmation.profile_flags.clone()),
            add_flags: Vec::new(),
            because: format!("screening {id}"),
        },
        p.at,
    )
    .await?;
    for code in &confirmation.needs {
        needs::insert_if_new(c, person_id, code, Some(id), p).await?;
    }
    for r in &confirmation.referrals {
        let proposal = current
            .outcome
            .proposed_referrals
            .iter()
            .find(|x| x.service == r.service);
        let new = NewReferral {
            service: r.service,
            recipient_id: r.recipient_id,
            urgency: proposal.map_or(Urgency::Normal, |x| x.urgency),
            due_within_hours: proposal.map(|x| x.due_within_hours),
            reason: proposal.map_or_else(
                || "added by the officer at screening".to_owned(),
                |x| x.reason.clone(),
            ),
        };
        referrals::insert(c, Uuid::now_v7(), person_id, &new, Some(id), p).await?;
    }
    for kind in &confirmation.open_cases {
        let new = NewCase {
            kind: *kind,
            pathway: None,
            voluntary: None,
            reason: format!("opened from screening {id}"),
        };
        cases::insert(c, Uuid::now_v7(), person_id, &new, p).await?;
    }
    sqlx::query(
        "UPDATE screenings SET status = $1, confirmed_by = $2, confirmed_at = $3, version = version + 1, updated_at = $3 WHERE id = $4",
    )
    .bind(ScreeningStatus::Confirmed.code().to_owned())
    .bind(p.name.clone())
    .bind(ts(p.at))
    .bind(id.to_string())
    .execute(&mut *c)
    .await?;
    let detail = serde_json::json!({"population_type": confirmation.population_type, "profile_flags": confirmation.profile_flags});
    history::record(
        c,
        "screening",
        id,
        "confirmed",
        current.meta.version + 1,
        p.at,
        &detail,
    )
    .await?;
    guard::reimpose(c, person_id, p).await?;
    fetch(c, id).await
}
