use time::macros::datetime;

use super::*;
use crate::data_protection::Consent;

const NOW: OffsetDateTime = datetime!(2026-11-27 10:00 UTC);
const RECIPIENT: Uuid = Uuid::from_u128(7);

fn consent(scope: ConsentScope) -> Consent {
    Consent {
        meta: Meta {
            id: Uuid::from_u128(1),
            version: 1,
            created_at: NOW,
            updated_at: NOW,
        },
        person_id: Uuid::from_u128(2),
        recipient_id: RECIPIENT,
        scope,
        description: None,
        given_at: NOW,
        recorded_by: "officer".into(),
        withdrawn_at: None,
        withdrawn_by: None,
    }
}

fn send(service: Service, consents: &[Consent]) -> Result<ReferralStatus, ReferralError> {
    step(
        ReferralStatus::Proposed,
        ReferralAction::Send,
        None,
        Some(RECIPIENT),
        service,
        consents,
        NOW,
    )
}

#[test]
fn the_rules_file_loads() {
    assert_eq!(rules().len(), 12);
}

#[test]
fn consent_bound_services_need_consent_for_that_recipient() {
    for service in Service::ALL {
        match service.consent_scope() {
            Some(scope) => {
                assert!(matches!(
                    send(service, &[]),
                    Err(ReferralError::NoConsent { .. })
                ));
                assert_eq!(send(service, &[consent(scope)]), Ok(ReferralStatus::Sent));
                let mut elsewhere = consent(scope);
                elsewhere.recipient_id = Uuid::from_u128(8);
                assert!(send(service, &[elsewhere]).is_err(), "{service:?}");
            }
            None => assert_eq!(send(service, &[]), Ok(ReferralStatus::Sent)),
        }
    }
}

#[test]
fn every_step_follows_the_table() {
    let actions = [
        ReferralAction::Send,
        ReferralAction::Accept,
        ReferralAction::Decline,
        ReferralAction::Complete,
        ReferralAction::Cancel,
    ];
    for from in ReferralStatus::ALL {
        for action in actions {
            let expected = REFERRAL_STEPS
                .iter()
                .find(|(f, a, _)| *f == from && *a == action)
                .map(|(_, _, to)| *to);
            let got = step(
                from,
                action,
                Some("no capacity"),
                Some(RECIPIENT),
                Service::Health,
                &[],
                NOW,
            );
            match expected {
                Some(to) => assert_eq!(got, Ok(to), "{from:?} {action:?}"),
                None => {
                    let err = got.unwrap_err();
                    assert!(matches!(err, ReferralError::NotAllowed { .. }));
                    assert!(err.to_string().contains("allowed now"), "{err}");
                }
            }
        }
    }
}

#[test]
fn declining_and_cancelling_need_a_reason_and_sending_a_recipient() {
    let decline = step(
        ReferralStatus::Sent,
        ReferralAction::Decline,
        Some("  "),
        Some(RECIPIENT),
        Service::Health,
        &[],
        NOW,
    );
    assert_eq!(decline, Err(ReferralError::ReasonRequired("decline")));
    let send = step(
        ReferralStatus::Proposed,
        ReferralAction::Send,
        None,
        None,
        Service::Health,
        &[],
        NOW,
    );
    assert_eq!(send, Err(ReferralError::NoRecipient));
}

#[test]
fn an_open_referral_past_due_is_overdue_whatever_its_step() {
    let r = Referral {
        meta: Meta {
            id: Uuid::from_u128(3),
            version: 1,
            created_at: NOW,
            updated_at: NOW,
        },
        person_id: Some(Uuid::from_u128(2)),
        organisation_id: None,
        recipient_id: Some(RECIPIENT),
        service: Service::ChildProtection,
        urgency: Urgency::Urgent,
        reason: Some("child alone".into()),
        status: ReferralStatus::Sent,
        due_at: due_at(NOW, 24),
        overdue: false,
        consent_required: None,
        screening_id: None,
        decline_reason: None,
        created_by: "officer".into(),
    };
    assert!(!r.clone().at(NOW + Duration::hours(23)).overdue);
    assert!(r.clone().at(NOW + Duration::hours(25)).overdue);
    let done = Referral {
        status: ReferralStatus::Completed,
        ..r
    };
    assert!(!done.at(NOW + Duration::hours(25)).overdue);
}

#[test]
fn accepting_checks_again_that_the_consent_is_in_force() {
    let accept = |consents: &[Consent]| {
        step(
            ReferralStatus::Sent,
            ReferralAction::Accept,
            None,
            Some(RECIPIENT),
            Service::AntiTrafficking,
            consents,
            NOW,
        )
    };
    let given = consent(ConsentScope::Trafficking);
    assert_eq!(
        accept(std::slice::from_ref(&given)),
        Ok(ReferralStatus::Accepted)
    );
    let withdrawn = Consent {
        withdrawn_at: Some(NOW),
        withdrawn_by: Some("officer".into()),
        ..given
    };
    let err = accept(&[withdrawn]).unwrap_err();
    assert!(matches!(err, ReferralError::ConsentGone(_)), "{err:?}");
    assert!(
        err.to_string().contains(&format!(
            "consent for trafficking referrals to organisation {RECIPIENT} is not in force"
        )),
        "{err}"
    );
}
