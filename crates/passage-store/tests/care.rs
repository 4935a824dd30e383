//! Care in the store, on every backend: two store handles on one database (two servers)
//! giving the same one-off entitlement to the same person at the same moment: exactly one
//! is given.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use passage_domain::access::Principal;
use passage_domain::arrival::{ArrivalDetails, ArrivalMode};
use passage_domain::care::assistance::{
    Beneficiary, DocumentRule, Entitlement, Frequency, NewDistribution, ProgrammeDetails,
};
use passage_domain::household::{GroupKind, HouseholdRegistration};
use passage_domain::person::{PersonDetails, Sex};
use passage_domain::site::{SiteDetails, SiteKind};
use passage_store::{DistributionFilter, Store, testing};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const NOW: OffsetDateTime = datetime!(2026-11-27 10:00 UTC);

#[tokio::test]
async fn a_one_off_entitlement_racing_on_two_servers_is_given_once() {
    for db in testing::all().await {
        let first = Store::open(&db.url).await.unwrap();
        let second = Store::open(&db.url).await.unwrap();
        let operator = Principal::operator(NOW);
        let site = SiteDetails {
            code: "ENT".to_owned().try_into().unwrap(),
            name: "Entikong".into(),
            kind: SiteKind::BorderCrossingPoint,
            country: "IDN".to_owned().try_into().unwrap(),
            admin_pcode: None,
            coordinates: None,
            capacity: 0,
            closed: false,
        };
        let site = first.create_site(&operator, site).await.unwrap().meta.id;
        let arrival = ArrivalDetails {
            site_id: site,
            mode: ArrivalMode::Land,
            arrived_at: NOW - Duration::hours(2),
            route: None,
            origin: None,
            origin_country: None,
            persons_reported: None,
            incident_id: None,
            notes: None,
        };
        let arrival = first
            .create_arrival(&operator, arrival)
            .await
            .unwrap()
            .meta
            .id;
        let programme = ProgrammeDetails {
            code: "CASH".into(),
            name: "Cash grant".into(),
            item: "IDR 2,500,000".into(),
            beneficiary: Beneficiary::Person,
            frequency: Frequency::Once,
            entitlement: Entitlement {
                population_types: vec![],
                flags: vec![],
                documents: DocumentRule::Any,
                sites: vec![],
            },
            closed: false,
        };
        let programme = first
            .create_programme(&operator, programme.validated().unwrap())
            .await
            .unwrap()
            .meta
            .id;
        for trial in 0..12 {
            let registration = HouseholdRegistration {
                arrival_id: arrival,
                kind: GroupKind::Family,
                size: None,
                breakdown: None,
                head: PersonDetails::named(&format!("Siti {trial}"), Sex::F),
                members: Vec::new(),
                legal_basis: None,
                purposes: None,
                not_duplicates: None,
            };
            let valid = registration.validated(NOW.date()).unwrap();
            let person = first
                .register_household(&operator, valid)
                .await
                .unwrap()
                .head_person_id;
            let give = || NewDistribution {
                programme_id: programme,
                person_id: person,
                site_id: site,
                quantity: None,
                note: None,
            };
            let (a, b) = tokio::join!(
                first.distribute(&operator, give(), Vec::new()),
                second.distribute(&operator, give(), Vec::new()),
            );
            let given = [&a, &b].iter().filter(|r| r.is_ok()).count();
            assert_eq!(given, 1, "{} trial {trial}: {a:?} {b:?}", db.backend);
            let refused = a.err().or(b.err()).unwrap();
            assert!(refused.to_string().contains("already"), "{refused}");
        }
        let all = first
            .distributions(
                &operator,
                &DistributionFilter {
                    limit: 100,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(all.len(), 12, "{}", db.backend);
    }
}
