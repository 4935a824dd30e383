//! `GET /incidents`: rescues, shipwrecks, deaths and disappearances on the routes, filtered
//! by kind and date; `GET /incidents/new` and `POST /incidents` to record one (dead and
//! missing as separate minimum counts, the route, the source and how reliable it is);
//! `GET /incidents/{id}` to read one.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use passage_domain::access::{Action, Resource};
use passage_domain::care::incident::{IncidentKind, SourceQuality};
use passage_domain::care::records::Incident;
use passage_server::AppState;
use passage_server::auth::Caller;
use passage_server::extract::{Body, from_value};
use passage_server::problem::ApiError;
use serde::Deserialize;
use uuid::Uuid;

use super::{list as list_of, number, text};
use crate::form::{Problems, date};
use crate::frame::{Chosen, Frame, User, failed, render};
use crate::i18n::Tr;

fn kind_words(tr: &Tr, k: IncidentKind) -> String {
    tr.t(&format!("care-incident-{}", k.code()))
}

fn quality_words(tr: &Tr, q: SourceQuality) -> String {
    tr.t(&format!("care-quality-{}", q.code()))
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct IncidentFilter {
    kind: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

/// One incident on the list.
struct Line {
    id: Uuid,
    day: String,
    kind: String,
    route: String,
    location: String,
    dead: String,
    missing: String,
    rescued: String,
}

#[derive(Template)]
#[template(path = "care-incidents.html")]
struct ListPage {
    frame: Frame,
    kinds: Vec<(&'static str, String)>,
    kind: String,
    from: String,
    to: String,
    lines: Vec<Line>,
    may_record: bool,
}

pub(super) async fn list(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Query(f): Query<IncidentFilter>,
) -> Response {
    let tr = chosen.tr();
    let all = match passage_server::api::incidents::list(State(app.clone()), Caller(user.p.clone()))
        .await
    {
        Ok(all) => all.0,
        Err(e) => return failed(chosen, &user, e),
    };
    let kind = f.kind.as_deref().and_then(IncidentKind::from_code);
    let from = date(f.from.as_deref());
    let to = date(f.to.as_deref());
    let mut found: Vec<&Incident> = all
        .iter()
        .filter(|i| kind.is_none_or(|k| i.details.kind == k))
        .filter(|i| from.is_none_or(|d| i.details.occurred_on >= d))
        .filter(|i| to.is_none_or(|d| i.details.occurred_on <= d))
        .collect();
    found.sort_by_key(|i| std::cmp::Reverse(i.details.occurred_on));
    let lines = found
        .into_iter()
        .map(|i| Line {
            id: i.meta.id,
            day: tr.date(i.details.occurred_on),
            kind: kind_words(&tr, i.details.kind),
            route: i.details.route.clone().unwrap_or_default(),
            location: i.details.location.clone().unwrap_or_default(),
            dead: tr.number(i.details.dead.into()),
            missing: tr.number(i.details.missing.into()),
            rescued: tr.number(i.details.rescued.into()),
        })
        .collect();
    let page = ListPage {
        frame: Frame::new(chosen, &user, "/incidents"),
        kinds: IncidentKind::ALL
            .iter()
            .map(|k| (k.code(), kind_words(&tr, *k)))
            .collect(),
        kind: kind.map(|k| k.code().to_owned()).unwrap_or_default(),
        from: from.map(|d| d.to_string()).unwrap_or_default(),
        to: to.map(|d| d.to_string()).unwrap_or_default(),
        lines,
        may_record: user.can(Action::Create, Resource::Incident),
    };
    render(chosen, &page)
}

/// What the incident form holds, as typed.
#[derive(Debug, Default, Deserialize)]
pub(super) struct IncidentForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    occurred_on: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    route: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    vessel: String,
    #[serde(default)]
    persons_aboard: String,
    #[serde(default)]
    rescued: String,
    #[serde(default)]
    dead: String,
    #[serde(default)]
    missing: String,
    #[serde(default, rename = "survivors.female")]
    female: String,
    #[serde(default, rename = "survivors.male")]
    male: String,
    #[serde(default, rename = "survivors.children")]
    children: String,
    #[serde(default)]
    cause: String,
    #[serde(default)]
    origin_countries: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    source_quality: String,
    #[serde(default)]
    source_url: String,
}

#[derive(Template)]
#[template(path = "care-incident-new.html")]
struct NewPage {
    frame: Frame,
    kinds: Vec<(&'static str, String)>,
    qualities: Vec<(&'static str, String)>,
    form: IncidentForm,
    problems: Problems,
}

fn new_page(chosen: Chosen, user: &User, form: IncidentForm, problems: Problems) -> Response {
    let tr = chosen.tr();
    let page = NewPage {
        frame: Frame::new(chosen, user, "/incidents/new"),
        kinds: IncidentKind::ALL
            .iter()
            .map(|k| (k.code(), kind_words(&tr, *k)))
            .collect(),
        qualities: SourceQuality::ALL
            .iter()
            .map(|q| (q.code(), quality_words(&tr, *q)))
            .collect(),
        form,
        problems,
    };
    render(chosen, &page)
}

pub(super) async fn new(chosen: Chosen, user: User) -> Response {
    if !user.can(Action::Create, Resource::Incident) {
        return failed(
            chosen,
            &user,
            ApiError::Forbidden(chosen.tr().t("care-may-not-record")),
        );
    }
    new_page(chosen, &user, IncidentForm::default(), Problems::default())
}

/// Zero when left empty: the counts are minimums, and none known is none.
fn count(s: &str) -> serde_json::Value {
    match number(s) {
        serde_json::Value::Null => serde_json::Value::from(0),
        v => v,
    }
}

pub(super) async fn create(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Form(form): Form<IncidentForm>,
) -> Response {
    if let Err(e) = user.check(&form.csrf) {
        return failed(chosen, &user, e);
    }
    let country = form.country.trim().to_uppercase();
    let value = serde_json::json!({
        "kind": form.kind,
        "occurred_on": form.occurred_on.trim(),
        "location": text(&form.location),
        "route": text(&form.route),
        "country": text(&country),
        "vessel": text(&form.vessel),
        "persons_aboard": number(&form.persons_aboard),
        "rescued": count(&form.rescued),
        "dead": count(&form.dead),
        "missing": count(&form.missing),
        "survivors": {
            "female": count(&form.female),
            "male": count(&form.male),
            "children": count(&form.children),
        },
        "cause": text(&form.cause),
        "origin_countries": list_of(&form.origin_countries.to_uppercase()),
        "source": form.source,
        "source_quality": form.source_quality,
        "source_url": text(&form.source_url),
    });
    let done = match from_value("", value) {
        Ok(details) => {
            passage_server::api::incidents::create(
                State(app.clone()),
                Caller(user.p.clone()),
                Body(details),
            )
            .await
        }
        Err(e) => Err(e),
    };
    match done {
        Ok((_, _, i)) => Redirect::to(&format!("/incidents/{}", i.0.meta.id)).into_response(),
        Err(e) => match Problems::of(e) {
            Ok(problems) => new_page(chosen, &user, form, problems),
            Err(e) => failed(chosen, &user, e),
        },
    }
}

#[derive(Template)]
#[template(path = "care-incident.html")]
struct ShowPage {
    frame: Frame,
    title: String,
    facts: Vec<(String, String)>,
}

pub(super) async fn show(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Path(id): Path<Uuid>,
) -> Response {
    let tr = chosen.tr();
    let i = match passage_server::api::incidents::read(
        State(app.clone()),
        Caller(user.p.clone()),
        passage_server::extract::Id(id),
    )
    .await
    {
        Ok(i) => i.0,
        Err(e) => return failed(chosen, &user, e),
    };
    let d = &i.details;
    let n = |v: u32| tr.number(v.into());
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut facts = vec![
        (tr.t("care-incident-kind"), kind_words(&tr, d.kind)),
        (tr.t("care-occurred-on"), tr.date(d.occurred_on)),
        (tr.t("care-route"), opt(&d.route)),
        (tr.t("care-location"), opt(&d.location)),
        (
            tr.t("care-country"),
            d.country
                .as_ref()
                .map(|c| c.to_string())
                .unwrap_or_default(),
        ),
        (
            tr.t("care-coordinates"),
            d.coordinates
                .map(|c| format!("{:.4}, {:.4}", c.latitude, c.longitude))
                .unwrap_or_default(),
        ),
        (tr.t("care-vessel"), opt(&d.vessel)),
        (
            tr.t("care-persons-aboard"),
            d.persons_aboard.map(n).unwrap_or_default(),
        ),
        (tr.t("care-rescued"), n(d.rescued)),
        (tr.t("care-dead"), n(d.dead)),
        (tr.t("care-missing"), n(d.missing)),
        (tr.t("care-survivors-female"), n(d.survivors.female)),
        (tr.t("care-survivors-male"), n(d.survivors.male)),
        (tr.t("care-survivors-children"), n(d.survivors.children)),
        (tr.t("care-cause"), opt(&d.cause)),
        (
            tr.t("care-origin-countries"),
            d.origin_countries
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (tr.t("care-source"), d.source.clone()),
        (
            tr.t("care-source-quality"),
            quality_words(&tr, d.source_quality),
        ),
        (tr.t("care-source-url"), opt(&d.source_url)),
        (tr.t("care-recorded-by"), i.recorded_by.clone()),
        (
            tr.t("care-arrivals-produced"),
            tr.number(i.arrival_ids.len() as u64),
        ),
    ];
    facts.retain(|(_, v)| !v.is_empty());
    let page = ShowPage {
        frame: Frame::new(chosen, &user, format!("/incidents/{id}")),
        title: format!("{} · {}", kind_words(&tr, d.kind), tr.date(d.occurred_on)),
        facts,
    };
    render(chosen, &page)
}
