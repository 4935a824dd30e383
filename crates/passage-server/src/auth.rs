//! Who is calling: a person logged in with a password (session cookie, with a CSRF token
//! for every change), or a machine with an API token (`Authorization: Bearer …`).
//!
//! Secrets are kept only as hashes: argon2id for passwords, SHA-256 for session and API
//! tokens (they are long random values, so a fast hash is enough).

use std::time::Duration as StdDuration;

use argon2::password_hash::phc::PasswordHash;
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{Method, header};
use passage_domain::access::{Context, Principal};
use passage_store::Session;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::problem::ApiError;

pub const SESSION_COOKIE: &str = "passage_session";
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The purpose a caller declares for what it reads, recorded in the audit log.
pub const PURPOSE_HEADER: &str = "x-passage-purpose";

/// Session lifetimes and cookie flags.
#[derive(Debug, Clone, Copy)]
pub struct AuthConfig {
    /// A session not used for this long ends.
    pub idle: time::Duration,
    /// A session ends this long after login, used or not.
    pub absolute: time::Duration,
    /// Mark the cookie Secure (the server is reached over TLS, directly or via a proxy).
    pub secure_cookies: bool,
}

impl Default for AuthConfig {
    fn default() -> Self {
        Self {
            idle: time::Duration::minutes(30),
            absolute: time::Duration::hours(12),
            secure_cookies: false,
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

/// An argon2id hash of `password` with a random salt, in PHC string form.
pub fn hash_password(password: &str) -> Result<String, HashError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// True when `password` matches the PHC `hash`.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash to verify against when the user does not exist, so that an unknown user takes
/// as long to refuse as a wrong password.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password, never valid").unwrap_or_default())
}

/// A new random secret, `prefix` then 64 hex digits (256 bits).
pub fn new_secret(prefix: &str) -> Result<String, HashError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| HashError(e.to_string()))?;
    Ok(format!("{prefix}{}", hex(&bytes)))
}

/// The stored form of a session or API token.
pub fn digest(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Failed logins per user name as typed, whether or not such a user exists, so that the
/// pause after a failure says nothing about the account. Kept in memory: a restart or
/// another server process starts counting again; the lock in the database does not.
#[derive(Debug, Default)]
pub struct Throttle {
    failures: std::sync::Mutex<std::collections::HashMap<String, u32>>,
}

/// Names tracked at most; past that the counts start again (a flood of invented names
/// must not exhaust memory).
const THROTTLE_NAMES: usize = 100_000;

impl Throttle {
    /// Counts a failure for `name` and returns how long to pause before answering.
    pub fn failed(&self, name: &str) -> StdDuration {
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if failures.len() >= THROTTLE_NAMES {
            failures.clear();
        }
        let count = failures.entry(name.to_lowercase()).or_insert(0);
        *count = count.saturating_add(1);
        StdDuration::from_millis(100 * u64::from((*count).min(10)))
    }

    /// Forgets the failures of `name` after a successful login.
    pub fn succeeded(&self, name: &str) {
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        failures.remove(&name.to_lowercase());
    }
}

/// The value of cookie `name`, if the request sends it.
pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The person logged in with the session cookie, with their session's CSRF token and
/// their language; None without a live session. For the web pages, which check the token
/// in their forms and speak the user's language.
pub async fn session_of(parts: &Parts, app: &AppState) -> Result<Option<Session>, ApiError> {
    let Some(session) = cookie(parts, SESSION_COOKIE) else {
        return Ok(None);
    };
    let found = app
        .store
        .session(&digest(session), app.clock.now(), app.auth.idle)
        .await?;
    Ok(found.map(|mut s| {
        s.principal.context = context(parts);
        s
    }))
}

/// The authenticated caller of a request.
pub struct Caller(pub Principal);

/// Where and why the request is made, for the audit log.
pub fn context(parts: &Parts) -> Context {
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.chars().take(200).collect::<String>())
    };
    Context {
        purpose: header(PURPOSE_HEADER),
        request_id: header("x-request-id"),
        client: parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string()),
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        let mut caller = Self::authenticate(parts, app).await?;
        caller.0.context = context(parts);
        Ok(caller)
    }
}

impl Caller {
    async fn authenticate(parts: &Parts, app: &AppState) -> Result<Self, ApiError> {
        let now = app.clock.now();
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            });
        if let Some(token) = bearer {
            return match app.store.token(&digest(token.trim()), now).await? {
                Some(p) => Ok(Self(p)),
                None => Err(ApiError::Unauthorized),
            };
        }
        let Some(session) = cookie(parts, SESSION_COOKIE) else {
            return Err(ApiError::Unauthorized);
        };
        let Some(Session {
            principal, csrf, ..
        }) = app
            .store
            .session(&digest(session), now, app.auth.idle)
            .await?
        else {
            return Err(ApiError::Unauthorized);
        };
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if !safe {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
            if sent != Some(csrf.as_str()) {
                return Err(ApiError::Forbidden("missing or wrong CSRF token: send the token given at login in the X-CSRF-Token header".into()));
            }
        }
        Ok(Self(principal))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("correct horsE", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn secrets_are_random_and_stored_hashed() {
        let a = new_secret("psg_").unwrap();
        let b = new_secret("psg_").unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 4 + 64);
        assert_eq!(digest(&a).len(), 64);
        assert_ne!(digest(&a), a);
    }
}
