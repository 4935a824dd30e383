//! Property: for random organisations, records, sharing agreements and callers, a read of
//! a personal record succeeds exactly when the permission table allows the caller's role
//! and the record was registered by the caller's organisation or by one that shares with
//! it under an agreement in force at the time of the read. On every backend.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use passage_domain::access::{
    Action, OrganisationDetails, OrganisationKind, Principal, Resource, Role, allows,
};
use passage_domain::arrival::{ArrivalDetails, ArrivalMode};
use passage_domain::household::{Breakdown, GroupKind, HouseholdRegistration};
use passage_domain::person::{PersonDetails, Sex};
use passage_domain::site::{SiteDetails, SiteKind};
use passage_store::testing;
use passage_store::{PersonFilter, Store};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use sqlx::{AnyConnection, Connection};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

const NOW: OffsetDateTime = datetime!(2026-11-27 10:00 UTC);
const ORGS: usize = 3;

fn clerk(org: Uuid, role: Role, at: OffsetDateTime) -> Principal {
    Principal {
        user_id: Some(Uuid::now_v7()),
        at,
        name: "caller".into(),
        organisation_id: Some(org),
        roles: vec![role],
        context: Default::default(),
    }
}

/// Three organisations, each of which registered two one-person households.
async fn world(store: &Store) -> (Vec<Uuid>, Vec<(Uuid, usize)>) {
    let operator = Principal::operator(NOW);
    let site = store
        .create_site(
            &operator,
            SiteDetails {
                code: "PDE".to_owned().try_into().unwrap(),
                name: "Landing".into(),
                kind: SiteKind::LandingPoint,
                country: "IDN".to_owned().try_into().unwrap(),
                admin_pcode: None,
                coordinates: None,
                capacity: 0,
                closed: false,
            },
        )
        .await
        .unwrap();
    let arrival = store
        .create_arrival(
            &operator,
            ArrivalDetails {
                site_id: site.meta.id,
                mode: ArrivalMode::Sea,
                arrived_at: NOW - Duration::days(1),
                route: None,
                origin: None,
                origin_country: None,
                persons_reported: None,
                incident_id: None,
                notes: None,
            },
        )
        .await
        .unwrap();
    let mut orgs = Vec::new();
    let mut persons = Vec::new();
    for i in 0..ORGS {
        let org = store
            .create_organisation(
                &operator,
                OrganisationDetails {
                    name: format!("Organisation {i}"),
                    kind: OrganisationKind::Ngo,
                    country: None,
                    country_of_origin_authority: false,
                },
            )
            .await
            .unwrap();
        orgs.push(org.meta.id);
        for j in 0..2 {
            let registration = HouseholdRegistration {
                arrival_id: arrival.meta.id,
                kind: GroupKind::Family,
                size: Some(1),
                breakdown: Some(Breakdown {
                    f_18_59: 1,
                    ..Default::default()
                }),
                head: PersonDetails::named(&format!("Person {i}{j}"), Sex::F),
                members: Vec::new(),
                legal_basis: None,
                purposes: None,
                not_duplicates: None,
            };
            let valid = registration.validated(NOW.date()).unwrap();
            let h = store
                .register_household(&clerk(org.meta.id, Role::RegistrationClerk, NOW), valid)
                .await
                .unwrap();
            persons.push((h.head_person_id, i));
        }
    }
    (orgs, persons)
}

/// An agreement from provider to recipient, valid from `from` to `to` days around now.
#[derive(Debug, Clone)]
struct Agreement {
    provider: usize,
    recipient: usize,
    from: i64,
    to: i64,
}

fn agreement() -> impl Strategy<Value = Agreement> {
    (0..ORGS, 0..ORGS, -30i64..10, -10i64..30).prop_map(|(provider, recipient, from, length)| {
        Agreement {
            provider,
            recipient,
            from,
            to: from + length.abs() + 1,
        }
    })
}

fn in_force(a: &Agreement, at_day: i64) -> bool {
    a.from <= at_day && at_day < a.to
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_follow_the_permission_table_and_the_sharing_rules() {
    for db in testing::all().await {
        let store = Store::open(&db.url).await.unwrap();
        let (orgs, persons) = world(&store).await;
        sqlx::any::install_default_drivers();
        let mut raw = AnyConnection::connect(&db.url).await.unwrap();
        let strategy = (
            prop::collection::vec(agreement(), 0..4),
            0..ORGS,
            (0..Role::ALL.len()).prop_map(|i| Role::ALL[i]),
            -5i64..5,
        );
        let mut runner = TestRunner::new(Config {
            cases: 40,
            ..Config::default()
        });
        let mut cases = Vec::new();
        for _ in 0..40 {
            cases.push(strategy.new_tree(&mut runner).unwrap().current());
        }
        for (agreements, caller_org, role, at_day) in cases {
            sqlx::query("DELETE FROM sharing_agreements")
                .execute(&mut raw)
                .await
                .unwrap();
            for a in &agreements {
                sqlx::query(
                    "INSERT INTO sharing_agreements (id, provider_id, recipient_id, purpose, details, valid_from, expires_at, \
                     version, created_at, updated_at) VALUES ($1, $2, $3, 'registration', '{}', $4, $5, 1, $6, $6)",
                )
                .bind(Uuid::now_v7().to_string())
                .bind(orgs[a.provider].to_string())
                .bind(orgs[a.recipient].to_string())
                .bind(passage_store::sql::ts(NOW + Duration::days(a.from)))
                .bind(passage_store::sql::ts(NOW + Duration::days(a.to)))
                .bind(passage_store::sql::ts(NOW))
                .execute(&mut raw)
                .await
                .unwrap();
            }
            let at = NOW + Duration::days(at_day);
            let p = clerk(orgs[caller_org], role, at);
            let may_read = allows(role, Action::Read, Resource::Person);
            let mut expected_list = 0;
            for (person, owner) in &persons {
                let shared = agreements.iter().any(|a| {
                    a.provider == *owner && a.recipient == caller_org && in_force(a, at_day)
                });
                let expected = may_read && (*owner == caller_org || shared);
                expected_list += usize::from(expected);
                match store.person(&p, *person).await {
                    Ok(found) => assert_eq!(
                        found.is_some(),
                        expected,
                        "{}: role {role} of org {caller_org} reading a person of org {owner} at day {at_day} under {agreements:?}",
                        db.backend
                    ),
                    Err(e) => assert!(!may_read, "{}: refused although allowed: {e}", db.backend),
                }
            }
            if may_read {
                let page = store
                    .persons(&p, &PersonFilter::default(), None, 100)
                    .await
                    .unwrap();
                assert_eq!(
                    page.items.len(),
                    expected_list,
                    "{}: list under {agreements:?}",
                    db.backend
                );
            }
        }
        let _ = raw.close().await;
        store.close().await;
    }
}
