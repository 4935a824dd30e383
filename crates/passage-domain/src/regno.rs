//! Registration numbers that a person can read aloud and a clerk can type.
//!
//! Form: `SITE-SEQUENCE-C`, e.g. `ACH-000123-7`. The site code is two to five letters, the
//! sequence counts registrations at that site, and `C` is a check character.
//!
//! Symbols come from Crockford's base-32 alphabet (digits and the letters without I, L, O
//! and U), so that no two symbols sound or look alike; when typed, `I` and `L` are read as
//! `1` and `O` as `0`, and case does not matter.
//!
//! The check character follows Damm's scheme over a weak totally anti-symmetric quasigroup
//! of order 32: `x ∘ y = 2·x ⊕ y` in GF(2⁵) (modulus x⁵ + x² + 1). The interim starts at 0,
//! each symbol `v` maps it to `interim ∘ v`, and the check character is the one symbol that
//! brings the interim back to 0. Because `y ↦ x ∘ y` and `x ↦ x ∘ y` are permutations, every
//! single-symbol substitution changes the result; because `(c∘x)∘y = (c∘y)∘x` only when
//! `x = y`, every transposition of two adjacent different symbols does too, the check
//! character included.

use std::fmt;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The 32 symbols, in value order.
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Value of a typed symbol, reading I/L as 1 and O as 0, case-insensitively.
fn value(c: char) -> Option<u8> {
    let c = match c.to_ascii_uppercase() {
        'I' | 'L' => '1',
        'O' => '0',
        other => other,
    };
    ALPHABET
        .iter()
        .position(|&a| char::from(a) == c)
        .and_then(|p| u8::try_from(p).ok())
}

fn symbol(v: u8) -> char {
    char::from(ALPHABET[usize::from(v & 0x1f)])
}

/// `x ∘ y = 2·x ⊕ y` in GF(32).
fn op(x: u8, y: u8) -> u8 {
    let doubled = (x << 1) ^ if x & 0x10 != 0 { 0x25 } else { 0 };
    (doubled & 0x1f) ^ y
}

fn interim(values: impl IntoIterator<Item = u8>) -> u8 {
    values.into_iter().fold(0, op)
}

/// The check character for a string of alphabet symbols (hyphens ignored); `None` when a
/// character is not in the alphabet.
pub fn check_character(body: &str) -> Option<char> {
    let values = body
        .chars()
        .filter(|c| *c != '-')
        .map(value)
        .collect::<Option<Vec<_>>>()?;
    // The symbol z with op(interim, z) = 0 is 2·interim itself.
    Some(symbol(op(interim(values), 0)))
}

/// A site code: two to five letters of the alphabet (no I, L, O or U).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "ACH")]
pub struct SiteCode(String);

impl SiteCode {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for SiteCode {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let code = s.trim().to_ascii_uppercase();
        let ok = (2..=5).contains(&code.len())
            && code
                .bytes()
                .all(|b| b.is_ascii_uppercase() && ALPHABET.contains(&b));
        if ok {
            Ok(Self(code))
        } else {
            Err(format!(
                "'{s}' is not a site code: use two to five letters, without I, L, O or U (they are mistaken for digits)"
            ))
        }
    }
}

impl From<SiteCode> for String {
    fn from(c: SiteCode) -> String {
        c.0
    }
}

/// A registration number: site code, sequence at that site, check character.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegistrationNumber {
    site: SiteCode,
    sequence: u64,
}

crate::string_schema!(
    RegistrationNumber,
    "Site code, sequence and check character, e.g. ACH-000123-7; typed in any case, hyphens optional.",
    "ACH-000123-7"
);

/// Why a typed registration number was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistrationNumberError {
    #[error(
        "'{0}' is not a registration number: expected a site code, digits and a check character, like ACH-000123-7"
    )]
    Shape(String),
    #[error("'{0}' contains '{1}', which is not used in registration numbers")]
    Symbol(String, char),
    #[error(
        "the check character of '{0}' does not match: a character is mistyped or two are swapped"
    )]
    Check(String),
}

impl RegistrationNumber {
    pub fn new(site: SiteCode, sequence: u64) -> Self {
        Self { site, sequence }
    }

    pub fn site(&self) -> &SiteCode {
        &self.site
    }

    pub fn sequence(&self) -> u64 {
        self.sequence
    }

    fn body(&self) -> String {
        format!("{}{:06}", self.site.as_str(), self.sequence)
    }

    /// Reads a number as a person may type it: any case, with or without hyphens or spaces.
    pub fn parse(typed: &str) -> Result<Self, RegistrationNumberError> {
        let mut symbols = String::with_capacity(typed.len());
        for c in typed.chars().filter(|c| !matches!(c, '-' | ' ')) {
            let v = value(c).ok_or_else(|| RegistrationNumberError::Symbol(typed.to_owned(), c))?;
            symbols.push(symbol(v));
        }
        let shape = || RegistrationNumberError::Shape(typed.to_owned());
        let letters = symbols
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .count();
        let (site, rest) = symbols.split_at(letters);
        let (digits, _check) = rest.split_at(rest.len().checked_sub(1).ok_or_else(shape)?);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(shape());
        }
        let site = SiteCode::try_from(site.to_owned()).map_err(|_| shape())?;
        let sequence: u64 = digits.parse().map_err(|_| shape())?;
        if interim(symbols.chars().filter_map(value)) != 0 {
            return Err(RegistrationNumberError::Check(typed.to_owned()));
        }
        let number = Self { site, sequence };
        // Leading zeros beyond the padding would give two spellings of one number.
        if number.body().len() + 1 != symbols.len() {
            return Err(shape());
        }
        Ok(number)
    }
}

impl fmt::Display for RegistrationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let check = check_character(&self.body()).unwrap_or('0');
        write!(f, "{}-{:06}-{check}", self.site.as_str(), self.sequence)
    }
}

impl TryFrom<String> for RegistrationNumber {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s).map_err(|e| e.to_string())
    }
}

impl From<RegistrationNumber> for String {
    fn from(n: RegistrationNumber) -> String {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(site: &str, seq: u64) -> RegistrationNumber {
        RegistrationNumber::new(SiteCode::try_from(site.to_owned()).unwrap(), seq)
    }

    #[test]
    fn round_trips_through_text() {
        let n = number("ACH", 123);
        let text = n.to_string();
        assert!(text.starts_with("ACH-000123-"), "{text}");
        assert_eq!(RegistrationNumber::parse(&text).unwrap(), n);
        assert_eq!(
            RegistrationNumber::parse(&text.to_lowercase().replace('-', " ")).unwrap(),
            n
        );
    }

    #[test]
    fn reads_confusable_letters_as_digits() {
        let n = number("ENT", 1010);
        let typed = n.to_string().replace("001010", "OOIOIO");
        assert_eq!(RegistrationNumber::parse(&typed).unwrap(), n);
    }

    /// Every single substitution and every adjacent transposition, over a sample of numbers.
    #[test]
    fn catches_every_single_substitution_and_adjacent_transposition() {
        let mut tried = 0u32;
        for site in ["ACH", "ENT", "KB", "MEDAN"] {
            for seq in (0..5000).step_by(7).chain([999_999, 1_000_000, 12_345_678]) {
                let text = number(site, seq).to_string();
                let symbols: Vec<char> = text.chars().filter(|c| *c != '-').collect();
                for i in 0..symbols.len() {
                    for &b in ALPHABET {
                        let c = char::from(b);
                        if c == symbols[i] {
                            continue;
                        }
                        let mut typo = symbols.clone();
                        typo[i] = c;
                        let typo: String = typo.into_iter().collect();
                        assert!(
                            RegistrationNumber::parse(&typo).is_err(),
                            "{text} -> {typo}"
                        );
                        tried += 1;
                    }
                    if i + 1 < symbols.len() && symbols[i] != symbols[i + 1] {
                        let mut swapped = symbols.clone();
                        swapped.swap(i, i + 1);
                        let swapped: String = swapped.into_iter().collect();
                        assert!(
                            RegistrationNumber::parse(&swapped).is_err(),
                            "{text} -> {swapped}"
                        );
                        tried += 1;
                    }
                }
            }
        }
        assert!(tried > 900_000, "only {tried} variants tried");
    }

    #[test]
    fn refuses_bad_site_codes_and_shapes() {
        assert!(
            SiteCode::try_from("LES".to_owned()).is_err(),
            "L is confusable"
        );
        assert!(SiteCode::try_from("A".to_owned()).is_err());
        assert!(matches!(
            RegistrationNumber::parse("ACH"),
            Err(RegistrationNumberError::Shape(_))
        ));
        assert!(matches!(
            RegistrationNumber::parse("ACH-12#-4"),
            Err(RegistrationNumberError::Symbol(_, '#'))
        ));
    }
}
