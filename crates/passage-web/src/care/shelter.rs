//! `GET /households/{id}/shelter`: where a household could sleep at a site, by the
//! allocation proposal (which unit, or why none), with one form to admit its members to
//! the proposed units or others chosen; and for members already staying, a form to move
//! them to another unit or site with the reason.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use passage_domain::access::{Action, Resource, Role};
use passage_domain::care::records::{Admission, Admissions, Stay, StayChange};
use passage_domain::record::{Household, Site};
use passage_server::AppState;
use passage_server::api::shelter::WARNING_PERCENT;
use passage_server::auth::Caller;
use passage_server::extract::{Body, Id};
use passage_server::problem::ApiError;
use serde::Deserialize;
use uuid::Uuid;

use super::{all_sites, site_label, unit_kind};
use crate::form::{Problems, filled};
use crate::frame::readable;
use crate::frame::{Chosen, Frame, User, failed, render};
use crate::i18n::Tr;

/// A member not staying anywhere: what the proposal says, and the unit picked.
struct Arriving {
    person_id: Uuid,
    number: String,
    name: String,
    /// The unit proposed, in words.
    proposed: Option<String>,
    /// Why the proposal found no bed.
    reason: Option<String>,
    selected: Option<Uuid>,
    companions: u32,
    /// `with 3 members not registered one by one`, when there are.
    with_companions: Option<String>,
    /// The label of the unit choice, naming the person.
    label: String,
    problem: Option<String>,
}

impl Arriving {
    fn picked(&self, id: &Uuid) -> bool {
        self.selected.as_ref() == Some(id)
    }
}

/// A member staying somewhere now.
struct Staying {
    person_id: Uuid,
    number: String,
    name: String,
    /// Where and since when, in words.
    place: String,
    moving: bool,
    /// The stay's version the page shows: a move made meanwhile is not made twice.
    version: i64,
}

/// A unit to choose: id and `Family tent 3 (family tent, 5 beds free)`.
type Choice = (Uuid, String);

#[derive(Template)]
#[template(path = "care-shelter.html")]
struct ShelterPage {
    frame: Frame,
    id: Uuid,
    title: String,
    sites: Vec<(Uuid, String)>,
    site: Option<Uuid>,
    arriving: Vec<Arriving>,
    staying: Vec<Staying>,
    units: Vec<Choice>,
    /// Units of every site for a transfer: (site, its units).
    targets: Vec<(String, Vec<Choice>)>,
    may_override: bool,
    /// Whether the user's roles move people between units.
    may_move: bool,
    admit_problem: Option<String>,
    override_reason: String,
    to_unit: Option<Uuid>,
    reason: String,
    transfer_override: String,
    transfer_problems: Problems,
}

impl ShelterPage {
    fn site_is(&self, id: &Uuid) -> bool {
        self.site.as_ref() == Some(id)
    }

    fn to_unit_is(&self, id: &Uuid) -> bool {
        self.to_unit.as_ref() == Some(id)
    }
}

/// What was typed, to show again with the problems of a refused form.
#[derive(Default)]
struct Typed {
    site: Option<Uuid>,
    selected: HashMap<Uuid, Option<Uuid>>,
    override_reason: String,
    admit_problems: Vec<(Option<Uuid>, String)>,
    moving: Vec<Uuid>,
    to_unit: Option<Uuid>,
    reason: String,
    transfer_override: String,
    transfer_problems: Problems,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct SiteChoice {
    site: Option<String>,
}

/// The units of a site as choices, with their free beds.
async fn choices(
    app: &AppState,
    user: &User,
    tr: &Tr,
    site: Uuid,
) -> Result<Vec<Choice>, ApiError> {
    let units = app.store.units(&user.p, site).await?;
    let occ = app.store.occupancy(&user.p, site, WARNING_PERCENT).await?;
    Ok(units
        .iter()
        .filter(|u| !u.details.closed)
        .map(|u| {
            let free = occ
                .units
                .iter()
                .find(|o| o.unit_id == u.meta.id)
                .map_or(u.details.beds, |o| o.free);
            let label = tr.with(
                "care-unit-choice",
                &[
                    ("name", u.details.name.clone().into()),
                    ("kind", unit_kind(tr, u.details.kind).into()),
                    ("free", tr.number(free.into()).into()),
                ],
            );
            (u.meta.id, label)
        })
        .collect())
}

/// The open stay of a person, if any.
async fn open_stay(app: &AppState, user: &User, person: Uuid) -> Result<Option<Stay>, ApiError> {
    Ok(app
        .store
        .stays_of(&user.p, person)
        .await?
        .unwrap_or_default()
        .into_iter()
        .find(|s| s.departed_at.is_none()))
}

async fn household(app: &AppState, user: &User, id: Uuid) -> Result<Household, ApiError> {
    app.store
        .household(&user.p, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("household {id}")))
}

/// The first site with shelter units, for a household nobody chose a site for yet.
async fn first_with_units(
    app: &AppState,
    user: &User,
    sites: &[Site],
) -> Result<Option<Uuid>, ApiError> {
    for s in sites {
        if !app.store.units(&user.p, s.meta.id).await?.is_empty() {
            return Ok(Some(s.meta.id));
        }
    }
    Ok(None)
}

async fn shelter_page(
    app: &AppState,
    chosen: Chosen,
    user: &User,
    id: Uuid,
    typed: Typed,
) -> Result<Response, ApiError> {
    let tr = chosen.tr();
    let h = household(app, user, id).await?;
    let may_place = user.can(Action::Create, Resource::Stay);
    let may_move = user.can(Action::Update, Resource::Stay);
    let sites = all_sites(app, user).await?;
    let site = match typed.site {
        Some(s) => Some(s),
        None if may_place => first_with_units(app, user, &sites).await?,
        None => None,
    };
    let mut staying = Vec::new();
    let mut not_staying = Vec::new();
    let mut unit_names: HashMap<Uuid, String> = HashMap::new();
    for s in &sites {
        for u in readable(app.store.units(&user.p, s.meta.id).await)?.unwrap_or_default() {
            unit_names.insert(u.meta.id, u.details.name);
        }
    }
    for m in &h.members {
        match open_stay(app, user, m.person_id).await? {
            Some(stay) => staying.push(Staying {
                person_id: m.person_id,
                number: m.registration_number.to_string(),
                name: m.name.clone(),
                place: tr.with(
                    "care-staying-at",
                    &[
                        (
                            "place",
                            format!(
                                "{} · {}",
                                site_label(&sites, stay.site_id),
                                unit_names.get(&stay.unit_id).cloned().unwrap_or_default()
                            )
                            .into(),
                        ),
                        ("since", tr.date(stay.admitted_at.date()).into()),
                    ],
                ),
                moving: typed.moving.is_empty() || typed.moving.contains(&m.person_id),
                version: stay.meta.version,
            }),
            None => not_staying.push(m),
        }
    }
    let mut admit_problem = typed
        .admit_problems
        .iter()
        .filter(|(who, _)| who.is_none())
        .map(|(_, m)| m.clone())
        .reduce(|a, b| format!("{a}; {b}"));
    let mut arriving = Vec::new();
    let mut units = Vec::new();
    if !may_place && !not_staying.is_empty() {
        admit_problem = Some(tr.t("care-may-not-place"));
    }
    if let Some(site) = site
        && may_place
        && !not_staying.is_empty()
    {
        units = choices(app, user, &tr, site).await?;
        let proposal = match app
            .store
            .allocation_proposal(&user.p, site, h.arrival_id)
            .await
        {
            Ok(p) => Some(p.proposal),
            Err(passage_store::StoreError::Refused(m)) => {
                admit_problem = Some(m);
                None
            }
            Err(e) => return Err(e.into()),
        };
        let unregistered = h
            .size
            .saturating_sub(u32::try_from(h.members.len()).unwrap_or(u32::MAX));
        let mut companions_left = if staying.is_empty() { unregistered } else { 0 };
        for m in not_staying {
            let placed = proposal
                .as_ref()
                .and_then(|p| p.placements.iter().find(|x| x.person_id == m.person_id));
            let reason = proposal.as_ref().and_then(|p| {
                p.not_placed
                    .iter()
                    .find(|x| x.person_id == m.person_id)
                    .map(|x| x.reason.clone())
            });
            let companions = match placed {
                Some(x) => x.companions,
                None => std::mem::take(&mut companions_left),
            };
            if placed.is_some_and(|x| x.companions > 0) {
                companions_left = 0;
            }
            arriving.push(Arriving {
                person_id: m.person_id,
                number: m.registration_number.to_string(),
                name: m.name.clone(),
                proposed: placed.map(|x| format!("{} ({})", x.unit_name, unit_kind(&tr, x.kind))),
                reason,
                selected: typed
                    .selected
                    .get(&m.person_id)
                    .copied()
                    .unwrap_or_else(|| placed.map(|x| x.unit_id)),
                companions,
                with_companions: (companions > 0).then(|| {
                    tr.with(
                        "care-with-companions",
                        &[("count", tr.number(companions.into()).into())],
                    )
                }),
                label: tr.with("care-unit-for", &[("name", m.name.clone().into())]),
                problem: typed
                    .admit_problems
                    .iter()
                    .filter(|(who, _)| *who == Some(m.person_id))
                    .map(|(_, p)| p.clone())
                    .reduce(|a, b| format!("{a}; {b}")),
            });
        }
    }
    let mut targets = Vec::new();
    if may_move && !staying.is_empty() {
        for s in &sites {
            let c = choices(app, user, &tr, s.meta.id).await?;
            if !c.is_empty() {
                targets.push((site_label(&sites, s.meta.id), c));
            }
        }
    }
    let head = h
        .members
        .first()
        .map(|m| m.name.clone())
        .unwrap_or_default();
    let page = ShelterPage {
        frame: Frame::new(chosen, user, format!("/households/{id}/shelter")),
        id,
        title: tr.with(
            "care-shelter-title",
            &[
                ("number", h.registration_number.to_string().into()),
                ("head", head.into()),
                ("size", tr.number(h.size.into()).into()),
            ],
        ),
        sites: sites
            .iter()
            .map(|s| (s.meta.id, site_label(&sites, s.meta.id)))
            .collect(),
        site,
        arriving,
        staying,
        units,
        targets,
        may_override: user.p.roles.contains(&Role::SiteManager),
        may_move,
        admit_problem,
        override_reason: typed.override_reason,
        to_unit: typed.to_unit,
        reason: typed.reason,
        transfer_override: typed.transfer_override,
        transfer_problems: typed.transfer_problems,
    };
    Ok(render(chosen, &page))
}

pub(super) async fn page(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Path(id): Path<Uuid>,
    Query(q): Query<SiteChoice>,
) -> Response {
    let typed = Typed {
        site: q
            .site
            .as_deref()
            .and_then(|s| Uuid::parse_str(s.trim()).ok()),
        ..Typed::default()
    };
    shelter_page(&app, chosen, &user, id, typed)
        .await
        .unwrap_or_else(|e| failed(chosen, &user, e))
}

/// The value of a form field sent as `name`.
fn field<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// Which placement a refusal of the API names (`placements[2]: unit … is full`).
fn placement_of(message: &str) -> Option<(usize, String)> {
    let rest = message.strip_prefix("placements[")?;
    let (index, rest) = rest.split_once(']')?;
    let index = index.parse().ok()?;
    Some((index, rest.trim_start_matches(':').trim().to_owned()))
}

pub(super) async fn admit(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Path(id): Path<Uuid>,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    if let Err(e) = user.check(field(&form, "csrf")) {
        return failed(chosen, &user, e);
    }
    let site = Uuid::parse_str(field(&form, "site")).ok();
    let mut typed = Typed {
        site,
        override_reason: field(&form, "override_reason").to_owned(),
        ..Typed::default()
    };
    let mut placements = Vec::new();
    for (k, v) in &form {
        let Some(person) = k
            .strip_prefix("unit-")
            .and_then(|p| Uuid::parse_str(p).ok())
        else {
            continue;
        };
        let unit = Uuid::parse_str(v).ok();
        typed.selected.insert(person, unit);
        if let Some(unit) = unit {
            let companions = field(&form, &format!("companions-{person}"))
                .parse()
                .unwrap_or(0);
            placements.push(Admission {
                person_id: person,
                unit_id: unit,
                companions,
            });
        }
    }
    let admissions = Admissions {
        placements: placements.clone(),
        override_reason: filled(Some(typed.override_reason.clone())),
    };
    let done = passage_server::api::shelter::admit(
        State(app.clone()),
        Caller(user.p.clone()),
        Body(admissions),
    )
    .await;
    match done {
        Ok(_) => {
            let to = site.map_or_else(|| "/sites".to_owned(), |s| format!("/sites/{s}"));
            Redirect::to(&to).into_response()
        }
        Err(e) => match Problems::of(e) {
            Ok(problems) => {
                typed.admit_problems = problems
                    .0
                    .into_iter()
                    .map(|(f, m)| match placement_of(&m) {
                        Some((i, m)) => (placements.get(i).map(|a| a.person_id), m),
                        None if f.is_empty() => (None, m),
                        None => (None, format!("{f}: {m}")),
                    })
                    .collect();
                shelter_page(&app, chosen, &user, id, typed)
                    .await
                    .unwrap_or_else(|e| failed(chosen, &user, e))
            }
            Err(e) => failed(chosen, &user, e),
        },
    }
}

pub(super) async fn transfer(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Path(id): Path<Uuid>,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    if let Err(e) = user.check(field(&form, "csrf")) {
        return failed(chosen, &user, e);
    }
    let tr = chosen.tr();
    let household = match app.store.household(&user.p, id).await {
        Ok(Some(h)) => h,
        Ok(None) => {
            return failed(
                chosen,
                &user,
                ApiError::not_found(format!("household {id}")),
            );
        }
        Err(e) => return failed(chosen, &user, e.into()),
    };
    // Only this household's members move from its page, each at the version shown.
    let moving: Vec<Uuid> = form
        .iter()
        .filter_map(|(k, _)| {
            k.strip_prefix("move-")
                .and_then(|p| Uuid::parse_str(p).ok())
        })
        .filter(|p| household.members.iter().any(|m| m.person_id == *p))
        .collect();
    let mut typed = Typed {
        site: Uuid::parse_str(field(&form, "site")).ok(),
        moving: moving.clone(),
        to_unit: Uuid::parse_str(field(&form, "to_unit")).ok(),
        reason: field(&form, "reason").to_owned(),
        transfer_override: field(&form, "override_reason").to_owned(),
        ..Typed::default()
    };
    let mut problems = Vec::new();
    if moving.is_empty() {
        problems.push(("moving".to_owned(), tr.t("care-pick-someone")));
    }
    if typed.to_unit.is_none() {
        problems.push(("to_unit_id".to_owned(), tr.t("care-pick-unit")));
    }
    let mut moved = Vec::new();
    if problems.is_empty()
        && let Some(to) = typed.to_unit
    {
        for person in &moving {
            let stay = match open_stay(&app, &user, *person).await {
                Ok(Some(s)) => s,
                Ok(None) => continue,
                Err(e) => return failed(chosen, &user, e),
            };
            let Ok(version) = field(&form, &format!("version-{person}")).parse::<i64>() else {
                problems.push((String::new(), tr.t("form-out-of-date")));
                break;
            };
            let change = StayChange {
                version,
                reason: typed.reason.clone(),
                to_unit_id: Some(to),
                override_reason: filled(Some(typed.transfer_override.clone())),
            };
            let done = passage_server::api::shelter::change(
                State(app.clone()),
                Caller(user.p.clone()),
                Id(stay.meta.id),
                Body(change),
            )
            .await;
            match done {
                Ok(s) => moved.push(s.0),
                Err(e) => match Problems::of(e) {
                    Ok(p) => {
                        problems.extend(p.0.into_iter().map(|(f, m)| {
                            let f = if f.is_empty() {
                                "to_unit_id".to_owned()
                            } else {
                                f
                            };
                            (f, m)
                        }));
                        break;
                    }
                    Err(e) => return failed(chosen, &user, e),
                },
            }
        }
    }
    if problems.is_empty() {
        let to = moved.first().map_or_else(
            || format!("/households/{id}/shelter"),
            |s| format!("/sites/{}", s.site_id),
        );
        return Redirect::to(&to).into_response();
    }
    if !moved.is_empty() {
        problems.push((
            String::new(),
            tr.with(
                "care-moved-some",
                &[("count", tr.number(moved.len() as u64).into())],
            ),
        ));
    }
    typed.transfer_problems = Problems(problems);
    shelter_page(&app, chosen, &user, id, typed)
        .await
        .unwrap_or_else(|e| failed(chosen, &user, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_names_its_placement() {
        assert_eq!(
            placement_of("placements[2]: unit Tent 4 is full"),
            Some((2, "unit Tent 4 is full".to_owned()))
        );
        assert_eq!(placement_of("site MNR is closed"), None);
    }
}
