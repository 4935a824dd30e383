//! What an accepted referral shares with the receiving organisation: exactly the fields
//! its service needs ([`Service::shared_fields`]), nothing else, and only while the
//! consent the service needs is in force. Before it accepts, the receiving organisation
//! sees what it needs to decide (service, urgency, due time, who refers), never who the
//! person is.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use super::needs::NeedCode;
use super::referral::{Referral, ReferralStatus, Service, SharedField};
use crate::age::DateOfBirth;
use crate::codes::{Language, Nationality};
use crate::data_protection::{Consent, consent_in_force};
use crate::person::{Contact, OriginalName, PersonDetails, Sex};

/// The consent a service needs is not in force for the recipient (never given, withdrawn
/// or ended).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "consent for {scope} referrals to organisation {recipient} is not in force (withdrawn or ended): \
     nothing about the person goes to that organisation until they consent again"
)]
pub struct ConsentGone {
    pub scope: &'static str,
    pub recipient: Uuid,
}

/// Whether the consent `service` needs (if any) lets the person's data go to `recipient`
/// at `at`.
pub fn check_consent(
    service: Service,
    recipient: Uuid,
    consents: &[Consent],
    at: OffsetDateTime,
) -> Result<(), ConsentGone> {
    match service.consent_scope() {
        Some(scope) if !consent_in_force(consents, recipient, scope, at) => Err(ConsentGone {
            scope: scope.code(),
            recipient,
        }),
        _ => Ok(()),
    }
}

/// Why the receiving organisation does not see the person behind a referral.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Withheld {
    #[error("referral {id} is {status}: the person's details are shared once it is accepted")]
    NotAccepted { id: Uuid, status: &'static str },
    #[error(transparent)]
    Consent(#[from] ConsentGone),
}

/// Whether the receiving organisation of `r` sees the person at `at`: once it has
/// accepted the referral (accepted or completed), and, for a service that needs consent,
/// only while the person's consent to that organisation is in force.
pub fn recipient_sees_person(
    r: &Referral,
    consents: &[Consent],
    at: OffsetDateTime,
) -> Result<(), Withheld> {
    let accepted = matches!(
        r.status,
        ReferralStatus::Accepted | ReferralStatus::Completed
    );
    let (true, Some(recipient)) = (accepted, r.recipient_id) else {
        return Err(Withheld::NotAccepted {
            id: r.meta.id,
            status: r.status.code(),
        });
    };
    Ok(check_consent(r.service, recipient, consents, at)?)
}

/// A referral as its receiving organisation reads it. While it may not see the person
/// ([`recipient_sees_person`]), the person's id, the reason in words (which may describe
/// them) and the screening it came from are withheld: what is left is what a decision
/// needs.
pub fn as_received(r: Referral, sees_person: bool) -> Referral {
    if sees_person {
        return r;
    }
    Referral {
        person_id: None,
        reason: None,
        screening_id: None,
        ..r
    }
}

/// A person as a receiving organisation sees them through one referral. Fields the
/// service does not need are absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SharedPerson {
    pub referral_id: Uuid,
    pub service: Service,
    pub fields: Vec<SharedField>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_name: Option<OriginalName>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<DateOfBirth>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nationalities: Option<Vec<Nationality>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub languages: Option<Vec<Language>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place_of_origin: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub needs: Vec<NeedCode>,
}

impl SharedPerson {
    /// The name to show, when the service shares names.
    pub fn display_name(&self) -> Option<String> {
        let latin: Vec<&str> = [self.given_name.as_deref(), self.family_name.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if !latin.is_empty() {
            return Some(latin.join(" "));
        }
        self.original_name.as_ref().map(|o| o.text.clone())
    }
}

/// The view of `person` and their active `needs` that `service` may have.
pub fn shared_view(
    referral_id: Uuid,
    service: Service,
    person: &PersonDetails,
    needs: &[NeedCode],
) -> SharedPerson {
    let fields = service.shared_fields();
    let has = |f: SharedField| fields.contains(&f);
    let names = has(SharedField::Names);
    SharedPerson {
        referral_id,
        service,
        fields: fields.to_vec(),
        given_name: names.then(|| person.given_name.clone()).flatten(),
        family_name: names.then(|| person.family_name.clone()).flatten(),
        original_name: names.then(|| person.original_name.clone()).flatten(),
        sex: has(SharedField::Sex).then_some(person.sex),
        date_of_birth: has(SharedField::DateOfBirth)
            .then_some(person.date_of_birth)
            .flatten(),
        nationalities: has(SharedField::Nationalities).then(|| person.nationalities.clone()),
        languages: has(SharedField::Languages).then(|| person.languages.clone()),
        place_of_origin: has(SharedField::PlaceOfOrigin)
            .then(|| person.place_of_origin.clone())
            .flatten(),
        contact: has(SharedField::Contact)
            .then(|| person.contact.clone())
            .flatten(),
        needs: needs
            .iter()
            .filter(|c| fields.iter().any(|f| f.carries(c)))
            .cloned()
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;
    use crate::data_protection::ConsentScope;
    use crate::protection::referral::Urgency;
    use crate::record::Meta;

    const NOW: OffsetDateTime = datetime!(2026-11-27 10:00 UTC);
    const RECIPIENT: Uuid = Uuid::from_u128(7);

    fn referral(service: Service, status: ReferralStatus) -> Referral {
        let meta = Meta {
            id: Uuid::from_u128(3),
            version: 2,
            created_at: NOW,
            updated_at: NOW,
        };
        Referral {
            meta,
            person_id: Some(Uuid::from_u128(2)),
            organisation_id: Some(Uuid::from_u128(1)),
            recipient_id: Some(RECIPIENT),
            service,
            urgency: Urgency::Urgent,
            reason: Some("Amina, recruited with a false job offer".into()),
            status,
            due_at: NOW,
            overdue: false,
            consent_required: service.consent_scope(),
            screening_id: Some(Uuid::from_u128(4)),
            decline_reason: None,
            created_by: "officer".into(),
        }
    }

    fn consent(withdrawn_at: Option<OffsetDateTime>) -> Consent {
        Consent {
            meta: Meta {
                id: Uuid::from_u128(5),
                version: 1,
                created_at: NOW,
                updated_at: NOW,
            },
            person_id: Uuid::from_u128(2),
            recipient_id: RECIPIENT,
            scope: ConsentScope::Trafficking,
            description: None,
            given_at: NOW - time::Duration::days(1),
            recorded_by: "officer".into(),
            withdrawn_at,
            withdrawn_by: withdrawn_at.map(|_| "officer".into()),
        }
    }

    #[test]
    fn the_recipient_sees_the_person_once_accepted_and_while_consent_holds() {
        let sent = referral(Service::AntiTrafficking, ReferralStatus::Sent);
        let given = [consent(None)];
        assert!(matches!(
            recipient_sees_person(&sent, &given, NOW),
            Err(Withheld::NotAccepted { .. })
        ));
        let accepted = referral(Service::AntiTrafficking, ReferralStatus::Accepted);
        assert_eq!(recipient_sees_person(&accepted, &given, NOW), Ok(()));
        let withdrawn = [consent(Some(NOW))];
        let gone = recipient_sees_person(&accepted, &withdrawn, NOW).unwrap_err();
        assert_eq!(
            gone,
            Withheld::Consent(ConsentGone {
                scope: "trafficking",
                recipient: RECIPIENT
            })
        );
        let health = referral(Service::Health, ReferralStatus::Completed);
        assert_eq!(recipient_sees_person(&health, &[], NOW), Ok(()));
    }

    #[test]
    fn before_that_the_referral_says_what_a_decision_needs_and_nothing_of_who() {
        let sent = referral(Service::AntiTrafficking, ReferralStatus::Sent);
        let seen = as_received(sent.clone(), false);
        assert_eq!(
            (seen.person_id, seen.reason, seen.screening_id),
            (None, None, None)
        );
        assert_eq!(
            (
                seen.meta,
                seen.service,
                seen.urgency,
                seen.due_at,
                seen.status
            ),
            (
                sent.meta.clone(),
                sent.service,
                sent.urgency,
                sent.due_at,
                sent.status
            )
        );
        assert_eq!(as_received(sent.clone(), true), sent);
    }
}
