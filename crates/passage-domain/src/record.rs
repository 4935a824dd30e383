//! Stored records as clients read them: an id, a version for optimistic concurrency,
//! timestamps, and the details that were registered.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::arrival::ArrivalDetails;
use crate::data_protection::ProcessingBasis;
use crate::document::{DocumentDetails, MrzVerification};
use crate::household::{Breakdown, GroupKind, Relationship};
use crate::person::{PersonDetails, PersonStatus, RegistrationLevel};
use crate::regno::RegistrationNumber;
use crate::site::SiteDetails;

/// Fields every stored record carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Meta {
    pub id: Uuid,
    /// Increases by one with every change; send it back with an update.
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Site {
    #[serde(flatten)]
    pub meta: Meta,
    pub details: SiteDetails,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Arrival {
    #[serde(flatten)]
    pub meta: Meta,
    pub details: ArrivalDetails,
}

/// A member of a household as the household lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MemberSummary {
    pub person_id: Uuid,
    pub registration_number: RegistrationNumber,
    pub relationship: Relationship,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Household {
    #[serde(flatten)]
    pub meta: Meta,
    pub registration_number: RegistrationNumber,
    pub arrival_id: Uuid,
    pub site_id: Uuid,
    pub kind: GroupKind,
    pub size: u32,
    pub breakdown: Breakdown,
    pub registration_level: RegistrationLevel,
    pub head_person_id: Uuid,
    /// Members registered as individuals, head first.
    pub members: Vec<MemberSummary>,
    /// Legal basis and purposes of the registration.
    #[serde(flatten)]
    pub basis: ProcessingBasis,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Person {
    #[serde(flatten)]
    pub meta: Meta,
    pub registration_number: RegistrationNumber,
    pub household_id: Uuid,
    pub site_id: Uuid,
    pub relationship: Relationship,
    pub registration_level: RegistrationLevel,
    pub status: PersonStatus,
    pub details: PersonDetails,
    /// Legal basis and purposes of the registration, the household's.
    #[serde(flatten)]
    pub basis: ProcessingBasis,
    /// When the record was anonymised (erasure or retention); names and contact are gone.
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub anonymised_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Document {
    #[serde(flatten)]
    pub meta: Meta,
    pub person_id: Uuid,
    pub details: DocumentDetails,
    pub verification: Option<MrzVerification>,
}
