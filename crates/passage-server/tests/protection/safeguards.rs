//! What must hold whatever else happens: the person's file and erasure, alternatives to
//! detention, protection never taken away by hand, referrals never to a country of origin.

use super::*;

on_every_backend!(
    bad_protection_input_is_refused_and_nothing_is_written,
    |app: App| async move {
        let officer = app.token_of("a", Role::ScreeningOfficer);
        let someone = person(&app, distinct_head()).await;
        let path = format!("/api/v1/persons/{someone}/screenings");
        let (s, e) = app.post_as(&officer, &path, json!({"questionnaire": "screening", "questionnaire_version": 1, "answers": {"stated_age": 30, "fear_of_return": false, "wants_asylum": false}})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["errors"][0]["field"], "questionnaire_version");
        assert!(
            e["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("retired"),
            "{e}"
        );
        let (s, e) = screen(
            &app,
            &officer,
            &someone,
            answers(30, json!({"fear_of_return": "yes"})),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["errors"][0]["field"], "answers.fear_of_return");
        let (s, e) = app
            .post_as(
                &officer,
                &format!("/api/v1/persons/{someone}/needs"),
                json!({"code": "SC-ZZ"}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert!(e["detail"].as_str().unwrap().contains("SC-ZZ"), "{e}");
        let (_, screenings) = app.get_as(&officer, &path).await;
        assert_eq!(screenings, json!([]));
        let (_, needs) = app
            .get_as(&officer, &format!("/api/v1/persons/{someone}/needs"))
            .await;
        assert_eq!(needs, json!([]));

        let returns = app.token_of("a", Role::ReturnCaseworker);
        let case = open_case(
            &app,
            &returns,
            &someone,
            json!({"kind": "return", "voluntary": true, "reason": "wants to go home"}),
        )
        .await;
        let (s, e) = step(&app, &returns, &case, "execute", None).await;
        assert_eq!(s, StatusCode::CONFLICT, "{e}");
        assert!(
            e["detail"]
                .as_str()
                .unwrap()
                .contains("allowed now: give_informed_consent, return_decision"),
            "{e}"
        );
        let (s, e) = app.post_as(&returns, &format!("/api/v1/cases/{}/transitions", case["id"].as_str().unwrap()),
        json!({"event": "give_informed_consent", "version": case["version"], "reason": "  "})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["errors"][0]["field"], "reason");
        let (_, unchanged) = app
            .get_as(
                &returns,
                &format!("/api/v1/cases/{}", case["id"].as_str().unwrap()),
            )
            .await;
        assert_eq!(unchanged["version"], case["version"]);
        let (s, e) = app
            .post_as(
                &returns,
                &format!("/api/v1/persons/{someone}/cases"),
                json!({"kind": "regular_pathway", "reason": "job offer"}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["errors"][0]["field"], "pathway");
    }
);

on_every_backend!(
    the_person_s_file_holds_their_screenings_and_erasure_clears_what_they_said,
    |app: App| async move {
        let officer = app.token_of("a", Role::ScreeningOfficer);
        let dpfp = app.token_of("a", Role::DataProtectionFocalPoint);
        let someone = person(&app, distinct_head()).await;
        let said = "fled after the village was burned";
        let (s, sc) = screen(
            &app,
            &officer,
            &someone,
            answers(30, json!({"notes": said, "health": ["chronic"]})),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{sc}");
        let (s, _) = app
            .post_as(
                &officer,
                &format!("/api/v1/screenings/{}/confirm", sc["id"].as_str().unwrap()),
                json!({"version": 1, "population_type": null, "needs": ["SM-CI"]}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (s, file) = app
            .get_as(&dpfp, &format!("/api/v1/persons/{someone}/export"))
            .await;
        assert_eq!(s, StatusCode::OK, "{file}");
        assert_eq!(file["screenings"][0]["answers"]["notes"], said);
        assert_eq!(file["specific_needs"][0]["code"], "SM-CI");

        let (s, erased) = app
            .post_as(
                &dpfp,
                &format!("/api/v1/persons/{someone}/erase"),
                json!({"reason": "the person asked"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{erased}");
        let (_, screenings) = app
            .get_as(&officer, &format!("/api/v1/persons/{someone}/screenings"))
            .await;
        assert_eq!(
            screenings[0]["answers"],
            json!({}),
            "what the person said is gone"
        );
        assert_eq!(
            screenings[0]["outcome"]["needs"][0]["code"], "SM-CI",
            "the codes stay"
        );
    }
);

on_every_backend!(
    detained_children_and_people_with_protection_needs_are_queued_for_alternatives,
    |app: App| async move {
        let officer = app.token_of("a", Role::ScreeningOfficer);
        let mut head = distinct_head();
        head["date_of_birth"] = json!({"date": "2010-06-01", "precision": "exact"});
        let girl = person(&app, head).await;
        let adult = person(&app, distinct_head()).await;
        for (who, age) in [(&girl, 16), (&adult, 35)] {
            let (s, sc) =
                screen(&app, &officer, who, answers(age, json!({"detained": true}))).await;
            assert_eq!(s, StatusCode::CREATED, "{sc}");
            let needs: Vec<Value> = sc["outcome"]["needs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n["code"].clone())
                .collect();
            assert!(needs.contains(&json!("LP-DT")), "{needs:?}");
            let (s, c) = app
                .post_as(
                    &officer,
                    &format!("/api/v1/screenings/{}/confirm", sc["id"].as_str().unwrap()),
                    json!({"version": 1, "population_type": null, "needs": needs}),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{c}");
        }
        let (_, queues) = app.get_as(&officer, "/api/v1/queues").await;
        let queued: Vec<&str> = queues["detention_alternatives"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["person_id"].as_str().unwrap())
            .collect();
        assert!(queued.contains(&girl.as_str()), "{queues}");
        assert!(
            !queued.contains(&adult.as_str()),
            "an adult without protection needs: {queues}"
        );
        // A protection need puts the adult in the queue too.
        let (s, _) = app
            .post_as(
                &officer,
                &format!("/api/v1/persons/{adult}/needs"),
                json!({"code": "SV-VF"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let (_, queues) = app.get_as(&officer, "/api/v1/queues").await;
        assert!(
            queues["detention_alternatives"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["person_id"] == adult.as_str()),
            "{queues}"
        );
    }
);

on_every_backend!(
    protection_once_found_is_not_taken_away_by_a_withdrawn_claim_or_an_edit,
    |app: App| async move {
        let asylum = app.token_of("a", Role::AsylumCaseworker);
        let returns = app.token_of("a", Role::ReturnCaseworker);
        let mut head = distinct_head();
        head["population_type"] = json!("REF");
        head["profile_flags"] = json!(["presumed_trafficking_victim"]);
        let refugee = person(&app, head).await;
        // A later claim, withdrawn, leaves the recognition where it was.
        let case = open_case(
            &app,
            &asylum,
            &refugee,
            json!({"kind": "asylum", "reason": "a new claim for his son"}),
        )
        .await;
        walk(&app, &asylum, case, &[("withdraw", None)]).await;
        let (_, p) = app.get(&format!("/api/v1/persons/{refugee}")).await;
        assert_eq!(p["details"]["population_type"], "REF");
        let ret = open_case(
            &app,
            &returns,
            &refugee,
            json!({"kind": "return", "voluntary": true, "reason": "test"}),
        )
        .await;
        let ret = walk(&app, &returns, ret, &TO_SCHEDULED[..3]).await;
        let (s, e) = step(&app, &returns, &ret, "schedule", None).await;
        assert_eq!(s, StatusCode::CONFLICT, "{e}");
        // Nor does an edit of the record.
        for change in [
            json!({"population_type": "ASY"}),
            json!({"profile_flags": []}),
        ] {
            let (_, p) = app.get(&format!("/api/v1/persons/{refugee}")).await;
            let body = json!({"version": p["version"], "details": change}).to_string();
            let (s, _, e) = app
                .send_as(
                    Some(&app.token),
                    axum::http::Method::PATCH,
                    &format!("/api/v1/persons/{refugee}"),
                    Some(body),
                    "application/json",
                )
                .await;
            assert_eq!(s, StatusCode::CONFLICT, "{e}");
        }
    }
);

on_every_backend!(
    a_referral_is_never_sent_to_a_country_of_origin_and_only_its_parties_act_on_it,
    |app: App| async move {
        let officer = app.token_of("a", Role::ScreeningOfficer);
        let admin = app.token_of("a", Role::Administrator);
        let (s, coo) = app.post_as(&admin, "/api/v1/organisations",
        json!({"name": "Consulate of the country of origin", "kind": "government_authority", "country_of_origin_authority": true})).await;
        assert_eq!(s, StatusCode::CREATED, "{coo}");
        let someone = person(&app, distinct_head()).await;
        let (s, e) = app.post_as(&officer, &format!("/api/v1/persons/{someone}/referrals"),
        json!({"service": "health", "recipient_id": coo["id"], "urgency": "normal", "reason": "check-up"})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["errors"][0]["field"], "recipient_id");
        let (s, r) = app
            .post_as(
                &officer,
                &format!("/api/v1/persons/{someone}/referrals"),
                json!({"service": "health", "urgency": "normal", "reason": "check-up"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let (s, e) = app
            .post_as(
                &officer,
                &format!("/api/v1/referrals/{}/steps", r["id"].as_str().unwrap()),
                json!({"action": "send", "version": r["version"], "recipient_id": coo["id"]}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    }
);
