//! What the data-protection tests share: a registration with contact details, the
//! focal point's token, and small request helpers.

use axum::http::{Method, StatusCode};
use passage_domain::access::Role;
use serde_json::{Value, json};
use time::OffsetDateTime;

use super::App;

pub fn level_one(arrival_id: &str) -> Value {
    json!({
        "arrival_id": arrival_id,
        "size": 5,
        "breakdown": {"f_18_59": 1, "m_18_59": 1, "f_5_11": 1, "m_0_4": 2},
        "head": {"given_name": "Mohammed", "family_name": "Ayub", "sex": "M",
                 "original_name": {"text": "محمد ایوب", "script": "Arab"},
                 "aliases": ["Abu Nur"], "place_of_origin": "Maungdaw",
                 "contact": {"phone": "+62 811 0000 0000"},
                 "date_of_birth": {"date": "1988-06-14", "precision": "exact"},
                 "nationalities": ["stateless"], "languages": ["rhg"]}
    })
}

pub fn dpfp(app: &App, org: &'static str) -> String {
    app.token_of(org, Role::DataProtectionFocalPoint)
}

pub async fn delete_as(app: &App, token: &str, path: &str) -> (StatusCode, Value) {
    let (s, _, v) = app
        .send_as(Some(token), Method::DELETE, path, None, "")
        .await;
    (s, v)
}

/// A household of organisation a registered by its clerk; returns the household.
pub async fn household(app: &App, arrival: &str) -> Value {
    let clerk = app.token_of("a", Role::RegistrationClerk);
    let (s, h) = app
        .post_as(&clerk, "/api/v1/households", level_one(arrival))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{h}");
    h
}

pub fn head(h: &Value) -> String {
    h["head_person_id"].as_str().unwrap().to_owned()
}

pub fn agreement(app: &App, from: OffsetDateTime, to: OffsetDateTime) -> Value {
    json!({
        "provider_id": app.organisations["a"], "recipient_id": app.organisations["b"],
        "purpose": "assistance", "data_categories": ["identity", "household"],
        "fields": ["given_name", "family_name", "sex", "household.size"],
        "valid_from": from.format(&time::format_description::well_known::Rfc3339).unwrap(),
        "expires_at": to.format(&time::format_description::well_known::Rfc3339).unwrap(),
        "reference": "DSA-2026-07"
    })
}

pub fn field(problem: &Value) -> &str {
    problem["errors"][0]["field"].as_str().unwrap_or_default()
}
