#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The non-refoulement guard over random histories of one person: claims opened and
//! decided, trafficking and statelessness cases, risk codes, fears expressed at screening,
//! four-eyes lifts, a separated child's best interests procedure, and every step of a
//! return tried along the way.
//!
//! Whatever happens, a return never reaches `scheduled` or `executed` while the guard holds;
//! when the guard is clear, the return can always be carried out by the table; and a new
//! fear or a new claim after a lift puts the hold back.

use std::collections::{BTreeSet, VecDeque};

use passage_domain::access::Role;
use passage_domain::person::PopulationType;
use passage_domain::protection::guard::{
    CaseFact, Condition, FearFact, GuardFacts, LiftError, LiftRequest, NeedFact, check_decision,
    check_request, guard,
};
use passage_domain::protection::procedure::{
    CaseState, GUARDED, Outcome, ProcedureKind, TransitionError, apply, open,
};
use proptest::prelude::*;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

const REASON: &str = "checked with the person";
const CODES: [&str; 5] = ["LP-RR", "LP-RD", "LP-TD", "LP-TR", "SM-MI"];
/// The kinds of case the person may have beside the return.
const KINDS: [ProcedureKind; 4] = [
    ProcedureKind::Asylum,
    ProcedureKind::Trafficking,
    ProcedureKind::Statelessness,
    ProcedureKind::ChildProtection,
];
const CASEWORKER: Uuid = Uuid::from_u128(0xA);
const SUPERVISOR: Uuid = Uuid::from_u128(0xB);

#[derive(Debug, Clone)]
enum Action {
    Open(usize),
    /// Takes one of the steps open to one case of a kind, with one of its outcomes.
    Step {
        kind: usize,
        case: usize,
        event: usize,
        outcome: usize,
    },
    /// Takes a case by the table to one of the states it can reach (`closed`: one of the
    /// closed ones).
    Drive {
        kind: usize,
        case: usize,
        pick: usize,
        closed: bool,
    },
    AddNeed(usize),
    CloseNeed(usize),
    ExpressFear,
    Lift(usize),
    SetSeparated(bool),
    OpenReturn,
    /// Tries an event of the return table (or one it does not know), with any outcome.
    Return {
        event: usize,
        outcome: usize,
    },
    /// Tries the next step towards carrying the return out.
    Advance {
        by_consent: bool,
    },
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        2 => (0..KINDS.len()).prop_map(Action::Open),
        8 => (0..KINDS.len(), 0..4usize, 0..8usize, 0..4usize)
            .prop_map(|(kind, case, event, outcome)| Action::Step { kind, case, event, outcome }),
        3 => (0..KINDS.len(), 0..4usize, 0..16usize, any::<bool>())
            .prop_map(|(kind, case, pick, closed)| Action::Drive { kind, case, pick, closed }),
        2 => (0..CODES.len()).prop_map(Action::AddNeed),
        1 => (0..4usize).prop_map(Action::CloseNeed),
        2 => Just(Action::ExpressFear),
        3 => (0..6usize).prop_map(Action::Lift),
        1 => any::<bool>().prop_map(Action::SetSeparated),
        1 => Just(Action::OpenReturn),
        6 => (0..24usize, 0..12usize).prop_map(|(event, outcome)| Action::Return { event, outcome }),
        6 => any::<bool>().prop_map(|by_consent| Action::Advance { by_consent }),
    ]
}

/// One simulated person and their return case.
struct Person {
    now: OffsetDateTime,
    next_id: u128,
    cases: Vec<CaseFact>,
    population_type: Option<PopulationType>,
    needs: Vec<NeedFact>,
    fears: Vec<FearFact>,
    separated_child: bool,
    lifted: Vec<String>,
    ret: CaseState,
}

impl Person {
    fn new() -> Self {
        Self {
            now: datetime!(2026-11-27 10:00 UTC),
            next_id: 100,
            cases: Vec::new(),
            population_type: None,
            needs: Vec::new(),
            fears: Vec::new(),
            separated_child: false,
            lifted: Vec::new(),
            ret: new_return(),
        }
    }

    fn id(&mut self) -> Uuid {
        self.next_id += 1;
        Uuid::from_u128(self.next_id)
    }

    fn facts(&self) -> GuardFacts {
        GuardFacts {
            cases: self.cases.clone(),
            population_type: self.population_type,
            needs: self.needs.clone(),
            fears: self.fears.clone(),
            separated_child: self.separated_child,
            lifted: self.lifted.clone(),
        }
    }

    fn open(&mut self, kind: ProcedureKind) -> Uuid {
        let a = open(kind);
        if let Some(t) = a.population_type {
            self.population_type = t;
        }
        let id = self.id();
        self.cases.push(CaseFact {
            id,
            kind,
            state: a.to.into(),
            outcome: a.outcome,
            opened_at: self.now,
        });
        id
    }

    /// Index in `cases` of the `n`th case (modulo) of `kind`.
    fn case_of(&self, kind: ProcedureKind, n: usize) -> Option<usize> {
        let of_kind: Vec<usize> = (0..self.cases.len())
            .filter(|i| self.cases[*i].kind == kind)
            .collect();
        (!of_kind.is_empty()).then(|| of_kind[n % of_kind.len()])
    }

    /// Takes one step on case `i`, which must be allowed.
    fn step(&mut self, i: usize, event: &str, outcome: Option<Outcome>) {
        let c = &self.cases[i];
        let state = CaseState {
            kind: c.kind,
            state: c.state.clone(),
            outcome: c.outcome,
        };
        let a = apply(&state, event, outcome, REASON, &self.facts()).unwrap();
        if let Some(t) = a.population_type {
            self.population_type = t;
        }
        let c = &mut self.cases[i];
        c.state = a.to.into();
        c.outcome = a.outcome;
    }

    fn express_fear(&mut self) -> Uuid {
        let screening_id = self.id();
        self.fears.push(FearFact {
            screening_id,
            at: self.now,
        });
        screening_id
    }

    /// Lifts a liftable condition by four eyes, checking that one pair of eyes is not enough.
    fn lift(&mut self, condition: &Condition) {
        check_request(condition, REASON).unwrap();
        let request = LiftRequest {
            condition_key: condition.key(),
            requested_by: CASEWORKER,
            reason: REASON.into(),
        };
        let roles = [Role::ReturnCaseworker, Role::Supervisor];
        assert_eq!(
            check_decision(&request, CASEWORKER, &roles, REASON),
            Err(LiftError::SamePerson)
        );
        check_decision(&request, SUPERVISOR, &[Role::Supervisor], REASON).unwrap();
        self.lifted.push(request.condition_key);
    }
}

fn new_return() -> CaseState {
    let a = open(ProcedureKind::Return);
    CaseState {
        kind: ProcedureKind::Return,
        state: a.to.into(),
        outcome: a.outcome,
    }
}

fn option_outcome(n: usize) -> Option<Outcome> {
    n.checked_sub(1)
        .map(|i| Outcome::ALL[i % Outcome::ALL.len()])
}

/// Every way, by the table, from `start` to a state (a closed state when `closed`): the
/// steps, one path per state and outcome reached.
fn ways(
    kind: ProcedureKind,
    start: &CaseState,
    closed: bool,
) -> Vec<Vec<(&'static str, Option<Outcome>)>> {
    let m = kind.machine();
    let mut seen = BTreeSet::from([(start.state.clone(), start.outcome)]);
    let mut queue = VecDeque::from([(start.clone(), Vec::new())]);
    let mut ways = Vec::new();
    while let Some((c, path)) = queue.pop_front() {
        if m.is_closed(&c.state) || !closed {
            ways.push(path.clone());
        }
        for t in m.transitions.iter().filter(|t| t.from == c.state) {
            let outcomes: Vec<Option<Outcome>> = if t.outcomes.is_empty() {
                vec![None]
            } else {
                t.outcomes.iter().copied().map(Some).collect()
            };
            for o in outcomes {
                let Ok(a) = apply(&c, t.event, o, REASON, &GuardFacts::default()) else {
                    continue;
                };
                if seen.insert((a.to.to_owned(), a.outcome)) {
                    let mut p = path.clone();
                    p.push((t.event, o));
                    queue.push_back((
                        CaseState {
                            kind,
                            state: a.to.into(),
                            outcome: a.outcome,
                        },
                        p,
                    ));
                }
            }
        }
    }
    ways
}

/// The next step of the table path that carries a return out, from where it stands.
fn next_step(state: &str, by_consent: bool) -> Option<&'static str> {
    Some(match state {
        "counselling" if by_consent => "give_informed_consent",
        "counselling" => "return_decision",
        "agreed" => "check_pre_departure",
        "pre_departure_checked" => "issue_travel_document",
        "travel_document_issued" => "schedule",
        "suspended" => "resume",
        "scheduled" => "execute",
        _ => return None,
    })
}

/// Property (b): with the guard clear, the return goes by the table to `executed`; with it
/// holding, it stops at scheduling or execution with exactly the guard's conditions.
fn check_return_can_proceed(p: &Person, by_consent: bool) -> Result<(), TestCaseError> {
    let facts = p.facts();
    let held = guard(&facts);
    let mut c = p.ret.clone();
    if next_step(&c.state, by_consent).is_none() {
        return Ok(());
    }
    while let Some(event) = next_step(&c.state, by_consent) {
        match apply(&c, event, None, REASON, &facts) {
            Ok(a) => {
                prop_assert!(
                    !GUARDED.contains(&a.to) || held.is_empty(),
                    "reached {} while {:?}",
                    a.to,
                    held
                );
                c = CaseState {
                    state: a.to.into(),
                    outcome: a.outcome,
                    ..c
                };
            }
            Err(TransitionError::Blocked { conditions }) => {
                prop_assert!(!held.is_empty());
                prop_assert_eq!(conditions, held);
                prop_assert!(event == "schedule" || event == "execute");
                return Ok(());
            }
            Err(e) => prop_assert!(false, "{} from {}: {}", event, c.state, e),
        }
    }
    prop_assert!(held.is_empty());
    prop_assert_eq!(c.state.as_str(), "executed");
    Ok(())
}

/// Runs `actions` on a fresh person, checking properties (a), (b) and (c) after each.
fn run(actions: &[Action]) -> Result<Person, TestCaseError> {
    let mut p = Person::new();
    for (n, action) in actions.iter().enumerate() {
        p.now += Duration::minutes(1);
        match action {
            Action::Open(k) => {
                let id = p.open(KINDS[*k]);
                if KINDS[*k] == ProcedureKind::Asylum {
                    // (c): a new claim holds, whatever was lifted before.
                    let claim = Condition::PendingAsylumClaim { case_id: id };
                    prop_assert!(guard(&p.facts()).contains(&claim));
                }
            }
            Action::Step {
                kind,
                case,
                event,
                outcome,
            } => {
                let kind = KINDS[*kind];
                if let Some(i) = p.case_of(kind, *case) {
                    let c = &p.cases[i];
                    let m = kind.machine();
                    let open_now = m.available(&c.state, c.outcome);
                    if !open_now.is_empty() {
                        let e = open_now[event % open_now.len()];
                        let recorded: Vec<Outcome> = m
                            .transitions
                            .iter()
                            .filter(|t| t.from == c.state && t.event == e)
                            .flat_map(|t| t.outcomes.to_vec())
                            .collect();
                        let o = (!recorded.is_empty()).then(|| recorded[outcome % recorded.len()]);
                        p.step(i, e, o);
                    }
                }
            }
            Action::Drive {
                kind,
                case,
                pick,
                closed,
            } => {
                let kind = KINDS[*kind];
                if let Some(i) = p.case_of(kind, *case) {
                    let c = &p.cases[i];
                    let start = CaseState {
                        kind,
                        state: c.state.clone(),
                        outcome: c.outcome,
                    };
                    let ways = ways(kind, &start, *closed);
                    if !ways.is_empty() {
                        for (e, o) in &ways[pick % ways.len()] {
                            p.step(i, e, *o);
                        }
                    }
                }
            }
            Action::AddNeed(code) => {
                let id = p.id();
                p.needs.push(NeedFact {
                    id,
                    code: CODES[*code].into(),
                });
            }
            Action::CloseNeed(n) => {
                if !p.needs.is_empty() {
                    let i = n % p.needs.len();
                    p.needs.remove(i);
                }
            }
            Action::ExpressFear => {
                let screening_id = p.express_fear();
                // (c): a new fear holds, whatever was lifted before.
                let fear = Condition::UnresolvedFearOfReturn { screening_id };
                prop_assert!(guard(&p.facts()).contains(&fear));
            }
            Action::Lift(n) => {
                let liftable: Vec<Condition> = guard(&p.facts())
                    .into_iter()
                    .filter(Condition::liftable)
                    .collect();
                if !liftable.is_empty() {
                    let c = liftable[n % liftable.len()].clone();
                    p.lift(&c);
                    prop_assert!(!guard(&p.facts()).contains(&c));
                }
            }
            Action::SetSeparated(b) => p.separated_child = *b,
            Action::OpenReturn => p.ret = new_return(),
            Action::Return { event, outcome } => {
                let m = ProcedureKind::Return.machine();
                let mut names: Vec<&str> = Vec::new();
                for t in m.transitions {
                    if !names.contains(&t.event) {
                        names.push(t.event);
                    }
                }
                names.push("not_an_event");
                try_return(&mut p, names[event % names.len()], option_outcome(*outcome))?;
            }
            Action::Advance { by_consent } => {
                if let Some(e) = next_step(&p.ret.state, *by_consent) {
                    try_return(&mut p, e, None)?;
                }
            }
        }
        check_return_can_proceed(&p, n % 2 == 0)?;
    }
    Ok(p)
}

/// Tries one step of the return, checking property (a).
fn try_return(p: &mut Person, e: &str, outcome: Option<Outcome>) -> Result<(), TestCaseError> {
    let facts = p.facts();
    let held = guard(&facts);
    match apply(&p.ret, e, outcome, REASON, &facts) {
        Ok(a) => {
            // (a): never scheduled nor carried out while the guard holds.
            prop_assert!(
                !GUARDED.contains(&a.to) || held.is_empty(),
                "reached {} while {:?}",
                a.to,
                held
            );
            p.ret = CaseState {
                state: a.to.into(),
                outcome: a.outcome,
                ..p.ret.clone()
            };
        }
        Err(TransitionError::Blocked { conditions }) => {
            prop_assert!(!held.is_empty());
            prop_assert_eq!(conditions, held);
        }
        Err(_) => {}
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_history_returns_a_person_the_guard_protects(actions in prop::collection::vec(action(), 1..60)) {
        run(&actions)?;
    }

    #[test]
    fn a_new_fear_or_claim_after_a_lift_puts_the_hold_back(
        actions in prop::collection::vec(action(), 0..40),
        by_claim in any::<bool>(),
    ) {
        let mut p = run(&actions)?;
        p.now += Duration::minutes(1);
        let before: Vec<Condition> = guard(&p.facts()).into_iter().filter(Condition::liftable).collect();
        for c in &before {
            p.lift(c);
        }
        prop_assert!(guard(&p.facts()).iter().all(|c| !c.liftable()));
        p.now += Duration::minutes(1);
        if by_claim {
            let id = p.open(ProcedureKind::Asylum);
            let claim = Condition::PendingAsylumClaim { case_id: id };
 prop_assert!(guard(&p.facts()).contains(&claim));
        } else {
            let screening_id = p.express_fear();
            let fear = Condition::UnresolvedFearOfReturn { screening_id };
 prop_assert!(guard(&p.facts()).contains(&fear));
        }
        let err = apply(
            &CaseState { kind: ProcedureKind::Return, state: "travel_document_issued".into(), outcome: None },
            "schedule",
            None,
            REASON,
            &p.facts(),
        );
        prop_assert!(matches!(err, Err(TransitionError::Blocked { .. })), "{:?}", err);
    }
}

#[test]
fn a_clear_person_is_returned_by_the_table() {
    let mut p = Person::new();
    p.ret = new_return();
    check_return_can_proceed(&p, true).unwrap();
    let fear = p.express_fear();
    let held = guard(&p.facts());
    assert_eq!(
        held,
        [Condition::UnresolvedFearOfReturn { screening_id: fear }]
    );
    p.lift(&held[0]);
    assert!(guard(&p.facts()).is_empty());
    check_return_can_proceed(&p, false).unwrap();
}

fn at(kind: ProcedureKind, state: &str, outcome: Option<Outcome>) -> CaseState {
    CaseState {
        kind,
        state: state.into(),
        outcome,
    }
}

#[test]
fn the_guard_holds_scheduling_and_execution_only() {
    let k = ProcedureKind::Return;
    let mut p = Person::new();
    let screening_id = p.express_fear();
    let held = p.facts();
    let expected = vec![Condition::UnresolvedFearOfReturn { screening_id }];
    let err = apply(
        &at(k, "travel_document_issued", None),
        "schedule",
        None,
        REASON,
        &held,
    )
    .unwrap_err();
    assert_eq!(
        err,
        TransitionError::Blocked {
            conditions: expected.clone()
        }
    );
    assert!(
        err.to_string()
            .starts_with("the return is on hold: the person expressed a fear of return"),
        "{err}"
    );
    let err = apply(&at(k, "scheduled", None), "execute", None, REASON, &held).unwrap_err();
    assert_eq!(
        err,
        TransitionError::Blocked {
            conditions: expected
        }
    );
    for (state, event) in [
        ("counselling", "give_informed_consent"),
        ("counselling", "return_decision"),
        ("agreed", "check_pre_departure"),
        ("pre_departure_checked", "issue_travel_document"),
        ("scheduled", "suspend"),
        ("scheduled", "cancel"),
        ("suspended", "resume"),
        ("suspended", "cancel"),
    ] {
        let got = apply(&at(k, state, None), event, None, REASON, &held);
        assert!(got.is_ok(), "{state} {event}: {got:?}");
    }
    // The guard is the return's alone: other procedures go on whatever it says.
    let cooperation = at(
        ProcedureKind::Trafficking,
        "cooperation_decided",
        Some(Outcome::Identified),
    );
    assert!(apply(&cooperation, "arrange_safe_return", None, REASON, &held).is_ok());
    // A step the table does not have is refused as such, before the guard is asked.
    let got = apply(&at(k, "counselling", None), "execute", None, REASON, &held);
    assert!(
        matches!(got, Err(TransitionError::NotAllowed { .. })),
        "{got:?}"
    );
}
