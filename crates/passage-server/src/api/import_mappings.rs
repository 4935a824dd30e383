//! `/api/v1/import-mappings`: column mappings saved by name for bulk imports, as the
//! command line's `--mapping` file (`{"columns": {"File column": "field"}}`). An
//! organisation's names are its own; those saved from the command line are shared.

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use passage_store::SavedMapping;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Caller;
use crate::extract::Body;
use crate::import::mapping::{Columns, Mapping};
use crate::problem::{ApiError, Problem};

#[derive(Debug, Serialize, ToSchema)]
pub struct MappingList {
    pub items: Vec<SavedMapping>,
}

/// The column mappings the caller can use: their organisation's, and those saved from
/// the command line (shared, `organisation_id` null).
#[utoipa::path(get, path = "/api/v1/import-mappings", tag = "import",
    responses((status = 200, body = MappingList), (status = 403, body = Problem)))]
pub async fn list(
    State(app): State<AppState>,
    Caller(p): Caller,
) -> Result<Json<MappingList>, ApiError> {
    Ok(Json(MappingList {
        items: app.store.import_mappings(&p).await?,
    }))
}

/// A mapping name from the path.
fn mapping_name(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    let Path(raw) = path.map_err(|e| ApiError::BadRequest(e.body_text()))?;
    let fine = !raw.is_empty()
        && raw.chars().count() <= 100
        && raw.trim() == raw
        && !raw.chars().any(|c| c.is_control() || c == '/');
    if fine {
        Ok(raw)
    } else {
        Err(ApiError::invalid(
            "name",
            "is 1 to 100 characters, without slashes, control characters or spaces at either end",
        ))
    }
}

/// The mapping saved under `name`: the caller's organisation's own, else a shared one.
#[utoipa::path(get, path = "/api/v1/import-mappings/{name}", tag = "import", params(("name" = String, Path)),
    responses((status = 200, body = SavedMapping), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn read(
    State(app): State<AppState>,
    Caller(p): Caller,
    name: Result<Path<String>, PathRejection>,
) -> Result<Json<SavedMapping>, ApiError> {
    let name = mapping_name(name)?;
    app.store
        .saved_import_mapping(&p, &name)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("mapping '{name}'")))
}

/// Save a column mapping under `name` for the caller's organisation, replacing theirs of
/// that name: `{"columns": {"File column": "field"}}`, as the command line's `--mapping`
/// file. A column must be mapped to `sex`, and no field twice.
#[utoipa::path(put, path = "/api/v1/import-mappings/{name}", tag = "import", params(("name" = String, Path)),
    request_body = Mapping,
    responses((status = 200, body = SavedMapping), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn save(
    State(app): State<AppState>,
    Caller(p): Caller,
    name: Result<Path<String>, PathRejection>,
    Body(m): Body<Mapping>,
) -> Result<Json<SavedMapping>, ApiError> {
    let name = mapping_name(name)?;
    let header: Vec<String> = m.columns.keys().cloned().collect();
    Columns::resolve(&header, None, Some(&m))
        .map_err(|e| ApiError::invalid("columns", e.to_string()))?;
    let json = serde_json::to_value(&m).map_err(|_| ApiError::Unavailable)?;
    app.store.save_import_mapping(&p, &name, &json).await?;
    app.store
        .saved_import_mapping(&p, &name)
        .await?
        .map(Json)
        .ok_or(ApiError::Unavailable)
}
