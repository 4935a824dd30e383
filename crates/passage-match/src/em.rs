//! Learning the weights from the data itself, with no labels.
//!
//! - `u` ([`estimate_u`]): the level frequencies over random pairs, which are almost
//!   all different people. Sampling is seeded ([`SplitMix64`]): same input, same `u`.
//! - `m` and λ ([`estimate_m`]): expectation–maximisation on the comparison vectors of
//!   the blocked candidate pairs, `u` held fixed, starting from [`prior_m`] and λ =
//!   [`PRIOR_LAMBDA`]. Fields are taken as independent given the match status; a
//!   missing field drops out of both likelihoods.
//!
//! - Name frequencies ([`NameFrequencies`]): how common each name token is, for the
//!   frequency adjustment of the name weight.
//!
//! Every probability gets [`SMOOTHING`] pseudo-counts, so no level has m or u of 0.

use std::collections::BTreeMap;

use crate::keys::Token;
use crate::name::Name;
use crate::score::{Candidate, Field, Levels, Model, Weights, levels};

/// Pseudo-count added to every level before normalising.
pub const SMOOTHING: f64 = 0.5;

/// The starting match prior of EM.
pub const PRIOR_LAMBDA: f64 = 0.1;

/// SplitMix64 (Steele, Lea, Flood 2014): a small seeded generator, enough for
/// sampling pairs.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (Lemire's multiply-shift; bias below 2^-32 for `n` < 2^32).
    /// 0 when `n` is 0.
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
}

/// Level counts per field, each row normalised with [`SMOOTHING`]; `missing` is left
/// out (its entry is 0).
fn normalise(counts: &[Vec<f64>]) -> Vec<Vec<f64>> {
    Field::ALL
        .iter()
        .zip(counts)
        .map(|(field, row)| {
            let present = field.missing();
            let total: f64 = row[..present].iter().sum::<f64>() + SMOOTHING * present as f64;
            row.iter()
                .enumerate()
                .map(|(l, c)| {
                    if l < present {
                        (c + SMOOTHING) / total
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect()
}

fn zeros() -> Vec<Vec<f64>> {
    Field::ALL
        .iter()
        .map(|f| vec![0.0; f.levels().len()])
        .collect()
}

/// u from `pairs` random pairs of distinct records, drawn with `seed`. With fewer than
/// two records every level is equally likely.
pub fn estimate_u(records: &[Candidate], pairs: usize, seed: u64) -> Vec<Vec<f64>> {
    estimate_u_by(records.len(), |i| records.get(i), pairs, seed)
}

/// [`estimate_u`] over `len` records reached through `record`.
pub fn estimate_u_by<'a>(
    len: usize,
    record: impl Fn(usize) -> Option<&'a Candidate>,
    pairs: usize,
    seed: u64,
) -> Vec<Vec<f64>> {
    let mut counts = zeros();
    if len >= 2 {
        let mut rng = SplitMix64::new(seed);
        for _ in 0..pairs {
            let i = rng.below(len);
            let j = (i + 1 + rng.below(len - 1)) % len;
            if let (Some(a), Some(b)) = (record(i), record(j)) {
                add(&mut counts, &levels(a, b), 1.0);
            }
        }
    }
    normalise(&counts)
}

fn add(counts: &mut [Vec<f64>], levels: &Levels, weight: f64) {
    for (row, &l) in counts.iter_mut().zip(levels) {
        if let Some(c) = row.get_mut(l) {
            *c += weight;
        }
    }
}

/// m before learning, per field and level in [`Field::levels`] order (missing last,
/// 0): how often two registrations of one person agree at each level. Estimates from
/// how registration goes wrong in the field, not measurements: a name is written the
/// same way a third of the time and otherwise as a spelling variant, another
/// transliteration, in another order or with a part missing; a date of birth is the
/// same when documented and only the year (or an estimate two years off) when not;
/// sex and nationality rarely change; a place of origin is often spelled differently.
const PRIOR_M: [&[f64]; 8] = [
    &[0.30, 0.20, 0.12, 0.08, 0.08, 0.10, 0.05, 0.04, 0.03, 0.0],
    &[0.45, 0.02, 0.03, 0.30, 0.15, 0.05, 0.0],
    &[0.97, 0.03, 0.0],
    &[0.95, 0.05, 0.0],
    &[0.60, 0.25, 0.15, 0.0],
    &[0.90, 0.05, 0.05, 0.0],
    &[0.50, 0.30, 0.10, 0.10, 0.0],
    &[0.80, 0.20, 0.0],
];

/// The starting m ([`PRIOR_M`]).
pub fn prior_m() -> Vec<Vec<f64>> {
    PRIOR_M.iter().map(|row| row.to_vec()).collect()
}

/// Below this many records, [`reference_model`] rather than learning: EM on a few
/// hundred people learns noise.
pub const MIN_LEARNING_POPULATION: usize = 2_000;

/// u of the reference model, per field and level in [`Field::levels`] order (missing
/// last, 0): how often two different people agree at each level in a large mixed
/// population. Orders of magnitude, not measurements of any one population: a name
/// agrees exactly for about 1 pair in 2,000, a full date of birth for 1 in 10,000 (the
/// 1 January of undocumented arrivals makes it more), a document number almost never;
/// sex agrees for half of all pairs, nationality for a third in a mixed flow.
const REFERENCE_U: [&[f64]; 8] = [
    &[
        0.0005, 0.0005, 0.001, 0.0005, 0.002, 0.01, 0.01, 0.05, 0.9255, 0.0,
    ],
    &[0.0001, 0.0001, 0.001, 0.03, 0.05, 0.9188, 0.0],
    &[0.5, 0.5, 0.0],
    &[0.3, 0.7, 0.0],
    &[0.05, 0.02, 0.93, 0.0],
    &[0.000_01, 0.0001, 0.999_89, 0.0],
    &[0.01, 0.02, 0.05, 0.92, 0.0],
    &[0.000_01, 0.999_99, 0.0],
];

/// The match prior of the reference model: of the people sharing a blocking key with
/// someone being registered, about one in a thousand is that person. With it a name
/// and sex agreeing alone stay below the likely threshold; a name and a full date of
/// birth agreeing go above it.
pub const REFERENCE_LAMBDA: f64 = 0.001;

/// The least share of records taken to have a duplicate somewhere in the population,
/// whatever EM learns: a population registered with care holds almost no duplicates, EM
/// then drives λ towards 0, and with it even an exact copy of a registered person would
/// fall below the likely threshold. The next registration can always be a duplicate.
pub const MIN_DUPLICATE_SHARE: f64 = 0.01;

/// λ over all pairs of `records` records, floored at [`MIN_DUPLICATE_SHARE`]: at least
/// that share of records has one match among the others.
pub fn floored_lambda(lambda: f64, records: usize) -> f64 {
    lambda.max(MIN_DUPLICATE_SHARE / records.saturating_sub(1).max(1) as f64)
}

/// The model of a population too small to learn from: the priors of m ([`prior_m`]),
/// the reference u, λ [`REFERENCE_LAMBDA`], and the population's own name frequencies.
pub fn reference_model(frequencies: NameFrequencies) -> Model {
    let u = REFERENCE_U.iter().map(|row| row.to_vec()).collect();
    let mut weights = prior_weights(u);
    weights.lambda = REFERENCE_LAMBDA;
    Model::new(weights, frequencies)
}

/// Weights from the priors and a given u, before any learning.
pub fn prior_weights(u: Vec<Vec<f64>>) -> Weights {
    Weights {
        m: prior_m(),
        u,
        lambda: PRIOR_LAMBDA,
    }
}

/// m and λ by EM over the comparison vectors of the candidate pairs, `u` fixed. Sound
/// over all pairs of a small population (`tests/scoring.rs` measures it); batch runs do
/// not use it, because over blocked pairs it finds the wrong two classes (see
/// [`crate::batch`]) and they learn λ only ([`estimate_lambda_masked`]).
/// Returns the weights after `iterations` rounds (or fewer, once λ moves less than
/// 1e-9).
///
/// On pairs found by blocking, the blocked-on fields agree by construction and pull λ
/// towards 1 (measured on the synthetic test set: λ 0.999 for a true 0.34); use
/// [`estimate_m_blocked`] there.
pub fn estimate_m(pairs_levels: &[Levels], u: &[Vec<f64>], iterations: usize) -> Weights {
    estimate_m_blocked(pairs_levels, u, iterations, &[])
}

/// [`estimate_m`] with the fields the pairs were blocked on left out of the
/// likelihood; their m stays at [`prior_m`] (learn it in a session blocked on other
/// fields). Measured on the synthetic test set, blocked on name and year: λ 0.37 for a
/// true 0.34.
pub fn estimate_m_blocked(
    pairs_levels: &[Levels],
    u: &[Vec<f64>],
    iterations: usize,
    blocked_on: &[Field],
) -> Weights {
    let mut weights = prior_weights(u.to_vec());
    if pairs_levels.is_empty() {
        return weights;
    }
    let prior = weights.m.clone();
    let log = |p: &[Vec<f64>], v: &Levels| -> f64 {
        Field::ALL
            .iter()
            .zip(v)
            .filter(|(f, l)| **l < f.missing() && !blocked_on.contains(f))
            .map(|(f, &l)| {
                p.get(*f as usize)
                    .and_then(|row| row.get(l))
                    .copied()
                    .unwrap_or(0.0)
                    .max(1e-300)
                    .ln()
            })
            .sum()
    };
    for _ in 0..iterations {
        let mut counts = zeros();
        let mut matches = 0.0;
        let lambda = weights.lambda.clamp(1e-9, 1.0 - 1e-9);
        for v in pairs_levels {
            // P(match | v), in logs for stability.
            let lm = lambda.ln() + log(&weights.m, v);
            let lu = (1.0 - lambda).ln() + log(&weights.u, v);
            let p = 1.0 / (1.0 + (lu - lm).exp());
            matches += p;
            add(&mut counts, v, p);
        }
        let new_lambda = matches / pairs_levels.len() as f64;
        weights.m = normalise(&counts);
        for f in blocked_on {
            if let (Some(m), Some(p)) = (weights.m.get_mut(*f as usize), prior.get(*f as usize)) {
                m.clone_from(p);
            }
        }
        let moved = (new_lambda - weights.lambda).abs();
        weights.lambda = new_lambda;
        if moved < 1e-9 {
            break;
        }
    }
    weights
}

/// λ by EM over blocked pairs, m and u fixed as `start` has them: each pair comes
/// with the set of fields its blocking keys made agree (bit `f` for [`Field`] `f`,
/// [`crate::prepare::shared_mask`]), which are left out of its likelihood: a field a
/// pair was blocked on agrees for matches and non-matches alike, and left in it makes
/// every blocked pair look like a match (λ near 1 on the multi-origin benchmark
/// population). The result is the share of matches among blocked pairs.
pub fn estimate_lambda_masked(
    pairs: &[(Levels, u8)],
    start: Weights,
    iterations: usize,
) -> Weights {
    let mut weights = start;
    if pairs.is_empty() {
        return weights;
    }
    let log = |p: &[Vec<f64>], v: &Levels, mask: u8| -> f64 {
        Field::ALL
            .iter()
            .zip(v)
            .filter(|(f, l)| **l < f.missing() && mask & (1 << **f as u8) == 0)
            .map(|(f, &l)| {
                p.get(*f as usize)
                    .and_then(|row| row.get(l))
                    .copied()
                    .unwrap_or(0.0)
                    .max(1e-300)
                    .ln()
            })
            .sum()
    };
    for _ in 0..iterations {
        let mut matches = 0.0;
        let lambda = weights.lambda.clamp(1e-9, 1.0 - 1e-9);
        for (v, mask) in pairs {
            let lm = lambda.ln() + log(&weights.m, v, *mask);
            let lu = (1.0 - lambda).ln() + log(&weights.u, v, *mask);
            let p = 1.0 / (1.0 + (lu - lm).exp());
            matches += p;
        }
        let new_lambda = matches / pairs.len() as f64;
        let moved = (new_lambda - weights.lambda).abs();
        weights.lambda = new_lambda;
        if moved < 1e-9 {
            break;
        }
    }
    weights
}

/// How common each value is among a population's values: relative frequencies and
/// the chance `f̄ = Σ_v f(v)²` that two random values are equal.
#[derive(Debug, Clone, Default, PartialEq)]
struct Counts {
    counts: BTreeMap<String, u64>,
    total: u64,
    mean: f64,
}

impl Counts {
    fn of(values: impl Iterator<Item = String>) -> Self {
        let mut counts: BTreeMap<String, u64> = BTreeMap::new();
        for v in values {
            *counts.entry(v).or_default() += 1;
        }
        let total: u64 = counts.values().sum();
        let mean = if total == 0 {
            0.0
        } else {
            counts
                .values()
                .map(|&c| (c as f64 / total as f64).powi(2))
                .sum()
        };
        Self {
            counts,
            total,
            mean,
        }
    }

    fn frequency(&self, key: &str) -> f64 {
        match (self.counts.get(key), self.total) {
            (Some(&c), t) if t > 0 => c as f64 / t as f64,
            _ => 0.0,
        }
    }

    /// `min(0, log2(f̄ / f(v)))`: how much less an agreement on this value says than an
    /// agreement on an average one; 0 for a value rarer than average or unseen.
    fn adjustment(&self, key: &str) -> f64 {
        let f = self.frequency(key);
        if f > 0.0 && self.mean > 0.0 {
            (self.mean / f).log2().min(0.0)
        } else {
            0.0
        }
    }
}

/// How common each name token and each place of origin is in a population. Tokens
/// count by [`frequency_key`]: Mohammed and Muhammad together, Mohammed and Mahmud
/// (one skeleton, two classes) apart.
///
/// The frequency adjustment for a name agreeing at any level better than `different`:
/// `adj(x) = Σ_t min(0, log2(f̄ / f(t)))` over the tokens `t` of the first name of
/// `x`, where `f(t)` is the relative frequency of the token's [`frequency_key`] and `f̄ = Σ_k f(k)²` is the
/// chance that two random tokens share a key (what the level's `u` already counts).
/// A pair gets `min(adj(a), adj(b))`: a token more common than average lowers the
/// weight by the log2 of how much more common it is; a rarer one leaves it. The
/// adjusted weight is `max(w + adj, min(w, 0))`: never below 0 unless `w` already was.
/// (Applied at every agreeing level, not only `exact`/`variant`: otherwise a common
/// name agreeing exactly could weigh less than the same name at `skeleton`.)
///
/// A place of origin agreeing (`equal` or `similar`) is adjusted the same way by the
/// frequency of the place: when most of a flow comes from Maungdaw, sharing it says
/// little.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NameFrequencies {
    tokens: Counts,
    places: Counts,
}

impl NameFrequencies {
    /// Counts the token keys of each candidate's first name, and their places.
    pub fn from_records(records: &[Candidate]) -> Self {
        Self::from_candidates(records.iter())
    }

    /// [`NameFrequencies::from_records`] over any iterator of candidates.
    pub fn from_candidates<'a>(records: impl Iterator<Item = &'a Candidate> + Clone) -> Self {
        let tokens = records
            .clone()
            .filter_map(|r| r.names.first())
            .flat_map(|n| n.tokens().iter().map(frequency_key))
            .collect::<Vec<_>>();
        Self {
            tokens: Counts::of(tokens.into_iter()),
            places: Counts::of(records.filter_map(|r| r.origin.as_deref().map(place_key))),
        }
    }

    /// The relative frequency of a [`frequency_key`] (0 when unseen).
    pub fn frequency(&self, key: &str) -> f64 {
        self.tokens.frequency(key)
    }

    /// The adjustment of one name (≤ 0), with the tokens that lowered it.
    pub fn adjustment(&self, name: &Name) -> (f64, Vec<String>) {
        let mut total = 0.0;
        let mut common = Vec::new();
        for t in name.tokens() {
            let key = frequency_key(t);
            let a = self.tokens.adjustment(&key);
            if a < 0.0 {
                total += a;
                common.push(format!("{} ({:.1}%)", t.text, 100.0 * self.frequency(&key)));
            }
        }
        (total, common)
    }

    /// The adjustment of a place of origin (≤ 0), and its share of the population.
    pub fn place_adjustment(&self, place: &str) -> (f64, f64) {
        let key = place_key(place);
        (self.places.adjustment(&key), self.places.frequency(&key))
    }
}

/// What place frequencies count a place by: the consonant skeleton of its words, so
/// Maungdaw and Maung Daw count together.
pub fn place_key(place: &str) -> String {
    crate::translit::to_latin(place)
        .split(' ')
        .map(crate::keys::skeleton)
        .collect()
}

/// What name frequencies count a token by: its variant class (`class:mohammed`) when
/// listed, else its match key (`key:krm`).
pub fn frequency_key(token: &Token) -> String {
    match token.class {
        Some(c) => format!("class:{}", c.name()),
        None => format!("key:{}", token.key),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_is_deterministic_and_in_range() {
        let (mut a, mut b) = (SplitMix64::new(7), SplitMix64::new(7));
        for _ in 0..1000 {
            let x = a.below(13);
            assert_eq!(x, b.below(13));
            assert!(x < 13);
        }
        assert_eq!(SplitMix64::new(1).below(0), 0);
    }

    #[test]
    fn priors_are_distributions_favouring_agreement() {
        for (field, row) in Field::ALL.iter().zip(prior_m()) {
            let sum: f64 = row.iter().sum();
            assert!((sum - 1.0).abs() < 1e-12, "{field:?}");
            assert!(row[0] > row[field.different()], "{field:?}");
        }
    }

    #[test]
    fn frequency_adjustment_follows_the_formula() {
        let names = [
            "Mohammed Karim",
            "Muhammad Rashid",
            "Mohd Tariq",
            "Zubair Idris",
        ];
        let records: Vec<Candidate> = names.iter().map(|n| Candidate::named([*n])).collect();
        let freq = NameFrequencies::from_records(&records);
        // 8 tokens; the mohammed class 3 times, five others once: f̄ = 14/64.
        assert!((freq.frequency("class:mohammed") - 3.0 / 8.0).abs() < 1e-12);
        let (adj, common) = freq.adjustment(&Name::parse("Mohammed Karim"));
        let expected = (14.0_f64 / 64.0 / (3.0 / 8.0)).log2();
        assert!((adj - expected).abs() < 1e-12, "{adj} {expected}");
        assert_eq!(common, vec!["mohammed (37.5%)".to_owned()]);
        assert_eq!(freq.adjustment(&Name::parse("Zubair Idris")).0, 0.0);
    }
}
