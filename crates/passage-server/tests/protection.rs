//! Protection through the real router on a real database: screening, referrals, cases and
//! the non-refoulement guard. SQLite always, PostgreSQL when `PASSAGE_TEST_PG_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::http::StatusCode;
use passage_domain::access::Role;
use serde_json::{Value, json};

#[macro_use]
mod support;
#[path = "protection/disclosure.rs"]
mod disclosure;
#[path = "protection/merged.rs"]
mod merged;
#[path = "protection/safeguards.rs"]
mod safeguards;

use support::{App, distinct_head};

/// A household with one member registered now; returns the head's person id.
async fn person(app: &App, head: Value) -> String {
    let (_, arrivals) = app.get("/api/v1/arrivals?limit=1").await;
    let arrival = match arrivals["items"][0]["id"].as_str() {
        Some(id) => id.to_owned(),
        None => app.arrival().await,
    };
    let (s, h) = app
        .post(
            "/api/v1/households",
            json!({"arrival_id": arrival, "size": 1, "head": head}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{h}");
    h["head_person_id"].as_str().unwrap().to_owned()
}

fn answers(age: i64, extra: Value) -> Value {
    let mut a = json!({"stated_age": age, "reasons_for_leaving": ["conflict"], "fear_of_return": false, "wants_asylum": false});
    if age < 18 {
        a["travelling_with"] = json!("parents");
    }
    for (k, v) in extra.as_object().unwrap() {
        a[k] = v.clone();
    }
    a
}

async fn screen(app: &App, token: &str, person: &str, answers: Value) -> (StatusCode, Value) {
    app.post_as(
        token,
        &format!("/api/v1/persons/{person}/screenings"),
        json!({"questionnaire": "screening", "questionnaire_version": 2, "answers": answers}),
    )
    .await
}

async fn step(
    app: &App,
    token: &str,
    case: &Value,
    event: &str,
    outcome: Option<&str>,
) -> (StatusCode, Value) {
    let mut body =
        json!({"event": event, "version": case["version"], "reason": format!("test: {event}")});
    if let Some(o) = outcome {
        body["outcome"] = json!(o);
    }
    app.post_as(
        token,
        &format!("/api/v1/cases/{}/transitions", case["id"].as_str().unwrap()),
        body,
    )
    .await
}

/// Takes the events in order, each from the state the last left.
async fn walk(app: &App, token: &str, mut case: Value, events: &[(&str, Option<&str>)]) -> Value {
    for (event, outcome) in events {
        let (s, next) = step(app, token, &case, event, *outcome).await;
        assert_eq!(s, StatusCode::OK, "{event}: {next}");
        case = next;
    }
    case
}

async fn open_case(app: &App, token: &str, person: &str, body: Value) -> Value {
    let (s, case) = app
        .post_as(token, &format!("/api/v1/persons/{person}/cases"), body)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{case}");
    case
}

const TO_SCHEDULED: [(&str, Option<&str>); 4] = [
    ("give_informed_consent", None),
    ("check_pre_departure", None),
    ("issue_travel_document", None),
    ("schedule", None),
];

on_every_backend!(
    an_unaccompanied_child_gets_an_urgent_child_protection_referral,
    |app: App| async move {
        let officer = app.token_of("a", Role::ScreeningOfficer);
        let mut head = distinct_head();
        head["date_of_birth"] = json!({"date": "2011-01-01", "precision": "year_only"});
        let boy = person(&app, head).await;
        let (s, sc) = screen(
            &app,
            &officer,
            &boy,
            answers(15, json!({"travelling_with": "alone"})),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{sc}");
        let outcome = &sc["outcome"];
        assert_eq!(outcome["child"]["child_status"], "unaccompanied");
        let proposed = &outcome["proposed_referrals"][0];
        assert_eq!(proposed["service"], "child_protection");
        assert_eq!(proposed["urgency"], "urgent");
        assert_eq!(proposed["due_within_hours"], 24);

        let confirmation = json!({
            "version": sc["version"], "population_type": null, "profile_flags": outcome["proposed_flags"],
            "needs": ["SC-UC"], "referrals": [{"service": "child_protection", "recipient_id": app.organisations["b"]}],
            "open_cases": ["child_protection"]
        });
        let (s, confirmed) = app
            .post_as(
                &officer,
                &format!("/api/v1/screenings/{}/confirm", sc["id"].as_str().unwrap()),
                confirmation.clone(),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{confirmed}");
        assert_eq!(confirmed["status"], "confirmed");
        let (s, again) = app
            .post_as(
                &officer,
                &format!("/api/v1/screenings/{}/confirm", sc["id"].as_str().unwrap()),
                json!({"version": confirmed["version"], "population_type": null}),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "confirmed once: {again}");

        let (_, referrals) = app
            .get_as(&officer, &format!("/api/v1/persons/{boy}/referrals"))
            .await;
        let r = &referrals[0];
        assert_eq!(
            (
                r["service"].as_str(),
                r["urgency"].as_str(),
                r["status"].as_str()
            ),
            (Some("child_protection"), Some("urgent"), Some("proposed"))
        );
        assert_eq!(
            r["due_at"], "2026-11-28T10:00:00Z",
            "due 24 hours after screening"
        );
        let (_, p) = app.get(&format!("/api/v1/persons/{boy}")).await;
        assert_eq!(
            p["details"]["profile_flags"],
            json!(["unaccompanied_child"])
        );
        let (_, needs) = app
            .get_as(&officer, &format!("/api/v1/persons/{boy}/needs"))
            .await;
        assert_eq!(needs[0]["code"], "SC-UC");

        // The child-protection caseworker finds the boy in the queue, with his case open.
        let cp = app.token_of("a", Role::ChildProtectionCaseworker);
        let (_, queues) = app.get_as(&cp, "/api/v1/queues").await;
        let waiting = queues["children_without_assessment"].as_array().unwrap();
        assert!(
            waiting.iter().any(|i| i["person_id"] == boy.as_str()),
            "{queues}"
        );
        assert!(
            queues.get("blocked_returns").is_none(),
            "not a queue of theirs"
        );
        let (_, cases) = app
            .get_as(&cp, &format!("/api/v1/persons/{boy}/cases"))
            .await;
        assert_eq!(cases[0]["state"], "best_interests_assessment");
        let case = walk(
            &app,
            &cp,
            cases[0].clone(),
            &[("complete_assessment", None)],
        )
        .await;
        let (_, queues) = app.get_as(&cp, "/api/v1/queues").await;
        assert!(
            !queues["children_without_assessment"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["person_id"] == boy.as_str())
        );
        assert_eq!(case["transitions"].as_array().unwrap().len(), 2);
        assert_eq!(
            case["transitions"][1]["reason"],
            "test: complete_assessment"
        );
    }
);

on_every_backend!(
    fear_expressed_after_a_return_was_scheduled_blocks_it_at_once,
    |app: App| async move {
        let returns = app.token_of("a", Role::ReturnCaseworker);
        let officer = app.token_of("a", Role::ScreeningOfficer);
        let migrant = person(&app, distinct_head()).await;
        let case = open_case(
            &app,
            &returns,
            &migrant,
            json!({"kind": "return", "voluntary": true, "reason": "chooses to go home"}),
        )
        .await;
        let case = walk(&app, &returns, case, &TO_SCHEDULED).await;
        assert_eq!(case["state"], "scheduled");
        assert_eq!(case["blocked_by"], json!([]));

        let (s, sc) = screen(
            &app,
            &officer,
            &migrant,
            answers(30, json!({"fear_of_return": true})),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{sc}");
        let (_, held) = app
            .get_as(
                &returns,
                &format!("/api/v1/cases/{}", case["id"].as_str().unwrap()),
            )
            .await;
        assert_eq!(held["state"], "suspended", "{held}");
        assert_eq!(
            held["blocked_by"][0]["condition"],
            "unresolved_fear_of_return"
        );
        let last = held["transitions"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()
            .clone();
        assert!(last["actor"].as_str().unwrap().contains("guard"), "{last}");

        let resumed = walk(&app, &returns, held, &[("resume", None)]).await;
        let (s, refused) = step(&app, &returns, &resumed, "schedule", None).await;
        assert_eq!(s, StatusCode::CONFLICT, "{refused}");
        assert!(
            refused["detail"].as_str().unwrap().contains("fear"),
            "{refused}"
        );
        let (_, unchanged) = app
            .get_as(
                &returns,
                &format!("/api/v1/cases/{}", case["id"].as_str().unwrap()),
            )
            .await;
        assert_eq!(
            unchanged["version"], resumed["version"],
            "a refused step writes nothing"
        );

        // A return caseworker sees the hold and why, in their queue and the return file.
        let (_, queues) = app.get_as(&returns, "/api/v1/queues").await;
        assert!(
            queues["blocked_returns"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["case_id"] == case["id"]),
            "{queues}"
        );
        let (s, file) = app
            .get_as(
                &returns,
                &format!("/api/v1/cases/{}/return-file", case["id"].as_str().unwrap()),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{file}");
        assert_eq!(
            file["blocked_by"][0]["condition"],
            "unresolved_fear_of_return"
        );
    }
);

on_every_backend!(
    lifting_a_hold_takes_two_different_supervisors,
    |app: App| async move {
        let returns = app.token_of("a", Role::ReturnCaseworker);
        let officer = app.token_of("a", Role::ScreeningOfficer);
        let first = app.token_of("a", Role::Supervisor);
        let second = app
            .another_user("a", Role::Supervisor, "second.supervisor")
            .await;
        let migrant = person(&app, distinct_head()).await;
        let case = open_case(
            &app,
            &returns,
            &migrant,
            json!({"kind": "return", "voluntary": true, "reason": "chooses to go home"}),
        )
        .await;
        let (s, _) = screen(
            &app,
            &officer,
            &migrant,
            answers(30, json!({"fear_of_return": true})),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED);
        let case_path = format!("/api/v1/cases/{}", case["id"].as_str().unwrap());
        let (_, case) = app.get_as(&returns, &case_path).await;
        let key = case["blocked_by"][0].clone();
        let key = format!("fear:{}", key["screening_id"].as_str().unwrap());

        let (s, lift) = app.post_as(&first, &format!("{case_path}/hold-lifts"), json!({"condition": key, "reason": "fear examined at interview: harm feared is from a neighbour, state protection available"})).await;
        assert_eq!(s, StatusCode::CREATED, "{lift}");
        let decide = format!(
            "/api/v1/hold-lifts/{}/decision",
            lift["id"].as_str().unwrap()
        );
        let (s, same) = app
            .post_as(
                &first,
                &decide,
                json!({"approve": true, "reason": "agreed"}),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{same}");
        assert!(
            same["detail"].as_str().unwrap().contains("second person"),
            "{same}"
        );
        let (s, clerk) = app
            .post_as(
                &returns,
                &decide,
                json!({"approve": true, "reason": "agreed"}),
            )
            .await;
        assert_eq!(
            s,
            StatusCode::FORBIDDEN,
            "only a supervisor decides: {clerk}"
        );
        let (s, nonliftable) = app
            .post_as(
                &first,
                &format!("{case_path}/hold-lifts"),
                json!({"condition": "protection", "reason": "x"}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{nonliftable}");

        let (s, approved) = app
            .post_as(
                &second,
                &decide,
                json!({"approve": true, "reason": "reviewed the interview record"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{approved}");
        assert_eq!(approved["decided_by"], "second.supervisor");
        let (_, case) = app.get_as(&returns, &case_path).await;
        assert_eq!(case["blocked_by"], json!([]), "{case}");
        assert_eq!(case["hold_lifts"][0]["approved"], true);
        let case = walk(&app, &returns, case, &TO_SCHEDULED).await;
        assert_eq!(case["state"], "scheduled");

        // A new claim re-imposes the hold at once.
        let asylum = app.token_of("a", Role::AsylumCaseworker);
        open_case(
            &app,
            &asylum,
            &migrant,
            json!({"kind": "asylum", "reason": "claims asylum at the airport"}),
        )
        .await;
        let (_, case) = app.get_as(&returns, &case_path).await;
        assert_eq!(case["state"], "suspended");
        assert_eq!(case["blocked_by"][0]["condition"], "pending_asylum_claim");
        let (_, p) = app.get(&format!("/api/v1/persons/{migrant}")).await;
        assert_eq!(p["details"]["population_type"], "ASY");
    }
);

on_every_backend!(
    recognition_makes_a_refugee_and_holds_any_return,
    |app: App| async move {
        let asylum = app.token_of("a", Role::AsylumCaseworker);
        let claimant = person(&app, distinct_head()).await;
        let case = open_case(
            &app,
            &asylum,
            &claimant,
            json!({"kind": "asylum", "reason": "fear of persecution"}),
        )
        .await;
        let (s, wrong) = step(&app, &asylum, &case, "decide", Some("recognised_refugee")).await;
        assert_eq!(s, StatusCode::CONFLICT, "{wrong}");
        assert!(
            wrong["detail"]
                .as_str()
                .unwrap()
                .contains("allowed now: schedule_interview, withdraw"),
            "{wrong}"
        );
        let case = walk(
            &app,
            &asylum,
            case,
            &[
                ("schedule_interview", None),
                ("interview", None),
                ("decide", Some("recognised_refugee")),
                ("notify", None),
                ("finalise", None),
            ],
        )
        .await;
        assert_eq!(
            (
                case["state"].as_str(),
                case["outcome"].as_str(),
                case["closed"].as_bool()
            ),
            (Some("final"), Some("recognised_refugee"), Some(true))
        );
        let (_, p) = app.get(&format!("/api/v1/persons/{claimant}")).await;
        assert_eq!(p["details"]["population_type"], "REF");

        let returns = app.token_of("a", Role::ReturnCaseworker);
        let ret = open_case(
            &app,
            &returns,
            &claimant,
            json!({"kind": "return", "voluntary": false, "reason": "test"}),
        )
        .await;
        let ret = walk(
            &app,
            &returns,
            ret,
            &[
                ("return_decision", None),
                ("check_pre_departure", None),
                ("issue_travel_document", None),
            ],
        )
        .await;
        let (s, refused) = step(&app, &returns, &ret, "schedule", None).await;
        assert_eq!(s, StatusCode::CONFLICT, "{refused}");
        // The return caseworker sees that an asylum case exists and where, not its reasons.
        let (_, cases) = app
            .get_as(&returns, &format!("/api/v1/persons/{claimant}/cases"))
            .await;
        assert_eq!(cases[0]["kind"], "asylum");
        assert!(
            cases[0]["transitions"]
                .as_array()
                .unwrap()
                .iter()
                .all(|t| t["reason"].is_null()),
            "{cases}"
        );
    }
);

on_every_backend!(
    trafficking_referrals_go_only_with_consent_and_share_only_what_is_needed,
    |app: App| async move {
        let officer = app.token_of("a", Role::ScreeningOfficer);
        let mut head = distinct_head();
        head["place_of_origin"] = json!("Cox's Bazar");
        let woman = person(&app, head).await;
        let (s, sc) = screen(&app, &officer, &woman, answers(24, json!({
        "recruitment": ["job_offer"], "control": ["documents_taken", "debt"], "exploitation": ["domestic_work"],
        "health": ["chronic"], "violence": ["sexual_violence_flight"]
    }))).await;
        assert_eq!(s, StatusCode::CREATED, "{sc}");
        assert_eq!(sc["outcome"]["trafficking"]["presumed_victim"], true);
        let b = app.organisations["b"];
        let confirmation = json!({"version": 1, "population_type": null, "profile_flags": ["presumed_trafficking_victim"],
        "needs": ["SM-CI", "SV-VF"], "referrals": [{"service": "anti_trafficking", "recipient_id": b}], "open_cases": []});
        let (s, c) = app
            .post_as(
                &officer,
                &format!("/api/v1/screenings/{}/confirm", sc["id"].as_str().unwrap()),
                confirmation,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{c}");
        let (_, referrals) = app
            .get_as(&officer, &format!("/api/v1/persons/{woman}/referrals"))
            .await;
        let r = referrals[0].clone();
        let steps = format!("/api/v1/referrals/{}/steps", r["id"].as_str().unwrap());
        let (s, refused) = app
            .post_as(
                &officer,
                &steps,
                json!({"action": "send", "version": r["version"]}),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{refused}");
        assert!(
            refused["detail"].as_str().unwrap().contains("consented"),
            "{refused}"
        );
        let (s, _) = app
            .post_as(
                &officer,
                &format!("/api/v1/persons/{woman}/consents"),
                json!({"recipient_id": b, "scope": "trafficking"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let (s, sent) = app
            .post_as(
                &officer,
                &steps,
                json!({"action": "send", "version": r["version"]}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{sent}");

        // The receiving organisation sees the referral, then the person once it accepts.
        let theirs = app.token_of("b", Role::TraffickingCaseworker);
        let person_path = format!("/api/v1/referrals/{}/person", r["id"].as_str().unwrap());
        let (s, early) = app.get_as(&theirs, &person_path).await;
        assert_eq!(s, StatusCode::CONFLICT, "{early}");
        let (s, wrong_side) = app
            .post_as(
                &theirs,
                &steps,
                json!({"action": "cancel", "version": sent["version"], "reason": "x"}),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{wrong_side}");
        let (s, accepted) = app
            .post_as(
                &theirs,
                &steps,
                json!({"action": "accept", "version": sent["version"]}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{accepted}");
        let (s, shared) = app.get_as(&theirs, &person_path).await;
        assert_eq!(s, StatusCode::OK, "{shared}");
        assert!(shared["given_name"].is_string());
        assert!(
            shared.get("place_of_origin").is_none(),
            "not needed for anti-trafficking: {shared}"
        );
        assert!(
            shared.get("needs").is_none(),
            "no SGBV or medical codes: {shared}"
        );
        let (s, _) = app
            .get_as(&theirs, &format!("/api/v1/persons/{woman}"))
            .await;
        assert_eq!(
            s,
            StatusCode::NOT_FOUND,
            "the person record itself stays hidden"
        );
    }
);
