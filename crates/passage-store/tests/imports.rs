#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Bulk import bookkeeping on every backend: a mapping saved by name is read back and
//! replaced; a file's job is found again by its digest and arrival, its last row never
//! moves back, and once done it stays done.

use passage_domain::access::Principal;
use passage_domain::arrival::{ArrivalDetails, ArrivalMode};
use passage_domain::codes::Country;
use passage_domain::regno::SiteCode;
use passage_domain::site::{SiteDetails, SiteKind};
use passage_store::{ImportProgress, Store, testing};
use serde_json::json;
use time::macros::datetime;

#[tokio::test]
async fn an_import_job_resumes_and_a_mapping_is_kept_by_name() {
    let now = datetime!(2026-11-27 10:00 UTC);
    for db in testing::all().await {
        let store = Store::open(&db.url).await.expect("open store");
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
        let arrival = store
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
            .unwrap();
        let id = arrival.meta.id;

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
