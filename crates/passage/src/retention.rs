//! `passage retention run`: anonymise every person whose every purpose's retention period
//! has run out since registration, unless a legal hold is on. Meant to run on a schedule
//! (cron, a systemd timer); each anonymisation is in the audit log.

use clap::Subcommand;
use passage_domain::access::Principal;
use passage_domain::data_protection::retention::RetentionPolicy;
use passage_store::{RetentionItem, Store};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

#[derive(Debug, Subcommand)]
pub enum RetentionCommand {
    /// Anonymise the registrations kept longer than their purposes allow; print each.
    Run {
        /// Retention periods in days that differ from the defaults, e.g.
        /// `registration=3650,assistance=1825` (purposes: registration,
        /// refugee_status_determination, child_protection, anti_trafficking, assistance,
        /// return).
        #[arg(long, env = "PASSAGE_RETENTION_DAYS")]
        days: Option<String>,
        /// List what would be anonymised, and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

fn date(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

fn line(verb: &str, item: &RetentionItem) -> String {
    let purposes: Vec<&str> = item.purposes.iter().map(|p| p.code()).collect();
    format!(
        "{verb} {} (person {}, registered {}, purposes {}, kept until {})",
        item.registration_number,
        item.person_id,
        date(item.registered_at),
        purposes.join(","),
        date(item.kept_until)
    )
}

pub async fn run(store: &Store, command: RetentionCommand) -> anyhow::Result<()> {
    match command {
        RetentionCommand::Run { days, dry_run } => {
            let policy = RetentionPolicy::with_overrides(days.as_deref().unwrap_or(""))
                .map_err(|e| anyhow::anyhow!("--days: {e}"))?;
            let operator = Principal::operator(OffsetDateTime::now_utc());
            println!("retention periods (days): {policy}");
            let report = store.run_retention(&operator, &policy, dry_run).await?;
            let verb = if dry_run {
                "would anonymise"
            } else {
                "anonymised"
            };
            for item in &report.due {
                println!("{}", line(verb, item));
            }
            for item in &report.held {
                println!("{}", line("kept (legal hold)", item));
            }
            if dry_run {
                println!(
                    "dry run: {} due, {} kept under a legal hold; nothing changed",
                    report.due.len(),
                    report.held.len()
                );
            } else {
                println!(
                    "{} anonymised, {} kept under a legal hold",
                    report.anonymised,
                    report.held.len()
                );
            }
            Ok(())
        }
    }
}
