//! Refugee status determination: registration of the claim, interview, decision,
//! notification, an appeal against a rejection, and the final decision.

use super::{Effect, Machine, Outcome, ProcedureKind, Transition as T};
use crate::person::PopulationType;

const DECISIONS: &[Outcome] = &[
    Outcome::RecognisedRefugee,
    Outcome::ComplementaryProtection,
    Outcome::Rejected,
];

pub(super) static MACHINE: Machine = Machine {
    kind: ProcedureKind::Asylum,
    initial: "claim_registered",
    states: &[
        "claim_registered",
        "interview_scheduled",
        "interviewed",
        "decided",
        "notified",
        "appeal_pending",
        "final",
        "withdrawn",
    ],
    closed: &["final", "withdrawn"],
    transitions: &[
        T::new(
            "claim_registered",
            "schedule_interview",
            "interview_scheduled",
        ),
        T::new("claim_registered", "withdraw", "withdrawn"),
        T::new("interview_scheduled", "interview", "interviewed"),
        T::new("interview_scheduled", "withdraw", "withdrawn"),
        T::new("interviewed", "decide", "decided").records(DECISIONS),
        T::new("interviewed", "withdraw", "withdrawn"),
        T::new("decided", "notify", "notified"),
        // An appeal lies against a rejection only.
        T::new("notified", "appeal", "appeal_pending").when(&[Outcome::Rejected]),
        T::new("notified", "finalise", "final"),
        T::new("appeal_pending", "decide_appeal", "decided").records(DECISIONS),
    ],
};

/// The final decision sets the population type: refugee, other person in need of
/// international protection, or none once a rejection is final. A withdrawn claim leaves
/// the person no longer an asylum-seeker.
pub(super) fn effect(event: &str, outcome: Option<Outcome>) -> Effect {
    let population_type = match (event, outcome) {
        ("finalise", Some(Outcome::RecognisedRefugee)) => Some(Some(PopulationType::REF)),
        ("finalise", Some(Outcome::ComplementaryProtection)) => Some(Some(PopulationType::OIP)),
        ("finalise", Some(Outcome::Rejected)) | ("withdraw", _) => Some(None),
        _ => None,
    };
    Effect {
        population_type,
        add_flags: Vec::new(),
    }
}
