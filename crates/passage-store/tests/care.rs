//! Care in the store, on every backend: two store handles on one database (two servers)
//! giving the same one-off entitlement to the same person at the same moment: exactly one
//! is given. What a duplicate record merged away received counts for the record kept; a
//! lookalike's household is checked for a programme per household; a held distribution of
//! a recurring programme released late is checked again.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use passage_domain::access::Principal;
use passage_domain::arrival::{ArrivalDetails, ArrivalMode};
use passage_domain::care::assistance::{
    Beneficiary, DocumentRule, Entitlement, Frequency, NewDistribution, ProgrammeDetails,
};
use passage_domain::care::records::{DistributionStatus, Review};
use passage_domain::duplicates::{DecisionKind, NewDecision};
use passage_domain::household::{GroupKind, HouseholdRegistration, MemberDetails, Relationship};
use passage_domain::person::{PersonDetails, Sex};
use passage_domain::record::Household;
use passage_domain::site::{SiteDetails, SiteKind};
use passage_store::{DistributionFilter, Store, testing};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

const NOW: OffsetDateTime = datetime!(2026-11-27 10:00 UTC);

/// A border post and an arrival there: (site, arrival).
async fn arrival(store: &Store) -> (Uuid, Uuid) {
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
    let site = store.create_site(&operator, site).await.unwrap().meta.id;
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
    let arrival = store
        .create_arrival(&operator, arrival)
        .await
        .unwrap()
        .meta
        .id;
    (site, arrival)
}

async fn programme(
    store: &Store,
    code: &str,
    beneficiary: Beneficiary,
    frequency: Frequency,
) -> Uuid {
    let programme = ProgrammeDetails {
        code: code.into(),
        name: format!("{code} programme"),
        item: "IDR 2,500,000".into(),
        beneficiary,
        frequency,
        entitlement: Entitlement {
            population_types: vec![],
            flags: vec![],
            documents: DocumentRule::Any,
            sites: vec![],
        },
        closed: false,
    };
    store
        .create_programme(&Principal::operator(NOW), programme.validated().unwrap())
        .await
        .unwrap()
        .meta
        .id
}

/// A household headed by `name`, with members of these names (children).
async fn household(store: &Store, arrival: Uuid, name: &str, members: &[&str]) -> Household {
    let registration = HouseholdRegistration {
        arrival_id: arrival,
        kind: GroupKind::Family,
        size: None,
        breakdown: None,
        head: PersonDetails::named(name, Sex::F),
        members: members
            .iter()
            .map(|m| MemberDetails {
                relationship: Relationship::Child,
                person: PersonDetails::named(m, Sex::M),
            })
            .collect(),
        legal_basis: None,
        purposes: None,
        not_duplicates: None,
    };
    let valid = registration.validated(NOW.date()).unwrap();
    store
        .register_household(&Principal::operator(NOW), valid)
        .await
        .unwrap()
}

fn give(programme: Uuid, person: Uuid, site: Uuid) -> NewDistribution {
    NewDistribution {
        programme_id: programme,
        person_id: person,
        site_id: site,
        quantity: None,
        note: None,
    }
}

#[tokio::test]
async fn a_one_off_entitlement_racing_on_two_servers_is_given_once() {
    for db in testing::all().await {
        let first = Store::open(&db.url).await.unwrap();
        let second = Store::open(&db.url).await.unwrap();
        let operator = Principal::operator(NOW);
        let (site, arrival) = arrival(&first).await;
        let programme = programme(&first, "CASH", Beneficiary::Person, Frequency::Once).await;
        for trial in 0..12 {
            let person = household(&first, arrival, &format!("Siti {trial}"), &[])
                .await
                .head_person_id;
            let (a, b) = tokio::join!(
                first.distribute(&operator, give(programme, person, site), Vec::new()),
                second.distribute(&operator, give(programme, person, site), Vec::new()),
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

#[tokio::test]
async fn a_one_off_given_to_a_record_merged_away_is_not_given_again_to_the_record_kept() {
    for db in testing::all().await {
        let store = Store::open(&db.url).await.unwrap();
        let operator = Principal::operator(NOW);
        let (site, arrival) = arrival(&store).await;
        let programme = programme(&store, "CASH", Beneficiary::Person, Frequency::Once).await;
        let kept = household(&store, arrival, "Siti Aminah", &[])
            .await
            .head_person_id;
        let merged = household(&store, arrival, "Siti Aminah", &[])
            .await
            .head_person_id;
        let first = store
            .distribute(&operator, give(programme, merged, site), Vec::new())
            .await
            .unwrap();
        let repeat = store
            .distribute(&operator, give(programme, merged, site), Vec::new())
            .await
            .unwrap_err()
            .to_string();
        assert!(
            repeat.contains(&format!("distribution {}", first.meta.id)),
            "{}: a repeat names the earlier distribution: {repeat}",
            db.backend
        );
        let d = NewDecision {
            person_a: kept,
            person_b: merged,
            decision: DecisionKind::Merge,
            reason: "same person: documents seen".into(),
        };
        store.record_decision(&operator, d).await.unwrap();
        let again = store
            .distribute(&operator, give(programme, kept, site), Vec::new())
            .await
            .unwrap_err()
            .to_string();
        assert_eq!(again, repeat, "{}: the same refusal", db.backend);
    }
}

#[tokio::test]
async fn a_lookalike_whose_household_was_given_a_household_entitlement_is_held() {
    for db in testing::all().await {
        let store = Store::open(&db.url).await.unwrap();
        let operator = Principal::operator(NOW);
        let (site, arrival) = arrival(&store).await;
        let kit = programme(&store, "KIT", Beneficiary::Household, Frequency::Once).await;
        let earlier = household(&store, arrival, "Fatima", &["Yusuf"]).await;
        let yusuf = earlier.members[1].person_id;
        // The head collected the kit for the household.
        let given = store
            .distribute(
                &operator,
                give(kit, earlier.head_person_id, site),
                Vec::new(),
            )
            .await
            .unwrap();
        assert_eq!(given.status, DistributionStatus::Given);
        let again = household(&store, arrival, "Yusef", &[])
            .await
            .head_person_id;
        let d = store
            .distribute(&operator, give(kit, again, site), vec![(yusuf, 0.97)])
            .await
            .unwrap();
        assert_eq!(
            d.status,
            DistributionStatus::Held,
            "{}: looks like a member of a household that had it",
            db.backend
        );
        assert_eq!(d.held_because[0].distribution_id, given.meta.id);
    }
}

#[tokio::test]
async fn a_held_ration_released_after_another_was_given_is_refused_as_too_soon() {
    for db in testing::all().await {
        let store = Store::open(&db.url).await.unwrap();
        let operator = Principal::operator(NOW);
        let (site, arrival) = arrival(&store).await;
        let rations = programme(
            &store,
            "FOOD",
            Beneficiary::Person,
            Frequency::Every { days: 30 },
        )
        .await;
        let earlier = household(&store, arrival, "Mariam", &[])
            .await
            .head_person_id;
        store
            .distribute(&operator, give(rations, earlier, site), Vec::new())
            .await
            .unwrap();
        let person = household(&store, arrival, "Maryam", &[])
            .await
            .head_person_id;
        let alike = vec![(earlier, 0.95)];
        let first = store
            .distribute(&operator, give(rations, person, site), alike.clone())
            .await
            .unwrap();
        let second = store
            .distribute(&operator, give(rations, person, site), alike)
            .await
            .unwrap();
        assert_eq!(first.status, DistributionStatus::Held);
        assert_eq!(second.status, DistributionStatus::Held);
        let release = |version| Review {
            version,
            release: true,
            reason: "a different person: card seen".into(),
        };
        let released = store
            .review_distribution(&operator, first.meta.id, release(first.meta.version))
            .await
            .unwrap();
        assert_eq!(released.status, DistributionStatus::Given);
        let e = store
            .review_distribution(&operator, second.meta.id, release(second.meta.version))
            .await
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("next possible") && e.contains(&first.meta.id.to_string()),
            "{}: {e}",
            db.backend
        );
    }
}

#[tokio::test]
async fn a_one_off_racing_on_two_records_of_one_person_on_two_servers_is_given_once() {
    for db in testing::all().await {
        let first = Store::open(&db.url).await.unwrap();
        let second = Store::open(&db.url).await.unwrap();
        let operator = Principal::operator(NOW);
        let (site, arrival) = arrival(&first).await;
        let programme = programme(&first, "CASH", Beneficiary::Person, Frequency::Once).await;
        for trial in 0..12 {
            let name = format!("Siti {trial}");
            let kept = household(&first, arrival, &name, &[]).await.head_person_id;
            let merged = household(&first, arrival, &name, &[]).await.head_person_id;
            let d = NewDecision {
                person_a: kept,
                person_b: merged,
                decision: DecisionKind::Merge,
                reason: "same person: documents seen".into(),
            };
            first.record_decision(&operator, d).await.unwrap();
            let (a, b) = tokio::join!(
                first.distribute(&operator, give(programme, kept, site), Vec::new()),
                second.distribute(&operator, give(programme, merged, site), Vec::new()),
            );
            let given = [&a, &b].iter().filter(|r| r.is_ok()).count();
            assert_eq!(given, 1, "{} trial {trial}: {a:?} {b:?}", db.backend);
        }
    }
}

#[tokio::test]
async fn a_household_entitlement_given_through_a_record_merged_away_is_held_for_review() {
    for db in testing::all().await {
        let store = Store::open(&db.url).await.unwrap();
        let operator = Principal::operator(NOW);
        let (site, arrival) = arrival(&store).await;
        let kit = programme(&store, "KIT", Beneficiary::Household, Frequency::Once).await;
        let kept = household(&store, arrival, "Amina", &[])
            .await
            .head_person_id;
        let merged = household(&store, arrival, "Amina", &[])
            .await
            .head_person_id;
        let given = store
            .distribute(&operator, give(kit, merged, site), Vec::new())
            .await
            .unwrap();
        let d = NewDecision {
            person_a: kept,
            person_b: merged,
            decision: DecisionKind::Merge,
            reason: "same person: documents seen".into(),
        };
        store.record_decision(&operator, d).await.unwrap();
        let d = store
            .distribute(&operator, give(kit, kept, site), Vec::new())
            .await
            .unwrap();
        assert_eq!(d.status, DistributionStatus::Held, "{}", db.backend);
        assert_eq!(d.held_because[0].person_id, merged);
        assert_eq!(d.held_because[0].distribution_id, given.meta.id);
    }
}

#[tokio::test]
async fn the_people_staying_at_a_site_and_a_household_s_distributions_are_listed() {
    use passage_domain::care::records::{Admission, Admissions, StayChange};
    use passage_domain::care::shelter::{ShelterUnitDetails, UnitKind};
    for db in testing::all().await {
        let store = Store::open(&db.url).await.unwrap();
        let operator = Principal::operator(NOW);
        let (site, arrival) = arrival(&store).await;
        let tent = ShelterUnitDetails {
            site_id: site,
            name: "Tent 1".into(),
            kind: UnitKind::FamilyTent,
            beds: 4,
            closed: false,
        };
        let tent = store.create_unit(&operator, tent).await.unwrap().meta.id;
        let family = household(&store, arrival, "Rohima", &["Karim"]).await;
        let other = household(&store, arrival, "Nasima", &[]).await;
        let placements = family
            .members
            .iter()
            .map(|m| Admission {
                person_id: m.person_id,
                unit_id: tent,
                companions: 0,
            })
            .collect();
        let stays = store
            .admit(
                &operator,
                Admissions {
                    placements,
                    override_reason: None,
                },
            )
            .await
            .unwrap();
        let staying = store.staying_at(&operator, site).await.unwrap();
        assert_eq!(staying.len(), 2, "{}", db.backend);
        assert!(
            staying
                .iter()
                .all(|(s, p)| s.person_id == p.meta.id && s.unit_id == tent)
        );
        let change = StayChange {
            version: stays[1].meta.version,
            reason: "left for Medan".into(),
            to_unit_id: None,
            override_reason: None,
        };
        store
            .change_stay(&operator, stays[1].meta.id, change)
            .await
            .unwrap();
        let staying = store.staying_at(&operator, site).await.unwrap();
        assert_eq!(staying.len(), 1, "a departure leaves: {}", db.backend);

        let kit = programme(&store, "KIT", Beneficiary::Person, Frequency::Once).await;
        for person in [
            family.head_person_id,
            family.members[1].person_id,
            other.head_person_id,
        ] {
            store
                .distribute(&operator, give(kit, person, site), Vec::new())
                .await
                .unwrap();
        }
        let theirs = store
            .distributions(
                &operator,
                &DistributionFilter {
                    household_id: Some(family.meta.id),
                    distributed_by: Some(operator.name.clone()),
                    newest_first: true,
                    limit: 10,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(theirs.len(), 2, "only the household's: {}", db.backend);
        assert!(theirs[0].distributed_at >= theirs[1].distributed_at);
        let nobody = store
            .distributions(
                &operator,
                &DistributionFilter {
                    distributed_by: Some("someone else".into()),
                    limit: 10,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert!(nobody.is_empty(), "{}", db.backend);
    }
}
