//! Identification and protection of a victim of trafficking: identification, a reflection
//! period, assistance, the victim's decision on cooperation, then residence or a safe
//! return.
//!
//! Residence is open whatever the victim decided about cooperating: protection does not
//! depend on cooperation with the authorities.

use super::{Effect, Machine, Outcome, ProcedureKind, Transition as T};
use crate::person::ProfileFlag;

pub(super) static MACHINE: Machine = Machine {
    kind: ProcedureKind::Trafficking,
    initial: "identification",
    states: &[
        "identification",
        "reflection_period",
        "assistance",
        "cooperation_decided",
        "residence",
        "safe_return",
        "closed",
    ],
    closed: &["closed"],
    transitions: &[
        T::new("identification", "identify", "reflection_period").records(&[Outcome::Identified]),
        T::new("identification", "identify", "closed").records(&[Outcome::NotIdentified]),
        T::new("reflection_period", "start_assistance", "assistance"),
        T::new("assistance", "decide_cooperation", "cooperation_decided")
            .records(&[Outcome::Cooperates, Outcome::DoesNotCooperate]),
        T::new("cooperation_decided", "grant_residence", "residence"),
        T::new("cooperation_decided", "arrange_safe_return", "safe_return"),
        T::new("residence", "close", "closed"),
        T::new("safe_return", "close", "closed"),
    ],
};

/// Identification makes the person a trafficking victim in their profile.
pub(super) fn effect(event: &str, outcome: Option<Outcome>) -> Effect {
    let add_flags = if event == "identify" && outcome == Some(Outcome::Identified) {
        vec![ProfileFlag::TraffickingVictim]
    } else {
        Vec::new()
    };
    Effect {
        population_type: None,
        add_flags,
    }
}
