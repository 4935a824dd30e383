//! Field submissions in the store: kept exactly as received, keyed by instance id (a
//! resend stores nothing twice, a split submission gathers its attachments, other content
//! under a known id is refused), visible to the submitting organisation only, settled
//! once. On every backend.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use passage_domain::access::{OrganisationDetails, OrganisationKind, Principal, Resource, Role};
use passage_domain::error::FieldError;
use passage_store::{
    Created, NewAttachment, NewSubmission, Outcome, Store, StoreError, SubmissionStatus, testing,
};
use time::OffsetDateTime;
use time::macros::datetime;
use uuid::Uuid;

const NOW: OffsetDateTime = datetime!(2026-11-27 10:00 UTC);

fn user(org: Uuid, role: Role) -> Principal {
    Principal {
        user_id: Some(Uuid::now_v7()),
        at: NOW,
        name: format!("{}.{org}", role.code()),
        organisation_id: Some(org),
        roles: vec![role],
        context: Default::default(),
    }
}

async fn organisation(store: &Store, name: &str) -> Uuid {
    let details = OrganisationDetails {
        name: name.to_owned(),
        kind: OrganisationKind::Ngo,
        country: None,
        country_of_origin_authority: false,
    };
    store
        .create_organisation(&Principal::operator(NOW), details)
        .await
        .unwrap()
        .meta
        .id
}

fn submission(instance: &str, xml: &str, attachments: &[(&str, &[u8])]) -> NewSubmission {
    NewSubmission {
        instance_id: instance.to_owned(),
        form_id: "passage_registration_l1".to_owned(),
        form_version: "2026112701".to_owned(),
        creates: Resource::Household,
        xml: xml.to_owned(),
        draft: serde_json::json!({"head": {"given_name": "Ayub"}}),
        attachments: attachments
            .iter()
            .map(|(name, bytes)| NewAttachment {
                name: (*name).to_owned(),
                content_type: "image/jpeg".to_owned(),
                bytes: bytes.to_vec(),
            })
            .collect(),
    }
}

#[tokio::test]
async fn submissions_are_kept_once_and_whole() {
    for db in testing::all().await {
        eprintln!("{}", db.backend);
        let store = Store::open(&db.url).await.unwrap();
        let a = organisation(&store, "A").await;
        let b = organisation(&store, "B").await;
        let clerk = user(a, Role::RegistrationClerk);
        let xml = "<data id=\"passage_registration_l1\">ایوب &amp; </data>";
        let photo: &[u8] = &[0xff, 0xd8, 0x00, 0x10, 0xfe];

        let (first, new) = store
            .receive_submission(&clerk, submission("uuid:1", xml, &[("p.jpg", photo)]))
            .await
            .unwrap();
        assert!(new);
        assert_eq!(first.status, SubmissionStatus::Received);
        assert_eq!(first.draft.as_ref().unwrap()["head"]["given_name"], "Ayub");
        assert_eq!(first.attachments[0].size, 5);

        // Again, with one more attachment (the second request of a split submission).
        let (again, new) = store
            .receive_submission(
                &clerk,
                submission("uuid:1", xml, &[("p.jpg", photo), ("q.jpg", b"q")]),
            )
            .await
            .unwrap();
        assert!(!new);
        assert_eq!(again.id, first.id);
        let names: Vec<&str> = again.attachments.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["p.jpg", "q.jpg"]);

        // Other XML, or other bytes under a known attachment name: refused.
        let err = store
            .receive_submission(&clerk, submission("uuid:1", "<data/>", &[]))
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Refused(_)), "{err}");
        let err = store
            .receive_submission(&clerk, submission("uuid:1", xml, &[("p.jpg", b"other")]))
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Refused(_)), "{err}");

        // Exactly as received, to the submitting organisation only.
        let (read, stored_xml) = store.submission(&clerk, first.id).await.unwrap().unwrap();
        assert_eq!(stored_xml, xml);
        assert_eq!(read.attachments.len(), 2);
        let other = user(b, Role::RegistrationClerk);
        assert!(store.submission(&other, first.id).await.unwrap().is_none());
        let (ctype, bytes) = store
            .submission_attachment(&clerk, first.id, "p.jpg")
            .await
            .unwrap()
            .unwrap();
        assert_eq!((ctype.as_str(), bytes.as_slice()), ("image/jpeg", photo));
        assert!(
            store
                .submission_attachment(&other, first.id, "p.jpg")
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store
                .submissions(&other, false, 50)
                .await
                .unwrap()
                .is_empty()
        );
        let analyst = user(a, Role::DataAnalyst);
        assert!(matches!(
            store.submissions(&analyst, false, 50).await.unwrap_err(),
            StoreError::Forbidden(_)
        ));
        assert!(matches!(
            store
                .receive_submission(
                    &user(a, Role::ScreeningOfficer),
                    submission("uuid:2", xml, &[])
                )
                .await
                .unwrap_err(),
            StoreError::Forbidden(_)
        ));

        // Into review with its reasons; a reviewer rejects it once, at the version read.
        let reasons = vec![FieldError {
            field: "head.sex".into(),
            message: "is missing".into(),
        }];
        let settled = store
            .settle_submission(
                &clerk,
                first.id,
                Outcome::Review {
                    draft: Some(serde_json::json!({"head": {}})),
                    reasons: reasons.clone(),
                    candidates: serde_json::json!([]),
                },
            )
            .await
            .unwrap();
        assert_eq!(settled.status, SubmissionStatus::Review);
        assert_eq!(settled.reasons, reasons);
        let waiting = store.submissions(&clerk, true, 50).await.unwrap();
        assert_eq!(waiting.len(), 1);
        let err = store
            .decide_submission(&clerk, first.id, settled.version - 1, "stale".into(), true)
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
        let rejected = store
            .decide_submission(
                &clerk,
                first.id,
                settled.version,
                "training entry".into(),
                true,
            )
            .await
            .unwrap();
        assert_eq!(rejected.status, SubmissionStatus::Rejected);
        assert_eq!(rejected.decision_reason.as_deref(), Some("training entry"));
        assert!(
            store
                .submissions(&clerk, true, 50)
                .await
                .unwrap()
                .is_empty()
        );
        let err = store
            .settle_submission(
                &clerk,
                first.id,
                Outcome::Review {
                    draft: None,
                    reasons: Vec::new(),
                    candidates: serde_json::json!([]),
                },
            )
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Refused(_)), "{err}");
        store.close().await;
    }
}

#[tokio::test]
async fn a_submission_its_sender_may_not_make_waits_for_someone_who_may() {
    for db in testing::all().await {
        eprintln!("{}", db.backend);
        let store = Store::open(&db.url).await.unwrap();
        let a = organisation(&store, "A").await;
        let officer = user(a, Role::ScreeningOfficer);
        let clerk = user(a, Role::RegistrationClerk);
        let xml = "<data id=\"passage_registration_l1\">held</data>";

        // Kept in review with the reason; the same XML again stores nothing twice.
        let held = store
            .hold_submission(&officer, submission("uuid:h", xml, &[("p.jpg", b"p")]))
            .await
            .unwrap();
        assert!(held.fresh);
        assert_eq!(held.status, SubmissionStatus::Review);
        let again = store
            .hold_submission(&officer, submission("uuid:h", xml, &[]))
            .await
            .unwrap();
        assert_eq!((again.id, again.fresh), (held.id, false));
        // Its sender reads nothing of it; those who may register see it and why.
        assert!(matches!(
            store.submission(&officer, held.id).await.unwrap_err(),
            StoreError::Forbidden(_)
        ));
        assert!(
            store
                .submissions(&officer, true, 50)
                .await
                .unwrap()
                .is_empty()
        );
        let waiting = store.submissions(&clerk, true, 50).await.unwrap();
        assert_eq!(waiting.len(), 1);
        assert_eq!(waiting[0].creates, Resource::Household);
        assert_eq!(waiting[0].reasons[0].field, "submitted_by");
        assert_eq!(waiting[0].attachments.len(), 1);

        // Whoever may create it receives it instead; someone of no organisation has no
        // reviewer.
        let err = store
            .hold_submission(&clerk, submission("uuid:c", xml, &[]))
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Refused(_)), "{err}");
        let nobody = Principal {
            organisation_id: None,
            ..user(a, Role::DataAnalyst)
        };
        let err = store
            .hold_submission(&nobody, submission("uuid:n", xml, &[]))
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Forbidden(_)), "{err}");

        // A reviewer accepts it; it records only the kind of record its form creates.
        store
            .decide_submission(&clerk, held.id, waiting[0].version, "checked".into(), false)
            .await
            .unwrap();
        let err = store
            .settle_submission(
                &clerk,
                held.id,
                Outcome::Registered {
                    record: Created::Screening(Uuid::now_v7()),
                    status: SubmissionStatus::Accepted,
                },
            )
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Refused(_)), "{err}");
        store.close().await;
    }
}
