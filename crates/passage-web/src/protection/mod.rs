//! Protection pages: the screening interview drawn from the versioned questionnaire, the
//! screening's outcome and its confirmation, the referral queues and a referral's steps,
//! and cases with the steps their procedure allows now and what the non-refoulement guard
//! says. Every change goes through the API's own handlers, so the rules, the guard,
//! permissions and audit are the API's.

mod case;
mod cases;
mod outcome;
mod referrals;
mod screen;

use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use passage_domain::protection::guard::Condition;
use passage_domain::protection::needs::NeedCode;
use passage_server::AppState;
use passage_server::problem::ApiError;
use serde::Serialize;
use uuid::Uuid;

use crate::i18n::Tr;

/// The routes of the protection pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/persons/{id}/screen",
            get(screen::form).post(screen::submit),
        )
        .route("/screenings/{id}", get(outcome::page))
        .route("/screenings/{id}/confirm", post(outcome::confirm))
        .route("/referrals", get(referrals::list))
        .route("/referrals/{id}", get(referrals::page))
        .route("/referrals/{id}/steps", post(referrals::step))
        .route("/cases", get(cases::list))
        .route("/cases/{id}", get(case::page))
        .route("/cases/{id}/transitions", post(case::transition))
        .route("/cases/{id}/hold-lifts", post(case::request_lift))
        .route("/hold-lifts/{id}/decision", post(case::decide_lift))
        .route("/static/protection.js", get(script))
}

async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/protection.js"),
    )
}

/// A record id from a path; anything else is a record that does not exist.
fn record_id(s: &str, what: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(s.trim()).map_err(|_| ApiError::not_found(format!("{what} {s}")))
}

/// After a change, on to the page that shows it.
fn see(path: String) -> Response {
    Redirect::to(&path).into_response()
}

/// The code a value is written as in the API (`unaccompanied_child`, `ASY`, `urgent`).
fn code_of<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// A message named by a prefix and a code, in the page's language.
fn word<T: Serialize>(tr: Tr, prefix: &str, v: &T) -> String {
    tr.t(&format!("{prefix}-{}", code_of(v)))
}

/// A specific-needs code in words: the translation where the pages have one, otherwise
/// the code list's own label (English, the list's language).
fn need_words(tr: Tr, code: &NeedCode) -> String {
    let own = tr.t(&format!("need-{}", code.as_str()));
    if own.starts_with('⟦') {
        code.label().to_owned()
    } else {
        own
    }
}

/// A case state or step in words.
pub(crate) fn state_words(tr: Tr, state: &str) -> String {
    tr.t(&format!("case-state-{state}"))
}

fn event_words(tr: Tr, event: &str) -> String {
    tr.t(&format!("case-event-{event}"))
}

/// A kind of case in words (shared with the other pages, in `terms.ftl`).
fn kind_words(tr: Tr, kind: passage_domain::protection::procedure::ProcedureKind) -> String {
    tr.t(&format!("case-kind-{}", kind.code().replace('_', "-")))
}

/// A condition of the non-refoulement guard in words: what holds, never what a claim says.
fn condition_words(tr: Tr, c: &Condition) -> String {
    match c {
        Condition::RefoulementRiskCode { code, .. } => tr.with(
            "guard-refoulement_risk_code",
            &[("code", code.clone().into())],
        ),
        other => {
            let key = serde_json::to_value(other)
                .ok()
                .and_then(|v| {
                    v.get("condition")
                        .and_then(|c| c.as_str())
                        .map(str::to_owned)
                })
                .unwrap_or_default();
            tr.t(&format!("guard-{key}"))
        }
    }
}
