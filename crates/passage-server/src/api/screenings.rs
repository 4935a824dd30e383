//! Screening: the questionnaires (`/api/v1/questionnaires`), screenings of a person, and
//! their confirmation by the officer.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use passage_domain::access::Principal;
use passage_domain::protection::questionnaire::{self, Questionnaire, Status};
use passage_domain::protection::records::{Confirmation, NewScreening, Screening};
use passage_store::CheckedScreening;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{created, prefixed};
use crate::AppState;
use crate::auth::Caller;
use crate::extract::{Body, Id};
use crate::problem::{ApiError, Problem};

/// A questionnaire version, without its questions.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionnaireVersion {
    pub id: String,
    pub version: u32,
    pub status: Status,
    pub title: String,
}

/// Every questionnaire version Passage has: active ones take new screenings, retired ones
/// are kept to read old screenings.
#[utoipa::path(get, path = "/api/v1/questionnaires", tag = "protection",
    responses((status = 200, body = Vec<QuestionnaireVersion>)))]
pub async fn questionnaires(Caller(_): Caller) -> Json<Vec<QuestionnaireVersion>> {
    Json(
        questionnaire::shipped()
            .iter()
            .map(|q| QuestionnaireVersion {
                id: q.id.clone(),
                version: q.version,
                status: q.status,
                title: q.title.en.clone(),
            })
            .collect(),
    )
}

/// One questionnaire version: questions, answer types, conditions, translations and what
/// each answer means in the standard codes.
#[utoipa::path(get, path = "/api/v1/questionnaires/{id}/{version}", tag = "protection",
    params(("id" = String, Path), ("version" = u32, Path)),
    responses((status = 200, body = Questionnaire), (status = 404, body = Problem)))]
pub async fn questionnaire(
    Caller(_): Caller,
    Path((id, version)): Path<(String, String)>,
) -> Result<Json<Questionnaire>, ApiError> {
    version
        .parse::<u32>()
        .ok()
        .and_then(|v| questionnaire::find(&id, v))
        .cloned()
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("questionnaire {id} version {version}")))
}

/// Checks a screening against its questionnaire version: the version must exist and be
/// active; every answer must fit its question.
pub fn check(s: &NewScreening) -> Result<CheckedScreening, ApiError> {
    let q = questionnaire::find(&s.questionnaire, s.questionnaire_version).ok_or_else(|| {
        let versions: Vec<String> = questionnaire::shipped()
            .iter()
            .filter(|q| q.id == s.questionnaire)
            .map(|q| q.version.to_string())
            .collect();
        if versions.is_empty() {
            ApiError::invalid(
                "questionnaire",
                format!("there is no questionnaire `{}`", s.questionnaire),
            )
        } else {
            ApiError::invalid(
                "questionnaire_version",
                format!("{} has versions {}", s.questionnaire, versions.join(", ")),
            )
        }
    })?;
    if q.status == Status::Retired {
        let active: Vec<String> = questionnaire::shipped()
            .iter()
            .filter(|x| x.id == q.id && x.status == Status::Active)
            .map(|x| x.version.to_string())
            .collect();
        return Err(ApiError::invalid(
            "questionnaire_version",
            format!(
                "{} v{} is retired: use version {}",
                q.id,
                q.version,
                active.join(", ")
            ),
        ));
    }
    let answers = q.check(&s.answers)?;
    let age_assessment = s
        .age_assessment
        .clone()
        .map(|a| a.validated())
        .transpose()?;
    Ok(CheckedScreening {
        questionnaire: q,
        answers,
        age_assessment,
    })
}

/// Screen a person: the answers are checked against the questionnaire version, and the
/// rules compute specific needs, vulnerability, trafficking indicators, child status and
/// age, fear of return, and the population type, flags and referrals to propose. Nothing
/// changes on the person until the officer confirms. An expressed fear of return holds
/// every return of the person at once.
#[utoipa::path(post, path = "/api/v1/persons/{id}/screenings", tag = "protection", params(("id" = Uuid, Path)),
    request_body = NewScreening,
    responses((status = 201, body = Screening), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(person_id): Id,
    Body(s): Body<NewScreening>,
) -> Result<(StatusCode, HeaderMap, Json<Screening>), ApiError> {
    let screening = screen(&app, &p, person_id, s).await?;
    let (status, headers) = created(format!("/api/v1/screenings/{}", screening.meta.id));
    Ok((status, headers, Json(screening)))
}

/// Screens a person as `POST /api/v1/persons/{id}/screenings` does: the answers checked
/// against their questionnaire version, then the store (permission, the person's
/// visibility, the rules' outcome, the guard). Field submissions of the screening form
/// screen through here.
pub async fn screen(
    app: &AppState,
    p: &Principal,
    person_id: Uuid,
    s: NewScreening,
) -> Result<Screening, ApiError> {
    let checked = check(&s)?;
    Ok(app.store.record_screening(p, person_id, checked).await?)
}

/// The person's screenings, oldest first.
#[utoipa::path(get, path = "/api/v1/persons/{id}/screenings", tag = "protection", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<Screening>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(person_id): Id,
) -> Result<Json<Vec<Screening>>, ApiError> {
    app.store
        .screenings(&p, person_id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("person {person_id}")))
}

#[utoipa::path(get, path = "/api/v1/screenings/{id}", tag = "protection", params(("id" = Uuid, Path)),
    responses((status = 200, body = Screening), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn read(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
) -> Result<Json<Screening>, ApiError> {
    app.store
        .screening(&p, id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("screening {id}")))
}

/// Confirm a screening as the officer decides it: population type and flags (the
/// proposal or corrected), specific needs, the referrals to make and the cases to open.
/// All of it happens in one transaction, once.
#[utoipa::path(post, path = "/api/v1/screenings/{id}/confirm", tag = "protection", params(("id" = Uuid, Path)),
    request_body = Confirmation,
    responses((status = 200, body = Screening), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn confirm(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
    Body(c): Body<Confirmation>,
) -> Result<Json<Screening>, ApiError> {
    let mut flags = c.profile_flags.clone();
    flags.sort();
    flags.dedup();
    if c.referrals
        .iter()
        .enumerate()
        .any(|(i, r)| c.referrals[..i].iter().any(|x| x.service == r.service))
    {
        return Err(prefixed(
            "referrals",
            passage_domain::error::ValidationErrors::one("", "a service is named twice"),
        ));
    }
    let c = Confirmation {
        profile_flags: flags,
        ..c
    };
    Ok(Json(app.store.confirm_screening(&p, id, c).await?))
}
