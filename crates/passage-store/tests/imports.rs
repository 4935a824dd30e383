#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Bulk import bookkeeping on every backend: a mapping saved by name is read back and
//! replaced; a file's job is found again by its digest and arrival, its last row never
//! moves back, and once done it stays done. Organisations keep their jobs and mappings
//! apart; the operator's mappings are shared.

use passage_domain::access::{OrganisationDetails, OrganisationKind, Principal, Role};
use passage_domain::arrival::{ArrivalDetails, ArrivalMode};
use passage_domain::codes::Country;
use passage_domain::regno::SiteCode;
use passage_domain::site::{SiteDetails, SiteKind};
use passage_store::{ImportProgress, Store, StoreError, testing};
use serde_json::json;
use time::OffsetDateTime;
use time::macros::datetime;
use uuid::Uuid;

async fn arrival(store: &Store, now: OffsetDateTime) -> Uuid {
    let op = Principal::operator(now);
    let site = store
        .create_site(
            &op,
            SiteDetails {
                code: SiteCode::try_from("PDE".to_owned()).unwrap(),
                name: "Landing point".into(),
                kind: SiteKind::LandingPoint,
                country: Country::try_from("IDN".to_owned()).unwrap(),
                admin_pcode: None,
                coordinates: None,
                capacity: 0,
                closed: false,
            },
        )
        .await
        .unwrap();
    store
        .create_arrival(
            &op,
            ArrivalDetails {
                site_id: site.meta.id,
                mode: ArrivalMode::Sea,
                arrived_at: now,
                route: None,
                origin: None,
                origin_country: None,
                persons_reported: None,
                incident_id: None,
                notes: None,
            },
        )
        .await
        .unwrap()
        .meta
        .id
}

async fn clerk_of(store: &Store, name: &str, now: OffsetDateTime) -> Principal {
    let details = OrganisationDetails {
        name: name.to_owned(),
        kind: OrganisationKind::Ngo,
        country: None,
        country_of_origin_authority: false,
    };
    let org = store
        .create_organisation(&Principal::operator(now), details)
        .await
        .unwrap();
    Principal {
        user_id: Some(Uuid::now_v7()),
        at: now,
        name: format!("clerk of {name}"),
        organisation_id: Some(org.meta.id),
        roles: vec![Role::RegistrationClerk],
        context: Default::default(),
    }
}

#[tokio::test]
async fn an_import_job_resumes_and_a_mapping_is_kept_by_name() {
    let now = datetime!(2026-11-27 10:00 UTC);
    for db in testing::all().await {
        let store = Store::open(&db.url).await.expect("open store");
        let op = Principal::operator(now);
        let id = arrival(&store, now).await;

        assert_eq!(store.import_mapping(&op, "partner").await.unwrap(), None);
        let first = json!({"columns": {"Gender": "sex"}});
        store
            .save_import_mapping(&op, "partner", &first)
            .await
            .unwrap();
        let second = json!({"columns": {"Sex": "sex"}});
        store
            .save_import_mapping(&op, "partner", &second)
            .await
            .unwrap();
        assert_eq!(
            store.import_mapping(&op, "partner").await.unwrap(),
            Some(second),
            "{}",
            db.backend
        );

        let job = store
            .start_import(&op, "abc", id, "valid_only")
            .await
            .unwrap();
        assert_eq!((job.last_row, job.status.as_str()), (0, "running"));
        let at = |last_row, done| ImportProgress {
            last_row,
            created: last_row,
            duplicates: 0,
            rejected: 0,
            done,
        };
        store
            .import_progress(&op, job.id, at(40, false))
            .await
            .unwrap();
        store
            .import_progress(&op, job.id, at(20, false))
            .await
            .unwrap();
        let again = store
            .start_import(&op, "abc", id, "valid_only")
            .await
            .unwrap();
        assert_eq!(
            (again.id, again.last_row, again.created),
            (job.id, 40, 40),
            "{}",
            db.backend
        );
        store
            .import_progress(&op, job.id, at(90, true))
            .await
            .unwrap();
        let done = store
            .start_import(&op, "abc", id, "valid_only")
            .await
            .unwrap();
        assert_eq!((done.last_row, done.status.as_str()), (90, "done"));
        let other = store
            .start_import(&op, "def", id, "valid_only")
            .await
            .unwrap();
        assert_ne!(other.id, job.id);
    }
}

#[tokio::test]
async fn organisations_keep_their_jobs_and_mappings_apart() {
    let now = datetime!(2026-11-27 10:00 UTC);
    for db in testing::all().await {
        let store = Store::open(&db.url).await.expect("open store");
        let op = Principal::operator(now);
        let id = arrival(&store, now).await;
        let a = clerk_of(&store, "A", now).await;
        let b = clerk_of(&store, "B", now).await;

        // The same file into the same arrival: one job per organisation.
        let job_a = store
            .start_import(&a, "same", id, "valid_only")
            .await
            .unwrap();
        let job_b = store
            .start_import(&b, "same", id, "valid_only")
            .await
            .unwrap();
        assert_ne!(job_a.id, job_b.id, "{}", db.backend);
        assert_eq!(job_a.organisation_id, a.organisation_id);
        let done = ImportProgress {
            last_row: 5,
            created: 5,
            duplicates: 0,
            rejected: 0,
            done: true,
        };
        // Another organisation's job does not move.
        store.import_progress(&b, job_a.id, done).await.unwrap();
        assert_eq!(
            store
                .import_job(&a, job_a.id)
                .await
                .unwrap()
                .unwrap()
                .status,
            "running"
        );
        store.import_progress(&a, job_a.id, done).await.unwrap();
        assert_eq!(
            store
                .start_import(&a, "same", id, "valid_only")
                .await
                .unwrap()
                .status,
            "done"
        );
        assert_eq!(
            store
                .start_import(&b, "same", id, "valid_only")
                .await
                .unwrap()
                .status,
            "running"
        );
        let ids =
            |jobs: Vec<passage_store::ImportJob>| jobs.iter().map(|j| j.id).collect::<Vec<_>>();
        assert_eq!(
            ids(store.import_jobs(&a, 50).await.unwrap()),
            vec![job_a.id]
        );
        assert_eq!(store.import_job(&b, job_a.id).await.unwrap(), None);
        assert_eq!(
            store
                .import_job_of(&b, "same", id)
                .await
                .unwrap()
                .map(|j| j.id),
            Some(job_b.id)
        );
        assert_eq!(store.import_jobs(&op, 50).await.unwrap().len(), 2);
        let unknown = Uuid::now_v7();
        assert!(matches!(
            store.start_import(&a, "other", unknown, "valid_only").await,
            Err(StoreError::NotFound {
                entity: "arrival",
                ..
            })
        ));

        // Mappings: the operator's are shared, an organisation's are its own.
        let shared = json!({"columns": {"Sex": "sex"}});
        store
            .save_import_mapping(&op, "partner", &shared)
            .await
            .unwrap();
        let own = json!({"columns": {"Gender": "sex"}});
        store
            .save_import_mapping(&a, "partner", &own)
            .await
            .unwrap();
        store.save_import_mapping(&a, "mine", &own).await.unwrap();
        assert_eq!(
            store.import_mapping(&a, "partner").await.unwrap(),
            Some(own.clone())
        );
        assert_eq!(
            store.import_mapping(&b, "partner").await.unwrap(),
            Some(shared.clone())
        );
        assert_eq!(
            store.import_mapping(&op, "partner").await.unwrap(),
            Some(shared)
        );
        assert_eq!(store.import_mapping(&b, "mine").await.unwrap(), None);
        let names = |p: &Principal| {
            let store = store.clone();
            let p = p.clone();
            async move {
                store
                    .import_mappings(&p)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|m| (m.name, m.organisation_id.is_some()))
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(
            names(&a).await,
            vec![
                ("mine".to_owned(), true),
                ("partner".to_owned(), true),
                ("partner".to_owned(), false)
            ],
            "{}",
            db.backend
        );
        assert_eq!(names(&b).await, vec![("partner".to_owned(), false)]);
    }
}
