//! Who may act on a case of a given kind, on top of the permission table: a case's steps
//! are taken by the caseworkers of its kind (and supervisors); other caseworkers and the
//! screening officer see that the case exists and where it stands, never the reasons
//! given at each step (the content of an asylum claim stays with the asylum unit), nor
//! those given to lift a hold on a return or to decide on lifting it.

use crate::access::{Action, Forbidden, Principal, Resource, Role, Scope, allows};

use super::procedure::ProcedureKind;
use super::records::{Case, HoldLift};

/// How much of a case a principal sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseView {
    /// State, steps and the reasons given.
    Full,
    /// State and steps, without reasons: neither those of the steps nor those of the
    /// requests to lift a hold and their decisions.
    StateOnly,
}

impl CaseView {
    /// A reason as this view shows it: only in full.
    pub fn reason(self, reason: Option<String>) -> Option<String> {
        match self {
            Self::Full => reason,
            Self::StateOnly => None,
        }
    }

    /// A request to lift a hold as this view shows it.
    pub fn hold_lift(self, lift: HoldLift) -> HoldLift {
        HoldLift {
            request_reason: self.reason(lift.request_reason),
            decision_reason: self.reason(lift.decision_reason),
            ..lift
        }
    }

    /// A case as this view shows it, its steps and its requests to lift a hold.
    pub fn case(self, mut case: Case) -> Case {
        for t in &mut case.transitions {
            t.reason = self.reason(t.reason.take());
        }
        case.hold_lifts = case
            .hold_lifts
            .into_iter()
            .map(|l| self.hold_lift(l))
            .collect();
        case
    }
}

/// Kinds a screening officer may open from a screening.
const OPENED_BY_SCREENING: [ProcedureKind; 4] = [
    ProcedureKind::Asylum,
    ProcedureKind::ChildProtection,
    ProcedureKind::Trafficking,
    ProcedureKind::Statelessness,
];

fn view_of(role: Role, action: Action, kind: ProcedureKind) -> Option<CaseView> {
    if !allows(role, action, Resource::Case) {
        return None;
    }
    if role == kind.handled_by()
        || role == Role::Supervisor
        || role == Role::DataProtectionFocalPoint
    {
        return Some(CaseView::Full);
    }
    match action {
        Action::Read => Some(CaseView::StateOnly),
        Action::Create if role == Role::ScreeningOfficer && OPENED_BY_SCREENING.contains(&kind) => {
            Some(CaseView::StateOnly)
        }
        _ => None,
    }
}

/// The scope and view `p` has for `action` on a case of `kind`, or why not.
pub fn case_access(
    p: &Principal,
    action: Action,
    kind: ProcedureKind,
) -> Result<(Scope, CaseView), Forbidden> {
    let scope = p.require(action, Resource::Case)?;
    if p.is_operator() {
        return Ok((scope, CaseView::Full));
    }
    let views: Vec<CaseView> = p
        .roles
        .iter()
        .filter_map(|r| view_of(*r, action, kind))
        .collect();
    if views.contains(&CaseView::Full) {
        Ok((scope, CaseView::Full))
    } else if views.is_empty() {
        Err(Forbidden {
            who: p.name.clone(),
            action,
            resource: Resource::Case,
        })
    } else {
        Ok((scope, CaseView::StateOnly))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Context;
    use time::OffsetDateTime;
    use uuid::Uuid;

    fn user(roles: &[Role]) -> Principal {
        Principal {
            user_id: Some(Uuid::from_u128(1)),
            at: OffsetDateTime::UNIX_EPOCH,
            name: "u".into(),
            organisation_id: Some(Uuid::from_u128(2)),
            roles: roles.to_vec(),
            context: Context::default(),
        }
    }

    #[test]
    fn only_the_kind_s_caseworkers_and_supervisors_take_steps() {
        for &kind in ProcedureKind::ALL {
            for role in Role::ALL {
                let allowed = case_access(&user(&[role]), Action::Update, kind).is_ok();
                let expected = role == kind.handled_by() || role == Role::Supervisor;
                assert_eq!(allowed, expected, "{role} on {kind:?}");
            }
        }
    }

    #[test]
    fn other_caseworkers_see_the_state_but_not_the_reasons() {
        let p = user(&[Role::ReturnCaseworker]);
        let (_, view) = case_access(&p, Action::Read, ProcedureKind::Asylum).unwrap();
        assert_eq!(view, CaseView::StateOnly);
        let (_, view) = case_access(&p, Action::Read, ProcedureKind::Return).unwrap();
        assert_eq!(view, CaseView::Full);
        let officer = user(&[Role::ScreeningOfficer]);
        assert!(case_access(&officer, Action::Create, ProcedureKind::Asylum).is_ok());
        assert!(case_access(&officer, Action::Create, ProcedureKind::Return).is_err());
        assert!(
            case_access(
                &user(&[Role::RegistrationClerk]),
                Action::Read,
                ProcedureKind::Asylum
            )
            .is_err()
        );
    }

    #[test]
    fn a_state_only_view_withholds_the_reasons_of_lifting_a_hold() {
        let at = OffsetDateTime::UNIX_EPOCH;
        let lift = HoldLift {
            meta: crate::record::Meta {
                id: Uuid::from_u128(3),
                version: 2,
                created_at: at,
                updated_at: at,
            },
            case_id: Uuid::from_u128(4),
            condition: "fear:x".into(),
            requested_by: "returns".into(),
            request_reason: Some("fears the men who trafficked her".into()),
            approved: Some(false),
            decided_by: Some("supervisor".into()),
            decision_reason: Some("she named them at interview".into()),
            decided_at: Some(at),
        };
        assert_eq!(CaseView::Full.hold_lift(lift.clone()), lift);
        let seen = CaseView::StateOnly.hold_lift(lift.clone());
        assert_eq!((seen.request_reason, seen.decision_reason), (None, None));
        assert_eq!(
            (seen.condition, seen.approved, seen.decided_by),
            (lift.condition, lift.approved, lift.decided_by)
        );
    }
}
