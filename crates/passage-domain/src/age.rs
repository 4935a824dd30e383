//! Dates of birth with their precision, ages at a reference date, and the age brackets
//! of international refugee statistics (0-4, 5-11, 12-17, 18-59, 60+; ages inclusive).

pub mod brackets;

use serde::{Deserialize, Serialize};
use time::{Date, Month};
use utoipa::ToSchema;

use crate::error::ValidationErrors;

/// How much of a date of birth is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DobPrecision {
    /// Day, month and year are known (from a document or a reliable declaration).
    Exact,
    /// Only the year is known; the stored date is 1 January of that year.
    YearOnly,
    /// The date is an estimate (age assessment, or the person's guess).
    Estimated,
}

impl DobPrecision {
    pub fn code(self) -> &'static str {
        match self {
            Self::Exact => "exact",
            Self::YearOnly => "year_only",
            Self::Estimated => "estimated",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        match s {
            "exact" => Some(Self::Exact),
            "year_only" => Some(Self::YearOnly),
            "estimated" => Some(Self::Estimated),
            _ => None,
        }
    }
}

/// A date of birth and how precise it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DateOfBirth {
    /// ISO 8601 date. With `year_only` only the year counts.
    #[schema(value_type = String, format = Date, example = "2009-03-14")]
    pub date: Date,
    pub precision: DobPrecision,
}

/// The earliest birth year Passage accepts.
pub const EARLIEST_BIRTH_YEAR: i32 = 1900;

impl DateOfBirth {
    /// Checks the date against `today` and normalises a year-only date to 1 January.
    pub fn validated(self, today: Date) -> Result<Self, ValidationErrors> {
        if self.date > today {
            return Err(ValidationErrors::one(
                "date",
                format!("{} is in the future", self.date),
            ));
        }
        if self.date.year() < EARLIEST_BIRTH_YEAR {
            return Err(ValidationErrors::one(
                "date",
                format!("{} is before {EARLIEST_BIRTH_YEAR}", self.date),
            ));
        }
        let date = match self.precision {
            DobPrecision::YearOnly => {
                Date::from_calendar_date(self.date.year(), Month::January, 1).unwrap_or(self.date)
            }
            _ => self.date,
        };
        Ok(Self { date, ..self })
    }

    /// Age in whole years at `reference`. A year-only date counts from 1 July, the middle
    /// of the year, so that the error is at most six months either way.
    pub fn age_at(&self, reference: Date) -> Option<u32> {
        age_between(self.counts_from(), reference)
    }

    /// The date age is counted from: the date itself, or 1 July for a year-only date.
    pub fn counts_from(&self) -> Date {
        match self.precision {
            DobPrecision::YearOnly => {
                Date::from_calendar_date(self.date.year(), Month::July, 1).unwrap_or(self.date)
            }
            _ => self.date,
        }
    }
}

/// Completed years from `born` to `reference`, or None when `reference` is before birth.
pub fn age_between(born: Date, reference: Date) -> Option<u32> {
    if reference < born {
        return None;
    }
    let mut years = reference.year() - born.year();
    if (reference.month() as u8, reference.day()) < (born.month() as u8, born.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

/// The five standard age brackets, plus unknown age.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
pub enum AgeBracket {
    #[serde(rename = "0_4")]
    Age0To4,
    #[serde(rename = "5_11")]
    Age5To11,
    #[serde(rename = "12_17")]
    Age12To17,
    #[serde(rename = "18_59")]
    Age18To59,
    #[serde(rename = "60")]
    Age60Plus,
    #[serde(rename = "other")]
    Unknown,
}

impl AgeBracket {
    pub const ALL: [AgeBracket; 6] = [
        Self::Age0To4,
        Self::Age5To11,
        Self::Age12To17,
        Self::Age18To59,
        Self::Age60Plus,
        Self::Unknown,
    ];

    /// The bracket of an age in completed years; `None` is unknown age.
    pub fn of(age: Option<u32>) -> Self {
        match age {
            None => Self::Unknown,
            Some(0..=4) => Self::Age0To4,
            Some(5..=11) => Self::Age5To11,
            Some(12..=17) => Self::Age12To17,
            Some(18..=59) => Self::Age18To59,
            Some(_) => Self::Age60Plus,
        }
    }

    /// The suffix used in the UNHCR wide layout (`f_0_4`, `m_60`, `f_other`).
    pub fn suffix(self) -> &'static str {
        match self {
            Self::Age0To4 => "0_4",
            Self::Age5To11 => "5_11",
            Self::Age12To17 => "12_17",
            Self::Age18To59 => "18_59",
            Self::Age60Plus => "60",
            Self::Unknown => "other",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn age_counts_completed_years() {
        assert_eq!(
            age_between(date!(2008 - 03 - 14), date!(2026 - 03 - 13)),
            Some(17)
        );
        assert_eq!(
            age_between(date!(2008 - 03 - 14), date!(2026 - 03 - 14)),
            Some(18)
        );
        assert_eq!(
            age_between(date!(2008 - 02 - 29), date!(2026 - 02 - 28)),
            Some(17)
        );
        assert_eq!(
            age_between(date!(2026 - 03 - 14), date!(2026 - 03 - 13)),
            None
        );
    }

    #[test]
    fn year_only_counts_from_mid_year() {
        let dob = DateOfBirth {
            date: date!(2008 - 11 - 30),
            precision: DobPrecision::YearOnly,
        }
        .validated(date!(2026 - 11 - 27))
        .unwrap();
        assert_eq!(dob.date, date!(2008 - 01 - 01));
        assert_eq!(dob.age_at(date!(2026 - 06 - 30)), Some(17));
        assert_eq!(dob.age_at(date!(2026 - 07 - 01)), Some(18));
    }

    #[test]
    fn future_and_ancient_dates_are_refused() {
        let today = date!(2026 - 11 - 27);
        let future = DateOfBirth {
            date: date!(2026 - 11 - 28),
            precision: DobPrecision::Exact,
        };
        assert!(future.validated(today).is_err());
        let ancient = DateOfBirth {
            date: date!(1899 - 12 - 31),
            precision: DobPrecision::Exact,
        };
        assert!(ancient.validated(today).is_err());
    }

    #[test]
    fn brackets_follow_the_standard_edges() {
        let cases = [
            (0, "0_4"),
            (4, "0_4"),
            (5, "5_11"),
            (11, "5_11"),
            (12, "12_17"),
            (17, "12_17"),
            (18, "18_59"),
            (59, "18_59"),
            (60, "60"),
            (101, "60"),
        ];
        for (age, suffix) in cases {
            assert_eq!(AgeBracket::of(Some(age)).suffix(), suffix, "age {age}");
        }
        assert_eq!(AgeBracket::of(None).suffix(), "other");
    }
}
