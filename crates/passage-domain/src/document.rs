//! Identity and travel documents, and what their machine-readable zone says about them.

use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use crate::codes::{Country, Nationality};
use crate::error::{Problems, ValidationErrors};
use crate::mrz::{self, CheckField, Declared, Mismatch, Mrz, MrzFormat};
use crate::person::{PersonDetails, Sex};
use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    Passport,
    NationalIdCard,
    Visa,
    RefugeeTravelDocument,
    RefugeeIdCard,
    BirthCertificate,
    ResidencePermit,
    Other,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 8] = [
        Self::Passport,
        Self::NationalIdCard,
        Self::Visa,
        Self::RefugeeTravelDocument,
        Self::RefugeeIdCard,
        Self::BirthCertificate,
        Self::ResidencePermit,
        Self::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Passport => "passport",
            Self::NationalIdCard => "national_id_card",
            Self::Visa => "visa",
            Self::RefugeeTravelDocument => "refugee_travel_document",
            Self::RefugeeIdCard => "refugee_id_card",
            Self::BirthCertificate => "birth_certificate",
            Self::ResidencePermit => "residence_permit",
            Self::Other => "other",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// What a client sends to record a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentDetails {
    pub kind: DocumentKind,
    /// Taken from the MRZ when left out.
    pub number: Option<String>,
    /// Taken from the MRZ when left out.
    pub issuing_state: Option<Country>,
    #[schema(value_type = Option<String>, format = Date)]
    pub expiry_date: Option<Date>,
    /// The machine-readable zone as printed, lines separated by newlines.
    #[schema(
        example = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
    )]
    pub mrz: Option<String>,
    /// Keep a document whose MRZ fails its check digits (a damaged or worn document);
    /// without this such an MRZ is refused so that a typing error can be corrected.
    #[serde(default)]
    pub accept_damaged_mrz: bool,
}

/// The result of reading a document's MRZ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MrzVerification {
    pub format: MrzFormat,
    /// Every check digit matched.
    pub valid: bool,
    pub failed_checks: Vec<CheckField>,
    /// Where the document disagrees with what the person declared.
    pub mismatches: Vec<Mismatch>,
    pub document_number: String,
    pub issuing_state: String,
    pub nationality: String,
    pub primary_identifier: String,
    pub secondary_identifier: String,
    #[schema(value_type = Option<String>, format = Date)]
    pub birth_date: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    pub expiry_date: Option<Date>,
}

fn declared_sex(sex: Sex) -> Option<char> {
    match sex {
        Sex::F => Some('F'),
        Sex::M => Some('M'),
        Sex::X => Some('X'),
        Sex::U => None,
    }
}

/// Reads an MRZ and compares it with what the person declared.
pub fn verify_mrz(
    text: &str,
    today: Date,
    person: Option<&PersonDetails>,
) -> Result<(Mrz, MrzVerification), mrz::MrzError> {
    let m = mrz::parse(text, today)?;
    let mismatches = match person {
        Some(p) => {
            let nationality = p.nationalities.iter().find_map(|n| match n {
                Nationality::Country(c) => Some(c.as_str().to_owned()),
                Nationality::Stateless => Some("XXA".to_owned()),
                Nationality::Unknown => None,
            });
            // A person with a single name (common among Rohingya, Burmese and Indonesian
            // people) has it printed as the MRZ's primary identifier, with no given name.
            let single_name = p.family_name.is_none() && m.secondary_identifier.is_empty();
            let (family_name, given_name) = if single_name {
                (p.given_name.as_deref(), None)
            } else {
                (p.family_name.as_deref(), p.given_name.as_deref())
            };
            let declared = Declared {
                family_name,
                given_name,
                sex: declared_sex(p.sex),
                birth_date: p
                    .date_of_birth
                    .filter(|d| d.precision == crate::age::DobPrecision::Exact)
                    .map(|d| d.date),
                nationality: nationality.as_deref(),
            };
            mrz::compare(&m, &declared)
        }
        None => Vec::new(),
    };
    let verification = MrzVerification {
        format: m.format,
        valid: m.is_valid(),
        failed_checks: m.failed_checks(),
        mismatches,
        document_number: m.document_number.clone(),
        issuing_state: m.issuing_state.clone(),
        nationality: m.nationality.clone(),
        primary_identifier: m.primary_identifier.clone(),
        secondary_identifier: m.secondary_identifier.clone(),
        birth_date: m.birth_date,
        expiry_date: m.expiry_date,
    };
    Ok((m, verification))
}

/// A document ready to store, with the MRZ verification when it had one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDocument {
    pub details: DocumentDetails,
    pub verification: Option<MrzVerification>,
}

fn check_name(field: CheckField) -> &'static str {
    match field {
        CheckField::DocumentNumber => "document number",
        CheckField::BirthDate => "date of birth",
        CheckField::ExpiryDate => "expiry date",
        CheckField::OptionalData => "optional data",
        CheckField::Composite => "composite",
    }
}

impl DocumentDetails {
    /// Cleans the document, reads and verifies its MRZ against `person`, and fills number,
    /// issuing state and expiry from the MRZ where they were left out. An MRZ with a failing
    /// check digit is refused unless `accept_damaged_mrz` is set; a number or issuing state
    /// that contradicts the MRZ is refused.
    pub fn validated(
        self,
        today: Date,
        person: Option<&PersonDetails>,
    ) -> Result<ValidDocument, ValidationErrors> {
        let mut p = Problems::new();
        let mut number = self
            .number
            .as_deref()
            .and_then(text::clean)
            .map(|n| n.to_uppercase());
        if number.as_ref().is_some_and(|n| n.chars().count() > 40) {
            p.add("number", "longer than 40 characters");
        }
        let mut issuing_state = self.issuing_state;
        let mut expiry_date = self.expiry_date;
        let mut verification = None;
        let mrz_text = self
            .mrz
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned);
        if let Some(text) = &mrz_text {
            match verify_mrz(text, today, person) {
                Err(e) => p.add("mrz", e.to_string()),
                Ok((m, v)) => {
                    if !v.valid && !self.accept_damaged_mrz {
                        for c in m.checks.iter().filter(|c| !c.valid) {
                            p.add(
                                "mrz",
                                format!(
                                    "the {} check digit is '{}' but the data gives '{}'; correct the typing, or set accept_damaged_mrz for a damaged document",
                                    check_name(c.field),
                                    c.found,
                                    c.expected
                                ),
                            );
                        }
                    }
                    match &number {
                        Some(n) if !m.document_number.is_empty() && *n != m.document_number => p
                            .add(
                                "number",
                                format!(
                                    "{n} differs from the MRZ document number {}",
                                    m.document_number
                                ),
                            ),
                        Some(_) => {}
                        None => {
                            number =
                                (!m.document_number.is_empty()).then(|| m.document_number.clone())
                        }
                    }
                    // Germany is the one state printed with a one-letter code.
                    let mrz_state = if m.issuing_state == "D" {
                        "DEU".to_owned()
                    } else {
                        m.issuing_state.clone()
                    };
                    match &issuing_state {
                        Some(s) if s.as_str() != mrz_state => p.add(
                            "issuing_state",
                            format!("{s} differs from the MRZ issuing state {}", m.issuing_state),
                        ),
                        Some(_) => {}
                        None => issuing_state = Country::try_from(mrz_state).ok(),
                    }
                    expiry_date = expiry_date.or(m.expiry_date);
                    verification = Some(v);
                }
            }
        }
        if number.is_none() && mrz_text.is_none() {
            p.add("number", "a document needs a number or an MRZ");
        }
        p.finish(ValidDocument {
            details: DocumentDetails {
                number,
                issuing_state,
                expiry_date,
                mrz: mrz_text,
                ..self
            },
            verification,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::person::PersonDetails;
    use time::macros::date;

    /// A TD3 MRZ for a passport holder with one name only.
    fn single_name_mrz() -> String {
        let line1 = format!("{:<<44}", "P<IDNSUPRIADI");
        let number = "C1234567<";
        let birth = "900101";
        let expiry = "300101";
        let digit = |s: &str| mrz::check_digit(s).unwrap_or('0');
        let optional = "<<<<<<<<<<<<<<";
        let body = format!(
            "{number}{}IDN{birth}{}M{expiry}{}{optional}{}",
            digit(number),
            digit(birth),
            digit(expiry),
            digit(optional)
        );
        let composite_source = format!("{}{}{}", &body[0..10], &body[13..20], &body[21..43]);
        format!("{line1}\n{body}{}", digit(&composite_source))
    }

    #[test]
    fn a_single_name_matches_the_primary_identifier() {
        let person = PersonDetails::named("Supriadi", Sex::M);
        let (_, v) = verify_mrz(&single_name_mrz(), date!(2026 - 11 - 27), Some(&person)).unwrap();
        assert!(v.valid, "{v:?}");
        assert!(v.mismatches.is_empty(), "{:?}", v.mismatches);
        let other = PersonDetails::named("Suparman", Sex::M);
        let (_, v) = verify_mrz(&single_name_mrz(), date!(2026 - 11 - 27), Some(&other)).unwrap();
        assert_eq!(v.mismatches.len(), 1, "{:?}", v.mismatches);
    }
}
