//! Return and reintegration: counselling, then informed consent to a voluntary return or a
//! return decision, pre-departure checks, travel document, scheduling, the return itself,
//! arrival, reintegration assistance and follow-up. Until the return is carried out it can
//! be suspended or cancelled.

use super::{Machine, ProcedureKind, Transition as T};

/// The states a return may not enter while the non-refoulement guard holds.
pub const GUARDED: &[&str] = &["scheduled", "executed"];

pub(super) static MACHINE: Machine = Machine {
    kind: ProcedureKind::Return,
    initial: "counselling",
    states: &[
        "counselling",
        "agreed",
        "pre_departure_checked",
        "travel_document_issued",
        "scheduled",
        "executed",
        "arrived",
        "reintegration_assistance",
        "follow_up",
        "closed",
        "suspended",
        "cancelled",
    ],
    closed: &["closed", "cancelled"],
    transitions: &[
        T::new("counselling", "give_informed_consent", "agreed"),
        T::new("counselling", "return_decision", "agreed"),
        T::new("counselling", "suspend", "suspended"),
        T::new("counselling", "cancel", "cancelled"),
        T::new("agreed", "check_pre_departure", "pre_departure_checked"),
        T::new("agreed", "suspend", "suspended"),
        T::new("agreed", "cancel", "cancelled"),
        T::new(
            "pre_departure_checked",
            "issue_travel_document",
            "travel_document_issued",
        ),
        T::new("pre_departure_checked", "suspend", "suspended"),
        T::new("pre_departure_checked", "cancel", "cancelled"),
        T::new("travel_document_issued", "schedule", "scheduled"),
        T::new("travel_document_issued", "suspend", "suspended"),
        T::new("travel_document_issued", "cancel", "cancelled"),
        T::new("scheduled", "execute", "executed"),
        T::new("scheduled", "suspend", "suspended"),
        T::new("scheduled", "cancel", "cancelled"),
        T::new("suspended", "resume", "travel_document_issued"),
        T::new("suspended", "cancel", "cancelled"),
        T::new("executed", "confirm_arrival", "arrived"),
        T::new(
            "arrived",
            "provide_reintegration",
            "reintegration_assistance",
        ),
        T::new("reintegration_assistance", "follow_up", "follow_up"),
        T::new("follow_up", "close", "closed"),
    ],
};
