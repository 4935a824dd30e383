//! Pairwise scoring: per-field comparison levels, Fellegi–Sunter weights, and an
//! explanation for every field.
//!
//! A pair of [`Candidate`]s gives one level per [`Field`] ([`Levels`]). Each level has
//! a weight `log2(m / u)` ([`Weights`]); a missing field weighs 0. The total is the sum;
//! the match probability is `1 / (1 + (1 - λ) / λ · 2^-total)`.
//!
//! Three rules on the weights keep scores sane whatever EM learned
//! ([`Weights::weight`]): within a field a level never weighs more than a better one,
//! the best level never weighs less than 0, and the `different` level never more than
//! 0. With the frequency adjustment ([`NameFrequencies`]) never taking a weight below
//! 0, a record scores highest against itself and a disagreeing field never raises a
//! score.

use std::borrow::Cow;

use crate::compare::{self, NameLevel, compare};
use crate::em::NameFrequencies;
use crate::name::Name;
use crate::translit::to_latin;

/// Place names at or above this Jaro-Winkler similarity are `similar`.
pub const ORIGIN_JW: f64 = 0.9;

/// Years either side of an estimated birth year that still agree.
pub const ESTIMATE_YEARS: i32 = 2;

/// A date of birth as precise as it was recorded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BirthDate {
    pub year: Option<i32>,
    pub month: Option<u8>,
    pub day: Option<u8>,
    /// The date (or age) is an estimate.
    pub estimated: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Female,
    Male,
    Other,
}

/// A person as scoring sees them. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Candidate {
    /// Every writing of the full name (Latin, original script); the best pair counts.
    pub names: Vec<Name>,
    pub birth: Option<BirthDate>,
    pub sex: Option<Sex>,
    /// Nationality codes, compared upper-case.
    pub nationalities: Vec<String>,
    pub origin: Option<String>,
    pub documents: Vec<String>,
    /// Where the person lives or was registered to live (street, locality, postcode).
    pub address: Option<String>,
    /// Phone numbers, compared by their last nine digits.
    pub phones: Vec<String>,
}

impl Candidate {
    /// A candidate with the given writings of a name (empty ones dropped).
    pub fn named<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        Self {
            names: names
                .into_iter()
                .map(Name::parse)
                .filter(|n| !n.is_empty())
                .collect(),
            ..Self::default()
        }
    }
}

/// The compared fields, in [`Levels`] order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Name,
    BirthDate,
    Sex,
    Nationality,
    Origin,
    Document,
    Address,
    Phone,
}

pub const FIELDS: usize = 8;

impl Field {
    pub const ALL: [Self; FIELDS] = [
        Self::Name,
        Self::BirthDate,
        Self::Sex,
        Self::Nationality,
        Self::Origin,
        Self::Document,
        Self::Address,
        Self::Phone,
    ];

    /// The level names, best first; the last is always `missing`.
    pub fn levels(self) -> &'static [&'static str] {
        match self {
            Self::Name => &[
                "exact",
                "variant",
                "skeleton",
                "reordered",
                "jaro-winkler-high",
                "partial",
                "jaro-winkler-medium",
                "jaro-winkler-low",
                "different",
                "missing",
            ],
            Self::BirthDate => &[
                "exact",
                "day-month-swap",
                "one-digit",
                "same-year",
                "within-estimate",
                "different",
                "missing",
            ],
            Self::Sex | Self::Phone => &["agree", "different", "missing"],
            Self::Document => &["agree", "one-edit", "different", "missing"],
            Self::Address => &["equal", "similar", "partial", "different", "missing"],
            Self::Nationality => &["shared", "different", "missing"],
            Self::Origin => &["equal", "similar", "different", "missing"],
        }
    }

    /// The index of the `missing` level.
    pub fn missing(self) -> usize {
        self.levels().len() - 1
    }

    /// The index of the `different` level.
    pub fn different(self) -> usize {
        self.levels().len() - 2
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::BirthDate => "date of birth",
            Self::Sex => "sex",
            Self::Nationality => "nationality",
            Self::Origin => "place of origin",
            Self::Document => "document number",
            Self::Address => "address",
            Self::Phone => "phone",
        }
    }
}

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

fn name_index(level: NameLevel) -> usize {
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

/// m and u per field and level, and the match prior λ.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    /// P(level | same person), per field in [`Field::ALL`] order.
    pub m: Vec<Vec<f64>>,
    /// P(level | different people).
    pub u: Vec<Vec<f64>>,
    /// The share of compared pairs that are the same person.
    pub lambda: f64,
}

impl Weights {
    /// The weight of a level: `log2(m / u)`; 0 for `missing`; never above the weight
    /// of a better level; at least 0 for the best level; at most 0 for `different`.
    pub fn weight(&self, field: Field, level: usize) -> f64 {
        let f = field as usize;
        if level >= field.missing() {
            return 0.0;
        }
        let raw = |l: usize| {
            let m = self.m.get(f).and_then(|v| v.get(l)).copied().unwrap_or(0.0);
            let u = self.u.get(f).and_then(|v| v.get(l)).copied().unwrap_or(0.0);
            (m.max(1e-12) / u.max(1e-12)).log2()
        };
        let mut w = raw(0).max(0.0);
        for l in 1..=level {
            w = w.min(raw(l));
        }
        if level == field.different() {
            w = w.min(0.0);
        }
        w
    }
}

/// What one field contributed to a score.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldContribution {
    pub field: Field,
    /// The level name ([`Field::levels`]).
    pub level: &'static str,
    pub weight: f64,
    pub explanation: String,
}

/// A scored pair.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// The sum of the field weights (log2 of the likelihood ratio).
    pub total: f64,
    /// The match probability given λ.
    pub probability: f64,
    pub fields: Vec<FieldContribution>,
}

/// A scoring model: weights, and name frequencies for the adjustment.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    weights: Weights,
    frequencies: NameFrequencies,
    /// [`Weights::weight`] of every field and level, computed once.
    table: [[f64; MAX_LEVELS]; FIELDS],
}

/// The most levels any field has.
const MAX_LEVELS: usize = 10;

impl Model {
    pub fn new(weights: Weights, frequencies: NameFrequencies) -> Self {
        let mut table = [[0.0; MAX_LEVELS]; FIELDS];
        for (row, field) in table.iter_mut().zip(Field::ALL) {
            for (level, w) in row.iter_mut().enumerate().take(field.levels().len()) {
                *w = weights.weight(field, level);
            }
        }
        Self {
            weights,
            frequencies,
            table,
        }
    }

    pub fn weights(&self) -> &Weights {
        &self.weights
    }

    pub fn frequencies(&self) -> &NameFrequencies {
        &self.frequencies
    }

    /// The frequency adjustments of one candidate (each ≤ 0; 0 without the value). A
    /// pair's adjustment is the lower of its two ([`Adjustment::pair`]): compute it once
    /// per record and pass it to [`Model::total`].
    pub fn adjustment_of(&self, c: &Candidate) -> Adjustment {
        Adjustment {
            name: c
                .names
                .first()
                .map_or(0.0, |n| self.frequencies.adjustment(n).0),
            origin: c
                .origin
                .as_deref()
                .map_or(0.0, |o| self.frequencies.place_adjustment(o).0),
        }
    }

    /// The total weight of a pair, as [`Model::score`] gives it, without explanations:
    /// what batch scoring runs millions of times. `adj_a` and `adj_b` are
    /// [`Model::adjustment_of`] each side.
    pub fn total(&self, a: &Candidate, adj_a: Adjustment, b: &Candidate, adj_b: Adjustment) -> f64 {
        self.total_of_levels(&levels(a, b), adj_a.pair(adj_b))
    }

    /// The total weight of a comparison vector with a pair's adjustments.
    pub fn total_of_levels(&self, levels: &Levels, adjustment: Adjustment) -> f64 {
        let mut total = 0.0;
        for (field, &level) in Field::ALL.iter().zip(levels) {
            let Some(&w) = self
                .table
                .get(*field as usize)
                .and_then(|row| row.get(level))
            else {
                continue;
            };
            total += adjusted(w, adjustment.of(*field, level));
        }
        total
    }

    /// The match probability of a total weight under this model's prior.
    pub fn probability(&self, total: f64) -> f64 {
        probability(total, self.weights.lambda)
    }

    /// Scores a pair. Total, probability and levels are symmetric in the arguments.
    pub fn score(&self, a: &Candidate, b: &Candidate) -> Scored {
        let c = compare_candidates(a, b);
        let adjustment = self.adjustment_of(a).pair(self.adjustment_of(b));
        let mut fields = Vec::with_capacity(FIELDS);
        let mut total = 0.0;
        for ((field, &level), explanation) in Field::ALL.iter().zip(&c.levels).zip(c.explanations) {
            let raw = self.table[*field as usize][level];
            let weight = adjusted(raw, adjustment.of(*field, level));
            let mut explanation = explanation;
            if weight < raw {
                explanation.push_str(&format!(
                    "; {:.2} because {}",
                    weight - raw,
                    self.why_common(*field, a, b)
                ));
            }
            total += weight;
            fields.push(FieldContribution {
                field: *field,
                level: field.levels().get(level).copied().unwrap_or("missing"),
                weight,
                explanation,
            });
        }
        Scored {
            total,
            probability: probability(total, self.weights.lambda),
            fields,
        }
    }

    /// Which common values lowered a field's weight, in words.
    fn why_common(&self, field: Field, a: &Candidate, b: &Candidate) -> String {
        match field {
            Field::Name => {
                let of = |c: &Candidate| {
                    c.names
                        .first()
                        .map(|n| self.frequencies.adjustment(n))
                        .unwrap_or_default()
                };
                let (x, y) = (of(a), of(b));
                let common = if (x.0, &x.1) <= (y.0, &y.1) { x.1 } else { y.1 };
                format!("common name parts: {}", common.join(", "))
            }
            _ => {
                let of = |c: &Candidate| {
                    c.origin.as_deref().map(|o| {
                        let (adj, share) = self.frequencies.place_adjustment(o);
                        (adj, o.to_owned(), share)
                    })
                };
                let worst = [of(a), of(b)]
                    .into_iter()
                    .flatten()
                    .min_by(|x, y| x.0.total_cmp(&y.0));
                match worst {
                    Some((_, place, share)) => {
                        format!("a common place: {place} ({:.1}%)", 100.0 * share)
                    }
                    None => "a common value".to_owned(),
                }
            }
        }
    }
}

/// The frequency adjustments of a record or a pair (each ≤ 0).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Adjustment {
    pub name: f64,
    pub origin: f64,
}

impl Adjustment {
    /// A pair's adjustment: the lower of the two, field by field.
    pub fn pair(self, other: Self) -> Self {
        Self {
            name: self.name.min(other.name),
            origin: self.origin.min(other.origin),
        }
    }

    /// The adjustment of a field at a level: only agreeing levels are adjusted.
    fn of(self, field: Field, level: usize) -> f64 {
        match field {
            Field::Name if level < name_index(NameLevel::Different) => self.name,
            Field::Origin if level < Field::Origin.different() => self.origin,
            _ => 0.0,
        }
    }
}

/// A weight with an adjustment: `max(w + adj, min(w, 0))`, never below 0 unless `w`
/// already was.
fn adjusted(w: f64, adjustment: f64) -> f64 {
    (w + adjustment).max(w.min(0.0))
}

/// The match probability of a total weight given the prior λ.
pub fn probability(total: f64, lambda: f64) -> f64 {
    let lambda = lambda.clamp(1e-12, 1.0 - 1e-12);
    1.0 / (1.0 + (1.0 - lambda) / lambda * (-total).exp2())
}
