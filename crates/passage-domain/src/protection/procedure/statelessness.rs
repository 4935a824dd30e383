//! Statelessness determination: application, interview, decision, notification, an
//! appeal against a finding of not stateless, and the final decision.

use super::{Effect, Machine, Outcome, ProcedureKind, Transition as T};
use crate::person::PopulationType;

const FINDINGS: &[Outcome] = &[Outcome::Stateless, Outcome::NotStateless];

pub(super) static MACHINE: Machine = Machine {
    kind: ProcedureKind::Statelessness,
    initial: "application",
    states: &[
        "application",
        "interviewed",
        "decided",
        "notified",
        "appeal_pending",
        "final",
        "withdrawn",
    ],
    closed: &["final", "withdrawn"],
    transitions: &[
        T::new("application", "interview", "interviewed"),
        T::new("application", "withdraw", "withdrawn"),
        T::new("interviewed", "decide", "decided").records(FINDINGS),
        T::new("interviewed", "withdraw", "withdrawn"),
        T::new("decided", "notify", "notified"),
        // An appeal lies against a finding of not stateless only.
        T::new("notified", "appeal", "appeal_pending").when(&[Outcome::NotStateless]),
        T::new("notified", "finalise", "final"),
        T::new("appeal_pending", "decide_appeal", "decided").records(FINDINGS),
    ],
};

/// A final finding of statelessness makes the person stateless in the population figures.
pub(super) fn effect(event: &str, outcome: Option<Outcome>) -> Effect {
    let population_type = (event == "finalise" && outcome == Some(Outcome::Stateless))
        .then_some(Some(PopulationType::STA));
    Effect {
        population_type,
        add_flags: Vec::new(),
    }
}
