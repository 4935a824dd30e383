//! Machine-readable zones (ICAO Doc 9303): parsing, check-digit verification and comparison
//! with what a person declared.
//!
//! Supported layouts are TD1 (3 lines of 30, ID cards), TD2 (2 lines of 36) and TD3 (2 lines
//! of 44, passports), including the machine-readable visa variants of TD2 and TD3 (document
//! code starting with `V`), which carry no composite check digit. Positions in comments and in
//! error messages are 1-based, as in Doc 9303.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Date, Month};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use utoipa::ToSchema;

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// The size of a machine-readable travel document, which fixes the MRZ layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MrzFormat {
    /// Three lines of 30 characters (ID cards).
    Td1,
    /// Two lines of 36 characters.
    Td2,
    /// Two lines of 44 characters (passports).
    Td3,
}

impl MrzFormat {
    /// Number of lines in the MRZ.
    pub const fn line_count(self) -> usize {
        match self {
            Self::Td1 => 3,
            Self::Td2 | Self::Td3 => 2,
        }
    }

    /// Number of characters on every line.
    pub const fn line_length(self) -> usize {
        match self {
            Self::Td1 => 30,
            Self::Td2 => 36,
            Self::Td3 => 44,
        }
    }

    /// The two-line format whose lines have `length` characters.
    const fn two_line(length: usize) -> Option<Self> {
        match length {
            36 => Some(Self::Td2),
            44 => Some(Self::Td3),
            _ => None,
        }
    }
}

impl fmt::Display for MrzFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Td1 => "TD1 ID card",
            Self::Td2 => "TD2 document",
            Self::Td3 => "TD3 passport",
        })
    }
}

/// The data a check digit protects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckField {
    DocumentNumber,
    BirthDate,
    ExpiryDate,
    /// The personal number / optional data of a TD3 document.
    OptionalData,
    /// The check digit over the whole data line(s).
    Composite,
}

impl fmt::Display for CheckField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::DocumentNumber => "document number",
            Self::BirthDate => "date of birth",
            Self::ExpiryDate => "date of expiry",
            Self::OptionalData => "optional data",
            Self::Composite => "composite",
        })
    }
}

/// The outcome of one check digit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CheckResult {
    pub field: CheckField,
    /// The digit computed from the data.
    pub expected: char,
    /// The character printed in the check-digit position.
    pub found: char,
    pub valid: bool,
}

/// Sex as printed in the MRZ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MrzSex {
    Female,
    Male,
    /// `X` or `<` (any other character is also read as unspecified).
    Unspecified,
}

impl MrzSex {
    fn from_mrz(c: char) -> Self {
        match c {
            'F' => Self::Female,
            'M' => Self::Male,
            _ => Self::Unspecified,
        }
    }

    /// The MRZ letter: `F`, `M` or `X`.
    pub const fn letter(self) -> char {
        match self {
            Self::Female => 'F',
            Self::Male => 'M',
            Self::Unspecified => 'X',
        }
    }
}

/// A parsed machine-readable zone. Text fields have their `<` fillers stripped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Mrz {
    pub format: MrzFormat,
    /// E.g. `P`, `I`, `ID`, `AC`, `V`.
    pub document_code: String,
    /// Issuing state or organisation, e.g. `UTO`, or `D` for Germany.
    pub issuing_state: String,
    /// The full document number, including any TD1/TD2 overflow into the optional data.
    pub document_number: String,
    /// Surname(s), words separated by single spaces.
    pub primary_identifier: String,
    /// Given name(s), words separated by single spaces.
    pub secondary_identifier: String,
    /// True when the name field is completely filled, which is how ICAO signals that the
    /// names may have been truncated to fit.
    pub name_truncated: bool,
    pub nationality: String,
    /// `None` when the field is unreadable, unknown (`<`) or not a real date.
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date, example = "1974-08-12")]
    pub birth_date: Option<Date>,
    pub sex: MrzSex,
    /// `None` when the field is unreadable, unknown (`<`) or not a real date.
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date, example = "2012-04-15")]
    pub expiry_date: Option<Date>,
    /// Optional data (TD3: personal number; TD1: line 1 optional data).
    pub optional_data: String,
    /// TD1 only: the optional data of line 2; empty for TD2 and TD3.
    pub optional_data_2: String,
    /// One result per check digit of the layout, in document order.
    pub checks: Vec<CheckResult>,
}

impl Mrz {
    /// True when every check digit is valid.
    pub fn is_valid(&self) -> bool {
        self.checks.iter().all(|check| check.valid)
    }

    /// The fields whose check digit failed, in document order.
    pub fn failed_checks(&self) -> Vec<CheckField> {
        self.checks
            .iter()
            .filter(|check| !check.valid)
            .map(|check| check.field)
            .collect()
    }
}

/// Why a text could not be read as an MRZ. Line and column numbers are 1-based and count MRZ
/// lines only (blank lines are skipped) and characters after trimming surrounding whitespace.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MrzError {
    #[error("the MRZ is empty")]
    Empty,
    #[error(
        "the MRZ has {found} line(s); a TD1 ID card has 3 lines, TD2 documents and TD3 passports have 2"
    )]
    LineCount { found: usize },
    #[error("line {line} has {found} characters; a {format} line has {expected}")]
    LineLength {
        line: usize,
        found: usize,
        format: MrzFormat,
        expected: usize,
    },
    #[error(
        "the lines have {first} and {second} characters; a two-line MRZ has 36 (TD2) or 44 (TD3 passport) characters per line"
    )]
    UnknownLength { first: usize, second: usize },
    #[error(
        "line {line}, column {column}: spaces are not allowed in an MRZ (empty positions are written '<')"
    )]
    Whitespace { line: usize, column: usize },
    #[error(
        "line {line}, column {column}: character {character:?} is not allowed in an MRZ (only A-Z, 0-9 and '<')"
    )]
    InvalidCharacter {
        line: usize,
        column: usize,
        character: char,
    },
}

/// Computes the ICAO 9303 check digit of `field` (weights 7-3-1, `<` = 0, `A` = 10 … `Z` = 35).
/// `None` when a character is outside `[0-9A-Z<]`.
pub fn check_digit(field: &str) -> Option<char> {
    let weights = [7, 3, 1].into_iter().cycle();
    let sum = field.chars().zip(weights).try_fold(0, |sum, (c, weight)| {
        let value = match c {
            '<' => 0,
            '0'..='9' | 'A'..='Z' => c.to_digit(36)?,
            _ => return None,
        };
        Some((sum + value * weight) % 10)
    })?;
    char::from_digit(sum, 10)
}

/// Parses and verifies an MRZ. Lines may be separated by `\n` or `\r\n`; surrounding
/// whitespace and blank lines are ignored, lowercase letters are accepted. `today` resolves
/// the century of the two-digit years.
pub fn parse(text: &str, today: Date) -> Result<Mrz, MrzError> {
    let lines = clean_lines(text)?;
    let format = detect_format(&lines)?;
    match lines.as_slice() {
        [l1, l2, l3] => Ok(parse_td1(l1, l2, l3, today)),
        [l1, l2] => Ok(parse_two_line(format, l1, l2, today)),
        _ => Err(MrzError::LineCount { found: lines.len() }),
    }
}

/// Upper-cases the non-blank lines and rejects characters that cannot appear in an MRZ.
fn clean_lines(text: &str) -> Result<Vec<String>, MrzError> {
    let mut lines = Vec::new();
    for raw in text.split(['\n', '\r']).map(str::trim) {
        if raw.is_empty() {
            continue;
        }
        let line = lines.len() + 1;
        let cleaned = raw
            .chars()
            .enumerate()
            .map(|(index, c)| match c.to_ascii_uppercase() {
                upper @ ('A'..='Z' | '0'..='9' | '<') => Ok(upper),
                c if c.is_whitespace() => Err(MrzError::Whitespace {
                    line,
                    column: index + 1,
                }),
                character => Err(MrzError::InvalidCharacter {
                    line,
                    column: index + 1,
                    character,
                }),
            })
            .collect::<Result<String, _>>()?;
        lines.push(cleaned);
    }
    Ok(lines)
}

/// Chooses the layout from the number of lines and their lengths, and checks every length.
fn detect_format(lines: &[String]) -> Result<MrzFormat, MrzError> {
    let format = match lines {
        [] => return Err(MrzError::Empty),
        [_, _, _] => MrzFormat::Td1,
        [first, second] => MrzFormat::two_line(first.len())
            .or_else(|| MrzFormat::two_line(second.len()))
            .ok_or(MrzError::UnknownLength {
                first: first.len(),
                second: second.len(),
            })?,
        _ => return Err(MrzError::LineCount { found: lines.len() }),
    };
    let expected = format.line_length();
    match lines.iter().position(|line| line.len() != expected) {
        Some(index) => Err(MrzError::LineLength {
            line: index + 1,
            found: lines.get(index).map_or(0, String::len),
            format,
            expected,
        }),
        None => Ok(format),
    }
}

/// TD1: line 1 = code, state, number, optional data; line 2 = dates, sex, nationality,
/// optional data, composite; line 3 = names.
fn parse_td1(l1: &str, l2: &str, l3: &str, today: Date) -> Mrz {
    let (document_number, number_check, optional_data) =
        read_document_number(field(l1, 6, 14), char_at(l1, 15), field(l1, 16, 30), true);
    let composite = [
        field(l1, 6, 30),
        field(l2, 1, 7),
        field(l2, 9, 15),
        field(l2, 19, 29),
    ]
    .concat();
    let (primary_identifier, secondary_identifier, name_truncated) = read_names(l3);
    Mrz {
        format: MrzFormat::Td1,
        document_code: strip(field(l1, 1, 2)),
        issuing_state: strip(field(l1, 3, 5)),
        document_number,
        primary_identifier,
        secondary_identifier,
        name_truncated,
        nationality: strip(field(l2, 16, 18)),
        birth_date: birth_date(field(l2, 1, 6), today),
        sex: MrzSex::from_mrz(char_at(l2, 8)),
        expiry_date: expiry_date(field(l2, 9, 14), today),
        optional_data,
        optional_data_2: strip(field(l2, 19, 29)),
        checks: vec![
            number_check,
            verify(CheckField::BirthDate, field(l2, 1, 6), char_at(l2, 7)),
            verify(CheckField::ExpiryDate, field(l2, 9, 14), char_at(l2, 15)),
            verify(CheckField::Composite, &composite, char_at(l2, 30)),
        ],
    }
}

/// TD2 and TD3 share a layout: line 1 = code, state, names; line 2 = number, nationality,
/// dates, sex, optional data, (TD3: optional data check), composite. Visas (code `V…`) use
/// the positions of the last check digits for optional data instead.
fn parse_two_line(format: MrzFormat, l1: &str, l2: &str, today: Date) -> Mrz {
    let len = format.line_length();
    let document_code = strip(field(l1, 1, 2));
    let visa = document_code.starts_with('V');
    let optional_end = match (visa, format) {
        (true, _) => len,
        (false, MrzFormat::Td3) => len - 2,
        (false, _) => len - 1,
    };
    let optional_raw = field(l2, 29, optional_end);
    let (document_number, number_check, optional_data) = read_document_number(
        field(l2, 1, 9),
        char_at(l2, 10),
        optional_raw,
        format == MrzFormat::Td2,
    );
    let mut checks = vec![
        number_check,
        verify(CheckField::BirthDate, field(l2, 14, 19), char_at(l2, 20)),
        verify(CheckField::ExpiryDate, field(l2, 22, 27), char_at(l2, 28)),
    ];
    if !visa {
        if format == MrzFormat::Td3 {
            checks.push(verify(
                CheckField::OptionalData,
                optional_raw,
                char_at(l2, len - 1),
            ));
        }
        let composite = [field(l2, 1, 10), field(l2, 14, 20), field(l2, 22, len - 1)].concat();
        checks.push(verify(CheckField::Composite, &composite, char_at(l2, len)));
    }
    let (primary_identifier, secondary_identifier, name_truncated) = read_names(field(l1, 6, len));
    Mrz {
        format,
        document_code,
        issuing_state: strip(field(l1, 3, 5)),
        document_number,
        primary_identifier,
        secondary_identifier,
        name_truncated,
        nationality: strip(field(l2, 11, 13)),
        birth_date: birth_date(field(l2, 14, 19), today),
        sex: MrzSex::from_mrz(char_at(l2, 21)),
        expiry_date: expiry_date(field(l2, 22, 27), today),
        optional_data,
        optional_data_2: String::new(),
        checks,
    }
}

/// Characters `from..=to` (1-based) of an already validated ASCII line.
fn field(line: &str, from: usize, to: usize) -> &str {
    line.get(from.saturating_sub(1)..to).unwrap_or_default()
}

/// Character at `position` (1-based); `<` past the end.
fn char_at(line: &str, position: usize) -> char {
    field(line, position, position)
        .chars()
        .next()
        .unwrap_or('<')
}

/// Removes the `<` fillers around a field.
fn strip(raw: &str) -> String {
    raw.trim_matches('<').to_owned()
}

/// Verifies the check digit `found` against `data`. A `<` check digit is valid over a field
/// made only of fillers, as ICAO allows.
fn verify(field: CheckField, data: &str, found: char) -> CheckResult {
    // Lines are validated before this is called, so `check_digit` always succeeds here.
    let expected = check_digit(data).unwrap_or('?');
    let valid = found == expected || (found == '<' && data.chars().all(|c| c == '<'));
    CheckResult {
        field,
        expected,
        found,
        valid,
    }
}

/// Returns the document number, its check and the remaining optional data. With `overflow`
/// (TD1, TD2), a number longer than nine characters is recognised as ICAO prescribes: the
/// check-digit position holds `<` and the number continues in the optional data, followed by
/// its check digit and a filler.
fn read_document_number(
    number: &str,
    check: char,
    optional: &str,
    overflow: bool,
) -> (String, CheckResult, String) {
    if overflow && check == '<' && !number.contains('<') {
        let run = optional.split('<').next().unwrap_or_default();
        let mut run_chars = run.chars();
        if let Some(run_check) = run_chars.next_back() {
            let full = format!("{number}{}", run_chars.as_str());
            let result = verify(CheckField::DocumentNumber, &full, run_check);
            let rest = optional.get(run.len()..).unwrap_or_default();
            return (full, result, strip(rest));
        }
    }
    (
        strip(number),
        verify(CheckField::DocumentNumber, number, check),
        strip(optional),
    )
}

/// Splits the name field at the first `<<` into primary and secondary identifiers.
fn read_names(raw: &str) -> (String, String, bool) {
    let truncated = raw.ends_with(|c| c != '<');
    let (primary, secondary) = raw.split_once("<<").unwrap_or((raw, ""));
    let words = |part: &str| {
        part.split('<')
            .filter(|word| !word.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    (words(primary), words(secondary), truncated)
}

/// Reads `YYMMDD` as (two-digit year, month, day); `None` unless all six are digits.
fn yymmdd(raw: &str) -> Option<(i32, u8, u8)> {
    let pair = |at: usize| -> Option<u8> {
        let digits = raw.as_bytes().get(at..at + 2)?;
        digits.iter().try_fold(0, |value, &b| {
            b.is_ascii_digit().then(|| value * 10 + (b - b'0'))
        })
    };
    if raw.len() != 6 {
        return None;
    }
    Some((i32::from(pair(0)?), pair(2)?, pair(4)?))
}

fn calendar_date(year: i32, month: u8, day: u8) -> Option<Date> {
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

fn ymd(date: Date) -> (i32, u8, u8) {
    (date.year(), u8::from(date.month()), date.day())
}

/// Date of birth: 20YY unless that is after `today`, then 19YY.
fn birth_date(raw: &str, today: Date) -> Option<Date> {
    let (yy, month, day) = yymmdd(raw)?;
    let year = if (2000 + yy, month, day) > ymd(today) {
        1900 + yy
    } else {
        2000 + yy
    };
    calendar_date(year, month, day)
}

/// Date of expiry: 20YY unless that is more than 50 years after `today`, then 19YY.
fn expiry_date(raw: &str, today: Date) -> Option<Date> {
    let (yy, month, day) = yymmdd(raw)?;
    let (year_now, month_now, day_now) = ymd(today);
    let year = if (2000 + yy, month, day) > (year_now + 50, month_now, day_now) {
        1900 + yy
    } else {
        2000 + yy
    };
    calendar_date(year, month, day)
}

/// What the person said about themselves; `None` fields are not compared.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Declared<'a> {
    pub family_name: Option<&'a str>,
    pub given_name: Option<&'a str>,
    /// `F`, `M` or anything else (unspecified).
    pub sex: Option<char>,
    pub birth_date: Option<Date>,
    /// ISO 3166-1 alpha-3 code or an ICAO code such as `XXA`.
    pub nationality: Option<&'a str>,
}

/// A declared value that the document contradicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MismatchField {
    FamilyName,
    GivenName,
    Sex,
    BirthDate,
    Nationality,
}

/// One disagreement between the declaration and the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Mismatch {
    pub field: MismatchField,
    pub declared: String,
    pub document: String,
}

/// Compares the declaration with the MRZ and lists every field that disagrees.
///
/// Names are compared after ICAO transliteration (`Ä` may be `AE` or `A`, `ß` is `SS`, accents
/// are dropped …), with hyphens, apostrophes and spaces as separators; a name matches when the
/// MRZ spells it, or, if the MRZ name field is full, when the MRZ holds a truncation of it.
pub fn compare(mrz: &Mrz, declared: &Declared<'_>) -> Vec<Mismatch> {
    let mut mismatches = Vec::new();
    let mut report = |field, declared: String, document: String| {
        mismatches.push(Mismatch {
            field,
            declared,
            document,
        });
    };
    let names = [
        (
            MismatchField::FamilyName,
            declared.family_name,
            &mrz.primary_identifier,
        ),
        (
            MismatchField::GivenName,
            declared.given_name,
            &mrz.secondary_identifier,
        ),
    ];
    for (field, name, document) in names {
        if let Some(name) = name
            && !name_matches(name, document, mrz.name_truncated)
        {
            report(field, name.to_owned(), document.clone());
        }
    }
    if let Some(sex) = declared.sex
        && !sex_matches(mrz.sex, sex)
    {
        report(
            MismatchField::Sex,
            sex.to_string(),
            mrz.sex.letter().to_string(),
        );
    }
    if let (Some(said), Some(printed)) = (declared.birth_date, mrz.birth_date)
        && said != printed
    {
        report(
            MismatchField::BirthDate,
            said.to_string(),
            printed.to_string(),
        );
    }
    if let Some(nationality) = declared.nationality
        && nationality_code(nationality) != nationality_code(&mrz.nationality)
    {
        report(
            MismatchField::Nationality,
            nationality.to_owned(),
            mrz.nationality.clone(),
        );
    }
    mismatches
}

/// `X` or `<` in the MRZ accepts anything but `F`/`M`; `F`/`M` must be equal.
fn sex_matches(document: MrzSex, declared: char) -> bool {
    let declared = declared.to_ascii_uppercase();
    match document {
        MrzSex::Female => declared == 'F',
        MrzSex::Male => declared == 'M',
        MrzSex::Unspecified => !matches!(declared, 'F' | 'M'),
    }
}

/// Upper-cased code without fillers; Germany's MRZ code `D` is the same as `DEU`.
fn nationality_code(code: &str) -> String {
    let code = code.trim().trim_matches('<').to_ascii_uppercase();
    if code == "D" { "DEU".to_owned() } else { code }
}

/// The ASCII spellings ICAO allows for one character of a declared name.
#[derive(Debug, Clone, Copy)]
struct Spelling(&'static str, Option<&'static str>);

impl Spelling {
    fn options(self) -> impl Iterator<Item = &'static str> {
        std::iter::once(self.0).chain(self.1)
    }
}

const ALPHANUMERIC: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// Spelling of a character that has no ASCII transliteration: never found in an MRZ.
const UNSPELLABLE: &str = "?";

/// ICAO 9303 part 3 transliterations that dropping diacritics does not give.
const TRANSLITERATIONS: &[(char, &str, Option<&str>)] = &[
    ('Ä', "AE", Some("A")),
    ('Å', "AA", Some("A")),
    ('Æ', "AE", None),
    ('Ö', "OE", Some("O")),
    ('Ø', "OE", Some("O")),
    ('Œ', "OE", None),
    ('Ü', "UE", Some("U")),
    ('ẞ', "SS", None),
    ('Þ', "TH", None),
    ('Ð', "D", None),
    ('Đ', "D", None),
    ('Ħ', "H", None),
    ('Ĳ', "IJ", None),
    ('Ŀ', "L", None),
    ('Ł', "L", None),
    ('Ŋ', "N", None),
];

/// Transliterates one upper-case character.
fn spelling(c: char) -> Spelling {
    if let Some(&(_, main, alternative)) = TRANSLITERATIONS.iter().find(|(key, ..)| *key == c) {
        return Spelling(main, alternative);
    }
    let base = c.nfd().next().unwrap_or(c);
    let ascii = ALPHANUMERIC
        .find(base)
        .and_then(|index| ALPHANUMERIC.get(index..=index));
    Spelling(ascii.unwrap_or(UNSPELLABLE), None)
}

/// Splits a declared name into words of transliterated characters. Anything that is not a
/// letter or digit (space, hyphen, apostrophe …) separates words.
fn declared_words(name: &str) -> Vec<Vec<Spelling>> {
    let mut words = Vec::new();
    let mut word = Vec::new();
    for c in name.nfc().flat_map(char::to_uppercase) {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            word.push(spelling(c));
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// Whether the MRZ name `document` is the declared `name`, ignoring separators, or, when
/// `truncated`, a truncation of it: either cut short, or word by word shortened (down to
/// initials) with trailing words dropped.
fn name_matches(name: &str, document: &str, truncated: bool) -> bool {
    let words = declared_words(name);
    let letters = words.concat();
    let document_words: Vec<&str> = document.split_whitespace().collect();
    let document_letters = document_words.concat();
    if spells(&letters, &document_letters, false) {
        return true;
    }
    truncated
        && (spells(&letters, &document_letters, true)
            || (document_words.len() <= words.len()
                && document_words
                    .iter()
                    .zip(&words)
                    .all(|(document_word, word)| spells(word, document_word, true))))
}

/// Whether some choice of spellings of `declared` gives exactly `document` or, with `prefix`,
/// a text that starts with `document`. Tracks the set of reachable positions in `document`.
fn spells(declared: &[Spelling], document: &str, prefix: bool) -> bool {
    let document = document.as_bytes();
    let end = document.len();
    let mut reachable = BTreeSet::from([0]);
    for spelling in declared {
        if prefix && reachable.contains(&end) {
            return true;
        }
        let mut next = BTreeSet::new();
        for &position in &reachable {
            let rest = document.get(position..).unwrap_or_default();
            for option in spelling.options().map(str::as_bytes) {
                if rest.starts_with(option) {
                    next.insert(position + option.len());
                } else if prefix && option.starts_with(rest) {
                    next.insert(end);
                }
            }
        }
        reachable = next;
    }
    reachable.contains(&end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2024 - 06 - 01);

    /// ICAO 9303 part 4 specimen passport.
    const TD3: [&str; 2] = [
        "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
    ];
    /// ICAO 9303 part 5 specimen ID card.
    const TD1: [&str; 3] = [
        "I<UTOD231458907<<<<<<<<<<<<<<<",
        "7408122F1204159UTO<<<<<<<<<<<6",
        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
    ];
    /// ICAO 9303 part 6 specimen.
    const TD2: [&str; 2] = [
        "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
        "D231458907UTO7408122F1204159<<<<<<<6",
    ];
    /// ICAO 9303 part 11 appendix D.2: TD1 with a 12-character document number.
    const TD1_LONG: [&str; 3] = [
        "I<UTOD23145890<7349<<<<<<<<<<<",
        "3407127M9507122UTO<<<<<<<<<<<2",
        "STEVENSON<<PETER<JOHN<<<<<<<<<",
    ];
    /// ICAO 9303 part 11 appendix D.2: TD2 with a 12-character document number.
    const TD2_LONG: [&str; 2] = [
        "I<UTOSTEVENSON<<PETER<JOHN<<<<<<<<<<",
        "D23145890<UTO3407127M95071227349<<<8",
    ];
    /// ICAO 9303 part 7 specimen MRV-A visa.
    const MRV_A: [&str; 2] = [
        "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
        "L8988901C4XXX4009078F96121096ZE184226B<<<<<<",
    ];

    fn read<S: AsRef<str>>(lines: &[S]) -> Mrz {
        let text: Vec<&str> = lines.iter().map(AsRef::as_ref).collect();
        parse(&text.join("\n"), TODAY).unwrap()
    }

    fn error<S: AsRef<str>>(lines: &[S]) -> MrzError {
        let text: Vec<&str> = lines.iter().map(AsRef::as_ref).collect();
        parse(&text.join("\n"), TODAY).unwrap_err()
    }

    fn cd(data: &str) -> char {
        check_digit(data).unwrap()
    }

    /// The lines with the character at 1-based (`line`, `column`) replaced by `c`.
    fn altered(lines: &[&str], line: usize, column: usize, c: char) -> Vec<String> {
        let mut lines: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
        let target = &mut lines[line - 1];
        target.replace_range(column - 1..column, &c.to_string());
        lines
    }

    /// A UTO passport with correct check digits; `names` is padded or cut to the field.
    fn passport(names: &str, birth: &str, sex: char, expiry: &str, nationality: &str) -> String {
        let line1 = format!("P<UTO{names:<<39.39}");
        let number = "L898902C3";
        let personal = "ZE184226B<<<<<";
        let data = format!(
            "{number}{}{nationality:<<3}{birth}{}{sex}{expiry}{}{personal}{}",
            cd(number),
            cd(birth),
            cd(expiry),
            cd(personal)
        );
        let composite = cd(&[&data[0..10], &data[13..20], &data[21..43]].concat());
        format!("{line1}\n{data}{composite}")
    }

    fn named(names: &str) -> Mrz {
        parse(&passport(names, "740812", 'F', "120415", "UTO"), TODAY).unwrap()
    }

    fn all_fields(checks: &[CheckResult]) -> Vec<CheckField> {
        checks.iter().map(|check| check.field).collect()
    }

    #[test]
    fn check_digit_follows_icao() {
        assert_eq!(check_digit("L898902C3"), Some('6'));
        assert_eq!(check_digit("740812"), Some('2'));
        assert_eq!(check_digit("120415"), Some('9'));
        assert_eq!(check_digit("ZE184226B<<<<<"), Some('1'));
        assert_eq!(check_digit("D23145890734"), Some('9'));
        assert_eq!(check_digit("<<<<<<"), Some('0'));
        assert_eq!(check_digit(""), Some('0'));
        assert_eq!(check_digit("l898902C3"), None);
        assert_eq!(check_digit("AB C"), None);
        assert_eq!(check_digit("É"), None);
    }

    #[test]
    fn td3_specimen_reads_and_verifies() {
        let mrz = read(&TD3);
        assert_eq!(mrz.format, MrzFormat::Td3);
        assert_eq!(mrz.document_code, "P");
        assert_eq!(mrz.issuing_state, "UTO");
        assert_eq!(mrz.document_number, "L898902C3");
        assert_eq!(mrz.primary_identifier, "ERIKSSON");
        assert_eq!(mrz.secondary_identifier, "ANNA MARIA");
        assert!(!mrz.name_truncated);
        assert_eq!(mrz.nationality, "UTO");
        assert_eq!(mrz.birth_date, Some(date!(1974 - 08 - 12)));
        assert_eq!(mrz.sex, MrzSex::Female);
        assert_eq!(mrz.expiry_date, Some(date!(2012 - 04 - 15)));
        assert_eq!(mrz.optional_data, "ZE184226B");
        assert_eq!(mrz.optional_data_2, "");
        assert_eq!(
            all_fields(&mrz.checks),
            [
                CheckField::DocumentNumber,
                CheckField::BirthDate,
                CheckField::ExpiryDate,
                CheckField::OptionalData,
                CheckField::Composite
            ]
        );
        assert!(mrz.is_valid());
        assert!(mrz.failed_checks().is_empty());
        let found: String = mrz.checks.iter().map(|check| check.found).collect();
        let expected: String = mrz.checks.iter().map(|check| check.expected).collect();
        assert_eq!((found.as_str(), expected.as_str()), ("62910", "62910"));
    }

    #[test]
    fn td1_specimen_reads_and_verifies() {
        let mrz = read(&TD1);
        assert_eq!(mrz.format, MrzFormat::Td1);
        assert_eq!(mrz.document_code, "I");
        assert_eq!(mrz.issuing_state, "UTO");
        assert_eq!(mrz.document_number, "D23145890");
        assert_eq!(mrz.primary_identifier, "ERIKSSON");
        assert_eq!(mrz.secondary_identifier, "ANNA MARIA");
        assert_eq!(mrz.nationality, "UTO");
        assert_eq!(mrz.birth_date, Some(date!(1974 - 08 - 12)));
        assert_eq!(mrz.sex, MrzSex::Female);
        assert_eq!(mrz.expiry_date, Some(date!(2012 - 04 - 15)));
        assert_eq!(
            (mrz.optional_data.as_str(), mrz.optional_data_2.as_str()),
            ("", "")
        );
        assert_eq!(
            all_fields(&mrz.checks),
            [
                CheckField::DocumentNumber,
                CheckField::BirthDate,
                CheckField::ExpiryDate,
                CheckField::Composite
            ]
        );
        assert!(mrz.is_valid(), "{:?}", mrz.checks);
    }

    #[test]
    fn td2_specimen_reads_and_verifies() {
        let mrz = read(&TD2);
        assert_eq!(mrz.format, MrzFormat::Td2);
        assert_eq!(mrz.document_code, "I");
        assert_eq!(mrz.document_number, "D23145890");
        assert_eq!(mrz.primary_identifier, "ERIKSSON");
        assert_eq!(mrz.secondary_identifier, "ANNA MARIA");
        assert_eq!(mrz.nationality, "UTO");
        assert_eq!(mrz.birth_date, Some(date!(1974 - 08 - 12)));
        assert_eq!(mrz.expiry_date, Some(date!(2012 - 04 - 15)));
        assert_eq!(mrz.optional_data, "");
        assert_eq!(
            all_fields(&mrz.checks),
            [
                CheckField::DocumentNumber,
                CheckField::BirthDate,
                CheckField::ExpiryDate,
                CheckField::Composite
            ]
        );
        assert!(mrz.is_valid(), "{:?}", mrz.checks);
    }

    #[test]
    fn visa_has_no_composite_check() {
        let mrz = read(&MRV_A);
        assert_eq!(mrz.format, MrzFormat::Td3);
        assert_eq!(mrz.document_code, "V");
        assert_eq!(mrz.document_number, "L8988901C");
        assert_eq!(mrz.nationality, "XXX");
        assert_eq!(mrz.birth_date, Some(date!(1940 - 09 - 07)));
        assert_eq!(mrz.expiry_date, Some(date!(1996 - 12 - 10)));
        assert_eq!(mrz.optional_data, "6ZE184226B");
        assert_eq!(
            all_fields(&mrz.checks),
            [
                CheckField::DocumentNumber,
                CheckField::BirthDate,
                CheckField::ExpiryDate
            ]
        );
        assert!(mrz.is_valid(), "{:?}", mrz.checks);
    }

    /// Alters one character per case and expects exactly the listed failed checks.
    fn assert_alterations(lines: &[&str], cases: &[(usize, usize, char, &[CheckField])]) {
        for &(line, column, c, expected) in cases {
            let mrz = read(&altered(lines, line, column, c));
            assert_eq!(
                mrz.failed_checks(),
                expected,
                "line {line} column {column} -> {c}"
            );
            assert_eq!(mrz.is_valid(), expected.is_empty());
        }
    }

    #[test]
    fn td3_alterations_fail_the_right_checks() {
        use CheckField::*;
        assert_alterations(
            &TD3,
            &[
                (2, 3, '0', &[DocumentNumber, Composite]),
                (2, 10, '5', &[DocumentNumber, Composite]),
                (2, 15, '5', &[BirthDate, Composite]),
                (2, 20, '3', &[BirthDate, Composite]),
                (2, 24, '1', &[ExpiryDate, Composite]),
                (2, 28, '8', &[ExpiryDate, Composite]),
                (2, 30, 'F', &[OptionalData, Composite]),
                (2, 43, '2', &[OptionalData, Composite]),
                (2, 44, '1', &[Composite]),
                // Nationality, sex and names are not protected by any check digit.
                (2, 12, 'X', &[]),
                (2, 21, 'M', &[]),
                (1, 7, 'X', &[]),
            ],
        );
    }

    #[test]
    fn td1_alterations_fail_the_right_checks() {
        use CheckField::*;
        assert_alterations(
            &TD1,
            &[
                (1, 7, '3', &[DocumentNumber, Composite]),
                (1, 15, '8', &[DocumentNumber, Composite]),
                (1, 20, 'B', &[Composite]),
                (2, 2, '5', &[BirthDate, Composite]),
                (2, 7, '3', &[BirthDate, Composite]),
                (2, 10, '3', &[ExpiryDate, Composite]),
                (2, 15, '8', &[ExpiryDate, Composite]),
                (2, 20, 'B', &[Composite]),
                (2, 30, '7', &[Composite]),
                (2, 17, 'X', &[]),
                (3, 2, 'X', &[]),
            ],
        );
    }

    #[test]
    fn td2_alterations_fail_the_right_checks() {
        use CheckField::*;
        assert_alterations(
            &TD2,
            &[
                (2, 2, '3', &[DocumentNumber, Composite]),
                (2, 15, '5', &[BirthDate, Composite]),
                (2, 23, '3', &[ExpiryDate, Composite]),
                (2, 30, 'B', &[Composite]),
                (2, 36, '7', &[Composite]),
                (2, 12, 'X', &[]),
            ],
        );
    }

    #[test]
    fn failed_check_reports_field_and_digits() {
        let mrz = read(&altered(&TD3, 2, 3, '0'));
        let check = &mrz.checks[0];
        assert_eq!(check.field, CheckField::DocumentNumber);
        assert_eq!(check.found, '6');
        assert_eq!(check.expected, cd("L808902C3"));
        assert!(!check.valid);
        assert_eq!(CheckField::DocumentNumber.to_string(), "document number");
    }

    #[test]
    fn filler_check_digit_is_valid_only_over_fillers() {
        // Personal number all fillers, check digit '<' instead of '0': valid.
        let data = format!("L898902C36UTO7408122F1204159{}", "<".repeat(15));
        let composite = cd(&[&data[0..10], &data[13..20], &data[21..43]].concat());
        let personal = [TD3[0].to_owned(), format!("{data}{composite}")];
        let mrz = read(&personal);
        assert_eq!(mrz.optional_data, "");
        assert_eq!((mrz.checks[3].found, mrz.checks[3].expected), ('<', '0'));
        assert!(mrz.is_valid(), "{:?}", mrz.checks);

        // A '<' check digit over real data is a failure.
        let mrz = read(&altered(&TD3, 2, 10, '<'));
        assert_eq!(mrz.failed_checks()[0], CheckField::DocumentNumber);
    }

    #[test]
    fn td1_long_document_number_is_reconstructed() {
        let mrz = read(&TD1_LONG);
        assert_eq!(mrz.document_number, "D23145890734");
        assert_eq!(mrz.optional_data, "");
        assert_eq!((mrz.checks[0].found, mrz.checks[0].expected), ('9', '9'));
        assert_eq!(mrz.primary_identifier, "STEVENSON");
        assert_eq!(mrz.secondary_identifier, "PETER JOHN");
        assert_eq!(mrz.sex, MrzSex::Male);
        assert_eq!(mrz.birth_date, Some(date!(1934 - 07 - 12)));
        assert_eq!(mrz.expiry_date, Some(date!(1995 - 07 - 12)));
        assert!(mrz.is_valid(), "{:?}", mrz.checks);

        // A misread overflow character fails the document number check.
        let failed = read(&altered(&TD1_LONG, 1, 17, '4')).failed_checks();
        assert_eq!(failed, [CheckField::DocumentNumber, CheckField::Composite]);

        // Optional data after the overflow is kept apart from the number.
        let line1 = "I<UTOD23145890<7349<AB<<<<<<<<";
        let head = "3407127M9507122UTO<<<<<<<<<<<";
        let composite = cd(&[&line1[5..30], &head[0..7], &head[8..15], &head[18..29]].concat());
        let line2 = format!("{head}{composite}");
        let mrz = read(&[line1, line2.as_str(), TD1_LONG[2]]);
        assert_eq!(mrz.document_number, "D23145890734");
        assert_eq!(mrz.optional_data, "AB");
        assert!(mrz.is_valid(), "{:?}", mrz.checks);
    }

    #[test]
    fn td2_long_document_number_is_reconstructed() {
        let mrz = read(&TD2_LONG);
        assert_eq!(mrz.document_number, "D23145890734");
        assert_eq!(mrz.optional_data, "");
        assert!(mrz.is_valid(), "{:?}", mrz.checks);
    }

    #[test]
    fn wrong_line_lengths_say_what_was_expected() {
        let short = &TD3[1][..43];
        let err = error(&[TD3[0], short]);
        assert_eq!(
            err.to_string(),
            "line 2 has 43 characters; a TD3 passport line has 44"
        );

        let err = error(&[TD1[0], TD1[1], &TD1[2][..29]]);
        assert_eq!(
            err.to_string(),
            "line 3 has 29 characters; a TD1 ID card line has 30"
        );

        let err = error(&[TD2[0], TD3[1]]);
        assert_eq!(
            err.to_string(),
            "line 2 has 44 characters; a TD2 document line has 36"
        );

        let err = error(&[&TD3[0][..40], &TD3[1][..40]]);
        assert_eq!(
            err,
            MrzError::UnknownLength {
                first: 40,
                second: 40
            }
        );
        assert!(err.to_string().contains("36 (TD2) or 44 (TD3 passport)"));

        assert_eq!(error(&[TD3[0]]), MrzError::LineCount { found: 1 });
        assert_eq!(
            error(&[TD1[0], TD1[1], TD1[2], TD1[2]]),
            MrzError::LineCount { found: 4 }
        );
        assert_eq!(parse("", TODAY).unwrap_err(), MrzError::Empty);
        assert_eq!(parse(" \r\n\n\t", TODAY).unwrap_err(), MrzError::Empty);
    }

    #[test]
    fn bad_characters_name_line_and_column() {
        let err = error(&altered(&TD3, 1, 12, 'é'));
        assert_eq!(
            err.to_string(),
            "line 1, column 12: character 'é' is not allowed in an MRZ (only A-Z, 0-9 and '<')"
        );

        let err = error(&altered(&TD3, 2, 5, ' '));
        assert_eq!(err, MrzError::Whitespace { line: 2, column: 5 });
        assert!(
            err.to_string()
                .starts_with("line 2, column 5: spaces are not allowed")
        );

        let err = error(&altered(&TD1, 3, 30, '-'));
        assert_eq!(
            err,
            MrzError::InvalidCharacter {
                line: 3,
                column: 30,
                character: '-'
            }
        );

        // Columns count from the first MRZ character, lines skip blank lines.
        let text = format!(
            "\n\n  {}\r\n\r\n   {}  \n",
            TD3[0],
            TD3[1].replace('Z', "?")
        );
        let err = parse(&text, TODAY).unwrap_err();
        assert_eq!(
            err,
            MrzError::InvalidCharacter {
                line: 2,
                column: 29,
                character: '?'
            }
        );
    }

    #[test]
    fn lenient_input_is_accepted() {
        let text = format!(
            "\r\n  {}  \r\n\r\n\t{}\r\n",
            TD3[0].to_lowercase(),
            TD3[1].to_lowercase()
        );
        assert_eq!(parse(&text, TODAY).unwrap(), read(&TD3));
    }

    #[test]
    fn impossible_or_unknown_dates_are_none_but_still_checked() {
        for birth in ["741312", "740231", "7408<<", "<<<<<<", "740800"] {
            let mrz = parse(&passport("A<<B", birth, 'F', "120415", "UTO"), TODAY).unwrap();
            assert_eq!(mrz.birth_date, None, "{birth}");
            assert_eq!(mrz.checks[1].expected, cd(birth));
            assert!(mrz.is_valid(), "{birth}: {:?}", mrz.checks);
        }
        let mrz = parse(&passport("A<<B", "740812", 'F', "120431", "UTO"), TODAY).unwrap();
        assert_eq!(mrz.expiry_date, None);
        assert!(mrz.is_valid());
        // The check digit is computed over the raw characters, so a misprint still fails.
        let mrz = read(&altered(&TD3, 2, 16, '9'));
        assert_eq!(mrz.birth_date, None);
        assert_eq!(
            mrz.failed_checks(),
            [CheckField::BirthDate, CheckField::Composite]
        );
    }

    #[test]
    fn century_is_resolved_against_today() {
        assert_eq!(birth_date("240531", TODAY), Some(date!(2024 - 05 - 31)));
        assert_eq!(birth_date("240601", TODAY), Some(date!(2024 - 06 - 01)));
        assert_eq!(birth_date("240602", TODAY), Some(date!(1924 - 06 - 02)));
        assert_eq!(birth_date("000229", TODAY), Some(date!(2000 - 02 - 29)));
        assert_eq!(birth_date("991231", TODAY), Some(date!(1999 - 12 - 31)));
        assert_eq!(expiry_date("740601", TODAY), Some(date!(2074 - 06 - 01)));
        assert_eq!(expiry_date("740602", TODAY), Some(date!(1974 - 06 - 02)));
        assert_eq!(expiry_date("300101", TODAY), Some(date!(2030 - 01 - 01)));
        assert_eq!(expiry_date("991231", TODAY), Some(date!(1999 - 12 - 31)));
        let later = date!(2060 - 01 - 01);
        assert_eq!(birth_date("450101", later), Some(date!(2045 - 01 - 01)));
        assert_eq!(expiry_date("991231", later), Some(date!(2099 - 12 - 31)));
        let mrz = parse(&passport("A<<B", "240602", 'F', "340602", "UTO"), TODAY).unwrap();
        assert_eq!(mrz.birth_date, Some(date!(1924 - 06 - 02)));
        assert_eq!(mrz.expiry_date, Some(date!(2034 - 06 - 02)));
    }

    #[test]
    fn padded_codes_and_sex_are_read() {
        let mrz = parse(&passport("A<<B", "740812", '<', "120415", "D"), TODAY).unwrap();
        assert_eq!(mrz.nationality, "D");
        assert_eq!(mrz.sex, MrzSex::Unspecified);
        let mrz = parse(&passport("A<<B", "740812", 'X', "120415", "XXA"), TODAY).unwrap();
        assert_eq!(mrz.nationality, "XXA");
        assert_eq!(mrz.sex, MrzSex::Unspecified);
        let line1 = TD3[0].replacen("UTO", "D<<", 1);
        assert_eq!(read(&[line1.as_str(), TD3[1]]).issuing_state, "D");
    }

    #[test]
    fn helper_builds_the_specimen() {
        assert_eq!(
            passport("ERIKSSON<<ANNA<MARIA", "740812", 'F', "120415", "UTO"),
            TD3.join("\n")
        );
    }

    #[test]
    fn serializes_to_readable_json() {
        let json = serde_json::to_value(read(&TD3)).unwrap();
        assert_eq!(json["format"], "td3");
        assert_eq!(json["sex"], "female");
        assert_eq!(json["birth_date"], "1974-08-12");
        assert_eq!(json["expiry_date"], "2012-04-15");
        assert_eq!(json["checks"][0]["field"], "document_number");
        assert_eq!(json["checks"][0]["expected"], "6");
        let unknown = parse(&passport("A<<B", "7408<<", 'F', "120415", "UTO"), TODAY).unwrap();
        assert!(serde_json::to_value(unknown).unwrap()["birth_date"].is_null());
    }

    fn eriksson() -> Declared<'static> {
        Declared {
            family_name: Some("Eriksson"),
            given_name: Some("Anna Maria"),
            sex: Some('F'),
            birth_date: Some(date!(1974 - 08 - 12)),
            nationality: Some("uto"),
        }
    }

    fn mismatched_fields(mrz: &Mrz, declared: &Declared<'_>) -> Vec<MismatchField> {
        compare(mrz, declared)
            .into_iter()
            .map(|m| m.field)
            .collect()
    }

    #[test]
    fn compare_accepts_a_matching_declaration() {
        let mrz = read(&TD3);
        assert!(compare(&mrz, &eriksson()).is_empty());
        assert!(compare(&read(&TD1), &eriksson()).is_empty());
        assert!(compare(&mrz, &Declared::default()).is_empty());
    }

    #[test]
    fn compare_reports_each_field() {
        let mrz = read(&TD3);
        let cases: [(Declared<'_>, MismatchField, &str, &str); 5] = [
            (
                Declared {
                    family_name: Some("Eriksen"),
                    ..eriksson()
                },
                MismatchField::FamilyName,
                "Eriksen",
                "ERIKSSON",
            ),
            (
                Declared {
                    given_name: Some("Anna Lena"),
                    ..eriksson()
                },
                MismatchField::GivenName,
                "Anna Lena",
                "ANNA MARIA",
            ),
            (
                Declared {
                    sex: Some('M'),
                    ..eriksson()
                },
                MismatchField::Sex,
                "M",
                "F",
            ),
            (
                Declared {
                    birth_date: Some(date!(1974 - 08 - 21)),
                    ..eriksson()
                },
                MismatchField::BirthDate,
                "1974-08-21",
                "1974-08-12",
            ),
            (
                Declared {
                    nationality: Some("SWE"),
                    ..eriksson()
                },
                MismatchField::Nationality,
                "SWE",
                "UTO",
            ),
        ];
        for (declared, field, said, printed) in cases {
            let found = compare(&mrz, &declared);
            assert_eq!(
                found,
                [Mismatch {
                    field,
                    declared: said.to_owned(),
                    document: printed.to_owned()
                }]
            );
        }
        let everything = Declared {
            family_name: Some("Smith"),
            given_name: Some("John"),
            sex: Some('M'),
            birth_date: Some(date!(1980 - 01 - 01)),
            nationality: Some("GBR"),
        };
        assert_eq!(
            mismatched_fields(&mrz, &everything),
            [
                MismatchField::FamilyName,
                MismatchField::GivenName,
                MismatchField::Sex,
                MismatchField::BirthDate,
                MismatchField::Nationality
            ]
        );
    }

    #[test]
    fn compare_accepts_icao_transliteration() {
        let cases = [
            ("MUELLER<<JUERGEN", "Müller", "Jürgen"),
            ("MULLER<<JURGEN", "Müller", "Jürgen"),
            ("MUELLER<<JUERGEN", "Mu\u{308}ller", "JÜRGEN"),
            ("STRASSE<<GRETE", "Straße", "Grete"),
            ("NUNEZ<<JOSE<MARIA", "Núñez", "José-María"),
            ("DARTAGNAN<<CHARLES", "d'Artagnan", "Charles"),
            ("OEDEGAARD<<SOEREN", "Ødegård", "Søren"),
            ("ODEGARD<<SOREN", "Ødegård", "Søren"),
            ("GARCON<<FRANCOIS", "Garçon", "François"),
            ("LOPEZ<GARCIA<<ANA", "López García", "Ana"),
            ("WALESA<<LECH", "Wałęsa", "Lech"),
            ("OZTURK<<SEYMA", "Öztürk", "Şeyma"),
        ];
        for (names, family, given) in cases {
            let declared = Declared {
                family_name: Some(family),
                given_name: Some(given),
                ..Declared::default()
            };
            assert_eq!(compare(&named(names), &declared), [], "{names}");
        }
        // Transliteration does not make different names equal.
        let declared = Declared {
            family_name: Some("Muller"),
            ..Declared::default()
        };
        assert_eq!(
            mismatched_fields(&named("MUELLER<<J"), &declared),
            [MismatchField::FamilyName]
        );
        let declared = Declared {
            family_name: Some("Müller"),
            ..Declared::default()
        };
        assert_eq!(
            mismatched_fields(&named("MILLER<<J"), &declared),
            [MismatchField::FamilyName]
        );
        let declared = Declared {
            family_name: Some("Ахмед"),
            ..Declared::default()
        };
        assert_eq!(
            mismatched_fields(&named("AKHMED<<A"), &declared),
            [MismatchField::FamilyName]
        );
    }

    #[test]
    fn compare_accepts_truncated_names() {
        let mrz = named("NILAVADHANANANDA<<CHAYAPA<DEJTHAMRONG<KRASUANG");
        assert!(mrz.name_truncated);
        assert_eq!(mrz.secondary_identifier, "CHAYAPA DEJTHAMRONG K");
        let declared = Declared {
            family_name: Some("Nilavadhanananda"),
            given_name: Some("Chayapa Dejthamrong Krasuang"),
            ..Declared::default()
        };
        assert_eq!(compare(&mrz, &declared), []);
        let wrong = Declared {
            given_name: Some("Chayapa Somchai"),
            ..declared
        };
        assert_eq!(mismatched_fields(&mrz, &wrong), [MismatchField::GivenName]);

        // Secondary names cut to initials.
        let mrz = named("HERNANDEZ<RODRIGUEZ<GARCIA<<M<J<ANTONIO");
        assert!(mrz.name_truncated);
        let declared = Declared {
            family_name: Some("Hernández Rodríguez García"),
            given_name: Some("María José Antonio"),
            ..Declared::default()
        };
        assert_eq!(compare(&mrz, &declared), []);

        // Without a full name field, a shorter MRZ name is a real difference.
        let declared = Declared {
            given_name: Some("Anna Maria Louise"),
            ..Declared::default()
        };
        assert_eq!(
            mismatched_fields(&read(&TD3), &declared),
            [MismatchField::GivenName]
        );
    }

    #[test]
    fn compare_sex_nationality_and_dates() {
        let unspecified = parse(&passport("A<<B", "7408<<", 'X', "120415", "XXA"), TODAY).unwrap();
        for (sex, fine) in [
            ('X', true),
            ('U', true),
            ('<', true),
            ('F', false),
            ('M', false),
        ] {
            let declared = Declared {
                sex: Some(sex),
                ..Declared::default()
            };
            assert_eq!(compare(&unspecified, &declared).is_empty(), fine, "{sex}");
        }
        let female = read(&TD3);
        let declared = Declared {
            sex: Some('f'),
            ..Declared::default()
        };
        assert!(compare(&female, &declared).is_empty());
        let declared = Declared {
            sex: Some('X'),
            ..Declared::default()
        };
        assert_eq!(mismatched_fields(&female, &declared), [MismatchField::Sex]);

        // Stateless and other ICAO codes compare as codes.
        let declared = Declared {
            nationality: Some("XXA"),
            ..Declared::default()
        };
        assert!(compare(&unspecified, &declared).is_empty());
        let declared = Declared {
            nationality: Some("SYR"),
            ..Declared::default()
        };
        assert_eq!(
            mismatched_fields(&unspecified, &declared),
            [MismatchField::Nationality]
        );
        let declared = Declared {
            nationality: Some("XXB"),
            ..Declared::default()
        };
        assert_eq!(
            mismatched_fields(&unspecified, &declared),
            [MismatchField::Nationality]
        );
        // Germany prints `D`, which is `DEU`.
        let german = parse(&passport("A<<B", "740812", 'F', "120415", "D"), TODAY).unwrap();
        let declared = Declared {
            nationality: Some("DEU"),
            ..Declared::default()
        };
        assert!(compare(&german, &declared).is_empty());

        // An unknown birth date in the MRZ is not compared.
        let declared = Declared {
            birth_date: Some(date!(1974 - 08 - 12)),
            ..Declared::default()
        };
        assert!(compare(&unspecified, &declared).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(text in "[A-Z0-9<a-zé \t\r\n-]{0,140}") {
            let _ = parse(&text, TODAY);
        }

        #[test]
        fn any_well_formed_mrz_parses(
            td1 in proptest::collection::vec("[A-Z0-9<]{30}", 3),
            td2 in proptest::collection::vec("[A-Z0-9<]{36}", 2),
            td3 in proptest::collection::vec("[A-Z0-9<]{44}", 2),
        ) {
            // Visas (code `V…`) have no composite or optional data check.
            let checks = |mrz: &Mrz, n| if mrz.document_code.starts_with('V') { 3 } else { n };
            let mrz = read(&td1);
            proptest::prop_assert_eq!(mrz.checks.len(), 4);
            let mrz = read(&td2);
            proptest::prop_assert_eq!(mrz.checks.len(), checks(&mrz, 4));
            let mrz = read(&td3);
            proptest::prop_assert_eq!(mrz.checks.len(), checks(&mrz, 5));
        }

        #[test]
        fn compare_never_panics(
            family in "\\PC{0,40}",
            given in "\\PC{0,40}",
            names in "[A-Z<]{0,39}",
        ) {
            let declared = Declared {
                family_name: Some(&family),
                given_name: Some(&given),
                ..Declared::default()
            };
            let _ = compare(&named(&names), &declared);
            let _ = compare(&read(&TD3), &declared);
        }
    }
}
