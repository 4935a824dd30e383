//! Screenings from the field: the screening form (written from the questionnaire) served
//! to those who screen, its submissions replayed as ODK Collect sends them and made into
//! screenings through the API's own function, and what cannot be made kept for a reviewer
//! with the reasons. SQLite always, PostgreSQL when `PASSAGE_TEST_PG_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use passage_domain::access::Role;
use serde_json::{Value, json};

#[macro_use]
mod support;

use support::openrosa::{Part, USER_AGENT, basic, clerk, post_submission, screening_xml};
use support::{App, PASSWORD, distinct_head};

const FORM: &str = "passage_screening";

fn officer() -> String {
    basic("screening_officer.a", PASSWORD)
}

/// A GET as Collect sends it: the status and the body's text.
async fn fetch(app: &App, auth: &str, path: &str) -> (StatusCode, String) {
    let req = Request::get(path)
        .header(header::AUTHORIZATION, auth)
        .header(header::HOST, "passage.test")
        .header("X-OpenRosa-Version", "1.0")
        .header(header::USER_AGENT, USER_AGENT)
        .body(Body::empty())
        .unwrap();
    let (status, _, body) = app.request(req).await;
    (status, body.as_str().unwrap_or_default().to_owned())
}

/// A person `org` registers now (a household of one); their id and registration number.
async fn registered(app: &App, org: &'static str, born: &str) -> (String, String) {
    let mut head = distinct_head();
    head["date_of_birth"] = json!({"date": born, "precision": "year_only"});
    let (_, arrivals) = app.get("/api/v1/arrivals?limit=1").await;
    let arrival = match arrivals["items"][0]["id"].as_str() {
        Some(id) => id.to_owned(),
        None => app.arrival().await,
    };
    let token = app.token_of(org, Role::Supervisor);
    let (s, h) = app
        .post_as(
            &token,
            "/api/v1/households",
            json!({"arrival_id": arrival, "size": 1, "head": head}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{h}");
    let id = h["head_person_id"].as_str().unwrap().to_owned();
    let (_, person) = app.get_as(&token, &format!("/api/v1/persons/{id}")).await;
    let number = person["registration_number"].as_str().unwrap().to_owned();
    (id, number)
}

async fn send(app: &App, auth: &str, instance: &str, xml: &str) -> (StatusCode, String) {
    let file = format!("{}.xml", instance.trim_start_matches("uuid:"));
    let parts: [Part; 1] = [(
        "xml_submission_file",
        Some(&file),
        "text/xml",
        xml.as_bytes(),
    )];
    post_submission(app, auth, &parts).await
}

async fn screenings_of(app: &App, person: &str) -> Vec<Value> {
    let token = app.token_of("a", Role::ScreeningOfficer);
    let (s, list) = app
        .get_as(&token, &format!("/api/v1/persons/{person}/screenings"))
        .await;
    assert_eq!(s, StatusCode::OK, "{list}");
    list.as_array().unwrap().clone()
}

async fn queue(app: &App, org: &'static str, role: Role) -> Vec<Value> {
    let (s, list) = app
        .get_as(&app.token_of(org, role), "/api/v1/submissions?status=all")
        .await;
    assert_eq!(s, StatusCode::OK, "{list}");
    list["items"].as_array().unwrap().clone()
}

fn find<'a>(items: &'a [Value], instance: &str) -> &'a Value {
    items
        .iter()
        .find(|s| s["instance_id"] == instance)
        .unwrap_or_else(|| panic!("{instance} not in {items:?}"))
}

on_every_backend!(
    the_screening_form_is_served_to_those_who_screen,
    |app: App| async move {
        let (s, list) = fetch(&app, &officer(), "/formList").await;
        assert_eq!(s, StatusCode::OK);
        assert!(list.contains(&format!("<formID>{FORM}</formID>")), "{list}");
        assert!(!list.contains("passage_registration_l1"), "{list}");
        let (s, form) = fetch(&app, &officer(), &format!("/forms/{FORM}/form.xml")).await;
        assert_eq!(s, StatusCode::OK);
        let hash = passage_server::openrosa::forms::md5_hash(form.as_bytes());
        assert!(list.contains(&format!("<hash>{hash}</hash>")), "{list}");
        assert!(
            form.contains(r#"<translation lang="Arabic (ar)">"#),
            "{form}"
        );
        let (s, manifest) = fetch(&app, &officer(), &format!("/forms/{FORM}/manifest")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(!manifest.contains("mediaFile"), "{manifest}");
        let (s, _) = fetch(&app, &officer(), &format!("/forms/{FORM}/arrivals.csv")).await;
        assert_eq!(s, StatusCode::NOT_FOUND);

        // A registration clerk neither lists nor downloads it.
        let (_, list) = fetch(&app, &clerk("a"), "/formList").await;
        assert!(list.contains("passage_registration_l1"), "{list}");
        assert!(!list.contains(FORM), "{list}");
        let (s, _) = fetch(&app, &clerk("a"), &format!("/forms/{FORM}/form.xml")).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
);

on_every_backend!(
    a_screening_from_the_field_lands_with_its_outcome_once,
    |app: App| async move {
        let (boy, number) = registered(&app, "a", "2011-01-01").await;
        let instance = "uuid:5c0e7f3a-8b21-4d6e-9f10-2a3b4c5d6e7f";
        let xml = screening_xml(
            instance,
            &number,
            &[
                ("stated_age", "15"),
                ("travelling_with", "alone"),
                ("reasons_for_leaving", "conflict persecution"),
                ("fear_of_return", "yes"),
                ("wants_asylum", "no"),
                ("notes", "met at the quay"),
            ],
        );
        let (s, answer) = send(&app, &officer(), instance, &xml).await;
        assert_eq!(s, StatusCode::CREATED, "{answer}");
        assert!(answer.contains("screened"), "{answer}");
        let screenings = screenings_of(&app, &boy).await;
        assert_eq!(screenings.len(), 1);
        let sc = &screenings[0];
        assert_eq!(sc["questionnaire_version"], 2);
        assert_eq!(
            sc["answers"]["reasons_for_leaving"],
            json!(["conflict", "persecution"])
        );
        assert_eq!(sc["outcome"]["child"]["child_status"], "unaccompanied");
        assert_eq!(sc["outcome"]["fear_of_return"], true);
        assert_eq!(
            sc["outcome"]["proposed_referrals"][0]["service"],
            "child_protection"
        );
        assert_eq!(sc["screened_by"], "screening_officer.a");

        // Sent again (Collect did not see the answer): nothing stored twice.
        let (s, answer) = send(&app, &officer(), instance, &xml).await;
        assert_eq!(s, StatusCode::CREATED, "{answer}");
        assert!(answer.contains("nothing stored twice"), "{answer}");
        assert_eq!(screenings_of(&app, &boy).await.len(), 1);
        assert_eq!(queue(&app, "a", Role::ScreeningOfficer).await.len(), 1);
        let items = queue(&app, "a", Role::ScreeningOfficer).await;
        let stored = find(&items, instance);
        assert_eq!(stored["creates"], "screening");
        assert_eq!(stored["status"], "registered");
        assert_eq!(stored["screening_id"], sc["id"]);
        let (_, one) = app
            .get_as(
                &app.token_of("a", Role::ScreeningOfficer),
                &format!("/api/v1/submissions/{}", stored["id"].as_str().unwrap()),
            )
            .await;
        assert_eq!(one["xml"], xml, "the XML is kept exactly as received");
        // Registration reviewers do not see screenings; nor does another organisation.
        let clerks = queue(&app, "a", Role::RegistrationClerk).await;
        assert!(
            clerks.iter().all(|s| s["creates"] == "household"),
            "{clerks:?}"
        );
        assert!(queue(&app, "b", Role::ScreeningOfficer).await.is_empty());
    }
);

on_every_backend!(
    an_invalid_screening_waits_with_its_reasons_and_a_reviewer_fixes_it,
    |app: App| async move {
        let (woman, number) = registered(&app, "a", "1994-01-01").await;
        let officer_token = app.token_of("a", Role::ScreeningOfficer);

        // Answers the questionnaire refuses: each named at its question.
        let bad = "uuid:0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6";
        let xml = screening_xml(
            bad,
            &number,
            &[
                ("stated_age", "31"),
                ("reasons_for_leaving", "conflict holidays"),
                ("fear_of_return", "yes"),
                ("wants_asylum", "yes"),
            ],
        );
        let (s, answer) = send(&app, &officer(), bad, &xml).await;
        assert_eq!(s, StatusCode::CREATED, "{answer}");
        assert!(answer.contains("waits for a reviewer"), "{answer}");
        assert!(answer.contains("answers.reasons_for_leaving"), "{answer}");
        assert!(screenings_of(&app, &woman).await.is_empty());
        let items = queue(&app, "a", Role::ScreeningOfficer).await;
        let item = find(&items, bad).clone();
        assert_eq!(item["status"], "review");
        assert_eq!(item["reasons"][0]["field"], "answers.reasons_for_leaving");
        assert!(
            item["reasons"][0]["message"]
                .as_str()
                .unwrap()
                .contains("holidays"),
            "{item}"
        );

        // A registration number of someone this organisation cannot see: named as nobody,
        // with the answers' problems.
        let (_, theirs) = registered(&app, "b", "1985-01-01").await;
        let lost = "uuid:7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d";
        let xml = screening_xml(
            lost,
            &theirs,
            &[("stated_age", "40"), ("fear_of_return", "yes")],
        );
        let (s, answer) = send(&app, &officer(), lost, &xml).await;
        assert_eq!(s, StatusCode::CREATED, "{answer}");
        let items = queue(&app, "a", Role::ScreeningOfficer).await;
        let fields: Vec<&str> = find(&items, lost)["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields[0], "registration_number", "{fields:?}");
        assert!(answer.contains("nobody you can see"), "{answer}");
        assert!(
            fields.contains(&"answers.reasons_for_leaving"),
            "{fields:?}"
        );

        // A reviewer fixes the answer named and accepts it: screened as the API screens.
        let mut fixed = item["draft"].clone();
        fixed["screening"]["answers"]["reasons_for_leaving"] = json!(["conflict"]);
        let id = item["id"].as_str().unwrap();
        let (s, refused) = app
            .post_as(
                &officer_token,
                &format!("/api/v1/submissions/{id}/accept"),
                json!({"version": item["version"], "reason": "checked", "registration": {}}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        let (s, accepted) = app
            .post_as(
                &officer_token,
                &format!("/api/v1/submissions/{id}/accept"),
                json!({"version": item["version"], "reason": "asked again: fled the fighting", "screening": fixed}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{accepted}");
        assert_eq!(accepted["submission"]["status"], "accepted");
        assert_eq!(accepted["screening"]["person_id"], woman.as_str());
        assert_eq!(accepted["screening"]["outcome"]["asylum_intention"], true);
        assert_eq!(accepted["screening"]["outcome"]["fear_of_return"], true);
        assert_eq!(screenings_of(&app, &woman).await.len(), 1);
        // Accepted once.
        let (s, again) = app
            .post_as(
                &officer_token,
                &format!("/api/v1/submissions/{id}/accept"),
                json!({"version": item["version"], "reason": "again"}),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{again}");
        assert_eq!(screenings_of(&app, &woman).await.len(), 1);
    }
);

on_every_backend!(
    a_screening_sent_by_someone_who_may_not_screen_waits_for_one_who_may,
    |app: App| async move {
        let (man, number) = registered(&app, "a", "1980-01-01").await;
        let instance = "uuid:2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901";
        let xml = screening_xml(
            instance,
            &number,
            &[
                ("stated_age", "46"),
                ("reasons_for_leaving", "work"),
                ("fear_of_return", "no"),
                ("wants_asylum", "no"),
                ("detained", "yes"),
            ],
        );
        // A clerk's device still holds the form: kept, not refused, and nothing screened.
        let (s, answer) = send(&app, &clerk("a"), instance, &xml).await;
        assert_eq!(s, StatusCode::CREATED, "{answer}");
        assert!(answer.contains("waits for a reviewer"), "{answer}");
        let (s, answer) = send(&app, &clerk("a"), instance, &xml).await;
        assert_eq!(s, StatusCode::CREATED, "{answer}");
        assert!(answer.contains("nothing stored twice"), "{answer}");
        assert!(screenings_of(&app, &man).await.is_empty());
        assert_eq!(queue(&app, "a", Role::ScreeningOfficer).await.len(), 1);
        // The clerk reviews registrations only; the screening officer sees why it waits.
        assert!(queue(&app, "a", Role::RegistrationClerk).await.is_empty());
        let items = queue(&app, "a", Role::ScreeningOfficer).await;
        let item = find(&items, instance);
        assert_eq!(item["status"], "review");
        assert_eq!(item["submitted_by"], "registration_clerk.a");
        assert_eq!(item["reasons"][0]["field"], "submitted_by");
        assert!(queue(&app, "b", Role::ScreeningOfficer).await.is_empty());

        let (s, accepted) = app
            .post_as(
                &app.token_of("a", Role::ScreeningOfficer),
                &format!(
                    "/api/v1/submissions/{}/accept",
                    item["id"].as_str().unwrap()
                ),
                json!({"version": item["version"], "reason": "interview checked with the clerk"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{accepted}");
        assert_eq!(accepted["screening"]["person_id"], man.as_str());
        assert_eq!(accepted["screening"]["screened_by"], "screening_officer.a");
        assert_eq!(accepted["screening"]["outcome"]["detained"], true);
    }
);
