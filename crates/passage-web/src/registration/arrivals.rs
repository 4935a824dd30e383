//! `/arrivals`: the arrivals the clerk can see, newest first, each with the people
//! reported and registered, and a small form to record a new one.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use passage_domain::arrival::{ArrivalDetails, ArrivalMode};
use passage_domain::record::{Arrival, Site};
use passage_server::AppState;
use passage_server::auth::Caller;
use passage_server::extract::Body;
use passage_server::problem::ApiError;
use passage_store::{ArrivalFilter, HouseholdFilter, SiteFilter};
use time::PrimitiveDateTime;
use uuid::Uuid;

use super::{Fields, all_households};
use crate::form::Problems;
use crate::frame::{Chosen, Frame, User, failed, render};

/// One arrival as the list shows it.
pub(crate) struct ArrivalRow {
    pub id: String,
    pub site: String,
    pub when: String,
    pub mode: String,
    pub reported: String,
    pub registered: String,
}

/// What the new-arrival form holds, as typed.
#[derive(Default)]
pub(crate) struct NewArrival {
    pub site_id: String,
    pub mode: String,
    pub arrived_at: String,
    pub persons_reported: String,
    pub route: String,
    pub origin: String,
}

#[derive(Template)]
#[template(path = "registration-arrivals.html")]
struct ArrivalsPage {
    frame: Frame,
    rows: Vec<ArrivalRow>,
    can_create: bool,
    /// The sites an arrival can be recorded at: (id, code and name).
    sites: Vec<(String, String)>,
    /// The modes: (code, name).
    modes: Vec<(&'static str, String)>,
    form: NewArrival,
    problems: Problems,
}

async fn read_all_sites(app: &AppState, user: &User) -> Result<Vec<Site>, ApiError> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = app
            .store
            .sites(
                &user.p,
                &SiteFilter::default(),
                cursor.as_deref(),
                passage_store::sql::MAX_PAGE,
            )
            .await?;
        out.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(out),
        }
    }
}

async fn read_all_arrivals(app: &AppState, user: &User) -> Result<Vec<Arrival>, ApiError> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = app
            .store
            .arrivals(
                &user.p,
                &ArrivalFilter::default(),
                cursor.as_deref(),
                passage_store::sql::MAX_PAGE,
            )
            .await?;
        out.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(out),
        }
    }
}

/// The mode of arrival in words.
pub(crate) fn mode_word(chosen: Chosen, mode: ArrivalMode) -> String {
    chosen.tr().t(match mode {
        ArrivalMode::Sea => "reg-mode-sea",
        ArrivalMode::Land => "reg-mode-land",
        ArrivalMode::Air => "reg-mode-air",
    })
}

async fn draw(
    app: &AppState,
    chosen: Chosen,
    user: &User,
    form: NewArrival,
    problems: Problems,
) -> Result<Response, ApiError> {
    let tr = chosen.tr();
    let sites = read_all_sites(app, user).await?;
    let names: HashMap<Uuid, String> = sites
        .iter()
        .map(|s| {
            (
                s.meta.id,
                format!("{} · {}", s.details.code.as_str(), s.details.name),
            )
        })
        .collect();
    let mut arrivals = read_all_arrivals(app, user).await?;
    arrivals.sort_by_key(|a| std::cmp::Reverse(a.details.arrived_at));
    let mut registered: HashMap<Uuid, u64> = HashMap::new();
    for h in all_households(app, &user.p, &HouseholdFilter::default()).await? {
        *registered.entry(h.arrival_id).or_default() += u64::from(h.size);
    }
    let rows = arrivals
        .iter()
        .map(|a| ArrivalRow {
            id: a.meta.id.to_string(),
            site: names
                .get(&a.details.site_id)
                .cloned()
                .unwrap_or_else(|| tr.t("reg-unknown")),
            when: tr.date(a.details.arrived_at.date()),
            mode: mode_word(chosen, a.details.mode),
            reported: a
                .details
                .persons_reported
                .map_or_else(|| tr.t("reg-unknown"), |n| tr.number(u64::from(n))),
            registered: tr.number(registered.get(&a.meta.id).copied().unwrap_or(0)),
        })
        .collect();
    let page = ArrivalsPage {
        frame: Frame::new(chosen, user, "/arrivals"),
        rows,
        can_create: user.can(
            passage_domain::access::Action::Create,
            passage_domain::access::Resource::Arrival,
        ),
        sites: sites
            .iter()
            .filter(|s| !s.details.closed)
            .map(|s| {
                let name = names.get(&s.meta.id).cloned().unwrap_or_default();
                (s.meta.id.to_string(), name)
            })
            .collect(),
        modes: [ArrivalMode::Sea, ArrivalMode::Land, ArrivalMode::Air]
            .into_iter()
            .map(|m| (m.code(), mode_word(chosen, m)))
            .collect(),
        form,
        problems,
    };
    Ok(render(chosen, &page))
}

/// The list of arrivals and the form to record one.
pub(crate) async fn page(State(app): State<AppState>, chosen: Chosen, user: User) -> Response {
    let form = NewArrival {
        mode: "sea".into(),
        ..NewArrival::default()
    };
    match draw(&app, chosen, &user, form, Problems::default()).await {
        Ok(r) => r,
        Err(e) => failed(chosen, &user, e),
    }
}

/// Records an arrival through the API and opens its desk.
pub(crate) async fn create(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(fields);
    if let Err(e) = user.check(fields.get("csrf")) {
        return failed(chosen, &user, e);
    }
    let tr = chosen.tr();
    let form = NewArrival {
        site_id: fields.get("site_id").trim().to_owned(),
        mode: fields.get("mode").trim().to_owned(),
        arrived_at: fields.get("arrived_at").trim().to_owned(),
        persons_reported: fields.get("persons_reported").trim().to_owned(),
        route: fields.get("route").trim().to_owned(),
        origin: fields.get("origin").trim().to_owned(),
    };
    let mut problems = Problems::default();
    let site_id = Uuid::parse_str(&form.site_id).ok();
    if site_id.is_none() {
        problems
            .0
            .push(("site_id".into(), tr.t("reg-problem-site")));
    }
    let mode = ArrivalMode::from_code(&form.mode);
    if mode.is_none() {
        problems.0.push(("mode".into(), tr.t("reg-problem-mode")));
    }
    let arrived_at = PrimitiveDateTime::parse(
        &form.arrived_at,
        time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]"),
    )
    .ok()
    .map(PrimitiveDateTime::assume_utc);
    if arrived_at.is_none() {
        problems
            .0
            .push(("arrived_at".into(), tr.t("reg-problem-arrived-at")));
    }
    let reported = if form.persons_reported.is_empty() {
        Some(None)
    } else {
        form.persons_reported.parse::<u32>().ok().map(Some)
    };
    if reported.is_none() {
        problems
            .0
            .push(("persons_reported".into(), tr.t("reg-problem-count")));
    }
    let (Some(site_id), Some(mode), Some(arrived_at), Some(persons_reported)) =
        (site_id, mode, arrived_at, reported)
    else {
        return draw(&app, chosen, &user, form, problems)
            .await
            .unwrap_or_else(|e| failed(chosen, &user, e));
    };
    let details = ArrivalDetails {
        site_id,
        mode,
        arrived_at,
        route: crate::form::filled(Some(form.route.clone())),
        origin: crate::form::filled(Some(form.origin.clone())),
        origin_country: None,
        persons_reported,
        incident_id: None,
        notes: None,
    };
    let done = passage_server::api::arrivals::create(
        State(app.clone()),
        Caller(user.p.clone()),
        Body(details),
    )
    .await;
    match done {
        Ok((_, _, axum::Json(arrival))) => {
            Redirect::to(&format!("/arrivals/{}", arrival.meta.id)).into_response()
        }
        Err(e) => match Problems::of(e) {
            Ok(problems) => draw(&app, chosen, &user, form, problems)
                .await
                .unwrap_or_else(|e| failed(chosen, &user, e)),
            Err(e) => failed(chosen, &user, e),
        },
    }
}
