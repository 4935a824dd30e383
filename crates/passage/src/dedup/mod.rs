//! `passage dedup`: find the duplicates in a CSV file of persons (a partner's list
//! before import, or any data set), writing the scored pairs and the clusters.

mod database;
pub mod input;
pub mod progress;

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use passage_match::batch::{self, DEFAULT_THRESHOLD, Options};

use progress::Bar;

/// A CSV file of persons and where each field is in it.
#[derive(Debug, Args)]
pub struct CsvSource {
    /// The CSV file of persons (header line required).
    #[arg(long)]
    csv: Option<PathBuf>,
    /// The column that identifies each row; ids must be unique.
    #[arg(long, requires = "csv")]
    id: Option<String>,
    /// Which column holds which field: field=COLUMN, comma-separated. Fields:
    /// given_name, family_name, full_name, original_name, sex, dob, birth_year,
    /// dob_estimated, nationality, place_of_origin, document, phone, address. A field
    /// mapped to several columns reads them joined with a space.
    #[arg(long, requires = "csv")]
    map: Vec<String>,
}

impl CsvSource {
    /// The file, when one was given.
    pub fn path(&self) -> Option<&std::path::Path> {
        self.csv.as_deref()
    }

    /// Reads the file, printing the values left out (the first twenty, and how many).
    pub fn read(&self) -> anyhow::Result<input::Input> {
        let Some(csv) = &self.csv else {
            anyhow::bail!("--csv: give the CSV file of persons");
        };
        let Some(id) = &self.id else {
            anyhow::bail!(
                "--id: name the column that identifies each row of {}",
                csv.display()
            );
        };
        let mapping = input::Mapping::parse(&self.map)?;
        let input = input::read(csv, id, &mapping)?;
        for s in input.skipped.iter().take(20) {
            eprintln!("warning: {s}");
        }
        if input.skipped.len() > 20 {
            eprintln!(
                "warning: … and {} more values left out",
                input.skipped.len() - 20
            );
        }
        Ok(input)
    }
}

/// Worker threads: as asked, else every core.
pub fn threads(asked: Option<usize>) -> usize {
    asked
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .max(1)
}

#[derive(Debug, Args)]
pub struct DedupArgs {
    /// A CSV file to deduplicate (`--csv`, `--id`, `--map`); without it, the
    /// registered persons of the database, into the review queue.
    #[command(flatten)]
    source: CsvSource,
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

/// Deduplicates the CSV file given, else the database `database`.
pub async fn run(args: DedupArgs, database: &str) -> anyhow::Result<()> {
    match args.source.path() {
        Some(path) => tokio::task::block_in_place(|| run_csv(path, &args)),
        None => {
            let store = passage_store::Store::open(database).await?;
            let result = database::run(&store, threads(args.threads)).await;
            store.close().await;
            result
        }
    }
}

fn run_csv(path: &std::path::Path, args: &DedupArgs) -> anyhow::Result<()> {
    for (name, v) in [
        ("--threshold", args.threshold),
        ("--pairs-min", args.pairs_min),
    ] {
        if !(0.0..=1.0).contains(&v) {
            anyhow::bail!("{name} must be a probability between 0 and 1, not {v}");
        }
    }
    let started = Instant::now();
    let bar = Bar::new();
    bar.message(&format!("reading {}", path.display()));
    let input = args.source.read()?;
    let threads = threads(args.threads);
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
