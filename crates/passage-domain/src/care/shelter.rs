//! Shelter units of a site (tents, halls, safe spaces) and how full they are.
//!
//! Occupancy is never typed in: it is counted from the open stays, one per person staying,
//! so that the number a clerk reads is always the number of people actually assigned.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::{Problems, ValidationErrors};
use crate::text::{self, MAX_TEXT};

coded! {
    /// What a unit is for. The kind decides who the allocation proposal may place there.
    pub enum UnitKind {
        /// A tent or room for one household.
        FamilyTent => "family_tent",
        /// A shared hall where several households sleep.
        CommunalHall => "communal_hall",
        /// For unaccompanied and separated children, under child-protection staff.
        ChildFriendlySpace => "child_friendly_space",
        /// For women and girls travelling alone or at risk.
        WomensSafeSpace => "womens_safe_space",
        /// For people who must be kept apart for medical reasons; assigned by health
        /// staff only, never by the allocation proposal.
        MedicalIsolation => "medical_isolation",
    }
}

/// Most beds one unit may have: a large communal hall, not a whole camp.
pub const MAX_BEDS: u32 = 5000;

/// What a client sends to create or replace a shelter unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShelterUnitDetails {
    /// The site the unit belongs to.
    pub site_id: Uuid,
    #[schema(example = "Tent B-12")]
    pub name: String,
    pub kind: UnitKind,
    /// Sleeping places, 1 to 5000.
    pub beds: u32,
    /// A closed unit takes nobody new; people already there stay until moved.
    #[serde(default)]
    pub closed: bool,
}

impl ShelterUnitDetails {
    /// Cleans the name and refuses a unit without a name or with no beds or too many.
    pub fn validated(self) -> Result<Self, ValidationErrors> {
        let mut p = Problems::new();
        let name = text::clean(&self.name).unwrap_or_default();
        if name.is_empty() {
            p.add("name", "is empty");
        } else if name.chars().count() > MAX_TEXT {
            p.add("name", format!("longer than {MAX_TEXT} characters"));
        }
        if !(1..=MAX_BEDS).contains(&self.beds) {
            p.add("beds", format!("{} is outside 1..{MAX_BEDS}", self.beds));
        }
        p.finish(Self { name, ..self })
    }
}

/// How full one unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UnitOccupancy {
    pub unit_id: Uuid,
    pub kind: UnitKind,
    pub beds: u32,
    /// People with an open stay in the unit.
    pub occupied: u32,
    /// Beds left; 0 when the unit is full or over.
    pub free: u32,
    /// People beyond the beds (crowding); 0 when within.
    pub over: u32,
}

/// Occupancy of each unit from the open stays (one entry per person staying), never typed in.
///
/// `units` are `(unit_id, kind, beds)`; `open_stays_per_unit` are `(unit_id, people)`,
/// summed when a unit appears more than once, ignored for a unit not in `units`. One entry
/// per unit, in the order of `units`.
pub fn occupancy(
    units: &[(Uuid, UnitKind, u32)],
    open_stays_per_unit: &[(Uuid, u32)],
) -> Vec<UnitOccupancy> {
    units
        .iter()
        .map(|&(unit_id, kind, beds)| {
            let occupied = open_stays_per_unit
                .iter()
                .filter(|(u, _)| *u == unit_id)
                .fold(0u32, |sum, (_, n)| sum.saturating_add(*n));
            UnitOccupancy {
                unit_id,
                kind,
                beds,
                occupied,
                free: beds.saturating_sub(occupied),
                over: occupied.saturating_sub(beds),
            }
        })
        .collect()
}

/// A unit, or the whole site, filled to or past the warning threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CapacityWarning {
    /// The unit; absent for the whole site (every unit given, together).
    pub unit_id: Option<Uuid>,
    pub occupied: u32,
    pub beds: u32,
    /// How full, in whole percent rounded down; above 100 when crowded, and `u32::MAX` for
    /// a unit without beds that has people in it.
    pub percent: u32,
}

/// Units (and the whole site) at or above `threshold_percent` full.
///
/// The comparison is exact (`occupied × 100 ≥ threshold × beds`), so rounding never hides
/// a unit that has reached the threshold. A unit without beds warns as soon as anyone is
/// in it. The whole site comes first, when it warns, then the units in the order given.
pub fn capacity_warnings(units: &[UnitOccupancy], threshold_percent: u32) -> Vec<CapacityWarning> {
    let mut out = Vec::new();
    if !units.is_empty() {
        let occupied: u64 = units.iter().map(|u| u64::from(u.occupied)).sum();
        let beds: u64 = units.iter().map(|u| u64::from(u.beds)).sum();
        if let Some(w) = warning(None, occupied, beds, threshold_percent) {
            out.push(w);
        }
    }
    out.extend(units.iter().filter_map(|u| {
        warning(
            Some(u.unit_id),
            u64::from(u.occupied),
            u64::from(u.beds),
            threshold_percent,
        )
    }));
    out
}

fn warning(
    unit_id: Option<Uuid>,
    occupied: u64,
    beds: u64,
    threshold_percent: u32,
) -> Option<CapacityWarning> {
    let reached = if beds == 0 {
        occupied > 0
    } else {
        occupied * 100 >= u64::from(threshold_percent) * beds
    };
    if !reached {
        return None;
    }
    let percent = (occupied * 100)
        .checked_div(beds)
        .map_or(u32::MAX, |p| u32::try_from(p).unwrap_or(u32::MAX));
    Some(CapacityWarning {
        unit_id,
        occupied: u32::try_from(occupied).unwrap_or(u32::MAX),
        beds: u32::try_from(beds).unwrap_or(u32::MAX),
        percent,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn details(name: &str, beds: u32) -> ShelterUnitDetails {
        ShelterUnitDetails {
            site_id: id(1),
            name: name.into(),
            kind: UnitKind::FamilyTent,
            beds,
            closed: false,
        }
    }

    #[test]
    fn a_unit_needs_a_name_and_beds() {
        let ok = details("  Tent  B-12 ", 6).validated().unwrap();
        assert_eq!(ok.name, "Tent  B-12");
        let err = details(" ", 0).validated().unwrap_err();
        let fields: Vec<&str> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "beds"]);
        assert_eq!(
            details("Hall", MAX_BEDS).validated().unwrap().beds,
            MAX_BEDS
        );
        let err = details("Hall", MAX_BEDS + 1).validated().unwrap_err();
        assert_eq!(err.0[0].field, "beds");
        let err = details(&"x".repeat(MAX_TEXT + 1), 1)
            .validated()
            .unwrap_err();
        assert_eq!(err.0[0].field, "name");
    }

    #[test]
    fn closed_defaults_to_false_and_unknown_fields_are_refused() {
        let d: ShelterUnitDetails = serde_json::from_value(serde_json::json!({
            "site_id": id(1), "name": "CFS 1", "kind": "child_friendly_space", "beds": 20
        }))
        .unwrap();
        assert!(!d.closed);
        assert_eq!(d.kind, UnitKind::ChildFriendlySpace);
        assert!(
            serde_json::from_value::<ShelterUnitDetails>(serde_json::json!({
                "site_id": id(1), "name": "A", "kind": "family_tent", "beds": 2, "occupied": 1
            }))
            .is_err()
        );
    }

    #[test]
    fn occupancy_counts_stays() {
        let units = [
            (id(1), UnitKind::FamilyTent, 6),
            (id(2), UnitKind::CommunalHall, 50),
            (id(3), UnitKind::WomensSafeSpace, 4),
        ];
        let stays = [(id(1), 4), (id(3), 3), (id(3), 2), (id(9), 7)];
        let occ = occupancy(&units, &stays);
        assert_eq!(occ.len(), 3);
        assert_eq!((occ[0].occupied, occ[0].free, occ[0].over), (4, 2, 0));
        assert_eq!((occ[1].occupied, occ[1].free, occ[1].over), (0, 50, 0));
        assert_eq!((occ[2].occupied, occ[2].free, occ[2].over), (5, 0, 1));
        assert_eq!(occ[2].kind, UnitKind::WomensSafeSpace);
    }

    #[test]
    fn warnings_at_or_above_the_threshold() {
        let units = [
            (id(1), UnitKind::FamilyTent, 10),
            (id(2), UnitKind::FamilyTent, 10),
            (id(3), UnitKind::CommunalHall, 3),
        ];
        let occ = occupancy(&units, &[(id(1), 9), (id(2), 8), (id(3), 2)]);
        let w = capacity_warnings(&occ, 90);
        assert_eq!(
            w,
            [CapacityWarning {
                unit_id: Some(id(1)),
                occupied: 9,
                beds: 10,
                percent: 90
            }]
        );
        // 2 of 3 is 66.6 %: it reaches 66 but not 67; the site is 19 of 23, 82 %.
        let w = capacity_warnings(&occ, 67);
        assert_eq!(w.len(), 3);
        assert_eq!(w[0].unit_id, None);
        assert_eq!((w[0].occupied, w[0].beds, w[0].percent), (19, 23, 82));
        let w = capacity_warnings(&occ, 66);
        assert_eq!(w.len(), 4);
        assert_eq!(w[3].percent, 66);
    }

    #[test]
    fn crowding_shows_above_one_hundred_percent() {
        let occ = occupancy(&[(id(1), UnitKind::FamilyTent, 4)], &[(id(1), 6)]);
        let w = capacity_warnings(&occ, 100);
        assert_eq!(w.len(), 2);
        assert_eq!(w[1].percent, 150);
        assert!(capacity_warnings(&[], 0).is_empty());
    }

    #[test]
    fn codes_are_the_serde_names() {
        for k in UnitKind::ALL {
            assert_eq!(
                serde_json::to_value(k).unwrap(),
                serde_json::json!(k.code())
            );
            assert_eq!(UnitKind::from_code(k.code()), Some(*k));
        }
    }
}
