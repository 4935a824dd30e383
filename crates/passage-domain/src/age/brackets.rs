//! Age brackets of a statistical table: the standard five (0-4, 5-11, 12-17, 18-59,
//! 60+) or any other list of lower bounds a report asks for, plus unknown age.

use time::{Date, Month};

use super::AgeBracket;

/// Brackets by their lower bounds in completed years: `[0, 5, 12, 18, 60]` is the
/// standard set; each bracket runs to the next bound, the last one is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Brackets {
    bounds: Vec<u32>,
}

/// The label of people whose age is not known, in every set of brackets.
pub const UNKNOWN_AGE: &str = "other";

impl Default for Brackets {
    fn default() -> Self {
        Self {
            bounds: vec![0, 5, 12, 18, 60],
        }
    }
}

impl Brackets {
    /// Reads comma-separated lower bounds (`0,18,60`): the first must be 0, each greater
    /// than the one before, none above 120.
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut bounds = Vec::new();
        for part in s.split(',').map(str::trim) {
            let n: u32 = part
                .parse()
                .map_err(|_| format!("`{part}` is not an age in whole years"))?;
            if n > 120 {
                return Err(format!("{n} is past any age"));
            }
            if bounds.last().is_some_and(|last| n <= *last) {
                return Err(format!(
                    "{n} does not come after {}: list the lower bounds in increasing order",
                    bounds.last().copied().unwrap_or_default()
                ));
            }
            bounds.push(n);
        }
        if bounds.first() != Some(&0) {
            return Err("the first bracket starts at 0".into());
        }
        Ok(Self { bounds })
    }

    pub fn is_standard(&self) -> bool {
        *self == Self::default()
    }

    /// The labels in order (`0_4`, `5_11` … `60`), then [`UNKNOWN_AGE`]. With the standard
    /// brackets these are the suffixes of the UNHCR layout.
    pub fn labels(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .bounds
            .iter()
            .enumerate()
            .map(|(i, lo)| match self.bounds.get(i + 1) {
                Some(next) => format!("{lo}_{}", next - 1),
                None => lo.to_string(),
            })
            .collect();
        out.push(UNKNOWN_AGE.to_owned());
        out
    }

    /// The bracket of an age in completed years, by position.
    pub fn of(&self, age: u32) -> usize {
        self.bounds
            .iter()
            .take_while(|lo| **lo <= age)
            .count()
            .saturating_sub(1)
    }

    /// The bracket that holds a whole standard bracket, if one does: a household's
    /// breakdown by standard brackets fits other brackets only where their bounds agree.
    pub fn containing(&self, b: AgeBracket) -> Option<usize> {
        let (lo, hi) = match b {
            AgeBracket::Age0To4 => (0, 4),
            AgeBracket::Age5To11 => (5, 11),
            AgeBracket::Age12To17 => (12, 17),
            AgeBracket::Age18To59 => (18, 59),
            AgeBracket::Age60Plus => (60, u32::MAX),
            AgeBracket::Unknown => return None,
        };
        let i = self.of(lo);
        let end = self.bounds.get(i + 1).map_or(u32::MAX, |next| next - 1);
        (hi <= end).then_some(i)
    }

    /// The latest day of birth (as age counts from) of each bracket after the first, at
    /// `reference`, latest first: a person is at least `bounds[i]` years old exactly when
    /// they were born on or before `cuts[i - 1]`.
    pub fn cuts(&self, reference: Date) -> Vec<Date> {
        self.bounds
            .iter()
            .skip(1)
            .map(|years| latest_birth(reference, *years))
            .collect()
    }
}

/// The last day someone can be born and be `years` old at `reference`.
fn latest_birth(reference: Date, years: u32) -> Date {
    let year = reference.year() - i32::try_from(years).unwrap_or(i32::MAX / 2);
    let day = Date::from_calendar_date(year, reference.month(), reference.day())
        // 29 February in a year without one: the 28th is the last day that counts.
        .or_else(|_| Date::from_calendar_date(year, Month::February, 28));
    day.unwrap_or(Date::MIN)
}

#[cfg(test)]
mod tests {
    use super::super::age_between;
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    /// The bracket by cut dates, as the population index decides it.
    fn bracket_by_cuts(cuts: &[Date], born: Date) -> usize {
        cuts.iter().take_while(|c| born <= **c).count()
    }

    #[test]
    fn standard_labels_are_the_unhcr_suffixes() {
        let labels = Brackets::default().labels();
        let suffixes: Vec<String> = AgeBracket::ALL
            .iter()
            .map(|b| b.suffix().to_owned())
            .collect();
        assert_eq!(labels, suffixes);
    }

    #[test]
    fn custom_brackets_are_checked_and_labelled() {
        let b = Brackets::parse("0, 18, 60").unwrap();
        assert_eq!(b.labels(), vec!["0_17", "18_59", "60", "other"]);
        assert!(Brackets::parse("5,18").unwrap_err().contains("starts at 0"));
        assert!(
            Brackets::parse("0,18,12")
                .unwrap_err()
                .contains("increasing")
        );
        assert!(Brackets::parse("0,x").unwrap_err().contains("`x`"));
        assert_eq!(b.containing(AgeBracket::Age12To17), Some(0));
        assert_eq!(b.containing(AgeBracket::Age60Plus), Some(2));
        let teens = Brackets::parse("0,15").unwrap();
        assert_eq!(teens.containing(AgeBracket::Age12To17), None);
    }

    #[test]
    fn a_leap_day_reference_still_cuts_on_the_right_day() {
        let b = Brackets::parse("0,1").unwrap();
        let cuts = b.cuts(date!(2024 - 02 - 29));
        assert_eq!(cuts, vec![date!(2023 - 02 - 28)]);
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (1900i32..2030, 1u8..=12, 1u8..=31).prop_filter_map("a real date", |(y, m, d)| {
            Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
        })
    }

    proptest! {
        /// Bracketing by cut dates agrees with bracketing the age in completed years.
        #[test]
        fn cuts_agree_with_ages(born in any_date(), reference in any_date()) {
            prop_assume!(born <= reference);
            for b in [Brackets::default(), Brackets::parse("0,1,15,18,50,65").unwrap()] {
                let age = age_between(born, reference).unwrap();
                prop_assert_eq!(bracket_by_cuts(&b.cuts(reference), born), b.of(age));
            }
        }
    }
}
