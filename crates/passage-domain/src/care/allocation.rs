//! The allocation proposal: where each person of an arriving group could sleep, given the
//! free beds of the site's units. A clerk confirms or changes it; nothing is assigned here.
//!
//! The rules, in the order they bind:
//!
//! - **Unaccompanied and separated children** go only to a child-friendly space, one by
//!   one, apart from the adults they travelled with (who are not their carers). Children
//!   who travelled together are kept in the same space when one has room for all of them.
//! - **Women travelling alone** go only to a women's safe space, one by one (together when
//!   one space takes them all).
//! - **A household** (the rest of the people of one household) stays together in one unit:
//!   the family tent with the fewest free beds that still takes it all, otherwise such a
//!   communal hall. Never split across units.
//! - **A woman travelling alone is never separated from her children.** When her household
//!   has a possible child (under 18 or of unknown age) besides the women travelling alone,
//!   the household stays whole: with no other adult, in a women's safe space that takes
//!   them all, otherwise a family tent of their own (never a communal hall among strangers);
//!   with another adult, like any household.
//! - **Medical isolation** is never proposed: health staff assign it.
//! - No unit receives more people than it has free beds.
//!
//! Larger parties are placed first (best fit decreasing, which leaves the large units for
//! the large households); among parties of the same size the one with the youngest member
//! comes first, then the household id. Units with the same free beds are taken in order of
//! name, then id. The proposal therefore depends only on who arrives and what is free, not
//! on the order either is listed in. Everyone not placed is named with the rule that kept
//! them out and why.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::shelter::UnitKind;
use crate::person::{ProfileFlag, Sex};
use crate::protection::needs::NeedCode;

/// Age from which a person counts as an adult.
pub const ADULT_AGE: u32 = 18;

/// One person of an arriving group, as allocation needs to know them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Arriving {
    pub person_id: Uuid,
    pub household_id: Uuid,
    /// The name a clerk reads, for the list of people not placed.
    pub name: String,
    pub sex: Sex,
    /// Age in whole years, when known.
    pub age: Option<u32>,
    /// Flagged as unaccompanied or separated child, or with an `SC-*` need
    /// ([`unaccompanied_child`]).
    pub unaccompanied_child: bool,
    /// An adult woman whose household has no other adult, or with a `WR-*` need
    /// ([`woman_alone`]).
    pub woman_alone: bool,
    /// Members of this person's household who were counted at registration but not yet
    /// registered one by one (a level-1 household): they stay with this person, and need
    /// beds as much as anyone. Set on one member of the household, usually the head.
    #[serde(default)]
    pub companions: u32,
}

/// Free beds in one unit, as [`super::shelter::occupancy`] counts them. Closed units are
/// left out by the caller (or given with no free beds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Space {
    pub unit_id: Uuid,
    pub unit_name: String,
    pub kind: UnitKind,
    pub free: u32,
}

/// One person proposed for one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Placement {
    pub person_id: Uuid,
    pub household_id: Uuid,
    pub unit_id: Uuid,
    pub unit_name: String,
    pub kind: UnitKind,
    /// Unregistered household members who take beds with this person.
    pub companions: u32,
}

/// One person the proposal found no bed for, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct NotPlaced {
    pub person_id: Uuid,
    pub household_id: Uuid,
    pub name: String,
    /// In plain words: the rule that applies and why it could not be met.
    #[schema(
        example = "a household stays together in one family tent or communal hall: household of 7 does not fit in one unit: largest free is 5"
    )]
    pub reason: String,
}

/// Where everyone of a group could go; each person is in exactly one of the two lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Proposal {
    pub placements: Vec<Placement>,
    pub not_placed: Vec<NotPlaced>,
}

/// Whether a person is to be placed as an unaccompanied or separated child: so flagged, or
/// with a specific need of category `SC`.
pub fn unaccompanied_child(flags: &[ProfileFlag], needs: &[NeedCode]) -> bool {
    flags.iter().any(|f| {
        matches!(
            f,
            ProfileFlag::UnaccompaniedChild | ProfileFlag::SeparatedChild
        )
    }) || needs.iter().any(NeedCode::is_separated_child)
}

/// Whether a person is to be placed as a woman travelling alone: a woman, adult or of
/// unknown age, whose household has no other adult (`other_adults` counts the household's
/// other members aged 18 or more), or anyone with a specific need of category `WR`.
pub fn woman_alone(sex: Sex, age: Option<u32>, other_adults: u32, needs: &[NeedCode]) -> bool {
    let adult_woman = sex == Sex::F && age.is_none_or(|a| a >= ADULT_AGE);
    (adult_woman && other_adults == 0) || needs.iter().any(|n| n.category() == "WR")
}

const CHILD_RULE: &str = "unaccompanied and separated children are placed only in a child-friendly space, and no child-friendly space has a free bed (needs 1)";
const WOMAN_RULE: &str = "women travelling alone are placed only in a women's safe space, and no women's safe space has a free bed (needs 1)";
const HOUSEHOLD_RULE: &str = "a household stays together in one family tent or communal hall";
const FAMILY_UNITS: &str = "family tent or communal hall";
const MOTHER_RULE: &str =
    "a woman travelling alone stays with her children in one women's safe space or family tent";
const MOTHER_UNITS: &str = "women's safe space or family tent";

/// Where one party may go, in order of preference, and the words for when it cannot.
struct Rule {
    kinds: &'static [UnitKind],
    /// Placed one by one when no unit takes the whole party.
    one_by_one: bool,
    text: &'static str,
    units: &'static str,
}

const HOUSEHOLD: Rule = Rule {
    kinds: &[UnitKind::FamilyTent, UnitKind::CommunalHall],
    one_by_one: false,
    text: HOUSEHOLD_RULE,
    units: FAMILY_UNITS,
};
const MOTHER_AND_CHILDREN: Rule = Rule {
    kinds: &[UnitKind::WomensSafeSpace, UnitKind::FamilyTent],
    one_by_one: false,
    text: MOTHER_RULE,
    units: MOTHER_UNITS,
};
const CHILDREN: Rule = Rule {
    kinds: &[UnitKind::ChildFriendlySpace],
    one_by_one: true,
    text: CHILD_RULE,
    units: "child-friendly space",
};
const WOMEN: Rule = Rule {
    kinds: &[UnitKind::WomensSafeSpace],
    one_by_one: true,
    text: WOMAN_RULE,
    units: "women's safe space",
};

/// People of one household placed under one rule.
struct Party<'a> {
    household_id: Uuid,
    members: Vec<&'a Arriving>,
}

impl Party<'_> {
    /// Beds the party needs: its registered members and their companions.
    fn size(&self) -> u32 {
        let companions: u32 = self
            .members
            .iter()
            .map(|m| m.companions)
            .fold(0, u32::saturating_add);
        u32::try_from(self.members.len())
            .unwrap_or(u32::MAX)
            .saturating_add(companions)
    }

    fn youngest(&self) -> u32 {
        self.members
            .iter()
            .map(|m| age_key(m))
            .min()
            .unwrap_or(u32::MAX)
    }
}

/// Age for ordering: unknown ages after every known one.
fn age_key(a: &Arriving) -> u32 {
    a.age.unwrap_or(u32::MAX)
}

/// Under 18 or of unknown age: never separated from a mother travelling alone.
fn possible_child(a: &Arriving) -> bool {
    a.age.is_none_or(|age| age < ADULT_AGE)
}

/// The free beds still left in each unit the proposal may use.
struct Beds<'a> {
    units: Vec<(&'a Space, u32)>,
}

impl<'a> Beds<'a> {
    /// The first listing of each unit counts; medical isolation is left out. Sorted by
    /// name then id, so that ties between units do not depend on the order given.
    fn new(spaces: &'a [Space]) -> Self {
        let mut seen = BTreeSet::new();
        let mut units: Vec<(&Space, u32)> = spaces
            .iter()
            .filter(|s| seen.insert(s.unit_id) && s.kind != UnitKind::MedicalIsolation)
            .map(|s| (s, s.free))
            .collect();
        units.sort_by(|(a, _), (b, _)| (&a.unit_name, a.unit_id).cmp(&(&b.unit_name, b.unit_id)));
        Self { units }
    }

    /// The unit of the first kind that has room for `need`, with the fewest free beds
    /// (best fit), and within a kind the first by name.
    fn best_fit(&self, kinds: &[UnitKind], need: u32) -> Option<usize> {
        kinds.iter().find_map(|&kind| {
            self.units
                .iter()
                .enumerate()
                .filter(|(_, (s, left))| s.kind == kind && *left >= need)
                .min_by_key(|(_, (_, left))| *left)
                .map(|(i, _)| i)
        })
    }

    /// The most free beds in one unit of any of `kinds`.
    fn largest(&self, kinds: &[UnitKind]) -> u32 {
        self.units
            .iter()
            .filter(|(s, _)| kinds.contains(&s.kind))
            .map(|(_, left)| *left)
            .max()
            .unwrap_or(0)
    }

    /// Takes `n` beds of unit `i`.
    fn take(&mut self, i: usize, n: u32) -> Option<&'a Space> {
        let (space, left) = self.units.get_mut(i)?;
        *left = left.saturating_sub(n);
        Some(*space)
    }
}

/// Proposes a unit for each person of `group` from the free beds of `spaces`. A person
/// listed twice counts once; so does a unit.
pub fn propose(group: &[Arriving], spaces: &[Space]) -> Proposal {
    let mut seen = BTreeSet::new();
    let people: Vec<&Arriving> = group.iter().filter(|a| seen.insert(a.person_id)).collect();

    let mut women = Vec::new();
    let mut mothers = Vec::new();
    let mut households = Vec::new();
    for party in parties(people.iter().copied().filter(|a| !a.unaccompanied_child)) {
        let (alone, others): (Vec<&Arriving>, Vec<&Arriving>) =
            party.members.iter().partition(|a| a.woman_alone);
        let with_children = !alone.is_empty() && others.iter().any(|a| possible_child(a));
        let other_adult = others.iter().any(|a| !possible_child(a));
        if with_children && !other_adult {
            mothers.push(party);
        } else if with_children || alone.is_empty() {
            households.push(party);
        } else {
            women.extend(alone);
            if !others.is_empty() {
                households.push(Party {
                    household_id: party.household_id,
                    members: others,
                });
            }
        }
    }
    let children = people.iter().copied().filter(|a| a.unaccompanied_child);

    let mut beds = Beds::new(spaces);
    let mut out = Proposal::default();
    // Those with fewer choices first: children and women alone have one kind of unit; a
    // mother with her children has two, and takes a family tent before households, which
    // can still go to a communal hall.
    for party in parties(children) {
        place(&mut beds, &party, &CHILDREN, &mut out);
    }
    for party in parties(women) {
        place(&mut beds, &party, &WOMEN, &mut out);
    }
    for party in ordered(mothers) {
        place(&mut beds, &party, &MOTHER_AND_CHILDREN, &mut out);
    }
    for party in ordered(households) {
        place(&mut beds, &party, &HOUSEHOLD, &mut out);
    }
    out
}

/// The people grouped by household, in placement order.
fn parties<'a>(people: impl IntoIterator<Item = &'a Arriving>) -> Vec<Party<'a>> {
    let mut by_household: BTreeMap<Uuid, Vec<&Arriving>> = BTreeMap::new();
    for a in people {
        by_household.entry(a.household_id).or_default().push(a);
    }
    ordered(
        by_household
            .into_iter()
            .map(|(household_id, members)| Party {
                household_id,
                members,
            })
            .collect(),
    )
}

/// Larger parties first, then the one with the youngest member, then by household id;
/// within a party the youngest first, then by person id.
fn ordered(mut parties: Vec<Party<'_>>) -> Vec<Party<'_>> {
    for p in &mut parties {
        p.members.sort_by_key(|a| (age_key(a), a.person_id));
    }
    parties.sort_by_key(|p| (Reverse(p.size()), p.youngest(), p.household_id));
    parties
}

/// Places a party whole in the best-fitting unit its rule allows; failing that, one by one
/// when the rule allows it, or not at all.
fn place(beds: &mut Beds<'_>, party: &Party<'_>, rule: &Rule, out: &mut Proposal) {
    let n = party.size();
    if let Some(space) = beds.best_fit(rule.kinds, n).and_then(|i| beds.take(i, n)) {
        out.placements
            .extend(party.members.iter().map(|a| placement(a, space)));
        return;
    }
    if rule.one_by_one {
        for a in &party.members {
            let need = a.companions.saturating_add(1);
            match beds
                .best_fit(rule.kinds, need)
                .and_then(|i| beds.take(i, need))
            {
                Some(space) => out.placements.push(placement(a, space)),
                None => out.not_placed.push(not_placed(a, rule.text.to_owned())),
            }
        }
        return;
    }
    let largest = beds.largest(rule.kinds);
    let reason = if largest == 0 {
        format!(
            "{}, and no {} has a free bed (household of {n})",
            rule.text, rule.units
        )
    } else {
        format!(
            "{}: household of {n} does not fit in one unit: largest free is {largest}",
            rule.text
        )
    };
    out.not_placed
        .extend(party.members.iter().map(|a| not_placed(a, reason.clone())));
}

fn placement(a: &Arriving, space: &Space) -> Placement {
    Placement {
        person_id: a.person_id,
        household_id: a.household_id,
        unit_id: space.unit_id,
        unit_name: space.unit_name.clone(),
        kind: space.kind,
        companions: a.companions,
    }
}

fn not_placed(a: &Arriving, reason: String) -> NotPlaced {
    NotPlaced {
        person_id: a.person_id,
        household_id: a.household_id,
        name: a.name.clone(),
        reason,
    }
}

#[cfg(test)]
mod tests;
