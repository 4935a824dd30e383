//! The comparison levels of a pair of candidates, field by field, each with an
//! explanation a clerk can read: names (any script), date of birth (exact, swapped,
//! one digit, year, estimate), sex, nationality, place of origin (spelling and
//! consonants), document numbers (one edit apart), address (words, numbers kept) and
//! phone (not counted when shared under another name). Levels never depend on whether
//! the explanation is built.

use std::borrow::Cow;

use crate::compare::{self, NameLevel, compare};
use crate::score::{BirthDate, Candidate, FIELDS, Field, Sex};
use crate::translit::to_latin;

/// Place names at or above this Jaro-Winkler similarity are `similar`.
pub const ORIGIN_JW: f64 = 0.9;

/// Years either side of an estimated birth year that still agree.
pub const ESTIMATE_YEARS: i32 = 2;

/// A comparison vector: the level index of each field, in [`Field::ALL`] order.
pub type Levels = [usize; FIELDS];

/// The levels of a pair, with the explanation of each.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub levels: Levels,
    pub explanations: [String; FIELDS],
}

/// Compares two candidates field by field. The levels are symmetric; an explanation
/// may give `a`'s value first.
pub fn compare_candidates(a: &Candidate, b: &Candidate) -> Comparison {
    compare_with(a, b, true)
}

/// The comparison vector only, without building explanations: what batch scoring and
/// EM run millions of times. Always the levels [`compare_candidates`] gives.
pub fn levels(a: &Candidate, b: &Candidate) -> Levels {
    compare_with(a, b, false).levels
}

fn compare_with(a: &Candidate, b: &Candidate, explain: bool) -> Comparison {
    let name = names(a, b, explain);
    let names_differ = name.0 >= name_index(NameLevel::Different);
    let fields = [
        name,
        birth(a.birth, b.birth, explain),
        sex(a.sex, b.sex, explain),
        nationality(&a.nationalities, &b.nationalities, explain),
        origin(a.origin.as_deref(), b.origin.as_deref(), explain),
        documents(&a.documents, &b.documents, explain),
        address(a.address.as_deref(), b.address.as_deref(), explain),
        phones(&a.phones, &b.phones, names_differ, explain),
    ];
    let levels = std::array::from_fn(|i| fields[i].0);
    let explanations = fields.map(|(_, e)| e);
    Comparison {
        levels,
        explanations,
    }
}

fn missing(field: Field, what: &str, explain: bool) -> (usize, String) {
    (field.missing(), say!(explain, "{what} missing on one side"))
}

pub(crate) fn name_index(level: NameLevel) -> usize {
    level as usize
}

fn names(a: &Candidate, b: &Candidate, explain: bool) -> (usize, String) {
    if !explain {
        let best = a
            .names
            .iter()
            .flat_map(|x| b.names.iter().map(move |y| compare::level(x, y)))
            .filter(|l| *l != NameLevel::Missing)
            .min();
        return best.map_or((Field::Name.missing(), String::new()), |l| {
            (name_index(l), String::new())
        });
    }
    let best = a
        .names
        .iter()
        .flat_map(|x| b.names.iter().map(move |y| compare(x, y)))
        .filter(|c| c.level != NameLevel::Missing)
        .min_by(|x, y| (x.level, &x.explanation).cmp(&(y.level, &y.explanation)));
    match best {
        Some(c) => (name_index(c.level), c.explanation),
        None => missing(Field::Name, "name", explain),
    }
}

/// The eight digits of a full date, for the one-digit comparison.
fn digits(year: i32, month: u8, day: u8) -> [u8; 8] {
    let mut out = [0u8; 8];
    let y = year.clamp(0, 9999) as u32;
    for (i, d) in [y / 1000, y / 100 % 10, y / 10 % 10, y % 10]
        .into_iter()
        .chain([u32::from(month) / 10, u32::from(month) % 10])
        .chain([u32::from(day) / 10, u32::from(day) % 10])
        .enumerate()
    {
        out[i] = d as u8;
    }
    out
}

fn birth(a: Option<BirthDate>, b: Option<BirthDate>, explain: bool) -> (usize, String) {
    let (Some(a), Some(b)) = (a, b) else {
        return missing(Field::BirthDate, "date of birth", explain);
    };
    let (Some(ya), Some(yb)) = (a.year, b.year) else {
        return missing(Field::BirthDate, "year of birth", explain);
    };
    let full = |d: BirthDate| d.month.zip(d.day);
    if let (Some(x), Some(y)) = (full(a), full(b)) {
        if ya == yb && x == y {
            return (
                0,
                say!(explain, "same date of birth: {ya}-{:02}-{:02}", x.0, x.1),
            );
        }
        if ya == yb && x == (y.1, y.0) {
            return (
                1,
                say!(
                    explain,
                    "day and month swapped: {ya}-{:02}-{:02} / {ya}-{:02}-{:02}",
                    x.0,
                    x.1,
                    y.0,
                    y.1
                ),
            );
        }
        let (da, db) = (digits(ya, x.0, x.1), digits(yb, y.0, y.1));
        if da.iter().zip(&db).filter(|(p, q)| p != q).count() == 1 {
            return (
                2,
                say!(
                    explain,
                    "dates of birth one digit apart: {ya}-{:02}-{:02} / {yb}-{:02}-{:02}",
                    x.0,
                    x.1,
                    y.0,
                    y.1
                ),
            );
        }
    }
    if ya == yb {
        return (3, say!(explain, "same year of birth: {ya}"));
    }
    if (a.estimated || b.estimated) && (ya - yb).abs() <= ESTIMATE_YEARS {
        return (
            4,
            say!(
                explain,
                "years {ya} / {yb} within ±{ESTIMATE_YEARS} of an estimate"
            ),
        );
    }
    (5, say!(explain, "different years of birth: {ya} / {yb}"))
}

fn sex(a: Option<Sex>, b: Option<Sex>, explain: bool) -> (usize, String) {
    match (a, b) {
        (Some(x), Some(y)) if x == y => (0, say!(explain, "same sex: {x:?}")),
        (Some(x), Some(y)) => (1, say!(explain, "different sex: {x:?} / {y:?}")),
        _ => missing(Field::Sex, "sex", explain),
    }
}

/// Trimmed, upper-case, sorted, without duplicates; borrowed when already so.
fn codes(list: &[String]) -> Cow<'_, [String]> {
    let clean = |c: &String| {
        !c.is_empty()
            && c.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    };
    if list.iter().all(clean) && list.windows(2).all(|w| w[0] < w[1]) {
        return Cow::Borrowed(list);
    }
    let mut out: Vec<String> = list
        .iter()
        .map(|c| c.trim().to_uppercase())
        .filter(|c| !c.is_empty())
        .collect();
    out.sort_unstable();
    out.dedup();
    Cow::Owned(out)
}

fn nationality(a: &[String], b: &[String], explain: bool) -> (usize, String) {
    let (a, b) = (codes(a), codes(b));
    if a.is_empty() || b.is_empty() {
        return missing(Field::Nationality, "nationality", explain);
    }
    match a.iter().find(|c| b.contains(c)) {
        Some(_) => (
            0,
            say!(
                explain,
                "shared nationality: {}",
                a.iter()
                    .filter(|c| b.contains(c))
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        ),
        None => (
            1,
            say!(
                explain,
                "different nationality: {} / {}",
                a.join(","),
                b.join(",")
            ),
        ),
    }
}

/// Lower-case ASCII words separated by single spaces: what [`to_latin`] gives, so a
/// value already in that form is borrowed, not transliterated again.
fn latin(s: &str) -> Cow<'_, str> {
    let plain = s
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b' ')
        && !s.starts_with(' ')
        && !s.ends_with(' ')
        && !s.contains("  ");
    if plain {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(to_latin(s))
    }
}

fn origin(a: Option<&str>, b: Option<&str>, explain: bool) -> (usize, String) {
    let (a, b) = (a.map(latin), b.map(latin));
    let (Some(a), Some(b)) = (a.filter(|s| !s.is_empty()), b.filter(|s| !s.is_empty())) else {
        return missing(Field::Origin, "place of origin", explain);
    };
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    if a == b {
        return (0, say!(explain, "same place of origin: {a}"));
    }
    let jw = compare::jaro_winkler(&a, &b);
    if jw >= ORIGIN_JW {
        return (
            1,
            say!(
                explain,
                "similar place of origin (Jaro-Winkler {jw:.2}): {a} / {b}"
            ),
        );
    }
    // Place names are transliterated like personal names: Maungdaw, Maung Daw, Mongdu.
    let skeleton = |s: &str| -> String { s.split(' ').map(crate::keys::skeleton).collect() };
    let (sa, sb) = (skeleton(&a), skeleton(&b));
    if sa.len() >= 3 && sa == sb {
        (
            1,
            say!(
                explain,
                "place of origin spelled differently (consonants {sa}): {a} / {b}"
            ),
        )
    } else {
        (2, say!(explain, "different place of origin: {a} / {b}"))
    }
}

/// Document numbers: upper-case letters and digits only, sorted, without duplicates.
pub fn document_numbers(list: &[String]) -> Vec<String> {
    let mut out: Vec<String> = list
        .iter()
        .map(|d| {
            d.chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_uppercase())
                .collect::<String>()
        })
        .filter(|d| !d.is_empty())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// [`document_numbers`], borrowed when the list is already in that form.
fn document_norm(list: &[String]) -> Cow<'_, [String]> {
    let clean = list.iter().all(|d| {
        !d.is_empty()
            && d.bytes()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    }) && list.windows(2).all(|w| w[0] < w[1]);
    if clean {
        Cow::Borrowed(list)
    } else {
        Cow::Owned(document_numbers(list))
    }
}

/// Shortest document number that a one-character difference still agrees on.
pub const ONE_EDIT_MIN_LEN: usize = 5;

fn documents(a: &[String], b: &[String], explain: bool) -> (usize, String) {
    let (a, b) = (document_norm(a), document_norm(b));
    if a.is_empty() || b.is_empty() {
        return missing(Field::Document, "document number", explain);
    }
    if let Some(d) = a.iter().find(|d| b.contains(d)) {
        return (0, say!(explain, "same document number: {d}"));
    }
    let near = a.iter().find_map(|x| {
        b.iter()
            .find(|y| {
                x.len().min(y.len()) >= ONE_EDIT_MIN_LEN
                    && x.len().abs_diff(y.len()) <= 1
                    && strsim::damerau_levenshtein(x, y) == 1
            })
            .map(|y| (x, y))
    });
    match near {
        Some((x, y)) => (
            1,
            say!(explain, "document numbers one character apart: {x} / {y}"),
        ),
        None => (2, say!(explain, "different document numbers")),
    }
}

/// Phones, by their last nine digits. A phone shared under different names is a
/// household's (or a neighbour's) phone: no evidence either way, so `missing`.
fn phones(a: &[String], b: &[String], names_differ: bool, explain: bool) -> (usize, String) {
    let keys = |list: &[String]| -> Vec<String> {
        list.iter()
            .filter_map(|p| crate::keys::phone_key(p))
            .collect()
    };
    let (a, b) = (keys(a), keys(b));
    if a.is_empty() || b.is_empty() {
        return missing(Field::Phone, "phone", explain);
    }
    match a.iter().find(|p| b.contains(p)) {
        Some(p) if names_differ => (
            Field::Phone.missing(),
            say!(
                explain,
                "same phone (…{p}) under another name: a household's phone, not counted"
            ),
        ),
        Some(p) => (0, say!(explain, "same phone number (last digits …{p})")),
        None => (1, say!(explain, "different phone numbers")),
    }
}

/// Address words at or above this Jaccard similarity are `similar`.
pub const ADDRESS_SIMILAR: f64 = 0.6;
/// ... and at or above this one `partial`.
pub const ADDRESS_PARTIAL: f64 = 0.3;

fn address(a: Option<&str>, b: Option<&str>, explain: bool) -> (usize, String) {
    let (a, b) = (a.map(latin), b.map(latin));
    let (Some(a), Some(b)) = (a.filter(|s| !s.is_empty()), b.filter(|s| !s.is_empty())) else {
        return missing(Field::Address, "address", explain);
    };
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    // Distinct words of each, and how many both have: no allocation beyond the pair.
    let distinct = |s: &str| {
        s.split(' ')
            .enumerate()
            .filter(|(i, w)| !s.split(' ').take(*i).any(|x| x == *w))
            .count()
    };
    let shared = a
        .split(' ')
        .enumerate()
        .filter(|(i, w)| !a.split(' ').take(*i).any(|x| x == *w) && b.split(' ').any(|x| x == *w))
        .count();
    let (na, nb) = (distinct(&a), distinct(&b));
    if shared == na && shared == nb {
        return (0, say!(explain, "same address: {a}"));
    }
    let jaccard = shared as f64 / (na + nb - shared).max(1) as f64;
    // A word with one typo still counts as similar when the rest agree.
    let jw = compare::jaro_winkler(&a, &b);
    if jaccard >= ADDRESS_SIMILAR || jw >= ORIGIN_JW {
        return (
            1,
            say!(
                explain,
                "similar address ({shared} words shared, Jaro-Winkler {jw:.2}): {a} / {b}"
            ),
        );
    }
    if jaccard >= ADDRESS_PARTIAL {
        return (
            2,
            say!(
                explain,
                "address partly agrees ({shared} words shared): {a} / {b}"
            ),
        );
    }
    (3, say!(explain, "different address: {a} / {b}"))
}
