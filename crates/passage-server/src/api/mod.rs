//! The JSON API under `/api/v1`. Handlers parse, call the domain and the store, and answer;
//! the rules live below them.

pub mod agreements;
pub mod arrivals;
pub mod assistance;
pub mod cases;
pub mod consents;
pub mod csv_out;
pub mod documents;
pub mod duplicates;
pub mod households;
pub mod import_mappings;
pub mod imports;
pub mod incidents;
pub mod needs;
pub mod persons;
pub mod referrals;
pub mod screenings;
pub mod session;
pub mod shelter;
pub mod sites;
pub mod stats;
pub mod subject_rights;
pub mod submissions;
pub mod tracing_requests;
pub mod users;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::problem::ApiError;

/// Default number of items in a page.
pub const DEFAULT_LIMIT: u32 = 50;

/// A change to a record: the version it was read at and the fields to change, merged into
/// the current details as a JSON merge patch (RFC 7396: a field set to null is removed).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Patch {
    /// The version the change is based on; a stale version gets 409.
    pub version: i64,
    /// Absent or null: the details stay as they are.
    #[schema(value_type = Option<Object>)]
    pub details: Option<serde_json::Value>,
}

/// Applies a JSON merge patch (RFC 7396) to `target`.
pub fn merge(target: &mut serde_json::Value, patch: &serde_json::Value) {
    match (target, patch) {
        (serde_json::Value::Object(t), serde_json::Value::Object(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    t.remove(k);
                } else {
                    merge(t.entry(k.clone()).or_insert(serde_json::Value::Null), v);
                }
            }
        }
        (t, p) => *t = p.clone(),
    }
}

/// Merges `patch` into the serialised `current` and reads the result back as `T`.
pub fn patched<T: serde::Serialize + serde::de::DeserializeOwned>(
    current: &T,
    patch: Option<&serde_json::Value>,
) -> Result<T, ApiError> {
    let mut value = serde_json::to_value(current).map_err(|_| ApiError::Unavailable)?;
    if let Some(p) = patch {
        if !p.is_object() {
            return Err(ApiError::invalid(
                "details",
                "must be an object of the fields to change",
            ));
        }
        merge(&mut value, p);
    }
    crate::extract::from_value("details", value)
}

/// Puts validation errors of a nested value under `prefix`.
pub fn prefixed(prefix: &str, e: passage_domain::error::ValidationErrors) -> ApiError {
    let mut p = passage_domain::error::Problems::new();
    p.nest(prefix, e);
    match p.finish(()) {
        Err(v) => ApiError::Invalid(v),
        Ok(()) => ApiError::invalid(prefix, "is not valid"),
    }
}

/// 201 with the new record's location.
pub fn created(location: String) -> (StatusCode, HeaderMap) {
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&location) {
        headers.insert(header::LOCATION, v);
    }
    (StatusCode::CREATED, headers)
}

#[cfg(test)]
mod tests {
    use super::merge;
    use serde_json::json;

    #[test]
    fn merge_patch_follows_rfc_7396() {
        let mut doc = json!({"a": "b", "c": {"d": "e", "f": "g"}});
        merge(&mut doc, &json!({"a": "z", "c": {"f": null}}));
        assert_eq!(doc, json!({"a": "z", "c": {"d": "e"}}));
        let mut doc = json!({"list": [1, 2]});
        merge(&mut doc, &json!({"list": [3]}));
        assert_eq!(doc, json!({"list": [3]}));
    }
}
