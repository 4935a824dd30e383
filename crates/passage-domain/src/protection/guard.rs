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
mod tests {
    use super::*;
    use time::Duration;
    use time::macros::datetime;

    const T0: OffsetDateTime = datetime!(2026-11-27 10:00 UTC);

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn case(n: u128, kind: ProcedureKind, state: &str, outcome: Option<Outcome>) -> CaseFact {
        CaseFact {
            id: id(n),
            kind,
            state: state.into(),
            outcome,
            opened_at: T0,
        }
    }

    fn with_cases(cases: Vec<CaseFact>) -> GuardFacts {
        GuardFacts {
            cases,
            ..GuardFacts::default()
        }
    }

    #[test]
    fn nothing_known_means_no_hold() {
        assert!(guard(&GuardFacts::default()).is_empty());
    }

    #[test]
    fn a_pending_asylum_claim_holds_until_final() {
        for state in ["claim_registered", "interviewed", "decided", "notified"] {
            let f = with_cases(vec![case(1, ProcedureKind::Asylum, state, None)]);
            assert_eq!(
                guard(&f),
                [Condition::PendingAsylumClaim { case_id: id(1) }]
            );
        }
        let rejected = with_cases(vec![case(
            1,
            ProcedureKind::Asylum,
            "final",
            Some(Outcome::Rejected),
        )]);
        assert!(guard(&rejected).is_empty());
        let withdrawn = with_cases(vec![case(1, ProcedureKind::Asylum, "withdrawn", None)]);
        assert!(guard(&withdrawn).is_empty());
    }

    #[test]
    fn an_appeal_holds_in_asylum_and_statelessness() {
        let f = with_cases(vec![
            case(
                1,
                ProcedureKind::Asylum,
                "appeal_pending",
                Some(Outcome::Rejected),
            ),
            case(
                2,
                ProcedureKind::Statelessness,
                "appeal_pending",
                Some(Outcome::NotStateless),
            ),
        ]);
        assert_eq!(
            guard(&f),
            [
                Condition::PendingAppeal { case_id: id(1) },
                Condition::PendingAppeal { case_id: id(2) },
            ]
        );
    }

    #[test]
    fn recognised_protection_holds_by_population_type_or_final_decision() {
        for t in [PopulationType::REF, PopulationType::OIP] {
            let f = GuardFacts {
                population_type: Some(t),
                ..GuardFacts::default()
            };
            assert_eq!(guard(&f), [Condition::ProtectionRecognised]);
        }
        for o in [Outcome::RecognisedRefugee, Outcome::ComplementaryProtection] {
            let f = with_cases(vec![case(1, ProcedureKind::Asylum, "final", Some(o))]);
            assert_eq!(guard(&f), [Condition::ProtectionRecognised]);
        }
        let asy = GuardFacts {
            population_type: Some(PopulationType::ASY),
            ..GuardFacts::default()
        };
        assert!(guard(&asy).is_empty());
    }

    #[test]
    fn open_trafficking_and_statelessness_cases_hold() {
        let f = with_cases(vec![
            case(1, ProcedureKind::Trafficking, "safe_return", None),
            case(2, ProcedureKind::Statelessness, "interviewed", None),
            case(3, ProcedureKind::Trafficking, "closed", None),
            case(4, ProcedureKind::Statelessness, "final", None),
            case(5, ProcedureKind::RegularPathway, "submitted", None),
        ]);
        assert_eq!(
            guard(&f),
            [
                Condition::OpenTraffickingCase { case_id: id(1) },
                Condition::OpenStatelessnessDetermination { case_id: id(2) },
            ]
        );
    }

    #[test]
    fn a_case_in_an_unknown_state_counts_as_open() {
        let f = with_cases(vec![case(1, ProcedureKind::Trafficking, "lost", None)]);
        assert_eq!(
            guard(&f),
            [Condition::OpenTraffickingCase { case_id: id(1) }]
        );
    }

    #[test]
    fn risk_codes_hold_and_other_codes_do_not() {
        let needs = ["LP-RR", "lp-tr", " LP-RD ", "LP-TD", "SM-MI", "LP-ND"]
            .iter()
            .zip(1..)
            .map(|(c, n)| NeedFact {
                id: id(n),
                code: (*c).into(),
            })
            .collect();
        let f = GuardFacts {
            needs,
            ..GuardFacts::default()
        };
        let codes: Vec<String> = guard(&f)
            .into_iter()
            .map(|c| match c {
                Condition::RefoulementRiskCode { code, .. } => code,
                other => other.key(),
            })
            .collect();
        assert_eq!(codes, ["LP-RR", "LP-TR", "LP-RD", "LP-TD"]);
    }

    #[test]
    fn a_fear_holds_until_an_asylum_claim_is_opened_at_or_after_it() {
        let fear = FearFact {
            screening_id: id(7),
            at: T0,
        };
        let mut f = GuardFacts {
            fears: vec![fear],
            ..GuardFacts::default()
        };
        assert_eq!(
            guard(&f),
            [Condition::UnresolvedFearOfReturn {
                screening_id: id(7)
            }]
        );
        let mut earlier = case(1, ProcedureKind::Asylum, "final", Some(Outcome::Rejected));
        earlier.opened_at = T0 - Duration::days(1);
        f.cases.push(earlier);
        assert_eq!(
            guard(&f).len(),
            1,
            "a claim from before the fear resolves nothing"
        );
        f.cases
            .push(case(2, ProcedureKind::Asylum, "claim_registered", None));
        assert_eq!(
            guard(&f),
            [Condition::PendingAsylumClaim { case_id: id(2) }],
            "the new claim resolves the fear and is itself pending"
        );
    }

    #[test]
    fn a_separated_child_needs_a_completed_determination() {
        let mut f = GuardFacts {
            separated_child: true,
            ..GuardFacts::default()
        };
        assert_eq!(
            guard(&f),
            [Condition::ChildWithoutBestInterestsDetermination]
        );
        f.cases.push(case(
            1,
            ProcedureKind::ChildProtection,
            "best_interests_determination",
            None,
        ));
        assert_eq!(
            guard(&f),
            [Condition::ChildWithoutBestInterestsDetermination]
        );
        f.cases.push(case(
            2,
            ProcedureKind::ChildProtection,
            "family_tracing",
            None,
        ));
        assert!(guard(&f).is_empty());
    }

    #[test]
    fn only_fears_and_codes_are_lifted() {
        let f = GuardFacts {
            cases: vec![case(1, ProcedureKind::Trafficking, "assistance", None)],
            population_type: Some(PopulationType::REF),
            needs: vec![NeedFact {
                id: id(2),
                code: "LP-RR".into(),
            }],
            fears: vec![FearFact {
                screening_id: id(3),
                at: T0 + Duration::days(1),
            }],
            separated_child: true,
            lifted: Vec::new(),
        };
        let all = guard(&f);
        assert_eq!(all.len(), 5);
        let lifted = GuardFacts {
            lifted: all.iter().map(Condition::key).collect(),
            ..f
        };
        let left = guard(&lifted);
        assert_eq!(
            left,
            [
                Condition::ProtectionRecognised,
                Condition::OpenTraffickingCase { case_id: id(1) },
                Condition::ChildWithoutBestInterestsDetermination,
            ]
        );
        assert!(left.iter().all(|c| !c.liftable()));
    }

    #[test]
    fn keys_are_stable() {
        let u = id(5);
        assert_eq!(
            Condition::UnresolvedFearOfReturn { screening_id: u }.key(),
            format!("fear:{u}")
        );
        assert_eq!(
            Condition::RefoulementRiskCode {
                need_id: u,
                code: "LP-RR".into()
            }
            .key(),
            format!("code:{u}")
        );
        assert_eq!(
            Condition::PendingAsylumClaim { case_id: u }.key(),
            format!("asylum:{u}")
        );
        assert_eq!(Condition::ProtectionRecognised.key(), "protection");
    }

    #[test]
    fn conditions_travel_tagged() {
        let v = serde_json::to_value(Condition::PendingAppeal { case_id: id(1) }).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"condition": "pending_appeal", "case_id": id(1)})
        );
        let v = serde_json::to_value(Condition::ProtectionRecognised).unwrap();
        assert_eq!(v, serde_json::json!({"condition": "protection_recognised"}));
    }

    fn fear_request(by: u128) -> LiftRequest {
        LiftRequest {
            condition_key: format!("fear:{}", id(3)),
            requested_by: id(by),
            reason: "the person said at interview the fear concerned a third country".into(),
        }
    }

    #[test]
    fn a_request_to_lift_needs_a_liftable_condition_and_a_reason() {
        let fear = Condition::UnresolvedFearOfReturn {
            screening_id: id(3),
        };
        assert_eq!(check_request(&fear, "checked with the person"), Ok(()));
        assert_eq!(check_request(&fear, "  "), Err(LiftError::ReasonRequired));
        for c in [
            Condition::PendingAsylumClaim { case_id: id(1) },
            Condition::PendingAppeal { case_id: id(1) },
            Condition::ProtectionRecognised,
            Condition::OpenTraffickingCase { case_id: id(1) },
            Condition::OpenStatelessnessDetermination { case_id: id(1) },
            Condition::ChildWithoutBestInterestsDetermination,
        ] {
            assert_eq!(
                check_request(&c, "please"),
                Err(LiftError::NotLiftable(c.key()))
            );
        }
    }

    #[test]
    fn a_lift_is_decided_by_a_second_person_who_is_a_supervisor() {
        let r = fear_request(1);
        let sup = [Role::ReturnCaseworker, Role::Supervisor];
        assert_eq!(check_decision(&r, id(2), &sup, "agreed"), Ok(()));
        assert_eq!(
            check_decision(&r, id(1), &sup, "agreed"),
            Err(LiftError::SamePerson)
        );
        assert_eq!(
            check_decision(
                &r,
                id(2),
                &[Role::ReturnCaseworker, Role::Administrator],
                "agreed"
            ),
            Err(LiftError::NotSupervisor)
        );
        assert_eq!(
            check_decision(&r, id(2), &sup, " \n"),
            Err(LiftError::ReasonRequired)
        );
        let appeal = LiftRequest {
            condition_key: format!("appeal:{}", id(3)),
            ..fear_request(1)
        };
        assert!(matches!(
            check_decision(&appeal, id(2), &sup, "agreed"),
            Err(LiftError::NotLiftable(_))
        ));
        assert!(LiftError::SamePerson.to_string().contains("second person"));
    }
}
