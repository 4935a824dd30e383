//! `/api/v1/organisations` and `/api/v1/users`: for administrators and the people who
//! oversee them.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use passage_domain::access::{Action, Organisation, OrganisationDetails, Resource, Role, User};
use passage_store::NewUser;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::created;
use crate::AppState;
use crate::auth::{self, Caller};
use crate::extract::Body;
use crate::problem::{ApiError, Problem};

/// A new user and their first password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserRequest {
    pub organisation_id: Uuid,
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub roles: Vec<Role>,
}

/// Shortest password accepted.
pub const MIN_PASSWORD: usize = 12;

/// Record an organisation.
#[utoipa::path(post, path = "/api/v1/organisations", tag = "access", request_body = OrganisationDetails,
    responses((status = 201, body = Organisation), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_organisation(
    State(app): State<AppState>,
    Caller(p): Caller,
    Body(details): Body<OrganisationDetails>,
) -> Result<(StatusCode, HeaderMap, Json<Organisation>), ApiError> {
    if details.name.trim().is_empty() {
        return Err(ApiError::invalid("name", "is empty"));
    }
    let org = app.store.create_organisation(&p, details).await?;
    let (status, headers) = created(format!("/api/v1/organisations/{}", org.meta.id));
    Ok((status, headers, Json(org)))
}

/// List organisations.
#[utoipa::path(get, path = "/api/v1/organisations", tag = "access",
    responses((status = 200, body = Vec<Organisation>), (status = 403, body = Problem)))]
pub async fn organisations(
    State(app): State<AppState>,
    Caller(p): Caller,
) -> Result<Json<Vec<Organisation>>, ApiError> {
    Ok(Json(app.store.organisations(&p).await?))
}

/// Create a user.
#[utoipa::path(post, path = "/api/v1/users", tag = "access", request_body = NewUserRequest,
    responses((status = 201, body = User), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_user(
    State(app): State<AppState>,
    Caller(p): Caller,
    Body(req): Body<NewUserRequest>,
) -> Result<(StatusCode, HeaderMap, Json<User>), ApiError> {
    // Refuse before the costly password hash, so that no caller can make the server hash.
    p.require(Action::Create, Resource::User)
        .map_err(|f| ApiError::Forbidden(f.to_string()))?;
    if req.password.chars().count() < MIN_PASSWORD {
        return Err(ApiError::invalid(
            "password",
            format!("use at least {MIN_PASSWORD} characters"),
        ));
    }
    if req.username.trim().is_empty() || req.username.chars().any(char::is_whitespace) {
        return Err(ApiError::invalid("username", "one word, without spaces"));
    }
    if req.roles.is_empty() {
        return Err(ApiError::invalid("roles", "a user needs at least one role"));
    }
    let password_hash = auth::hash_password(&req.password).map_err(|_| ApiError::Unavailable)?;
    let new = NewUser {
        organisation_id: req.organisation_id,
        username: req.username.trim().to_owned(),
        display_name: req.display_name,
        password_hash,
        roles: req.roles,
    };
    let user = app.store.create_user(&p, new).await?;
    let (status, headers) = created(format!("/api/v1/users/{}", user.meta.id));
    Ok((status, headers, Json(user)))
}

/// List users.
#[utoipa::path(get, path = "/api/v1/users", tag = "access",
    responses((status = 200, body = Vec<User>), (status = 403, body = Problem)))]
pub async fn users(
    State(app): State<AppState>,
    Caller(p): Caller,
) -> Result<Json<Vec<User>>, ApiError> {
    Ok(Json(app.store.users(&p).await?))
}
