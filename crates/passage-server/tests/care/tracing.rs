//! Tracing: the true match first, and another organisation's request shown only as whose
//! it is, never what it says.

use super::*;

on_every_backend!(
    a_tracing_request_finds_the_true_match_first,
    |app: App| async move {
        let (arrival, _) = arrival_and_site(&app).await;
        let found = household(&app, &arrival, json!({"given_name": "Nurul", "family_name": "Amin", "sex": "M",
        "date_of_birth": {"date": "2009-03-14", "precision": "exact"}, "nationalities": ["stateless"],
        "place_of_origin": "Buthidaung"}), json!([])).await["head_person_id"].as_str().unwrap().to_owned();
        household(&app, &arrival, json!({"given_name": "Nur", "family_name": "Alam", "sex": "M",
        "date_of_birth": {"date": "1990-01-01", "precision": "year_only"}, "nationalities": ["stateless"]}), json!([])).await;
        household(&app, &arrival, json!({"given_name": "Nurul", "family_name": "Islam", "sex": "F",
        "date_of_birth": {"date": "1975-01-01", "precision": "year_only"}, "nationalities": ["BGD"]}), json!([])).await;
        app.matcher.refresh(&app.store).await.unwrap();
        let officer = app.token_of("a", Role::ChildProtectionCaseworker);
        let (s, request) = app.post_as(&officer, "/api/v1/tracing-requests", json!({
        "sought": {"given_name": "Nurul Amin", "sex": "M", "date_of_birth": {"date": "2009-01-01", "precision": "year_only"},
                   "nationalities": ["stateless"], "place_of_origin": "Buthidaung"},
        "last_seen_place": "Andaman Sea", "last_seen_on": "2026-11-20", "relationship": "mother",
        "requester_name": "Hasina Begum", "requester_contact": "+880 1712 000000", "consent_to_share": true
    })).await;
        assert_eq!(s, StatusCode::CREATED, "{request}");
        let persons: Vec<&Value> = request["matches"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["kind"] == "person")
            .collect();
        assert!(!persons.is_empty(), "{request}");
        assert_eq!(
            persons[0]["id"],
            found.as_str(),
            "the true match first: {request}"
        );
        assert!(
            persons
                .iter()
                .skip(1)
                .all(|m| m["probability"].as_f64() < persons[0]["probability"].as_f64())
        );
        let (s, closed) = app.post_as(&officer, &format!("/api/v1/tracing-requests/{}/outcome", request["id"].as_str().unwrap()),
        json!({"version": request["version"], "status": "found_alive", "reason": "confirmed by photo and the boy's account", "found_person_id": found})).await;
        assert_eq!(s, StatusCode::OK, "{closed}");
        let (s, e) = app
            .post_as(
                &officer,
                "/api/v1/tracing-requests",
                json!({
        "sought": {"given_name": "X", "sex": "M"}, "relationship": "brother", "requester_name": "Y",
        "requester_contact": "Z", "consent_to_share": false}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["errors"][0]["field"], "consent_to_share");
    }
);

on_every_backend!(
    another_organisation_s_request_shows_only_whose_it_is,
    |app: App| async move {
        let theirs = app.token_of("a", Role::ChildProtectionCaseworker);
        let (s, first) = app.post_as(&theirs, "/api/v1/tracing-requests", json!({
        "sought": {"given_name": "Nurul", "family_name": "Amin", "sex": "M",
                   "date_of_birth": {"date": "2009-03-14", "precision": "exact"},
                   "nationalities": ["stateless"], "place_of_origin": "Buthidaung",
                   "description": "scar above the left eye"},
        "last_seen_place": "Andaman Sea", "last_seen_on": "2026-11-20", "relationship": "mother",
        "requester_name": "Hasina Begum", "requester_contact": "+880 1712 000000", "consent_to_share": true
    })).await;
        assert_eq!(s, StatusCode::CREATED, "{first}");

        // Another organisation, another family, another spelling of the same boy.
        let ours = app.token_of("b", Role::ChildProtectionCaseworker);
        let (s, second) = app.post_as(&ours, "/api/v1/tracing-requests", json!({
        "sought": {"given_name": "Nurul", "family_name": "Ameen", "sex": "M",
                   "date_of_birth": {"date": "2009-03-14", "precision": "exact"},
                   "nationalities": ["stateless"], "place_of_origin": "Buthidaung"},
        "last_seen_place": "Andaman Sea", "relationship": "uncle",
        "requester_name": "Karim Ullah", "requester_contact": "Kutupalong camp 4", "consent_to_share": true
    })).await;
        assert_eq!(s, StatusCode::CREATED, "{second}");
        let path = format!(
            "/api/v1/tracing-requests/{}",
            second["id"].as_str().unwrap()
        );
        let (s, read) = app.get_as(&ours, &path).await;
        assert_eq!(s, StatusCode::OK, "{read}");
        for request in [&second, &read] {
            let found: Vec<&Value> = request["matches"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|m| m["kind"] == "request")
                .collect();
            assert_eq!(found.len(), 1, "{request}");
            assert_eq!(found[0]["id"], first["id"], "{request}");
            assert!(found[0]["probability"].as_f64().unwrap() > 0.5, "{request}");
            let why = found[0]["explanation"].as_str().unwrap().to_lowercase();
            assert!(why.contains("organisation a"), "{why}");
            for said in ["amin", "2009", "buthidaung", "scar", "hasina", "andaman"] {
                assert!(!why.contains(said), "`{said}` from their request: {why}");
            }
        }
        // Nor can the request itself be read.
        let (s, _) = app
            .get_as(
                &ours,
                &format!("/api/v1/tracing-requests/{}", first["id"].as_str().unwrap()),
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);

        // The organisation's own earlier request is explained in full.
        let (s, again) = app.post_as(&theirs, "/api/v1/tracing-requests", json!({
        "sought": {"given_name": "Nurul", "family_name": "Ameen", "sex": "M",
                   "date_of_birth": {"date": "2009-03-14", "precision": "exact"},
                   "nationalities": ["stateless"]},
        "relationship": "brother", "requester_name": "Rafiq", "requester_contact": "site office",
        "consent_to_share": true
    })).await;
        assert_eq!(s, StatusCode::CREATED, "{again}");
        let own = again["matches"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == first["id"])
            .unwrap();
        assert!(
            own["explanation"].as_str().unwrap().contains("2009"),
            "{own}"
        );
    }
);
