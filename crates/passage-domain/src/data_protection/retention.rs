//! Retention: how long personal data are kept for each purpose, and the anonymisation
//! applied when they are no longer needed (by retention or at the person's request).
//!
//! A person is kept as long as the longest period among the purposes of their registration,
//! counted from the registration. Anonymisation removes what identifies the person and keeps
//! what statistics count (sex, nationality, the year of birth, site, household), so that
//! figures published before and after stay the same.

use std::collections::BTreeMap;
use std::fmt;

use time::{Date, Duration, Month, OffsetDateTime};

use super::Purpose;
use crate::age::{DateOfBirth, DobPrecision};
use crate::document::DocumentDetails;
use crate::person::PersonDetails;

/// Days kept per purpose unless configured otherwise, counted from registration:
///
/// - `registration` 3650 (10 years): a registration is the proof of arrival and identity
///   on which status, family reunification and durable solutions rest for years; UNHCR
///   keeps registration records for the duration of displacement, ten years covers most
///   protracted caseloads before a solution is recorded.
/// - `refugee_status_determination` 7300 (20 years): a status can be reviewed (cessation,
///   cancellation, exclusion) and is relied on for naturalisation long after the decision.
/// - `child_protection` 6570 (18 years): until a child registered at birth comes of age and
///   can exercise their own rights, including access to their case.
/// - `anti_trafficking` 3650 (10 years): prosecutions of traffickers and victims' claims to
///   compensation run for years; ten years matches common limitation periods.
/// - `assistance` 1825 (5 years): accountability for distributions, audits and donor
///   reporting, usually five years after a programme closes.
/// - `return` 1825 (5 years): reintegration assistance and monitoring after return.
pub const DEFAULT_DAYS: [(Purpose, u32); 6] = [
    (Purpose::Registration, 3650),
    (Purpose::RefugeeStatusDetermination, 7300),
    (Purpose::ChildProtection, 6570),
    (Purpose::AntiTrafficking, 3650),
    (Purpose::Assistance, 1825),
    (Purpose::Return, 1825),
];

/// Longest period accepted: a century.
const MAX_DAYS: u32 = 36_500;

/// Retention periods in days, per purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionPolicy {
    days: BTreeMap<Purpose, u32>,
}

impl Default for RetentionPolicy {
    fn default() -> Self {
        Self {
            days: DEFAULT_DAYS.into_iter().collect(),
        }
    }
}

impl RetentionPolicy {
    /// The defaults with some periods changed, from `purpose=days,purpose=days`.
    pub fn with_overrides(spec: &str) -> Result<Self, String> {
        let mut policy = Self::default();
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (name, days) = item
                .split_once('=')
                .ok_or_else(|| format!("'{item}' is not purpose=days"))?;
            let purpose = Purpose::from_code(name.trim()).ok_or_else(|| {
                let known: Vec<&str> = Purpose::ALL.iter().map(|p| p.code()).collect();
                format!(
                    "unknown purpose '{}': use {}",
                    name.trim(),
                    known.join(", ")
                )
            })?;
            let days: u32 = days
                .trim()
                .parse()
                .map_err(|_| format!("'{}' is not a number of days", days.trim()))?;
            if days == 0 || days > MAX_DAYS {
                return Err(format!("{days} days for {name}: use 1 to {MAX_DAYS}"));
            }
            policy.days.insert(purpose, days);
        }
        Ok(policy)
    }

    /// Days kept for `purpose`.
    pub fn days(&self, purpose: Purpose) -> u32 {
        self.days.get(&purpose).copied().unwrap_or(0)
    }

    /// The shortest period of any purpose: nobody registered more recently can be due.
    pub fn shortest(&self) -> u32 {
        self.days.values().copied().min().unwrap_or(0)
    }

    /// Until when a registration with `purposes`, made at `registered_at`, is kept: the end
    /// of the longest period among its purposes (registration's when none are recorded).
    pub fn kept_until(
        &self,
        purposes: &[Purpose],
        registered_at: OffsetDateTime,
    ) -> OffsetDateTime {
        let days = purposes
            .iter()
            .map(|p| self.days(*p))
            .max()
            .unwrap_or_else(|| self.days(Purpose::Registration));
        registered_at + Duration::days(i64::from(days))
    }

    /// True when every purpose's period has run out at `now`.
    pub fn expired(
        &self,
        purposes: &[Purpose],
        registered_at: OffsetDateTime,
        now: OffsetDateTime,
    ) -> bool {
        self.kept_until(purposes, registered_at) <= now
    }
}

impl fmt::Display for RetentionPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .days
            .iter()
            .map(|(p, d)| format!("{}={d}", p.code()))
            .collect();
        f.write_str(&parts.join(","))
    }
}

/// The person with everything that identifies them removed: names, aliases, the name in
/// the original script, contact, place of origin. The date of birth keeps only its year.
/// Sex, nationalities, languages, population type and profile flags stay for statistics.
pub fn anonymised_person(d: &PersonDetails) -> PersonDetails {
    PersonDetails {
        given_name: None,
        family_name: None,
        other_names: Vec::new(),
        aliases: Vec::new(),
        original_name: None,
        sex: d.sex,
        date_of_birth: d.date_of_birth.map(year_only),
        nationalities: d.nationalities.clone(),
        languages: d.languages.clone(),
        place_of_origin: None,
        contact: None,
        population_type: d.population_type,
        profile_flags: d.profile_flags.clone(),
    }
}

fn year_only(b: DateOfBirth) -> DateOfBirth {
    DateOfBirth {
        date: Date::from_calendar_date(b.date.year(), Month::January, 1).unwrap_or(b.date),
        precision: DobPrecision::YearOnly,
    }
}

/// The document without its number and machine-readable zone; kind, issuing state and
/// expiry stay.
pub fn anonymised_document(d: &DocumentDetails) -> DocumentDetails {
    DocumentDetails {
        kind: d.kind,
        number: None,
        issuing_state: d.issuing_state.clone(),
        expiry_date: d.expiry_date,
        mrz: None,
        accept_damaged_mrz: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::{Language, Nationality};
    use crate::person::{Contact, OriginalName, Sex};
    use time::macros::{date, datetime};

    const NOW: OffsetDateTime = datetime!(2026-11-27 10:00 UTC);

    #[test]
    fn the_longest_purpose_decides() {
        let policy = RetentionPolicy::default();
        let registered = NOW - Duration::days(2000);
        assert!(policy.expired(&[Purpose::Assistance], registered, NOW));
        assert!(!policy.expired(
            &[Purpose::Assistance, Purpose::Registration],
            registered,
            NOW
        ));
        assert!(
            !policy.expired(&[], registered, NOW),
            "no purposes count as registration"
        );
        assert_eq!(
            policy.kept_until(&[Purpose::Return], registered),
            registered + Duration::days(1825)
        );
    }

    #[test]
    fn overrides_change_only_what_they_name() {
        let p = RetentionPolicy::with_overrides("registration=30, assistance = 10").unwrap();
        assert_eq!(p.days(Purpose::Registration), 30);
        assert_eq!(p.days(Purpose::Assistance), 10);
        assert_eq!(p.days(Purpose::Return), 1825);
        assert_eq!(p.shortest(), 10);
        assert!(RetentionPolicy::with_overrides("registraton=30").is_err());
        assert!(RetentionPolicy::with_overrides("registration=0").is_err());
        assert!(RetentionPolicy::with_overrides("registration").is_err());
        assert!(RetentionPolicy::with_overrides("return=x").is_err());
        assert_eq!(
            RetentionPolicy::with_overrides("").unwrap(),
            RetentionPolicy::default()
        );
    }

    #[test]
    fn anonymisation_keeps_what_statistics_count() {
        let mut d = PersonDetails::named("Nur", Sex::F);
        d.family_name = Some("Begum".into());
        d.aliases = vec!["Nuru".into()];
        d.original_name = Some(OriginalName {
            text: "নূর".into(),
            script: "Beng".to_owned().try_into().unwrap(),
        });
        d.date_of_birth = Some(DateOfBirth {
            date: date!(1990 - 08 - 14),
            precision: DobPrecision::Exact,
        });
        d.nationalities = vec![Nationality::Stateless];
        d.languages = vec![Language::try_from("rhg".to_owned()).unwrap()];
        d.place_of_origin = Some("Maungdaw".into());
        d.contact = Some(Contact {
            phone: Some("+62 811".into()),
            address: None,
        });
        let a = anonymised_person(&d);
        assert_eq!(a.display_name(), "");
        assert_eq!(a.name_key(), "");
        assert!(a.aliases.is_empty() && a.place_of_origin.is_none() && a.contact.is_none());
        assert_eq!(a.sex, Sex::F);
        assert_eq!(a.nationalities, d.nationalities);
        assert_eq!(
            a.date_of_birth,
            Some(DateOfBirth {
                date: date!(1990 - 01 - 01),
                precision: DobPrecision::YearOnly
            })
        );
    }
}
