//! `passage bench candidates`: the live candidate index over a population read from a
//! CSV file. Prints how long the index takes to build, the memory it holds, and how
//! fast the top ten candidates of a registration come back.

use std::time::{Duration, Instant};

use clap::Args;
use passage_match::batch::{self, Options};
use passage_match::{Index, SplitMix64};

use crate::dedup::progress::Bar;
use crate::dedup::{CsvSource, threads};

#[derive(Debug, Args)]
pub struct CandidatesArgs {
    #[command(flatten)]
    source: CsvSource,
    /// Registrations to time: records of the file drawn with a fixed seed, each asked
    /// for its top ten among all the others.
    #[arg(long, default_value_t = 10_000)]
    queries: usize,
    /// Worker threads for building (default: every core); queries run on one.
    #[arg(long)]
    threads: Option<usize>,
}

/// Resident memory of this process, from /proc (None elsewhere).
fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub fn run(args: CandidatesArgs) -> anyhow::Result<()> {
    let input = args.source.read()?;
    let threads = threads(args.threads);
    let before = resident_bytes();
    let started = Instant::now();
    let bar = Bar::new();
    let progress = |stage: batch::Stage, done: usize, total: usize| bar.update(stage, done, total);
    let records = batch::prepare_all(&input.persons, threads, &progress);
    bar.finish();
    drop(input);
    let model = batch::learn(
        &records,
        &Options {
            threads,
            ..Options::default()
        },
    );
    let mut rng = SplitMix64::new(0x5EED);
    let queries: Vec<u32> = (0..args.queries.min(records.len()))
        .map(|_| rng.below(records.len()) as u32)
        .collect();
    let probes: Vec<_> = queries
        .iter()
        .map(|&q| records[q as usize].clone())
        .collect();
    let mut index = Index::new(model);
    let persons = records.len();
    for (i, r) in records.into_iter().enumerate() {
        index.upsert(i as u32, r);
    }
    let built = started.elapsed();
    let held = resident_bytes()
        .zip(before)
        .map(|(after, before)| after.saturating_sub(before));
    let mut latencies = Vec::with_capacity(probes.len());
    let mut found = 0usize;
    for (q, probe) in queries.iter().zip(&probes) {
        let t = Instant::now();
        let top = index.candidates(probe, 10, |id| id == q);
        latencies.push(t.elapsed());
        found += top.len();
    }
    latencies.sort();
    let pct = |p: f64| {
        let i = ((latencies.len() as f64 * p).ceil() as usize).saturating_sub(1);
        latencies.get(i).copied().map_or(0.0, ms)
    };
    println!(
        "passage bench candidates: {persons} persons from {}",
        args.source
            .path()
            .map(|p| p.display().to_string())
            .unwrap_or_default()
    );
    println!(
        "index built (preparing, learning, indexing) in {:.1} s",
        built.as_secs_f64()
    );
    match held {
        Some(b) => println!("memory held by the index: {:.0} MiB", b as f64 / 1048576.0),
        None => println!("memory held by the index: not measurable here"),
    }
    println!(
        "top-10 candidates, {} registrations: median {:.3} ms, p99 {:.3} ms, max {:.3} ms, {:.1} candidates each",
        latencies.len(),
        pct(0.5),
        pct(0.99),
        latencies.last().copied().map_or(0.0, ms),
        found as f64 / latencies.len().max(1) as f64
    );
    Ok(())
}
