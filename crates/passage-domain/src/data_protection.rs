//! Data protection as enforceable rules: the legal basis and purposes of each registration,
//! consent per recipient, data-sharing agreements ([`agreement`]), data-subject requests
//! and legal holds ([`subject`]), retention periods and anonymisation ([`retention`]).
//!
//! Pure like the rest of the domain: whatever depends on the time takes it as a parameter.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{Problems, ValidationErrors};
use crate::record::Meta;
use crate::text::{self, MAX_TEXT};

/// An enum that travels as a snake_case code, with `ALL`, `code` and `from_code`.
macro_rules! coded {
    ($(#[$m:meta])* pub enum $name:ident { $($(#[$vm:meta])* $variant:ident => $code:literal,)+ }) => {
        $(#[$m])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
        )]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vm])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            pub fn from_code(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == s)
            }
        }
    };
}

pub mod agreement;
pub mod retention;
pub mod subject;

coded! {
    /// Why Passage may hold a person's data at all (UNHCR and IOM data-protection policies).
    pub enum LegalBasis {
        /// The person agreed, freely and informed.
        Consent => "consent",
        /// Needed to protect the life, integrity, health, dignity or security of the person
        /// or of another.
        VitalInterest => "vital_interest",
        /// The best interests of a child, where the child cannot consent.
        BestInterestOfTheChild => "best_interest_of_the_child",
        /// The mandate of the organisation (international protection, assistance).
        Mandate => "mandate",
        /// A law the organisation must follow.
        LegalObligation => "legal_obligation",
    }
}

coded! {
    /// What personal data are processed for. Each purpose has its own retention period.
    pub enum Purpose {
        Registration => "registration",
        RefugeeStatusDetermination => "refugee_status_determination",
        ChildProtection => "child_protection",
        AntiTrafficking => "anti_trafficking",
        Assistance => "assistance",
        Return => "return",
    }
}

/// The legal basis of a registration when the client does not give one: registration at a
/// border is done under the mandate of the registering organisation.
pub const DEFAULT_LEGAL_BASIS: LegalBasis = LegalBasis::Mandate;

/// The purposes of a registration when the client does not give them.
pub const DEFAULT_PURPOSES: [Purpose; 1] = [Purpose::Registration];

/// The purposes a client sent, checked: absent means [`DEFAULT_PURPOSES`]; an empty list is
/// refused (data held for no purpose may not be held); repeats are dropped; sorted.
pub fn validated_purposes(purposes: Option<Vec<Purpose>>) -> Result<Vec<Purpose>, String> {
    let Some(mut purposes) = purposes else {
        return Ok(DEFAULT_PURPOSES.to_vec());
    };
    if purposes.is_empty() {
        return Err("name at least one purpose, or leave purposes out for [registration]".into());
    }
    purposes.sort();
    purposes.dedup();
    Ok(purposes)
}

/// The legal basis and purposes of a registration, with who recorded them and when; shown
/// on households and on each of their members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ProcessingBasis {
    pub legal_basis: LegalBasis,
    pub purposes: Vec<Purpose>,
    /// The user who recorded the basis; absent for registrations made before it was kept.
    pub basis_recorded_by: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub basis_recorded_at: OffsetDateTime,
}

coded! {
    /// What a consent to share is about: the referrals that need it.
    pub enum ConsentScope {
        /// Referral to sexual and gender-based violence services.
        Sgbv => "sgbv",
        /// Referral to anti-trafficking services.
        Trafficking => "trafficking",
        /// Family tracing.
        Tracing => "tracing",
        /// Referral to services for survivors of torture.
        Torture => "torture",
        /// Anything else; `description` says what.
        Other => "other",
    }
}

/// What a client sends to record that a person consented to sharing with a recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentDetails {
    /// The organisation the person agreed to their data going to.
    pub recipient_id: Uuid,
    pub scope: ConsentScope,
    /// What was agreed, in the words used; required for scope `other`.
    pub description: Option<String>,
    /// When the person gave consent; now when left out. Never in the future.
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub given_at: Option<OffsetDateTime>,
}

/// A consent that passed every check, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidConsent {
    pub recipient_id: Uuid,
    pub scope: ConsentScope,
    pub description: Option<String>,
    pub given_at: OffsetDateTime,
}

impl ConsentDetails {
    pub fn validated(self, now: OffsetDateTime) -> Result<ValidConsent, ValidationErrors> {
        let mut p = Problems::new();
        let description = self.description.as_deref().and_then(text::clean);
        if description
            .as_ref()
            .is_some_and(|d| d.chars().count() > MAX_TEXT)
        {
            p.add("description", format!("longer than {MAX_TEXT} characters"));
        }
        if self.scope == ConsentScope::Other && description.is_none() {
            p.add(
                "description",
                "say what the person agreed to for scope other",
            );
        }
        let given_at = self.given_at.unwrap_or(now);
        if given_at > now {
            p.add("given_at", "is in the future");
        }
        p.finish(ValidConsent {
            recipient_id: self.recipient_id,
            scope: self.scope,
            description,
            given_at,
        })
    }
}

/// A person's consent to sharing with one recipient, for one scope, until withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Consent {
    #[serde(flatten)]
    pub meta: Meta,
    pub person_id: Uuid,
    pub recipient_id: Uuid,
    pub scope: ConsentScope,
    pub description: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub given_at: OffsetDateTime,
    /// The user who recorded it.
    pub recorded_by: String,
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub withdrawn_at: Option<OffsetDateTime>,
    /// The user who recorded the withdrawal.
    pub withdrawn_by: Option<String>,
}

impl Consent {
    /// True when this consent covers `recipient` and `scope` at `at`: given by then and not
    /// withdrawn by then.
    pub fn covers(&self, recipient: Uuid, scope: ConsentScope, at: OffsetDateTime) -> bool {
        self.recipient_id == recipient
            && self.scope == scope
            && self.given_at <= at
            && self.withdrawn_at.is_none_or(|w| w > at)
    }
}

/// True when one of a person's `consents` lets their data go to `recipient` for `scope`
/// at `at`. Referrals for SGBV, trafficking and tracing are refused when this is false.
pub fn consent_in_force(
    consents: &[Consent],
    recipient: Uuid,
    scope: ConsentScope,
    at: OffsetDateTime,
) -> bool {
    consents.iter().any(|c| c.covers(recipient, scope, at))
}

/// Cleans an optional free-text field: trimmed, NFC, at most [`MAX_TEXT`] characters.
pub(crate) fn clean_text(p: &mut Problems, field: &str, v: Option<&str>) -> Option<String> {
    let v = v.and_then(text::clean);
    if v.as_ref().is_some_and(|s| s.chars().count() > MAX_TEXT) {
        p.add(field, format!("longer than {MAX_TEXT} characters"));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-27 10:00 UTC);

    fn consent(
        recipient: u128,
        scope: ConsentScope,
        given: i64,
        withdrawn: Option<i64>,
    ) -> Consent {
        Consent {
            meta: Meta {
                id: Uuid::from_u128(99),
                version: 1,
                created_at: NOW,
                updated_at: NOW,
            },
            person_id: Uuid::from_u128(1),
            recipient_id: Uuid::from_u128(recipient),
            scope,
            description: None,
            given_at: NOW + Duration::days(given),
            recorded_by: "clerk".into(),
            withdrawn_at: withdrawn.map(|d| NOW + Duration::days(d)),
            withdrawn_by: withdrawn.map(|_| "clerk".into()),
        }
    }

    #[test]
    fn consent_is_in_force_from_given_until_withdrawn() {
        let r = Uuid::from_u128(2);
        let c = [consent(2, ConsentScope::Sgbv, -10, Some(5))];
        assert!(!consent_in_force(
            &c,
            r,
            ConsentScope::Sgbv,
            NOW - Duration::days(11)
        ));
        assert!(consent_in_force(
            &c,
            r,
            ConsentScope::Sgbv,
            NOW - Duration::days(10)
        ));
        assert!(consent_in_force(&c, r, ConsentScope::Sgbv, NOW));
        assert!(!consent_in_force(
            &c,
            r,
            ConsentScope::Sgbv,
            NOW + Duration::days(5)
        ));
        assert!(!consent_in_force(&[], r, ConsentScope::Sgbv, NOW));
    }

    #[test]
    fn consent_covers_one_recipient_and_one_scope() {
        let c = [consent(2, ConsentScope::Tracing, -1, None)];
        assert!(consent_in_force(
            &c,
            Uuid::from_u128(2),
            ConsentScope::Tracing,
            NOW
        ));
        assert!(!consent_in_force(
            &c,
            Uuid::from_u128(3),
            ConsentScope::Tracing,
            NOW
        ));
        assert!(!consent_in_force(
            &c,
            Uuid::from_u128(2),
            ConsentScope::Trafficking,
            NOW
        ));
    }

    #[test]
    fn a_withdrawn_consent_given_again_is_in_force() {
        let c = [
            consent(2, ConsentScope::Trafficking, -10, Some(-5)),
            consent(2, ConsentScope::Trafficking, -2, None),
        ];
        let r = Uuid::from_u128(2);
        assert!(!consent_in_force(
            &c,
            r,
            ConsentScope::Trafficking,
            NOW - Duration::days(3)
        ));
        assert!(consent_in_force(&c, r, ConsentScope::Trafficking, NOW));
    }

    #[test]
    fn consent_details_are_checked() {
        let d = ConsentDetails {
            recipient_id: Uuid::from_u128(2),
            scope: ConsentScope::Other,
            description: Some("  ".into()),
            given_at: Some(NOW + Duration::hours(1)),
        };
        let err = d.validated(NOW).unwrap_err();
        let fields: Vec<&str> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["description", "given_at"]);
        let ok = ConsentDetails {
            recipient_id: Uuid::from_u128(2),
            scope: ConsentScope::Sgbv,
            description: None,
            given_at: None,
        }
        .validated(NOW)
        .unwrap();
        assert_eq!(ok.given_at, NOW);
    }

    #[test]
    fn purposes_default_to_registration_and_may_not_be_empty() {
        assert_eq!(validated_purposes(None).unwrap(), [Purpose::Registration]);
        assert!(validated_purposes(Some(Vec::new())).is_err());
        assert_eq!(
            validated_purposes(Some(vec![
                Purpose::Return,
                Purpose::Assistance,
                Purpose::Return
            ]))
            .unwrap(),
            [Purpose::Assistance, Purpose::Return]
        );
    }

    #[test]
    fn codes_are_the_serde_names() {
        fn check<T: Serialize>(v: T, code: &str) {
            assert_eq!(serde_json::to_value(v).unwrap(), serde_json::json!(code));
        }
        for b in LegalBasis::ALL {
            check(b, b.code());
            assert_eq!(LegalBasis::from_code(b.code()), Some(*b));
        }
        for p in Purpose::ALL {
            check(p, p.code());
        }
        for s in ConsentScope::ALL {
            check(s, s.code());
        }
        for k in subject::RequestKind::ALL {
            check(k, k.code());
        }
        for s in subject::RequestStatus::ALL {
            check(s, s.code());
        }
        for c in agreement::DataCategory::ALL {
            check(c, c.code());
        }
    }
}
