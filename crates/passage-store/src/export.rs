//! Everything held about one person, in one report: the answer to an access request.

use passage_domain::access::{Action, Principal, Resource};
use passage_domain::data_protection::subject::{DataSubjectRequest, LegalHold};
use passage_domain::data_protection::{Consent, ProcessingBasis};
use passage_domain::household::{GroupKind, Relationship};
use passage_domain::person::RegistrationLevel;
use passage_domain::record::{Document, Person};
use passage_domain::regno::RegistrationNumber;
use serde::Serialize;
use sqlx::{AnyConnection, AssertSqlSafe};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::Store;
use crate::audit::{self, AuditEntry};
use crate::error::StoreError;
use crate::history::{self, Event};
use crate::scope::{ensure_visible, require};
use crate::{consents, documents, households, persons, subject_rights};

/// The person's household, without the other members (their data are theirs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct HouseholdSummary {
    pub id: Uuid,
    pub registration_number: RegistrationNumber,
    pub kind: GroupKind,
    pub size: u32,
    pub registration_level: RegistrationLevel,
    /// The person's relationship to the head.
    pub relationship: Relationship,
    #[serde(flatten)]
    pub basis: ProcessingBasis,
}

/// Everything Passage holds about one person.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PersonExport {
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub generated_at: OffsetDateTime,
    pub person: Person,
    pub household: Option<HouseholdSummary>,
    pub documents: Vec<Document>,
    pub consents: Vec<Consent>,
    pub data_subject_requests: Vec<DataSubjectRequest>,
    pub legal_hold: Option<LegalHold>,
    /// Protection screenings, with the answers given.
    pub screenings: Vec<passage_domain::protection::records::Screening>,
    pub specific_needs: Vec<passage_domain::protection::needs::SpecificNeed>,
    /// Cases of every procedure, with each step and its reason.
    pub cases: Vec<passage_domain::protection::records::Case>,
    /// Every recorded change of the person and their documents, oldest first.
    pub history: Vec<Event>,
    /// Who saw or changed the person, their documents, consents and requests, oldest first.
    pub audit: Vec<AuditEntry>,
}

async fn documents_of(c: &mut AnyConnection, person_id: Uuid) -> Result<Vec<Document>, StoreError> {
    let sql = format!(
        "SELECT {} FROM documents WHERE person_id = $1 ORDER BY id",
        documents::COLUMNS
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(person_id.to_string())
        .fetch_all(c)
        .await?;
    rows.iter().map(documents::decode).collect()
}

async fn requests_of(
    c: &mut AnyConnection,
    person_id: Uuid,
    at: OffsetDateTime,
) -> Result<Vec<DataSubjectRequest>, StoreError> {
    let sql = format!(
        "SELECT {} FROM data_subject_requests WHERE person_id = $1 ORDER BY id",
        subject_rights::COLUMNS
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(person_id.to_string())
        .fetch_all(c)
        .await?;
    rows.iter().map(|r| subject_rights::decode(r, at)).collect()
}

impl Store {
    /// Everything held about a person the caller can see; None when missing or hidden.
    /// Logged to the audit log as an export.
    pub async fn export_person(
        &self,
        p: &Principal,
        id: Uuid,
    ) -> Result<Option<PersonExport>, StoreError> {
        let scope = require(p, Action::Export, Resource::Person)?;
        let mut conn = self.read.acquire().await?;
        match ensure_visible(&mut conn, "persons", "person", id, scope, p).await {
            Ok(()) => {}
            Err(StoreError::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e),
        }
        let person = persons::fetch(&mut conn, id).await?;
        let household = households::fetch(&mut conn, person.household_id)
            .await?
            .map(|h| HouseholdSummary {
                id: h.meta.id,
                registration_number: h.registration_number,
                kind: h.kind,
                size: h.size,
                registration_level: h.registration_level,
                relationship: person.relationship,
                basis: h.basis,
            });
        let documents = documents_of(&mut conn, id).await?;
        let consents = consents::of_person(&mut conn, id).await?;
        let data_subject_requests = requests_of(&mut conn, id, p.at).await?;
        let legal_hold = subject_rights::hold_of(&mut conn, id).await?;
        let (screenings, specific_needs, cases) =
            crate::protection::of_person(&mut conn, id).await?;
        let mut records = vec![id.to_string()];
        records.extend(documents.iter().map(|d| d.meta.id.to_string()));
        let history = history::of_records(&mut conn, &records).await?;
        records.extend(consents.iter().map(|c| c.meta.id.to_string()));
        records.extend(data_subject_requests.iter().map(|r| r.meta.id.to_string()));
        let audit = audit::of_records(&mut conn, &records).await?;
        drop(conn);
        let export = PersonExport {
            generated_at: p.at,
            person,
            household,
            documents,
            consents,
            data_subject_requests,
            legal_hold,
            screenings,
            specific_needs,
            cases,
            history,
            audit,
        };
        let detail = serde_json::json!({
            "documents": export.documents.len(),
            "consents": export.consents.len(),
            "data_subject_requests": export.data_subject_requests.len(),
            "audit_entries": export.audit.len(),
        });
        self.record_audit(vec![AuditEntry::by(
            p,
            Action::Export,
            Resource::Person,
            Some(id.to_string()),
            detail,
        )])
        .await?;
        Ok(Some(export))
    }
}
