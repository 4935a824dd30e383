//! `passage import FILE`: a partner's CSV or XLSX list into an arrival, through the same
//! validation and duplicate guard as the API, with a progress line and a CSV report.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use passage_domain::access::Principal;
use passage_server::import::mapping::Mapping;
use passage_server::import::{self, Mode, Options, RowReport, Summary};
use passage_server::{AppState, Clock};
use passage_store::Store;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ModeArg {
    /// Register every valid household; report the others.
    ValidOnly,
    /// Register nothing unless every row is valid.
    AllOrNothing,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CSV (UTF-8) or XLSX file.
    file: PathBuf,
    /// The arrival the households belong to.
    #[arg(long)]
    arrival: Uuid,
    /// A column mapping: a JSON file ({"columns": {"file column": "field"}}) or the name of
    /// one saved with --save-mapping. Without it, columns named like Passage's fields or
    /// tagged with HXL hashtags (second row) are used.
    #[arg(long)]
    mapping: Option<String>,
    /// Save the mapping file given with --mapping under this name, for later imports.
    #[arg(long, requires = "mapping")]
    save_mapping: Option<String>,
    /// Check every row and report; register nothing.
    #[arg(long, conflicts_with = "mode")]
    dry_run: bool,
    #[arg(long, value_enum, default_value = "valid-only")]
    mode: ModeArg,
    /// Where to write the report (CSV); FILE.report.csv when left out.
    #[arg(long)]
    report: Option<PathBuf>,
}

/// Report columns.
pub const REPORT_HEADER: [&str; 5] = ["row", "outcome", "column", "message", "registration_number"];

/// The mapping named or stored in `arg`.
async fn mapping(store: &Store, p: &Principal, arg: &str) -> anyhow::Result<Mapping> {
    let path = Path::new(arg);
    let json = if path.is_file() {
        serde_json::from_str(
            &std::fs::read_to_string(path).with_context(|| format!("cannot read {arg}"))?,
        )
        .with_context(|| format!("{arg} is not JSON"))?
    } else {
        store
            .import_mapping(p, arg)
            .await?
            .with_context(|| format!("{arg} is neither a file nor a saved mapping"))?
    };
    serde_json::from_value(json).with_context(|| format!("mapping {arg} is not a column mapping"))
}

/// Imports a file with a progress line on standard error, writing every report line to
/// `out` as CSV.
pub async fn import_file(
    state: &AppState,
    p: &Principal,
    file: &Path,
    options: &Options,
    out: &Path,
) -> anyhow::Result<Summary> {
    let mut writer = csv::Writer::from_path(out)
        .with_context(|| format!("cannot write the report {}", out.display()))?;
    writer.write_record(REPORT_HEADER)?;
    let bar = Arc::new(ProgressBar::new_spinner());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos} rows read, {per_sec} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    let mut failed: Option<csv::Error> = None;
    let mut write = |l: RowReport| {
        if failed.is_none()
            && let Err(e) = writer.write_record([
                l.row.to_string(),
                l.outcome.code().to_owned(),
                l.column,
                l.message,
                l.registration_number.unwrap_or_default(),
            ])
        {
            failed = Some(e);
        }
    };
    let shown = bar.clone();
    let progress = move |rows: u64| shown.set_position(rows);
    let summary = import::import(state, p, file, options, &mut write, &progress).await;
    bar.finish_and_clear();
    if let Some(e) = failed {
        return Err(e).context("cannot write the report");
    }
    writer.flush()?;
    Ok(summary?)
}

pub async fn run(store: Store, args: ImportArgs) -> anyhow::Result<()> {
    let p = Principal::operator(time::OffsetDateTime::now_utc());
    let mapping = match &args.mapping {
        None => None,
        Some(arg) => Some(mapping(&store, &p, arg).await?),
    };
    if let (Some(name), Some(m)) = (&args.save_mapping, &mapping) {
        store
            .save_import_mapping(&p, name, &serde_json::to_value(m)?)
            .await?;
        eprintln!("mapping saved as {name}");
    }
    let state = AppState {
        store: store.clone(),
        clock: Clock::system(),
        auth: Default::default(),
        throttle: Default::default(),
        matcher: Arc::new(passage_server::matcher::Matcher::load(&store).await?),
        population: Default::default(),
    };
    let options = Options {
        arrival: args.arrival,
        mode: match args.mode {
            ModeArg::ValidOnly => Mode::ValidOnly,
            ModeArg::AllOrNothing => Mode::AllOrNothing,
        },
        dry_run: args.dry_run,
        mapping,
        stop_after: None,
    };
    let out = args.report.clone().unwrap_or_else(|| {
        let mut name = args.file.clone().into_os_string();
        name.push(".report.csv");
        PathBuf::from(name)
    });
    let s = import_file(&state, &p, &args.file, &options, &out).await?;
    if s.already_done {
        println!("this file was imported into this arrival before; nothing to do");
    } else if args.dry_run
        || (s.created == 0
            && s.duplicates + s.rejected > 0
            && matches!(args.mode, ModeArg::AllOrNothing))
    {
        if !args.dry_run {
            println!("all or nothing: nothing was registered, because some rows have problems");
        }
        println!(
            "dry run: {} rows, {} valid, {} likely duplicates, {} with problems; report in {}",
            s.rows,
            s.valid,
            s.duplicates,
            s.rejected,
            out.display()
        );
    } else {
        println!(
            "{} rows ({} done before): {} created, {} likely duplicates to review, {} rejected; report in {}",
            s.rows,
            s.resumed,
            s.created,
            s.duplicates,
            s.rejected,
            out.display()
        );
    }
    store.close().await;
    Ok(())
}
