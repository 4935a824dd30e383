//! The rights of the people registered: `/api/v1/data-subject-requests`, and per person
//! `/export`, `/erase` and `/legal-hold`. For the data-protection focal point.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use passage_domain::data_protection::subject::{
    CloseRequest, DataSubjectRequest, ErasureRequest, LegalHold, LegalHoldRequest,
    NewDataSubjectRequest, RequestKind, RequestStatus,
};
use passage_domain::record::Person;
use passage_store::{Page, PersonExport, RequestFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{DEFAULT_LIMIT, created};
use crate::AppState;
use crate::auth::Caller;
use crate::extract::{Body, Id, Query};
use crate::problem::{ApiError, Problem};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequestQuery {
    pub person_id: Option<Uuid>,
    pub status: Option<RequestStatus>,
    pub kind: Option<RequestKind>,
    pub cursor: Option<String>,
    /// At most this many items; larger values are reduced to the page size.
    #[param(value_type = Option<u64>, maximum = 4_294_967_295.0)]
    pub limit: Option<u32>,
}

/// Whether a legal hold is on a person.
#[derive(Debug, Serialize, ToSchema)]
pub struct LegalHoldStatus {
    pub person_id: Uuid,
    pub legal_hold: Option<LegalHold>,
}

/// Record a data-subject request (access, rectification, erasure, objection). It is due
/// thirty days after it was received.
#[utoipa::path(post, path = "/api/v1/data-subject-requests", tag = "data protection", request_body = NewDataSubjectRequest,
    responses((status = 201, body = DataSubjectRequest), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<AppState>,
    Caller(p): Caller,
    Body(request): Body<NewDataSubjectRequest>,
) -> Result<(StatusCode, HeaderMap, Json<DataSubjectRequest>), ApiError> {
    let valid = request.validated(app.clock.now())?;
    let request = app.store.create_request(&p, valid).await?;
    let (status, headers) = created(format!(
        "/api/v1/data-subject-requests?person_id={}",
        request.person_id
    ));
    Ok((status, headers, Json(request)))
}

/// List data-subject requests about persons the caller can see; `overdue` marks open
/// requests past their deadline.
#[utoipa::path(get, path = "/api/v1/data-subject-requests", tag = "data protection", params(RequestQuery),
    responses((status = 200, body = Page<DataSubjectRequest>), (status = 400, body = Problem), (status = 403, body = Problem)))]
pub async fn list(
    State(app): State<AppState>,
    Caller(p): Caller,
    Query(q): Query<RequestQuery>,
) -> Result<Json<Page<DataSubjectRequest>>, ApiError> {
    let filter = RequestFilter {
        person_id: q.person_id,
        status: q.status,
        kind: q.kind,
    };
    let page = app
        .store
        .requests(
            &p,
            &filter,
            q.cursor.as_deref(),
            q.limit.unwrap_or(DEFAULT_LIMIT),
        )
        .await?;
    Ok(Json(page))
}

/// Close a request: `completed` with the `outcome`, or `refused` with the
/// `refusal_reason`. A closed request cannot be closed again (409).
#[utoipa::path(post, path = "/api/v1/data-subject-requests/{id}/close", tag = "data protection", params(("id" = Uuid, Path)),
    request_body = CloseRequest,
    responses((status = 200, body = DataSubjectRequest), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn close(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
    Body(close): Body<CloseRequest>,
) -> Result<Json<DataSubjectRequest>, ApiError> {
    let valid = close.validated()?;
    Ok(Json(app.store.close_request(&p, id, valid).await?))
}

/// Everything held about the person as one JSON document: the record, a summary of the
/// household, documents, consents, data-subject requests, legal hold, the history of
/// changes and the audit entries of who saw or changed it. Logged as an export.
#[utoipa::path(get, path = "/api/v1/persons/{id}/export", tag = "data protection", params(("id" = Uuid, Path)),
    responses((status = 200, body = PersonExport), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn export(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
) -> Result<Json<PersonExport>, ApiError> {
    app.store
        .export_person(&p, id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("person {id}")))
}

/// Erase a person: names, aliases, original-script name, contact, place of origin,
/// document numbers and MRZ are removed, the date of birth keeps its year, the record
/// becomes inactive; sex, nationality, site and household stay so that counts stay right.
/// Refused (409) while a legal hold is on. Only the registering organisation erases.
#[utoipa::path(post, path = "/api/v1/persons/{id}/erase", tag = "data protection", params(("id" = Uuid, Path)),
    request_body = ErasureRequest,
    responses((status = 200, body = Person), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn erase(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
    Body(body): Body<ErasureRequest>,
) -> Result<Json<Person>, ApiError> {
    let grounds = body.validated()?;
    Ok(Json(app.store.erase_person(&p, id, grounds).await?))
}

/// Whether a legal hold is on the person.
#[utoipa::path(get, path = "/api/v1/persons/{id}/legal-hold", tag = "data protection", params(("id" = Uuid, Path)),
    responses((status = 200, body = LegalHoldStatus), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn hold(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
) -> Result<Json<LegalHoldStatus>, ApiError> {
    let hold = app
        .store
        .legal_hold(&p, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("person {id}")))?;
    Ok(Json(LegalHoldStatus {
        person_id: id,
        legal_hold: hold,
    }))
}

/// Place a legal hold: the record is kept from erasure and retention until it is lifted.
/// Only the registering organisation places one; 409 when one is already on.
#[utoipa::path(post, path = "/api/v1/persons/{id}/legal-hold", tag = "data protection", params(("id" = Uuid, Path)),
    request_body = LegalHoldRequest,
    responses((status = 201, body = LegalHoldStatus), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn place_hold(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
    Body(body): Body<LegalHoldRequest>,
) -> Result<(StatusCode, HeaderMap, Json<LegalHoldStatus>), ApiError> {
    let reason = body.validated()?;
    let hold = app.store.place_legal_hold(&p, id, reason).await?;
    let (status, headers) = created(format!("/api/v1/persons/{id}/legal-hold"));
    Ok((
        status,
        headers,
        Json(LegalHoldStatus {
            person_id: id,
            legal_hold: Some(hold),
        }),
    ))
}

/// Lift the legal hold. Lifting when none is on changes nothing.
#[utoipa::path(delete, path = "/api/v1/persons/{id}/legal-hold", tag = "data protection", params(("id" = Uuid, Path)),
    responses((status = 200, body = LegalHoldStatus), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn lift_hold(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
) -> Result<Json<LegalHoldStatus>, ApiError> {
    app.store.lift_legal_hold(&p, id).await?;
    Ok(Json(LegalHoldStatus {
        person_id: id,
        legal_hold: None,
    }))
}
