//! An agreement never shows records to an authority of a country of origin, even when the
//! organisation is flagged after the agreement was signed; a transfer there never carries a
//! claimant, on any record of the person, nor anyone with a trafficking or statelessness
//! case open. On every backend.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use passage_domain::access::{OrganisationDetails, OrganisationKind, Principal, Role};
use passage_domain::arrival::{ArrivalDetails, ArrivalMode};
use passage_domain::data_protection::Purpose;
use passage_domain::data_protection::agreement::{DataCategory, SharingAgreementDetails};
use passage_domain::duplicates::{DecisionKind, NewDecision};
use passage_domain::household::{Breakdown, GroupKind, HouseholdRegistration};
use passage_domain::person::{PersonDetails, PopulationType, ProfileFlag, Sex};
use passage_domain::protection::procedure::ProcedureKind;
use passage_domain::protection::records::NewCase;
use passage_domain::site::{SiteDetails, SiteKind};
use passage_store::{Store, testing};
use sqlx::{AnyConnection, Connection};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

const NOW: OffsetDateTime = datetime!(2026-11-27 10:00 UTC);

fn user(org: Uuid, role: Role) -> Principal {
    Principal {
        user_id: Some(Uuid::now_v7()),
        at: NOW,
        name: role.code().into(),
        organisation_id: Some(org),
        roles: vec![role],
        context: Default::default(),
    }
}

async fn organisation(store: &Store, name: &str) -> Uuid {
    let details = OrganisationDetails {
        name: name.into(),
        kind: OrganisationKind::Ngo,
        country: None,
        country_of_origin_authority: false,
    };
    let operator = Principal::operator(NOW);
    store
        .create_organisation(&operator, details)
        .await
        .unwrap()
        .meta
        .id
}

#[tokio::test]
async fn an_authority_of_the_country_of_origin_never_sees_shared_records() {
    for db in testing::all().await {
        let store = Store::open(&db.url).await.unwrap();
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
        let arrival = store.create_arrival(&operator, arrival).await.unwrap();
        let provider = organisation(&store, "Provider").await;
        let recipient = organisation(&store, "Recipient").await;
        let registration = HouseholdRegistration {
            arrival_id: arrival.meta.id,
            kind: GroupKind::Family,
            size: Some(1),
            breakdown: Some(Breakdown {
                f_18_59: 1,
                ..Default::default()
            }),
            head: PersonDetails::named("Rahima", Sex::F),
            members: Vec::new(),
            legal_basis: None,
            purposes: None,
            not_duplicates: None,
        };
        let valid = registration.validated(NOW.date()).unwrap();
        let h = store
            .register_household(&user(provider, Role::RegistrationClerk), valid)
            .await
            .unwrap();
        let agreement = SharingAgreementDetails {
            provider_id: provider,
            recipient_id: recipient,
            purpose: Purpose::Return,
            data_categories: vec![DataCategory::Identity],
            fields: vec!["given_name".into()],
            valid_from: NOW - Duration::days(1),
            expires_at: NOW + Duration::days(30),
            reference: None,
        }
        .validated(NOW)
        .unwrap();
        store
            .create_agreement(&user(provider, Role::DataProtectionFocalPoint), agreement)
            .await
            .unwrap();
        let reader = user(recipient, Role::Supervisor);
        let seen = store.person(&reader, h.head_person_id).await.unwrap();
        assert!(seen.is_some(), "{}: shared under the agreement", db.backend);

        sqlx::any::install_default_drivers();
        let mut raw = AnyConnection::connect(&db.url).await.unwrap();
        sqlx::query("UPDATE organisations SET country_of_origin_authority = 1 WHERE id = $1")
            .bind(recipient.to_string())
            .execute(&mut raw)
            .await
            .unwrap();
        let _ = raw.close().await;
        let seen = store.person(&reader, h.head_person_id).await.unwrap();
        assert!(seen.is_none(), "{}: flagged after signing", db.backend);
        store.close().await;
    }
}

/// A transfer to a recipient later flagged as an authority of a country of origin carries
/// nobody who sought asylum or is a presumed trafficking victim, and identity fields only.
#[tokio::test]
async fn a_transfer_to_a_country_of_origin_never_carries_a_claimant() {
    for db in testing::all().await {
        let store = Store::open(&db.url).await.unwrap();
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
        let arrival = store.create_arrival(&operator, arrival).await.unwrap();
        let provider = organisation(&store, "Provider").await;
        let recipient = organisation(&store, "Recipient").await;
        let people = [
            ("Karim", None, vec![]),
            ("Rahim", Some(PopulationType::ASY), vec![]),
            ("Salma", None, vec![ProfileFlag::PresumedTraffickingVictim]),
        ];
        for (name, population_type, flags) in people {
            let mut head = PersonDetails::named(name, Sex::M);
            head.population_type = population_type;
            head.profile_flags = flags;
            let registration = HouseholdRegistration {
                arrival_id: arrival.meta.id,
                kind: GroupKind::Family,
                size: None,
                breakdown: None,
                head,
                members: Vec::new(),
                legal_basis: None,
                purposes: None,
                not_duplicates: None,
            };
            let valid = registration.validated(NOW.date()).unwrap();
            store
                .register_household(&user(provider, Role::RegistrationClerk), valid)
                .await
                .unwrap();
        }
        let agreement = SharingAgreementDetails {
            provider_id: provider,
            recipient_id: recipient,
            purpose: Purpose::Return,
            data_categories: vec![DataCategory::Identity],
            fields: vec!["given_name".into(), "place_of_origin".into()],
            valid_from: NOW - Duration::days(1),
            expires_at: NOW + Duration::days(30),
            reference: None,
        }
        .validated(NOW)
        .unwrap();
        let focal_point = user(provider, Role::DataProtectionFocalPoint);
        let agreement = store
            .create_agreement(&focal_point, agreement)
            .await
            .unwrap();
        sqlx::any::install_default_drivers();
        let mut raw = AnyConnection::connect(&db.url).await.unwrap();
        sqlx::query("UPDATE organisations SET country_of_origin_authority = 1 WHERE id = $1")
            .bind(recipient.to_string())
            .execute(&mut raw)
            .await
            .unwrap();
        let _ = raw.close().await;
        let t = store
            .transfer(&focal_point, agreement.meta.id, Purpose::Return)
            .await
            .unwrap();
        assert_eq!(t.fields, ["given_name"], "{}: identity only", db.backend);
        assert_eq!(t.rows, [vec!["Karim".to_owned()]], "{}", db.backend);
        assert_eq!(t.withheld, 2);
        store.close().await;
    }
}

/// A provider whose persons (registered from `names`) go under a return agreement to a
/// recipient flagged as an authority of a country of origin: the store, the provider's
/// focal point, the agreement and the persons' ids.
async fn to_country_of_origin(
    db: &testing::TestDb,
    names: &[&str],
) -> (Store, Principal, Uuid, Vec<Uuid>) {
    let store = Store::open(&db.url).await.unwrap();
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
    let arrival = store.create_arrival(&operator, arrival).await.unwrap();
    let provider = organisation(&store, "Provider").await;
    let recipient = organisation(&store, "Recipient").await;
    let mut ids = Vec::new();
    for name in names {
        let registration = HouseholdRegistration {
            arrival_id: arrival.meta.id,
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
        let h = store
            .register_household(&user(provider, Role::RegistrationClerk), valid)
            .await
            .unwrap();
        ids.push(h.head_person_id);
    }
    let agreement = SharingAgreementDetails {
        provider_id: provider,
        recipient_id: recipient,
        purpose: Purpose::Return,
        data_categories: vec![DataCategory::Identity],
        fields: vec!["given_name".into()],
        valid_from: NOW - Duration::days(1),
        expires_at: NOW + Duration::days(30),
        reference: None,
    }
    .validated(NOW)
    .unwrap();
    let focal_point = user(provider, Role::DataProtectionFocalPoint);
    let agreement = store
        .create_agreement(&focal_point, agreement)
        .await
        .unwrap();
    sqlx::any::install_default_drivers();
    let mut raw = AnyConnection::connect(&db.url).await.unwrap();
    sqlx::query("UPDATE organisations SET country_of_origin_authority = 1 WHERE id = $1")
        .bind(recipient.to_string())
        .execute(&mut raw)
        .await
        .unwrap();
    let _ = raw.close().await;
    (store, focal_point, agreement.meta.id, ids)
}

fn case(kind: ProcedureKind) -> NewCase {
    NewCase {
        kind,
        pathway: None,
        voluntary: None,
        reason: format!("test: {}", kind.code()),
    }
}

/// A claim made on a duplicate record, merged into the record kept, withholds the record
/// kept.
#[tokio::test]
async fn a_transfer_to_a_country_of_origin_withholds_a_person_whose_merged_record_claimed() {
    for db in testing::all().await {
        let (store, focal_point, agreement, ids) =
            to_country_of_origin(&db, &["Karim", "Rahim", "Raheem"]).await;
        let (kept, merged) = (ids[1], ids[2]);
        let operator = Principal::operator(NOW);
        store
            .open_case(&operator, merged, case(ProcedureKind::Asylum))
            .await
            .unwrap();
        let d = NewDecision {
            person_a: kept,
            person_b: merged,
            decision: DecisionKind::Merge,
            reason: "same person: documents seen".into(),
        };
        store.record_decision(&operator, d).await.unwrap();
        let t = store
            .transfer(&focal_point, agreement, Purpose::Return)
            .await
            .unwrap();
        assert_eq!(t.rows, [vec!["Karim".to_owned()]], "{}", db.backend);
        assert_eq!(t.withheld, 1, "{}", db.backend);
        store.close().await;
    }
}

/// An open trafficking or statelessness case withholds a person with no flag and no claim.
#[tokio::test]
async fn a_transfer_to_a_country_of_origin_withholds_an_open_trafficking_or_statelessness_case() {
    for db in testing::all().await {
        let (store, focal_point, agreement, ids) =
            to_country_of_origin(&db, &["Karim", "Salma", "Dina"]).await;
        let operator = Principal::operator(NOW);
        for (person, kind) in [
            (ids[1], ProcedureKind::Trafficking),
            (ids[2], ProcedureKind::Statelessness),
        ] {
            store
                .open_case(&operator, person, case(kind))
                .await
                .unwrap();
        }
        let t = store
            .transfer(&focal_point, agreement, Purpose::Return)
            .await
            .unwrap();
        assert_eq!(t.rows, [vec!["Karim".to_owned()]], "{}", db.backend);
        assert_eq!(t.withheld, 2, "{}", db.backend);
        store.close().await;
    }
}
