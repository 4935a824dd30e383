//! The OpenAPI document says what the server answers, and the server answers what the
//! document says: what `python/schemathesis.sh` found, kept. SQLite always, PostgreSQL
//! when `PASSAGE_TEST_PG_URL` is set (always under CI).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::http::StatusCode;
use serde_json::{Value, json};

#[macro_use]
mod support;

use support::App;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

on_every_backend!(
    every_operation_documents_its_problems_as_problem_json,
    |app: App| async move {
        let (s, doc) = app.get("/api/v1/openapi.json").await;
        assert_eq!(s, StatusCode::OK);
        let paths = doc["paths"].as_object().unwrap();
        for (path, item) in paths {
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                let responses = op["responses"].as_object().unwrap();
                for status in ["400", "401", "403", "404", "422", "503"] {
                    assert!(
                        responses.contains_key(status),
                        "{method} {path} does not document {status}"
                    );
                }
                for (status, response) in responses {
                    if status.starts_with('4') || status.starts_with('5') {
                        let content = response["content"].as_object().unwrap();
                        assert_eq!(
                            content.keys().collect::<Vec<_>>(),
                            ["application/problem+json"],
                            "{method} {path} {status}"
                        );
                    }
                }
            }
        }
        // A flow record carries its id beside the observation's fields.
        let parts = doc["components"]["schemas"]["FlowRecord"]["allOf"]
            .as_array()
            .unwrap();
        assert!(
            parts
                .iter()
                .all(|p| p.get("additionalProperties").is_none()),
            "{parts:?}"
        );
    }
);

on_every_backend!(
    hostile_values_are_refused_naming_the_field,
    |app: App| async move {
        let (s, p) = app.get("/api/v1/sites?country=XYZ").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
        assert_eq!(p["errors"][0]["field"], "country", "{p}");
        let (s, p) = app.get("/api/v1/sites?country=idn").await;
        assert_eq!(s, StatusCode::OK, "{p}");

        let person = |contact: Value| {
            json!({"person": {"given_name": "Mohammed", "family_name": "Ayub", "sex": "M",
                              "contact": contact}})
        };
        let (s, p) = app
            .post("/api/v1/duplicates/check", person(json!([null, null])))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
        assert!(p["detail"].as_str().unwrap().contains("contact"), "{p}");
        let (s, p) = app
            .post(
                "/api/v1/duplicates/check",
                person(json!({"phone": "+62 811 000 000"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{p}");
    }
);
