//! Who may act on a case of a given kind, on top of the permission table: a case's steps
//! are taken by the caseworkers of its kind (and supervisors); other caseworkers and the
//! screening officer see that the case exists and where it stands, never the reasons
//! given at each step (the content of an asylum claim stays with the asylum unit).

use crate::access::{Action, Forbidden, Principal, Resource, Role, Scope, allows};

use super::procedure::ProcedureKind;

/// How much of a case a principal sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseView {
    /// State, steps and the reasons given.
    Full,
    /// State and steps, without reasons.
    StateOnly,
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
}
