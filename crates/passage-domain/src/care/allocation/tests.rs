use super::*;

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn person(n: u128, household: u128, sex: Sex, age: Option<u32>) -> Arriving {
    Arriving {
        person_id: id(n),
        household_id: id(1000 + household),
        name: format!("person {n}"),
        sex,
        age,
        unaccompanied_child: false,
        woman_alone: false,
        companions: 0,
    }
}

fn adult(n: u128, household: u128) -> Arriving {
    person(n, household, Sex::M, Some(30))
}

fn child(n: u128, household: u128, age: u32) -> Arriving {
    person(n, household, Sex::F, Some(age))
}

fn unaccompanied(n: u128, household: u128, age: u32) -> Arriving {
    Arriving {
        unaccompanied_child: true,
        ..child(n, household, age)
    }
}

fn alone(n: u128, household: u128) -> Arriving {
    Arriving {
        woman_alone: true,
        companions: 0,
        ..person(n, household, Sex::F, Some(25))
    }
}

fn household(first: u128, size: u128, household: u128) -> Vec<Arriving> {
    (first..first + size).map(|n| adult(n, household)).collect()
}

fn space(n: u128, name: &str, kind: UnitKind, free: u32) -> Space {
    Space {
        unit_id: id(n),
        unit_name: name.into(),
        kind,
        free,
    }
}

/// The unit each placed person went to.
fn unit_of(p: &Proposal, person: u128) -> Option<Uuid> {
    p.placements
        .iter()
        .find(|x| x.person_id == id(person))
        .map(|x| x.unit_id)
}

fn reason_of(p: &Proposal, person: u128) -> Option<&str> {
    p.not_placed
        .iter()
        .find(|x| x.person_id == id(person))
        .map(|x| x.reason.as_str())
}

#[test]
fn a_household_takes_the_family_tent_it_fills_best() {
    let spaces = [
        space(1, "Tent A", UnitKind::FamilyTent, 6),
        space(2, "Tent B", UnitKind::FamilyTent, 4),
        space(3, "Tent C", UnitKind::FamilyTent, 2),
        space(4, "Hall", UnitKind::CommunalHall, 3),
    ];
    let p = propose(&household(1, 3, 1), &spaces);
    assert!(p.not_placed.is_empty());
    for n in 1..=3 {
        assert_eq!(unit_of(&p, n), Some(id(2)));
    }
    assert_eq!(p.placements[0].unit_name, "Tent B");
    assert_eq!(p.placements[0].kind, UnitKind::FamilyTent);
}

#[test]
fn a_communal_hall_only_when_no_family_tent_takes_the_household() {
    let spaces = [
        space(1, "Tent A", UnitKind::FamilyTent, 2),
        space(2, "Hall 1", UnitKind::CommunalHall, 40),
        space(3, "Hall 2", UnitKind::CommunalHall, 5),
    ];
    let p = propose(&household(1, 4, 1), &spaces);
    assert_eq!(unit_of(&p, 1), Some(id(3)));
    assert_eq!(unit_of(&p, 4), Some(id(3)));
}

#[test]
fn a_household_is_never_split() {
    let spaces = [
        space(1, "Tent A", UnitKind::FamilyTent, 5),
        space(2, "Tent B", UnitKind::FamilyTent, 4),
    ];
    let p = propose(&household(1, 7, 1), &spaces);
    assert!(p.placements.is_empty());
    assert_eq!(p.not_placed.len(), 7);
    assert_eq!(
        reason_of(&p, 1),
        Some(
            "a household stays together in one family tent or communal hall: household of 7 does not fit in one unit: largest free is 5"
        )
    );
    let p = propose(&household(1, 3, 1), &[]);
    assert_eq!(
        reason_of(&p, 3),
        Some(
            "a household stays together in one family tent or communal hall, and no family tent or communal hall has a free bed (household of 3)"
        )
    );
}

#[test]
fn larger_households_are_placed_first() {
    // Smallest first, the household of 2 would take the tent of 5 and leave a household
    // of 5 with nothing.
    let spaces = [
        space(1, "Tent 7", UnitKind::FamilyTent, 7),
        space(2, "Tent 5", UnitKind::FamilyTent, 5),
    ];
    let mut group = household(1, 2, 1);
    group.extend(household(10, 5, 2));
    group.extend(household(20, 5, 3));
    let p = propose(&group, &spaces);
    assert!(p.not_placed.is_empty(), "{:?}", p.not_placed);
    assert_eq!(unit_of(&p, 1), Some(id(1)));
    assert_eq!(unit_of(&p, 10), Some(id(2)));
    assert_eq!(unit_of(&p, 20), Some(id(1)));
}

#[test]
fn unaccompanied_children_go_only_to_a_child_friendly_space() {
    // The adult they travelled with is not their carer: the child is placed apart.
    let group = [adult(1, 1), unaccompanied(2, 1, 15)];
    let spaces = [
        space(1, "Tent A", UnitKind::FamilyTent, 4),
        space(2, "CFS", UnitKind::ChildFriendlySpace, 10),
    ];
    let p = propose(&group, &spaces);
    assert_eq!(unit_of(&p, 1), Some(id(1)));
    assert_eq!(unit_of(&p, 2), Some(id(2)));

    let p = propose(&group, &spaces[..1]);
    assert_eq!(unit_of(&p, 1), Some(id(1)));
    assert_eq!(
        reason_of(&p, 2),
        Some(
            "unaccompanied and separated children are placed only in a child-friendly space, and no child-friendly space has a free bed (needs 1)"
        )
    );
}

#[test]
fn children_who_travelled_together_stay_together_where_they_can() {
    let group = [unaccompanied(1, 1, 9), unaccompanied(2, 1, 12)];
    let spaces = [
        space(1, "CFS small", UnitKind::ChildFriendlySpace, 1),
        space(2, "CFS large", UnitKind::ChildFriendlySpace, 3),
    ];
    let p = propose(&group, &spaces);
    assert_eq!(unit_of(&p, 1), Some(id(2)));
    assert_eq!(unit_of(&p, 2), Some(id(2)));
    // No space takes both: each goes where there is a bed.
    let spaces = [
        space(1, "CFS 1", UnitKind::ChildFriendlySpace, 1),
        space(2, "CFS 2", UnitKind::ChildFriendlySpace, 1),
    ];
    let p = propose(&group, &spaces);
    assert_eq!(p.placements.len(), 2);
    assert_ne!(unit_of(&p, 1), unit_of(&p, 2));
}

#[test]
fn the_youngest_child_gets_the_last_bed() {
    let group = [unaccompanied(1, 1, 16), unaccompanied(2, 2, 6)];
    let p = propose(&group, &[space(1, "CFS", UnitKind::ChildFriendlySpace, 1)]);
    assert_eq!(unit_of(&p, 2), Some(id(1)));
    assert!(reason_of(&p, 1).is_some());
}

#[test]
fn women_travelling_alone_go_only_to_a_womens_safe_space() {
    let group = [alone(1, 1)];
    let tent = space(1, "Tent A", UnitKind::FamilyTent, 4);
    let safe = space(2, "WSS", UnitKind::WomensSafeSpace, 2);
    let p = propose(&group, &[tent.clone(), safe]);
    assert_eq!(unit_of(&p, 1), Some(id(2)));
    assert_eq!(p.placements[0].kind, UnitKind::WomensSafeSpace);
    let p = propose(&group, &[tent]);
    assert_eq!(
        reason_of(&p, 1),
        Some(
            "women travelling alone are placed only in a women's safe space, and no women's safe space has a free bed (needs 1)"
        )
    );
}

#[test]
fn a_woman_at_risk_with_adult_relatives_is_placed_apart() {
    let group = [alone(1, 1), adult(2, 1)];
    let spaces = [
        space(1, "Tent A", UnitKind::FamilyTent, 4),
        space(2, "WSS", UnitKind::WomensSafeSpace, 2),
    ];
    let p = propose(&group, &spaces);
    assert_eq!(unit_of(&p, 1), Some(id(2)));
    assert_eq!(unit_of(&p, 2), Some(id(1)));
}

#[test]
fn a_mother_alone_keeps_her_children() {
    let group = [alone(1, 1), child(2, 1, 1), child(3, 1, 4)];
    let safe = space(1, "WSS", UnitKind::WomensSafeSpace, 3);
    let tent = space(2, "Tent", UnitKind::FamilyTent, 3);
    let hall = space(3, "Hall", UnitKind::CommunalHall, 30);
    let p = propose(&group, &[safe.clone(), tent.clone(), hall.clone()]);
    assert!((1..=3).all(|n| unit_of(&p, n) == Some(id(1))));
    // The safe space is too small for the three of them: a tent of their own.
    let small_safe = Space { free: 2, ..safe };
    let p = propose(&group, &[small_safe.clone(), tent, hall.clone()]);
    assert!((1..=3).all(|n| unit_of(&p, n) == Some(id(2))));
    // Never a communal hall among strangers, and never apart.
    let p = propose(&group, &[small_safe, hall]);
    assert!(p.placements.is_empty());
    assert_eq!(
        reason_of(&p, 2),
        Some(
            "a woman travelling alone stays with her children in one women's safe space or family tent: household of 3 does not fit in one unit: largest free is 2"
        )
    );
}

#[test]
fn children_of_unknown_age_stay_with_their_mother() {
    let group = [alone(1, 1), person(2, 1, Sex::M, None)];
    let p = propose(&group, &[space(1, "Tent", UnitKind::FamilyTent, 2)]);
    assert_eq!(unit_of(&p, 1), unit_of(&p, 2));
    assert!(unit_of(&p, 1).is_some());
}

#[test]
fn a_woman_at_risk_with_children_and_another_adult_stays_with_her_household() {
    let group = [alone(1, 1), adult(2, 1), child(3, 1, 2)];
    let spaces = [
        space(1, "WSS", UnitKind::WomensSafeSpace, 5),
        space(2, "Hall", UnitKind::CommunalHall, 9),
    ];
    let p = propose(&group, &spaces);
    assert!((1..=3).all(|n| unit_of(&p, n) == Some(id(2))));
}

#[test]
fn medical_isolation_is_never_proposed() {
    let p = propose(
        &household(1, 2, 1),
        &[space(1, "Isolation", UnitKind::MedicalIsolation, 10)],
    );
    assert!(p.placements.is_empty());
    assert_eq!(p.not_placed.len(), 2);
}

#[test]
fn each_person_and_each_unit_counts_once() {
    let mut group = household(1, 2, 1);
    group.push(adult(1, 1));
    let spaces = [
        space(1, "Tent", UnitKind::FamilyTent, 2),
        space(1, "Tent", UnitKind::FamilyTent, 2),
    ];
    let p = propose(&group, &spaces);
    assert_eq!(p.placements.len(), 2);
    let mut again = household(10, 2, 2);
    again.extend(household(1, 2, 1));
    let p = propose(&again, &spaces);
    assert_eq!((p.placements.len(), p.not_placed.len()), (2, 2));
}

#[test]
fn ties_between_units_go_by_name() {
    let spaces = [
        space(9, "Tent B", UnitKind::FamilyTent, 3),
        space(8, "Tent A", UnitKind::FamilyTent, 3),
    ];
    let p = propose(&household(1, 2, 1), &spaces);
    assert_eq!(p.placements[0].unit_name, "Tent A");
}

#[test]
fn who_is_placed_apart() {
    let sc = NeedCode::parse("SC-SC").unwrap();
    let wr = NeedCode::parse("WR-LC").unwrap();
    let sm = NeedCode::parse("SM-CI").unwrap();
    assert!(unaccompanied_child(&[ProfileFlag::SeparatedChild], &[]));
    assert!(unaccompanied_child(&[ProfileFlag::UnaccompaniedChild], &[]));
    assert!(unaccompanied_child(&[], std::slice::from_ref(&sc)));
    assert!(!unaccompanied_child(
        &[ProfileFlag::Smuggled],
        std::slice::from_ref(&sm)
    ));
    assert!(woman_alone(Sex::F, Some(30), 0, &[]));
    assert!(woman_alone(Sex::F, None, 0, &[]));
    assert!(!woman_alone(Sex::F, Some(30), 1, &[]));
    assert!(!woman_alone(Sex::F, Some(15), 0, &[]));
    assert!(!woman_alone(Sex::M, Some(30), 0, &[]));
    assert!(woman_alone(Sex::F, Some(30), 2, std::slice::from_ref(&wr)));
}

#[test]
fn a_proposal_travels_as_json() {
    let p = propose(
        &[adult(1, 1), unaccompanied(2, 1, 10)],
        &[space(1, "Tent", UnitKind::FamilyTent, 1)],
    );
    let json = serde_json::to_value(&p).unwrap();
    assert_eq!(json["placements"][0]["kind"], "family_tent");
    assert_eq!(json["not_placed"][0]["name"], "person 2");
    let back: Proposal = serde_json::from_value(json).unwrap();
    assert_eq!(back, p);
}
