//! Cases of the differentiated procedures, the non-refoulement guard as it shows on a
//! return (what blocks it, four-eyes lifting, the return file), and the work queues.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use passage_domain::protection::records::{
    Case, HoldLift, HoldLiftDecision, NewCase, NewHoldLift, ReturnFile, TransitionRequest,
    WorkQueues,
};

use super::created;
use crate::AppState;
use crate::auth::Caller;
use crate::extract::{Body, Id};
use crate::problem::{ApiError, Problem};

/// Open a case: asylum (claim registered), trafficking (identification), child protection
/// (best-interests assessment), return (counselling), statelessness, regular pathway. A
/// new claim or determination holds every scheduled return of the person at once.
#[utoipa::path(post, path = "/api/v1/persons/{id}/cases", tag = "protection", params(("id" = Uuid, Path)),
    request_body = NewCase,
    responses((status = 201, body = Case), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(person_id): Id,
    Body(new): Body<NewCase>,
) -> Result<(StatusCode, HeaderMap, Json<Case>), ApiError> {
    let new = new.validated()?;
    let case = app.store.open_case(&p, person_id, new).await?;
    let (status, headers) = created(format!("/api/v1/cases/{}", case.meta.id));
    Ok((status, headers, Json(case)))
}

/// The person's cases; reasons only on the kinds the caller works on.
#[utoipa::path(get, path = "/api/v1/persons/{id}/cases", tag = "protection", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<Case>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn of_person(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(person_id): Id,
) -> Result<Json<Vec<Case>>, ApiError> {
    app.store
        .cases_of(&p, person_id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("person {person_id}")))
}

/// A case with every step, the events allowed now and, for a return, every condition of
/// the guard that holds it.
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "protection", params(("id" = Uuid, Path)),
    responses((status = 200, body = Case), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn read(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
) -> Result<Json<Case>, ApiError> {
    app.store
        .case(&p, id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("case {id}")))
}

/// Take one step of a case, with a reason. A step the procedure does not allow now is
/// refused with the steps it does allow; a return is never scheduled or executed while
/// the non-refoulement guard holds.
#[utoipa::path(post, path = "/api/v1/cases/{id}/transitions", tag = "protection", params(("id" = Uuid, Path)),
    request_body = TransitionRequest,
    responses((status = 200, body = Case), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn transition(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
    Body(t): Body<TransitionRequest>,
) -> Result<Json<Case>, ApiError> {
    Ok(Json(app.store.transition_case(&p, id, t).await?))
}

/// What the escort of a return must know: pending procedures, medical, disability and
/// pregnancy needs, and what holds the return. Never the content of a claim.
#[utoipa::path(get, path = "/api/v1/cases/{id}/return-file", tag = "protection", params(("id" = Uuid, Path)),
    responses((status = 200, body = ReturnFile), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn return_file(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
) -> Result<Json<ReturnFile>, ApiError> {
    app.store
        .return_file(&p, id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("case {id}")))
}

/// Ask to lift one condition that holds a return (a recorded fear of return or a
/// refoulement-risk code only), with a reason; a supervisor other than the requester
/// decides.
#[utoipa::path(post, path = "/api/v1/cases/{id}/hold-lifts", tag = "protection", params(("id" = Uuid, Path)),
    request_body = NewHoldLift,
    responses((status = 201, body = HoldLift), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn request_lift(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(case_id): Id,
    Body(new): Body<NewHoldLift>,
) -> Result<(StatusCode, HeaderMap, Json<HoldLift>), ApiError> {
    let lift = app.store.request_hold_lift(&p, case_id, new).await?;
    let (status, headers) = created(format!("/api/v1/cases/{case_id}"));
    Ok((status, headers, Json(lift)))
}

/// A supervisor's decision on a request to lift a hold: never the requester's own.
#[utoipa::path(post, path = "/api/v1/hold-lifts/{id}/decision", tag = "protection", params(("id" = Uuid, Path)),
    request_body = HoldLiftDecision,
    responses((status = 200, body = HoldLift), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn decide_lift(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
    Body(d): Body<HoldLiftDecision>,
) -> Result<Json<HoldLift>, ApiError> {
    Ok(Json(app.store.decide_hold_lift(&p, id, d).await?))
}

/// What needs doing now, for each queue the caller's roles work on: unaccompanied
/// children without assessment, overdue referrals, claims awaiting interview, returns
/// held by the guard and why, detained children and people with protection needs, lifts
/// waiting for a supervisor.
#[utoipa::path(get, path = "/api/v1/queues", tag = "protection",
    responses((status = 200, body = WorkQueues), (status = 403, body = Problem)))]
pub async fn queues(
    State(app): State<AppState>,
    Caller(p): Caller,
) -> Result<Json<WorkQueues>, ApiError> {
    Ok(Json(app.store.work_queues(&p).await?))
}
