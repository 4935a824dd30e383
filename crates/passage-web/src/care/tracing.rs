//! `GET /tracing`: families' requests to find a relative lost on the way; a form to open
//! one (with the requester's consent); `GET /tracing/{id}`: the request, what the matching
//! engine found (for the caseworker, never the requester) and its outcome, with a form to
//! record the outcome.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use passage_domain::access::{Action, Resource};
use passage_domain::care::records::{MatchKind, TracingRequest};
use passage_domain::care::tracing::TracingStatus;
use passage_domain::person::Sex;
use passage_domain::regno::RegistrationNumber;
use passage_server::AppState;
use passage_server::api::tracing_requests::OutcomeRequest;
use passage_server::auth::Caller;
use passage_server::extract::{Body, Id, from_value};
use passage_server::problem::ApiError;
use serde::Deserialize;
use uuid::Uuid;

use super::{list as list_of, percent, text};
use crate::form::Problems;
use crate::frame::{Chosen, Frame, User, failed, render};
use crate::i18n::Tr;

fn status_words(tr: &Tr, s: TracingStatus) -> String {
    tr.t(&format!("care-tracing-{}", s.code().replace('_', "-")))
}

fn sex_words(tr: &Tr, s: Sex) -> String {
    tr.t(&format!("care-sex-{}", s.code().to_lowercase()))
}

fn sought_name(r: &TracingRequest) -> String {
    let s = &r.details.sought;
    let names: Vec<&str> = [s.given_name.as_deref(), s.family_name.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if names.is_empty() {
        s.other_names.join(", ")
    } else {
        names.join(" ")
    }
}

/// One request on the list.
struct Line {
    id: Uuid,
    sought: String,
    relationship: String,
    filed: String,
    status: String,
    matches: String,
}

#[derive(Template)]
#[template(path = "care-tracing.html")]
struct ListPage {
    frame: Frame,
    lines: Vec<Line>,
    may_open: bool,
}

pub(super) async fn list(State(app): State<AppState>, chosen: Chosen, user: User) -> Response {
    let tr = chosen.tr();
    let all = match passage_server::api::tracing_requests::list(
        State(app.clone()),
        Caller(user.p.clone()),
    )
    .await
    {
        Ok(all) => all.0,
        Err(e) => return failed(chosen, &user, e),
    };
    let lines = all
        .iter()
        .map(|r| Line {
            id: r.meta.id,
            sought: sought_name(r),
            relationship: r.details.relationship.clone(),
            filed: tr.date(r.meta.created_at.date()),
            status: status_words(&tr, r.status),
            matches: tr.number(r.matches.len() as u64),
        })
        .collect();
    let page = ListPage {
        frame: Frame::new(chosen, &user, "/tracing"),
        lines,
        may_open: user.can(Action::Create, Resource::TracingRequest),
    };
    render(chosen, &page)
}

/// What the request form holds, as typed.
#[derive(Debug, Default, Deserialize)]
pub(super) struct RequestForm {
    #[serde(default)]
    csrf: String,
    #[serde(default, rename = "sought.given_name")]
    given_name: String,
    #[serde(default, rename = "sought.family_name")]
    family_name: String,
    #[serde(default, rename = "sought.other_names")]
    other_names: String,
    #[serde(default, rename = "sought.sex")]
    sex: String,
    #[serde(default, rename = "sought.date_of_birth")]
    born: String,
    #[serde(default)]
    precision: String,
    #[serde(default, rename = "sought.nationalities")]
    nationalities: String,
    #[serde(default, rename = "sought.place_of_origin")]
    place_of_origin: String,
    #[serde(default, rename = "sought.description")]
    description: String,
    #[serde(default)]
    last_seen_place: String,
    #[serde(default)]
    last_seen_on: String,
    #[serde(default)]
    relationship: String,
    #[serde(default)]
    requester_name: String,
    #[serde(default)]
    requester_contact: String,
    #[serde(default)]
    consent_to_share: Option<String>,
}

#[derive(Template)]
#[template(path = "care-tracing-new.html")]
struct NewPage {
    frame: Frame,
    sexes: Vec<(&'static str, String)>,
    precisions: Vec<(&'static str, String)>,
    form: RequestForm,
    problems: Problems,
}

fn new_page(chosen: Chosen, user: &User, form: RequestForm, problems: Problems) -> Response {
    let tr = chosen.tr();
    let page = NewPage {
        frame: Frame::new(chosen, user, "/tracing/new"),
        sexes: [Sex::F, Sex::M, Sex::X, Sex::U]
            .iter()
            .map(|s| (s.code(), sex_words(&tr, *s)))
            .collect(),
        precisions: ["exact", "year_only", "estimated"]
            .iter()
            .map(|p| (*p, tr.t(&format!("care-dob-{}", p.replace('_', "-")))))
            .collect(),
        form,
        problems,
    };
    render(chosen, &page)
}

pub(super) async fn new(chosen: Chosen, user: User) -> Response {
    new_page(chosen, &user, RequestForm::default(), Problems::default())
}

pub(super) async fn create(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Form(form): Form<RequestForm>,
) -> Response {
    if let Err(e) = user.check(&form.csrf) {
        return failed(chosen, &user, e);
    }
    let born = form.born.trim();
    let date_of_birth = if born.is_empty() {
        serde_json::Value::Null
    } else {
        // A year alone is the year's first day, as the domain stores it.
        let date = if born.len() == 4 {
            format!("{born}-01-01")
        } else {
            born.to_owned()
        };
        serde_json::json!({ "date": date, "precision": form.precision })
    };
    let value = serde_json::json!({
        "sought": {
            "given_name": text(&form.given_name),
            "family_name": text(&form.family_name),
            // Names hold spaces: only commas part them.
            "other_names": form
                .other_names
                .split([',', ';'])
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .collect::<Vec<_>>(),
            "sex": form.sex,
            "date_of_birth": date_of_birth,
            "nationalities": list_of(&form.nationalities),
            "place_of_origin": text(&form.place_of_origin),
            "description": text(&form.description),
        },
        "last_seen_place": text(&form.last_seen_place),
        "last_seen_on": text(&form.last_seen_on),
        "incident_id": null,
        "relationship": form.relationship,
        "requester_name": form.requester_name,
        "requester_contact": form.requester_contact,
        "requester_person_id": null,
        "consent_to_share": form.consent_to_share.is_some(),
    });
    let done = match from_value("", value) {
        Ok(details) => {
            passage_server::api::tracing_requests::create(
                State(app.clone()),
                Caller(user.p.clone()),
                Body(details),
            )
            .await
        }
        Err(e) => Err(e),
    };
    match done {
        Ok((_, _, r)) => Redirect::to(&format!("/tracing/{}", r.0.meta.id)).into_response(),
        Err(e) => match Problems::of(e) {
            Ok(problems) => new_page(chosen, &user, form, problems),
            Err(e) => failed(chosen, &user, e),
        },
    }
}

/// One candidate the matching engine found.
struct Candidate {
    kind: String,
    link: Option<String>,
    probability: String,
    explanation: String,
}

/// What the outcome form holds.
#[derive(Debug, Default, Deserialize)]
pub(super) struct OutcomeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    version: i64,
    #[serde(default)]
    status: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    found: String,
}

#[derive(Template)]
#[template(path = "care-tracing-request.html")]
struct ShowPage {
    frame: Frame,
    id: Uuid,
    version: i64,
    title: String,
    facts: Vec<(String, String)>,
    candidates: Vec<Candidate>,
    open: bool,
    may_close: bool,
    outcomes: Vec<(&'static str, String)>,
    form: OutcomeForm,
    problems: Problems,
}

async fn show_page(
    app: &AppState,
    chosen: Chosen,
    user: &User,
    id: Uuid,
    form: OutcomeForm,
    problems: Problems,
) -> Result<Response, ApiError> {
    let tr = chosen.tr();
    let r = passage_server::api::tracing_requests::read(
        State(app.clone()),
        Caller(user.p.clone()),
        Id(id),
    )
    .await?
    .0;
    let d = &r.details;
    let s = &d.sought;
    let mut facts = vec![
        (tr.t("care-status"), status_words(&tr, r.status)),
        (tr.t("care-sought-sex"), sex_words(&tr, s.sex)),
        (
            tr.t("care-sought-born"),
            s.date_of_birth.map(|b| tr.date(b.date)).unwrap_or_default(),
        ),
        (
            tr.t("care-sought-nationalities"),
            s.nationalities
                .iter()
                .map(|n| n.code().to_owned())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            tr.t("care-sought-origin"),
            s.place_of_origin.clone().unwrap_or_default(),
        ),
        (
            tr.t("care-sought-description"),
            s.description.clone().unwrap_or_default(),
        ),
        (
            tr.t("care-last-seen-place"),
            d.last_seen_place.clone().unwrap_or_default(),
        ),
        (
            tr.t("care-last-seen-on"),
            d.last_seen_on.map(|x| tr.date(x)).unwrap_or_default(),
        ),
        (tr.t("care-relationship"), d.relationship.clone()),
        (tr.t("care-asked-by"), d.requester_name.clone()),
        (tr.t("care-requester-contact"), d.requester_contact.clone()),
        (tr.t("care-filed-by"), r.filed_by.clone()),
    ];
    if let Some(o) = &r.outcome {
        facts.push((tr.t("care-outcome"), status_words(&tr, o.status)));
        facts.push((tr.t("care-reason"), o.reason.clone()));
    }
    facts.retain(|(_, v)| !v.is_empty());
    let candidates = r
        .matches
        .iter()
        .map(|m| Candidate {
            kind: tr.t(match m.kind {
                MatchKind::Person => "care-match-person",
                MatchKind::Request => "care-match-request",
                MatchKind::Incident => "care-match-incident",
            }),
            link: match m.kind {
                MatchKind::Person => Some(format!("/persons/{}", m.id)),
                MatchKind::Incident => Some(format!("/incidents/{}", m.id)),
                MatchKind::Request => None,
            },
            probability: percent(m.probability),
            explanation: m.explanation.clone(),
        })
        .collect();
    let page = ShowPage {
        frame: Frame::new(chosen, user, format!("/tracing/{id}")),
        id,
        version: r.meta.version,
        title: tr.with("care-tracing-for", &[("name", sought_name(&r).into())]),
        facts,
        candidates,
        open: r.status == TracingStatus::Open,
        may_close: user.can(Action::Update, Resource::TracingRequest),
        outcomes: TracingStatus::ALL
            .iter()
            .filter(|s| **s != TracingStatus::Open)
            .map(|s| (s.code(), status_words(&tr, *s)))
            .collect(),
        form,
        problems,
    };
    Ok(render(chosen, &page))
}

pub(super) async fn show(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Path(id): Path<Uuid>,
) -> Response {
    show_page(
        &app,
        chosen,
        &user,
        id,
        OutcomeForm::default(),
        Problems::default(),
    )
    .await
    .unwrap_or_else(|e| failed(chosen, &user, e))
}

pub(super) async fn outcome(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Path(id): Path<Uuid>,
    Form(form): Form<OutcomeForm>,
) -> Response {
    if let Err(e) = user.check(&form.csrf) {
        return failed(chosen, &user, e);
    }
    let tr = chosen.tr();
    let found = form.found.trim();
    let found_person_id = if found.is_empty() {
        Ok(None)
    } else {
        match RegistrationNumber::parse(found) {
            Err(e) => Err(ApiError::invalid("found_person_id", e.to_string())),
            Ok(n) => match app.store.person_by_number(&user.p, &n).await {
                Ok(Some(p)) => Ok(Some(p.meta.id)),
                Ok(None) => Err(ApiError::invalid(
                    "found_person_id",
                    tr.with(
                        "care-no-one-with-number",
                        &[("number", n.to_string().into())],
                    ),
                )),
                Err(e) => Err(e.into()),
            },
        }
    };
    let done = match (found_person_id, TracingStatus::from_code(&form.status)) {
        (Err(e), _) => Err(e),
        (_, None) => Err(ApiError::invalid("status", tr.t("care-pick-outcome"))),
        (Ok(found_person_id), Some(status)) => {
            let request = OutcomeRequest {
                version: form.version,
                status,
                reason: form.reason.clone(),
                found_person_id,
            };
            passage_server::api::tracing_requests::outcome(
                State(app.clone()),
                Caller(user.p.clone()),
                Id(id),
                Body(request),
            )
            .await
            .map(|_| ())
        }
    };
    match done {
        Ok(()) => Redirect::to(&format!("/tracing/{id}")).into_response(),
        Err(e) => match Problems::of(e) {
            Ok(problems) => show_page(&app, chosen, &user, id, form, problems)
                .await
                .unwrap_or_else(|e| failed(chosen, &user, e)),
            Err(e) => failed(chosen, &user, e),
        },
    }
}
