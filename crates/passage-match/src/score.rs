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

use crate::compare::NameLevel;
use crate::em::NameFrequencies;
use crate::name::Name;

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
use crate::field_levels::name_index;
pub use crate::field_levels::{
    ADDRESS_PARTIAL, ADDRESS_SIMILAR, Comparison, ESTIMATE_YEARS, Levels, ONE_EDIT_MIN_LEN,
    ORIGIN_JW, compare_candidates, document_numbers, levels,
};

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
