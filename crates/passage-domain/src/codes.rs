//! Standard codes at the boundary: countries (ISO 3166-1 alpha-3), languages (ISO 639),
//! scripts (ISO 15924), administrative p-codes. Each is parsed once, then trusted.

use std::fmt;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::country_codes;

/// An officially assigned ISO 3166-1 alpha-3 country code, upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "AFG")]
pub struct Country(String);

impl Country {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Country {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let code = s.trim().to_ascii_uppercase();
        if country_codes::is_assigned(&code) {
            Ok(Self(code))
        } else {
            Err(format!(
                "'{s}' is not an ISO 3166-1 alpha-3 country code (for example AFG, MMR, BGD)"
            ))
        }
    }
}

impl From<Country> for String {
    fn from(c: Country) -> String {
        c.0
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A nationality as registration records it: a country, statelessness, or not known.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Nationality {
    Country(Country),
    Stateless,
    Unknown,
}

crate::string_schema!(
    Nationality,
    "An ISO 3166-1 alpha-3 country code, or `stateless` (also XXA), or `unknown` (also XXX).",
    "MMR"
);

impl TryFrom<String> for Nationality {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "stateless" | "xxa" => Ok(Self::Stateless),
            "unknown" | "xxx" => Ok(Self::Unknown),
            _ => Country::try_from(s)
                .map(Self::Country)
                .map_err(|e| format!("{e}, or 'stateless', or 'unknown'")),
        }
    }
}

impl From<Nationality> for String {
    fn from(n: Nationality) -> String {
        n.code().to_owned()
    }
}

impl Nationality {
    /// The stored form: the alpha-3 code, `stateless` or `unknown`.
    pub fn code(&self) -> &str {
        match self {
            Self::Country(c) => c.as_str(),
            Self::Stateless => "stateless",
            Self::Unknown => "unknown",
        }
    }
}

/// An ISO 639 language: a two-letter 639-1 or three-letter 639-3 code, stored as 639-3.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "rhg")]
pub struct Language(String);

impl Language {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Language {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let code = s.trim().to_ascii_lowercase();
        let found = match code.len() {
            2 => isolang::Language::from_639_1(&code),
            3 => isolang::Language::from_639_3(&code),
            _ => None,
        };
        found.map(|l| Self(l.to_639_3().to_owned())).ok_or_else(|| {
            format!("'{s}' is not an ISO 639 language code (for example 'rhg', 'ben', 'prs', 'ar')")
        })
    }
}

impl From<Language> for String {
    fn from(l: Language) -> String {
        l.0
    }
}

/// An ISO 15924 script code such as `Arab`, `Beng`, `Mymr`, `Ethi`, `Cyrl`, `Latn`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "Arab")]
pub struct Script(String);

impl TryFrom<String> for Script {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let t = s.trim();
        let mut chars = t.chars();
        let ok = t.len() == 4
            && chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphabetic());
        if ok {
            let mut code = t.to_ascii_lowercase();
            code[..1].make_ascii_uppercase();
            Ok(Self(code))
        } else {
            Err(format!(
                "'{s}' is not an ISO 15924 script code (four letters, for example 'Arab', 'Beng', 'Mymr')"
            ))
        }
    }
}

impl From<Script> for String {
    fn from(s: Script) -> String {
        s.0
    }
}

/// An administrative-area p-code from the common operational datasets, e.g. `ID1107`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "MMR012003")]
pub struct PCode(String);

impl TryFrom<String> for PCode {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let t = s.trim().to_ascii_uppercase();
        let ok = (3..=20).contains(&t.len())
            && t.chars().take(2).all(|c| c.is_ascii_uppercase())
            && t.chars().all(|c| c.is_ascii_alphanumeric());
        if ok {
            Ok(Self(t))
        } else {
            Err(format!(
                "'{s}' is not a p-code (two letters of the country, then letters or digits, for example 'MMR012003')"
            ))
        }
    }
}

impl From<PCode> for String {
    fn from(p: PCode) -> String {
        p.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_are_checked_against_the_iso_list() {
        assert_eq!(Country::try_from("afg".to_owned()).unwrap().as_str(), "AFG");
        let err = Country::try_from("XYZ".to_owned()).unwrap_err();
        assert!(err.contains("XYZ"), "{err}");
    }

    #[test]
    fn nationality_accepts_stateless_and_unknown() {
        assert_eq!(
            Nationality::try_from("XXA".to_owned()).unwrap(),
            Nationality::Stateless
        );
        assert_eq!(
            Nationality::try_from("unknown".to_owned()).unwrap(),
            Nationality::Unknown
        );
        assert!(Nationality::try_from("ZZZ".to_owned()).is_err());
    }

    #[test]
    fn languages_are_stored_as_639_3() {
        assert_eq!(Language::try_from("ar".to_owned()).unwrap().as_str(), "ara");
        assert_eq!(
            Language::try_from("rhg".to_owned()).unwrap().as_str(),
            "rhg"
        );
        assert!(Language::try_from("qqq".to_owned()).is_err());
    }

    #[test]
    fn scripts_and_pcodes_are_normalised() {
        assert_eq!(
            String::from(Script::try_from("arab".to_owned()).unwrap()),
            "Arab"
        );
        assert!(Script::try_from("Arabic".to_owned()).is_err());
        assert_eq!(
            String::from(PCode::try_from("id1107".to_owned()).unwrap()),
            "ID1107"
        );
        assert!(PCode::try_from("1107".to_owned()).is_err());
    }
}
