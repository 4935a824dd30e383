//! What another unit learns of a person: a caseworker who sees only a case's state,
//! nothing of why a hold was to be lifted.

use super::*;

/// Whether any of `words` shows anywhere in `v`.
fn shows(v: &Value, words: &[&str]) -> bool {
    let text = v.to_string();
    words.iter().any(|w| text.contains(w))
}

on_every_backend!(
    a_caseworker_who_sees_only_a_return_s_state_never_reads_why_a_hold_was_to_be_lifted,
    |app: App| async move {
        let returns = app.token_of("a", Role::ReturnCaseworker);
        let officer = app.token_of("a", Role::ScreeningOfficer);
        let first = app.token_of("a", Role::Supervisor);
        let second = app
            .another_user("a", Role::Supervisor, "second.supervisor.lifts")
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
        let (_, held) = app.get_as(&returns, &case_path).await;
        let key = format!(
            "fear:{}",
            held["blocked_by"][0]["screening_id"].as_str().unwrap()
        );
        let asked = "she fears the recruiter who sold her passport, now in her home town";
        let decided = "the recruiter was convicted; her brother confirmed it at interview";
        let (s, lift) = app
            .post_as(
                &first,
                &format!("{case_path}/hold-lifts"),
                json!({"condition": key, "reason": asked}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{lift}");
        assert_eq!(
            lift["request_reason"], asked,
            "the requester reads their own"
        );
        let (s, decision) = app
            .post_as(
                &second,
                &format!(
                    "/api/v1/hold-lifts/{}/decision",
                    lift["id"].as_str().unwrap()
                ),
                json!({"approve": true, "reason": decided}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{decision}");
        assert_eq!(decision["decision_reason"], decided);

        // The return caseworker sees the case in full.
        let (_, full) = app.get_as(&returns, &case_path).await;
        assert_eq!(full["hold_lifts"][0]["request_reason"], asked, "{full}");
        assert_eq!(full["hold_lifts"][0]["decision_reason"], decided, "{full}");

        // An asylum caseworker sees that a hold was lifted, by whom and when; never why.
        let asylum = app.token_of("a", Role::AsylumCaseworker);
        let (s, one) = app.get_as(&asylum, &case_path).await;
        assert_eq!(s, StatusCode::OK, "{one}");
        let (s, all) = app
            .get_as(&asylum, &format!("/api/v1/persons/{migrant}/cases"))
            .await;
        assert_eq!(s, StatusCode::OK, "{all}");
        let of_person = all
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == case["id"])
            .cloned()
            .unwrap();
        for seen in [&one, &of_person] {
            let l = &seen["hold_lifts"][0];
            assert_eq!(
                (&l["condition"], &l["approved"], &l["decided_by"]),
                (&json!(key), &json!(true), &json!("second.supervisor.lifts")),
                "{seen}"
            );
            assert!(l["request_reason"].is_null(), "{seen}");
            assert!(l["decision_reason"].is_null(), "{seen}");
            assert!(
                !shows(seen, &["recruiter", "passport", "brother"]),
                "{seen}"
            );
        }
    }
);
