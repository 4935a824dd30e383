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
    /// After the import, check the file again: every row then a likely duplicate, each
    /// candidate read through the store as the guard reads it (slow: hundreds of rows a
    /// second).
    #[arg(long)]
    again: bool,
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

/// Processor time (user and system) this process has used so far, from /proc (None
/// elsewhere): on a machine shared with other work, the figure that other work does not
/// inflate.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name, which ends at the last ')'.
    let rest = stat.get(stat.rfind(')')? + 2..)?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // The kernel counts in USER_HZ, 100 a second on Linux.
    Some(ticks / 100.0)
}

/// A phase's wall-clock and processor seconds.
struct Timed {
    wall: f64,
    cpu: Option<f64>,
}

impl Timed {
    fn describe(&self, rows: usize) -> String {
        let rate = |s: f64| rows as f64 / s.max(1e-9);
        match self.cpu {
            Some(cpu) => format!(
                "{:.1} s, {:.0} rows/s; processor {:.1} s, {:.0} rows per processor second",
                self.wall,
                rate(self.wall),
                cpu,
                rate(cpu)
            ),
            None => format!("{:.1} s, {:.0} rows/s", self.wall, rate(self.wall)),
        }
    }
}

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

/// Runs `work`, timing it.
async fn timed<T>(
    work: impl std::future::Future<Output = anyhow::Result<T>>,
) -> anyhow::Result<(T, Timed)> {
    let (started, cpu) = (Instant::now(), cpu_seconds());
    let out = work.await?;
    let timed = Timed {
        wall: started.elapsed().as_secs_f64(),
        cpu: cpu.zip(cpu_seconds()).map(|(a, b)| b - a),
    };
    Ok((out, timed))
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
    let dry = timed(crate::import::import_file(
        &state, &p, &csv, &options, &report,
    ))
    .await?;
    options.dry_run = false;
    let done = timed(crate::import::import_file(
        &state, &p, &csv, &options, &report,
    ))
    .await?;
    println!(
        "dry run (read, validate, match against the index, empty before the import): {}; {} valid, {} rejected",
        dry.1.describe(args.rows),
        dry.0.valid,
        dry.0.rejected
    );
    println!(
        "import (the same, plus the duplicate guard; households saved {} to a transaction): {}",
        passage_server::import::BATCH,
        done.1.describe(args.rows)
    );
    println!(
        "  {} created, {} likely duplicates, {} rejected",
        done.0.created, done.0.duplicates, done.0.rejected
    );
    if args.again {
        options.dry_run = true;
        let again = timed(crate::import::import_file(
            &state, &p, &csv, &options, &report,
        ))
        .await?;
        println!(
            "dry run again, every row matched against the {} persons now registered: {}; {} likely duplicates",
            done.0.created,
            again.1.describe(args.rows),
            again.0.duplicates
        );
    }
    store.close().await;
    match peak_bytes() {
        Some(b) => println!(
            "peak resident memory (VmHWM): {:.0} MiB",
            b as f64 / 1_048_576.0
        ),
        None => println!("peak resident memory: not measurable here"),
    }
    Ok(())
}
