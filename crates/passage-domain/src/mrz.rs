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
mod tests;
