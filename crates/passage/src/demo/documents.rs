//! Documents: Bangladeshi and Indonesian passports with their MRZ, Afghan ID cards.

use anyhow::Context;
use passage_domain::age::DobPrecision;
use passage_domain::document::{DocumentDetails, DocumentKind};
use passage_domain::mrz;
use passage_domain::person::{PersonDetails, Sex};
use time::{Date, Duration};

use super::households::Member;
use super::names::Population;
use super::{Scenario, code};

const BANGLADESHI_PASSPORTS: u32 = 6;
/// Which Bangladeshi passports (counted from 1) have a worn check digit in their MRZ.
const WORN_PASSPORTS: [u32; 2] = [2, 5];
const AFGHAN_ID_CARDS: u32 = 3;
/// Share of Indonesians with a family name who hold their passport, set so that with this seed
/// 32 of the 83 returnees (about 40%) hold one. Single-name holders are left out: their MRZ
/// would carry the name as surname, which the MRZ comparison reports as a given-name mismatch.
const INDONESIAN_PASSPORT_PERCENT: u32 = 71;

impl Scenario<'_> {
    /// The document a registered adult holds, if any. A passport's date of birth is exact.
    pub(super) fn document(
        &mut self,
        population: &Population,
        member: &mut Member,
    ) -> anyhow::Result<Option<DocumentDetails>> {
        if member.age < 18 {
            return Ok(None);
        }
        let (letter, digits) = (self.rng.char('A'..='C'), self.rng.u32(..10_000_000));
        let (state, number, worn) = match population.key {
            "bangladeshi" if self.bangladeshi_passports < BANGLADESHI_PASSPORTS => {
                self.bangladeshi_passports += 1;
                (
                    "BGD",
                    format!("E{letter}{digits:07}"),
                    WORN_PASSPORTS.contains(&self.bangladeshi_passports),
                )
            }
            "afghan" if self.afghan_id_cards < AFGHAN_ID_CARDS => {
                self.afghan_id_cards += 1;
                return Ok(Some(self.tazkira()?));
            }
            "indonesian"
                if member.person.family_name.is_some()
                    && self.percent(INDONESIAN_PASSPORT_PERCENT) =>
            {
                ("IDN", format!("{letter}{digits:07}"), false)
            }
            _ => return Ok(None),
        };
        member.person.date_of_birth = Some(self.date_of_birth(member.age, DobPrecision::Exact)?);
        let expiry = self.today + Duration::days(self.rng.i64(200..=3000));
        let mrz = td3(state, &number, &member.person, expiry, worn)?;
        Ok(Some(DocumentDetails {
            kind: DocumentKind::Passport,
            number: Some(number),
            issuing_state: Some(code(state)?),
            expiry_date: None,
            mrz: Some(mrz),
            accept_damaged_mrz: worn,
        }))
    }

    /// An Afghan electronic tazkira: a number (solar hijri year, office, serial), no MRZ.
    fn tazkira(&mut self) -> anyhow::Result<DocumentDetails> {
        let (year, office, serial) = (
            self.rng.u32(1395..=1401),
            self.rng.u32(..10_000),
            self.rng.u32(..100_000),
        );
        Ok(DocumentDetails {
            kind: DocumentKind::NationalIdCard,
            number: Some(format!("{year}-{office:04}-{serial:05}")),
            issuing_state: Some(code("AFG")?),
            expiry_date: None,
            mrz: None,
            accept_damaged_mrz: false,
        })
    }
}

/// The MRZ of a TD3 passport for `person`, with correct check digits; when `worn`, the
/// date-of-birth check digit reads wrong, so that check and the composite fail.
fn td3(
    state: &str,
    number: &str,
    person: &PersonDetails,
    expiry: Date,
    worn: bool,
) -> anyhow::Result<String> {
    let names = format!(
        "{}<<{}",
        mrz_name(person.family_name.as_deref()),
        mrz_name(person.given_name.as_deref())
    );
    let born = yymmdd(
        person
            .date_of_birth
            .context("a passport holder without a date of birth")?
            .date,
    );
    let sex = match person.sex {
        Sex::F => 'F',
        Sex::M => 'M',
        Sex::X | Sex::U => '<',
    };
    let number = with_check(&fill(number, 9))?;
    let born_check = check(&born)?;
    let rest = format!(
        "{}{}",
        with_check(&yymmdd(expiry))?,
        with_check(&fill("", 14))?
    );
    let composite = check(&format!("{number}{born}{born_check}{rest}"))?;
    let printed = if worn {
        misread(born_check)
    } else {
        born_check
    };
    let line1 = fill(&format!("P<{state}{names}"), 44);
    Ok(format!(
        "{line1}\n{number}{state}{born}{printed}{sex}{rest}{composite}"
    ))
}

/// A name as the MRZ writes it: capitals, `<` between words, apostrophes left out.
fn mrz_name(name: Option<&str>) -> String {
    let name = name.unwrap_or_default().chars().filter(|c| *c != '\'');
    name.map(|c| {
        if c.is_ascii_alphabetic() {
            c.to_ascii_uppercase()
        } else {
            '<'
        }
    })
    .collect()
}

/// `text` padded with `<` or cut to `width`.
fn fill(text: &str, width: usize) -> String {
    let mut line = format!("{text:<<width$}");
    line.truncate(width);
    line
}

fn yymmdd(date: Date) -> String {
    format!(
        "{:02}{:02}{:02}",
        date.year().rem_euclid(100),
        u8::from(date.month()),
        date.day()
    )
}

fn check(field: &str) -> anyhow::Result<char> {
    mrz::check_digit(field).with_context(|| format!("no check digit for {field}"))
}

fn with_check(field: &str) -> anyhow::Result<String> {
    Ok(format!("{field}{}", check(field)?))
}

/// A check digit misread as the next digit, as on a worn passport.
fn misread(digit: char) -> char {
    let next = digit.to_digit(10).map_or(0, |d| (d + 1) % 10);
    char::from_digit(next, 10).unwrap_or('0')
}

#[cfg(test)]
mod tests {
    use super::*;
    use passage_domain::age::DateOfBirth;
    use passage_domain::mrz::CheckField;
    use time::macros::date;

    #[test]
    fn passports_carry_valid_or_worn_check_digits() {
        let mut person = PersonDetails::named("Abdul Karim", Sex::M);
        person.family_name = Some("Hossain".into());
        let date = date!(1990 - 03 - 14);
        person.date_of_birth = Some(DateOfBirth {
            date,
            precision: DobPrecision::Exact,
        });
        let read = |worn| {
            let text = td3("BGD", "EB0123456", &person, date!(2030 - 01 - 01), worn).unwrap();
            mrz::parse(&text, date!(2026 - 11 - 27)).unwrap()
        };
        let good = read(false);
        assert!(good.is_valid(), "{:?}", good.checks);
        assert_eq!(good.secondary_identifier, "ABDUL KARIM");
        assert_eq!(good.birth_date, Some(date));
        assert_eq!(
            read(true).failed_checks(),
            [CheckField::BirthDate, CheckField::Composite]
        );
    }
}
