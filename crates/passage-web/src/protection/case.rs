//! A case's page: its kind and state in words, the person, the steps taken, and only the
//! steps its procedure table allows now, each a form posting to the API's own handler.
//! A return says which conditions of the non-refoulement guard hold it, offers to ask
//! for a condition to be lifted, and shows supervisors the requests they may decide
//! (never their own).

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use passage_domain::access::{Action, Resource};
use passage_domain::protection::case_access::case_access;
use passage_domain::protection::guard::Condition;
use passage_domain::protection::procedure::{GUARDED, Outcome, ProcedureKind};
use passage_domain::protection::records::{Case, HoldLiftDecision, NewHoldLift, TransitionRequest};
use passage_server::AppState;
use passage_server::api::cases as api;
use passage_server::auth::Caller;
use passage_server::extract::{Body, Id};
use passage_server::problem::ApiError;
use serde::Deserialize;
use uuid::Uuid;

use super::{condition_words, event_words, kind_words, record_id, see, state_words};
use crate::form::Problems;
use crate::frame::{Chosen, Frame, User, failed, render};
use crate::i18n::Tr;

/// A step the procedure allows now.
pub struct StepView {
    pub event: String,
    pub words: String,
    /// Outcomes the step records, one to choose: (code, words).
    pub outcomes: Vec<(String, String)>,
    /// The guard holds this step now (it would schedule or carry out the return).
    pub held: bool,
    /// The reason typed before a refusal.
    pub reason: String,
}

/// What a refused request to lift a hold is kept under, before the condition's key.
const LIFT: &str = "lift:";
/// What a refused decision on a request is kept under, before the request's id.
const DECIDE: &str = "decide:";

/// A condition holding the return.
pub struct ConditionView {
    pub key: String,
    pub words: String,
    /// The user may ask for it to be lifted now.
    pub may_ask: bool,
    /// The reason typed for lifting it, when the request was refused.
    pub reason: String,
}

/// A request to lift a hold.
pub struct LiftView {
    pub id: Uuid,
    pub condition: String,
    pub requested_by: String,
    pub reason: Option<String>,
    pub state: String,
    pub decided_by: Option<String>,
    pub decision_reason: Option<String>,
    /// The user may decide it (a supervisor, not the requester, and still waiting).
    pub may_decide: bool,
    /// Waiting, and asked by the user: a second person must decide.
    pub own: bool,
    /// The decision's reason typed, when the decision was refused.
    pub typed: String,
}

#[derive(Template)]
#[template(path = "protection-case.html")]
struct CasePage {
    frame: Frame,
    id: Uuid,
    version: i64,
    kind: String,
    state: String,
    outcome: Option<String>,
    closed: bool,
    person_id: Uuid,
    person: String,
    return_case: bool,
    conditions: Vec<ConditionView>,
    lifts: Vec<LiftView>,
    steps: Vec<StepView>,
    may_step: bool,
    /// (when, from, to, step, outcome, who, reason).
    history: Vec<History>,
    problem: Option<String>,
    /// A step just refused because the guard holds the return: the conditions, in words.
    refused_by_guard: Vec<String>,
}

/// One step taken.
pub struct History {
    pub at: String,
    pub step: String,
    pub to: String,
    pub outcome: Option<String>,
    pub actor: String,
    pub reason: Option<String>,
}

/// What to show again after a refusal.
#[derive(Default)]
struct Again {
    problems: Problems,
    /// The step tried and the reason typed.
    tried: Option<(String, String)>,
}

fn outcome_words(tr: Tr, o: Outcome) -> String {
    tr.t(&format!("case-outcome-{}", o.code()))
}

/// A lift's condition in words: the condition holding now with that key, or by its kind.
fn lift_condition(tr: Tr, key: &str, holding: &[Condition]) -> String {
    if let Some(c) = holding.iter().find(|c| c.key() == key) {
        return condition_words(tr, c);
    }
    match key.split(':').next() {
        Some("fear") => tr.t("guard-unresolved_fear_of_return"),
        Some("code") => tr.t("guard-a-risk-code"),
        _ => key.to_owned(),
    }
}

async fn draw(
    app: &AppState,
    chosen: Chosen,
    user: &User,
    case: Case,
    again: Again,
) -> Result<Response, ApiError> {
    let tr = chosen.tr();
    let person = app
        .store
        .person(&user.p, case.person_id)
        .await?
        .map_or_else(String::new, |p| p.details.display_name());
    let machine = case.kind.machine();
    let may_step = !case.closed && case_access(&user.p, Action::Update, case.kind).is_ok();
    let held_now = !case.blocked_by.is_empty();
    let steps = if may_step {
        machine
            .available(&case.state, case.outcome)
            .into_iter()
            .map(|event| {
                let rows: Vec<_> = machine
                    .transitions
                    .iter()
                    .filter(|t| t.from == case.state && t.event == event)
                    .collect();
                let mut outcomes: Vec<(String, String)> = Vec::new();
                for o in rows.iter().flat_map(|t| t.outcomes.iter()) {
                    if !outcomes.iter().any(|(c, _)| c == o.code()) {
                        outcomes.push((o.code().to_owned(), outcome_words(tr, *o)));
                    }
                }
                let held = case.kind == ProcedureKind::Return
                    && held_now
                    && rows.iter().any(|t| GUARDED.contains(&t.to));
                let reason = match &again.tried {
                    Some((e, r)) if e == event => r.clone(),
                    _ => String::new(),
                };
                StepView {
                    event: event.to_owned(),
                    words: event_words(tr, event),
                    outcomes,
                    held,
                    reason,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let may_ask = user.can(Action::Create, Resource::HoldLift);
    let waiting = |key: &str| {
        case.hold_lifts
            .iter()
            .any(|l| l.condition == key && l.approved.is_none())
    };
    let conditions = case
        .blocked_by
        .iter()
        .map(|c| ConditionView {
            key: c.key(),
            words: condition_words(tr, c),
            may_ask: may_ask && c.liftable() && !waiting(&c.key()),
            reason: match &again.tried {
                Some((tried, r)) if tried.strip_prefix(LIFT) == Some(c.key().as_str()) => r.clone(),
                _ => String::new(),
            },
        })
        .collect();
    let may_decide = user.can(Action::Update, Resource::HoldLift)
        && user
            .p
            .roles
            .contains(&passage_domain::access::Role::Supervisor);
    let lifts = case
        .hold_lifts
        .iter()
        .map(|l| {
            let mine = l.requested_by == user.p.name;
            LiftView {
                id: l.meta.id,
                condition: lift_condition(tr, &l.condition, &case.blocked_by),
                requested_by: l.requested_by.clone(),
                reason: l.request_reason.clone(),
                state: match l.approved {
                    None => tr.t("lift-waiting"),
                    Some(true) => tr.t("lift-approved"),
                    Some(false) => tr.t("lift-refused"),
                },
                decided_by: l.decided_by.clone(),
                decision_reason: l.decision_reason.clone(),
                may_decide: may_decide && !mine && l.approved.is_none(),
                own: mine && l.approved.is_none(),
                typed: match &again.tried {
                    Some((tried, r)) if *tried == format!("{DECIDE}{}", l.meta.id) => r.clone(),
                    _ => String::new(),
                },
            }
        })
        .collect();
    let history = case
        .transitions
        .iter()
        .rev()
        .map(|t| History {
            at: tr.date(t.at.date()),
            step: event_words(tr, &t.event),
            to: state_words(tr, &t.to_state),
            outcome: t.outcome.map(|o| outcome_words(tr, o)),
            actor: t.actor.clone(),
            reason: t.reason.clone(),
        })
        .collect();
    let tried_held = again.tried.as_ref().is_some_and(|(event, _)| {
        machine
            .transitions
            .iter()
            .any(|t| t.from == case.state && t.event == *event && GUARDED.contains(&t.to))
    });
    let refused_by_guard = if tried_held && held_now && !again.problems.is_empty() {
        case.blocked_by
            .iter()
            .map(|c| condition_words(tr, c))
            .collect()
    } else {
        Vec::new()
    };
    let problem = (refused_by_guard.is_empty() && !again.problems.is_empty()).then(|| {
        again
            .problems
            .0
            .iter()
            .map(|(_, m)| m.clone())
            .collect::<Vec<_>>()
            .join("; ")
    });
    let page = CasePage {
        frame: Frame::new(chosen, user, format!("/cases/{}", case.meta.id)),
        id: case.meta.id,
        version: case.meta.version,
        kind: kind_words(tr, case.kind),
        state: state_words(tr, &case.state),
        outcome: case.outcome.map(|o| outcome_words(tr, o)),
        closed: case.closed,
        person_id: case.person_id,
        person,
        return_case: case.kind == ProcedureKind::Return,
        conditions,
        lifts,
        steps,
        may_step,
        history,
        problem,
        refused_by_guard,
    };
    Ok(render(chosen, &page))
}

async fn read(app: &AppState, user: &User, id: Uuid) -> Result<Case, ApiError> {
    let axum::Json(c) = api::read(State(app.clone()), Caller(user.p.clone()), Id(id)).await?;
    Ok(c)
}

/// `GET /cases/{id}`.
pub(super) async fn page(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Path(id): Path<String>,
) -> Response {
    let shown = async {
        let id = record_id(&id, "case")?;
        let case = read(&app, &user, id).await?;
        draw(&app, chosen, &user, case, Again::default()).await
    };
    match shown.await {
        Ok(r) => r,
        Err(e) => failed(chosen, &user, e),
    }
}

/// After a change: on to the case, or the case again with what refused it.
async fn after<T>(
    app: &AppState,
    chosen: Chosen,
    user: &User,
    id: Uuid,
    result: Result<T, ApiError>,
    tried: Option<(String, String)>,
) -> Result<Response, ApiError> {
    match result {
        Ok(_) => Ok(see(format!("/cases/{id}"))),
        Err(e) => {
            let problems = Problems::of(e)?;
            let case = read(app, user, id).await?;
            draw(app, chosen, user, case, Again { problems, tried }).await
        }
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct StepForm {
    csrf: String,
    event: String,
    version: String,
    #[serde(default)]
    reason: String,
    outcome: Option<String>,
}

/// `POST /cases/{id}/transitions`: one step through the API, the guard included.
pub(super) async fn transition(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Path(id): Path<String>,
    Form(form): Form<StepForm>,
) -> Response {
    let done = async {
        user.check(&form.csrf)?;
        let id = record_id(&id, "case")?;
        let asked = async {
            let version = form
                .version
                .trim()
                .parse()
                .map_err(|_| ApiError::invalid("version", "reload the page"))?;
            let outcome = match form.outcome.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(o) => Some(
                    Outcome::from_code(o)
                        .ok_or_else(|| ApiError::invalid("outcome", "choose an outcome"))?,
                ),
            };
            let t = TransitionRequest {
                event: form.event.clone(),
                version,
                reason: form.reason.clone(),
                outcome,
            };
            api::transition(State(app.clone()), Caller(user.p.clone()), Id(id), Body(t)).await
        };
        let result = asked.await;
        after(
            &app,
            chosen,
            &user,
            id,
            result,
            Some((form.event.clone(), form.reason.clone())),
        )
        .await
    };
    match done.await {
        Ok(r) => r,
        Err(e) => failed(chosen, &user, e),
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct LiftForm {
    csrf: String,
    condition: String,
    #[serde(default)]
    reason: String,
}

/// `POST /cases/{id}/hold-lifts`: asks for one condition to be lifted.
pub(super) async fn request_lift(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Path(id): Path<String>,
    Form(form): Form<LiftForm>,
) -> Response {
    let done = async {
        user.check(&form.csrf)?;
        let id = record_id(&id, "case")?;
        let new = NewHoldLift {
            condition: form.condition.clone(),
            reason: form.reason.clone(),
        };
        let result = api::request_lift(
            State(app.clone()),
            Caller(user.p.clone()),
            Id(id),
            Body(new),
        )
        .await;
        let tried = Some((format!("{LIFT}{}", form.condition), form.reason.clone()));
        after(&app, chosen, &user, id, result, tried).await
    };
    match done.await {
        Ok(r) => r,
        Err(e) => failed(chosen, &user, e),
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct DecisionForm {
    csrf: String,
    case_id: String,
    decision: Option<String>,
    #[serde(default)]
    reason: String,
}

/// `POST /hold-lifts/{id}/decision`: a supervisor approves or refuses a request.
pub(super) async fn decide_lift(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Path(id): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Response {
    let done = async {
        user.check(&form.csrf)?;
        let id = record_id(&id, "hold lift")?;
        let case_id = record_id(&form.case_id, "case")?;
        let result = match form.decision.as_deref() {
            Some("approve" | "refuse") => {
                let d = HoldLiftDecision {
                    approve: form.decision.as_deref() == Some("approve"),
                    reason: form.reason.clone(),
                };
                api::decide_lift(State(app.clone()), Caller(user.p.clone()), Id(id), Body(d))
                    .await
                    .map(|_| ())
            }
            _ => Err(ApiError::invalid("decision", "approve or refuse")),
        };
        let tried = Some((format!("{DECIDE}{id}"), form.reason.clone()));
        after(&app, chosen, &user, case_id, result, tried).await
    };
    match done.await {
        Ok(r) => r,
        Err(e) => failed(chosen, &user, e),
    }
}
