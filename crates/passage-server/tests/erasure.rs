//! Erasure, legal holds, data-subject requests and retention through the real router
//! on a real database. SQLite always, PostgreSQL when
//! `PASSAGE_TEST_PG_URL` is set (always under CI).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::http::StatusCode;
use passage_domain::access::{Principal, Role};
use passage_domain::data_protection::Purpose;
use passage_domain::data_protection::retention::RetentionPolicy;
use passage_domain::household::{Breakdown, HouseholdRegistration};
use passage_domain::person::{PersonDetails, Sex};
use serde_json::json;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

#[macro_use]
mod support;

use support::data_protection::*;
use support::{App, NOW, SPECIMEN_TD3};

on_every_backend!(
    erasure_removes_names_but_the_person_still_counts,
    |app: App| async move {
        let arrival = app.arrival().await;
        let h = household(&app, &arrival).await;
        let person = head(&h);
        let clerk = app.token_of("a", Role::RegistrationClerk);
        let (s, d) = app
            .post_as(
                &clerk,
                &format!("/api/v1/persons/{person}/documents"),
                json!({"kind": "passport", "mrz": SPECIMEN_TD3}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{d}");
        assert_eq!(d["details"]["number"], "L898902C3");
        let (s, p) = app
            .patch(
                &format!("/api/v1/persons/{person}"),
                json!({"version": 1, "details": {"other_names": ["Mohd Ayoub"]}}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{p}");
        let (s, _) = app
            .post_as(
                &clerk,
                &format!("/api/v1/persons/{person}/consents"),
                json!({"recipient_id": app.organisations["b"], "scope": "other",
                       "description": "to trace Mohammed Ayub's brother"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let (s, access) = app
            .post_as(
                &dpfp(&app, "a"),
                "/api/v1/data-subject-requests",
                json!({"person_id": person, "kind": "access", "details": "Mohammed Ayub asks for his file"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{access}");

        let erase = format!("/api/v1/persons/{person}/erase");
        let why = json!({"reason": "the person asked in person at the reception centre"});
        assert_eq!(app.post(&erase, why.clone()).await.0, StatusCode::FORBIDDEN);
        assert_eq!(
            app.post_as(&dpfp(&app, "b"), &erase, why.clone()).await.0,
            StatusCode::NOT_FOUND
        );
        let (s, p) = app.post_as(&dpfp(&app, "a"), &erase, json!({})).await;
        assert_eq!((s, field(&p)), (StatusCode::UNPROCESSABLE_ENTITY, "reason"));
        let (s, p) = app
            .post_as(
                &dpfp(&app, "a"),
                &erase,
                json!({"data_subject_request_id": access["id"]}),
            )
            .await;
        assert_eq!(
            (s, field(&p)),
            (StatusCode::UNPROCESSABLE_ENTITY, "data_subject_request_id")
        );
        let (s, erased) = app.post_as(&dpfp(&app, "a"), &erase, why.clone()).await;
        assert_eq!(s, StatusCode::OK, "{erased}");
        let details = &erased["details"];
        for gone in [
            "given_name",
            "family_name",
            "original_name",
            "place_of_origin",
            "contact",
        ] {
            assert!(details[gone].is_null(), "{gone}: {erased}");
        }
        assert_eq!(details["aliases"], json!([]));
        assert_eq!(details["other_names"], json!([]));
        assert_eq!(
            details["date_of_birth"],
            json!({"date": "1988-01-01", "precision": "year_only"})
        );
        assert_eq!(details["sex"], "M");
        assert_eq!(details["nationalities"], json!(["stateless"]));
        assert_eq!(erased["status"], "inactive");
        assert_eq!(erased["anonymised_at"], "2026-11-27T10:00:00Z");
        assert_eq!(erased["household_id"], h["id"]);
        assert_eq!(
            erased["registration_number"],
            h["members"][0]["registration_number"]
        );

        // Still counted by sex and nationality; no longer found by name.
        let (_, found) = app.get("/api/v1/persons?nationality=stateless&sex=M").await;
        assert_eq!(found["items"].as_array().unwrap().len(), 1, "{found}");
        let (_, found) = app.get("/api/v1/persons?name=Mohammed").await;
        assert_eq!(found["items"].as_array().unwrap().len(), 0, "{found}");
        let (_, household) = app
            .get(&format!("/api/v1/households/{}", h["id"].as_str().unwrap()))
            .await;
        assert_eq!(household["size"], 5);
        assert_eq!(household["breakdown"], h["breakdown"]);
        assert_eq!(household["members"][0]["name"], "");
        let (_, doc) = app
            .get(&format!("/api/v1/documents/{}", d["id"].as_str().unwrap()))
            .await;
        assert!(doc["details"]["number"].is_null(), "{doc}");
        assert!(doc["details"]["mrz"].is_null(), "{doc}");
        assert!(doc["verification"].is_null(), "{doc}");
        assert_eq!(doc["details"]["kind"], "passport");
        let (_, by_number) = app.get("/api/v1/documents?number=L898902C3").await;
        assert_eq!(by_number["items"].as_array().unwrap().len(), 0);

        // Nothing identifying is left anywhere in what is held, history included.
        let (s, x) = app
            .get_as(
                &dpfp(&app, "a"),
                &format!("/api/v1/persons/{person}/export"),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let text = x.to_string();
        for name in [
            "Mohammed",
            "Ayub",
            "Ayoub",
            "محمد",
            "Abu Nur",
            "Maungdaw",
            "0000 0000",
            "L898902C3",
            "ERIKSSON",
            "1988-06-14",
        ] {
            assert!(!text.contains(name), "{name} is still held: {text}");
        }
        assert!(
            x["history"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["action"] == "anonymised")
        );
        assert_eq!(
            x["consents"][0]["scope"], "other",
            "the consent itself stays"
        );
        assert_eq!(x["data_subject_requests"][0]["kind"], "access");

        // An anonymised record stays as it is.
        let (s, p) = app
            .patch(
                &format!("/api/v1/persons/{person}"),
                json!({"version": erased["version"], "details": {"given_name": "X"}}),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{p}");
        assert_eq!(p["type"], "urn:passage:problem:refused");
        let (s, again) = app.post_as(&dpfp(&app, "a"), &erase, why).await;
        assert_eq!((s, &again["version"]), (StatusCode::OK, &erased["version"]));
    }
);

on_every_backend!(
    erasure_is_refused_while_a_legal_hold_is_on,
    |app: App| async move {
        let arrival = app.arrival().await;
        let person = head(&household(&app, &arrival).await);
        let hold = format!("/api/v1/persons/{person}/legal-hold");
        let erase = format!("/api/v1/persons/{person}/erase");
        let reason = json!({"reason": "witness in the prosecution of the boat's organisers"});
        assert_eq!(
            app.post(&hold, reason.clone()).await.0,
            StatusCode::FORBIDDEN
        );
        let (s, p) = app
            .post_as(&dpfp(&app, "a"), &hold, json!({"reason": " "}))
            .await;
        assert_eq!((s, field(&p)), (StatusCode::UNPROCESSABLE_ENTITY, "reason"));
        assert_eq!(
            app.post_as(&dpfp(&app, "b"), &hold, reason.clone()).await.0,
            StatusCode::NOT_FOUND
        );
        let (s, placed) = app.post_as(&dpfp(&app, "a"), &hold, reason.clone()).await;
        assert_eq!(s, StatusCode::CREATED, "{placed}");
        assert_eq!(
            placed["legal_hold"]["placed_by"],
            "data_protection_focal_point.a"
        );
        let (s, status) = app.get_as(&dpfp(&app, "a"), &hold).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(status["legal_hold"]["reason"], reason["reason"]);
        let (s, p) = app.post_as(&dpfp(&app, "a"), &hold, reason.clone()).await;
        assert_eq!(s, StatusCode::CONFLICT, "{p}");

        let why = json!({"reason": "asked by the person"});
        let (s, p) = app.post_as(&dpfp(&app, "a"), &erase, why.clone()).await;
        assert_eq!(s, StatusCode::CONFLICT, "{p}");
        assert_eq!(p["type"], "urn:passage:problem:refused");
        assert!(p["detail"].as_str().unwrap().contains("legal hold"), "{p}");
        let (_, kept) = app.get(&format!("/api/v1/persons/{person}")).await;
        assert_eq!(kept["details"]["given_name"], "Mohammed");
        assert!(kept["anonymised_at"].is_null());

        assert_eq!(
            delete_as(&app, &dpfp(&app, "b"), &hold).await.0,
            StatusCode::NOT_FOUND
        );
        let (s, lifted) = delete_as(&app, &dpfp(&app, "a"), &hold).await;
        assert_eq!(s, StatusCode::OK, "{lifted}");
        assert!(lifted["legal_hold"].is_null());
        let (s, erased) = app.post_as(&dpfp(&app, "a"), &erase, why).await;
        assert_eq!(s, StatusCode::OK, "{erased}");
        assert!(erased["details"]["given_name"].is_null());
    }
);

on_every_backend!(
    a_request_is_due_in_thirty_days_and_a_refusal_needs_a_reason,
    |app: App| async move {
        let arrival = app.arrival().await;
        let person = head(&household(&app, &arrival).await);
        let requests = "/api/v1/data-subject-requests";
        let body =
            json!({"person_id": person, "kind": "erasure", "received_at": "2026-11-20T09:00:00Z"});
        assert_eq!(
            app.post(requests, body.clone()).await.0,
            StatusCode::FORBIDDEN
        );
        let (s, r) = app.post_as(&dpfp(&app, "a"), requests, body).await;
        assert_eq!(s, StatusCode::CREATED, "{r}");
        assert_eq!(r["due_at"], "2026-12-20T09:00:00Z");
        assert_eq!(r["status"], "open");
        assert_eq!(r["overdue"], false);
        assert_eq!(r["recorded_by"], "data_protection_focal_point.a");
        let (s, late) = app
            .post_as(
                &dpfp(&app, "a"),
                requests,
                json!({"person_id": person, "kind": "objection", "received_at": "2026-10-01T08:00:00Z"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{late}");
        assert_eq!(late["due_at"], "2026-10-31T08:00:00Z");
        assert_eq!(late["overdue"], true);
        // A person another organisation cannot see is as missing.
        for (token, person_id) in [
            (dpfp(&app, "b"), json!(person)),
            (dpfp(&app, "a"), json!(Uuid::now_v7())),
        ] {
            let (s, p) = app
                .post_as(
                    &token,
                    requests,
                    json!({"person_id": person_id, "kind": "access"}),
                )
                .await;
            assert_eq!(
                (s, field(&p)),
                (StatusCode::UNPROCESSABLE_ENTITY, "person_id")
            );
        }

        let close = format!("{requests}/{}/close", r["id"].as_str().unwrap());
        for (body, at) in [
            (json!({"status": "refused"}), "refusal_reason"),
            (
                json!({"status": "refused", "refusal_reason": "  "}),
                "refusal_reason",
            ),
            (json!({"status": "completed"}), "outcome"),
            (json!({"status": "open", "outcome": "x"}), "status"),
        ] {
            let (s, p) = app.post_as(&dpfp(&app, "a"), &close, body).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
            assert_eq!(field(&p), at, "{p}");
        }
        let refusal =
            json!({"status": "refused", "refusal_reason": "the record is under a legal hold"});
        assert_eq!(
            app.post_as(&dpfp(&app, "b"), &close, refusal.clone())
                .await
                .0,
            StatusCode::NOT_FOUND
        );
        let (s, closed) = app.post_as(&dpfp(&app, "a"), &close, refusal.clone()).await;
        assert_eq!(s, StatusCode::OK, "{closed}");
        assert_eq!(closed["status"], "refused");
        assert_eq!(closed["refusal_reason"], refusal["refusal_reason"]);
        assert_eq!(closed["handled_by"], "data_protection_focal_point.a");
        assert_eq!(closed["closed_at"], "2026-11-27T10:00:00Z");
        let (s, p) = app.post_as(&dpfp(&app, "a"), &close, refusal).await;
        assert_eq!(s, StatusCode::CONFLICT, "{p}");

        // The supervisor follows them; other roles and organisations do not see them.
        let (s, open) = app.get(&format!("{requests}?status=open")).await;
        assert_eq!(s, StatusCode::OK, "{open}");
        assert_eq!(open["items"].as_array().unwrap().len(), 1);
        assert_eq!(open["items"][0]["kind"], "objection");
        let (_, all) = app.get(&format!("{requests}?person_id={person}")).await;
        assert_eq!(all["items"].as_array().unwrap().len(), 2);
        let clerk = app.token_of("a", Role::RegistrationClerk);
        assert_eq!(app.get_as(&clerk, requests).await.0, StatusCode::FORBIDDEN);
        let (_, none) = app
            .get_as(&app.token_of("b", Role::Supervisor), requests)
            .await;
        assert_eq!(none["items"].as_array().unwrap().len(), 0);
    }
);

/// Registers a one-person household of organisation a at `at`, for `purposes`.
async fn register_at(
    app: &App,
    arrival: &str,
    name: &str,
    at: OffsetDateTime,
    purposes: Option<Vec<Purpose>>,
) -> Uuid {
    let clerk = Principal {
        user_id: Some(Uuid::now_v7()),
        at,
        name: "registration_clerk.a".into(),
        organisation_id: Some(app.organisations["a"]),
        roles: vec![Role::RegistrationClerk],
        context: Default::default(),
    };
    let registration = HouseholdRegistration {
        arrival_id: arrival.parse().unwrap(),
        kind: passage_domain::household::GroupKind::Family,
        size: Some(1),
        breakdown: Some(Breakdown {
            f_18_59: 1,
            ..Default::default()
        }),
        head: PersonDetails::named(name, Sex::F),
        members: Vec::new(),
        legal_basis: None,
        purposes,
        not_duplicates: None,
    };
    let valid = registration.validated(at.date()).unwrap();
    let h = app.store.register_household(&clerk, valid).await.unwrap();
    h.head_person_id
}

on_every_backend!(
    retention_anonymises_expired_registrations_and_keeps_held_ones,
    |app: App| async move {
        let arrival = app.arrival().await;
        let old = datetime!(2015-01-10 08:00 UTC);
        let expired = register_at(&app, &arrival, "Rahima", old, None).await;
        let held = register_at(&app, &arrival, "Setara", old, None).await;
        let rsd = register_at(
            &app,
            &arrival,
            "Jannat",
            old,
            Some(vec![Purpose::RefugeeStatusDetermination]),
        )
        .await;
        let recent = head(&household(&app, &arrival).await);
        let (s, _) = app
            .post_as(
                &dpfp(&app, "a"),
                &format!("/api/v1/persons/{held}/legal-hold"),
                json!({"reason": "court order 14/2026"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);

        let operator = Principal::operator(NOW);
        let policy = RetentionPolicy::default();
        let dry = app
            .store
            .run_retention(&operator, &policy, true)
            .await
            .unwrap();
        let ids = |items: &[passage_store::RetentionItem]| -> Vec<Uuid> {
            items.iter().map(|i| i.person_id).collect()
        };
        assert_eq!(ids(&dry.due), [expired]);
        assert_eq!(ids(&dry.held), [held]);
        assert_eq!(dry.anonymised, 0);
        assert_eq!(dry.due[0].kept_until, old + Duration::days(3650));
        let (_, still) = app.get(&format!("/api/v1/persons/{expired}")).await;
        assert_eq!(
            still["details"]["given_name"], "Rahima",
            "a dry run changes nothing"
        );

        let done = app
            .store
            .run_retention(&operator, &policy, false)
            .await
            .unwrap();
        assert_eq!((ids(&done.due), done.anonymised), (vec![expired], 1));
        assert_eq!(ids(&done.held), [held]);
        let (_, gone) = app.get(&format!("/api/v1/persons/{expired}")).await;
        assert!(gone["details"]["given_name"].is_null(), "{gone}");
        assert_eq!(gone["status"], "inactive");
        assert_eq!(gone["details"]["sex"], "F");
        for (kept, name) in [(held, "Setara"), (rsd, "Jannat")] {
            let (_, p) = app.get(&format!("/api/v1/persons/{kept}")).await;
            assert_eq!(p["details"]["given_name"], name);
            assert!(p["anonymised_at"].is_null());
        }
        let (_, p) = app.get(&format!("/api/v1/persons/{recent}")).await;
        assert_eq!(p["details"]["given_name"], "Mohammed");
        // Logged, with the reason.
        let (_, log) = app
            .get_as(
                &dpfp(&app, "a"),
                &format!("/api/v1/persons/{expired}/audit"),
            )
            .await;
        let erase = log
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["action"] == "erase")
            .unwrap();
        assert_eq!(erase["actor"], "operator");
        assert_eq!(erase["detail"]["by"], "retention");
        assert_eq!(erase["detail"]["purposes"], json!(["registration"]));

        // A second run finds nothing new; shorter periods bring more in.
        let again = app
            .store
            .run_retention(&operator, &policy, false)
            .await
            .unwrap();
        assert_eq!((again.due.len(), again.held.len()), (0, 1));
        let shorter = RetentionPolicy::with_overrides("refugee_status_determination=3000").unwrap();
        let dry = app
            .store
            .run_retention(&operator, &shorter, true)
            .await
            .unwrap();
        assert_eq!(ids(&dry.due), [rsd]);
        // Only the operator (the command line) or a focal point may run it.
        let clerk = Principal {
            user_id: Some(Uuid::now_v7()),
            at: NOW,
            name: "clerk".into(),
            organisation_id: Some(app.organisations["a"]),
            roles: vec![Role::RegistrationClerk],
            context: Default::default(),
        };
        assert!(
            app.store
                .run_retention(&clerk, &policy, true)
                .await
                .is_err()
        );
    }
);
