//! `passage bench import`: writes a synthetic CSV of registrations (households of one to
//! four people, a few bad rows) and imports it into a fresh SQLite database through the
//! import engine (validation, the live matcher, the duplicate guard, the store), timing
//! the dry run (reading, validation and matching) and the import apart. Prints rows per
//! second and the peak resident memory (VmHWM).

use std::io::Write;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use clap::Args;
use passage_domain::access::Principal;
use passage_server::import::{Mode, Options};
use passage_server::{AppState, Clock};
use passage_store::Store;
use uuid::Uuid;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Rows in the synthetic file.
    #[arg(long, default_value_t = 1_000_000)]
    rows: usize,
    /// Seed of the synthetic population.
    #[arg(long, default_value_t = 7)]
    seed: u64,
}

const GIVEN: &[&str] = &[
    "Nur", "Mohammed", "Fatema", "Rashid", "Ayesha", "Hamid", "Rahima", "Karim", "Salma", "Anwar",
    "Jamila", "Yusuf", "Hasina", "Imran", "Sultana", "Abdul", "Rokeya", "Faisal", "Senait",
    "Dawit", "Halima", "Tariq", "Aung", "Zubair",
];
const SYLLABLES: &[&str] = &[
    "ka", "ri", "mo", "su", "ne", "ta", "lo", "bi", "de", "fu", "ga", "ho", "ja", "ze", "po", "vu",
];
const NATIONALITIES: &[&str] = &["MMR", "BGD", "AFG", "stateless", "PAK", "SOM", "ERI", "SDN"];
const RELATIONSHIPS: &[&str] = &["spouse", "child", "child", "sibling"];

/// Peak resident memory of this process, from /proc (None elsewhere).
fn peak_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Writes `rows` synthetic rows; one in a thousand has an unknown country.
fn write_csv(path: &Path, rows: usize, seed: u64) -> anyhow::Result<()> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(
        out,
        "household,relationship,given_name,family_name,sex,date_of_birth,dob_precision,nationality"
    )?;
    let mut written = 0;
    let mut household = 0usize;
    while written < rows {
        household += 1;
        let size = (1 + rng.usize(..4)).min(rows - written);
        let family: String = (0..4)
            .map(|_| SYLLABLES[rng.usize(..SYLLABLES.len())])
            .collect();
        for member in 0..size {
            let relationship = if member == 0 {
                ""
            } else {
                RELATIONSHIPS[rng.usize(..RELATIONSHIPS.len())]
            };
            let nationality = if rng.u32(..1000) == 0 {
                "XXZ"
            } else {
                NATIONALITIES[rng.usize(..NATIONALITIES.len())]
            };
            writeln!(
                out,
                "H{household},{relationship},{},{family},{},{}-{:02}-{:02},exact,{nationality}",
                GIVEN[rng.usize(..GIVEN.len())],
                if rng.bool() { "F" } else { "M" },
                1950 + rng.u32(..70),
                1 + rng.u32(..12),
                1 + rng.u32(..28),
            )?;
            written += 1;
        }
    }
    out.flush()?;
    Ok(())
}

pub async fn run(args: ImportArgs) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("passage-bench-import-{}", Uuid::now_v7()));
    std::fs::create_dir_all(&dir)?;
    let result = measure(&args, &dir).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn measure(args: &ImportArgs, dir: &Path) -> anyhow::Result<()> {
    let csv = dir.join("registrations.csv");
    let started = Instant::now();
    write_csv(&csv, args.rows, args.seed)?;
    println!(
        "passage bench import: {} rows written in {:.1} s",
        args.rows,
        started.elapsed().as_secs_f64()
    );
    let store = Store::open(&format!("sqlite://{}", dir.join("bench.db").display()))
        .await
        .context("cannot open SQLite")?;
    let (_, arrival) = super::site_and_arrival(&store).await?;
    let state = AppState {
        store: store.clone(),
        clock: Clock::system(),
        auth: Default::default(),
        throttle: Default::default(),
        matcher: std::sync::Arc::new(passage_server::matcher::Matcher::load(&store).await?),
        population: Default::default(),
    };
    let p = Principal::operator(time::OffsetDateTime::now_utc());
    let mut options = Options {
        arrival,
        mode: Mode::ValidOnly,
        dry_run: true,
        mapping: None,
        stop_after: None,
    };
    let report = dir.join("report.csv");
    let started = Instant::now();
    let dry = crate::import::import_file(&state, &p, &csv, &options, &report).await?;
    let dry_secs = started.elapsed().as_secs_f64();
    options.dry_run = false;
    let started = Instant::now();
    let done = crate::import::import_file(&state, &p, &csv, &options, &report).await?;
    let secs = started.elapsed().as_secs_f64();
    options.dry_run = true;
    let started = Instant::now();
    let again = crate::import::import_file(&state, &p, &csv, &options, &report).await?;
    let again_secs = started.elapsed().as_secs_f64();
    store.close().await;
    let rate = |s: f64| args.rows as f64 / s.max(1e-9);
    println!(
        "dry run (read, validate, match against the index, empty before the import): {:.1} s, {:.0} rows/s; {} valid, {} rejected",
        dry_secs,
        rate(dry_secs),
        dry.valid,
        dry.rejected
    );
    println!(
        "import (the same, plus the duplicate guard; households saved {} to a transaction): {:.1} s, {:.0} rows/s",
        passage_server::import::BATCH,
        secs,
        rate(secs)
    );
    println!(
        "  {} created, {} likely duplicates, {} rejected",
        done.created, done.duplicates, done.rejected
    );
    println!(
        "dry run again, every row matched against the {} persons now registered: {:.1} s, {:.0} rows/s; {} likely duplicates",
        done.created,
        again_secs,
        rate(again_secs),
        again.duplicates
    );
    match peak_bytes() {
        Some(b) => println!(
            "peak resident memory (VmHWM): {:.0} MiB",
            b as f64 / 1_048_576.0
        ),
        None => println!("peak resident memory: not measurable here"),
    }
    Ok(())
}
