//! Data-sharing agreements: `/api/v1/sharing-agreements`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use passage_domain::data_protection::agreement::{SharingAgreement, SharingAgreementDetails};

use super::created;
use crate::AppState;
use crate::auth::Caller;
use crate::extract::{Body, Id};
use crate::problem::{ApiError, Problem};

/// Record a data-sharing agreement: the caller's organisation (the provider) shares its
/// registrations with the recipient for a purpose, categories and fields, from `valid_from`
/// until `expires_at`. While it is in force the recipient sees the provider's records.
/// For the data-protection focal point.
#[utoipa::path(post, path = "/api/v1/sharing-agreements", tag = "data protection", request_body = SharingAgreementDetails,
    responses((status = 201, body = SharingAgreement), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<AppState>,
    Caller(p): Caller,
    Body(details): Body<SharingAgreementDetails>,
) -> Result<(StatusCode, HeaderMap, Json<SharingAgreement>), ApiError> {
    let valid = details.validated(app.clock.now())?;
    let agreement = app.store.create_agreement(&p, valid).await?;
    let (status, headers) = created(format!("/api/v1/sharing-agreements/{}", agreement.meta.id));
    Ok((status, headers, Json(agreement)))
}

/// The agreements the caller's organisation provides or receives, newest first.
#[utoipa::path(get, path = "/api/v1/sharing-agreements", tag = "data protection",
    responses((status = 200, body = Vec<SharingAgreement>), (status = 403, body = Problem)))]
pub async fn list(
    State(app): State<AppState>,
    Caller(p): Caller,
) -> Result<Json<Vec<SharingAgreement>>, ApiError> {
    Ok(Json(app.store.agreements(&p).await?))
}

/// End an agreement now: from this moment the recipient no longer sees the provider's
/// records. Either party's data-protection focal point may end it.
#[utoipa::path(post, path = "/api/v1/sharing-agreements/{id}/end", tag = "data protection", params(("id" = Uuid, Path)),
    responses((status = 200, body = SharingAgreement), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn end(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
) -> Result<Json<SharingAgreement>, ApiError> {
    Ok(Json(app.store.end_agreement(&p, id).await?))
}

/// What a transfer is for: the purpose must be the agreement's.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferRequest {
    pub purpose: passage_domain::data_protection::Purpose,
}

/// Export, as CSV, the persons the caller's organisation registered, as the agreement lets
/// them go to its recipient now: for its purpose, with only the fields it lists. Refused
/// without an agreement in force; to an authority of a country of origin, nobody who sought
/// asylum, is at risk of refoulement or is a trafficking victim is included; a return
/// (readmission) export carries identity fields only. The file's SHA-256 is in
/// `X-Content-SHA256` and in the audit log, with the agreement, purpose and row count.
#[utoipa::path(post, path = "/api/v1/sharing-agreements/{id}/export", tag = "data protection", params(("id" = Uuid, Path)),
    request_body = TransferRequest,
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn export(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
    Body(r): Body<TransferRequest>,
) -> Result<axum::response::Response, ApiError> {
    use sha2::Digest;
    let transfer = app.store.transfer(&p, id, r.purpose).await?;
    let header: Vec<&str> = transfer.fields.iter().map(String::as_str).collect();
    let body = super::csv_out::csv_bytes(&header, transfer.rows.clone())?;
    let hash: String = sha2::Sha256::digest(&body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    app.store.record_transfer(&p, &transfer, &hash).await?;
    let mut response = super::csv_out::csv_response(&format!("transfer-{id}.csv"), body);
    if let Ok(v) = axum::http::HeaderValue::from_str(&hash) {
        response.headers_mut().insert("x-content-sha256", v);
    }
    Ok(response)
}
