//! `/arrivals/{id}`: the registration desk of one arrival. A level-1 household (its
//! head, size and counts by sex and age) in one keyboard pass, registered through the
//! API's handler; a likely duplicate comes back with its candidates and why, and the
//! clerk declares them other people with a reason. Below: the households so far.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use passage_domain::access::{Action, Resource};
use passage_domain::household::{Breakdown, GroupKind, HouseholdRegistration, NotDuplicates};
use passage_domain::record::Arrival;
use passage_server::AppState;
use passage_server::auth::Caller;
use passage_server::extract::Body;
use passage_server::problem::ApiError;
use passage_store::HouseholdFilter;
use serde::Deserialize;
use uuid::Uuid;

use super::{CandidateView, Fields, PersonForm, all_households, bracket_names};
use crate::form::Problems;
use crate::frame::{Chosen, Frame, User, failed, render};
use crate::i18n::Tr;

/// The count cells of the level-1 form: (sex row, its cells as (field, bracket index)).
const CELLS: [[&str; 5]; 2] = [
    ["f_0_4", "f_5_11", "f_12_17", "f_18_59", "f_60"],
    ["m_0_4", "m_5_11", "m_12_17", "m_18_59", "m_60"],
];

/// One count input: its field name, its label (sex and bracket) and the value typed.
pub(crate) struct Cell {
    pub name: &'static str,
    pub label: String,
    pub value: String,
}

/// One household registered from the arrival, as the desk lists it.
pub(crate) struct HouseholdRow {
    pub id: String,
    pub number: String,
    pub head: String,
    pub size: String,
}

#[derive(Template)]
#[template(path = "registration-desk.html")]
struct DeskPage {
    frame: Frame,
    arrival_id: String,
    /// Site, day and mode of the arrival.
    arrival: String,
    can_register: bool,
    person: PersonForm,
    sexes: Vec<(&'static str, String)>,
    kind: String,
    kinds: Vec<(&'static str, String)>,
    size: String,
    brackets: Vec<String>,
    rows: Vec<(String, Vec<Cell>)>,
    problems: Problems,
    candidates: Vec<CandidateView>,
    reason: String,
    /// The household just registered: (id, number).
    saved: Option<(String, String)>,
    households: Vec<HouseholdRow>,
    /// How many households the arrival has, in words, when more than are listed.
    count: Option<String>,
}

/// Most households the desk lists, newest first.
const LISTED: usize = 50;

#[derive(Deserialize)]
pub(crate) struct Saved {
    saved: Option<Uuid>,
}

/// The sexes a person can be recorded with: (code, words).
pub(crate) fn sexes(tr: Tr) -> Vec<(&'static str, String)> {
    use passage_domain::person::Sex;
    [Sex::F, Sex::M, Sex::X, Sex::U]
        .into_iter()
        .map(|s| (s.code(), super::sex_word(tr, s)))
        .collect()
}

/// What the desk form holds besides the head.
struct Typed {
    person: PersonForm,
    kind: String,
    size: String,
    counts: Vec<String>,
    declared: Vec<Uuid>,
    reason: String,
    /// What refused the last submission, and the likely duplicates it found.
    problems: Problems,
    candidates: Vec<CandidateView>,
}

impl Typed {
    fn empty() -> Self {
        Self {
            person: PersonForm::empty("head", true),
            kind: "family".into(),
            size: String::new(),
            counts: vec![String::new(); 10],
            declared: Vec::new(),
            reason: String::new(),
            problems: Problems::default(),
            candidates: Vec::new(),
        }
    }

    fn read(fields: &Fields) -> Self {
        Self {
            person: PersonForm::read(fields, "head"),
            kind: fields.get("kind").trim().to_owned(),
            size: fields.get("size").trim().to_owned(),
            counts: CELLS
                .iter()
                .flatten()
                .map(|n| fields.get(n).trim().to_owned())
                .collect(),
            declared: fields
                .all("not_duplicate")
                .filter_map(|v| Uuid::parse_str(v).ok())
                .collect(),
            reason: fields.get("not_duplicate_reason").trim().to_owned(),
            problems: Problems::default(),
            candidates: Vec::new(),
        }
    }
}

async fn arrival_of(app: &AppState, user: &User, id: &str) -> Result<Arrival, ApiError> {
    let not_found = || ApiError::not_found(format!("arrival {id}"));
    let id = Uuid::parse_str(id).map_err(|_| not_found())?;
    app.store.arrival(&user.p, id).await?.ok_or_else(not_found)
}

async fn draw(
    app: &AppState,
    chosen: Chosen,
    user: &User,
    arrival: &Arrival,
    mut typed: Typed,
    saved: Option<Uuid>,
) -> Result<Response, ApiError> {
    let tr = chosen.tr();
    let site = app
        .store
        .site(&user.p, arrival.details.site_id)
        .await?
        .map_or_else(|| tr.t("reg-unknown"), |s| s.details.name);
    let filter = HouseholdFilter {
        arrival_id: Some(arrival.meta.id),
        ..HouseholdFilter::default()
    };
    let mut households = all_households(app, &user.p, &filter).await?;
    // Newest first; a batch saved at once by its numbers, last issued first.
    households.sort_by_cached_key(|h| {
        std::cmp::Reverse((h.meta.created_at, h.registration_number.to_string()))
    });
    let saved = saved.and_then(|id| {
        households
            .iter()
            .find(|h| h.meta.id == id)
            .map(|h| (id.to_string(), h.registration_number.to_string()))
    });
    let count = (households.len() > LISTED).then(|| {
        tr.with(
            "reg-desk-count",
            &[
                ("count", tr.number(households.len() as u64).into()),
                ("listed", tr.number(LISTED as u64).into()),
            ],
        )
    });
    let households = households
        .iter()
        .take(LISTED)
        .map(|h| HouseholdRow {
            id: h.meta.id.to_string(),
            number: h.registration_number.to_string(),
            head: h
                .members
                .iter()
                .find(|m| m.person_id == h.head_person_id)
                .map_or_else(|| tr.t("reg-unknown"), |m| m.name.clone()),
            size: tr.number(u64::from(h.size)),
        })
        .collect();
    let brackets = bracket_names(tr);
    let sex_rows = [tr.t("sex-f"), tr.t("sex-m")];
    let rows = CELLS
        .iter()
        .zip(sex_rows)
        .enumerate()
        .map(|(r, (names, sex))| {
            let cells = names
                .iter()
                .enumerate()
                .map(|(i, name)| Cell {
                    name,
                    label: format!("{sex} {}", brackets[i]),
                    value: typed.counts[r * 5 + i].clone(),
                })
                .collect();
            (sex, cells)
        })
        .collect();
    typed.person.keep_problems(&typed.problems);
    // With likely duplicates, the cursor goes to the first decision to make.
    typed.person.focus &= typed.candidates.is_empty();
    let page = DeskPage {
        frame: Frame::new(chosen, user, format!("/arrivals/{}", arrival.meta.id)),
        arrival_id: arrival.meta.id.to_string(),
        arrival: format!(
            "{site} · {} · {}",
            tr.date(arrival.details.arrived_at.date()),
            super::arrivals::mode_word(chosen, arrival.details.mode)
        ),
        can_register: user.can(Action::Create, Resource::Household),
        person: typed.person,
        sexes: sexes(tr),
        kind: typed.kind,
        kinds: [GroupKind::Family, GroupKind::Group]
            .into_iter()
            .map(|k| (k.code(), tr.t(&format!("reg-kind-{}", k.code()))))
            .collect(),
        size: typed.size,
        brackets: brackets[..5].to_vec(),
        rows,
        problems: typed.problems,
        candidates: typed.candidates,
        reason: typed.reason,
        saved,
        households,
        count,
    };
    Ok(render(chosen, &page))
}

/// The desk: the form for the next household and the households registered so far.
pub(crate) async fn page(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Path(id): Path<String>,
    Query(q): Query<Saved>,
) -> Response {
    let shown = async {
        let arrival = arrival_of(&app, &user, &id).await?;
        draw(&app, chosen, &user, &arrival, Typed::empty(), q.saved).await
    };
    shown.await.unwrap_or_else(|e| failed(chosen, &user, e))
}

/// The counts typed, or the problem with them; None when none was typed.
fn breakdown(tr: Tr, counts: &[String], problems: &mut Problems) -> Option<Breakdown> {
    if counts.iter().all(String::is_empty) {
        return None;
    }
    let mut n = [0u32; 10];
    for (cell, typed) in n.iter_mut().zip(counts) {
        match typed.parse::<u32>() {
            Ok(v) => *cell = v,
            Err(_) if typed.is_empty() => {}
            Err(_) => {
                problems
                    .0
                    .push(("breakdown".into(), tr.t("reg-problem-count")));
                return None;
            }
        }
    }
    Some(Breakdown {
        f_0_4: n[0],
        f_5_11: n[1],
        f_12_17: n[2],
        f_18_59: n[3],
        f_60: n[4],
        m_0_4: n[5],
        m_5_11: n[6],
        m_12_17: n[7],
        m_18_59: n[8],
        m_60: n[9],
        ..Breakdown::default()
    })
}

/// Registers the household through the API; back to the desk for the next one.
pub(crate) async fn register(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(fields);
    if let Err(e) = user.check(fields.get("csrf")) {
        return failed(chosen, &user, e);
    }
    let arrival = match arrival_of(&app, &user, &id).await {
        Ok(a) => a,
        Err(e) => return failed(chosen, &user, e),
    };
    let tr = chosen.tr();
    let mut typed = Typed::read(&fields);
    let mut problems = Problems::default();
    let head = typed.person.details(tr, app.clock.today(), &mut problems);
    let kind = GroupKind::from_code(&typed.kind);
    if kind.is_none() {
        problems.0.push(("kind".into(), tr.t("reg-problem-kind")));
    }
    let counts = breakdown(tr, &typed.counts, &mut problems);
    let size = match typed.size.as_str() {
        "" => Some(counts.map(|b| b.total())),
        s => s.parse::<u32>().ok().map(Some),
    };
    if size.is_none() {
        problems.0.push(("size".into(), tr.t("reg-problem-count")));
    }
    let (Some(head), Some(kind), Some(size)) = (head, kind, size) else {
        typed.problems = problems;
        return draw(&app, chosen, &user, &arrival, typed, None)
            .await
            .unwrap_or_else(|e| failed(chosen, &user, e));
    };
    // A box ticked without a reason: the reason is asked for, the candidates shown again.
    let declared = !typed.declared.is_empty() && !typed.reason.is_empty();
    if !typed.declared.is_empty() && typed.reason.is_empty() {
        problems
            .0
            .push(("not_duplicates.reason".into(), tr.t("reg-problem-reason")));
    }
    let registration = HouseholdRegistration {
        arrival_id: arrival.meta.id,
        kind,
        size,
        breakdown: counts,
        head,
        members: Vec::new(),
        legal_basis: None,
        purposes: None,
        not_duplicates: declared.then(|| NotDuplicates {
            person_ids: typed.declared.clone(),
            reason: typed.reason.clone(),
        }),
    };
    let done = passage_server::api::households::create(
        State(app.clone()),
        Caller(user.p.clone()),
        Body(registration),
    )
    .await;
    let refused = match done {
        Ok((_, _, axum::Json(h))) => {
            let to = format!("/arrivals/{}?saved={}", arrival.meta.id, h.meta.id);
            return Redirect::to(&to).into_response();
        }
        Err(e) => e,
    };
    let (problems, candidates) = match refused {
        ApiError::LikelyDuplicate(_, found) => {
            let views = found
                .iter()
                .map(|c| CandidateView::of(tr, c, typed.declared.contains(&c.person_id)))
                .collect();
            (problems, views)
        }
        other => match Problems::of(other) {
            Ok(mut more) => {
                more.0.extend(problems.0);
                (more, Vec::new())
            }
            Err(e) => return failed(chosen, &user, e),
        },
    };
    typed.problems = problems;
    typed.candidates = candidates;
    draw(&app, chosen, &user, &arrival, typed, None)
        .await
        .unwrap_or_else(|e| failed(chosen, &user, e))
}
