//! `passage care`: the reports of reception and care from the command line, for whoever
//! holds the database: a site's occupancy (now, or at the end of a day), the incidents
//! under the Missing Migrants Project column names, the distribution list for finance.

use std::io::Write;

use anyhow::{Context, bail};
use clap::Subcommand;
use passage_domain::access::Principal;
use passage_domain::care::incident::{MMP_COLUMNS, mmp_row};
use passage_server::api::assistance::{LIST_COLUMNS, list_rows};
use passage_server::api::csv_out::neutral;
use passage_store::sql::MAX_PAGE;
use passage_store::{DistributionFilter, SiteFilter, Store};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

#[derive(Debug, Subcommand)]
pub enum CareCommand {
    /// A site's occupancy per unit type: now, or at the end of `--date`.
    Occupancy {
        /// The site's code, e.g. MNR.
        #[arg(long)]
        site: String,
        /// YYYY-MM-DD: the daily report for that day instead of now.
        #[arg(long)]
        date: Option<String>,
        /// Warn for units at least this full, in percent.
        #[arg(long, default_value_t = 90)]
        threshold: u32,
    },
    /// Every incident as CSV under the Missing Migrants Project column names.
    Incidents {
        /// Where to write; standard output when left out.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// The distributions given, as CSV for finance.
    Distributions {
        /// Only this programme (its code, e.g. HYGIENE).
        #[arg(long)]
        programme: Option<String>,
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
}

fn write_csv(
    out: Option<&std::path::Path>,
    header: &[&str],
    rows: Vec<Vec<String>>,
) -> anyhow::Result<()> {
    let sink: Box<dyn Write> = match out {
        Some(path) => Box::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout()),
    };
    let mut w = csv::Writer::from_writer(sink);
    w.write_record(header)?;
    for row in rows {
        w.write_record(row.iter().map(|c| neutral(c)))?;
    }
    w.flush()?;
    Ok(())
}

async fn site_id(store: &Store, p: &Principal, code: &str) -> anyhow::Result<Uuid> {
    let sites = store
        .sites(p, &SiteFilter::default(), None, MAX_PAGE)
        .await?;
    let code = code.trim().to_uppercase();
    match sites.items.iter().find(|s| s.details.code.as_str() == code) {
        Some(s) => Ok(s.meta.id),
        None => bail!("no site with code {code}"),
    }
}

pub async fn run(store: &Store, command: CareCommand) -> anyhow::Result<()> {
    let p = Principal::operator(OffsetDateTime::now_utc());
    match command {
        CareCommand::Occupancy {
            site,
            date,
            threshold,
        } => {
            let id = site_id(store, &p, &site).await?;
            match date {
                Some(d) => {
                    let day = Date::parse(
                        &d,
                        time::macros::format_description!("[year]-[month]-[day]"),
                    )
                    .with_context(|| format!("--date {d}: write YYYY-MM-DD"))?;
                    let report = store.daily_occupancy(&p, id, day).await?;
                    println!(
                        "{site} at the end of {day}: {} admitted, {} departed that day",
                        report.admitted, report.departed
                    );
                    for k in report.by_kind {
                        println!(
                            "  {:<22} {:>5} of {:>5} beds",
                            k.kind.code(),
                            k.occupied,
                            k.beds
                        );
                    }
                }
                None => {
                    let o = store.occupancy(&p, id, threshold).await?;
                    println!("{site} now: {} of {} beds", o.occupied, o.beds);
                    for k in &o.by_kind {
                        println!(
                            "  {:<22} {:>5} of {:>5} beds",
                            k.kind.code(),
                            k.occupied,
                            k.beds
                        );
                    }
                    for w in &o.warnings {
                        let what = w
                            .unit_id
                            .map_or("the whole site".to_owned(), |u| format!("unit {u}"));
                        println!(
                            "  warning: {what} is {}% full ({} of {})",
                            w.percent, w.occupied, w.beds
                        );
                    }
                }
            }
            Ok(())
        }
        CareCommand::Incidents { out } => {
            let incidents = store.incidents(&p, 10_000).await?;
            let rows = incidents
                .iter()
                .map(|i| mmp_row(i.meta.id, &i.details))
                .collect();
            write_csv(out.as_deref(), &MMP_COLUMNS, rows)
        }
        CareCommand::Distributions { programme, out } => {
            let programmes = store.programmes(&p).await?;
            let only = match programme {
                Some(code) => Some(
                    programmes
                        .iter()
                        .find(|x| x.details.code.eq_ignore_ascii_case(&code))
                        .with_context(|| format!("no programme with code {code}"))?
                        .meta
                        .id,
                ),
                None => None,
            };
            let filter = DistributionFilter {
                programme_id: only,
                limit: 10_000,
                ..Default::default()
            };
            let rows = list_rows(store, &p, filter).await?;
            write_csv(out.as_deref(), &LIST_COLUMNS, rows)
        }
    }
}
