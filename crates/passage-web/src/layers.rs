//! What wraps every page, whatever the page: headers that keep personal data out of the
//! browser's cache and out of other sites' frames, the refusal of forms posted from
//! another site, and an HTML page (not a line of plain text) when a request is not
//! understood before any page runs (an address with a malformed id, a form missing a
//! field).

use askama::Template;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::frame::{Chosen, Frame, render};

/// Runs around every page.
pub(crate) async fn wrap(request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let chosen = Chosen::of_request(&parts);
    let mut response = if from_another_site(&parts) {
        not_understood(
            chosen,
            StatusCode::FORBIDDEN,
            "this form was sent from another site".into(),
        )
    } else {
        let response = next.run(Request::from_parts(parts, body)).await;
        explained(chosen, response).await
    };
    let h = response.headers_mut();
    // A person's record must not outlive the session in a shared laptop's cache.
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// A form posted by a page of another site (which could log a clerk into someone else's
/// account, or act in their session): browsers say so in `Sec-Fetch-Site`, and older
/// ones by an `Origin` that is not this host.
fn from_another_site(parts: &axum::http::request::Parts) -> bool {
    if matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    if header("sec-fetch-site") == Some("cross-site") {
        return true;
    }
    match (header("origin"), header("host")) {
        (Some(origin), Some(host)) => {
            let origin_host = origin.split("://").nth(1).unwrap_or(origin);
            origin != "null" && origin_host != host
        }
        _ => false,
    }
}

/// Plain-text refusals come from the framework before a page runs (a path or a form
/// that does not parse): shown as a page in the user's language, the detail kept.
async fn explained(chosen: Chosen, response: Response) -> Response {
    let status = response.status();
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/plain"));
    if !status.is_client_error() || !plain {
        return response;
    }
    let detail = match axum::body::to_bytes(response.into_body(), 64 * 1024).await {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(_) => String::new(),
    };
    not_understood(chosen, status, detail)
}

#[derive(Template)]
#[template(path = "not-understood.html")]
struct NotUnderstood {
    frame: Frame,
    detail: String,
}

fn not_understood(chosen: Chosen, status: StatusCode, detail: String) -> Response {
    let page = NotUnderstood {
        frame: Frame::anonymous(chosen, "/"),
        detail,
    };
    (status, render(chosen, &page)).into_response()
}
