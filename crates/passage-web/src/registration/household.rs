//! `/households/{id}`: a household (number, level, kind, size, counts, members), the
//! form to register its members one by one (level 2) through the API's handler with
//! the same duplicate guard as the desk, and its printable token (QR code).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use passage_domain::access::{Action, Resource};
use passage_domain::household::{MemberDetails, NotDuplicates, Relationship};
use passage_domain::person::RegistrationLevel;
use passage_domain::record::Household;
use passage_server::AppState;
use passage_server::api::households::AddMembers;
use passage_server::auth::Caller;
use passage_server::extract::{Body, Id};
use passage_server::problem::ApiError;
use uuid::Uuid;

use super::{CandidateView, Fields, PersonForm, bracket_names, breakdown_rows};
use crate::form::Problems;
use crate::frame::{Chosen, Frame, User, failed, render};
use crate::i18n::Tr;

/// A member as the household page lists it: (person id, number, relationship, name).
type MemberRow = (String, String, String, String);

#[derive(Template)]
#[template(path = "registration-household.html")]
struct HouseholdPage {
    frame: Frame,
    id: String,
    arrival_id: String,
    number: String,
    level: String,
    kind: String,
    size: String,
    brackets: Vec<String>,
    rows: Vec<(String, Vec<String>)>,
    other_sex: String,
    members: Vec<MemberRow>,
    /// Members not yet registered one by one.
    missing: String,
    can_add: bool,
    can_shelter: bool,
    version: i64,
    relationship: String,
    relationships: Vec<(&'static str, String)>,
    person: PersonForm,
    sexes: Vec<(&'static str, String)>,
    problems: Problems,
    candidates: Vec<CandidateView>,
    reason: String,
}

/// A relationship to the head in words.
pub(crate) fn relationship_word(tr: Tr, r: Relationship) -> String {
    tr.t(&format!("reg-rel-{}", r.code().replace('_', "-")))
}

/// The registration level in words.
pub(crate) fn level_word(tr: Tr, l: RegistrationLevel) -> String {
    tr.t(match l {
        RegistrationLevel::Emergency => "reg-level-1",
        RegistrationLevel::Individual => "reg-level-2",
        RegistrationLevel::Full => "reg-level-3",
    })
}

/// What the member form held, and why it was refused.
struct Typed {
    relationship: String,
    person: PersonForm,
    declared: Vec<Uuid>,
    reason: String,
    problems: Problems,
    candidates: Vec<CandidateView>,
}

async fn household_of(app: &AppState, user: &User, id: &str) -> Result<Household, ApiError> {
    let not_found = || ApiError::not_found(format!("household {id}"));
    let id = Uuid::parse_str(id).map_err(|_| not_found())?;
    app.store
        .household(&user.p, id)
        .await?
        .ok_or_else(not_found)
}

fn draw(chosen: Chosen, user: &User, h: &Household, mut typed: Typed) -> Response {
    let tr = chosen.tr();
    typed.person.keep_problems(&typed.problems);
    typed.person.focus &= typed.candidates.is_empty();
    let registered = u32::try_from(h.members.len()).unwrap_or(u32::MAX);
    let page = HouseholdPage {
        frame: Frame::new(chosen, user, format!("/households/{}", h.meta.id)),
        id: h.meta.id.to_string(),
        arrival_id: h.arrival_id.to_string(),
        number: h.registration_number.to_string(),
        level: level_word(tr, h.registration_level),
        kind: tr.t(&format!("reg-kind-{}", h.kind.code())),
        size: tr.number(u64::from(h.size)),
        brackets: bracket_names(tr),
        rows: breakdown_rows(tr, &h.breakdown),
        other_sex: tr.number(u64::from(h.breakdown.x_total)),
        members: h
            .members
            .iter()
            .map(|m| {
                (
                    m.person_id.to_string(),
                    m.registration_number.to_string(),
                    relationship_word(tr, m.relationship),
                    m.name.clone(),
                )
            })
            .collect(),
        missing: tr.number(u64::from(h.size.saturating_sub(registered))),
        can_add: user.can(Action::Update, Resource::Household) && registered < h.size,
        can_shelter: user.can(Action::Create, Resource::Stay),
        version: h.meta.version,
        relationship: typed.relationship,
        relationships: Relationship::ALL
            .into_iter()
            .filter(|r| *r != Relationship::Head)
            .map(|r| (r.code(), relationship_word(tr, r)))
            .collect(),
        person: typed.person,
        sexes: super::desk::sexes(tr),
        problems: typed.problems,
        candidates: typed.candidates,
        reason: typed.reason,
    };
    render(chosen, &page)
}

/// The household page.
pub(crate) async fn page(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Path(id): Path<String>,
) -> Response {
    let h = match household_of(&app, &user, &id).await {
        Ok(h) => h,
        Err(e) => return failed(chosen, &user, e),
    };
    let typed = Typed {
        relationship: "child".into(),
        person: PersonForm::empty("members[0].person", false),
        declared: Vec::new(),
        reason: String::new(),
        problems: Problems::default(),
        candidates: Vec::new(),
    };
    draw(chosen, &user, &h, typed)
}

/// Registers one member through the API; back to the household.
pub(crate) async fn add(
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
    let h = match household_of(&app, &user, &id).await {
        Ok(h) => h,
        Err(e) => return failed(chosen, &user, e),
    };
    let tr = chosen.tr();
    let mut typed = Typed {
        relationship: fields.get("relationship").trim().to_owned(),
        person: PersonForm::read(&fields, "members[0].person"),
        declared: fields
            .all("not_duplicate")
            .filter_map(|v| Uuid::parse_str(v).ok())
            .collect(),
        reason: fields.get("not_duplicate_reason").trim().to_owned(),
        problems: Problems::default(),
        candidates: Vec::new(),
    };
    let mut problems = Problems::default();
    let person = typed.person.details(tr, app.clock.today(), &mut problems);
    let relationship = Relationship::from_code(&typed.relationship);
    if relationship.is_none() {
        problems.0.push((
            "members[0].relationship".into(),
            tr.t("reg-problem-relationship"),
        ));
    }
    // The version the page showed: without it a change made meanwhile would be overwritten.
    let version = fields.get("version").parse::<i64>().ok();
    if version.is_none() {
        problems.0.push((String::new(), tr.t("form-out-of-date")));
    }
    let (Some(person), Some(relationship), Some(version)) = (person, relationship, version) else {
        typed.problems = problems;
        return draw(chosen, &user, &h, typed);
    };
    let declared = !typed.declared.is_empty() && !typed.reason.is_empty();
    if !typed.declared.is_empty() && typed.reason.is_empty() {
        problems
            .0
            .push(("not_duplicates.reason".into(), tr.t("reg-problem-reason")));
    }
    let body = AddMembers {
        version,
        members: vec![MemberDetails {
            relationship,
            person,
        }],
        not_duplicates: declared.then(|| NotDuplicates {
            person_ids: typed.declared.clone(),
            reason: typed.reason.clone(),
        }),
    };
    let done = passage_server::api::households::add_members(
        State(app.clone()),
        Caller(user.p.clone()),
        Id(h.meta.id),
        Body(body),
    )
    .await;
    match done {
        Ok(_) => Redirect::to(&format!("/households/{}", h.meta.id)).into_response(),
        Err(ApiError::LikelyDuplicate(_, found)) => {
            typed.candidates = found
                .iter()
                .map(|c| CandidateView::of(tr, c, typed.declared.contains(&c.person_id)))
                .collect();
            typed.problems = problems;
            draw(chosen, &user, &h, typed)
        }
        Err(other) => match Problems::of(other) {
            Ok(mut more) => {
                more.0.extend(problems.0);
                typed.problems = more;
                draw(chosen, &user, &h, typed)
            }
            Err(e) => failed(chosen, &user, e),
        },
    }
}
