//! Person-level exports under data-sharing agreements, through the real router on a real
//! database. SQLite always, PostgreSQL when `PASSAGE_TEST_PG_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::http::{Method, StatusCode};
use passage_domain::access::Role;
use serde_json::{Value, json};

#[macro_use]
mod support;

use support::{App, distinct_head};

async fn export(app: &App, token: &str, agreement: &str, purpose: &str) -> (StatusCode, String) {
    let body = json!({"purpose": purpose}).to_string();
    let (s, _, v) = app
        .send_as(
            Some(token),
            Method::POST,
            &format!("/api/v1/sharing-agreements/{agreement}/export"),
            Some(body),
            "application/json",
        )
        .await;
    (
        s,
        v.as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| v.to_string()),
    )
}

async fn agreement(
    app: &App,
    token: &str,
    recipient: uuid::Uuid,
    purpose: &str,
    fields: Value,
) -> String {
    let (s, a) = app
        .post_as(
            token,
            "/api/v1/sharing-agreements",
            json!({
            "provider_id": app.organisations["a"], "recipient_id": recipient, "purpose": purpose,
            "data_categories": ["identity", "biographic"], "fields": fields,
            "valid_from": "2026-11-26T00:00:00Z", "expires_at": "2026-12-31T00:00:00Z"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    a["id"].as_str().unwrap().to_owned()
}

on_every_backend!(
    a_transfer_follows_its_agreement_its_purpose_and_its_fields,
    |app: App| async move {
        let dpfp = app.token_of("a", Role::DataProtectionFocalPoint);
        let arrival = app.arrival().await;
        for flags in [
            json!([]),
            json!(["presumed_trafficking_victim", "smuggled"]),
        ] {
            let mut head = distinct_head();
            head["profile_flags"] = flags;
            let (s, h) = app
                .post(
                    "/api/v1/households",
                    json!({"arrival_id": arrival, "head": head}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{h}");
        }
        let mut claimant = distinct_head();
        claimant["population_type"] = json!("ASY");
        let (_, h) = app
            .post(
                "/api/v1/households",
                json!({"arrival_id": arrival, "head": claimant}),
            )
            .await;
        let claimant_number = h["members"][0]["registration_number"]
            .as_str()
            .unwrap()
            .to_owned();

        // To a partner, for assistance: only the listed fields; trafficking flags never leave.
        let to_b = agreement(
            &app,
            &dpfp,
            app.organisations["b"],
            "assistance",
            json!(["registration_number", "given_name", "profile_flags"]),
        )
        .await;
        let (s, csv) = export(&app, &dpfp, &to_b, "assistance").await;
        assert_eq!(s, StatusCode::OK, "{csv}");
        let mut lines = csv.lines();
        assert_eq!(
            lines.next(),
            Some("registration_number,given_name,profile_flags")
        );
        assert_eq!(lines.count(), 3, "{csv}");
        assert!(
            csv.contains("smuggled") && !csv.contains("trafficking"),
            "{csv}"
        );
        let (s, refused) = export(&app, &dpfp, &to_b, "return").await;
        assert_eq!(
            s,
            StatusCode::CONFLICT,
            "the agreement's purpose only: {refused}"
        );
        let clerk = app.token_of("a", Role::RegistrationClerk);
        let (s, _) = export(&app, &clerk, &to_b, "assistance").await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = app
            .post_as(
                &dpfp,
                &format!("/api/v1/sharing-agreements/{to_b}/end"),
                json!({}),
            )
            .await;
        assert!(s.is_success());
        let (s, ended) = export(&app, &dpfp, &to_b, "assistance").await;
        assert_eq!(s, StatusCode::CONFLICT, "not in force: {ended}");

        // For readmission (return): identity fields only, whatever the agreement lists.
        let for_return = agreement(
            &app,
            &dpfp,
            app.organisations["b"],
            "return",
            json!(["registration_number", "given_name", "place_of_origin"]),
        )
        .await;
        let (s, csv) = export(&app, &dpfp, &for_return, "return").await;
        assert_eq!(s, StatusCode::OK, "{csv}");
        assert_eq!(
            csv.lines().next(),
            Some("registration_number,given_name"),
            "identity only: {csv}"
        );
        assert!(
            csv.contains(&claimant_number),
            "b is not an authority of a country of origin: {csv}"
        );

        let operator = passage_domain::access::Principal::operator(support::NOW);
        let entries = app
            .store
            .audit_of(&operator, &for_return, 10)
            .await
            .unwrap();
        let (_, transfer) = entries
            .iter()
            .find(|(_, e)| e.action == "export")
            .expect("the transfer is audited");
        assert_eq!(transfer.detail["rows"], 3);
        assert_eq!(transfer.detail["withheld"], 0);
        assert_eq!(transfer.detail["sha256"].as_str().unwrap().len(), 64);
    }
);
