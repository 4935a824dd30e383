//! The JSON API through the real router on a real database: SQLite always, PostgreSQL
//! when `PASSAGE_TEST_PG_URL` is set (always under CI).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};
use tower::ServiceExt;

#[macro_use]
mod support;

use support::{App, SPECIMEN_TD3, level_one};

on_every_backend!(
    level_one_household_gets_numbers_and_can_be_found,
    |app: App| async move {
        let arrival = app.arrival().await;
        let (s, h) = app.post("/api/v1/households", level_one(&arrival)).await;
        assert_eq!(s, StatusCode::CREATED, "{h}");
        assert_eq!(h["registration_level"], 1);
        assert_eq!(h["size"], 5);
        assert_eq!(
            h["registration_number"],
            "PDE-000001-".to_owned() + &h["registration_number"].as_str().unwrap()[11..]
        );
        let (s, by_card) = app
            .get(&format!(
                "/api/v1/households/by-number/{}",
                h["registration_number"].as_str().unwrap()
            ))
            .await;
        assert_eq!(s, StatusCode::OK, "{by_card}");
        assert_eq!(by_card["id"], h["id"]);
        let head = &h["members"][0];
        assert_eq!(head["relationship"], "head");
        // The number read aloud, typed in lower case without hyphens, finds the head.
        let typed = head["registration_number"]
            .as_str()
            .unwrap()
            .replace('-', "")
            .to_lowercase();
        let (s, p) = app.get(&format!("/api/v1/persons/by-number/{typed}")).await;
        assert_eq!(s, StatusCode::OK, "{p}");
        assert_eq!(p["details"]["original_name"]["text"], "محمد ایوب");
        assert_eq!(p["status"], "provisional");
        // A mistyped check character is refused, not looked up.
        let wrong = format!("{}X", &typed[..typed.len() - 1]);
        let wrong = if wrong == typed {
            format!("{}Y", &typed[..typed.len() - 1])
        } else {
            wrong
        };
        let (s, _) = app.get(&format!("/api/v1/persons/by-number/{wrong}")).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        // Name search ignores case, and finds the original script too.
        let (_, found) = app.get("/api/v1/persons?name=MOHAMMED%20ayub").await;
        assert_eq!(found["items"].as_array().unwrap().len(), 1);
        let (_, found) = app
            .get("/api/v1/persons?name=%D9%85%D8%AD%D9%85%D8%AF")
            .await;
        assert_eq!(found["items"].as_array().unwrap().len(), 1);
        let (_, found) = app.get("/api/v1/persons?nationality=stateless&sex=M").await;
        assert_eq!(found["items"].as_array().unwrap().len(), 1);
    }
);

on_every_backend!(
    upgrade_to_level_two_keeps_the_number,
    |app: App| async move {
        let arrival = app.arrival().await;
        let (_, h) = app.post("/api/v1/households", level_one(&arrival)).await;
        let id = h["id"].as_str().unwrap();
        let number = h["registration_number"].clone();
        let members = json!({"version": 1, "members": [
            {"relationship": "spouse", "person": {"given_name": "Hasina", "sex": "F", "date_of_birth": {"date": "1992-01-01", "precision": "year_only"}}},
            {"relationship": "child", "person": {"given_name": "Nur", "sex": "F", "date_of_birth": {"date": "2017-05-01", "precision": "estimated"}}},
            {"relationship": "child", "person": {"given_name": "Ayaz", "sex": "M", "date_of_birth": {"date": "2023-02-01", "precision": "estimated"}}},
        ]});
        let (s, partial) = app
            .post(&format!("/api/v1/households/{id}/members"), members)
            .await;
        assert_eq!(s, StatusCode::OK, "{partial}");
        assert_eq!(
            partial["registration_level"], 1,
            "one member still only counted"
        );
        let last = json!({"version": 2, "members": [
            {"relationship": "child", "person": {"given_name": "Yasin", "sex": "M", "date_of_birth": {"date": "2024-03-01", "precision": "estimated"}}}
        ]});
        let (s, full) = app
            .post(&format!("/api/v1/households/{id}/members"), last)
            .await;
        assert_eq!(s, StatusCode::OK, "{full}");
        assert_eq!(full["registration_level"], 2);
        assert_eq!(full["registration_number"], number);
        assert_eq!(full["members"].as_array().unwrap().len(), 5);
        assert_eq!(full["breakdown"]["m_0_4"], 2);
        assert_eq!(full["breakdown"]["f_5_11"], 1);
        let (_, head) = app
            .get(&format!(
                "/api/v1/persons/{}",
                full["head_person_id"].as_str().unwrap()
            ))
            .await;
        assert_eq!(head["registration_level"], 2);
        assert_eq!(head["status"], "active");
        // A stale version is refused with the current one.
        let stale = json!({"version": 1, "members": [{"relationship": "child", "person": {"given_name": "X", "sex": "U"}}]});
        let (s, problem) = app
            .post(&format!("/api/v1/households/{id}/members"), stale)
            .await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert_eq!(problem["current_version"], 3);
    }
);

on_every_backend!(
    bad_input_is_refused_naming_the_field_and_nothing_is_written,
    |app: App| async move {
        let arrival = app.arrival().await;
        let cases: Vec<(Value, &str)> = vec![
            (
                json!({"code": "PDS", "name": "X", "kind": "landing_point", "country": "XYZ"}),
                "country",
            ),
            (
                json!({"code": "LES", "name": "X", "kind": "landing_point", "country": "IDN"}),
                "code",
            ),
            (
                json!({"code": "PDS", "name": "X", "kind": "landing_point", "country": "IDN", "coordinates": {"latitude": 91, "longitude": 0}}),
                "coordinates.latitude",
            ),
        ];
        for (body, field) in cases {
            let (s, p) = app.post("/api/v1/sites", body).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
            assert_eq!(p["errors"][0]["field"], field, "{p}");
        }
        let mut feb31 = level_one(&arrival);
        feb31["head"]["date_of_birth"] = json!({"date": "1990-02-31", "precision": "exact"});
        let mut future = level_one(&arrival);
        future["head"]["date_of_birth"] = json!({"date": "2027-01-01", "precision": "exact"});
        let mut negative = level_one(&arrival);
        negative["size"] = json!(-1);
        let mut wrong_type = level_one(&arrival);
        wrong_type["head"]["sex"] = json!(3);
        let mut bad_member = level_one(&arrival);
        bad_member["size"] = json!(null);
        bad_member["breakdown"] = json!(null);
        bad_member["members"] = json!([{"relationship": "child", "person": {"given_name": "Nur", "sex": "F"}},
                                   {"relationship": "child", "person": {"given_name": "Ali", "sex": "M", "nationalities": ["ZZZ"]}}]);
        let mut sums = level_one(&arrival);
        sums["size"] = json!(6);
        let mut unknown_arrival = level_one(&arrival);
        unknown_arrival["arrival_id"] = json!("01900000-0000-7000-8000-000000000000");
        let cases = [
            (feb31, "head.date_of_birth.date"),
            (future, "head.date_of_birth.date"),
            (negative, "size"),
            (wrong_type, "head.sex"),
            (bad_member, "members[1].person.nationalities[0]"),
            (sums, "breakdown"),
            (unknown_arrival, "arrival_id"),
        ];
        for (body, field) in cases {
            let (s, ctype, p) = app
                .send(
                    Method::POST,
                    "/api/v1/households",
                    Some(body.to_string()),
                    "application/json",
                )
                .await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {p}");
            assert_eq!(ctype, "application/problem+json");
            assert_eq!(p["errors"][0]["field"], field, "{p}");
        }
        let (s, _, p) = app
            .send(
                Method::POST,
                "/api/v1/households",
                Some("{\"arrival_id\": ".into()),
                "application/json",
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{p}");
        let huge = format!("{{\"notes\": \"{}\"}}", "x".repeat(2 * 1024 * 1024));
        let (s, _, _) = app
            .send(
                Method::POST,
                "/api/v1/arrivals",
                Some(huge),
                "application/json",
            )
            .await;
        assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
        let (s, _, _) = app
            .send(
                Method::POST,
                "/api/v1/households",
                Some(level_one(&arrival).to_string()),
                "text/plain",
            )
            .await;
        assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(app.count("households").await, 0);
        assert_eq!(app.count("persons").await, 0);
        assert_eq!(app.count("sites").await, 1);
        // And the server still serves.
        let (s, _) = app.post("/api/v1/households", level_one(&arrival)).await;
        assert_eq!(s, StatusCode::CREATED);
    }
);

on_every_backend!(
    a_stale_update_gets_409_and_nothing_is_lost,
    |app: App| async move {
        let arrival = app.arrival().await;
        let (_, h) = app.post("/api/v1/households", level_one(&arrival)).await;
        let person = format!("/api/v1/persons/{}", h["head_person_id"].as_str().unwrap());
        let (s, first) = app
            .patch(
                &person,
                json!({"version": 1, "details": {"family_name": "Ayoub"}}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{first}");
        assert_eq!(first["version"], 2);
        let (s, second) = app
            .patch(
                &person,
                json!({"version": 1, "details": {"place_of_origin": "Maungdaw"}}),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{second}");
        assert_eq!(second["current_version"], 2);
        let (_, now) = app.get(&person).await;
        assert_eq!(now["details"]["family_name"], "Ayoub");
        assert!(
            now["details"]
                .get("place_of_origin")
                .is_none_or(Value::is_null)
        );
        let (s, p) = app
            .patch(&person, json!({"version": 2, "status": "merged"}))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
        let (s, p) = app.patch(&person, json!({"version": 2, "details": {"date_of_birth": {"date": "2030-01-01", "precision": "exact"}}})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(p["errors"][0]["field"], "details.date_of_birth.date");
    }
);

on_every_backend!(documents_have_their_mrz_verified, |app: App| async move {
    let arrival = app.arrival().await;
    let mut body = level_one(&arrival);
    body["head"] = json!({"given_name": "Anna Maria", "family_name": "Eriksson", "sex": "F",
                          "date_of_birth": {"date": "1974-08-12", "precision": "exact"}, "nationalities": ["BGD"]});
    let (_, h) = app.post("/api/v1/households", body).await;
    let docs = format!(
        "/api/v1/persons/{}/documents",
        h["head_person_id"].as_str().unwrap()
    );
    let (s, d) = app
        .post(&docs, json!({"kind": "passport", "mrz": SPECIMEN_TD3}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    assert_eq!(d["details"]["number"], "L898902C3");
    assert_eq!(d["verification"]["valid"], true);
    // The specimen says nationality UTO; the person declared BGD.
    let mismatches = d["verification"]["mismatches"].as_array().unwrap();
    assert_eq!(mismatches.len(), 1, "{mismatches:?}");
    assert_eq!(mismatches[0]["field"], "nationality");
    let damaged = SPECIMEN_TD3.replace("7408122F", "7408123F");
    let (s, p) = app
        .post(&docs, json!({"kind": "passport", "mrz": damaged}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!(p["errors"][0]["field"], "mrz");
    assert!(
        p["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("date of birth"),
        "{p}"
    );
    let (s, d) = app
        .post(
            &docs,
            json!({"kind": "passport", "mrz": damaged, "accept_damaged_mrz": true}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    assert_eq!(d["verification"]["valid"], false);
    assert!(
        d["verification"]["failed_checks"]
            .as_array()
            .unwrap()
            .contains(&json!("birth_date"))
    );
    let (s, v) = app
        .post("/api/v1/mrz/verify", json!({"mrz": "P<UTO\nshort"}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (_, listed) = app.get("/api/v1/documents?number=l898902c3").await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 2);
});

on_every_backend!(lists_page_with_a_cursor, |app: App| async move {
    let arrival = app.arrival().await;
    for _ in 0..7 {
        let mut body = level_one(&arrival);
        body["head"] = support::distinct_head();
        let (s, _) = app.post("/api/v1/households", body).await;
        assert_eq!(s, StatusCode::CREATED);
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/households?limit=3".to_owned();
    loop {
        let (s, page) = app.get(&path).await;
        assert_eq!(s, StatusCode::OK, "{page}");
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h["registration_number"].clone()),
        );
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/households?limit=3&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 7);
    let mut unique = seen.clone();
    unique.dedup();
    assert_eq!(unique.len(), 7);
    assert!(app.store.ping().await);
});

on_every_backend!(http_conventions_hold, |app: App| async move {
    let (s, body) = app.get("/healthz").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (s, _, p) = app.send(Method::DELETE, "/api/v1/sites", None, "").await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED, "{p}");
    let (s, _, p) = app
        .send(Method::GET, "/api/v1/nothing-here", None, "")
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(p["status"], 404);
    let (s, _) = app.get("/api/v1/persons/not-a-uuid").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _) = app
        .get("/api/v1/persons/01900000-0000-7000-8000-000000000000")
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, doc) = app.get("/api/v1/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    for path in [
        "/api/v1/households",
        "/api/v1/persons/{id}",
        "/api/v1/persons/{id}/documents",
        "/api/v1/mrz/verify",
    ] {
        assert!(
            doc["paths"].get(path).is_some(),
            "{path} missing from the OpenAPI document"
        );
    }
});

on_every_backend!(
    a_failing_write_leaves_the_rest_of_its_batch_alone,
    |app: App| async move {
        let arrival = app.arrival().await;
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..40 {
            let mut body = level_one(&arrival);
            body["head"] = support::distinct_head();
            if i % 2 == 1 {
                body["arrival_id"] = json!("01900000-0000-7000-8000-000000000000");
            }
            let router = app.router.clone();
            let token = app.token.clone();
            tasks.spawn(async move {
                let req = Request::post("/api/v1/households")
                    .header(header::CONTENT_TYPE, "application/json")
                    .header(header::AUTHORIZATION, format!("Bearer {token}"))
                    .body(Body::from(body.to_string()))
                    .unwrap();
                router.oneshot(req).await.unwrap().status()
            });
        }
        let statuses = tasks.join_all().await;
        let created = statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count();
        let refused = statuses
            .iter()
            .filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY)
            .count();
        assert_eq!((created, refused), (20, 20), "{statuses:?}");
        assert_eq!(app.count("households").await, 20);
        assert_eq!(app.count("persons").await, 20);
    }
);

on_every_backend!(
    reads_and_changes_of_a_person_are_audited,
    |app: App| async move {
        let arrival = app.arrival().await;
        let (_, h) = app.post("/api/v1/households", level_one(&arrival)).await;
        let person = h["head_person_id"].as_str().unwrap().to_owned();
        let req = axum::http::Request::get(format!("/api/v1/persons/{person}"))
            .header(header::AUTHORIZATION, format!("Bearer {}", app.token))
            .header("x-passage-purpose", "registration")
            .body(Body::empty())
            .unwrap();
        let (s, headers, _) = app.request(req).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            headers.get("x-request-id").is_some(),
            "every answer carries its request id"
        );
        let (s, _) = app
            .patch(
                &format!("/api/v1/persons/{person}"),
                json!({"version": 1, "details": {"family_name": "Ayoub"}}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let dpo = app.token_of("a", passage_domain::access::Role::DataProtectionFocalPoint);
        let (s, log) = app
            .get_as(&dpo, &format!("/api/v1/persons/{person}/audit"))
            .await;
        assert_eq!(s, StatusCode::OK, "{log}");
        let log = log.as_array().unwrap();
        let read = log
            .iter()
            .find(|e| e["action"] == "read" && e["purpose"] == "registration")
            .expect("the read is logged");
        assert_eq!(read["actor"], "supervisor.a");
        assert_eq!(read["role"], "supervisor");
        assert!(read["request_id"].as_str().is_some_and(|r| !r.is_empty()));
        assert!(
            log.iter()
                .any(|e| e["action"] == "update" && e["entity"] == "person")
        );
        // The clerk of the other organisation cannot ask who saw this person.
        let other = app.token_of("b", passage_domain::access::Role::DataProtectionFocalPoint);
        let (s, _) = app
            .get_as(&other, &format!("/api/v1/persons/{person}/audit"))
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let report = app.store.verify_audit().await.unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        assert!(report.entries >= 5);
    }
);
