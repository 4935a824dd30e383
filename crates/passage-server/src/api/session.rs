//! `/api/v1/session`: log in with a password, see who is logged in, log out.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use passage_domain::access::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::AppState;
use crate::auth::{self, Caller, SESSION_COOKIE};
use crate::extract::Body;
use crate::problem::{ApiError, Problem};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Login {
    pub username: String,
    pub password: String,
}

/// The caller, and the token to send as `X-CSRF-Token` with every change.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionInfo {
    pub username: String,
    pub organisation_id: Option<Uuid>,
    pub roles: Vec<Role>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub csrf_token: Option<String>,
}

/// The user whose password this is. A wrong password, an unknown user, a disabled or
/// locked account are all 401 after the same pause, which grows with repeated failures;
/// five failures in a row lock the account for a while. Devices sending Basic
/// authentication are checked through here too.
pub async fn check_password(
    app: &AppState,
    username: &str,
    password: &str,
) -> Result<passage_store::Credentials, ApiError> {
    let now = app.clock.now();
    let creds = app.store.credentials(username.trim()).await?;
    let Some(creds) = creds else {
        auth::verify_password(password, auth::decoy_hash());
        tokio::time::sleep(app.throttle.failed(username.trim())).await;
        return Err(ApiError::Unauthorized);
    };
    let locked = creds.user.locked_until.is_some_and(|until| until > now);
    let matches = auth::verify_password(password, &creds.password_hash);
    if !matches || locked || creds.user.disabled {
        if !matches {
            app.store.login_failed(creds.user.meta.id, now).await?;
        }
        tokio::time::sleep(app.throttle.failed(username.trim())).await;
        return Err(ApiError::Unauthorized);
    }
    app.throttle.succeeded(username.trim());
    Ok(creds)
}

/// Log in. A wrong password, an unknown user, a disabled or locked account all get the
/// same answer; repeated failures slow the answer down, then lock the account for a while.
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = Login, security(()),
    responses((status = 200, body = SessionInfo), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn login(
    State(app): State<AppState>,
    Body(login): Body<Login>,
) -> Result<(HeaderMap, Json<SessionInfo>), ApiError> {
    let (headers, info) = start(&app, &login.username, &login.password).await?;
    Ok((headers, Json(info)))
}

/// Checks a password and starts a session: the `Set-Cookie` header and who logged in
/// (with the CSRF token). The web pages log in through this too.
pub async fn start(
    app: &AppState,
    username: &str,
    password: &str,
) -> Result<(HeaderMap, SessionInfo), ApiError> {
    let now = app.clock.now();
    let creds = check_password(app, username, password).await?;
    let token = auth::new_secret("").map_err(|_| ApiError::Unavailable)?;
    let csrf = auth::new_secret("").map_err(|_| ApiError::Unavailable)?;
    app.store
        .login_succeeded(
            creds.user.meta.id,
            auth::digest(&token),
            csrf.clone(),
            now,
            now + app.auth.absolute,
        )
        .await?;
    let secure = if app.auth.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{secure}",
        app.auth.absolute.whole_seconds()
    );
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        headers.insert(header::SET_COOKIE, v);
    }
    let info = SessionInfo {
        username: creds.user.username,
        organisation_id: Some(creds.user.organisation_id),
        roles: creds.user.roles,
        csrf_token: Some(csrf),
    };
    Ok((headers, info))
}

/// Who is calling.
#[utoipa::path(get, path = "/api/v1/session", tag = "session",
    responses((status = 200, body = SessionInfo), (status = 401, body = Problem)))]
pub async fn current(Caller(p): Caller) -> Json<SessionInfo> {
    Json(SessionInfo {
        username: p.name,
        organisation_id: p.organisation_id,
        roles: p.roles,
        csrf_token: None,
    })
}

/// Log out: the session ends now.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session",
    responses((status = 204), (status = 401, body = Problem)))]
pub async fn logout(
    State(app): State<AppState>,
    Caller(_): Caller,
    headers: HeaderMap,
) -> Result<(axum::http::StatusCode, HeaderMap), ApiError> {
    Ok((
        axum::http::StatusCode::NO_CONTENT,
        end(&app, &headers).await?,
    ))
}

/// Ends the session whose cookie `headers` carry; returns the header that clears it.
pub async fn end(app: &AppState, headers: &HeaderMap) -> Result<HeaderMap, ApiError> {
    let token = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.to_owned());
    if let Some(token) = token {
        app.store.end_session(&auth::digest(&token)).await?;
    }
    let mut out = HeaderMap::new();
    out.insert(
        header::SET_COOKIE,
        HeaderValue::from_static("passage_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"),
    );
    Ok(out)
}
