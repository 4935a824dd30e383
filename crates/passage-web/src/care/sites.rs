//! `GET /sites`: every site the user may see with its occupancy per unit type, drawn as a
//! chart; `GET /sites/{id}`: its units and how full each is, a form to add a unit, a form
//! to place a household by its number, and the people staying.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use passage_domain::access::{Action, Resource};
use passage_domain::care::records::SiteOccupancy;
use passage_domain::care::shelter::UnitKind;
use passage_domain::record::Site;
use passage_domain::regno::RegistrationNumber;
use passage_server::AppState;
use passage_server::api::shelter::WARNING_PERCENT;
use passage_server::auth::Caller;
use passage_server::extract::{Body, from_value};
use passage_server::problem::ApiError;
use serde::Deserialize;
use uuid::Uuid;

use super::chart::{Occupancy, Row};
use super::{all_sites, number, unit_kind};
use crate::form::Problems;
use crate::frame::readable;
use crate::frame::{Chosen, Frame, User, failed, render};
use crate::i18n::Tr;

/// One site on the list.
struct SiteCard {
    id: Uuid,
    title: String,
    /// The chart as SVG (drawn by a template that escapes what it shows), if it has units.
    chart: Option<String>,
    summary: String,
    warnings: Vec<String>,
}

#[derive(Template)]
#[template(path = "care-sites.html")]
struct SitesPage {
    frame: Frame,
    sites: Vec<SiteCard>,
}

/// The occupancy of a site as chart rows, one per unit type.
fn chart(tr: &Tr, title: &str, occ: &SiteOccupancy) -> Option<String> {
    if occ.by_kind.is_empty() {
        return None;
    }
    let rows = occ
        .by_kind
        .iter()
        .map(|k| Row {
            label: unit_kind(tr, k.kind),
            occupied: k.occupied,
            beds: k.beds,
            text: taken(tr, k.occupied, k.beds),
        })
        .collect();
    Some(
        Occupancy::new(title, rows, tr.lang.dir() == "rtl")
            .render()
            .unwrap_or_default(),
    )
}

/// `37 of 40 beds taken`, and how many beyond the beds when crowded.
fn taken(tr: &Tr, occupied: u32, beds: u32) -> String {
    let mut text = tr.with(
        "care-beds-taken",
        &[
            ("occupied", tr.number(occupied.into()).into()),
            ("beds", tr.number(beds.into()).into()),
        ],
    );
    if occupied > beds {
        text.push_str(", ");
        text.push_str(&tr.with(
            "care-over-capacity",
            &[("over", tr.number((occupied - beds).into()).into())],
        ));
    }
    text
}

/// The whole site's capacity warning in words (the units' show in their table).
fn warnings(tr: &Tr, occ: &SiteOccupancy) -> Vec<String> {
    occ.warnings
        .iter()
        .filter(|w| w.unit_id.is_none())
        .map(|w| {
            tr.with(
                "care-warning",
                &[
                    ("what", tr.t("care-whole-site").into()),
                    ("percent", tr.number(w.percent.into()).into()),
                    ("taken", taken(tr, w.occupied, w.beds).into()),
                ],
            )
        })
        .collect()
}

fn title(site: &Site) -> String {
    format!("{} · {}", site.details.code.as_str(), site.details.name)
}

pub(super) async fn list(State(app): State<AppState>, chosen: Chosen, user: User) -> Response {
    let drawn = listed(&app, chosen, &user).await;
    drawn.unwrap_or_else(|e| failed(chosen, &user, e))
}

async fn listed(app: &AppState, chosen: Chosen, user: &User) -> Result<Response, ApiError> {
    let tr = chosen.tr();
    let mut cards = Vec::new();
    for site in all_sites(app, user).await? {
        let Some(occ) = readable(
            app.store
                .occupancy(&user.p, site.meta.id, WARNING_PERCENT)
                .await,
        )?
        else {
            return Ok(failed(
                chosen,
                user,
                ApiError::Forbidden(tr.t("care-no-shelter-role")),
            ));
        };
        let title = title(&site);
        cards.push(SiteCard {
            id: site.meta.id,
            chart: chart(&tr, &title, &occ),
            summary: if occ.units.is_empty() {
                tr.t("care-no-units")
            } else {
                taken(&tr, occ.occupied, occ.beds)
            },
            warnings: warnings(&tr, &occ),
            title,
        });
    }
    let page = SitesPage {
        frame: Frame::new(chosen, user, "/sites"),
        sites: cards,
    };
    Ok(render(chosen, &page))
}

/// One unit of the site page.
struct UnitLine {
    name: String,
    kind: String,
    beds: String,
    occupied: String,
    free: String,
    /// Closed, crowded, nearly full: in words.
    state: String,
}

/// One person staying.
struct Guest {
    person_id: Uuid,
    number: String,
    name: String,
    unit: String,
    since: String,
    companions: String,
}

/// What the add-a-unit form holds.
#[derive(Debug, Default, Deserialize)]
pub(super) struct UnitForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    beds: String,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct SiteQuery {
    /// A household's registration number, to place it at this site.
    household: Option<String>,
}

#[derive(Template)]
#[template(path = "care-site.html")]
struct SitePage {
    frame: Frame,
    id: Uuid,
    title: String,
    summary: String,
    chart: Option<String>,
    warnings: Vec<String>,
    units: Vec<UnitLine>,
    /// None when the user's roles do not show who stays.
    guests: Option<Vec<Guest>>,
    may_add: bool,
    may_place: bool,
    kinds: Vec<(&'static str, String)>,
    form: UnitForm,
    problems: Problems,
    household: String,
    household_problem: Option<String>,
}

/// What the forms of the site page hold after a submission: the unit typed and its
/// problems, the household number typed and its problem.
#[derive(Default)]
struct Typed {
    form: UnitForm,
    problems: Problems,
    household: String,
    household_problem: Option<String>,
}

async fn site_page(
    app: &AppState,
    chosen: Chosen,
    user: &User,
    id: Uuid,
    typed: Typed,
) -> Result<Response, ApiError> {
    let Typed {
        form,
        problems,
        household,
        household_problem,
    } = typed;
    let tr = chosen.tr();
    let site = app
        .store
        .site(&user.p, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("site {id}")))?;
    let occ = app.store.occupancy(&user.p, id, WARNING_PERCENT).await?;
    let units = app.store.units(&user.p, id).await?;
    let names: Vec<(Uuid, String)> = units
        .iter()
        .map(|u| (u.meta.id, u.details.name.clone()))
        .collect();
    let lines = units
        .iter()
        .filter_map(|u| {
            let o = occ.units.iter().find(|o| o.unit_id == u.meta.id)?;
            let state = if u.details.closed {
                tr.t("care-unit-closed")
            } else if o.over > 0 {
                tr.with(
                    "care-over-capacity",
                    &[("over", tr.number(o.over.into()).into())],
                )
            } else if o.free == 0 {
                tr.t("care-unit-full")
            } else if let Some(w) = occ.warnings.iter().find(|w| w.unit_id == Some(u.meta.id)) {
                tr.with(
                    "care-nearly-full",
                    &[("percent", tr.number(w.percent.into()).into())],
                )
            } else {
                String::new()
            };
            Some(UnitLine {
                name: u.details.name.clone(),
                kind: unit_kind(&tr, u.details.kind),
                beds: tr.number(o.beds.into()),
                occupied: tr.number(o.occupied.into()),
                free: tr.number(o.free.into()),
                state,
            })
        })
        .collect();
    let guests = readable(app.store.staying_at(&user.p, id).await)?.map(|found| {
        let mut guests: Vec<Guest> = found
            .into_iter()
            .map(|(stay, person)| Guest {
                person_id: person.meta.id,
                number: person.registration_number.to_string(),
                name: person.details.display_name(),
                unit: names
                    .iter()
                    .find(|(u, _)| *u == stay.unit_id)
                    .map(|(_, n)| n.clone())
                    .unwrap_or_default(),
                since: tr.date(stay.admitted_at.date()),
                companions: tr.number(stay.companions.into()),
            })
            .collect();
        guests.sort_by(|a, b| a.unit.cmp(&b.unit).then(a.number.cmp(&b.number)));
        guests
    });
    let title = title(&site);
    let page = SitePage {
        frame: Frame::new(chosen, user, format!("/sites/{id}")),
        id,
        summary: if occ.units.is_empty() {
            tr.t("care-no-units")
        } else {
            taken(&tr, occ.occupied, occ.beds)
        },
        chart: chart(&tr, &title, &occ),
        warnings: warnings(&tr, &occ),
        title,
        units: lines,
        guests,
        may_add: user.can(Action::Create, Resource::ShelterUnit),
        may_place: user.can(Action::Create, Resource::Stay),
        kinds: UnitKind::ALL
            .iter()
            .map(|k| (k.code(), unit_kind(&tr, *k)))
            .collect(),
        form,
        problems,
        household,
        household_problem,
    };
    Ok(render(chosen, &page))
}

pub(super) async fn show(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Path(id): Path<Uuid>,
    Query(q): Query<SiteQuery>,
) -> Response {
    let typed = q.household.unwrap_or_default().trim().to_owned();
    let mut household_problem = None;
    if !typed.is_empty() {
        match RegistrationNumber::parse(&typed) {
            Err(e) => household_problem = Some(e.to_string()),
            Ok(number) => match app.store.household_by_number(&user.p, &number).await {
                Ok(Some(h)) => {
                    return Redirect::to(&format!("/households/{}/shelter?site={id}", h.meta.id))
                        .into_response();
                }
                Ok(None) => {
                    household_problem = Some(chosen.tr().with(
                        "care-no-household",
                        &[("number", number.to_string().into())],
                    ));
                }
                Err(e) => return failed(chosen, &user, e.into()),
            },
        }
    }
    let typed = Typed {
        household: typed,
        household_problem,
        ..Typed::default()
    };
    site_page(&app, chosen, &user, id, typed)
        .await
        .unwrap_or_else(|e| failed(chosen, &user, e))
}

pub(super) async fn add_unit(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Path(id): Path<Uuid>,
    Form(form): Form<UnitForm>,
) -> Response {
    if let Err(e) = user.check(&form.csrf) {
        return failed(chosen, &user, e);
    }
    let value = serde_json::json!({
        "site_id": id,
        "name": form.name,
        "kind": form.kind,
        "beds": number(&form.beds),
    });
    let done = match from_value("", value) {
        Ok(details) => {
            passage_server::api::shelter::create_unit(
                State(app.clone()),
                Caller(user.p.clone()),
                Body(details),
            )
            .await
        }
        Err(e) => Err(e),
    };
    match done {
        Ok(_) => Redirect::to(&format!("/sites/{id}")).into_response(),
        Err(e) => match Problems::of(e) {
            Ok(problems) => site_page(
                &app,
                chosen,
                &user,
                id,
                Typed {
                    form,
                    problems,
                    ..Typed::default()
                },
            )
            .await
            .unwrap_or_else(|e| failed(chosen, &user, e)),
            Err(e) => failed(chosen, &user, e),
        },
    }
}
