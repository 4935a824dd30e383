//! Access control through the real router on a real database: login and lockout, CSRF,
//! session lifetimes and API tokens. The route-by-role matrix is in `access_matrix.rs`,
//! organisation isolation in `access_isolation.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::http::{Method, StatusCode, header};
use passage_domain::access::{Principal, Role};
use passage_server::auth::{self, AuthConfig};
use passage_store::NewUser;
use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

#[macro_use]
mod support;

use support::access::*;
use support::{App, NOW, PASSWORD};

// ---------------------------------------------------------------------------------------
// 4. Login and lockout

async fn try_login(app: &App, username: &str, password: &str) -> Answer {
    send(
        app,
        Method::POST,
        "/api/v1/session",
        Auth::Nobody,
        Some(&json!({"username": username, "password": password})),
    )
    .await
}

/// Status, content type and body: what a client can tell apart.
fn seen(a: &Answer) -> (StatusCode, String, Value, Option<String>) {
    let www = a
        .headers
        .get(header::WWW_AUTHENTICATE)
        .map(|v| v.to_str().unwrap().to_owned());
    (a.status, a.content_type().to_owned(), a.body.clone(), www)
}

on_every_backend!(
    login_refuses_alike_and_locks_after_five_failures,
    |mut app: App| async move {
        let clerk = username("a", Role::RegistrationClerk);
        let ok = try_login(&app, &clerk, PASSWORD).await;
        assert_eq!(ok.status, StatusCode::OK, "{ok:?}");
        assert_eq!(ok.body["username"], clerk);
        assert_eq!(ok.body["roles"], json!(["registration_clerk"]));
        let csrf = ok.body["csrf_token"].as_str().unwrap();
        assert!(csrf.len() >= 32, "{csrf}");
        let cookie = ok.headers[header::SET_COOKIE].to_str().unwrap();
        assert!(cookie.starts_with("passage_session="), "{cookie}");
        let flags: Vec<&str> = cookie.split(';').map(str::trim).collect();
        assert!(flags.contains(&"HttpOnly"), "{cookie}");
        assert!(flags.contains(&"SameSite=Strict"), "{cookie}");
        assert!(flags.contains(&"Path=/"), "{cookie}");
        assert!(flags[0].len() > "passage_session=".len() + 32, "{cookie}");

        let wrong = try_login(&app, &clerk, "not the password").await;
        let unknown = try_login(&app, "nobody.here", PASSWORD).await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{wrong:?}");
        assert!(wrong.is_problem());
        assert!(wrong.headers.get(header::SET_COOKIE).is_none());
        assert_eq!(seen(&wrong), seen(&unknown));
        let disabled = username("b", Role::SiteManager);
        app.store
            .set_user_disabled(&Principal::operator(NOW), &disabled, true)
            .await
            .unwrap();
        assert_eq!(
            seen(&try_login(&app, &disabled, PASSWORD).await),
            seen(&wrong)
        );
        // Bad input is about the input, not the account.
        let a = send(
            &app,
            Method::POST,
            "/api/v1/session",
            Auth::Nobody,
            Some(&json!({"username": clerk})),
        )
        .await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{a:?}");

        // Four failures do not lock; a success clears them.
        let caseworker = username("a", Role::AsylumCaseworker);
        for _ in 0..4 {
            assert_eq!(
                seen(&try_login(&app, &caseworker, "guess").await),
                seen(&wrong)
            );
        }
        assert_eq!(
            try_login(&app, &caseworker, PASSWORD).await.status,
            StatusCode::OK
        );
        let creds = app.store.credentials(&caseworker).await.unwrap().unwrap();
        assert_eq!((creds.failed_logins, creds.user.locked_until), (0, None));

        // Five in a row lock, and the right password is then refused alike.
        let officer = username("a", Role::ScreeningOfficer);
        for _ in 0..5 {
            assert_eq!(
                seen(&try_login(&app, &officer, "guess").await),
                seen(&wrong)
            );
        }
        let locked = try_login(&app, &officer, PASSWORD).await;
        assert_eq!(
            seen(&locked),
            seen(&wrong),
            "a locked account answers like a wrong password"
        );
        let creds = app.store.credentials(&officer).await.unwrap().unwrap();
        assert_eq!(
            creds.failed_logins, 5,
            "the right password is not a failure"
        );
        let until = creds.user.locked_until.expect("locked after five failures");
        assert!(until > NOW, "{until}");
        // Still locked just before the end.
        clock_at(&mut app, until - Duration::milliseconds(1));
        assert_eq!(
            seen(&try_login(&app, &officer, PASSWORD).await),
            seen(&wrong)
        );
        // And open after it.
        clock_at(&mut app, until + Duration::seconds(1));
        let a = try_login(&app, &officer, PASSWORD).await;
        assert_eq!(a.status, StatusCode::OK, "{a:?}");
        let creds = app.store.credentials(&officer).await.unwrap().unwrap();
        assert_eq!((creds.failed_logins, creds.user.locked_until), (0, None));
    }
);

// ---------------------------------------------------------------------------------------
// 5. CSRF

on_every_backend!(
    a_session_changes_nothing_without_its_csrf_token,
    |app: App| async move {
        let (cookie, csrf) = login(&app, &username("a", Role::Supervisor)).await;
        let site =
            json!({"code": "CSRF", "name": "Forged", "kind": "transit_centre", "country": "IDN"});
        let refusals = [None, Some("0123456789abcdef"), Some("")];
        for sent in refusals {
            let a = send(
                &app,
                Method::POST,
                "/api/v1/sites",
                Auth::Session(&cookie, sent),
                Some(&site),
            )
            .await;
            assert_eq!(
                a.status,
                StatusCode::FORBIDDEN,
                "CSRF token {sent:?}: {a:?}"
            );
            assert!(a.is_problem(), "{a:?}");
        }
        // Reads need no token.
        let list = send(
            &app,
            Method::GET,
            "/api/v1/sites",
            Auth::Session(&cookie, None),
            None,
        )
        .await;
        assert_eq!(list.status, StatusCode::OK, "{list:?}");
        assert_eq!(
            list.body["items"],
            json!([]),
            "the refused writes left nothing"
        );
        let me = send(
            &app,
            Method::GET,
            "/api/v1/session",
            Auth::Session(&cookie, None),
            None,
        )
        .await;
        assert_eq!(me.status, StatusCode::OK, "{me:?}");
        assert_eq!(me.body["username"], "supervisor.a");
        assert!(me.body.get("csrf_token").is_none(), "{me:?}");

        let made = send(
            &app,
            Method::POST,
            "/api/v1/sites",
            Auth::Session(&cookie, Some(&csrf)),
            Some(&site),
        )
        .await;
        assert_eq!(made.status, StatusCode::CREATED, "{made:?}");
        let path = format!("/api/v1/sites/{}", made.body["id"].as_str().unwrap());
        let patch = json!({"version": 1, "details": {"capacity": 40}});
        for sent in refusals {
            let a = send(
                &app,
                Method::PATCH,
                &path,
                Auth::Session(&cookie, sent),
                Some(&patch),
            )
            .await;
            assert_eq!(
                a.status,
                StatusCode::FORBIDDEN,
                "CSRF token {sent:?}: {a:?}"
            );
        }
        let a = send(
            &app,
            Method::PATCH,
            &path,
            Auth::Session(&cookie, Some(&csrf)),
            Some(&patch),
        )
        .await;
        assert_eq!(a.status, StatusCode::OK, "{a:?}");
        assert_eq!(a.body["version"], 2);

        // Another session's token does not do.
        let (other_cookie, other_csrf) = login(&app, &username("a", Role::SiteManager)).await;
        let a = send(
            &app,
            Method::PATCH,
            &path,
            Auth::Session(&other_cookie, Some(&csrf)),
            Some(&json!({"version": 2})),
        )
        .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{a:?}");
        let a = send(
            &app,
            Method::PATCH,
            &path,
            Auth::Session(&cookie, Some(&other_csrf)),
            Some(&json!({"version": 2})),
        )
        .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{a:?}");

        // Logging out is a change too.
        let a = send(
            &app,
            Method::DELETE,
            "/api/v1/session",
            Auth::Session(&cookie, None),
            None,
        )
        .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{a:?}");
        let a = send(
            &app,
            Method::DELETE,
            "/api/v1/session",
            Auth::Session(&cookie, Some(&csrf)),
            None,
        )
        .await;
        assert_eq!(a.status, StatusCode::NO_CONTENT, "{a:?}");
        let a = send(
            &app,
            Method::GET,
            "/api/v1/sites",
            Auth::Session(&cookie, None),
            None,
        )
        .await;
        assert_eq!(
            a.status,
            StatusCode::UNAUTHORIZED,
            "a session ends at logout: {a:?}"
        );
        // An API token needs no CSRF token: a browser never sends it by itself.
        let site =
            json!({"code": "TKN", "name": "By token", "kind": "transit_centre", "country": "IDN"});
        let (s, body) = app.post("/api/v1/sites", site).await;
        assert_eq!(s, StatusCode::CREATED, "{body}");
    }
);

// ---------------------------------------------------------------------------------------
// 6. Session lifetimes

async fn whoami(app: &App, cookie: &str) -> StatusCode {
    send(
        app,
        Method::GET,
        "/api/v1/session",
        Auth::Session(cookie, None),
        None,
    )
    .await
    .status
}

on_every_backend!(
    sessions_end_when_idle_and_at_their_absolute_limit,
    |mut app: App| async move {
        let config = AuthConfig::default();
        assert_eq!(
            (config.idle, config.absolute),
            (Duration::minutes(30), Duration::hours(12))
        );
        let user = username("a", Role::AssistanceOfficer);
        let (idle, _) = login(&app, &user).await;
        let (busy, _) = login(&app, &user).await;
        // Used every 29 minutes, the busy session lives on; the idle one ends after 30.
        let mut t = NOW;
        for step in 1..=24 {
            t = NOW + Duration::minutes(29 * step);
            clock_at(&mut app, t);
            assert_eq!(whoami(&app, &busy).await, StatusCode::OK, "{}", t - NOW);
            if step == 2 {
                assert_eq!(
                    whoami(&app, &idle).await,
                    StatusCode::UNAUTHORIZED,
                    "idle since login, at {}",
                    t - NOW
                );
            }
        }
        assert_eq!(t, NOW + Duration::minutes(696));
        t = NOW + config.absolute - Duration::minutes(1);
        clock_at(&mut app, t);
        assert_eq!(whoami(&app, &busy).await, StatusCode::OK, "{}", t - NOW);
        // Twelve hours after login it ends, though it was used a minute ago.
        t = NOW + config.absolute;
        clock_at(&mut app, t);
        assert_eq!(
            whoami(&app, &busy).await,
            StatusCode::UNAUTHORIZED,
            "{}",
            t - NOW
        );

        // The store says the same, and an ended session stays ended.
        let hash = auth::digest(&idle);
        assert!(
            app.store
                .session(&hash, NOW + Duration::minutes(31), config.idle)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            app.store
                .session(&hash, NOW + Duration::minutes(29), config.idle)
                .await
                .unwrap()
                .is_some()
        );
        let hash = auth::digest(&busy);
        assert!(
            app.store
                .session(&hash, NOW + config.absolute, config.idle)
                .await
                .unwrap()
                .is_none()
        );
        // An unknown cookie is no session.
        let a = send(
            &app,
            Method::GET,
            "/api/v1/session",
            Auth::Session("forged", None),
            None,
        )
        .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        assert!(a.is_problem());
    }
);

// ---------------------------------------------------------------------------------------
// 7. API tokens

async fn new_token(
    app: &App,
    user: &str,
    roles: Option<Vec<Role>>,
    expires: OffsetDateTime,
) -> (Uuid, String) {
    let secret = auth::new_secret("psg_").unwrap();
    let id = app
        .store
        .create_token(
            user,
            "access test",
            auth::digest(&secret),
            roles,
            expires,
            NOW,
        )
        .await
        .unwrap();
    (id, secret)
}

on_every_backend!(
    tokens_carry_only_their_roles_and_stop_when_expired_revoked_or_disabled,
    |mut app: App| async move {
        let arrival = app.arrival().await;
        // A user holding two roles.
        app.store
            .create_user(
                &Principal::operator(NOW),
                NewUser {
                    organisation_id: app.organisations["a"],
                    username: "two.roles".into(),
                    display_name: "Two roles".into(),
                    password_hash: auth::hash_password(PASSWORD).unwrap(),
                    roles: vec![Role::RegistrationClerk, Role::DataProtectionFocalPoint],
                },
            )
            .await
            .unwrap();
        let day = NOW + Duration::days(1);
        let (_, both) = new_token(&app, "two.roles", None, day).await;
        let (_, clerk) =
            new_token(&app, "two.roles", Some(vec![Role::RegistrationClerk]), day).await;
        let (_, focal) = new_token(
            &app,
            "two.roles",
            Some(vec![Role::DataProtectionFocalPoint]),
            day,
        )
        .await;
        let (_, none) = new_token(&app, "two.roles", Some(vec![]), day).await;
        // A token cannot hold a role its user lacks.
        let secret = auth::new_secret("psg_").unwrap();
        assert!(
            app.store
                .create_token(
                    "two.roles",
                    "x",
                    auth::digest(&secret),
                    Some(vec![Role::Supervisor]),
                    day,
                    NOW
                )
                .await
                .is_err()
        );

        // Only the clerk role registers households; only the focal point role lists users.
        for (token, registers, lists_users) in [
            (&both, true, true),
            (&clerk, true, false),
            (&focal, false, true),
            (&none, false, false),
        ] {
            let (s, h) = app
                .post_as(token, "/api/v1/households", another_level_one(&arrival))
                .await;
            let expected = if registers {
                StatusCode::CREATED
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(s, expected, "{h}");
            let (s, users) = app.get_as(token, "/api/v1/users").await;
            let expected = if lists_users {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(s, expected, "{users}");
            let (s, me) = app.get_as(token, "/api/v1/session").await;
            assert_eq!(s, StatusCode::OK, "{me}");
            let roles: Vec<Role> = serde_json::from_value(me["roles"].clone()).unwrap();
            assert!(
                roles
                    .iter()
                    .all(|r| [Role::RegistrationClerk, Role::DataProtectionFocalPoint].contains(r))
            );
            assert_eq!(roles.contains(&Role::RegistrationClerk), registers, "{me}");
            assert_eq!(
                roles.contains(&Role::DataProtectionFocalPoint),
                lists_users,
                "{me}"
            );
        }

        // Unknown and malformed tokens.
        for token in ["psg_0000", ""] {
            let a = send(
                &app,
                Method::GET,
                "/api/v1/sites",
                Auth::Bearer(token),
                None,
            )
            .await;
            assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{a:?}");
        }

        // Revoked: refused from then on.
        let (id, revoked) = new_token(&app, "two.roles", None, day).await;
        assert_eq!(
            app.get_as(&revoked, "/api/v1/sites").await.0,
            StatusCode::OK
        );
        app.store.revoke_token(id, NOW).await.unwrap();
        let a = send(
            &app,
            Method::GET,
            "/api/v1/sites",
            Auth::Bearer(&revoked),
            None,
        )
        .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{a:?}");
        assert!(a.is_problem());
        assert!(
            app.store.revoke_token(id, NOW).await.is_err(),
            "revoked twice"
        );

        // Disabled user: every token of theirs stops, and starts again when enabled.
        let operator = Principal::operator(NOW);
        app.store
            .set_user_disabled(&operator, "two.roles", true)
            .await
            .unwrap();
        for token in [&both, &clerk, &focal] {
            let a = send(
                &app,
                Method::GET,
                "/api/v1/sites",
                Auth::Bearer(token),
                None,
            )
            .await;
            assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{a:?}");
        }
        let other = app.token_of("a", Role::RegistrationClerk);
        assert_eq!(
            app.get_as(&other, "/api/v1/sites").await.0,
            StatusCode::OK,
            "other users go on"
        );
        app.store
            .set_user_disabled(&operator, "two.roles", false)
            .await
            .unwrap();
        assert_eq!(app.get_as(&both, "/api/v1/sites").await.0, StatusCode::OK);

        // Expired: refused from its expiry on.
        let (_, short) = new_token(&app, "two.roles", None, NOW + Duration::hours(1)).await;
        let (_, stale) = new_token(&app, "two.roles", None, NOW).await;
        assert_eq!(app.get_as(&short, "/api/v1/sites").await.0, StatusCode::OK);
        assert_eq!(
            app.get_as(&stale, "/api/v1/sites").await.0,
            StatusCode::UNAUTHORIZED
        );
        clock_at(&mut app, NOW + Duration::hours(1) - Duration::seconds(1));
        assert_eq!(app.get_as(&short, "/api/v1/sites").await.0, StatusCode::OK);
        clock_at(&mut app, NOW + Duration::hours(1));
        let a = send(
            &app,
            Method::GET,
            "/api/v1/sites",
            Auth::Bearer(&short),
            None,
        )
        .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{a:?}");
        assert_eq!(
            app.get_as(&both, "/api/v1/sites").await.0,
            StatusCode::OK,
            "a day-long token goes on"
        );
    }
);
