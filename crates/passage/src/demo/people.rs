//! People: names as each population forms them, languages and dates of birth.

use passage_domain::age::{DateOfBirth, DobPrecision};
use passage_domain::household::Relationship::{self, Child, Parent, Spouse, Unrelated};
use passage_domain::person::{OriginalName, PersonDetails, Sex};
use time::{Date, Duration};

use super::households::{Kin, Member};
use super::names::{NameForm, Population};
use super::{Scenario, code, pick};

/// How a population forms family names.
enum Naming {
    /// No family name (Rohingya, Myanmar).
    GivenOnly,
    /// Father's and grandfather's given names (Somali).
    Patronymic,
    /// A family name, carried by this percentage of people.
    FamilyName(u32),
}

fn naming(population: &Population) -> Naming {
    match population.key {
        "somali" => Naming::Patronymic,
        "indonesian" => Naming::FamilyName(50),
        _ if population.family.is_empty() => Naming::GivenOnly,
        _ => Naming::FamilyName(100),
    }
}

/// A family name in Latin letters, and in the original script when known.
#[derive(Debug, Clone)]
pub(super) struct Surname(String, Option<&'static str>);

/// The name in the person's own script, when the given name (and family name) have one.
fn original_name(
    given: NameForm,
    surname: Option<&Surname>,
) -> anyhow::Result<Option<OriginalName>> {
    let (Some(text), Some(script)) = (given.original, given.script) else {
        return Ok(None);
    };
    let text = match surname {
        None => text.to_owned(),
        Some(Surname(_, Some(family))) => format!("{text} {family}"),
        Some(_) => return Ok(None),
    };
    Ok(Some(OriginalName {
        text,
        script: code(script)?,
    }))
}

impl Scenario<'_> {
    pub(super) fn member(
        &mut self,
        kin: &mut Kin,
        relationship: Relationship,
        sex: Sex,
        age: u32,
    ) -> anyhow::Result<Member> {
        let surname = match (naming(kin.population), relationship) {
            (Naming::GivenOnly, _) => None,
            (_, Unrelated) | (Naming::Patronymic, Spouse | Parent) => {
                self.new_surname(kin.population)?
            }
            (_, Child) => kin.children.clone(),
            _ => kin.surname.clone(),
        };
        let person = self.person(kin, sex, age, surname)?;
        Ok(Member {
            relationship,
            age,
            person,
        })
    }

    /// A family name for someone not related to the people registered so far.
    pub(super) fn new_surname(
        &mut self,
        population: &Population,
    ) -> anyhow::Result<Option<Surname>> {
        Ok(match naming(population) {
            Naming::GivenOnly => None,
            Naming::Patronymic => {
                let father = pick(&mut self.rng, population.male_given)?.latin;
                let grandfather = pick(&mut self.rng, population.male_given)?.latin;
                Some(Surname(format!("{father} {grandfather}"), None))
            }
            Naming::FamilyName(share) if self.percent(share) => {
                let form = pick(&mut self.rng, population.family)?;
                Some(Surname(form.latin.to_owned(), form.original))
            }
            Naming::FamilyName(_) => None,
        })
    }

    /// Children carry the head's family name or, with patronymic names, their father's name.
    pub(super) fn children_surname(
        &mut self,
        kin: &Kin,
        head: &PersonDetails,
    ) -> anyhow::Result<Option<Surname>> {
        match (naming(kin.population), head.sex) {
            (Naming::Patronymic, Sex::M) => {
                let father = head.given_name.as_deref().unwrap_or_default();
                let lineage = head
                    .family_name
                    .as_deref()
                    .and_then(|f| f.split(' ').next())
                    .unwrap_or_default();
                Ok(Some(Surname(format!("{father} {lineage}"), None)))
            }
            (Naming::Patronymic, _) => self.new_surname(kin.population),
            _ => Ok(kin.surname.clone()),
        }
    }

    /// A person with a given name not yet used in the household.
    fn person(
        &mut self,
        kin: &mut Kin,
        sex: Sex,
        age: u32,
        surname: Option<Surname>,
    ) -> anyhow::Result<PersonDetails> {
        let names = if sex == Sex::F {
            kin.population.female_given
        } else {
            kin.population.male_given
        };
        let free: Vec<&NameForm> = names
            .iter()
            .filter(|n| !kin.taken.contains(&n.latin))
            .collect();
        let given = **pick(&mut self.rng, &free)?;
        kin.taken.push(given.latin);
        let spoken = if age >= 18 && kin.languages.len() > 1 && self.percent(30) {
            2
        } else {
            1
        };
        let languages = kin
            .languages
            .iter()
            .take(spoken)
            .map(|l| code(l))
            .collect::<anyhow::Result<_>>()?;
        let precision = match age {
            0..=4 | 14..=17 => DobPrecision::Estimated,
            5..=13 if self.rng.bool() => DobPrecision::Estimated,
            18.. if self.percent(30) => DobPrecision::Estimated,
            _ => DobPrecision::YearOnly,
        };
        Ok(PersonDetails {
            family_name: surname.as_ref().map(|s| s.0.clone()),
            original_name: original_name(given, surname.as_ref())?,
            date_of_birth: Some(self.date_of_birth(age, precision)?),
            nationalities: vec![code(kin.population.nationality.unwrap_or("stateless"))?],
            languages,
            place_of_origin: Some(kin.origin.to_owned()),
            profile_flags: kin.flags.to_vec(),
            ..PersonDetails::named(given.latin, sex)
        })
    }

    /// A date of birth that makes someone `age` today: a random day of that year of life.
    pub(super) fn date_of_birth(
        &mut self,
        age: u32,
        precision: DobPrecision,
    ) -> anyhow::Result<DateOfBirth> {
        let year = self.today.year() - i32::try_from(age)?;
        let birthday =
            Date::from_calendar_date(year, self.today.month(), self.today.day().min(28))?;
        Ok(DateOfBirth {
            date: birthday - Duration::days(self.rng.i64(0..=350)),
            precision,
        })
    }
}
