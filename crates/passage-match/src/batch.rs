//! Batch deduplication: every record against every other that shares a blocking key,
//! with a model learned from the records themselves, then clusters.
//!
//! Stages ([`Stage`]), each reported through the progress callback:
//!
//! 1. **Preparing** ([`prepare_all`]): names parsed, keys computed, on every thread.
//! 2. **Blocking**: `(key, record)` for every key of every record, sorted, so that a
//!    block is a run of equal keys. A block longer than [`Options::max_block`] is
//!    skipped: a key that common ("Mohammed" alone) finds everyone; the records'
//!    other keys (name with birth year, name with nationality, document, phone) are
//!    what find their duplicates.
//! 3. **Training**: u from seeded random pairs, name and place frequencies from every
//!    record, λ by EM over the candidate pairs of a seeded sample of records (all their
//!    blocked partners, so the sample has the mix of matches the whole run has), each
//!    pair's blocked-on fields left out ([`crate::em::estimate_lambda_masked`]); then
//!    λ rescaled from blocked pairs to all pairs. m stays at its prior
//!    ([`crate::em::prior_m`]): learned by EM on blocked pairs it found the wrong two
//!    classes on the multi-origin benchmark population, because names, sex,
//!    nationality and origin agree together among different people sharing a key
//!    (`bench/dedup/run.py` prints the figures of the model as it is).
//! 4. **Scoring**: every candidate pair once, on every thread.
//! 5. **Clustering** ([`crate::cluster`]): complete linkage above the threshold.
//!
//! Deterministic: the same records and options give the same pairs, scores and
//! clusters, whatever the number of threads.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::cluster::{Pair, cluster};
use crate::em::{
    NameFrequencies, SplitMix64, estimate_lambda_masked, estimate_u_by, prior_weights,
};
use crate::prepare::{PersonFields, Prepared, prepare, shared_mask};
use crate::score::{Adjustment, Levels, Model, levels};

/// What a batch run is asked to do.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Pairs at or above this match probability are the same person.
    pub threshold: f64,
    /// Every pair across two clusters that join must be at least this probable.
    pub cluster_floor: f64,
    /// Keep pairs at or above this probability in the outcome (0: every compared pair).
    pub keep_from: f64,
    /// Blocks larger than this are skipped. 50 rather than 100: on the synthetic
    /// benchmark sets, half the pairs for the same F1, at some cost in blocking recall.
    pub max_block: usize,
    /// Records whose candidate pairs EM learns from.
    pub training_records: usize,
    /// Random pairs u is estimated from.
    pub u_pairs: usize,
    pub em_iterations: usize,
    pub seed: u64,
    pub threads: usize,
}

/// The default threshold: a pair this probable is the same person.
pub const DEFAULT_THRESHOLD: f64 = 0.9;

impl Default for Options {
    fn default() -> Self {
        Self {
            threshold: DEFAULT_THRESHOLD,
            cluster_floor: 0.5,
            keep_from: 0.0,
            max_block: 50,
            training_records: 20_000,
            u_pairs: 100_000,
            em_iterations: 40,
            seed: 0x5EED,
            threads: 1,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Preparing,
    Blocking,
    Training,
    Scoring,
    Clustering,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Preparing => "preparing",
            Self::Blocking => "blocking",
            Self::Training => "training",
            Self::Scoring => "scoring",
            Self::Clustering => "clustering",
        }
    }
}

/// Progress: `done` of `total` at `stage`.
pub type Progress<'a> = &'a (dyn Fn(Stage, usize, usize) + Sync);

/// What a batch run found.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub model: Model,
    /// Compared pairs at or above [`Options::keep_from`], by `(a, b)`.
    pub pairs: Vec<Pair>,
    /// The cluster of each record: the smallest record index in it.
    pub clusters: Vec<u32>,
    pub compared: u64,
    /// Blocks skipped for their size, and the records in them.
    pub skipped_blocks: usize,
    pub skipped_entries: usize,
}

/// Runs `work(i)` for `i` in `0..n` on `threads` threads, in chunks, reporting
/// progress; returns each chunk's results in order.
fn parallel<T: Send>(
    n: usize,
    threads: usize,
    stage: Stage,
    progress: Progress<'_>,
    work: impl Fn(std::ops::Range<usize>) -> T + Sync,
) -> Vec<T> {
    const CHUNK: usize = 2_048;
    let chunks = n.div_ceil(CHUNK);
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    progress(stage, 0, n);
    let mut results: Vec<(usize, T)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads.max(1))
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let c = next.fetch_add(1, Ordering::Relaxed);
                        if c >= chunks {
                            break;
                        }
                        let range = c * CHUNK..((c + 1) * CHUNK).min(n);
                        let len = range.len();
                        out.push((c, work(range)));
                        let d = done.fetch_add(len, Ordering::Relaxed) + len;
                        progress(stage, d, n);
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    results.sort_by_key(|(c, _)| *c);
    results.into_iter().map(|(_, r)| r).collect()
}

/// Prepares every record, on `threads` threads.
pub fn prepare_all(
    fields: &[PersonFields],
    threads: usize,
    progress: Progress<'_>,
) -> Vec<Prepared> {
    parallel(fields.len(), threads, Stage::Preparing, progress, |range| {
        fields[range].iter().map(prepare).collect::<Vec<_>>()
    })
    .into_iter()
    .flatten()
    .collect()
}

/// Every `(key, record)`, sorted: a block is a run of one key.
struct Blocks {
    entries: Vec<(u64, u32)>,
    max_block: usize,
}

impl Blocks {
    fn new(records: &[Prepared], max_block: usize) -> Self {
        let mut entries: Vec<(u64, u32)> = records
            .iter()
            .enumerate()
            .flat_map(|(i, r)| {
                let i = u32::try_from(i).unwrap_or(u32::MAX);
                r.keys.iter().map(move |&k| (k, i))
            })
            .collect();
        entries.sort_unstable();
        Self { entries, max_block }
    }

    fn block(&self, key: u64) -> &[(u64, u32)] {
        let start = self.entries.partition_point(|e| e.0 < key);
        let end = self.entries.partition_point(|e| e.0 <= key);
        &self.entries[start..end]
    }

    /// The records sharing a usable block with record `i`, other than `i`, sorted.
    fn partners(&self, i: u32, keys: &[u64]) -> Vec<u32> {
        let mut out: Vec<u32> = keys
            .iter()
            .map(|&k| self.block(k))
            .filter(|b| b.len() <= self.max_block)
            .flatten()
            .map(|e| e.1)
            .filter(|&j| j != i)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Blocks too large to use, and the entries in them.
    fn skipped(&self) -> (usize, usize) {
        let mut blocks = 0;
        let mut entries = 0;
        for run in self.entries.chunk_by(|x, y| x.0 == y.0) {
            if run.len() > self.max_block {
                blocks += 1;
                entries += run.len();
            }
        }
        (blocks, entries)
    }
}

/// Learns a model from the records: see the module documentation.
fn train(
    records: &[Prepared],
    blocks: &Blocks,
    options: &Options,
    progress: Progress<'_>,
) -> Model {
    let u = estimate_u_by(
        records.len(),
        |i| records.get(i).map(|r| &r.candidate),
        options.u_pairs,
        options.seed,
    );
    let frequencies = NameFrequencies::from_candidates(records.iter().map(|r| &r.candidate));
    let mut rng = SplitMix64::new(options.seed ^ 0xA5A5);
    let sample: Vec<u32> = if records.len() <= options.training_records {
        (0..records.len()).map(|i| i as u32).collect()
    } else {
        (0..options.training_records)
            .map(|_| rng.below(records.len()) as u32)
            .collect()
    };
    let vectors: Vec<(Levels, u8)> = parallel(
        sample.len(),
        options.threads,
        Stage::Training,
        progress,
        |range| {
            let mut out = Vec::new();
            for &i in &sample[range] {
                let a = &records[i as usize];
                for j in blocks.partners(i, &a.keys) {
                    let b = &records[j as usize];
                    out.push((
                        levels(&a.candidate, &b.candidate),
                        shared_mask(&a.keys, &b.keys),
                    ));
                }
            }
            out
        },
    )
    .into_iter()
    .flatten()
    .collect();
    let mut weights = estimate_lambda_masked(&vectors, prior_weights(u), options.em_iterations);
    // EM's λ is the share of matches among blocked pairs; scores weigh every field
    // against random-pair u, so their prior is the share among all pairs: the same
    // expected number of matches, over all pairs instead of the blocked ones.
    let partners = vectors.len() as f64 / sample.len().max(1) as f64;
    weights.lambda *= partners / records.len().saturating_sub(1).max(1) as f64;
    weights.lambda = crate::em::floored_lambda(weights.lambda, records.len());
    Model::new(weights, frequencies)
}

/// Learns a model from a population (what [`run`] does before scoring), for a live
/// index. Below [`crate::em::MIN_LEARNING_POPULATION`] records there is too little to
/// learn from: the reference model ([`crate::em::reference_model`]) is used, with the
/// population's name frequencies.
pub fn learn(records: &[Prepared], options: &Options) -> Model {
    if records.len() < crate::em::MIN_LEARNING_POPULATION {
        return crate::em::reference_model(NameFrequencies::from_candidates(
            records.iter().map(|r| &r.candidate),
        ));
    }
    let blocks = Blocks::new(records, options.max_block);
    train(records, &blocks, options, &|_, _, _| {})
}

/// Deduplicates prepared records. See the module documentation.
pub fn run(records: &[Prepared], options: &Options, progress: Progress<'_>) -> Outcome {
    progress(Stage::Blocking, 0, records.len());
    let blocks = Blocks::new(records, options.max_block);
    let (skipped_blocks, skipped_entries) = blocks.skipped();
    progress(Stage::Blocking, records.len(), records.len());
    let model = train(records, &blocks, options, progress);
    let adjustments: Vec<Adjustment> = records
        .iter()
        .map(|r| model.adjustment_of(&r.candidate))
        .collect();
    let keep_from = options.keep_from.min(options.threshold);
    let scored: Vec<(Vec<Pair>, u64)> = parallel(
        records.len(),
        options.threads,
        Stage::Scoring,
        progress,
        |range| {
            let mut out = Vec::new();
            let mut compared = 0u64;
            for i in range {
                let a = &records[i];
                let i = i as u32;
                for j in blocks.partners(i, &a.keys).into_iter().filter(|&j| j > i) {
                    let b = &records[j as usize];
                    compared += 1;
                    let total = model.total(
                        &a.candidate,
                        adjustments[i as usize],
                        &b.candidate,
                        adjustments[j as usize],
                    );
                    let probability = model.probability(total);
                    if probability >= keep_from {
                        out.push(Pair {
                            a: i,
                            b: j,
                            probability,
                        });
                    }
                }
            }
            (out, compared)
        },
    );
    let compared = scored.iter().map(|(_, c)| c).sum();
    let pairs: Vec<Pair> = scored.into_iter().flat_map(|(p, _)| p).collect();
    progress(Stage::Clustering, 0, pairs.len());
    let clusters = cluster(
        records.len(),
        &pairs,
        options.threshold,
        options.cluster_floor,
        |x, y| {
            let (a, b) = (&records[x as usize], &records[y as usize]);
            model.probability(model.total(
                &a.candidate,
                adjustments[x as usize],
                &b.candidate,
                adjustments[y as usize],
            ))
        },
    );
    progress(Stage::Clustering, pairs.len(), pairs.len());
    let pairs = pairs
        .into_iter()
        .filter(|p| p.probability >= options.keep_from)
        .collect();
    Outcome {
        model,
        pairs,
        clusters,
        compared,
        skipped_blocks,
        skipped_entries,
    }
}
