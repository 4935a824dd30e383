//! Protection in the store, on every backend: the overdue queue follows the clock, two
//! store handles on one database (two servers) racing a new asylum claim against a return
//! being scheduled never leave the return scheduled while the claim is pending, and a
//! claim or code on a duplicate record merged into another holds the returns of the record
//! kept (through chains of merges, at once when the merge is recorded).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use passage_domain::access::{OrganisationDetails, OrganisationKind, Principal, Role};
use passage_domain::arrival::{ArrivalDetails, ArrivalMode};
use passage_domain::duplicates::{Decision, DecisionKind, NewDecision};
use passage_domain::household::{GroupKind, HouseholdRegistration};
use passage_domain::person::{PersonDetails, Sex};
use passage_domain::protection::needs::NewNeed;
use passage_domain::protection::procedure::ProcedureKind;
use passage_domain::protection::records::{Case, NewCase, TransitionRequest};
use passage_domain::protection::referral::{NewReferral, Service, Urgency};
use passage_domain::site::{SiteDetails, SiteKind};
use passage_store::{CaseFilter, ReferralFilter, Store, testing};
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

fn case(kind: ProcedureKind) -> NewCase {
    NewCase {
        kind,
        pathway: None,
        voluntary: (kind == ProcedureKind::Return).then_some(true),
        reason: format!("test: {}", kind.code()),
    }
}

/// A voluntary return of `person` up to the step before scheduling.
async fn return_ready(store: &Store, person: Uuid) -> Case {
    let operator = Principal::operator(NOW);
    let mut c = store
        .open_case(&operator, person, case(ProcedureKind::Return))
        .await
        .unwrap();
    for event in [
        "give_informed_consent",
        "check_pre_departure",
        "issue_travel_document",
    ] {
        c = store
            .transition_case(&operator, c.meta.id, step(event, c.meta.version))
            .await
            .unwrap();
    }
    c
}

/// Records that `merged` is a duplicate of `kept`.
async fn merge(store: &Store, kept: Uuid, merged: Uuid) -> Decision {
    let d = NewDecision {
        person_a: kept,
        person_b: merged,
        decision: DecisionKind::Merge,
        reason: "same person: documents seen".into(),
    };
    store
        .record_decision(&Principal::operator(NOW), d)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_claim_on_a_record_merged_away_holds_the_return_of_the_record_kept() {
    for db in testing::all().await {
        let store = Store::open(&db.url).await.unwrap();
        let a = arrival(&store).await;
        let operator = Principal::operator(NOW);
        let kept = person(&store, a, "Abdul Karim").await;
        let merged = person(&store, a, "Abdul Kareem").await;
        let last = person(&store, a, "Abdulkarim").await;
        store
            .open_case(&operator, merged, case(ProcedureKind::Asylum))
            .await
            .unwrap();
        merge(&store, kept, merged).await;

        let ret = return_ready(&store, kept).await;
        assert!(
            !ret.blocked_by.is_empty(),
            "{}: the claim shows on the return",
            db.backend
        );
        let e = store
            .transition_case(&operator, ret.meta.id, step("schedule", ret.meta.version))
            .await
            .unwrap_err();
        assert!(
            e.to_string().contains("an asylum claim is pending"),
            "{}: {e}",
            db.backend
        );

        // A chain: the record kept is merged in turn; the claim still holds.
        merge(&store, last, kept).await;
        let ret = return_ready(&store, last).await;
        let e = store
            .transition_case(&operator, ret.meta.id, step("schedule", ret.meta.version))
            .await
            .unwrap_err();
        assert!(
            e.to_string().contains("an asylum claim is pending"),
            "{}: {e}",
            db.backend
        );
        store.close().await;
    }
}

#[tokio::test]
async fn a_merge_bringing_a_risk_code_suspends_a_scheduled_return_and_an_unmerge_lifts_nothing() {
    for db in testing::all().await {
        let store = Store::open(&db.url).await.unwrap();
        let a = arrival(&store).await;
        let operator = Principal::operator(NOW);
        let kept = person(&store, a, "Nur Hossain").await;
        let merged = person(&store, a, "Nur Hussain").await;
        let ret = return_ready(&store, kept).await;
        let ret = store
            .transition_case(&operator, ret.meta.id, step("schedule", ret.meta.version))
            .await
            .unwrap();
        assert_eq!(ret.state, "scheduled");
        let need = NewNeed {
            code: "LP-RR".to_owned().try_into().unwrap(),
            identified_on: None,
            note: None,
        };
        store.record_need(&operator, merged, need).await.unwrap();
        let still = store.case(&operator, ret.meta.id).await.unwrap().unwrap();
        assert_eq!(
            still.state, "scheduled",
            "{}: not the same person yet",
            db.backend
        );

        let decision = merge(&store, kept, merged).await;
        let held = store.case(&operator, ret.meta.id).await.unwrap().unwrap();
        assert_eq!(held.state, "suspended", "{}: {held:?}", db.backend);
        assert!(
            held.blocked_by
                .iter()
                .any(|c| c.describe().contains("LP-RR")),
            "{}: {:?}",
            db.backend,
            held.blocked_by
        );
        let last = held.transitions.last().unwrap();
        assert_eq!(last.event, "suspend");
        assert!(
            last.actor.contains("non-refoulement guard"),
            "{}",
            last.actor
        );

        store
            .undo_decision(&operator, decision.id, "two people after all".into())
            .await
            .unwrap();
        let after = store.case(&operator, ret.meta.id).await.unwrap().unwrap();
        assert_eq!(
            after.state, "suspended",
            "{}: an unmerge lifts nothing",
            db.backend
        );
        store.close().await;
    }
}

#[tokio::test]
async fn a_merge_racing_a_return_from_another_server_never_leaves_it_scheduled() {
    for db in testing::all().await {
        let first = Store::open(&db.url).await.unwrap();
        let second = Store::open(&db.url).await.unwrap();
        let a = arrival(&first).await;
        let operator = Principal::operator(NOW);
        for trial in 0..12 {
            let kept = person(&first, a, &format!("Karim {trial}")).await;
            let merged = person(&first, a, &format!("Kareem {trial}")).await;
            first
                .open_case(&operator, merged, case(ProcedureKind::Asylum))
                .await
                .unwrap();
            let ret = return_ready(&first, kept).await;
            let d = NewDecision {
                person_a: kept,
                person_b: merged,
                decision: DecisionKind::Merge,
                reason: "same person: documents seen".into(),
            };
            let (merged, scheduled) = tokio::join!(
                second.record_decision(&operator, d),
                first.transition_case(&operator, ret.meta.id, step("schedule", ret.meta.version)),
            );
            merged.unwrap();
            let now = first.case(&operator, ret.meta.id).await.unwrap().unwrap();
            assert_ne!(
                now.state, "scheduled",
                "{} trial {trial}: {now:?}",
                db.backend
            );
            match scheduled {
                Ok(_) => assert_eq!(now.state, "suspended", "scheduled first, then held"),
                Err(e) => assert!(e.to_string().contains("on hold"), "{e}"),
            }
        }
    }
}

fn staff(org: Uuid, role: Role) -> Principal {
    Principal {
        user_id: Some(Uuid::now_v7()),
        at: NOW,
        name: role.code().into(),
        organisation_id: Some(org),
        roles: vec![role],
        context: Default::default(),
    }
}

#[tokio::test]
async fn the_case_list_names_only_cases_whose_page_opens_for_the_caller() {
    for db in testing::all().await {
        let store = &Store::open(&db.url).await.unwrap();
        let operator = Principal::operator(NOW);
        let mut orgs = Vec::new();
        for name in ["Task force", "Other office"] {
            let details = OrganisationDetails {
                name: name.into(),
                kind: OrganisationKind::GovernmentAuthority,
                country: None,
                country_of_origin_authority: false,
            };
            orgs.push(
                store
                    .create_organisation(&operator, details)
                    .await
                    .unwrap()
                    .meta
                    .id,
            );
        }
        let arrival = arrival(store).await;
        let registration = HouseholdRegistration {
            arrival_id: arrival,
            kind: GroupKind::Family,
            size: None,
            breakdown: None,
            head: PersonDetails::named("Karim", Sex::M),
            members: Vec::new(),
            legal_basis: None,
            purposes: None,
            not_duplicates: None,
        };
        let clerk = staff(orgs[0], Role::RegistrationClerk);
        let person = store
            .register_household(&clerk, registration.validated(NOW.date()).unwrap())
            .await
            .unwrap()
            .head_person_id;
        let caseworker = staff(orgs[0], Role::ReturnCaseworker);
        let opened = store
            .open_case(&caseworker, person, case(ProcedureKind::Return))
            .await
            .unwrap();
        let all = CaseFilter {
            limit: 100,
            ..CaseFilter::default()
        };
        let listed = store.cases(&caseworker, &all).await.unwrap();
        assert_eq!(
            listed.iter().map(|c| c.meta.id).collect::<Vec<_>>(),
            [opened.meta.id],
            "{}",
            db.backend
        );
        for c in &listed {
            assert!(store.case(&caseworker, c.meta.id).await.unwrap().is_some());
        }
        let elsewhere = staff(orgs[1], Role::ReturnCaseworker);
        assert!(
            store.cases(&elsewhere, &all).await.unwrap().is_empty(),
            "{}",
            db.backend
        );
        assert!(
            store
                .case(&elsewhere, opened.meta.id)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store.cases(&clerk, &all).await.is_err(),
            "a clerk lists no cases ({})",
            db.backend
        );
    }
}
