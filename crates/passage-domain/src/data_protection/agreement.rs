//! Data-sharing agreements as records: which organisation's registrations another may see,
//! for what purpose, which categories of data and which fields, from when until when.
//!
//! An agreement in force makes the provider's personal records visible to the recipient.
//! It is recorded by the provider (only an organisation's own records can be shared) and
//! never names a recipient that is an authority of a country people fled.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{Purpose, clean_text};
use crate::error::{Problems, ValidationErrors};
use crate::record::Meta;

coded! {
    /// Groups of personal data an agreement covers.
    pub enum DataCategory {
        /// Names, sex, date of birth, registration number.
        Identity => "identity",
        /// Nationality, languages, place of origin, population type.
        Biographic => "biographic",
        /// Phone and address.
        Contact => "contact",
        /// Identity and travel documents.
        Documents => "documents",
        /// Household composition and counts.
        Household => "household",
        /// Specific needs and profile flags (unaccompanied child, presumed trafficking victim).
        SpecificNeeds => "specific_needs",
    }
}

/// Every field an agreement may list: the person's registration details, their household's
/// and their documents'. Biometric data are never shared and are not listed.
pub const SHAREABLE_FIELDS: &[&str] = &[
    "registration_number",
    "given_name",
    "family_name",
    "other_names",
    "aliases",
    "original_name",
    "sex",
    "date_of_birth",
    "nationalities",
    "languages",
    "place_of_origin",
    "contact",
    "population_type",
    "profile_flags",
    "status",
    "household.registration_number",
    "household.kind",
    "household.size",
    "household.breakdown",
    "household.relationship",
    "documents.kind",
    "documents.number",
    "documents.issuing_state",
    "documents.expiry_date",
];

/// Longest field list an agreement may carry.
const MAX_FIELDS: usize = 64;

/// What a client sends to record an agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SharingAgreementDetails {
    /// The organisation whose registrations are shared: the caller's own.
    pub provider_id: Uuid,
    pub recipient_id: Uuid,
    pub purpose: Purpose,
    pub data_categories: Vec<DataCategory>,
    /// The fields shared, from the allow-list (`given_name`, `household.size`,
    /// `documents.number`, …).
    pub fields: Vec<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub valid_from: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: OffsetDateTime,
    /// The reference of the signed agreement.
    pub reference: Option<String>,
}

impl SharingAgreementDetails {
    /// Checks the agreement on its own: two different organisations, an expiry after the
    /// start and not already past, at least one category, at least one field and only
    /// fields of the allow-list. Categories and fields are deduplicated.
    pub fn validated(self, now: OffsetDateTime) -> Result<Self, ValidationErrors> {
        let mut p = Problems::new();
        if self.provider_id == self.recipient_id {
            p.add(
                "recipient_id",
                "is the provider: an organisation sees its own records without an agreement",
            );
        }
        if self.expires_at <= self.valid_from {
            p.add("expires_at", "must be after valid_from");
        } else if self.expires_at <= now {
            p.add("expires_at", "is already past");
        }
        let mut data_categories = self.data_categories;
        data_categories.sort();
        data_categories.dedup();
        if data_categories.is_empty() {
            p.add("data_categories", "name at least one category of data");
        }
        if self.fields.is_empty() {
            p.add("fields", "list at least one field");
        } else if self.fields.len() > MAX_FIELDS {
            p.add("fields", format!("more than {MAX_FIELDS} entries"));
        }
        let mut fields: Vec<String> = Vec::with_capacity(self.fields.len());
        for (i, f) in self.fields.iter().enumerate() {
            let f = f.trim();
            if !SHAREABLE_FIELDS.contains(&f) {
                p.add(
                    format!("fields[{i}]"),
                    format!("'{f}' is not a field that can be shared"),
                );
            } else if !fields.iter().any(|x| x == f) {
                fields.push(f.to_owned());
            }
        }
        let reference = clean_text(&mut p, "reference", self.reference.as_deref());
        p.finish(Self {
            data_categories,
            fields,
            reference,
            ..self
        })
    }
}

/// A recorded data-sharing agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SharingAgreement {
    #[serde(flatten)]
    pub meta: Meta,
    pub details: SharingAgreementDetails,
    /// True when the agreement is in force at the time of the request.
    pub in_force: bool,
    /// The user who recorded it.
    pub created_by: Option<String>,
    /// When it was ended before its expiry, and by whom.
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub ended_at: Option<OffsetDateTime>,
    pub ended_by: Option<String>,
}

/// True when an agreement from `valid_from` to `expires_at` is in force at `at`.
pub fn in_force(
    valid_from: OffsetDateTime,
    expires_at: OffsetDateTime,
    at: OffsetDateTime,
) -> bool {
    valid_from <= at && at < expires_at
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-27 10:00 UTC);

    fn details() -> SharingAgreementDetails {
        SharingAgreementDetails {
            provider_id: Uuid::from_u128(1),
            recipient_id: Uuid::from_u128(2),
            purpose: Purpose::Assistance,
            data_categories: vec![DataCategory::Identity, DataCategory::Identity],
            fields: vec![
                "given_name".into(),
                " household.size ".into(),
                "given_name".into(),
            ],
            valid_from: NOW,
            expires_at: NOW + Duration::days(365),
            reference: Some(" DSA-2026-14 ".into()),
        }
    }

    #[test]
    fn a_valid_agreement_is_cleaned() {
        let a = details().validated(NOW).unwrap();
        assert_eq!(a.data_categories, [DataCategory::Identity]);
        assert_eq!(a.fields, ["given_name", "household.size"]);
        assert_eq!(a.reference.as_deref(), Some("DSA-2026-14"));
    }

    #[test]
    fn every_rule_names_its_field() {
        let a = SharingAgreementDetails {
            recipient_id: Uuid::from_u128(1),
            data_categories: Vec::new(),
            fields: vec!["given_name".into(), "biometrics".into()],
            expires_at: NOW - Duration::days(1),
            ..details()
        };
        let err = a.validated(NOW).unwrap_err();
        let fields: Vec<&str> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["recipient_id", "expires_at", "data_categories", "fields[1]"]
        );
        let empty = SharingAgreementDetails {
            fields: Vec::new(),
            ..details()
        };
        assert_eq!(empty.validated(NOW).unwrap_err().0[0].field, "fields");
        let past = SharingAgreementDetails {
            valid_from: NOW - Duration::days(10),
            expires_at: NOW - Duration::days(1),
            ..details()
        };
        assert_eq!(
            past.validated(NOW).unwrap_err().0[0].message,
            "is already past"
        );
    }

    #[test]
    fn in_force_from_start_until_expiry() {
        let end = NOW + Duration::days(1);
        assert!(in_force(NOW, end, NOW));
        assert!(!in_force(NOW, end, end));
        assert!(!in_force(NOW, end, NOW - Duration::seconds(1)));
    }
}
