//! `/api/v1/persons`: individuals, found by filters, by name or by registration number.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use passage_domain::codes::Nationality;
use passage_domain::error::ValidationErrors;
use passage_domain::person::{PersonDetails, PersonStatus, RegistrationLevel, Sex};
use passage_domain::record::Person;
use passage_domain::regno::RegistrationNumber;
use passage_store::PersonChange;
use passage_store::{Page, PersonFilter};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{DEFAULT_LIMIT, patched, prefixed};
use crate::AppState;
use crate::auth::Caller;
use crate::extract::{Body, Id, Query};
use crate::problem::{ApiError, Problem};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PersonQuery {
    pub site_id: Option<Uuid>,
    pub household_id: Option<Uuid>,
    pub status: Option<PersonStatus>,
    pub sex: Option<Sex>,
    /// Alpha-3 code, `stateless` or `unknown`.
    pub nationality: Option<String>,
    #[param(minimum = 1, maximum = 3)]
    pub registration_level: Option<u8>,
    /// Words that must all appear in the person's names, in any script; case and accents
    /// do not matter.
    pub name: Option<String>,
    pub cursor: Option<String>,
    /// At most this many items; larger values are reduced to the page size.
    #[param(value_type = Option<u64>, maximum = 4_294_967_295.0)]
    pub limit: Option<u32>,
}

/// Changes to a person: details merged as a JSON merge patch, status, level.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonPatch {
    pub version: i64,
    #[schema(value_type = Object)]
    pub details: Option<serde_json::Value>,
    pub status: Option<PersonStatus>,
    pub registration_level: Option<RegistrationLevel>,
}

/// Read a person.
#[utoipa::path(get, path = "/api/v1/persons/{id}", tag = "persons", params(("id" = Uuid, Path)),
    responses((status = 200, body = Person), (status = 404, body = Problem)))]
pub async fn read(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
) -> Result<Json<Person>, ApiError> {
    app.store
        .person(&p, id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("person {id}")))
}

/// Change a person. Send the version you read; a stale version gets 409 with the current one.
#[utoipa::path(patch, path = "/api/v1/persons/{id}", tag = "persons", params(("id" = Uuid, Path)), request_body = PersonPatch,
    responses((status = 200, body = Person), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
    Body(patch): Body<PersonPatch>,
) -> Result<Json<Person>, ApiError> {
    let current = app
        .store
        .person(&p, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("person {id}")))?;
    if current.anonymised_at.is_some() {
        return Err(ApiError::Refused(format!(
            "person {id} was anonymised: the record can no longer be changed"
        )));
    }
    let details: PersonDetails = patched(&current.details, patch.details.as_ref())?;
    let details = details
        .validated(app.clock.today())
        .map_err(|e| prefixed("details", e))?;
    let status = patch.status.unwrap_or(current.status);
    if status == PersonStatus::Merged && current.status != PersonStatus::Merged {
        return Err(ApiError::invalid(
            "status",
            "a record becomes merged only through a duplicate decision",
        ));
    }
    if current.status == PersonStatus::Merged && status != PersonStatus::Merged {
        return Err(ApiError::invalid(
            "status",
            "a merged record comes back only by undoing its merge decision",
        ));
    }
    let change = PersonChange {
        details,
        status,
        registration_level: patch
            .registration_level
            .unwrap_or(current.registration_level),
    };
    let person = app
        .store
        .update_person(&p, id, patch.version, change)
        .await?;
    app.matcher
        .note(person.meta.id, person.meta.version, &person.details);
    super::duplicates::close_unalike(&app, id).await?;
    Ok(Json(person))
}

/// List or search persons.
#[utoipa::path(get, path = "/api/v1/persons", tag = "persons", params(PersonQuery),
    responses((status = 200, body = Page<Person>), (status = 400, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    State(app): State<AppState>,
    Caller(p): Caller,
    Query(q): Query<PersonQuery>,
) -> Result<Json<Page<Person>>, ApiError> {
    let nationality = q
        .nationality
        .map(Nationality::try_from)
        .transpose()
        .map_err(|e| ApiError::Invalid(ValidationErrors::one("nationality", e)))?;
    let registration_level = q
        .registration_level
        .map(RegistrationLevel::try_from)
        .transpose()
        .map_err(|e| ApiError::Invalid(ValidationErrors::one("registration_level", e)))?;
    let filter = PersonFilter {
        site_id: q.site_id,
        household_id: q.household_id,
        status: q.status,
        sex: q.sex,
        nationality,
        registration_level,
        name: q.name,
    };
    let page = app
        .store
        .persons(
            &p,
            &filter,
            q.cursor.as_deref(),
            q.limit.unwrap_or(DEFAULT_LIMIT),
        )
        .await?;
    Ok(Json(page))
}

/// Find a person by registration number, typed as read aloud (any case, hyphens optional).
#[utoipa::path(get, path = "/api/v1/persons/by-number/{number}", tag = "persons", params(("number" = String, Path)),
    responses((status = 200, body = Person), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn by_number(
    State(app): State<AppState>,
    Caller(p): Caller,
    Path(number): Path<String>,
) -> Result<Json<Person>, ApiError> {
    let parsed = RegistrationNumber::parse(&number)
        .map_err(|e| ApiError::invalid("number", e.to_string()))?;
    app.store
        .person_by_number(&p, &parsed)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("person {parsed}")))
}

/// The person's printable token: the registration number as text and QR code.
#[utoipa::path(get, path = "/api/v1/persons/{id}/token.svg", tag = "persons", params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "image/svg+xml", body = String), (status = 404, body = Problem)))]
pub async fn token(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
) -> Result<impl IntoResponse, ApiError> {
    let p = app
        .store
        .person(&p, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("person {id}")))?;
    let svg = crate::token::card(&p.registration_number, "Passage registration")
        .map_err(|_| ApiError::Unavailable)?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg))
}

/// Who read or changed this person's record, newest first (for the data-protection focal
/// point).
#[utoipa::path(get, path = "/api/v1/persons/{id}/audit", tag = "persons", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<passage_store::AuditEntry>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn audit(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
) -> Result<Json<Vec<passage_store::AuditEntry>>, ApiError> {
    // The permission to read the log first (so a refused call reads nothing), then only
    // for a person the caller may see: the log itself names who worked on whom.
    let entries = app.store.audit_of(&p, &id.to_string(), 1000).await?;
    app.store
        .person(&p, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("person {id}")))?;
    Ok(Json(entries.into_iter().map(|(_, e)| e).collect()))
}
