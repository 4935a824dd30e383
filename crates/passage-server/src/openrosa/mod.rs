//! OpenRosa for ODK Collect, KoboCollect and Enketo: the form list, form downloads and
//! manifests, and submissions (`HEAD` and `POST /submission`).
//!
//! Every answer carries `X-OpenRosa-Version: 1.0` and `Date`. Devices authenticate with
//! HTTP Basic: a Passage user name and password (checked and throttled as a login is), or
//! an API token as the password. Digest is not offered: it needs the password or an MD5 of
//! it kept on the server, and Passage keeps only argon2id hashes.

pub mod forms;
pub mod mapping;
pub mod screening;
pub mod settle;
pub mod submission;

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, head};
use base64::Engine;
use passage_domain::access::{Action, Principal};
use serde::Deserialize;

use crate::AppState;
use crate::auth::digest;
use crate::problem::ApiError;

pub const OPENROSA_VERSION: &str = "1.0";
/// Largest submission request accepted (the XML and the attachments sent with it).
pub const SUBMISSION_LIMIT: usize = 10 * 1024 * 1024;

/// An OpenRosa answer that is not a success: its status and a message the device shows.
#[derive(Debug)]
pub struct OpenRosaError {
    pub status: StatusCode,
    pub message: String,
}

impl OpenRosaError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }
}

impl From<ApiError> for OpenRosaError {
    fn from(e: ApiError) -> Self {
        let status = match &e {
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::Conflict(..) | ApiError::Refused(_) | ApiError::LikelyDuplicate(..) => {
                StatusCode::CONFLICT
            }
            ApiError::TooLarge | ApiError::BodyTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::UnsupportedMediaType | ApiError::MediaType(_) => {
                StatusCode::UNSUPPORTED_MEDIA_TYPE
            }
            ApiError::Invalid(_) | ApiError::Malformed(_) | ApiError::BadRequest(_) => {
                StatusCode::BAD_REQUEST
            }
        };
        Self::new(status, e.to_string())
    }
}

/// `<OpenRosaResponse>` with one message.
pub fn response_xml(message: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><OpenRosaResponse xmlns="http://openrosa.org/http/response"><message nature="">{}</message></OpenRosaResponse>"#,
        forms::escape(message)
    )
}

/// An XML answer.
pub fn xml(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/xml; charset=utf-8")],
        body,
    )
        .into_response()
}

impl IntoResponse for OpenRosaError {
    fn into_response(self) -> Response {
        let mut r = xml(self.status, response_xml(&self.message));
        if self.status == StatusCode::UNAUTHORIZED {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static(r#"Basic realm="Passage", charset="UTF-8""#),
            );
        }
        r
    }
}

/// The device's user, from HTTP Basic authentication.
pub struct Device(pub Principal);

impl FromRequestParts<AppState> for Device {
    type Rejection = OpenRosaError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let unauthorized = || {
            OpenRosaError::new(
                StatusCode::UNAUTHORIZED,
                "log in with your Passage user name and password",
            )
        };
        let credentials = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (scheme, rest) = v.split_once(' ')?;
                scheme.eq_ignore_ascii_case("basic").then_some(rest.trim())
            })
            .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
            .and_then(|b| String::from_utf8(b).ok())
            .ok_or_else(unauthorized)?;
        let (username, password) = credentials.split_once(':').ok_or_else(unauthorized)?;
        let now = app.clock.now();
        let mut principal = if password.starts_with("psg_") {
            match app.store.token(&digest(password), now).await? {
                Some(p) if p.name.eq_ignore_ascii_case(username.trim()) => p,
                _ => {
                    tokio::time::sleep(app.throttle.failed(username.trim())).await;
                    return Err(unauthorized());
                }
            }
        } else {
            let creds = crate::api::session::check_password(app, username, password)
                .await
                .map_err(|_| unauthorized())?;
            if creds.failed_logins > 0 {
                app.store.password_accepted(creds.user.meta.id).await?;
            }
            Principal {
                user_id: Some(creds.user.meta.id),
                at: now,
                name: creds.user.username,
                organisation_id: Some(creds.user.organisation_id),
                roles: creds.user.roles,
                context: Default::default(),
            }
        };
        principal.context = crate::auth::context(parts);
        Ok(Self(principal))
    }
}

impl From<passage_store::StoreError> for OpenRosaError {
    fn from(e: passage_store::StoreError) -> Self {
        ApiError::from(e).into()
    }
}

/// `https://host` as the device reached the server, for absolute URLs in lists.
fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    let scheme = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .filter(|s| *s == "https" || *s == "http")
        .unwrap_or("http");
    format!("{scheme}://{host}")
}

/// The form of a path, or 404 with a message.
fn form_of(id: &str, p: &Principal) -> Result<&'static forms::Form, OpenRosaError> {
    let form = forms::find(id)
        .ok_or_else(|| OpenRosaError::new(StatusCode::NOT_FOUND, format!("no form {id}")))?;
    p.require(Action::Create, form.creates)
        .map_err(|e| OpenRosaError::new(StatusCode::FORBIDDEN, e.to_string()))?;
    Ok(form)
}

#[derive(Debug, Deserialize)]
struct FormListQuery {
    #[serde(rename = "formID")]
    form_id: Option<String>,
}

/// `GET /formList`: the forms the caller may fill.
async fn form_list(
    Device(p): Device,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<FormListQuery>,
) -> Response {
    let forms =
        forms::for_principal(&p).filter(|f| q.form_id.as_deref().is_none_or(|id| id == f.id));
    xml(StatusCode::OK, forms::form_list(&base_url(&headers), forms))
}

/// `GET /forms/{id}/form.xml`: the XForm.
async fn form_xml(Device(p): Device, Path(id): Path<String>) -> Result<Response, OpenRosaError> {
    Ok(xml(StatusCode::OK, form_of(&id, &p)?.xml.to_owned()))
}

/// `GET /forms/{id}/manifest`: the form's media files.
async fn manifest(
    State(app): State<AppState>,
    Device(p): Device,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, OpenRosaError> {
    let form = form_of(&id, &p)?;
    let csv = if form.arrivals {
        Some(forms::arrivals_csv(&app, &p).await?)
    } else {
        None
    };
    Ok(xml(
        StatusCode::OK,
        forms::manifest(&base_url(&headers), form, csv.as_deref()),
    ))
}

/// `GET /forms/{id}/arrivals.csv`: the arrivals the caller can see.
async fn arrivals(
    State(app): State<AppState>,
    Device(p): Device,
    Path(id): Path<String>,
) -> Result<Response, OpenRosaError> {
    if !form_of(&id, &p)?.arrivals {
        return Err(OpenRosaError::new(
            StatusCode::NOT_FOUND,
            format!("form {id} has no arrivals list"),
        ));
    }
    let csv = forms::arrivals_csv(&app, &p).await?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], csv).into_response())
}

/// `HEAD /submission`: 204, and how large a submission may be.
async fn submission_head(Device(_): Device) -> Response {
    let mut r = StatusCode::NO_CONTENT.into_response();
    r.headers_mut().insert(
        "x-openrosa-accept-content-length",
        HeaderValue::from(SUBMISSION_LIMIT),
    );
    r
}

/// `X-OpenRosa-Version` and `Date` on every answer.
async fn openrosa_headers(mut r: Response) -> Response {
    let headers = r.headers_mut();
    headers.insert(
        "x-openrosa-version",
        HeaderValue::from_static(OPENROSA_VERSION),
    );
    let now = time::OffsetDateTime::now_utc();
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    if let Ok(date) = now.format(&format)
        && let Ok(v) = HeaderValue::from_str(&date)
    {
        headers.insert(header::DATE, v);
    }
    r
}

/// The OpenRosa routes, beside the API.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/formList", get(form_list))
        .route("/forms/{id}/form.xml", get(form_xml))
        .route("/forms/{id}/manifest", get(manifest))
        .route(
            &format!("/forms/{{id}}/{}", forms::ARRIVALS_CSV),
            get(arrivals),
        )
        .route(
            "/submission",
            head(submission_head)
                .post(submission::submit)
                .layer(DefaultBodyLimit::max(SUBMISSION_LIMIT)),
        )
        .layer(axum::middleware::map_response(openrosa_headers))
}
