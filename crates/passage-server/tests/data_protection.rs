//! Data protection through the real router on a real database: legal basis and purposes,
//! consent per recipient, sharing agreements, access reports, and isolation between
//! organisations (erasure, legal holds, requests and retention are in `erasure.rs`). SQLite always, PostgreSQL when
//! `PASSAGE_TEST_PG_URL` is set (always under CI).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::http::{Method, StatusCode};
use passage_domain::access::{OrganisationDetails, OrganisationKind, Principal, Role};
use serde_json::{Value, json};
use time::Duration;
use uuid::Uuid;

#[macro_use]
mod support;

use support::data_protection::*;
use support::{App, NOW};

on_every_backend!(
    a_registration_records_its_legal_basis_and_purposes,
    |app: App| async move {
        let arrival = app.arrival().await;
        let h = household(&app, &arrival).await;
        assert_eq!(h["legal_basis"], "mandate");
        assert_eq!(h["purposes"], json!(["registration"]));
        assert_eq!(h["basis_recorded_by"], "registration_clerk.a");
        assert_eq!(h["basis_recorded_at"], "2026-11-27T10:00:00Z");
        let mut body = level_one(&arrival);
        body["head"] = support::distinct_head();
        body["legal_basis"] = json!("vital_interest");
        body["purposes"] = json!(["assistance", "registration", "assistance"]);
        let (s, h) = app.post("/api/v1/households", body).await;
        assert_eq!(s, StatusCode::CREATED, "{h}");
        assert_eq!(h["legal_basis"], "vital_interest");
        assert_eq!(h["purposes"], json!(["registration", "assistance"]));
        let (s, person) = app.get(&format!("/api/v1/persons/{}", head(&h))).await;
        assert_eq!(s, StatusCode::OK, "{person}");
        assert_eq!(person["legal_basis"], "vital_interest");
        assert_eq!(person["purposes"], json!(["registration", "assistance"]));
        assert_eq!(person["basis_recorded_by"], "supervisor.a");
        let mut empty = level_one(&arrival);
        empty["purposes"] = json!([]);
        let (s, p) = app.post("/api/v1/households", empty).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
        assert_eq!(field(&p), "purposes");
        let mut unknown = level_one(&arrival);
        unknown["legal_basis"] = json!("because");
        let (s, p) = app.post("/api/v1/households", unknown).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
        assert_eq!(field(&p), "legal_basis");
    }
);

on_every_backend!(consent_is_given_then_withdrawn, |app: App| async move {
    let arrival = app.arrival().await;
    let person = head(&household(&app, &arrival).await);
    let clerk = app.token_of("a", Role::RegistrationClerk);
    let path = format!("/api/v1/persons/{person}/consents");
    let b = app.organisations["b"];
    let (s, c) = app
        .post_as(
            &clerk,
            &path,
            json!({"recipient_id": b, "scope": "sgbv", "given_at": "2026-11-20T09:00:00Z"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    assert_eq!(c["recorded_by"], "registration_clerk.a");
    assert_eq!(c["given_at"], "2026-11-20T09:00:00Z");
    assert!(c["withdrawn_at"].is_null());
    let (s, list) = app.get(&path).await;
    assert_eq!(s, StatusCode::OK, "{list}");
    assert_eq!(list.as_array().unwrap().len(), 1);
    // Others of the same organisation without the right, and another organisation.
    let officer = app.token_of("a", Role::AssistanceOfficer);
    assert_eq!(app.get_as(&officer, &path).await.0, StatusCode::FORBIDDEN);
    let clerk_b = app.token_of("b", Role::RegistrationClerk);
    assert_eq!(app.get_as(&clerk_b, &path).await.0, StatusCode::NOT_FOUND);
    let withdraw = format!("/api/v1/consents/{}/withdraw", c["id"].as_str().unwrap());
    assert_eq!(
        app.post_as(&clerk_b, &withdraw, json!({})).await.0,
        StatusCode::NOT_FOUND
    );
    let (s, w) = app.post_as(&clerk, &withdraw, json!({})).await;
    assert_eq!(s, StatusCode::OK, "{w}");
    assert_eq!(w["withdrawn_at"], "2026-11-27T10:00:00Z");
    assert_eq!(w["withdrawn_by"], "registration_clerk.a");
    assert_eq!(w["version"], 2);
    let (s, again) = app.post_as(&clerk, &withdraw, json!({})).await;
    assert_eq!((s, &again["version"]), (StatusCode::OK, &json!(2)));
    let (_, list) = app.get(&path).await;
    assert_eq!(list[0]["withdrawn_by"], "registration_clerk.a");
    // The record as a referral will read it: no consent in force any more.
    let consents: Vec<passage_domain::data_protection::Consent> =
        serde_json::from_value(list).unwrap();
    assert!(!passage_domain::data_protection::consent_in_force(
        &consents,
        b,
        passage_domain::data_protection::ConsentScope::Sgbv,
        NOW + Duration::seconds(1)
    ));
    assert!(passage_domain::data_protection::consent_in_force(
        &consents,
        b,
        passage_domain::data_protection::ConsentScope::Sgbv,
        NOW - Duration::seconds(1)
    ));
    // Input that names its field.
    for (body, at) in [
        (json!({"recipient_id": b, "scope": "other"}), "description"),
        (
            json!({"recipient_id": Uuid::now_v7(), "scope": "tracing"}),
            "recipient_id",
        ),
        (
            json!({"recipient_id": b, "scope": "tracing", "given_at": "2027-01-01T00:00:00Z"}),
            "given_at",
        ),
        (json!({"recipient_id": b, "scope": "gossip"}), "scope"),
    ] {
        let (s, p) = app.post_as(&clerk, &path, body).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
        assert_eq!(field(&p), at, "{p}");
    }
});

on_every_backend!(
    an_agreement_shows_records_while_in_force_and_its_end_hides_them,
    |app: App| async move {
        let arrival = app.arrival().await;
        let person = head(&household(&app, &arrival).await);
        let path = format!("/api/v1/persons/{person}");
        let supervisor_b = app.token_of("b", Role::Supervisor);
        assert_eq!(
            app.get_as(&supervisor_b, &path).await.0,
            StatusCode::NOT_FOUND
        );
        let body = agreement(&app, NOW - Duration::days(1), NOW + Duration::days(30));
        let clerk = app.token_of("a", Role::RegistrationClerk);
        let (s, _) = app
            .post_as(&clerk, "/api/v1/sharing-agreements", body.clone())
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // The recipient cannot grant itself the provider's records.
        let (s, p) = app
            .post_as(&dpfp(&app, "b"), "/api/v1/sharing-agreements", body.clone())
            .await;
        assert_eq!(
            (s, field(&p)),
            (StatusCode::UNPROCESSABLE_ENTITY, "provider_id")
        );
        let (s, a) = app
            .post_as(&dpfp(&app, "a"), "/api/v1/sharing-agreements", body.clone())
            .await;
        assert_eq!(s, StatusCode::CREATED, "{a}");
        assert_eq!(a["in_force"], true);
        assert_eq!(a["created_by"], "data_protection_focal_point.a");
        assert_eq!(a["details"]["fields"][3], "household.size");
        // Now b's supervisor sees a's person, and both parties see the agreement.
        let (s, seen) = app.get_as(&supervisor_b, &path).await;
        assert_eq!(s, StatusCode::OK, "{seen}");
        assert_eq!(seen["details"]["given_name"], "Mohammed");
        for token in [
            supervisor_b.clone(),
            app.token_of("a", Role::Administrator),
            dpfp(&app, "b"),
        ] {
            let (s, list) = app.get_as(&token, "/api/v1/sharing-agreements").await;
            assert_eq!(s, StatusCode::OK, "{list}");
            assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
        }
        let analyst = app.token_of("a", Role::DataAnalyst);
        assert_eq!(
            app.get_as(&analyst, "/api/v1/sharing-agreements").await.0,
            StatusCode::FORBIDDEN
        );
        // Ended now: hidden again.
        let end = format!(
            "/api/v1/sharing-agreements/{}/end",
            a["id"].as_str().unwrap()
        );
        let (s, ended) = app.post_as(&dpfp(&app, "a"), &end, json!({})).await;
        assert_eq!(s, StatusCode::OK, "{ended}");
        assert_eq!(ended["in_force"], false);
        assert_eq!(ended["ended_by"], "data_protection_focal_point.a");
        assert_eq!(ended["details"]["expires_at"], "2026-11-27T10:00:00Z");
        assert_eq!(
            app.get_as(&supervisor_b, &path).await.0,
            StatusCode::NOT_FOUND
        );
        let (s, again) = app.post_as(&dpfp(&app, "b"), &end, json!({})).await;
        assert_eq!((s, &again["version"]), (StatusCode::OK, &ended["version"]));
        // Every rule names its field.
        let mut same = body.clone();
        same["recipient_id"] = json!(app.organisations["a"]);
        let mut backwards = body.clone();
        backwards["expires_at"] = json!("2026-11-01T00:00:00Z");
        let mut no_categories = body.clone();
        no_categories["data_categories"] = json!([]);
        let mut no_fields = body.clone();
        no_fields["fields"] = json!([]);
        let mut unknown_field = body.clone();
        unknown_field["fields"] = json!(["given_name", "fingerprints"]);
        let mut no_purpose = body.clone();
        no_purpose.as_object_mut().unwrap().remove("purpose");
        let operator = Principal::operator(NOW);
        let authority = app
            .store
            .create_organisation(
                &operator,
                OrganisationDetails {
                    name: "Immigration authority of the country of origin".into(),
                    kind: OrganisationKind::GovernmentAuthority,
                    country: None,
                    country_of_origin_authority: true,
                },
            )
            .await
            .unwrap();
        let mut to_authority = body.clone();
        to_authority["recipient_id"] = json!(authority.meta.id);
        for (body, at) in [
            (same, "recipient_id"),
            (backwards, "expires_at"),
            (no_categories, "data_categories"),
            (no_fields, "fields"),
            (unknown_field, "fields[1]"),
            (no_purpose, "purpose"),
            (to_authority, "recipient_id"),
        ] {
            let (s, p) = app
                .post_as(&dpfp(&app, "a"), "/api/v1/sharing-agreements", body)
                .await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
            assert_eq!(field(&p), at, "{p}");
        }
    }
);

on_every_backend!(
    the_export_holds_documents_consents_requests_and_the_audit_trail,
    |app: App| async move {
        let arrival = app.arrival().await;
        let person = head(&household(&app, &arrival).await);
        let clerk = app.token_of("a", Role::RegistrationClerk);
        let (s, d) = app
            .post_as(
                &clerk,
                &format!("/api/v1/persons/{person}/documents"),
                json!({"kind": "national_id_card", "number": "A1234567"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{d}");
        let (s, _) = app
            .post_as(
                &clerk,
                &format!("/api/v1/persons/{person}/consents"),
                json!({"recipient_id": app.organisations["b"], "scope": "tracing"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let (s, r) = app
            .post_as(
                &dpfp(&app, "a"),
                "/api/v1/data-subject-requests",
                json!({"person_id": person, "kind": "access", "details": "Everything you hold about me"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{r}");
        let (s, _) = app.get(&format!("/api/v1/persons/{person}")).await;
        assert_eq!(s, StatusCode::OK);

        let path = format!("/api/v1/persons/{person}/export");
        assert_eq!(app.get_as(&clerk, &path).await.0, StatusCode::FORBIDDEN);
        assert_eq!(app.get(&path).await.0, StatusCode::FORBIDDEN);
        assert_eq!(
            app.get_as(&dpfp(&app, "b"), &path).await.0,
            StatusCode::NOT_FOUND
        );
        let (s, x) = app.get_as(&dpfp(&app, "a"), &path).await;
        assert_eq!(s, StatusCode::OK, "{x}");
        assert_eq!(x["person"]["id"], person.as_str());
        assert_eq!(x["person"]["details"]["given_name"], "Mohammed");
        assert_eq!(x["household"]["size"], 5);
        assert_eq!(x["household"]["relationship"], "head");
        assert!(x["household"].get("members").is_none(), "{x}");
        assert_eq!(x["documents"][0]["details"]["number"], "A1234567");
        assert_eq!(x["consents"][0]["scope"], "tracing");
        assert_eq!(x["data_subject_requests"][0]["kind"], "access");
        assert_eq!(
            x["data_subject_requests"][0]["due_at"],
            "2026-12-27T10:00:00Z"
        );
        assert!(x["legal_hold"].is_null());
        let history: Vec<(&str, &str)> = x["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["entity"].as_str().unwrap(), e["action"].as_str().unwrap()))
            .collect();
        assert_eq!(history, [("person", "registered"), ("document", "created")]);
        let audit: Vec<(&str, &str, &str)> = x["audit"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["actor"].as_str().unwrap(),
                    e["action"].as_str().unwrap(),
                    e["entity"].as_str().unwrap(),
                )
            })
            .collect();
        for expected in [
            ("registration_clerk.a", "read", "person"),
            ("registration_clerk.a", "create", "document"),
            ("registration_clerk.a", "create", "consent"),
            (
                "data_protection_focal_point.a",
                "create",
                "data_subject_request",
            ),
            ("supervisor.a", "read", "person"),
        ] {
            assert!(audit.contains(&expected), "{expected:?} not in {audit:?}");
        }
        // The export itself is in the log.
        let (s, log) = app
            .get_as(&dpfp(&app, "a"), &format!("/api/v1/persons/{person}/audit"))
            .await;
        assert_eq!(s, StatusCode::OK, "{log}");
        assert_eq!(log[0]["action"], "export");
        assert_eq!(log[0]["actor"], "data_protection_focal_point.a");
        assert_eq!(log[0]["detail"]["documents"], 1);
    }
);

fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("$ref", Value::String(r)) => out.push(r),
                    _ => refs(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

on_every_backend!(
    the_data_protection_routes_are_documented,
    |app: App| async move {
        let (s, doc) = app.get("/api/v1/openapi.json").await;
        assert_eq!(s, StatusCode::OK);
        for (path, method) in [
            ("/api/v1/persons/{id}/consents", "get"),
            ("/api/v1/persons/{id}/consents", "post"),
            ("/api/v1/consents/{id}/withdraw", "post"),
            ("/api/v1/sharing-agreements", "get"),
            ("/api/v1/sharing-agreements", "post"),
            ("/api/v1/sharing-agreements/{id}/end", "post"),
            ("/api/v1/data-subject-requests", "get"),
            ("/api/v1/data-subject-requests", "post"),
            ("/api/v1/data-subject-requests/{id}/close", "post"),
            ("/api/v1/persons/{id}/export", "get"),
            ("/api/v1/persons/{id}/erase", "post"),
            ("/api/v1/persons/{id}/legal-hold", "get"),
            ("/api/v1/persons/{id}/legal-hold", "post"),
            ("/api/v1/persons/{id}/legal-hold", "delete"),
        ] {
            assert!(
                doc["paths"][path].get(method).is_some(),
                "{method} {path} missing from the OpenAPI document"
            );
        }
        let mut found = Vec::new();
        refs(&doc["paths"], &mut found);
        refs(&doc["components"], &mut found);
        for r in found {
            let name = r.trim_start_matches("#/components/schemas/");
            assert!(
                doc["components"]["schemas"].get(name).is_some(),
                "{r} is not defined"
            );
        }
        for schema in [
            "PersonExport",
            "SharingAgreement",
            "Consent",
            "DataSubjectRequest",
        ] {
            assert!(
                doc["components"]["schemas"].get(schema).is_some(),
                "{schema}"
            );
        }
    }
);

on_every_backend!(
    another_organisations_records_answer_as_missing_ones,
    |app: App| async move {
        let arrival = app.arrival().await;
        let person = head(&household(&app, &arrival).await);
        let clerk = app.token_of("a", Role::RegistrationClerk);
        let (_, consent) = app
            .post_as(
                &clerk,
                &format!("/api/v1/persons/{person}/consents"),
                json!({"recipient_id": app.organisations["b"], "scope": "sgbv"}),
            )
            .await;
        let (_, request) = app
            .post_as(
                &dpfp(&app, "a"),
                "/api/v1/data-subject-requests",
                json!({"person_id": person, "kind": "access"}),
            )
            .await;
        let consent = consent["id"].as_str().unwrap().to_owned();
        let request = request["id"].as_str().unwrap().to_owned();
        let missing = Uuid::now_v7().to_string();
        let clerk_b = app.token_of("b", Role::RegistrationClerk);
        let dpfp_b = dpfp(&app, "b");
        let close = json!({"status": "completed", "outcome": "done"});
        let probes: Vec<(&str, Method, String, Option<Value>)> = vec![
            (
                &clerk_b,
                Method::GET,
                "/api/v1/persons/{}/consents".to_owned(),
                None,
            ),
            (
                &clerk_b,
                Method::POST,
                "/api/v1/persons/{}/consents".to_owned(),
                Some(json!({"recipient_id": app.organisations["b"], "scope": "sgbv"})),
            ),
            (
                &dpfp_b,
                Method::GET,
                "/api/v1/persons/{}/export".to_owned(),
                None,
            ),
            (
                &dpfp_b,
                Method::GET,
                "/api/v1/persons/{}/legal-hold".to_owned(),
                None,
            ),
            (
                &dpfp_b,
                Method::POST,
                "/api/v1/persons/{}/legal-hold".to_owned(),
                Some(json!({"reason": "x"})),
            ),
            (
                &dpfp_b,
                Method::DELETE,
                "/api/v1/persons/{}/legal-hold".to_owned(),
                None,
            ),
            (
                &dpfp_b,
                Method::POST,
                "/api/v1/persons/{}/erase".to_owned(),
                Some(json!({"reason": "x"})),
            ),
        ];
        let answer = |token: &str, method: Method, path: String, body: Option<Value>, id: &str| {
            let app = &app;
            let token = token.to_owned();
            let id = id.to_owned();
            async move {
                let (s, _, v) = app
                    .send_as(
                        Some(&token),
                        method,
                        &path.replace("{}", &id),
                        body.map(|b| b.to_string()),
                        "application/json",
                    )
                    .await;
                (s, v.to_string().replace(&id, "<ID>"))
            }
        };
        let mut checked = 0;
        for (token, method, path, body) in probes {
            let hidden = answer(token, method.clone(), path.clone(), body.clone(), &person).await;
            let gone = answer(token, method, path.clone(), body, &missing).await;
            assert_eq!(hidden.0, StatusCode::NOT_FOUND, "{path}: {hidden:?}");
            assert_eq!(hidden, gone, "{path}");
            checked += 1;
        }
        for (path, id, body) in [
            ("/api/v1/consents/{}/withdraw", &consent, None),
            (
                "/api/v1/data-subject-requests/{}/close",
                &request,
                Some(close),
            ),
        ] {
            let token = if path.contains("consents") {
                &clerk_b
            } else {
                &dpfp_b
            };
            let hidden = answer(token, Method::POST, path.into(), body.clone(), id).await;
            let gone = answer(token, Method::POST, path.into(), body, &missing).await;
            assert_eq!(hidden.0, StatusCode::NOT_FOUND, "{path}: {hidden:?}");
            assert_eq!(hidden, gone, "{path}");
            checked += 1;
        }
        // A request about a person one cannot see is refused like one about nobody.
        let about = |id: &str| json!({"person_id": id, "kind": "access"});
        let (s, hidden) = app
            .post_as(&dpfp_b, "/api/v1/data-subject-requests", about(&person))
            .await;
        let (_, gone) = app
            .post_as(&dpfp_b, "/api/v1/data-subject-requests", about(&missing))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            hidden.to_string().replace(&person, "<ID>"),
            gone.to_string().replace(&missing, "<ID>")
        );
        assert_eq!(checked, 9);
    }
);
