//! `passage stats TABLE`: the same disclosure-controlled tables as `/api/v1/stats/{table}`
//! (population, arrivals, dead_and_missing), as CSV, HXL or JSON, for whoever holds the
//! database.

use std::io::Write;

use anyhow::{Context, bail};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use passage_domain::access::Principal;
use passage_server::api::csv_out::{neutral, xlsx_bytes};
use passage_server::api::stats::{
    Kind, Period, TableQuery, fits, json_rows, long_table, long_tables, request,
};
use passage_server::population::Population;
use passage_stats::export::Format;
use passage_store::Store;
use time::{Date, OffsetDateTime};

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// population, arrivals, dead_and_missing, referrals, cases, or microdata (the
    /// population as de-identified rows, refused unless k-anonymous).
    table: String,
    /// The reference date of a stock, or the last day of a flow (YYYY-MM-DD); today when
    /// left out.
    #[arg(long)]
    date: Option<String>,
    /// The first day of a flow; a year before --date when left out.
    #[arg(long)]
    from: Option<String>,
    /// day, week, month or year, for flows.
    #[arg(long, default_value = "month")]
    period: String,
    /// Comma-separated dimensions; the table's default when left out.
    #[arg(long)]
    by: Option<String>,
    /// The age brackets of the population table by their lower bounds (default
    /// 0,5,12,18,60).
    #[arg(long)]
    ages: Option<String>,
    /// Microdata: the fewest rows any combination of the columns may have.
    #[arg(long, default_value_t = 5)]
    k: usize,
    /// Cells below this are suppressed.
    #[arg(long, default_value_t = 5)]
    threshold: u64,
    /// csv, hxl, json, xlsx, or unhcr (the UNHCR demographic layout; population by sex and
    /// age).
    #[arg(long, default_value = "csv")]
    format: String,
    /// Where to write; standard output when left out.
    #[arg(long)]
    out: Option<std::path::PathBuf>,
}

fn date(s: &str, what: &str) -> anyhow::Result<Date> {
    Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
        .with_context(|| format!("{what} {s}: write YYYY-MM-DD"))
}

pub async fn run(store: &Store, a: StatsArgs) -> anyhow::Result<()> {
    let now = OffsetDateTime::now_utc();
    let Some(kind) = Kind::from_code(&a.table) else {
        bail!(
            "no table {}: use population, arrivals, dead_and_missing, referrals, cases or microdata",
            a.table
        )
    };
    let Some(format) = Format::from_code(&a.format) else {
        bail!("--format {}: use csv, hxl, json, xlsx or unhcr", a.format)
    };
    let period: Period = serde_json::from_value(serde_json::Value::String(a.period.clone()))
        .with_context(|| format!("--period {}: use day, week, month or year", a.period))?;
    let query = TableQuery {
        date: a.date.as_deref().map(|d| date(d, "--date")).transpose()?,
        from: a.from.as_deref().map(|d| date(d, "--from")).transpose()?,
        period: Some(period),
        by: a.by.clone(),
        threshold: Some(a.threshold),
        format: None,
        ages: a.ages.clone(),
        k: Some(a.k),
    };
    let (req, policy) = request(kind, &query, now.date()).map_err(|e| anyhow::anyhow!("{e}"))?;
    fits(format, &req)
        .map_err(anyhow::Error::msg)
        .context("--format")?;
    let p = Principal::operator(now);
    let population = Population::default();
    if matches!(kind, Kind::Population | Kind::Microdata) {
        let bar = ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} counting the population: {pos} persons read")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        population
            .load(store, &|n| bar.set_position(n as u64))
            .await?;
        bar.finish_and_clear();
    }
    let sink: Box<dyn Write> = match &a.out {
        Some(path) => Box::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout()),
    };
    if req.tables.len() > 1 {
        if format != Format::Json {
            bail!("--by with `;` asks for several tables: they come together as --format json");
        }
        let (tables, primary, secondary) =
            long_tables(store, &population, &p, &req, &policy, false)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
        eprintln!(
            "{} tables; {primary} cells suppressed below {}, {secondary} more withheld so that none can be worked back from any of them",
            tables.len(),
            policy.threshold
        );
        let tables: Vec<serde_json::Value> = req
            .tables
            .iter()
            .zip(&tables)
            .map(|(by, t)| serde_json::json!({"by": by, "rows": json_rows(t)}))
            .collect();
        serde_json::to_writer_pretty(sink, &tables)?;
        return Ok(());
    }
    let (table, primary, secondary) = long_table(store, &population, &p, &req, &policy, format)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    if kind == Kind::Microdata {
        eprintln!(
            "{} rows; every combination of country, {} occurs at least {} times",
            table.rows.len(),
            req.by.join(", "),
            req.k
        );
    } else {
        eprintln!(
            "{} rows; {primary} cells suppressed below {}, {secondary} more withheld so that none can be worked back",
            table.rows.len(),
            policy.threshold
        );
    }
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(sink, &json_rows(&table))?;
        }
        Format::Xlsx => {
            let headers: Vec<&str> = table.headers.iter().map(String::as_str).collect();
            let mut sink = sink;
            sink.write_all(
                &xlsx_bytes(&a.table, &headers, &table.rows).map_err(|e| anyhow::anyhow!("{e}"))?,
            )?;
        }
        Format::Csv | Format::Hxl | Format::UnhcrWide => {
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
