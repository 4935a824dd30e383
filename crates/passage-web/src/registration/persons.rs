//! `/persons?q=`: finding a person by name (any script, case and accents folded) or by
//! registration number, through the same store searches as the API.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use passage_domain::record::Person;
use passage_domain::regno::RegistrationNumber;
use passage_server::AppState;
use passage_server::problem::ApiError;
use passage_store::PersonFilter;
use serde::Deserialize;

use super::{dob_words, sex_word};
use crate::frame::{Chosen, Frame, User, failed, render};
use crate::i18n::Tr;

/// Most people a search lists.
const SHOWN: u32 = 50;

/// One person found: (id, registration number, name, sex, date of birth).
pub(crate) type Found = (String, String, String, String, String);

#[derive(Template)]
#[template(path = "registration-persons.html")]
struct PersonsPage {
    frame: Frame,
    q: String,
    searched: bool,
    found: Vec<Found>,
    /// More were found than are listed.
    more: bool,
}

#[derive(Deserialize)]
pub(crate) struct Search {
    q: Option<String>,
}

/// A person's names as one line: given and family names, or the original script.
pub(crate) fn name_of(tr: Tr, p: &Person) -> String {
    let d = &p.details;
    let latin: Vec<&str> = [d.given_name.as_deref(), d.family_name.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if !latin.is_empty() {
        return latin.join(" ");
    }
    d.original_name
        .as_ref()
        .map_or_else(|| tr.t("reg-no-name"), |o| o.text.clone())
}

async fn search(app: &AppState, user: &User, q: &str) -> Result<(Vec<Person>, bool), ApiError> {
    if let Ok(number) = RegistrationNumber::parse(q) {
        let one = app.store.person_by_number(&user.p, &number).await?;
        return Ok((one.into_iter().collect(), false));
    }
    let filter = PersonFilter {
        name: Some(q.to_owned()),
        ..PersonFilter::default()
    };
    let page = app.store.persons(&user.p, &filter, None, SHOWN).await?;
    Ok((page.items, page.next_cursor.is_some()))
}

/// The search form and what it found.
pub(crate) async fn page(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Query(s): Query<Search>,
) -> Response {
    let tr = chosen.tr();
    let q = s.q.unwrap_or_default().trim().to_owned();
    let (found, more) = if q.is_empty() {
        (Vec::new(), false)
    } else {
        match search(&app, &user, &q).await {
            Ok(f) => f,
            Err(e) => return failed(chosen, &user, e),
        }
    };
    let path = if q.is_empty() {
        "/persons".to_owned()
    } else {
        let encoded: String = q
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    char::from(b).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect();
        format!("/persons?q={encoded}")
    };
    let page = PersonsPage {
        frame: Frame::new(chosen, &user, path),
        searched: !q.is_empty(),
        q,
        found: found
            .iter()
            .map(|p| {
                (
                    p.meta.id.to_string(),
                    p.registration_number.to_string(),
                    name_of(tr, p),
                    sex_word(tr, p.details.sex),
                    dob_words(tr, p.details.date_of_birth),
                )
            })
            .collect(),
        more,
    };
    render(chosen, &page)
}
