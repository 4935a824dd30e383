//! A person as registration knows them: names in Latin and in their own script, sex, date
//! of birth with its precision, nationalities, languages, origin, contact, the population
//! type (one at a time) and profile flags (any number, beside the type).

use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use crate::age::DateOfBirth;
use crate::codes::{Language, Nationality, Script};
use crate::error::{Problems, ValidationErrors};
use crate::text::{self, MAX_TEXT};

/// Sex as registration records it. Practitioners record F and M, and need values for
/// other (X) and not known (U).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum Sex {
    F,
    M,
    /// Other, or indeterminate.
    X,
    /// Not known or not stated.
    U,
}

impl Sex {
    pub fn code(self) -> &'static str {
        match self {
            Self::F => "F",
            Self::M => "M",
            Self::X => "X",
            Self::U => "U",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        match s {
            "F" => Some(Self::F),
            "M" => Some(Self::M),
            "X" => Some(Self::X),
            "U" => Some(Self::U),
            _ => None,
        }
    }
}

/// The UNHCR population types of the Refugee Data Finder (`pop_type`). One per person at
/// a time; kept apart from profile flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum PopulationType {
    /// Refugees, including people in refugee-like situations.
    REF,
    /// Asylum-seekers.
    ASY,
    /// Other people in need of international protection.
    OIP,
    /// Internally displaced persons.
    IDP,
    /// Returned refugees.
    RET,
    /// Returned internally displaced persons.
    RDP,
    /// Stateless persons.
    STA,
    /// Others of concern.
    OOC,
    /// Host community.
    HST,
}

impl PopulationType {
    pub const ALL: [PopulationType; 9] = [
        Self::REF,
        Self::ASY,
        Self::OIP,
        Self::IDP,
        Self::RET,
        Self::RDP,
        Self::STA,
        Self::OOC,
        Self::HST,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::REF => "REF",
            Self::ASY => "ASY",
            Self::OIP => "OIP",
            Self::IDP => "IDP",
            Self::RET => "RET",
            Self::RDP => "RDP",
            Self::STA => "STA",
            Self::OOC => "OOC",
            Self::HST => "HST",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == s)
    }
}

/// Profile flags describe a situation, not a legal status; several can hold at once
/// (an asylum-seeker can be a presumed trafficking victim).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ProfileFlag {
    PresumedTraffickingVictim,
    TraffickingVictim,
    Smuggled,
    UnaccompaniedChild,
    SeparatedChild,
    Returnee,
    EconomicMigrant,
    EnvironmentalMigrant,
}

/// Whether the registration is complete: emergency (1), every individual (2), full detail (3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum RegistrationLevel {
    Emergency = 1,
    Individual = 2,
    Full = 3,
}

impl utoipa::PartialSchema for RegistrationLevel {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Integer)
            .minimum(Some(1))
            .maximum(Some(3))
            .description(Some(
                "1 emergency (household), 2 every individual, 3 full detail",
            ))
            .into()
    }
}

impl utoipa::ToSchema for RegistrationLevel {}

impl TryFrom<u8> for RegistrationLevel {
    type Error = String;
    fn try_from(v: u8) -> Result<Self, String> {
        match v {
            1 => Ok(Self::Emergency),
            2 => Ok(Self::Individual),
            3 => Ok(Self::Full),
            _ => Err(format!(
                "registration level {v} does not exist: use 1, 2 or 3"
            )),
        }
    }
}

impl From<RegistrationLevel> for u8 {
    fn from(l: RegistrationLevel) -> u8 {
        l as u8
    }
}

/// Where a person's record stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PersonStatus {
    /// Registered at level 1 or not yet confirmed.
    Provisional,
    Active,
    /// Merged into another record as a duplicate.
    Merged,
    Inactive,
}

impl PersonStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Provisional => "provisional",
            Self::Active => "active",
            Self::Merged => "merged",
            Self::Inactive => "inactive",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        [
            Self::Provisional,
            Self::Active,
            Self::Merged,
            Self::Inactive,
        ]
        .into_iter()
        .find(|t| t.code() == s)
    }
}

/// A name as written in the person's own script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OriginalName {
    #[schema(example = "محمد ایوب")]
    pub text: String,
    pub script: Script,
}

/// How to reach a person. Read from a JSON object only: a list of values in field order,
/// which serde would take for a struct, is refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub phone: Option<String>,
    pub address: Option<String>,
}

impl<'de> Deserialize<'de> for Contact {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Fields {
            phone: Option<String>,
            address: Option<String>,
        }
        struct Object;
        impl<'de> serde::de::Visitor<'de> for Object {
            type Value = Contact;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object with phone and address")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Contact, A::Error> {
                let Fields { phone, address } =
                    Fields::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(Contact { phone, address })
            }
        }
        d.deserialize_map(Object)
    }
}

/// What registration records about a person; what clients send and read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonDetails {
    #[schema(example = "Mohammed")]
    pub given_name: Option<String>,
    #[schema(example = "Ayub")]
    pub family_name: Option<String>,
    #[serde(default)]
    pub other_names: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub original_name: Option<OriginalName>,
    pub sex: Sex,
    pub date_of_birth: Option<DateOfBirth>,
    #[serde(default)]
    pub nationalities: Vec<Nationality>,
    #[serde(default)]
    pub languages: Vec<Language>,
    pub place_of_origin: Option<String>,
    pub contact: Option<Contact>,
    pub population_type: Option<PopulationType>,
    #[serde(default)]
    pub profile_flags: Vec<ProfileFlag>,
}

const MAX_LIST: usize = 20;

fn clean_opt(p: &mut Problems, field: &str, v: Option<String>) -> Option<String> {
    let v = v.as_deref().and_then(text::clean);
    if v.as_ref().is_some_and(|s| s.chars().count() > MAX_TEXT) {
        p.add(field, format!("longer than {MAX_TEXT} characters"));
    }
    v
}

fn clean_list(p: &mut Problems, field: &str, v: Vec<String>) -> Vec<String> {
    if v.len() > MAX_LIST {
        p.add(field, format!("more than {MAX_LIST} entries"));
    }
    let mut out: Vec<String> = Vec::with_capacity(v.len());
    for (i, s) in v.iter().enumerate() {
        match text::clean(s) {
            Some(s) if s.chars().count() > MAX_TEXT => {
                p.add(
                    format!("{field}[{i}]"),
                    format!("longer than {MAX_TEXT} characters"),
                );
            }
            Some(s) if !out.contains(&s) => out.push(s),
            Some(_) => {}
            None => p.add(format!("{field}[{i}]"), "is empty"),
        }
    }
    out
}

fn dedup<T: PartialEq>(v: Vec<T>) -> Vec<T> {
    let mut out = Vec::with_capacity(v.len());
    for x in v {
        if !out.contains(&x) {
            out.push(x);
        }
    }
    out
}

impl PersonDetails {
    /// Cleans every text field (trim, NFC), checks what depends on today's date, and
    /// refuses a person with no name at all.
    pub fn validated(self, today: Date) -> Result<Self, ValidationErrors> {
        let mut p = Problems::new();
        let given_name = clean_opt(&mut p, "given_name", self.given_name);
        let family_name = clean_opt(&mut p, "family_name", self.family_name);
        let other_names = clean_list(&mut p, "other_names", self.other_names);
        let aliases = clean_list(&mut p, "aliases", self.aliases);
        let original_name = match self.original_name {
            Some(o) => match text::clean(&o.text) {
                Some(t) if t.chars().count() <= MAX_TEXT => Some(OriginalName { text: t, ..o }),
                Some(_) => {
                    p.add(
                        "original_name.text",
                        format!("longer than {MAX_TEXT} characters"),
                    );
                    None
                }
                None => {
                    p.add("original_name.text", "is empty");
                    None
                }
            },
            None => None,
        };
        if given_name.is_none()
            && family_name.is_none()
            && original_name.is_none()
            && other_names.is_empty()
        {
            p.add(
                "given_name",
                "a person needs at least one name (given, family, other, or in original script)",
            );
        }
        let date_of_birth = match self.date_of_birth.map(|d| d.validated(today)) {
            Some(Ok(d)) => Some(d),
            Some(Err(e)) => {
                p.nest("date_of_birth", e);
                None
            }
            None => None,
        };
        if self.nationalities.len() > MAX_LIST {
            p.add("nationalities", format!("more than {MAX_LIST} entries"));
        }
        if self.languages.len() > MAX_LIST {
            p.add("languages", format!("more than {MAX_LIST} entries"));
        }
        let place_of_origin = clean_opt(&mut p, "place_of_origin", self.place_of_origin);
        let contact = self.contact.map(|c| Contact {
            phone: clean_opt(&mut p, "contact.phone", c.phone),
            address: clean_opt(&mut p, "contact.address", c.address),
        });
        let mut profile_flags = dedup(self.profile_flags);
        profile_flags.sort();
        p.finish(Self {
            given_name,
            family_name,
            other_names,
            aliases,
            original_name,
            sex: self.sex,
            date_of_birth,
            nationalities: dedup(self.nationalities),
            languages: dedup(self.languages),
            place_of_origin,
            contact,
            population_type: self.population_type,
            profile_flags,
        })
    }

    /// The name a clerk reads: given then family, or the other names, or the original.
    pub fn display_name(&self) -> String {
        let latin: Vec<&str> = [self.given_name.as_deref(), self.family_name.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if !latin.is_empty() {
            return latin.join(" ");
        }
        if let Some(first) = self.other_names.first() {
            return first.clone();
        }
        self.original_name
            .as_ref()
            .map(|o| o.text.clone())
            .unwrap_or_default()
    }

    /// Folded text of every name the person is known by, for simple search.
    pub fn name_key(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        parts.extend(self.given_name.as_deref());
        parts.extend(self.family_name.as_deref());
        parts.extend(self.other_names.iter().map(String::as_str));
        parts.extend(self.aliases.iter().map(String::as_str));
        parts.extend(self.original_name.as_ref().map(|o| o.text.as_str()));
        text::fold(&parts.join(" "))
    }

    /// A minimal person: a name and a sex, nothing else known yet.
    pub fn named(given_name: &str, sex: Sex) -> Self {
        Self {
            given_name: Some(given_name.to_owned()),
            family_name: None,
            other_names: Vec::new(),
            aliases: Vec::new(),
            original_name: None,
            sex,
            date_of_birth: None,
            nationalities: Vec::new(),
            languages: Vec::new(),
            place_of_origin: None,
            contact: None,
            population_type: None,
            profile_flags: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::age::DobPrecision;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 27);

    #[test]
    fn a_person_needs_a_name() {
        let mut p = PersonDetails::named("  ", Sex::U);
        p.given_name = Some("   ".into());
        let err = p.validated(TODAY).unwrap_err();
        assert_eq!(err.0[0].field, "given_name");
    }

    #[test]
    fn an_original_script_name_alone_is_enough() {
        let mut p = PersonDetails::named("", Sex::M);
        p.given_name = None;
        p.original_name = Some(OriginalName {
            text: "محمد ایوب".into(),
            script: Script::try_from("Arab".to_owned()).unwrap(),
        });
        let p = p.validated(TODAY).unwrap();
        assert_eq!(p.display_name(), "محمد ایوب");
    }

    #[test]
    fn nested_dob_errors_name_their_path() {
        let mut p = PersonDetails::named("Nur", Sex::F);
        p.date_of_birth = Some(DateOfBirth {
            date: date!(2027 - 01 - 01),
            precision: DobPrecision::Exact,
        });
        let err = p.validated(TODAY).unwrap_err();
        assert_eq!(err.0[0].field, "date_of_birth.date");
    }

    #[test]
    fn unknown_fields_are_refused() {
        let err = serde_json::from_str::<PersonDetails>(
            r#"{"given_name":"Nur","sex":"F","famly_name":"X"}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("famly_name"), "{err}");
    }
}
