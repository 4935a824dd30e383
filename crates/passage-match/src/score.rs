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

use crate::compare::{NameLevel, compare};
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
}

pub const FIELDS: usize = 6;

impl Field {
    pub const ALL: [Self; FIELDS] = [
        Self::Name,
        Self::BirthDate,
        Self::Sex,
        Self::Nationality,
        Self::Origin,
        Self::Document,
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
                "same-year",
                "within-estimate",
                "different",
                "missing",
            ],
            Self::Sex | Self::Document => &["agree", "different", "missing"],
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
    let fields = [
        names(a, b),
        birth(a.birth, b.birth),
        sex(a.sex, b.sex),
        nationality(&a.nationalities, &b.nationalities),
        origin(a.origin.as_deref(), b.origin.as_deref()),
        documents(&a.documents, &b.documents),
    ];
    let levels = [0, 1, 2, 3, 4, 5].map(|i| fields[i].0);
    let explanations = fields.map(|(_, e)| e);
    Comparison {
        levels,
        explanations,
    }
}

/// The comparison vector only.
pub fn levels(a: &Candidate, b: &Candidate) -> Levels {
    compare_candidates(a, b).levels
}

fn missing(field: Field, what: &str) -> (usize, String) {
    (field.missing(), format!("{what} missing on one side"))
}

fn name_index(level: NameLevel) -> usize {
    level as usize
}

fn names(a: &Candidate, b: &Candidate) -> (usize, String) {
    let best = a
        .names
        .iter()
        .flat_map(|x| b.names.iter().map(move |y| compare(x, y)))
        .filter(|c| c.level != NameLevel::Missing)
        .min_by(|x, y| (x.level, &x.explanation).cmp(&(y.level, &y.explanation)));
    match best {
        Some(c) => (name_index(c.level), c.explanation),
        None => missing(Field::Name, "name"),
    }
}

fn birth(a: Option<BirthDate>, b: Option<BirthDate>) -> (usize, String) {
    let (Some(a), Some(b)) = (a, b) else {
        return missing(Field::BirthDate, "date of birth");
    };
    let (Some(ya), Some(yb)) = (a.year, b.year) else {
        return missing(Field::BirthDate, "year of birth");
    };
    let full = |d: BirthDate| d.month.zip(d.day);
    match (full(a), full(b)) {
        (Some(x), Some(y)) if ya == yb && x == y => {
            return (0, format!("same date of birth: {ya}-{:02}-{:02}", x.0, x.1));
        }
        (Some(x), Some(y)) if ya == yb && x == (y.1, y.0) => {
            return (
                1,
                format!(
                    "day and month swapped: {ya}-{:02}-{:02} / {ya}-{:02}-{:02}",
                    x.0, x.1, y.0, y.1
                ),
            );
        }
        _ => {}
    }
    if ya == yb {
        return (2, format!("same year of birth: {ya}"));
    }
    if (a.estimated || b.estimated) && (ya - yb).abs() <= ESTIMATE_YEARS {
        return (
            3,
            format!("years {ya} / {yb} within ±{ESTIMATE_YEARS} of an estimate"),
        );
    }
    (4, format!("different years of birth: {ya} / {yb}"))
}

fn sex(a: Option<Sex>, b: Option<Sex>) -> (usize, String) {
    match (a, b) {
        (Some(x), Some(y)) if x == y => (0, format!("same sex: {x:?}")),
        (Some(x), Some(y)) => (1, format!("different sex: {x:?} / {y:?}")),
        _ => missing(Field::Sex, "sex"),
    }
}

fn codes(list: &[String]) -> Vec<String> {
    let mut out: Vec<String> = list
        .iter()
        .map(|c| c.trim().to_uppercase())
        .filter(|c| !c.is_empty())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn nationality(a: &[String], b: &[String]) -> (usize, String) {
    let (a, b) = (codes(a), codes(b));
    if a.is_empty() || b.is_empty() {
        return missing(Field::Nationality, "nationality");
    }
    let shared: Vec<&str> = a
        .iter()
        .filter(|c| b.contains(c))
        .map(String::as_str)
        .collect();
    if shared.is_empty() {
        (
            1,
            format!("different nationality: {} / {}", a.join(","), b.join(",")),
        )
    } else {
        (0, format!("shared nationality: {}", shared.join(",")))
    }
}

fn origin(a: Option<&str>, b: Option<&str>) -> (usize, String) {
    let (a, b) = (a.map(to_latin), b.map(to_latin));
    let (Some(a), Some(b)) = (a.filter(|s| !s.is_empty()), b.filter(|s| !s.is_empty())) else {
        return missing(Field::Origin, "place of origin");
    };
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    if a == b {
        return (0, format!("same place of origin: {a}"));
    }
    let jw = strsim::jaro_winkler(&a, &b);
    if jw >= ORIGIN_JW {
        (
            1,
            format!("similar place of origin (Jaro-Winkler {jw:.2}): {a} / {b}"),
        )
    } else {
        (2, format!("different place of origin: {a} / {b}"))
    }
}

fn documents(a: &[String], b: &[String]) -> (usize, String) {
    let norm = |list: &[String]| -> Vec<String> {
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
    };
    let (a, b) = (norm(a), norm(b));
    if a.is_empty() || b.is_empty() {
        return missing(Field::Document, "document number");
    }
    match a.iter().find(|d| b.contains(d)) {
        Some(d) => (0, format!("same document number: {d}")),
        None => (1, "different document numbers".to_owned()),
    }
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
    pub weights: Weights,
    pub frequencies: NameFrequencies,
}

impl Model {
    /// Scores a pair. Total, probability and levels are symmetric in the arguments.
    pub fn score(&self, a: &Candidate, b: &Candidate) -> Scored {
        let c = compare_candidates(a, b);
        let mut fields = Vec::with_capacity(FIELDS);
        let mut total = 0.0;
        for ((field, &level), explanation) in Field::ALL.iter().zip(&c.levels).zip(c.explanations) {
            let mut weight = self.weights.weight(*field, level);
            let mut explanation = explanation;
            if *field == Field::Name && level < name_index(NameLevel::Different) {
                let (adj, common) = self.name_adjustment(a, b);
                let adjusted = (weight + adj).max(weight.min(0.0));
                if adjusted < weight {
                    let adj = adjusted - weight;
                    weight = adjusted;
                    explanation.push_str(&format!(
                        "; {adj:.2} for common name parts: {}",
                        common.join(", ")
                    ));
                }
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

    fn name_adjustment(&self, a: &Candidate, b: &Candidate) -> (f64, Vec<String>) {
        let adj = |c: &Candidate| {
            c.names
                .first()
                .map(|n| self.frequencies.adjustment(n))
                .unwrap_or_default()
        };
        let (x, y) = (adj(a), adj(b));
        if (x.0, &x.1) <= (y.0, &y.1) { x } else { y }
    }
}

/// The match probability of a total weight given the prior λ.
pub fn probability(total: f64, lambda: f64) -> f64 {
    let lambda = lambda.clamp(1e-12, 1.0 - 1e-12);
    1.0 / (1.0 + (1.0 - lambda) / lambda * (-total).exp2())
}
