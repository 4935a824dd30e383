//! Access control through the real router on a real database: another organisation's
//! records answer as missing ones by every route; analysts and administrators never
//! see names.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::http::{Method, StatusCode};
use passage_domain::access::{self, Action, Resource, Role};
use passage_domain::regno::{RegistrationNumber, SiteCode};
use serde_json::{Value, json};
use uuid::Uuid;

#[macro_use]
mod support;

use Action::{Read, Update};
use Resource::{AuditLog, Document, Household, Person};
use support::access::*;
use support::{App, SPECIMEN_TD3};

// ---------------------------------------------------------------------------------------
// 2. Organisation isolation

on_every_backend!(
    another_organisations_household_is_as_missing_by_every_route,
    |app: App| async move {
        let clerk_a = app.token_of("a", Role::RegistrationClerk);
        let f = fixture(&app, &clerk_a).await;
        let missing = Uuid::now_v7().to_string();
        let site = SiteCode::try_from(f.person_number[..3].to_owned()).unwrap();
        let missing_number = RegistrationNumber::new(site, 999_999).to_string();
        let (_, before) = app
            .get_as(&clerk_a, &format!("/api/v1/households/{}", f.household))
            .await;

        // (method, path of the real record, path of a missing one, body, and the permission
        // without which the record is not even looked up)
        let probes: Vec<(Method, String, String, Option<Value>, Action, Resource)> = vec![
            (
                Method::GET,
                format!("/api/v1/persons/{}", f.person),
                format!("/api/v1/persons/{missing}"),
                None,
                Read,
                Person,
            ),
            (
                Method::GET,
                format!("/api/v1/persons/by-number/{}", f.person_number),
                format!("/api/v1/persons/by-number/{missing_number}"),
                None,
                Read,
                Person,
            ),
            (
                Method::GET,
                format!("/api/v1/persons/{}/token.svg", f.person),
                format!("/api/v1/persons/{missing}/token.svg"),
                None,
                Read,
                Person,
            ),
            (
                Method::GET,
                format!("/api/v1/households/{}", f.household),
                format!("/api/v1/households/{missing}"),
                None,
                Read,
                Household,
            ),
            (
                Method::GET,
                format!("/api/v1/households/by-number/{}", f.household_number),
                format!("/api/v1/households/by-number/{missing_number}"),
                None,
                Read,
                Household,
            ),
            (
                Method::GET,
                format!("/api/v1/households/{}/token.svg", f.household),
                format!("/api/v1/households/{missing}/token.svg"),
                None,
                Read,
                Household,
            ),
            (
                Method::GET,
                format!("/api/v1/persons/{}/audit", f.person),
                format!("/api/v1/persons/{missing}/audit"),
                None,
                Read,
                AuditLog,
            ),
            (
                Method::GET,
                format!("/api/v1/documents/{}", f.document),
                format!("/api/v1/documents/{missing}"),
                None,
                Read,
                Document,
            ),
            // A stale version: a visible record would answer 409.
            (
                Method::PATCH,
                format!("/api/v1/persons/{}", f.person),
                format!("/api/v1/persons/{missing}"),
                Some(json!({"version": 99, "details": {"family_name": "Changed"}})),
                Read,
                Person,
            ),
            (
                Method::POST,
                format!("/api/v1/persons/{}/documents", f.person),
                format!("/api/v1/persons/{missing}/documents"),
                Some(json!({"kind": "passport", "number": "B7654321"})),
                Read,
                Person,
            ),
            (
                Method::PATCH,
                format!("/api/v1/households/{}", f.household),
                format!("/api/v1/households/{missing}"),
                Some(json!({"version": 99, "size": 5})),
                Read,
                Household,
            ),
            (
                Method::POST,
                format!("/api/v1/households/{}/members", f.household),
                format!("/api/v1/households/{missing}/members"),
                Some(
                    json!({"version": 99, "members": [{"relationship": "child", "person": {"given_name": "Nur", "sex": "F"}}]}),
                ),
                Update,
                Household,
            ),
            (
                Method::PATCH,
                format!("/api/v1/documents/{}", f.document),
                format!("/api/v1/documents/{missing}"),
                Some(json!({"version": 99, "details": {"number": "A7654321"}})),
                Read,
                Document,
            ),
        ];
        let lists: Vec<(String, Resource)> = vec![
            ("/api/v1/persons".into(), Person),
            ("/api/v1/persons?name=Mohammed%20Ayub".into(), Person),
            (
                "/api/v1/persons?name=%D9%85%D8%AD%D9%85%D8%AF".into(),
                Person,
            ),
            ("/api/v1/persons?nationality=stateless&sex=M".into(), Person),
            (
                format!("/api/v1/persons?household_id={}", f.household),
                Person,
            ),
            ("/api/v1/households".into(), Household),
            (
                format!("/api/v1/households?arrival_id={}", f.arrival),
                Household,
            ),
            ("/api/v1/documents".into(), Document),
            (
                format!("/api/v1/documents?person_id={}", f.person),
                Document,
            ),
            ("/api/v1/documents?number=A1234567".into(), Document),
        ];

        for role in Role::ALL {
            let token = app.token_of("b", role);
            for (method, real, gone, body, action, resource) in &probes {
                let seen = send(
                    &app,
                    method.clone(),
                    real,
                    Auth::Bearer(&token),
                    body.as_ref(),
                )
                .await;
                let absent = send(
                    &app,
                    method.clone(),
                    gone,
                    Auth::Bearer(&token),
                    body.as_ref(),
                )
                .await;
                let who = format!("{method} {real} as {role} of b");
                let expected = if access::allows(role, *action, *resource) {
                    StatusCode::NOT_FOUND
                } else {
                    StatusCode::FORBIDDEN
                };
                assert_eq!(seen.status, expected, "{who}: {seen:?}");
                assert_eq!(
                    masked(
                        &seen,
                        &[
                            &f.person,
                            &f.household,
                            &f.document,
                            &f.person_number,
                            &f.household_number
                        ]
                    ),
                    masked(&absent, &[&missing, &missing_number]),
                    "{who} answers unlike a missing record"
                );
                assert!(!seen.body.to_string().contains("Ayub"), "{who}: {seen:?}");
            }
            // MRZ verification against that person reads the person.
            let check = send(
                &app,
                Method::POST,
                "/api/v1/mrz/verify",
                Auth::Bearer(&token),
                Some(&json!({"mrz": SPECIMEN_TD3, "person_id": f.person})),
            )
            .await;
            let expected = if access::allows(role, Read, Person) {
                StatusCode::NOT_FOUND
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(
                check.status, expected,
                "MRZ check against a's person as {role} of b: {check:?}"
            );
            for (path, resource) in &lists {
                let (s, page) = app.get_as(&token, path).await;
                if access::allows(role, Read, *resource) {
                    assert_eq!(s, StatusCode::OK, "{path} as {role} of b: {page}");
                    assert_eq!(page["items"], json!([]), "{path} as {role} of b");
                } else {
                    assert_eq!(s, StatusCode::FORBIDDEN, "{path} as {role} of b: {page}");
                }
            }
        }

        // Nothing b tried changed anything.
        let (_, after) = app
            .get_as(&clerk_a, &format!("/api/v1/households/{}", f.household))
            .await;
        assert_eq!(before, after);
        let (_, person) = app
            .get_as(&clerk_a, &format!("/api/v1/persons/{}", f.person))
            .await;
        assert_eq!(person["version"], 1);
        assert_eq!(person["details"]["family_name"], "Ayub");
        let (_, docs) = app
            .get_as(
                &clerk_a,
                &format!("/api/v1/documents?person_id={}", f.person),
            )
            .await;
        assert_eq!(docs["items"].as_array().unwrap().len(), 1, "{docs}");
        assert_eq!(docs["items"][0]["version"], 1);

        // Organisation a sees it, by the roles that may.
        for role in Role::ALL {
            let token = app.token_of("a", role);
            let reads = [
                (format!("/api/v1/persons/{}", f.person), Person),
                (
                    format!("/api/v1/persons/by-number/{}", f.person_number),
                    Person,
                ),
                (format!("/api/v1/persons/{}/token.svg", f.person), Person),
                (format!("/api/v1/households/{}", f.household), Household),
                (
                    format!("/api/v1/households/by-number/{}", f.household_number),
                    Household,
                ),
                (
                    format!("/api/v1/households/{}/token.svg", f.household),
                    Household,
                ),
                (format!("/api/v1/documents/{}", f.document), Document),
            ];
            for (path, resource) in reads {
                let a = send(&app, Method::GET, &path, Auth::Bearer(&token), None).await;
                if access::allows(role, Read, resource) {
                    assert_eq!(a.status, StatusCode::OK, "{path} as {role} of a: {a:?}");
                    if path.ends_with(".svg") {
                        assert_eq!(a.content_type(), "image/svg+xml");
                    }
                } else {
                    assert_eq!(
                        a.status,
                        StatusCode::FORBIDDEN,
                        "{path} as {role} of a: {a:?}"
                    );
                }
            }
            for (path, resource) in &lists {
                let (s, page) = app.get_as(&token, path).await;
                if access::allows(role, Read, *resource) {
                    assert_eq!(s, StatusCode::OK, "{path} as {role} of a: {page}");
                    assert_eq!(
                        page["items"].as_array().unwrap().len(),
                        1,
                        "{path} as {role} of a: {page}"
                    );
                } else {
                    assert_eq!(s, StatusCode::FORBIDDEN, "{path} as {role} of a: {page}");
                }
            }
            if access::allows(role, Read, Person) {
                let (_, p) = app
                    .get_as(&token, &format!("/api/v1/persons/{}", f.person))
                    .await;
                assert_eq!(p["details"]["family_name"], "Ayub");
            }
        }
    }
);

// ---------------------------------------------------------------------------------------
// 3. Analysts and administrators

on_every_backend!(
    analysts_and_administrators_never_see_names,
    |app: App| async move {
        let f = fixture(&app, &app.token).await;
        let paths = [
            "/api/v1/persons".to_owned(),
            "/api/v1/persons?name=Ayub".to_owned(),
            "/api/v1/persons?nationality=stateless".to_owned(),
            "/api/v1/households".to_owned(),
            format!("/api/v1/households?arrival_id={}", f.arrival),
            "/api/v1/documents".to_owned(),
            format!("/api/v1/persons/{}", f.person),
            format!("/api/v1/persons/by-number/{}", f.person_number),
            format!("/api/v1/households/{}", f.household),
            format!("/api/v1/households/by-number/{}", f.household_number),
            format!("/api/v1/documents/{}", f.document),
        ];
        for org in ["a", "b"] {
            for role in [Role::DataAnalyst, Role::Administrator] {
                let token = app.token_of(org, role);
                for path in &paths {
                    let a = send(&app, Method::GET, path, Auth::Bearer(&token), None).await;
                    assert_eq!(
                        a.status,
                        StatusCode::FORBIDDEN,
                        "{path} as {role} of {org}: {a:?}"
                    );
                    assert!(a.is_problem(), "{a:?}");
                    let text = a.body.to_string();
                    assert!(
                        !text.contains("Ayub") && !text.contains("Mohammed"),
                        "{text}"
                    );
                }
                // What they may read carries no names either.
                let (s, sites) = app.get_as(&token, "/api/v1/sites").await;
                assert_eq!(s, StatusCode::OK, "{sites}");
                assert!(!sites.to_string().contains("Ayub"), "{sites}");
            }
        }
    }
);
