//! The non-refoulement guard: the one place that says whether a person may be returned now.
//!
//! [`guard`] lists every condition that forbids scheduling or carrying out a return, from
//! facts the caller gathers about the person (their cases, population type, specific needs,
//! expressed fears, whether they are a separated child). The return procedure asks it at
//! every step (see [`super::procedure::apply`]), so no route around it exists.
//!
//! Two conditions rest on an officer's reading and may be lifted by a four-eyes decision: a
//! fear of return recorded at screening, and a specific-need code. Every other condition
//! is a legal fact (a pending claim or appeal, recognised protection, an open trafficking or
//! statelessness case, a child without a best interests determination) and is never lifted:
//! it ends only when the facts change.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use super::procedure::{Outcome, ProcedureKind, determination_completed};
use crate::access::Role;
use crate::person::PopulationType;

/// The state of a case while an appeal against its decision is pending.
const APPEAL_PENDING: &str = "appeal_pending";

/// The state of a case whose decision is final.
const FINAL: &str = "final";

/// Specific-need codes that mark a risk on return.
const RISK_CODES: [&str; 4] = ["LP-RR", "LP-TR", "LP-RD", "LP-TD"];

/// A case of the person, in whatever procedure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFact {
    pub id: Uuid,
    pub kind: ProcedureKind,
    pub state: String,
    pub outcome: Option<Outcome>,
    pub opened_at: OffsetDateTime,
}

/// An active specific need of the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedFact {
    pub id: Uuid,
    /// The code, in `LP-RR` form.
    pub code: String,
}

/// A fear of return, or an intention to seek asylum, that the person expressed at a screening.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FearFact {
    pub screening_id: Uuid,
    pub at: OffsetDateTime,
}

/// Everything the guard looks at, gathered by the caller for one person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GuardFacts {
    pub cases: Vec<CaseFact>,
    pub population_type: Option<PopulationType>,
    /// Active specific needs only.
    pub needs: Vec<NeedFact>,
    pub fears: Vec<FearFact>,
    /// An unaccompanied or separated child (flag or code), with the benefit of the doubt
    /// on age applied by the caller.
    pub separated_child: bool,
    /// Keys of conditions lifted by an approved four-eyes decision.
    pub lifted: Vec<String>,
}

/// One reason a return may not be scheduled or carried out now.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(tag = "condition", rename_all = "snake_case")]
pub enum Condition {
    /// An asylum claim not yet finally decided (and not on appeal).
    PendingAsylumClaim { case_id: Uuid },
    /// An appeal in asylum or statelessness determination: a suspensive remedy.
    PendingAppeal { case_id: Uuid },
    /// The person is a refugee or otherwise in need of international protection.
    ProtectionRecognised,
    /// A trafficking case is open.
    OpenTraffickingCase { case_id: Uuid },
    /// A statelessness determination is in progress.
    OpenStatelessnessDetermination { case_id: Uuid },
    /// An active specific need marking a risk on return.
    RefoulementRiskCode { need_id: Uuid, code: String },
    /// A fear of return expressed at screening, with no asylum claim opened since.
    UnresolvedFearOfReturn { screening_id: Uuid },
    /// An unaccompanied or separated child with no best interests determination completed.
    ChildWithoutBestInterestsDetermination,
}

impl Condition {
    /// A stable key naming this condition for this person, by which it is lifted.
    pub fn key(&self) -> String {
        match self {
            Self::PendingAsylumClaim { case_id } => format!("asylum:{case_id}"),
            Self::PendingAppeal { case_id } => format!("appeal:{case_id}"),
            Self::ProtectionRecognised => "protection".into(),
            Self::OpenTraffickingCase { case_id } => format!("trafficking:{case_id}"),
            Self::OpenStatelessnessDetermination { case_id } => {
                format!("statelessness:{case_id}")
            }
            Self::RefoulementRiskCode { need_id, .. } => format!("code:{need_id}"),
            Self::UnresolvedFearOfReturn { screening_id } => format!("fear:{screening_id}"),
            Self::ChildWithoutBestInterestsDetermination => "child".into(),
        }
    }

    /// Whether a four-eyes decision may lift the condition: only those resting on an
    /// officer's reading (a recorded fear, a specific-need code), never a legal fact.
    pub fn liftable(&self) -> bool {
        matches!(
            self,
            Self::UnresolvedFearOfReturn { .. } | Self::RefoulementRiskCode { .. }
        )
    }

    /// The condition in plain words for an officer. Says what holds, never what a claim
    /// contains.
    pub fn describe(&self) -> String {
        match self {
            Self::PendingAsylumClaim { .. } => {
                "an asylum claim is pending and has not been finally decided".into()
            }
            Self::PendingAppeal { .. } => {
                "an appeal is pending; it suspends any return until decided".into()
            }
            Self::ProtectionRecognised => {
                "the person is recognised as a refugee or as in need of international protection"
                    .into()
            }
            Self::OpenTraffickingCase { .. } => {
                "a trafficking case is open for the person".into()
            }
            Self::OpenStatelessnessDetermination { .. } => {
                "a statelessness determination is in progress".into()
            }
            Self::RefoulementRiskCode { code, .. } => {
                format!("specific need {code} is active: it marks a risk on return")
            }
            Self::UnresolvedFearOfReturn { .. } => {
                "the person expressed a fear of return or an intention to seek asylum at screening, and no asylum claim has been opened since".into()
            }
            Self::ChildWithoutBestInterestsDetermination => {
                "the person is an unaccompanied or separated child with no best interests determination completed".into()
            }
        }
    }
}

/// Every condition that forbids scheduling or carrying out a return now. Empty means the
/// return may proceed.
///
/// Liftable conditions whose key is in `facts.lifted` are left out; other conditions never
/// are, whatever `lifted` says. A case whose state the table does not know counts as open.
pub fn guard(facts: &GuardFacts) -> Vec<Condition> {
    let mut conditions = Vec::new();
    let recognised_by_case = facts.cases.iter().any(|c| {
        c.kind == ProcedureKind::Asylum
            && c.state == FINAL
            && matches!(
                c.outcome,
                Some(Outcome::RecognisedRefugee | Outcome::ComplementaryProtection)
            )
    });
    if recognised_by_case
        || matches!(
            facts.population_type,
            Some(PopulationType::REF | PopulationType::OIP)
        )
    {
        conditions.push(Condition::ProtectionRecognised);
    }
    for c in &facts.cases {
        let open = !c.kind.machine().is_closed(&c.state);
        let on_appeal = c.state == APPEAL_PENDING;
        let case_id = c.id;
        let condition = match c.kind {
            ProcedureKind::Asylum | ProcedureKind::Statelessness if on_appeal => {
                Some(Condition::PendingAppeal { case_id })
            }
            ProcedureKind::Asylum if open => Some(Condition::PendingAsylumClaim { case_id }),
            ProcedureKind::Statelessness if open => {
                Some(Condition::OpenStatelessnessDetermination { case_id })
            }
            ProcedureKind::Trafficking if open => Some(Condition::OpenTraffickingCase { case_id }),
            _ => None,
        };
        conditions.extend(condition);
    }
    for n in &facts.needs {
        let code = n.code.trim();
        if let Some(risk) = RISK_CODES.iter().find(|r| r.eq_ignore_ascii_case(code)) {
            conditions.push(Condition::RefoulementRiskCode {
                need_id: n.id,
                code: (*risk).to_owned(),
            });
        }
    }
    for f in &facts.fears {
        let claimed_since = facts
            .cases
            .iter()
            .any(|c| c.kind == ProcedureKind::Asylum && c.opened_at >= f.at);
        if !claimed_since {
            conditions.push(Condition::UnresolvedFearOfReturn {
                screening_id: f.screening_id,
            });
        }
    }
    let determined = facts
        .cases
        .iter()
        .any(|c| c.kind == ProcedureKind::ChildProtection && determination_completed(&c.state));
    if facts.separated_child && !determined {
        conditions.push(Condition::ChildWithoutBestInterestsDetermination);
    }
    conditions.retain(|c| !(c.liftable() && facts.lifted.contains(&c.key())));
    conditions
}

/// A request to lift one condition, awaiting a second person's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LiftRequest {
    pub condition_key: String,
    /// The user who asked.
    pub requested_by: Uuid,
    pub reason: String,
}

/// Why a request to lift a condition, or the decision on it, was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LiftError {
    #[error(
        "condition `{0}` cannot be lifted: only a recorded fear of return or a specific-need code can; the others end when the facts change"
    )]
    NotLiftable(String),
    #[error("the person who asked to lift a condition may not decide on it: a second person must")]
    SamePerson,
    #[error("only a supervisor may decide on lifting a condition")]
    NotSupervisor,
    #[error("give a reason for lifting the condition")]
    ReasonRequired,
}

/// Whether `key` names a condition of a kind that may be lifted.
fn key_is_liftable(key: &str) -> bool {
    key.starts_with("fear:") || key.starts_with("code:")
}

/// Checks a request to lift `condition`, before it is stored for a second person.
pub fn check_request(condition: &Condition, reason: &str) -> Result<(), LiftError> {
    if !condition.liftable() {
        return Err(LiftError::NotLiftable(condition.key()));
    }
    if reason.trim().is_empty() {
        return Err(LiftError::ReasonRequired);
    }
    Ok(())
}

/// Checks the decision approving `request`: the decider is a supervisor other than the
/// person who asked, and says why.
pub fn check_decision(
    request: &LiftRequest,
    decider: Uuid,
    decider_roles: &[Role],
    reason: &str,
) -> Result<(), LiftError> {
    if !key_is_liftable(&request.condition_key) {
        return Err(LiftError::NotLiftable(request.condition_key.clone()));
    }
    if decider == request.requested_by {
        return Err(LiftError::SamePerson);
    }
    if !decider_roles.contains(&Role::Supervisor) {
        return Err(LiftError::NotSupervisor);
    }
    if reason.trim().is_empty() || request.reason.trim().is_empty() {
        return Err(LiftError::ReasonRequired);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
