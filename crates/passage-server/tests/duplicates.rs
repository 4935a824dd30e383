//! Duplicates through the API: a clerk registering someone already registered sees the
//! original with an explanation and must decide; not-a-duplicate is remembered; merges
//! are undone exactly; another server on the same database sees new registrations.

#[macro_use]
mod support;

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use passage_domain::access::Role;
use serde_json::{Value, json};

fn household(arrival: &str, head: Value) -> Value {
    json!({"arrival_id": arrival, "head": head, "members": []})
}

fn mohammed() -> Value {
    json!({"given_name": "Mohammed", "family_name": "Hussein", "sex": "M",
           "original_name": {"text": "محمد حسين", "script": "Arab"},
           "date_of_birth": {"date": "1990-03-07", "precision": "exact"},
           "nationalities": ["SYR"], "place_of_origin": "Deir ez-Zor"})
}

fn muhammad() -> Value {
    json!({"given_name": "Muhammad", "family_name": "Husain", "sex": "M",
           "date_of_birth": {"date": "1990-03-07", "precision": "exact"},
           "nationalities": ["SYR"]})
}

on_every_backend!(
    a_clerk_sees_the_original_with_why_and_must_decide,
    |app: support::App| async move {
        let clerk = app.token_of("a", Role::RegistrationClerk);
        let arrival = app.arrival().await;
        let (s, first) = app
            .post_as(
                &clerk,
                "/api/v1/households",
                household(&arrival, mohammed()),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{first}");
        let original = first["head_person_id"].as_str().unwrap().to_owned();

        let (s, problem) = app
            .post_as(
                &clerk,
                "/api/v1/households",
                household(&arrival, muhammad()),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{problem}");
        assert_eq!(problem["type"], "urn:passage:problem:likely-duplicate");
        let c = &problem["candidates"][0];
        assert_eq!(c["person_id"], original.as_str());
        assert_eq!(
            c["registration_number"],
            first["members"][0]["registration_number"]
        );
        assert_eq!(c["likely"], true);
        let name = c["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["field"] == "name")
            .unwrap();
        assert_eq!(name["level"], "variant", "{name}");
        assert!(
            name["explanation"]
                .as_str()
                .unwrap()
                .contains("spellings of mohammed"),
            "{name}"
        );

        // Who may not register is refused before any candidate is looked up.
        let screening = app.token_of("a", Role::ScreeningOfficer);
        let (s, refused) = app
            .post_as(
                &screening,
                "/api/v1/households",
                household(&arrival, muhammad()),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{refused}");
        assert!(refused.get("candidates").is_none(), "{refused}");

        // The same answer before registering.
        let (s, check) = app
            .post_as(
                &clerk,
                "/api/v1/duplicates/check",
                json!({"person": muhammad()}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{check}");
        assert_eq!(check["candidates"][0]["person_id"], original.as_str());

        // A decision without a reason is refused, naming the field.
        let mut body = household(&arrival, muhammad());
        body["not_duplicates"] = json!({"person_ids": [original], "reason": " "});
        let (s, problem) = app
            .post_as(&clerk, "/api/v1/households", body.clone())
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{problem}");
        assert_eq!(problem["errors"][0]["field"], "not_duplicates.reason");

        body["not_duplicates"]["reason"] = json!("father's name differs; tazkira seen");
        let (s, second) = app.post_as(&clerk, "/api/v1/households", body).await;
        assert_eq!(s, StatusCode::CREATED, "{second}");
        let new = second["head_person_id"].as_str().unwrap();
        let (s, decisions) = app
            .get_as(&clerk, &format!("/api/v1/persons/{new}/decisions"))
            .await;
        assert_eq!(s, StatusCode::OK, "{decisions}");
        assert_eq!(decisions["decisions"][0]["decision"], "not_duplicate");
        assert_eq!(
            decisions["decisions"][0]["decided_by"],
            "registration_clerk.a"
        );
        // Remembered: the pair does not come back.
        let (_, candidates) = app
            .get_as(&clerk, &format!("/api/v1/persons/{new}/candidates"))
            .await;
        assert!(
            candidates["candidates"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["person_id"] != original.as_str()),
            "{candidates}"
        );

        // Another organisation's clerk cannot see Aceh's record: no candidate is shown,
        // the registration goes ahead, and the pair waits for someone who sees both.
        let other = app.token_of("b", Role::RegistrationClerk);
        let (s, third) = app
            .post_as(
                &other,
                "/api/v1/households",
                household(&arrival, muhammad()),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{third}");
        let reviews = app
            .store
            .reviews(
                &passage_domain::access::Principal::operator(support::NOW),
                passage_domain::duplicates::ReviewStatus::Open,
                None,
                10,
            )
            .await
            .unwrap();
        assert!(!reviews.is_empty());
        assert!(reviews.iter().all(|r| r.found_by == "registration"));
    }
);

on_every_backend!(
    merge_and_unmerge_restore_the_record_exactly,
    |app: support::App| async move {
        let arrival = app.arrival().await;
        let (_, a) = app
            .post("/api/v1/households", household(&arrival, mohammed()))
            .await;
        let mut body = household(&arrival, muhammad());
        body["not_duplicates"] =
            json!({"person_ids": [a["head_person_id"]], "reason": "registered in a hurry"});
        let (s, b) = app.post("/api/v1/households", body).await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        let (kept, merged) = (a["head_person_id"].clone(), b["head_person_id"].clone());
        let (_, before) = app
            .get(&format!("/api/v1/persons/{}", merged.as_str().unwrap()))
            .await;

        // The not-a-duplicate decision stands in the way until undone.
        let merge = json!({"person_a": kept, "person_b": merged, "decision": "merge", "reason": "same passport"});
        let (s, problem) = app
            .post("/api/v1/duplicates/decisions", merge.clone())
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{problem}");
        let (_, decisions) = app
            .get(&format!(
                "/api/v1/persons/{}/decisions",
                merged.as_str().unwrap()
            ))
            .await;
        let first = decisions["decisions"][0]["id"].as_str().unwrap().to_owned();
        let (s, undone) = app
            .post(
                &format!("/api/v1/duplicates/decisions/{first}/undo"),
                json!({"reason": "clerk misread"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{undone}");

        // A clerk may not merge.
        let clerk = app.token_of("a", Role::RegistrationClerk);
        let (s, _) = app
            .post_as(&clerk, "/api/v1/duplicates/decisions", merge.clone())
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);

        let (s, decision) = app.post("/api/v1/duplicates/decisions", merge).await;
        assert_eq!(s, StatusCode::CREATED, "{decision}");
        let (_, during) = app
            .get(&format!("/api/v1/persons/{}", merged.as_str().unwrap()))
            .await;
        assert_eq!(during["status"], "merged");
        assert!(
            !app.matcher
                .candidates(&serde_json::from_value(muhammad()).unwrap(), 10, |_| false)
                .iter()
                .any(|f| f.id.to_string() == merged.as_str().unwrap()),
            "a merged record is no longer a candidate"
        );

        let id = decision["id"].as_str().unwrap();
        let (s, undone) = app
            .post(
                &format!("/api/v1/duplicates/decisions/{id}/undo"),
                json!({"reason": "twins"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{undone}");
        assert_eq!(undone["undone_by"], "supervisor.a");
        let (_, after) = app
            .get(&format!("/api/v1/persons/{}", merged.as_str().unwrap()))
            .await;
        for field in [
            "details",
            "status",
            "registration_number",
            "household_id",
            "relationship",
        ] {
            assert_eq!(after[field], before[field], "{field}");
        }
        let (s, again) = app
            .post(
                &format!("/api/v1/duplicates/decisions/{id}/undo"),
                json!({"reason": "twice"}),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{again}");
    }
);

on_every_backend!(
    another_server_sees_a_new_registration_within_a_second,
    |app: support::App| async move {
        let other = std::sync::Arc::new(
            passage_server::matcher::Matcher::load(&app.store)
                .await
                .unwrap(),
        );
        other.clone().spawn_refresh(app.store.clone());
        let arrival = app.arrival().await;
        let (s, h) = app
            .post("/api/v1/households", household(&arrival, mohammed()))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{h}");
        let id = h["head_person_id"].as_str().unwrap().to_owned();
        let probe = serde_json::from_value(muhammad()).unwrap();
        let started = Instant::now();
        loop {
            if other
                .candidates(&probe, 10, |_| false)
                .iter()
                .any(|f| f.id.to_string() == id)
            {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(1),
                "not seen within a second"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
);

on_every_backend!(
    a_review_item_closes_itself_when_an_edit_makes_the_pair_unalike,
    |app: support::App| async move {
        let arrival = app.arrival().await;
        let (_, a) = app
            .post_as(
                &app.token_of("a", Role::RegistrationClerk),
                "/api/v1/households",
                household(&arrival, mohammed()),
            )
            .await;
        // Organisation b's clerk cannot see a's record: the pair waits for review.
        let (s, _) = app
            .post_as(
                &app.token_of("b", Role::RegistrationClerk),
                "/api/v1/households",
                household(&arrival, muhammad()),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let operator = passage_domain::access::Principal::operator(support::NOW);
        let open = passage_domain::duplicates::ReviewStatus::Open;
        assert_eq!(
            app.store
                .reviews(&operator, open, None, 10)
                .await
                .unwrap()
                .len(),
            1
        );

        // A correction that is not the edit of a name: the pair stays.
        let id = a["head_person_id"].as_str().unwrap();
        let (_, p) = app.get(&format!("/api/v1/persons/{id}")).await;
        let (s, p) = app
            .patch(
                &format!("/api/v1/persons/{id}"),
                json!({"version": p["version"], "details": {"languages": ["ara", "eng"]}}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{p}");
        assert_eq!(
            app.store
                .reviews(&operator, open, None, 10)
                .await
                .unwrap()
                .len(),
            1
        );

        // The clerk had written the wrong person's name and birth date: now unalike.
        let (s, p) = app
            .patch(
                &format!("/api/v1/persons/{id}"),
                json!({"version": p["version"], "details": {
                    "given_name": "Zubair", "family_name": "Idris", "original_name": null,
                    "date_of_birth": {"date": "1961-11-30", "precision": "exact"}}}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{p}");
        assert!(
            app.store
                .reviews(&operator, open, None, 10)
                .await
                .unwrap()
                .is_empty()
        );
        let closed = app
            .store
            .reviews(
                &operator,
                passage_domain::duplicates::ReviewStatus::Closed,
                None,
                10,
            )
            .await
            .unwrap();
        assert_eq!(closed.len(), 1);
        assert_eq!(
            closed[0].closed_reason.as_deref(),
            Some("no longer alike after an edit")
        );
    }
);
