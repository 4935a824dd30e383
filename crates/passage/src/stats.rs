//! `passage stats population`: the same disclosure-controlled table as
//! `/api/v1/stats/population`, as CSV, HXL or JSON, for whoever holds the database.

use std::io::Write;

use anyhow::{Context, bail};
use clap::Subcommand;
use passage_domain::access::Principal;
use passage_server::api::csv_out::neutral;
use passage_server::api::stats::{DEFAULT_BY, dimensions, population_long};
use passage_stats::disclosure::Policy;
use passage_stats::export::Format;
use passage_store::Store;
use time::{Date, OffsetDateTime};

#[derive(Debug, Subcommand)]
pub enum StatsCommand {
    /// The population registered by a reference date, broken down as asked.
    Population {
        /// YYYY-MM-DD; today when left out.
        #[arg(long)]
        date: Option<String>,
        /// Comma-separated: population_type, sex, age, nationality, site, admin2.
        #[arg(long, default_value = DEFAULT_BY)]
        by: String,
        /// Cells below this are suppressed.
        #[arg(long, default_value_t = 5)]
        threshold: u64,
        /// csv, hxl or json.
        #[arg(long, default_value = "csv")]
        format: String,
        /// Where to write; standard output when left out.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
}

pub async fn run(store: &Store, command: StatsCommand) -> anyhow::Result<()> {
    let StatsCommand::Population {
        date,
        by,
        threshold,
        format,
        out,
    } = command;
    let now = OffsetDateTime::now_utc();
    let date = match date {
        Some(d) => Date::parse(
            &d,
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .with_context(|| format!("--date {d}: write YYYY-MM-DD"))?,
        None => now.date(),
    };
    let by = dimensions(&by)
        .map_err(anyhow::Error::msg)
        .context("--by")?;
    let Some(format) = Format::from_code(&format) else {
        bail!("--format {format}: use csv, hxl or json")
    };
    if !(2..=100).contains(&threshold) {
        bail!("--threshold {threshold}: use 2 to 100");
    }
    let policy = Policy {
        threshold,
        ..Policy::default()
    };
    let p = Principal::operator(now);
    let (table, primary, secondary) =
        population_long(store, &p, date, &by, &policy, format == Format::Hxl).await?;
    eprintln!(
        "{} rows; {primary} cells suppressed below {threshold}, {secondary} more so that none can be worked back",
        table.rows.len()
    );
    let sink: Box<dyn Write> = match &out {
        Some(path) => Box::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout()),
    };
    match format {
        Format::Json => {
            let rows: Vec<serde_json::Map<String, serde_json::Value>> = table
                .rows
                .iter()
                .map(|r| {
                    table
                        .headers
                        .iter()
                        .cloned()
                        .zip(r.iter().map(|v| serde_json::Value::String(v.clone())))
                        .collect()
                })
                .collect();
            serde_json::to_writer_pretty(sink, &rows)?;
        }
        Format::Csv | Format::Hxl => {
            let mut w = csv::Writer::from_writer(sink);
            w.write_record(&table.headers)?;
            if format == Format::Hxl {
                w.write_record(&table.hashtags)?;
            }
            for row in &table.rows {
                w.write_record(row.iter().map(|c| neutral(c)))?;
            }
            w.flush()?;
        }
    }
    Ok(())
}
