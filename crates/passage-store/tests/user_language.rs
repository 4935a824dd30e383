#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The language of the pages is kept with the user, on every backend: a session reads it
//! back, a user sets only their own, and a tag that is not one is refused.

use passage_domain::access::{OrganisationDetails, OrganisationKind, Principal, Role};
use passage_store::testing;
use passage_store::{NewUser, Store, StoreError};
use time::Duration;
use time::macros::datetime;

#[tokio::test]
async fn the_language_follows_the_user_into_every_session() {
    let now = datetime!(2026-11-27 10:00 UTC);
    for db in testing::all().await {
        let store = Store::open(&db.url).await.expect("open store");
        let op = Principal::operator(now);
        let org = store
            .create_organisation(
                &op,
                OrganisationDetails {
                    name: "Registration office".into(),
                    kind: OrganisationKind::GovernmentAuthority,
                    country: None,
                    country_of_origin_authority: false,
                },
            )
            .await
            .unwrap();
        let user = store
            .create_user(
                &op,
                NewUser {
                    organisation_id: org.meta.id,
                    username: "clerk".into(),
                    display_name: "Clerk".into(),
                    password_hash: "not used here".into(),
                    roles: vec![Role::RegistrationClerk],
                },
            )
            .await
            .unwrap();
        let open = |hash: &'static str| {
            let store = store.clone();
            async move {
                store
                    .login_succeeded(
                        user.meta.id,
                        hash.into(),
                        "csrf".into(),
                        now,
                        now + Duration::hours(12),
                    )
                    .await
                    .unwrap();
            }
        };
        open("first").await;
        let idle = Duration::minutes(30);
        let first = store.session("first", now, idle).await.unwrap().unwrap();
        assert_eq!(first.language, None, "{}", db.backend);
        assert_eq!(first.csrf, "csrf");

        store
            .set_user_language(&first.principal, "zh-CN")
            .await
            .unwrap();
        // Another session, as from another browser, reads it back.
        open("second").await;
        let second = store.session("second", now, idle).await.unwrap().unwrap();
        assert_eq!(second.language.as_deref(), Some("zh-CN"), "{}", db.backend);
        // The users list says it too.
        let listed = store.users(&op).await.unwrap();
        assert_eq!(listed[0].language.as_deref(), Some("zh-CN"));

        let refused = store
            .set_user_language(&first.principal, "zh CN; DROP")
            .await;
        assert!(
            matches!(refused, Err(StoreError::Invalid(_))),
            "{refused:?}"
        );
        let refused = store.set_user_language(&op, "en").await;
        assert!(
            matches!(refused, Err(StoreError::Refused(_))),
            "{refused:?}"
        );
        let kept = store.session("first", now, idle).await.unwrap().unwrap();
        assert_eq!(kept.language.as_deref(), Some("zh-CN"), "{}", db.backend);
    }
}
