#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The allocation proposal over random arriving groups and random free beds.
//!
//! Whatever arrives and whatever is free: no unit receives more people than its free beds;
//! everyone is either placed or named with a reason, once; a household stays in one unit
//! or is not placed at all; unaccompanied children are only in child-friendly spaces,
//! women travelling alone only in women's safe spaces unless they keep their children
//! with them; nobody is sent to medical isolation; and the proposal does not depend on the
//! order in which people or units are listed.

use std::collections::{BTreeMap, BTreeSet};

use passage_domain::care::allocation::{ADULT_AGE, Arriving, Proposal, Space, propose};
use passage_domain::care::shelter::UnitKind;
use passage_domain::person::Sex;
use proptest::prelude::*;
use uuid::Uuid;

/// Sex, age, unaccompanied child, woman travelling alone.
type Member = (Sex, Option<u32>, bool, bool);

fn member() -> impl Strategy<Value = Member> {
    (
        prop_oneof![Just(Sex::F), Just(Sex::M), Just(Sex::X), Just(Sex::U)],
        proptest::option::weighted(0.8, 0u32..80),
        proptest::bool::weighted(0.15),
        proptest::bool::weighted(0.15),
    )
}

fn build_group(households: Vec<Vec<Member>>) -> Vec<Arriving> {
    let mut out = Vec::new();
    for (h, members) in households.into_iter().enumerate() {
        for (i, (sex, age, child, alone)) in members.into_iter().enumerate() {
            let n = out.len() as u128 + 1;
            // Some households were registered at level 1: the head stands for others.
            let companions = if i == 0 && h % 3 == 2 {
                (h % 4) as u32
            } else {
                0
            };
            out.push(Arriving {
                person_id: Uuid::from_u128(n),
                household_id: Uuid::from_u128(1000 + h as u128),
                name: format!("person {n}"),
                sex,
                age,
                unaccompanied_child: child,
                woman_alone: alone,
                companions,
            });
        }
    }
    out
}

fn group() -> impl Strategy<Value = Vec<Arriving>> {
    prop::collection::vec(prop::collection::vec(member(), 1..7), 0..7).prop_map(build_group)
}

fn spaces() -> impl Strategy<Value = Vec<Space>> {
    prop::collection::vec((0..UnitKind::ALL.len(), 0u32..9, 0..3usize), 0..9).prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (kind, free, name))| Space {
                unit_id: Uuid::from_u128(5000 + i as u128),
                unit_name: ["Tent A", "Tent B", "Hall"][name].to_owned(),
                kind: UnitKind::ALL[kind],
                free,
            })
            .collect()
    })
}

fn possible_child(a: &Arriving) -> bool {
    a.age.is_none_or(|age| age < ADULT_AGE)
}

/// How the rules see one household of the group.
struct Household<'a> {
    /// Those kept together in one unit.
    together: Vec<&'a Arriving>,
    /// A woman travelling alone keeps her children with her, with no other adult.
    mother_alone: bool,
    /// Women travelling alone placed one by one.
    women: Vec<&'a Arriving>,
}

fn households(group: &[Arriving]) -> Vec<Household<'_>> {
    let mut by: BTreeMap<Uuid, Vec<&Arriving>> = BTreeMap::new();
    for a in group.iter().filter(|a| !a.unaccompanied_child) {
        by.entry(a.household_id).or_default().push(a);
    }
    by.into_values()
        .map(|rest| {
            let (alone, others): (Vec<&Arriving>, Vec<&Arriving>) =
                rest.iter().copied().partition(|a| a.woman_alone);
            let keeps_children = !alone.is_empty() && others.iter().any(|a| possible_child(a));
            if keeps_children {
                let mother_alone = others.iter().all(|a| possible_child(a));
                Household {
                    together: rest,
                    mother_alone,
                    women: Vec::new(),
                }
            } else {
                Household {
                    together: others,
                    mother_alone: false,
                    women: alone,
                }
            }
        })
        .collect()
}

fn kind_of(p: &Proposal, spaces: &[Space], person: Uuid) -> Option<UnitKind> {
    let unit = p.placements.iter().find(|x| x.person_id == person)?.unit_id;
    spaces.iter().find(|s| s.unit_id == unit).map(|s| s.kind)
}

fn by_person(p: &Proposal) -> (BTreeMap<Uuid, Uuid>, BTreeMap<Uuid, String>) {
    (
        p.placements
            .iter()
            .map(|x| (x.person_id, x.unit_id))
            .collect(),
        p.not_placed
            .iter()
            .map(|x| (x.person_id, x.reason.clone()))
            .collect(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_unit_receives_more_than_its_free_beds(group in group(), spaces in spaces()) {
        let p = propose(&group, &spaces);
        for s in &spaces {
            let n: u32 = p.placements.iter().filter(|x| x.unit_id == s.unit_id).map(|x| 1 + x.companions).sum();
            prop_assert!(n <= s.free, "{} beds taken in {} with {} free", n, s.unit_name, s.free);
            for x in p.placements.iter().filter(|x| x.unit_id == s.unit_id) {
                prop_assert_eq!(x.kind, s.kind);
                prop_assert_eq!(&x.unit_name, &s.unit_name);
            }
        }
    }

    #[test]
    fn everyone_is_placed_or_named_exactly_once(group in group(), spaces in spaces()) {
        let p = propose(&group, &spaces);
        let mut seen = BTreeSet::new();
        for id in p.placements.iter().map(|x| x.person_id).chain(p.not_placed.iter().map(|x| x.person_id)) {
            prop_assert!(seen.insert(id), "{} appears twice", id);
        }
        let expected: BTreeSet<Uuid> = group.iter().map(|a| a.person_id).collect();
        prop_assert_eq!(seen, expected);
        for x in &p.placements {
            let a = group.iter().find(|a| a.person_id == x.person_id).unwrap();
            prop_assert_eq!(x.household_id, a.household_id);
        }
        for x in &p.not_placed {
            prop_assert!(!x.reason.is_empty());
            let a = group.iter().find(|a| a.person_id == x.person_id).unwrap();
            prop_assert_eq!(&x.name, &a.name);
        }
    }

    #[test]
    fn a_household_stays_in_one_unit_or_is_not_placed(group in group(), spaces in spaces()) {
        let p = propose(&group, &spaces);
        for h in households(&group) {
            let units: BTreeSet<Option<Uuid>> = h
                .together
                .iter()
                .map(|a| p.placements.iter().find(|x| x.person_id == a.person_id).map(|x| x.unit_id))
                .collect();
            prop_assert!(units.len() <= 1, "household split: {:?}", units);
            if let Some(Some(_)) = units.iter().next() {
                let kind = kind_of(&p, &spaces, h.together[0].person_id).unwrap();
                let allowed: &[UnitKind] = if h.mother_alone {
                    &[UnitKind::WomensSafeSpace, UnitKind::FamilyTent]
                } else {
                    &[UnitKind::FamilyTent, UnitKind::CommunalHall]
                };
                prop_assert!(allowed.contains(&kind), "household in {:?}", kind);
            }
        }
    }

    #[test]
    fn children_and_women_alone_only_where_they_are_safe(group in group(), spaces in spaces()) {
        let p = propose(&group, &spaces);
        for a in group.iter().filter(|a| a.unaccompanied_child) {
            if let Some(kind) = kind_of(&p, &spaces, a.person_id) {
                prop_assert_eq!(kind, UnitKind::ChildFriendlySpace);
            } else {
                let reason = &p.not_placed.iter().find(|x| x.person_id == a.person_id).unwrap().reason;
                prop_assert!(reason.contains("child-friendly space"), "{}", reason);
            }
        }
        for h in households(&group) {
            for a in h.women {
                if let Some(kind) = kind_of(&p, &spaces, a.person_id) {
                    prop_assert_eq!(kind, UnitKind::WomensSafeSpace);
                } else {
                    let reason = &p.not_placed.iter().find(|x| x.person_id == a.person_id).unwrap().reason;
                    prop_assert!(reason.contains("women's safe space"), "{}", reason);
                }
            }
        }
        // Nobody else goes to a child-friendly space or a women's safe space, except a
        // mother travelling alone with her children.
        for x in &p.placements {
            let a = group.iter().find(|a| a.person_id == x.person_id).unwrap();
            if x.kind == UnitKind::ChildFriendlySpace {
                prop_assert!(a.unaccompanied_child);
            }
            if x.kind == UnitKind::WomensSafeSpace && !a.woman_alone {
                let mother = households(&group)
                    .into_iter()
                    .any(|h| h.mother_alone && h.together.iter().any(|m| m.person_id == a.person_id));
                prop_assert!(mother, "{} in a women's safe space", a.name);
            }
        }
    }

    #[test]
    fn nobody_is_sent_to_medical_isolation(group in group(), spaces in spaces()) {
        let p = propose(&group, &spaces);
        prop_assert!(p.placements.iter().all(|x| x.kind != UnitKind::MedicalIsolation));
    }

    #[test]
    fn a_lone_household_is_placed_whenever_one_unit_takes_it(
        size in 1usize..12,
        spaces in spaces(),
    ) {
        let members = vec![(Sex::M, Some(30), false, false); size];
        let group = build_group(vec![members]);
        let p = propose(&group, &spaces);
        let largest = spaces
            .iter()
            .filter(|s| matches!(s.kind, UnitKind::FamilyTent | UnitKind::CommunalHall))
            .map(|s| s.free)
            .max()
            .unwrap_or(0);
        if largest as usize >= size {
            prop_assert_eq!(p.placements.len(), size);
        } else {
            prop_assert_eq!(p.not_placed.len(), size);
        }
    }

    #[test]
    fn the_same_arrivals_and_beds_give_the_same_proposal(
        (group, spaces, shuffled_group, shuffled_spaces) in (group(), spaces()).prop_flat_map(|(g, s)| {
            (Just(g.clone()), Just(s.clone()), Just(g).prop_shuffle(), Just(s).prop_shuffle())
        })
    ) {
        let p = propose(&group, &spaces);
        prop_assert_eq!(&p, &propose(&group, &spaces));
        prop_assert_eq!(by_person(&p), by_person(&propose(&shuffled_group, &shuffled_spaces)));
    }
}

#[test]
fn enough_beds_in_total_is_not_enough_when_no_unit_takes_the_household() {
    // Two tents of 3 hold 6, but a household of 5 is not split between them.
    let group = build_group(vec![vec![(Sex::F, Some(40), false, false); 5]]);
    let spaces: Vec<Space> = (0..2)
        .map(|i| Space {
            unit_id: Uuid::from_u128(i),
            unit_name: format!("Tent {i}"),
            kind: UnitKind::FamilyTent,
            free: 3,
        })
        .collect();
    let p = propose(&group, &spaces);
    assert!(p.placements.is_empty());
    assert!(p.not_placed[0].reason.ends_with("largest free is 3"));
}
