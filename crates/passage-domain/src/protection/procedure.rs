//! Differentiated procedures as explicit state machines. Each kind of procedure has one
//! table saying which event leads from which state to which, which outcomes the event
//! records, and which earlier outcome it depends on. [`apply`] is the only way a case
//! moves and it reads nothing but the table, so what a caseworker is offered and what
//! Passage accepts cannot drift apart.
//!
//! A return is also held by the non-refoulement guard: [`apply`] asks
//! [`guard::guard`] at every step of a return and refuses to schedule or carry it out
//! while any condition holds.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::guard::{self, Condition, GuardFacts};
use crate::access::Role;
use crate::person::{PopulationType, ProfileFlag};

mod asylum;
mod child_protection;
mod regular_pathway;
mod return_reintegration;
mod statelessness;
mod trafficking;

pub use child_protection::determination_completed;
pub use return_reintegration::GUARDED;

coded! {
    /// The procedures a person can be in; several at once (an asylum-seeker can also be in a
    /// trafficking procedure), each in its own case.
    pub enum ProcedureKind {
        /// Refugee status determination.
        Asylum => "asylum",
        /// Identification and protection of a victim of trafficking.
        Trafficking => "trafficking",
        /// Best interests procedure for an unaccompanied or separated child.
        ChildProtection => "child_protection",
        /// Return and reintegration, voluntary or not.
        Return => "return",
        /// Statelessness determination.
        Statelessness => "statelessness",
        /// A regular pathway: labour, family or study.
        RegularPathway => "regular_pathway",
    }
}

impl ProcedureKind {
    /// The table this kind of procedure follows.
    pub fn machine(self) -> &'static Machine {
        match self {
            Self::Asylum => &asylum::MACHINE,
            Self::Trafficking => &trafficking::MACHINE,
            Self::ChildProtection => &child_protection::MACHINE,
            Self::Return => &return_reintegration::MACHINE,
            Self::Statelessness => &statelessness::MACHINE,
            Self::RegularPathway => &regular_pathway::MACHINE,
        }
    }

    /// The caseworker role that handles this kind of case.
    pub fn handled_by(self) -> Role {
        match self {
            Self::Asylum | Self::Statelessness => Role::AsylumCaseworker,
            Self::Trafficking => Role::TraffickingCaseworker,
            Self::ChildProtection => Role::ChildProtectionCaseworker,
            Self::Return | Self::RegularPathway => Role::ReturnCaseworker,
        }
    }
}

coded! {
    /// What a decision in a procedure found.
    pub enum Outcome {
        /// Recognised as a refugee.
        RecognisedRefugee => "recognised_refugee",
        /// Not a refugee, but in need of international protection all the same.
        ComplementaryProtection => "complementary_protection",
        /// Neither refugee status nor complementary protection.
        Rejected => "rejected",
        /// Identified as a victim of trafficking.
        Identified => "identified",
        /// Not identified as a victim of trafficking.
        NotIdentified => "not_identified",
        /// The victim cooperates with the authorities.
        Cooperates => "cooperates",
        /// The victim does not cooperate; protection does not depend on it.
        DoesNotCooperate => "does_not_cooperate",
        /// Found stateless.
        Stateless => "stateless",
        /// Found not stateless.
        NotStateless => "not_stateless",
        /// A regular pathway was granted.
        Granted => "granted",
        /// A regular pathway was refused.
        Refused => "refused",
    }
}

impl Outcome {
    /// Whether the outcome states where the case stands, and so becomes the case's outcome.
    /// Cooperation is a step inside a trafficking case: recording it must not hide that the
    /// person was identified, on which their protection rests.
    fn is_case_outcome(self) -> bool {
        !matches!(self, Self::Cooperates | Self::DoesNotCooperate)
    }
}

coded! {
    /// The kind of a regular pathway.
    pub enum Pathway {
        Labour => "labour",
        Family => "family",
        Study => "study",
    }
}

/// One row of a procedure table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Transition {
    pub from: &'static str,
    pub event: &'static str,
    pub to: &'static str,
    /// Non-empty: the event records an outcome, one of these. Two rows with the same
    /// `from` and `event` may lead to different states by outcome.
    pub outcomes: &'static [Outcome],
    /// Non-empty: the event is open only when the case's current outcome is one of these
    /// (an appeal lies only against a rejection).
    pub when: &'static [Outcome],
}

impl Transition {
    /// A row with no outcome and no condition.
    pub(crate) const fn new(from: &'static str, event: &'static str, to: &'static str) -> Self {
        Self {
            from,
            event,
            to,
            outcomes: &[],
            when: &[],
        }
    }

    /// The same row, recording one of `outcomes`.
    pub(crate) const fn records(self, outcomes: &'static [Outcome]) -> Self {
        Self { outcomes, ..self }
    }

    /// The same row, open only when the current outcome is one of `when`.
    pub(crate) const fn when(self, when: &'static [Outcome]) -> Self {
        Self { when, ..self }
    }

    /// Whether the row is open to a case whose current outcome is `current`.
    fn opens_for(&self, current: Option<Outcome>) -> bool {
        self.when.is_empty() || current.is_some_and(|o| self.when.contains(&o))
    }
}

/// The table of one kind of procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct Machine {
    pub kind: ProcedureKind,
    /// Where a new case starts.
    pub initial: &'static str,
    pub states: &'static [&'static str],
    /// States in which the case is over; no event leaves them.
    pub closed: &'static [&'static str],
    pub transitions: &'static [Transition],
}

impl Machine {
    /// The events the table has from `state`, in table order, whatever the outcome so far.
    pub fn allowed(&self, state: &str) -> Vec<&'static str> {
        self.events_from(state, |_| true)
    }

    /// The events open from `state` to a case whose current outcome is `outcome`: those of
    /// [`Machine::allowed`] less the ones that depend on another outcome.
    pub fn available(&self, state: &str, outcome: Option<Outcome>) -> Vec<&'static str> {
        self.events_from(state, |t| t.opens_for(outcome))
    }

    pub fn is_closed(&self, state: &str) -> bool {
        self.closed.contains(&state)
    }

    pub fn has_state(&self, state: &str) -> bool {
        self.states.contains(&state)
    }

    fn events_from(&self, state: &str, keep: impl Fn(&Transition) -> bool) -> Vec<&'static str> {
        let mut events: Vec<&'static str> = Vec::new();
        for t in self
            .transitions
            .iter()
            .filter(|t| t.from == state && keep(t))
        {
            if !events.contains(&t.event) {
                events.push(t.event);
            }
        }
        events
    }
}

/// Where a case stands: what [`apply`] needs to know of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CaseState {
    pub kind: ProcedureKind,
    pub state: String,
    /// The outcome of the last decision, if any.
    pub outcome: Option<Outcome>,
}

/// A step that may be taken, and what it changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The state the case moves to.
    pub to: &'static str,
    /// The case's outcome after the step: the one recorded now, or the one it had.
    pub outcome: Option<Outcome>,
    /// What the person's population type becomes, if this step changes it (`Some(None)`
    /// clears it).
    pub population_type: Option<Option<PopulationType>>,
    /// Profile flags this step adds.
    pub add_flags: Vec<ProfileFlag>,
}

/// What a per-kind table says a step does to the person beyond moving the case.
#[derive(Debug, Default)]
struct Effect {
    population_type: Option<Option<PopulationType>>,
    add_flags: Vec<ProfileFlag>,
}

/// Why a step was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("`{event}` is not allowed from `{from}`; allowed now: {}", list(.allowed))]
    NotAllowed {
        kind: ProcedureKind,
        from: String,
        event: String,
        allowed: Vec<&'static str>,
    },
    /// No outcome was given, or one the event does not record.
    #[error("`{event}` needs an outcome, one of: {}", list(&codes(.allowed)))]
    OutcomeRequired {
        event: String,
        allowed: Vec<Outcome>,
    },
    #[error("`{event}` records no outcome; leave it out")]
    OutcomeNotExpected { event: String },
    /// The non-refoulement guard holds.
    #[error("the return is on hold: {}", describe(.conditions))]
    Blocked { conditions: Vec<Condition> },
    #[error("give a reason for this step")]
    ReasonRequired,
}

fn list(items: &[&str]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}

fn codes(outcomes: &[Outcome]) -> Vec<&'static str> {
    outcomes.iter().map(|o| o.code()).collect()
}

fn describe(conditions: &[Condition]) -> String {
    conditions
        .iter()
        .map(Condition::describe)
        .collect::<Vec<_>>()
        .join("; ")
}

/// A new case of `kind`, in its initial state. Opening an asylum claim makes the person an
/// asylum-seeker.
pub fn open(kind: ProcedureKind) -> Applied {
    Applied {
        to: kind.machine().initial,
        outcome: None,
        population_type: (kind == ProcedureKind::Asylum).then_some(Some(PopulationType::ASY)),
        add_flags: Vec::new(),
    }
}

/// Takes `event` on `case`, recording `outcome` where the event records one, for `reason`.
///
/// Refused when the table has no such step from the current state (or the step depends on
/// another outcome), when the outcome is missing, unexpected or not one the event records,
/// when a return would be scheduled or carried out while the guard holds on `facts`, and
/// when `reason` is blank. Nothing is changed here: the caller stores what is returned.
pub fn apply(
    case: &CaseState,
    event: &str,
    outcome: Option<Outcome>,
    reason: &str,
    facts: &GuardFacts,
) -> Result<Applied, TransitionError> {
    let machine = case.kind.machine();
    let state = case.state.as_str();
    let rows: Vec<&Transition> = machine
        .transitions
        .iter()
        .filter(|t| t.from == state && t.event == event && t.opens_for(case.outcome))
        .collect();
    if rows.is_empty() {
        return Err(TransitionError::NotAllowed {
            kind: case.kind,
            from: case.state.clone(),
            event: event.to_owned(),
            allowed: machine.available(state, case.outcome),
        });
    }
    let row = choose(&rows, event, outcome)?;
    if case.kind == ProcedureKind::Return {
        let conditions = guard::guard(facts);
        if GUARDED.contains(&row.to) && !conditions.is_empty() {
            return Err(TransitionError::Blocked { conditions });
        }
    }
    if reason.trim().is_empty() {
        return Err(TransitionError::ReasonRequired);
    }
    let outcome = match outcome {
        Some(o) if o.is_case_outcome() => Some(o),
        _ => case.outcome,
    };
    let effect = match case.kind {
        ProcedureKind::Asylum => asylum::effect(event, outcome),
        ProcedureKind::Trafficking => trafficking::effect(event, outcome),
        ProcedureKind::Statelessness => statelessness::effect(event, outcome),
        ProcedureKind::ChildProtection | ProcedureKind::Return | ProcedureKind::RegularPathway => {
            Effect::default()
        }
    };
    Ok(Applied {
        to: row.to,
        outcome,
        population_type: effect.population_type,
        add_flags: effect.add_flags,
    })
}

/// Among the rows for one event from one state, the one `outcome` selects.
fn choose<'t>(
    rows: &[&'t Transition],
    event: &str,
    outcome: Option<Outcome>,
) -> Result<&'t Transition, TransitionError> {
    let mut recorded: Vec<Outcome> = Vec::new();
    for o in rows.iter().flat_map(|t| t.outcomes.iter().copied()) {
        if !recorded.contains(&o) {
            recorded.push(o);
        }
    }
    let required = || TransitionError::OutcomeRequired {
        event: event.to_owned(),
        allowed: recorded.clone(),
    };
    match outcome {
        None if recorded.is_empty() => rows.first().copied().ok_or_else(required),
        None => Err(required()),
        Some(_) if recorded.is_empty() => Err(TransitionError::OutcomeNotExpected {
            event: event.to_owned(),
        }),
        Some(o) => rows
            .iter()
            .copied()
            .find(|t| t.outcomes.contains(&o))
            .ok_or_else(required),
    }
}
