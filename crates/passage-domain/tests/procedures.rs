#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The procedure tables and the step function: every event from every state of every
//! procedure is accepted exactly when the table has it, the tables are the procedures as
//! designed, and the steps that change a person's population type or profile do so.

use std::collections::{BTreeSet, VecDeque};

use passage_domain::access::Role;
use passage_domain::person::{PopulationType, ProfileFlag};
use passage_domain::protection::guard::GuardFacts;
use passage_domain::protection::procedure::{
    self, Applied, CaseState, GUARDED, Machine, Outcome, Pathway, ProcedureKind, TransitionError,
    apply, determination_completed, open,
};

const REASON: &str = "as recorded in the case file";

fn none() -> GuardFacts {
    GuardFacts::default()
}

fn case(kind: ProcedureKind, state: &str, outcome: Option<Outcome>) -> CaseState {
    CaseState {
        kind,
        state: state.into(),
        outcome,
    }
}

fn events(m: &Machine) -> Vec<&'static str> {
    let mut out = Vec::new();
    for t in m.transitions {
        if !out.contains(&t.event) {
            out.push(t.event);
        }
    }
    out
}

/// Takes `event` on `c` with a reason and nothing holding a return.
fn step(c: &CaseState, event: &str, outcome: Option<Outcome>) -> Result<Applied, TransitionError> {
    apply(c, event, outcome, REASON, &none())
}

/// Takes `steps` from the initial state, each one required to succeed.
fn walk(kind: ProcedureKind, steps: &[(&str, Option<Outcome>)]) -> (CaseState, Vec<Applied>) {
    let opened = open(kind);
    let mut c = case(kind, opened.to, opened.outcome);
    let mut applied = vec![opened];
    for (event, outcome) in steps {
        let a = step(&c, event, *outcome)
            .unwrap_or_else(|e| panic!("{kind:?} {event} from {}: {e}", c.state));
        c = case(kind, a.to, a.outcome);
        applied.push(a);
    }
    (c, applied)
}

#[test]
fn every_event_from_every_state_follows_the_table() {
    let mut outcomes: Vec<Option<Outcome>> = vec![None];
    outcomes.extend(Outcome::ALL.iter().copied().map(Some));
    let mut checked = 0;
    for kind in ProcedureKind::ALL.iter().copied() {
        let m = kind.machine();
        for state in m.states.iter().copied() {
            for current in &outcomes {
                for event in events(m) {
                    for given in &outcomes {
                        let c = case(kind, state, *current);
                        let got = step(&c, event, *given);
                        let open_rows: Vec<_> = m
                            .transitions
                            .iter()
                            .filter(|t| t.from == state && t.event == event)
                            .filter(|t| {
                                t.when.is_empty() || current.is_some_and(|o| t.when.contains(&o))
                            })
                            .collect();
                        let recorded: Vec<Outcome> =
                            open_rows.iter().flat_map(|t| t.outcomes.to_vec()).collect();
                        let expected_to = open_rows.iter().find(|t| match given {
                            None => t.outcomes.is_empty(),
                            Some(o) => t.outcomes.contains(o),
                        });
                        match (got, expected_to) {
                            (Ok(a), Some(t)) => {
                                assert_eq!(a.to, t.to);
                                let keeps = matches!(
                                    given,
                                    None | Some(Outcome::Cooperates | Outcome::DoesNotCooperate)
                                );
                                assert_eq!(a.outcome, if keeps { *current } else { *given });
                            }
                            (
                                Err(TransitionError::NotAllowed {
                                    kind: k,
                                    from,
                                    event: e,
                                    allowed,
                                }),
                                None,
                            ) if open_rows.is_empty() => {
                                assert_eq!((k, from.as_str(), e.as_str()), (kind, state, event));
                                assert_eq!(allowed, m.available(state, *current));
                                if m.transitions
                                    .iter()
                                    .all(|t| t.from != state || t.when.is_empty())
                                {
                                    assert_eq!(allowed, m.allowed(state));
                                }
                            }
                            (Err(TransitionError::OutcomeNotExpected { event: e }), None)
                                if recorded.is_empty() && given.is_some() =>
                            {
                                assert_eq!(e, event);
                            }
                            (Err(TransitionError::OutcomeRequired { event: e, allowed }), None)
                                if !recorded.is_empty() =>
                            {
                                assert_eq!(e, event);
                                assert_eq!(allowed, recorded);
                            }
                            (got, expected) => panic!(
                                "{kind:?} {state} (outcome {current:?}) {event} {given:?}: got {got:?}, table says {expected:?}"
                            ),
                        }
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked > 20_000, "{checked}");
}

/// The tables as designed, one `from -event-> to` row a line; conditions and outcomes are
/// checked by the tests further down.
fn designed(kind: ProcedureKind) -> BTreeSet<(String, String, String)> {
    let rows = match kind {
        ProcedureKind::Asylum => {
            "claim_registered -schedule_interview-> interview_scheduled
            interview_scheduled -interview-> interviewed
            interviewed -decide-> decided
            decided -notify-> notified
            notified -appeal-> appeal_pending
            notified -finalise-> final
            appeal_pending -decide_appeal-> decided
            claim_registered -withdraw-> withdrawn
            interview_scheduled -withdraw-> withdrawn
            interviewed -withdraw-> withdrawn"
        }
        ProcedureKind::Trafficking => {
            "identification -identify-> reflection_period
            identification -identify-> closed
            reflection_period -start_assistance-> assistance
            assistance -decide_cooperation-> cooperation_decided
            cooperation_decided -grant_residence-> residence
            cooperation_decided -arrange_safe_return-> safe_return
            residence -close-> closed
            safe_return -close-> closed"
        }
        ProcedureKind::ChildProtection => {
            "best_interests_assessment -complete_assessment-> best_interests_determination
            best_interests_determination -complete_determination-> determined
            determined -start_tracing-> family_tracing
            determined -plan_solution-> durable_solution
            family_tracing -family_found-> reunification
            family_tracing -end_tracing-> durable_solution
            reunification -reunite-> durable_solution
            durable_solution -close-> closed"
        }
        ProcedureKind::Return => {
            "counselling -give_informed_consent-> agreed
            counselling -return_decision-> agreed
            agreed -check_pre_departure-> pre_departure_checked
            pre_departure_checked -issue_travel_document-> travel_document_issued
            travel_document_issued -schedule-> scheduled
            scheduled -execute-> executed
            executed -confirm_arrival-> arrived
            arrived -provide_reintegration-> reintegration_assistance
            reintegration_assistance -follow_up-> follow_up
            follow_up -close-> closed
            counselling -suspend-> suspended
            agreed -suspend-> suspended
            pre_departure_checked -suspend-> suspended
            travel_document_issued -suspend-> suspended
            scheduled -suspend-> suspended
            suspended -resume-> travel_document_issued
            counselling -cancel-> cancelled
            agreed -cancel-> cancelled
            pre_departure_checked -cancel-> cancelled
            travel_document_issued -cancel-> cancelled
            scheduled -cancel-> cancelled
            suspended -cancel-> cancelled"
        }
        ProcedureKind::Statelessness => {
            "application -interview-> interviewed
            interviewed -decide-> decided
            decided -notify-> notified
            notified -appeal-> appeal_pending
            appeal_pending -decide_appeal-> decided
            notified -finalise-> final
            application -withdraw-> withdrawn
            interviewed -withdraw-> withdrawn"
        }
        ProcedureKind::RegularPathway => {
            "application -submit-> submitted
            submitted -decide-> decided
            decided -issue_permit-> permit_issued
            decided -close-> closed
            permit_issued -close-> closed
            application -withdraw-> withdrawn"
        }
    };
    rows.lines()
        .map(|line| {
            let w: Vec<&str> = line.split_whitespace().collect();
            let event = w[1].trim_start_matches('-').trim_end_matches("->");
            (w[0].to_owned(), event.to_owned(), w[2].to_owned())
        })
        .collect()
}

#[test]
fn the_tables_are_the_procedures_as_designed() {
    for kind in ProcedureKind::ALL.iter().copied() {
        let m = kind.machine();
        assert_eq!(m.kind, kind);
        let table: BTreeSet<_> = m
            .transitions
            .iter()
            .map(|t| (t.from.to_owned(), t.event.to_owned(), t.to.to_owned()))
            .collect();
        assert_eq!(table, designed(kind), "{kind:?}");
        assert_eq!(table.len(), m.transitions.len(), "{kind:?} repeats a row");
    }
    let initial = |k: ProcedureKind| k.machine().initial;
    assert_eq!(initial(ProcedureKind::Asylum), "claim_registered");
    assert_eq!(initial(ProcedureKind::Trafficking), "identification");
    assert_eq!(
        initial(ProcedureKind::ChildProtection),
        "best_interests_assessment"
    );
    assert_eq!(initial(ProcedureKind::Return), "counselling");
    assert_eq!(initial(ProcedureKind::Statelessness), "application");
    assert_eq!(initial(ProcedureKind::RegularPathway), "application");
    let closed = |k: ProcedureKind| k.machine().closed.to_vec();
    assert_eq!(closed(ProcedureKind::Asylum), ["final", "withdrawn"]);
    assert_eq!(closed(ProcedureKind::Trafficking), ["closed"]);
    assert_eq!(closed(ProcedureKind::ChildProtection), ["closed"]);
    assert_eq!(closed(ProcedureKind::Return), ["closed", "cancelled"]);
    assert_eq!(closed(ProcedureKind::Statelessness), ["final", "withdrawn"]);
    assert_eq!(
        closed(ProcedureKind::RegularPathway),
        ["closed", "withdrawn"]
    );
    assert_eq!(GUARDED, ["scheduled", "executed"]);
}

#[test]
fn every_table_is_well_formed() {
    for kind in ProcedureKind::ALL.iter().copied() {
        let m = kind.machine();
        assert!(m.has_state(m.initial), "{kind:?}");
        assert!(!m.is_closed(m.initial), "{kind:?}");
        assert!(m.closed.iter().all(|s| m.has_state(s)), "{kind:?}");
        for t in m.transitions {
            assert!(m.has_state(t.from) && m.has_state(t.to), "{kind:?} {t:?}");
        }
        for s in m.states {
            if m.is_closed(s) {
                assert!(
                    m.allowed(s).is_empty(),
                    "{kind:?}: closed {s} has a way out"
                );
            } else {
                assert!(!m.allowed(s).is_empty(), "{kind:?}: {s} is a dead end");
            }
        }
        // Rows sharing a state and an event either all record an outcome, each a different
        // one, or none does.
        for t in m.transitions {
            let twins: Vec<_> = m
                .transitions
                .iter()
                .filter(|u| u.from == t.from && u.event == t.event)
                .collect();
            if twins.len() > 1 {
                assert!(
                    twins.iter().all(|u| !u.outcomes.is_empty()),
                    "{kind:?} {t:?}"
                );
                let all: Vec<Outcome> = twins.iter().flat_map(|u| u.outcomes.to_vec()).collect();
                let distinct: BTreeSet<_> = all.iter().collect();
                assert_eq!(all.len(), distinct.len(), "{kind:?} {t:?}");
            }
        }
    }
}

#[test]
fn every_state_is_reachable_from_the_initial_state() {
    for kind in ProcedureKind::ALL.iter().copied() {
        let m = kind.machine();
        let mut seen = BTreeSet::from([m.initial]);
        let mut queue = VecDeque::from([m.initial]);
        while let Some(s) = queue.pop_front() {
            for t in m.transitions.iter().filter(|t| t.from == s) {
                if seen.insert(t.to) {
                    queue.push_back(t.to);
                }
            }
        }
        let all: BTreeSet<_> = m.states.iter().copied().collect();
        assert_eq!(seen, all, "{kind:?}");
    }
}

#[test]
fn a_refused_step_names_the_steps_allowed_now() {
    let err = step(
        &case(ProcedureKind::Return, "counselling", None),
        "schedule",
        None,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "`schedule` is not allowed from `counselling`; allowed now: give_informed_consent, return_decision, suspend, cancel"
    );
    let err = step(&case(ProcedureKind::Asylum, "final", None), "appeal", None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "`appeal` is not allowed from `final`; allowed now: none"
    );
}

#[test]
fn decisions_need_one_of_their_outcomes() {
    let c = case(ProcedureKind::Asylum, "interviewed", None);
    let err = step(&c, "decide", None).unwrap_err();
    let decisions = vec![
        Outcome::RecognisedRefugee,
        Outcome::ComplementaryProtection,
        Outcome::Rejected,
    ];
    assert_eq!(
        err,
        TransitionError::OutcomeRequired {
            event: "decide".into(),
            allowed: decisions.clone()
        }
    );
    assert_eq!(
        err.to_string(),
        "`decide` needs an outcome, one of: recognised_refugee, complementary_protection, rejected"
    );
    let err = step(&c, "decide", Some(Outcome::Granted)).unwrap_err();
    assert_eq!(
        err,
        TransitionError::OutcomeRequired {
            event: "decide".into(),
            allowed: decisions
        }
    );
    let err = step(&c, "withdraw", Some(Outcome::Rejected)).unwrap_err();
    assert_eq!(
        err,
        TransitionError::OutcomeNotExpected {
            event: "withdraw".into()
        }
    );
    let identify = case(ProcedureKind::Trafficking, "identification", None);
    let err = step(&identify, "identify", None).unwrap_err();
    assert_eq!(
        err,
        TransitionError::OutcomeRequired {
            event: "identify".into(),
            allowed: vec![Outcome::Identified, Outcome::NotIdentified]
        }
    );
}

#[test]
fn every_step_needs_a_reason() {
    for kind in ProcedureKind::ALL.iter().copied() {
        let m = kind.machine();
        let t = m.transitions.iter().find(|t| t.from == m.initial).unwrap();
        let c = case(kind, m.initial, None);
        for reason in ["", "   ", "\n\t"] {
            let got = apply(&c, t.event, t.outcomes.first().copied(), reason, &none());
            assert_eq!(got, Err(TransitionError::ReasonRequired), "{kind:?}");
        }
    }
}

#[test]
fn appeals_lie_against_rejections_only() {
    for (kind, refused, granted) in [
        (
            ProcedureKind::Asylum,
            Outcome::Rejected,
            Outcome::RecognisedRefugee,
        ),
        (
            ProcedureKind::Asylum,
            Outcome::Rejected,
            Outcome::ComplementaryProtection,
        ),
        (
            ProcedureKind::Statelessness,
            Outcome::NotStateless,
            Outcome::Stateless,
        ),
    ] {
        let ok = step(&case(kind, "notified", Some(refused)), "appeal", None);
        assert_eq!(ok.unwrap().to, "appeal_pending");
        let err = step(&case(kind, "notified", Some(granted)), "appeal", None).unwrap_err();
        let TransitionError::NotAllowed { allowed, .. } = err else {
            panic!("{err:?}")
        };
        assert_eq!(allowed, ["finalise"]);
        let again = step(
            &case(kind, "appeal_pending", Some(refused)),
            "decide_appeal",
            Some(granted),
        )
        .unwrap();
        assert_eq!((again.to, again.outcome), ("decided", Some(granted)));
    }
}

#[test]
fn a_permit_follows_a_grant_and_a_refusal_closes() {
    let k = ProcedureKind::RegularPathway;
    let granted = case(k, "decided", Some(Outcome::Granted));
    let refused = case(k, "decided", Some(Outcome::Refused));
    assert_eq!(
        step(&granted, "issue_permit", None).unwrap().to,
        "permit_issued"
    );
    assert!(step(&granted, "close", None).is_err());
    assert_eq!(step(&refused, "close", None).unwrap().to, "closed");
    assert!(step(&refused, "issue_permit", None).is_err());
    let (c, _) = walk(
        k,
        &[
            ("submit", None),
            ("decide", Some(Outcome::Granted)),
            ("issue_permit", None),
            ("close", None),
        ],
    );
    assert_eq!(
        (c.state.as_str(), c.outcome),
        ("closed", Some(Outcome::Granted))
    );
    assert_eq!(Pathway::from_code("study"), Some(Pathway::Study));
}

#[test]
fn asylum_sets_the_population_type() {
    let opened = open(ProcedureKind::Asylum);
    assert_eq!(opened.population_type, Some(Some(PopulationType::ASY)));
    for (decision, after) in [
        (Outcome::RecognisedRefugee, Some(PopulationType::REF)),
        (Outcome::ComplementaryProtection, Some(PopulationType::OIP)),
        (Outcome::Rejected, None),
    ] {
        let (c, applied) = walk(
            ProcedureKind::Asylum,
            &[
                ("schedule_interview", None),
                ("interview", None),
                ("decide", Some(decision)),
                ("notify", None),
                ("finalise", None),
            ],
        );
        assert_eq!((c.state.as_str(), c.outcome), ("final", Some(decision)));
        let last = applied.last().unwrap();
        assert_eq!(last.population_type, Some(after));
        assert!(
            applied[1..applied.len() - 1]
                .iter()
                .all(|a| a.population_type.is_none())
        );
    }
    let (_, applied) = walk(
        ProcedureKind::Asylum,
        &[("schedule_interview", None), ("withdraw", None)],
    );
    assert_eq!(applied.last().unwrap().population_type, Some(None));
    let (c, _) = walk(
        ProcedureKind::Asylum,
        &[
            ("schedule_interview", None),
            ("interview", None),
            ("decide", Some(Outcome::Rejected)),
            ("notify", None),
            ("appeal", None),
            ("decide_appeal", Some(Outcome::RecognisedRefugee)),
            ("notify", None),
        ],
    );
    let fin = step(&c, "finalise", None).unwrap();
    assert_eq!(fin.population_type, Some(Some(PopulationType::REF)));
    for kind in ProcedureKind::ALL
        .iter()
        .copied()
        .filter(|k| *k != ProcedureKind::Asylum)
    {
        assert_eq!(open(kind).population_type, None, "{kind:?}");
    }
}

#[test]
fn a_final_finding_of_statelessness_makes_the_person_stateless() {
    for (finding, after) in [
        (Outcome::Stateless, Some(Some(PopulationType::STA))),
        (Outcome::NotStateless, None),
    ] {
        let (_, applied) = walk(
            ProcedureKind::Statelessness,
            &[
                ("interview", None),
                ("decide", Some(finding)),
                ("notify", None),
                ("finalise", None),
            ],
        );
        assert_eq!(applied.last().unwrap().population_type, after);
    }
}

#[test]
fn identification_flags_a_victim_and_residence_does_not_depend_on_cooperation() {
    let (_, applied) = walk(
        ProcedureKind::Trafficking,
        &[("identify", Some(Outcome::NotIdentified))],
    );
    let last = applied.last().unwrap();
    assert_eq!((last.to, last.add_flags.as_slice()), ("closed", &[][..]));
    for cooperation in [Outcome::Cooperates, Outcome::DoesNotCooperate] {
        let (c, applied) = walk(
            ProcedureKind::Trafficking,
            &[
                ("identify", Some(Outcome::Identified)),
                ("start_assistance", None),
                ("decide_cooperation", Some(cooperation)),
                ("grant_residence", None),
                ("close", None),
            ],
        );
        assert_eq!(applied[1].add_flags, [ProfileFlag::TraffickingVictim]);
        assert!(applied[2..].iter().all(|a| a.add_flags.is_empty()));
        assert_eq!(
            (c.state.as_str(), c.outcome),
            ("closed", Some(Outcome::Identified))
        );
    }
}

#[test]
fn a_child_case_completes_its_determination_before_tracing() {
    let (c, _) = walk(
        ProcedureKind::ChildProtection,
        &[
            ("complete_assessment", None),
            ("complete_determination", None),
            ("start_tracing", None),
            ("family_found", None),
            ("reunite", None),
            ("close", None),
        ],
    );
    assert_eq!(c.state, "closed");
    let m = ProcedureKind::ChildProtection.machine();
    let completed: Vec<_> = m
        .states
        .iter()
        .copied()
        .filter(|s| determination_completed(s))
        .collect();
    assert_eq!(
        completed,
        [
            "determined",
            "family_tracing",
            "reunification",
            "durable_solution",
            "closed"
        ]
    );
}

#[test]
fn a_return_goes_from_counselling_to_closed() {
    let (c, _) = walk(
        ProcedureKind::Return,
        &[
            ("return_decision", None),
            ("check_pre_departure", None),
            ("issue_travel_document", None),
            ("schedule", None),
            ("execute", None),
            ("confirm_arrival", None),
            ("provide_reintegration", None),
            ("follow_up", None),
            ("close", None),
        ],
    );
    assert_eq!(c.state, "closed");
}

#[test]
fn each_kind_has_its_caseworker_and_its_code() {
    use ProcedureKind::*;
    let roles: Vec<_> = ProcedureKind::ALL
        .iter()
        .map(|k| (*k, k.handled_by()))
        .collect();
    assert_eq!(
        roles,
        [
            (Asylum, Role::AsylumCaseworker),
            (Trafficking, Role::TraffickingCaseworker),
            (ChildProtection, Role::ChildProtectionCaseworker),
            (Return, Role::ReturnCaseworker),
            (Statelessness, Role::AsylumCaseworker),
            (RegularPathway, Role::ReturnCaseworker),
        ]
    );
    for k in ProcedureKind::ALL {
        assert_eq!(
            serde_json::to_value(k).unwrap(),
            serde_json::json!(k.code())
        );
        assert_eq!(ProcedureKind::from_code(k.code()), Some(*k));
    }
    for o in Outcome::ALL {
        assert_eq!(
            serde_json::to_value(o).unwrap(),
            serde_json::json!(o.code())
        );
        assert_eq!(Outcome::from_code(o.code()), Some(*o));
    }
    let machine = serde_json::to_value(ProcedureKind::Return.machine()).unwrap();
    assert_eq!(machine["kind"], "return");
    assert_eq!(machine["transitions"][0]["event"], "give_informed_consent");
    // The tables and the guard's conditions have an API schema.
    let schema =
        serde_json::to_value(<procedure::Machine as utoipa::PartialSchema>::schema()).unwrap();
    assert!(schema.to_string().contains("transitions"), "{schema}");
    let schema = serde_json::to_value(
        <passage_domain::protection::guard::Condition as utoipa::PartialSchema>::schema(),
    )
    .unwrap();
    assert!(
        schema.to_string().contains("unresolved_fear_of_return"),
        "{schema}"
    );
}
