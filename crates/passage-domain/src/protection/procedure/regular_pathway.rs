//! A regular pathway (labour, family, study): application, submission, decision, and a
//! permit when granted.

use super::{Machine, Outcome, ProcedureKind, Transition as T};

pub(super) static MACHINE: Machine = Machine {
    kind: ProcedureKind::RegularPathway,
    initial: "application",
    states: &[
        "application",
        "submitted",
        "decided",
        "permit_issued",
        "closed",
        "withdrawn",
    ],
    closed: &["closed", "withdrawn"],
    transitions: &[
        T::new("application", "submit", "submitted"),
        T::new("application", "withdraw", "withdrawn"),
        T::new("submitted", "decide", "decided").records(&[Outcome::Granted, Outcome::Refused]),
        T::new("decided", "issue_permit", "permit_issued").when(&[Outcome::Granted]),
        T::new("decided", "close", "closed").when(&[Outcome::Refused]),
        T::new("permit_issued", "close", "closed"),
    ],
};
