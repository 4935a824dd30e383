//! The information sheet a registered person takes away (`/persons/{id}/information`):
//! in the person's language, what happens next, their rights, where to get help, what was
//! written down about them and why, who it may go to, how to ask for a copy, a correction
//! or erasure, and a receipt for each consent they gave. Printable on A4.
//!
//! # Invariants
//!
//! - Everything comes from the store read with the user's principal: whoever may read
//!   the person may open the sheet, and the read is audited like any read of the person.
//!   What the user's roles may not read (screenings, needs, referrals) is left out, and
//!   the sheet always says that more may be held and can be asked for.
//! - The `lang` parameter names the sheet's language, not the pages': opening a sheet in
//!   Burmese or Arabic leaves the user's own language as it is.

mod sheet;

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use fluent_bundle::FluentValue;
use passage_domain::data_protection::{Consent, subject::RESPONSE_DAYS};
use passage_domain::record::Person;
use passage_server::AppState;
use passage_server::problem::ApiError;
use passage_store::DocumentFilter;
use serde::Deserialize;
use uuid::Uuid;

use crate::frame::{Chosen, Frame, Kept, User, failed, readable, render};
pub use sheet::{SheetLang, SheetTr};

/// The routes of the information sheet.
pub fn routes() -> Router<AppState> {
    Router::new().route("/persons/{id}/information", get(page))
}

#[derive(Debug, Deserialize)]
pub(crate) struct SheetQuery {
    lang: Option<String>,
}

/// One consent, as its receipt shows it.
pub struct Receipt {
    pub title: String,
    pub recipient: String,
    pub scope: String,
    pub given: String,
    /// "in force", or "withdrawn on …".
    pub status: String,
    pub withdrawn: bool,
}

#[derive(Template)]
#[template(path = "information-sheet.html")]
struct SheetPage {
    frame: Frame,
    /// The sheet's strings.
    s: SheetTr,
    person_id: Uuid,
    name: String,
    number: String,
    date: String,
    /// The other sheet languages: (link, tag, own name).
    others: Vec<(String, &'static str, &'static str)>,
    /// The kinds of information recorded (sheet message ids).
    recorded: Vec<&'static str>,
    purposes: Vec<String>,
    basis: String,
    shared: Vec<String>,
    ask_days: String,
    receipts: Vec<Receipt>,
}

/// The sheet's language: the one asked for, else the first the person speaks that the
/// sheet is written in, else the language of the pages.
fn sheet_lang(asked: Option<&str>, person: &Person, page: Chosen) -> SheetLang {
    asked
        .and_then(SheetLang::parse)
        .or_else(|| {
            person
                .details
                .languages
                .iter()
                .find_map(|l| SheetLang::of_spoken(l.as_str()))
        })
        .unwrap_or_else(|| SheetLang::of_page(page.lang))
}

fn code_id(prefix: &str, code: &str) -> String {
    format!("{prefix}-{}", code.replace('_', "-"))
}

/// What the person's consents say: the receipts, and who their data may go to now.
fn receipts(
    s: SheetTr,
    consents: &[Consent],
    names: &HashMap<Uuid, String>,
) -> (Vec<Receipt>, Vec<String>) {
    let name = |id: &Uuid| {
        names
            .get(id)
            .cloned()
            .unwrap_or_else(|| s.t("recipient-unknown"))
    };
    let scope = |c: &Consent| {
        let words = s.t(&code_id("scope", c.scope.code()));
        match &c.description {
            Some(d) => format!("{words}: {d}"),
            None => words,
        }
    };
    let mut shared = Vec::new();
    let receipts = consents
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if c.withdrawn_at.is_none() {
                shared.push(s.with(
                    "shared-consent",
                    &[
                        ("recipient", FluentValue::from(name(&c.recipient_id))),
                        ("scope", FluentValue::from(scope(c))),
                    ],
                ));
            }
            Receipt {
                title: s.with("receipt-number", &[("n", FluentValue::from(i + 1))]),
                recipient: name(&c.recipient_id),
                scope: scope(c),
                given: s.lang.date(c.given_at.date()),
                status: match c.withdrawn_at {
                    Some(w) => s.with(
                        "receipt-withdrawn",
                        &[("date", FluentValue::from(s.lang.date(w.date())))],
                    ),
                    None => s.t("receipt-active"),
                },
                withdrawn: c.withdrawn_at.is_some(),
            }
        })
        .collect();
    (receipts, shared)
}

pub(crate) async fn page(
    State(app): State<AppState>,
    Kept(chosen): Kept,
    user: User,
    Path(id): Path<Uuid>,
    Query(q): Query<SheetQuery>,
) -> Response {
    match build(&app, chosen, &user, id, q.lang.as_deref()).await {
        Ok(page) => render(chosen, &page),
        Err(e) => failed(chosen, &user, e),
    }
}

async fn build(
    app: &AppState,
    chosen: Chosen,
    user: &User,
    id: Uuid,
    asked: Option<&str>,
) -> Result<SheetPage, ApiError> {
    let p = &user.p;
    let person = app
        .store
        .person(p, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("person {id}")))?;
    let lang = sheet_lang(asked, &person, chosen);
    let s = SheetTr { lang };

    let mut recorded = vec!["data-identity", "data-household"];
    if person
        .details
        .contact
        .as_ref()
        .is_some_and(|c| c.phone.is_some() || c.address.is_some())
    {
        recorded.push("data-contact");
    }
    let filter = DocumentFilter {
        person_id: Some(id),
        number: None,
    };
    match readable(app.store.documents(p, &filter, None, 1).await)? {
        Some(page) if !page.items.is_empty() => recorded.push("data-documents"),
        _ => {}
    }
    match readable(app.store.needs(p, id).await)? {
        Some(Some(needs)) if !needs.is_empty() => recorded.push("data-needs"),
        _ => {}
    }
    match readable(app.store.screenings(p, id).await)? {
        Some(Some(found)) if !found.is_empty() => recorded.push("data-screening"),
        _ => {}
    }
    let referrals = readable(app.store.referrals_of(p, id).await)?;
    match &referrals {
        Some(Some(found)) if !found.is_empty() => recorded.push("data-referrals"),
        _ => {}
    }

    let consents = readable(app.store.consents(p, id).await)?.flatten();
    let names = readable(app.store.recipient_names(p).await)?.unwrap_or_default();
    let (receipts, mut shared) = receipts(s, consents.as_deref().unwrap_or_default(), &names);
    for r in referrals.iter().flatten().flatten() {
        let Some(to) = r.recipient_id else { continue };
        if r.status.is_open() || r.status.code() == "completed" {
            let recipient = names
                .get(&to)
                .cloned()
                .unwrap_or_else(|| s.t("recipient-unknown"));
            let line = s.with(
                "shared-referral",
                &[("recipient", FluentValue::from(recipient))],
            );
            if !shared.contains(&line) {
                shared.push(line);
            }
        }
    }

    let d = &person.details;
    let name = [d.given_name.as_deref(), d.family_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let others = SheetLang::ALL
        .into_iter()
        .filter(|l| *l != lang)
        .map(|l| {
            (
                format!("/persons/{id}/information?lang={}", l.tag()),
                l.tag(),
                l.name(),
            )
        })
        .collect();
    Ok(SheetPage {
        frame: Frame::new(chosen, user, format!("/persons/{id}")),
        s,
        person_id: id,
        name,
        number: person.registration_number.to_string(),
        date: lang.date(p.at.date()),
        others,
        recorded,
        purposes: person
            .basis
            .purposes
            .iter()
            .map(|x| s.t(&code_id("purpose", x.code())))
            .collect(),
        basis: s.t(&code_id("basis", person.basis.legal_basis.code())),
        shared,
        ask_days: s.with("ask-days", &[("days", FluentValue::from(RESPONSE_DAYS))]),
        receipts,
    })
}
