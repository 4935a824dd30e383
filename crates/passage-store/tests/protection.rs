//! Protection in the store, on every backend: the overdue queue follows the clock, and two
//! store handles on one database (two servers) racing a new asylum claim against a return
//! being scheduled never leave the return scheduled while the claim is pending.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use passage_domain::access::Principal;
use passage_domain::arrival::{ArrivalDetails, ArrivalMode};
use passage_domain::household::{GroupKind, HouseholdRegistration};
use passage_domain::person::{PersonDetails, Sex};
use passage_domain::protection::procedure::ProcedureKind;
use passage_domain::protection::records::{NewCase, TransitionRequest};
use passage_domain::protection::referral::{NewReferral, Service, Urgency};
use passage_domain::site::{SiteDetails, SiteKind};
use passage_store::{ReferralFilter, Store, testing};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

const NOW: OffsetDateTime = datetime!(2026-11-27 10:00 UTC);

async fn arrival(store: &Store) -> Uuid {
    let operator = Principal::operator(NOW);
    let site = SiteDetails {
        code: "PDE".to_owned().try_into().unwrap(),
        name: "Landing".into(),
        kind: SiteKind::LandingPoint,
        country: "IDN".to_owned().try_into().unwrap(),
        admin_pcode: None,
        coordinates: None,
        capacity: 0,
        closed: false,
    };
    let site = store.create_site(&operator, site).await.unwrap();
    let arrival = ArrivalDetails {
        site_id: site.meta.id,
        mode: ArrivalMode::Sea,
        arrived_at: NOW - Duration::days(1),
        route: None,
        origin: None,
        origin_country: None,
        persons_reported: None,
        incident_id: None,
        notes: None,
    };
    store
        .create_arrival(&operator, arrival)
        .await
        .unwrap()
        .meta
        .id
}

async fn person(store: &Store, arrival: Uuid, name: &str) -> Uuid {
    let registration = HouseholdRegistration {
        arrival_id: arrival,
        kind: GroupKind::Family,
        size: None,
        breakdown: None,
        head: PersonDetails::named(name, Sex::M),
        members: Vec::new(),
        legal_basis: None,
        purposes: None,
        not_duplicates: None,
    };
    let valid = registration.validated(NOW.date()).unwrap();
    let operator = Principal::operator(NOW);
    store
        .register_household(&operator, valid)
        .await
        .unwrap()
        .head_person_id
}

fn step(event: &str, version: i64) -> TransitionRequest {
    TransitionRequest {
        event: event.into(),
        version,
        reason: format!("test: {event}"),
        outcome: None,
    }
}

#[tokio::test]
async fn a_referral_is_overdue_once_its_due_time_passes() {
    for db in testing::all().await {
        let store = Store::open(&db.url).await.unwrap();
        let a = arrival(&store).await;
        let p = person(&store, a, "Rahim").await;
        let operator = Principal::operator(NOW);
        let new = NewReferral {
            service: Service::Health,
            recipient_id: None,
            urgency: Urgency::Emergency,
            due_within_hours: None,
            reason: "chest pain".into(),
        };
        let r = store.create_referral(&operator, p, new).await.unwrap();
        assert_eq!(r.due_at, NOW + Duration::hours(24));
        let filter = ReferralFilter {
            overdue: true,
            limit: 50,
            ..Default::default()
        };
        let before = store
            .referrals(&Principal::operator(NOW + Duration::hours(23)), &filter)
            .await
            .unwrap();
        assert!(before.is_empty(), "{}", db.backend);
        let after = store
            .referrals(&Principal::operator(NOW + Duration::hours(25)), &filter)
            .await
            .unwrap();
        assert_eq!(after.len(), 1, "{}", db.backend);
        assert!(after[0].overdue);
    }
}

#[tokio::test]
async fn a_claim_racing_a_return_from_another_server_never_leaves_it_scheduled() {
    for db in testing::all().await {
        let first = Store::open(&db.url).await.unwrap();
        let second = Store::open(&db.url).await.unwrap();
        let a = arrival(&first).await;
        let operator = Principal::operator(NOW);
        for trial in 0..12 {
            let p = person(&first, a, &format!("Karim {trial}")).await;
            let new = NewCase {
                kind: ProcedureKind::Return,
                pathway: None,
                voluntary: Some(true),
                reason: "wants to go home".into(),
            };
            let mut case = first.open_case(&operator, p, new).await.unwrap();
            for event in [
                "give_informed_consent",
                "check_pre_departure",
                "issue_travel_document",
            ] {
                case = first
                    .transition_case(&operator, case.meta.id, step(event, case.meta.version))
                    .await
                    .unwrap();
            }
            let claim = NewCase {
                kind: ProcedureKind::Asylum,
                pathway: None,
                voluntary: None,
                reason: "claims asylum".into(),
            };
            let (claimed, scheduled) = tokio::join!(
                second.open_case(&operator, p, claim),
                first.transition_case(&operator, case.meta.id, step("schedule", case.meta.version)),
            );
            claimed.unwrap();
            let now = first.case(&operator, case.meta.id).await.unwrap().unwrap();
            assert_ne!(
                now.state, "scheduled",
                "{} trial {trial}: {now:?}",
                db.backend
            );
            assert!(!now.blocked_by.is_empty());
            match scheduled {
                Ok(_) => assert_eq!(now.state, "suspended", "scheduled first, then held"),
                Err(e) => assert!(e.to_string().contains("on hold"), "{e}"),
            }
        }
    }
}
