//! Logging in and out in the browser, through the API's own session functions (the
//! same password checks, pauses after failures and locks).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use passage_server::AppState;
use passage_server::api::session;
use passage_server::problem::ApiError;
use serde::Deserialize;

use crate::frame::{Chosen, Frame, Visitor, render};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    frame: Frame,
    username: String,
    failed: bool,
}

pub(crate) async fn login_page(chosen: Chosen, Visitor(visitor): Visitor) -> Response {
    if visitor.is_some() {
        return Redirect::to("/").into_response();
    }
    let page = LoginPage {
        frame: Frame::anonymous(chosen, "/login"),
        username: String::new(),
        failed: false,
    };
    render(chosen, &page)
}

#[derive(Deserialize)]
pub(crate) struct LoginForm {
    username: String,
    password: String,
}

pub(crate) async fn login(
    State(app): State<AppState>,
    chosen: Chosen,
    Form(form): Form<LoginForm>,
) -> Response {
    match session::start(&app, form.username.trim(), &form.password).await {
        Ok((headers, _)) => (headers, Redirect::to("/")).into_response(),
        // Anything but a refused login (the database down, say) is not the user's fault.
        Err(e) if !matches!(e, ApiError::Unauthorized) => e.into_response(),
        Err(_) => {
            let page = LoginPage {
                frame: Frame::anonymous(chosen, "/login"),
                username: form.username,
                failed: true,
            };
            (StatusCode::UNAUTHORIZED, render(chosen, &page)).into_response()
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct LogoutForm {
    csrf: String,
}

pub(crate) async fn logout(
    State(app): State<AppState>,
    Visitor(visitor): Visitor,
    headers: HeaderMap,
    Form(form): Form<LogoutForm>,
) -> Result<Response, ApiError> {
    match visitor {
        Some((_, csrf)) if csrf == form.csrf => {
            let cleared = session::end(&app, &headers).await?;
            Ok((cleared, Redirect::to("/login")).into_response())
        }
        Some(_) => Err(ApiError::Forbidden(
            "this form is out of date: reload the page and try again".into(),
        )),
        None => Ok(Redirect::to("/login").into_response()),
    }
}
