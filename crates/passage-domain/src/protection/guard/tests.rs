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
