//! `passage dedup`: find the duplicates in a CSV file of persons (a partner's list
//! before import, or any data set), writing the scored pairs and the clusters.

mod input;
mod progress;

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use passage_match::batch::{self, DEFAULT_THRESHOLD, Options};

use progress::Bar;

#[derive(Debug, Args)]
pub struct DedupArgs {
    /// The CSV file to deduplicate (header line required).
    #[arg(long)]
    csv: PathBuf,
    /// The column that identifies each row; ids must be unique.
    #[arg(long)]
    id: String,
    /// Which column holds which field: field=COLUMN, comma-separated. Fields:
    /// given_name, family_name, full_name, original_name, sex, dob, birth_year,
    /// dob_estimated, nationality, place_of_origin, document, phone, address. A field
    /// mapped to several columns reads them joined with a space.
    #[arg(long, required = true)]
    map: Vec<String>,
    /// Write the scored pairs here: id_l,id_r,score (match probability).
    #[arg(long)]
    pairs: Option<PathBuf>,
    /// Write the cluster of every row here: id,cluster.
    #[arg(long)]
    clusters: Option<PathBuf>,
    /// The match probability at or above which two rows are the same person.
    #[arg(long, default_value_t = DEFAULT_THRESHOLD)]
    threshold: f64,
    /// Write only pairs at or above this probability (0: every compared pair).
    #[arg(long, default_value_t = 0.0)]
    pairs_min: f64,
    /// Worker threads (default: every core).
    #[arg(long)]
    threads: Option<usize>,
}

pub fn run(args: DedupArgs) -> anyhow::Result<()> {
    for (name, v) in [
        ("--threshold", args.threshold),
        ("--pairs-min", args.pairs_min),
    ] {
        if !(0.0..=1.0).contains(&v) {
            anyhow::bail!("{name} must be a probability between 0 and 1, not {v}");
        }
    }
    let started = Instant::now();
    let mapping = input::Mapping::parse(&args.map)?;
    let bar = Bar::new();
    bar.message(&format!("reading {}", args.csv.display()));
    let input = input::read(&args.csv, &args.id, &mapping)?;
    for s in input.skipped.iter().take(20) {
        eprintln!("warning: {s}");
    }
    if input.skipped.len() > 20 {
        eprintln!(
            "warning: … and {} more values left out",
            input.skipped.len() - 20
        );
    }
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .max(1);
    let progress = |stage: batch::Stage, done: usize, total: usize| bar.update(stage, done, total);
    let records = batch::prepare_all(&input.persons, threads, &progress);
    let options = Options {
        threshold: args.threshold,
        keep_from: args.pairs_min,
        threads,
        ..Options::default()
    };
    let outcome = batch::run(&records, &options, &progress);
    bar.finish();
    let id = |i: u32| input.ids.get(i as usize).map_or("", String::as_str);
    if let Some(path) = &args.pairs {
        let mut w = writer(path)?;
        writeln!(w, "id_l,id_r,score")?;
        let mut csv = csv::Writer::from_writer(w);
        for p in &outcome.pairs {
            csv.write_record([id(p.a), id(p.b), &format!("{:.6}", p.probability)])?;
        }
        csv.flush()
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if let Some(path) = &args.clusters {
        let mut csv = csv::Writer::from_writer(writer(path)?);
        csv.write_record(["id", "cluster"])?;
        for (i, c) in outcome.clusters.iter().enumerate() {
            csv.write_record([input.ids[i].as_str(), id(*c)])?;
        }
        csv.flush()
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let matched = outcome
        .pairs
        .iter()
        .filter(|p| p.probability >= args.threshold)
        .count();
    let mut sizes = std::collections::HashMap::<u32, usize>::new();
    for c in &outcome.clusters {
        *sizes.entry(*c).or_default() += 1;
    }
    let multi = sizes.values().filter(|&&n| n > 1).count();
    let in_multi: usize = sizes.values().filter(|&&n| n > 1).sum();
    eprintln!(
        "{} records, {} pairs compared, {matched} at or above {}, {multi} clusters of \
         two or more ({in_multi} records); {} blocks skipped as too common ({} entries); \
         match prior {:.4}; {:.1} s",
        input.ids.len(),
        outcome.compared,
        args.threshold,
        outcome.skipped_blocks,
        outcome.skipped_entries,
        outcome.model.weights().lambda,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn writer(path: &PathBuf) -> anyhow::Result<std::io::BufWriter<std::fs::File>> {
    let f =
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    Ok(std::io::BufWriter::new(f))
}
