//! `passage bench stats`: a seeded synthetic population on SQLite (and PostgreSQL when
//! given), then the full population table (population type x sex x age bracket x
//! nationality x site) and the monthly arrivals table timed on each, side by side with
//! DuckDB running the same queries on the same rows (read from the SQLite file) in
//! Parquet.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use passage_domain::access::Principal;
use passage_domain::age::brackets::Brackets;
use passage_server::api::stats::{Kind, Period, TableQuery, long_table, request};
use passage_server::population::{Ask, Population};
use passage_stats::export::Format;
use passage_stats::population::Breakdown;
use passage_store::Store;
use time::OffsetDateTime;
use uuid::Uuid;

use super::synthetic::{self, Size};

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Persons to generate.
    #[arg(long, default_value_t = 1_000_000)]
    persons: usize,
    /// The generator's seed: the same seed makes the same population.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Times each table is computed; the best and the median are printed.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Also run on this PostgreSQL database, which must hold no persons yet.
    #[arg(long, env = "PASSAGE_BENCH_PG_URL")]
    postgres: Option<String>,
    /// The Python with `duckdb` installed (the repository's .venv when left out).
    #[arg(long)]
    python: Option<PathBuf>,
}

/// Best and median of some timings, in milliseconds.
#[derive(Debug, Clone, Copy)]
struct Timing {
    best: f64,
    median: f64,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn timed<F, Fut>(runs: usize, mut f: F) -> anyhow::Result<Timing>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        f().await?;
        times.push(ms(t.elapsed()));
    }
    times.sort_by(f64::total_cmp);
    Ok(Timing {
        best: times[0],
        median: times[times.len() / 2],
    })
}

/// What one database measured.
struct Measured {
    name: &'static str,
    load: f64,
    count: Timing,
    population: Timing,
    arrivals: Timing,
}

fn query(by: &str, period: Option<Period>, from: Option<time::Date>) -> TableQuery {
    TableQuery {
        date: None,
        from,
        period,
        by: Some(by.to_owned()),
        threshold: None,
        format: None,
        ages: None,
        k: None,
    }
}

async fn measure(
    name: &'static str,
    store: &Store,
    args: &StatsArgs,
    now: OffsetDateTime,
) -> anyhow::Result<Measured> {
    let p = Principal::operator(now);
    if !store.population_feed(&p, None, 1).await?.is_empty() {
        bail!("the {name} database already holds persons: give an empty one");
    }
    let t = Instant::now();
    let made = synthetic::generate(
        store,
        Size {
            persons: args.persons,
            seed: args.seed,
        },
        now,
        &p,
    )
    .await?;
    println!(
        "{name}: generated {} persons in {} households, {} arrivals, {} cases in {:.1} s",
        made.persons,
        made.households,
        made.arrivals,
        made.cases,
        t.elapsed().as_secs_f64()
    );
    let population = Population::default();
    let bar = ProgressBar::new_spinner().with_style(
        ProgressStyle::with_template("{spinner} loading the population: {pos} persons read")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    let t = Instant::now();
    population
        .load(store, &|n| bar.set_position(n as u64))
        .await?;
    bar.finish_and_clear();
    let load = ms(t.elapsed());
    let today = now.date();
    let all = Breakdown {
        population_type: true,
        sex: true,
        age: true,
        nationality: true,
        disability: false,
    };
    let ask = Ask {
        date: today,
        registered_by: now,
        brackets: Brackets::default(),
        by: all,
    };
    let index = timed(args.runs, || async {
        population.count(store, &p, &ask).await?;
        Ok(())
    })
    .await?;
    let level_one = timed(args.runs, || async {
        store.breakdown_counts(&p, now).await?;
        Ok(())
    })
    .await?;
    println!(
        "{name}: of the count, persons registered one by one {:.1} ms, level-1 households {:.1} ms (best)",
        index.best, level_one.best
    );
    let count = timed(args.runs, || async {
        population.count(store, &p, &ask).await?;
        store.breakdown_counts(&p, now).await?;
        Ok(())
    })
    .await?;
    let (pop_req, pop_policy) = request(
        Kind::Population,
        &query("population_type,sex,age,nationality,site", None, None),
        today,
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let population_table = timed(args.runs, || async {
        long_table(store, &population, &p, &pop_req, &pop_policy, Format::Csv)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(())
    })
    .await?;
    let (arr_req, arr_policy) = request(
        Kind::Arrivals,
        &query(
            "period",
            Some(Period::Month),
            Some(today - time::Duration::days(731)),
        ),
        today,
    )
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let arrivals = timed(args.runs, || async {
        long_table(store, &population, &p, &arr_req, &arr_policy, Format::Csv)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(())
    })
    .await?;
    Ok(Measured {
        name,
        load,
        count,
        population: population_table,
        arrivals,
    })
}

/// DuckDB's best times (ms) for the population and arrivals queries over Parquet made
/// from the SQLite file `db`.
fn duckdb(
    python: &Path,
    db: &Path,
    now: OffsetDateTime,
    runs: usize,
) -> anyhow::Result<(f64, f64)> {
    let cuts: Vec<String> = Brackets::default()
        .cuts(now.date())
        .iter()
        .map(ToString::to_string)
        .collect();
    let start = (now.date() - time::Duration::days(731))
        .with_time(time::Time::MIDNIGHT)
        .assume_utc();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/stats/duckdb_stats.py");
    let out = std::process::Command::new(python)
        .arg(&script)
        .arg(db)
        .arg(passage_store::sql::ts(now))
        .arg(passage_store::sql::ts(start))
        .arg(cuts.join(","))
        .arg(runs.to_string())
        .output()
        .with_context(|| format!("cannot run {}", python.display()))?;
    if !out.status.success() {
        bail!(
            "DuckDB run failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let v: serde_json::Value =
        serde_json::from_str(text.trim()).with_context(|| format!("DuckDB printed {text}"))?;
    Ok((
        v["population_ms"].as_f64().unwrap_or(f64::NAN),
        v["arrivals_ms"].as_f64().unwrap_or(f64::NAN),
    ))
}

pub async fn run(args: StatsArgs) -> anyhow::Result<()> {
    let now = OffsetDateTime::now_utc();
    let dir = std::env::temp_dir().join(format!("passage-bench-stats-{}", Uuid::now_v7()));
    std::fs::create_dir_all(&dir)?;
    println!(
        "passage bench stats: {} synthetic persons over two years (seed {}), best and median of {} runs",
        args.persons, args.seed, args.runs
    );
    let sqlite = Store::open(&format!("sqlite://{}", dir.join("stats.db").display()))
        .await
        .context("cannot open the SQLite database")?;
    let mut measured = vec![measure("sqlite", &sqlite, &args, now).await?];
    if let Some(url) = &args.postgres {
        let pg = Store::open(url)
            .await
            .context("cannot open the PostgreSQL database")?;
        measured.push(measure("postgres", &pg, &args, now).await?);
    }
    let python = args
        .python
        .clone()
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python"));
    let (duck_population, duck_arrivals) = duckdb(&python, &dir.join("stats.db"), now, args.runs)?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "\n{:<10} {:>12} {:>16} {:>22} {:>20}",
        "database", "load (ms)", "count (ms)", "population table (ms)", "arrivals table (ms)"
    )?;
    for m in &measured {
        writeln!(
            out,
            "{:<10} {:>12.0} {:>8.1} / {:<6.1} {:>13.1} / {:<6.1} {:>11.1} / {:<6.1}",
            m.name,
            m.load,
            m.count.best,
            m.count.median,
            m.population.best,
            m.population.median,
            m.arrivals.best,
            m.arrivals.median
        )?;
    }
    writeln!(
        out,
        "{:<10} {:>12} {:>8.1} {:>31} {:>11.1}",
        "duckdb", "-", duck_population, "", duck_arrivals
    )?;
    for m in &measured {
        writeln!(
            out,
            "{}: count {:.2}x DuckDB, arrivals {:.2}x DuckDB (best against best; target: count under 200 ms and within 3x)",
            m.name,
            m.count.best / duck_population,
            m.arrivals.best / duck_arrivals
        )?;
    }
    std::fs::remove_dir_all(&dir).ok();
    Ok(())
}
