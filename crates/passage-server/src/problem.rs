//! Errors as `application/problem+json` (RFC 9457), each naming the field it is about.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use passage_domain::error::{FieldError, ValidationErrors};
use passage_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The fields at fault, by path (`members[1].person.sex`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// With a 409: the version the record is at now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i64>,
    /// With a likely duplicate: the persons already registered who look like the one
    /// being registered, best first, with why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<crate::api::duplicates::Candidate>,
}

/// Every way a request can fail.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    Invalid(ValidationErrors),
    #[error("the request body is not valid JSON: {0}")]
    Malformed(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("log in, or send an API token as `Authorization: Bearer …`")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{what} was not found")]
    NotFound { what: String },
    #[error("{0}")]
    Conflict(String, i64),
    /// The record's state forbids the request (a legal hold, a request already closed).
    #[error("{0}")]
    Refused(String),
    #[error("the request body is larger than the limit")]
    TooLarge,
    #[error("send the body as application/json")]
    UnsupportedMediaType,
    /// A body larger than its route's own limit, with that limit.
    #[error("{0}")]
    BodyTooLarge(String),
    /// A body of a media type its route does not read, with those it reads.
    #[error("{0}")]
    MediaType(String),
    #[error("this path does not accept that method")]
    MethodNotAllowed,
    #[error("the service cannot answer now; try again")]
    Unavailable,
    /// Someone registered already looks like the person being registered.
    #[error("{0}")]
    LikelyDuplicate(String, Vec<crate::api::duplicates::Candidate>),
}

impl From<passage_domain::access::Forbidden> for ApiError {
    fn from(f: passage_domain::access::Forbidden) -> Self {
        Self::Forbidden(f.to_string())
    }
}

impl ApiError {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid(ValidationErrors::one(field, message))
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        Self::NotFound { what: what.into() }
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(e: ValidationErrors) -> Self {
        Self::Invalid(e)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Forbidden(f) => Self::Forbidden(f.to_string()),
            StoreError::NotFound { entity, id } => Self::not_found(format!("{entity} {id}")),
            StoreError::Conflict { current, .. } => Self::Conflict(e.to_string(), current),
            StoreError::Invalid(v) => Self::Invalid(v),
            StoreError::Refused(m) => Self::Refused(m),
            StoreError::Database(_) | StoreError::Corrupt(_) | StoreError::Url(_) => {
                tracing::error!(error = %e, "store failed");
                Self::Unavailable
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(mut self) -> Response {
        let (status, kind, title) = match &self {
            Self::Invalid(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "Invalid input",
            ),
            Self::Malformed(_) => (
                StatusCode::BAD_REQUEST,
                "malformed",
                "Malformed request body",
            ),
            Self::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad-request", "Bad request"),
            Self::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Authentication required",
            ),
            Self::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden", "Forbidden"),
            Self::NotFound { .. } => (StatusCode::NOT_FOUND, "not-found", "Not found"),
            Self::Conflict(..) => (StatusCode::CONFLICT, "conflict", "Version conflict"),
            Self::Refused(_) => (
                StatusCode::CONFLICT,
                "refused",
                "Refused in the record's current state",
            ),
            Self::TooLarge | Self::BodyTooLarge(_) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "too-large",
                "Request too large",
            ),
            Self::UnsupportedMediaType | Self::MediaType(_) => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "media-type",
                "Unsupported media type",
            ),
            Self::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method",
                "Method not allowed",
            ),
            Self::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "Service unavailable",
            ),
            Self::LikelyDuplicate(..) => (
                StatusCode::CONFLICT,
                "likely-duplicate",
                "Likely already registered",
            ),
        };
        let errors = match &self {
            Self::Invalid(v) => v.0.clone(),
            _ => Vec::new(),
        };
        let current_version = match &self {
            Self::Conflict(_, v) => Some(*v),
            _ => None,
        };
        let candidates = match &mut self {
            Self::LikelyDuplicate(_, c) => std::mem::take(c),
            _ => Vec::new(),
        };
        let body = Problem {
            kind: format!("urn:passage:problem:{kind}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail: self.to_string(),
            errors,
            current_version,
            candidates,
        };
        let mut response = (status, axum::Json(body)).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}
