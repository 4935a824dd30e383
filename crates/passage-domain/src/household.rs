//! Households and groups: people who arrive together. A group need not be a family.
//!
//! Level 1 registers a household by its head, its size and a count by sex and age bracket;
//! level 2 adds every member as an individual, keeping the household's number.

use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::age::AgeBracket;
use crate::data_protection::{self, DEFAULT_LEGAL_BASIS, LegalBasis, Purpose};
use crate::error::{Problems, ValidationErrors};
use crate::person::{PersonDetails, Sex};

/// Largest household or travelling group registered as one unit.
pub const MAX_HOUSEHOLD_SIZE: u32 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    /// Related people living as one household.
    Family,
    /// People travelling together who are not (all) family.
    Group,
}

impl GroupKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Family => "family",
            Self::Group => "group",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        [Self::Family, Self::Group]
            .into_iter()
            .find(|k| k.code() == s)
    }
}

/// A member's relationship to the head of the household or group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    Head,
    Spouse,
    Child,
    Stepchild,
    Parent,
    Sibling,
    Grandchild,
    Grandparent,
    NieceOrNephew,
    AuntOrUncle,
    Cousin,
    InLaw,
    OtherRelative,
    /// Travelling with the group, not related to the head.
    Unrelated,
}

impl Relationship {
    pub const ALL: [Relationship; 14] = [
        Self::Head,
        Self::Spouse,
        Self::Child,
        Self::Stepchild,
        Self::Parent,
        Self::Sibling,
        Self::Grandchild,
        Self::Grandparent,
        Self::NieceOrNephew,
        Self::AuntOrUncle,
        Self::Cousin,
        Self::InLaw,
        Self::OtherRelative,
        Self::Unrelated,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Head => "head",
            Self::Spouse => "spouse",
            Self::Child => "child",
            Self::Stepchild => "stepchild",
            Self::Parent => "parent",
            Self::Sibling => "sibling",
            Self::Grandchild => "grandchild",
            Self::Grandparent => "grandparent",
            Self::NieceOrNephew => "niece_or_nephew",
            Self::AuntOrUncle => "aunt_or_uncle",
            Self::Cousin => "cousin",
            Self::InLaw => "in_law",
            Self::OtherRelative => "other_relative",
            Self::Unrelated => "unrelated",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == s)
    }
}

/// Counts by sex and age bracket, in the UNHCR layout (`f_0_4 … f_60, f_other`, the same
/// for `m_`), plus people whose sex is other or not known.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Breakdown {
    pub f_0_4: u32,
    pub f_5_11: u32,
    pub f_12_17: u32,
    pub f_18_59: u32,
    pub f_60: u32,
    pub f_other: u32,
    pub m_0_4: u32,
    pub m_5_11: u32,
    pub m_12_17: u32,
    pub m_18_59: u32,
    pub m_60: u32,
    pub m_other: u32,
    /// Sex other or not known, any age.
    pub x_total: u32,
}

/// Counts added without wrapping round.
fn sum(counts: &[u32]) -> u32 {
    counts.iter().fold(0u32, |a, b| a.saturating_add(*b))
}

impl Breakdown {
    /// Everyone counted. Counts are typed by people: a sum past `u32::MAX` stays there
    /// (and so never equals a household's size) instead of wrapping round to a small one.
    pub fn total(&self) -> u32 {
        sum(&[self.female_total(), self.male_total(), self.x_total])
    }

    pub fn female_total(&self) -> u32 {
        sum(&[
            self.f_0_4,
            self.f_5_11,
            self.f_12_17,
            self.f_18_59,
            self.f_60,
            self.f_other,
        ])
    }

    pub fn male_total(&self) -> u32 {
        sum(&[
            self.m_0_4,
            self.m_5_11,
            self.m_12_17,
            self.m_18_59,
            self.m_60,
            self.m_other,
        ])
    }

    /// Counts one person of `sex` in `bracket`.
    pub fn add(&mut self, sex: Sex, bracket: AgeBracket) {
        use AgeBracket::*;
        let cell = match (sex, bracket) {
            (Sex::F, Age0To4) => &mut self.f_0_4,
            (Sex::F, Age5To11) => &mut self.f_5_11,
            (Sex::F, Age12To17) => &mut self.f_12_17,
            (Sex::F, Age18To59) => &mut self.f_18_59,
            (Sex::F, Age60Plus) => &mut self.f_60,
            (Sex::F, Unknown) => &mut self.f_other,
            (Sex::M, Age0To4) => &mut self.m_0_4,
            (Sex::M, Age5To11) => &mut self.m_5_11,
            (Sex::M, Age12To17) => &mut self.m_12_17,
            (Sex::M, Age18To59) => &mut self.m_18_59,
            (Sex::M, Age60Plus) => &mut self.m_60,
            (Sex::M, Unknown) => &mut self.m_other,
            (Sex::X | Sex::U, _) => &mut self.x_total,
        };
        *cell += 1;
    }

    /// The breakdown of a list of individuals at a reference date.
    pub fn of<'a>(people: impl IntoIterator<Item = &'a PersonDetails>, reference: Date) -> Self {
        let mut b = Self::default();
        for p in people {
            let age = p.date_of_birth.and_then(|d| d.age_at(reference));
            b.add(p.sex, AgeBracket::of(age));
        }
        b
    }
}

/// One member added to a household: who they are and how they relate to the head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberDetails {
    pub relationship: Relationship,
    pub person: PersonDetails,
}

/// A household registration as a client sends it. Without `members` it is a level-1
/// registration and needs `size` and `breakdown`; with members it is level 2.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HouseholdRegistration {
    pub arrival_id: Uuid,
    #[serde(default = "default_kind")]
    pub kind: GroupKind,
    /// Number of people in the household, head included. At level 2 it may be left out.
    pub size: Option<u32>,
    pub breakdown: Option<Breakdown>,
    pub head: PersonDetails,
    /// Other members, registered as individuals (level 2).
    #[serde(default)]
    pub members: Vec<MemberDetails>,
    /// Why the household's data may be held. When left out: `mandate`, the basis of
    /// registration by an organisation with a protection or assistance mandate.
    pub legal_basis: Option<LegalBasis>,
    /// What the data are held for; each purpose has its retention period. When left out:
    /// `[registration]`. An empty list is refused.
    pub purposes: Option<Vec<Purpose>>,
    /// Persons already registered that the matching engine called likely duplicates,
    /// checked by the clerk and found to be other people: registration goes ahead and
    /// the decision is remembered.
    pub not_duplicates: Option<NotDuplicates>,
}

/// The clerk's decision that likely duplicates are other people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotDuplicates {
    pub person_ids: Vec<Uuid>,
    /// What the clerk checked.
    pub reason: String,
}

fn default_kind() -> GroupKind {
    GroupKind::Family
}

impl HouseholdRegistration {
    /// Checks the registration as a whole and returns it cleaned, with its size and
    /// breakdown settled.
    pub fn validated(self, today: Date) -> Result<ValidHousehold, ValidationErrors> {
        let mut p = Problems::new();
        let head = match self.head.validated(today) {
            Ok(h) => Some(h),
            Err(e) => {
                p.nest("head", e);
                None
            }
        };
        let mut members = Vec::with_capacity(self.members.len());
        for (i, m) in self.members.into_iter().enumerate() {
            if m.relationship == Relationship::Head {
                p.add(
                    format!("members[{i}].relationship"),
                    "the head is given in `head`, not among the members",
                );
            }
            match m.person.validated(today) {
                Ok(person) => members.push(MemberDetails { person, ..m }),
                Err(e) => p.nest(&format!("members[{i}].person"), e),
            }
        }
        let registered = 1 + u32::try_from(members.len()).unwrap_or(u32::MAX);
        let size = self.size.unwrap_or(registered);
        if size == 0 {
            p.add("size", "a household has at least one person, its head");
        } else if size > MAX_HOUSEHOLD_SIZE {
            p.add("size", format!("{size} is more than {MAX_HOUSEHOLD_SIZE}; register large groups as several households"));
        } else if size < registered {
            p.add(
                "size",
                format!(
                    "{size} is fewer than the {registered} people registered (head and members)"
                ),
            );
        }
        let purposes = match data_protection::validated_purposes(self.purposes) {
            Ok(purposes) => purposes,
            Err(e) => {
                p.add("purposes", e);
                Vec::new()
            }
        };
        let level_one = members.is_empty();
        let breakdown = match (self.breakdown, &head) {
            (Some(b), _) => {
                if b.total() != size {
                    p.add(
                        "breakdown",
                        format!("the counts add up to {}, but size is {size}", b.total()),
                    );
                }
                b
            }
            (None, Some(head)) if !level_one || size == 1 => Breakdown::of(
                std::iter::once(head).chain(members.iter().map(|m| &m.person)),
                today,
            ),
            (None, Some(_)) => {
                p.add(
                    "breakdown",
                    "a level-1 registration needs the count by sex and age bracket",
                );
                Breakdown::default()
            }
            (None, None) => Breakdown::default(),
        };
        let Some(head) = head else {
            return Err(p
                .finish(())
                .err()
                .unwrap_or_else(|| ValidationErrors::one("head", "is not valid")));
        };
        p.finish(ValidHousehold {
            arrival_id: self.arrival_id,
            kind: self.kind,
            size,
            breakdown,
            head,
            members,
            legal_basis: self.legal_basis.unwrap_or(DEFAULT_LEGAL_BASIS),
            purposes,
        })
    }
}

/// A household registration that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidHousehold {
    pub arrival_id: Uuid,
    pub kind: GroupKind,
    pub size: u32,
    pub breakdown: Breakdown,
    pub head: PersonDetails,
    pub members: Vec<MemberDetails>,
    pub legal_basis: LegalBasis,
    /// At least one, sorted, without repeats.
    pub purposes: Vec<Purpose>,
}

impl ValidHousehold {
    /// Level 1 when only the head is registered as an individual and others are counted.
    pub fn is_level_one(&self) -> bool {
        u32::try_from(self.members.len()).map_or(true, |n| n + 1 < self.size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::age::{DateOfBirth, DobPrecision};
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 27);

    fn level_one(size: u32, breakdown: Breakdown) -> HouseholdRegistration {
        HouseholdRegistration {
            arrival_id: Uuid::nil(),
            kind: GroupKind::Family,
            size: Some(size),
            breakdown: Some(breakdown),
            head: PersonDetails::named("Hasina", Sex::F),
            members: Vec::new(),
            legal_basis: None,
            purposes: None,
            not_duplicates: None,
        }
    }

    #[test]
    fn basis_and_purposes_default_to_mandate_and_registration() {
        let b = Breakdown {
            f_18_59: 1,
            ..Default::default()
        };
        let v = level_one(1, b).validated(TODAY).unwrap();
        assert_eq!(v.legal_basis, LegalBasis::Mandate);
        assert_eq!(v.purposes, [Purpose::Registration]);
        let mut r = level_one(1, b);
        r.legal_basis = Some(LegalBasis::VitalInterest);
        r.purposes = Some(vec![Purpose::Assistance, Purpose::Registration]);
        let v = r.validated(TODAY).unwrap();
        assert_eq!(v.legal_basis, LegalBasis::VitalInterest);
        assert_eq!(v.purposes, [Purpose::Registration, Purpose::Assistance]);
        let mut r = level_one(1, b);
        r.purposes = Some(Vec::new());
        assert_eq!(r.validated(TODAY).unwrap_err().0[0].field, "purposes");
    }

    #[test]
    fn counts_past_the_largest_number_are_refused_not_wrapped_round() {
        // 2^32 - 1 + 2 would wrap round to 1, a household of one.
        let b = Breakdown {
            f_18_59: u32::MAX,
            m_18_59: 2,
            ..Default::default()
        };
        assert_eq!(b.total(), u32::MAX);
        let err = level_one(1, b).validated(TODAY).unwrap_err();
        assert!(err.0.iter().any(|e| e.field == "breakdown"), "{err}");
    }

    #[test]
    fn level_one_counts_must_add_up_to_size() {
        let b = Breakdown {
            f_18_59: 1,
            m_0_4: 2,
            f_5_11: 1,
            ..Default::default()
        };
        let ok = level_one(4, b).validated(TODAY).unwrap();
        assert!(ok.is_level_one());
        let err = level_one(5, b).validated(TODAY).unwrap_err();
        assert_eq!(err.0[0].field, "breakdown");
    }

    #[test]
    fn level_one_without_breakdown_is_refused() {
        let mut r = level_one(3, Breakdown::default());
        r.breakdown = None;
        let err = r.validated(TODAY).unwrap_err();
        assert_eq!(err.0[0].field, "breakdown");
    }

    #[test]
    fn level_two_derives_size_and_breakdown_from_members() {
        let mut child = PersonDetails::named("Ayub", Sex::M);
        child.date_of_birth = Some(DateOfBirth {
            date: date!(2020 - 01 - 01),
            precision: DobPrecision::YearOnly,
        });
        let r = HouseholdRegistration {
            size: None,
            breakdown: None,
            members: vec![MemberDetails {
                relationship: Relationship::Child,
                person: child,
            }],
            ..level_one(0, Breakdown::default())
        };
        let v = r.validated(TODAY).unwrap();
        assert_eq!(v.size, 2);
        assert_eq!(v.breakdown.m_5_11, 1);
        assert_eq!(v.breakdown.f_other, 1);
        assert!(!v.is_level_one());
    }

    #[test]
    fn errors_in_members_name_their_index() {
        let mut bad = PersonDetails::named("", Sex::M);
        bad.given_name = None;
        let r = HouseholdRegistration {
            size: None,
            breakdown: None,
            members: vec![
                MemberDetails {
                    relationship: Relationship::Child,
                    person: PersonDetails::named("Nur", Sex::F),
                },
                MemberDetails {
                    relationship: Relationship::Child,
                    person: bad,
                },
            ],
            ..level_one(0, Breakdown::default())
        };
        let err = r.validated(TODAY).unwrap_err();
        assert_eq!(err.0[0].field, "members[1].person.given_name");
    }

    #[test]
    fn size_bounds_are_enforced() {
        let err = level_one(0, Breakdown::default())
            .validated(TODAY)
            .unwrap_err();
        assert_eq!(err.0[0].field, "size");
        let big = Breakdown {
            m_18_59: 61,
            ..Default::default()
        };
        assert_eq!(
            level_one(61, big).validated(TODAY).unwrap_err().0[0].field,
            "size"
        );
    }
}
