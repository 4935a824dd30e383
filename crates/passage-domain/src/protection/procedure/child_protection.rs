//! The best interests procedure for an unaccompanied or separated child: assessment,
//! determination, family tracing and reunification, and a durable solution.

use super::{Machine, ProcedureKind, Transition as T};

pub(super) static MACHINE: Machine = Machine {
    kind: ProcedureKind::ChildProtection,
    initial: "best_interests_assessment",
    states: &[
        "best_interests_assessment",
        "best_interests_determination",
        "determined",
        "family_tracing",
        "reunification",
        "durable_solution",
        "closed",
    ],
    closed: &["closed"],
    transitions: &[
        T::new(
            "best_interests_assessment",
            "complete_assessment",
            "best_interests_determination",
        ),
        T::new(
            "best_interests_determination",
            "complete_determination",
            "determined",
        ),
        T::new("determined", "start_tracing", "family_tracing"),
        T::new("determined", "plan_solution", "durable_solution"),
        T::new("family_tracing", "family_found", "reunification"),
        T::new("family_tracing", "end_tracing", "durable_solution"),
        T::new("reunification", "reunite", "durable_solution"),
        T::new("durable_solution", "close", "closed"),
    ],
};

/// Whether a best interests determination has been completed by the time a case is in
/// `state`: no decision about a child's return is taken before one.
pub fn determination_completed(state: &str) -> bool {
    matches!(
        state,
        "determined" | "family_tracing" | "reunification" | "durable_solution" | "closed"
    )
}
