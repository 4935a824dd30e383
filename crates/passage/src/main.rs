//! `passage`: registration for mixed movements. Serves the API, builds the demo, runs
//! migrations, prints tokens, and measures itself.

mod backup;
mod bench;
mod care;
mod dedup;
mod demo;
mod import;
mod retention;
mod stats;
mod users;

use std::net::SocketAddr;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use passage_server::{AppState, Clock};
use passage_store::Store;

/// Registration for mixed movements: register every person once, verify documents, and
/// share accurate numbers.
#[derive(Debug, Parser)]
#[command(name = "passage", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the JSON API (and /healthz) until interrupted.
    Serve(ServeArgs),
    /// Fill the database with a demo scenario (a night-time sea landing in Aceh, returnees
    /// at the Entikong border post) and serve it.
    Demo {
        #[command(flatten)]
        serve: ServeArgs,
        /// Build the scenario and exit without serving.
        #[arg(long)]
        no_serve: bool,
    },
    /// Bring the database schema up to date and exit.
    Migrate {
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Write the printable token (SVG with a QR code) of a registration number.
    Token {
        /// The registration number, e.g. PDE-000012-7.
        number: String,
        #[command(flatten)]
        db: DatabaseArg,
        /// Where to write the SVG; standard output when left out.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Create the first organisation and its administrator in an empty database.
    Init {
        #[command(flatten)]
        db: DatabaseArg,
        /// The organisation's name.
        #[arg(long)]
        organisation: String,
        /// government_authority, un_agency, ngo or service_provider.
        #[arg(long, default_value = "government_authority")]
        kind: String,
        #[arg(long, default_value = "admin")]
        username: String,
    },
    /// Manage users and API tokens.
    Users {
        #[command(flatten)]
        db: DatabaseArg,
        #[command(subcommand)]
        command: users::UsersCommand,
    },
    /// Print the permission table: what each role may do.
    Roles,
    /// Check the audit log, or list who saw or changed a record.
    Audit {
        #[command(flatten)]
        db: DatabaseArg,
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Anonymise registrations kept longer than their purposes allow (see `retention run
    /// --help` for the periods).
    Retention {
        #[command(flatten)]
        db: DatabaseArg,
        #[command(subcommand)]
        command: retention::RetentionCommand,
    },
    /// Reports of reception and care: occupancy, incidents (MMP), distribution lists.
    Care {
        #[command(flatten)]
        db: DatabaseArg,
        #[command(subcommand)]
        command: care::CareCommand,
    },
    /// A disaggregated table (population, arrivals, dead_and_missing),
    /// disclosure-controlled, as CSV, HXL or JSON.
    Stats {
        #[command(flatten)]
        db: DatabaseArg,
        #[command(flatten)]
        args: stats::StatsArgs,
    },
    /// The same tables as `stats`, written for sharing: `passage export population
    /// --format hxl --out population.csv`.
    Export {
        #[command(flatten)]
        db: DatabaseArg,
        #[command(flatten)]
        args: stats::StatsArgs,
    },
    /// Find the duplicates in a CSV file of persons (scored pairs and clusters), or among
    /// the registered persons of the database (into the review queue).
    Dedup {
        #[command(flatten)]
        args: dedup::DedupArgs,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Import a CSV or XLSX list of registrations into an arrival: a dry run, or an
    /// import of the valid rows (or all or nothing), with a report by row and column.
    Import {
        #[command(flatten)]
        args: import::ImportArgs,
        #[command(flatten)]
        db: DatabaseArg,
    },
    /// Write a consistent copy of the database while the server keeps serving: a SQLite
    /// file, or a pg_dump archive of PostgreSQL.
    Backup {
        #[command(flatten)]
        db: DatabaseArg,
        #[command(flatten)]
        args: backup::BackupArgs,
    },
    /// Bring a backup back into an empty database (or replace one with --force), then
    /// verify the audit chain.
    Restore {
        #[command(flatten)]
        db: DatabaseArg,
        #[command(flatten)]
        args: backup::RestoreArgs,
    },
    /// Measure Passage; prints figures.
    Bench {
        #[command(subcommand)]
        what: bench::Bench,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Recompute the hash chain; name every edited, deleted, inserted or reordered entry.
    /// Exits with status 1 when the log was tampered with.
    Verify,
    /// Who read or changed a record (a person, household, document … id), newest first.
    Show {
        id: String,
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
}

#[derive(Debug, Args)]
struct DatabaseArg {
    /// A SQLite file (passage.db, sqlite://path) or a PostgreSQL URL (postgres://…).
    #[arg(
        long,
        env = "PASSAGE_DATABASE_URL",
        default_value = "passage.db",
        global = true
    )]
    database: String,
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Address to listen on; port 0 picks a free port (the address is printed).
    #[arg(long, env = "PASSAGE_BIND", default_value = "127.0.0.1:8080")]
    bind: SocketAddr,
    #[command(flatten)]
    db: DatabaseArg,
    /// Mark the session cookie Secure: set this when clients reach Passage over TLS
    /// (directly or through a proxy that terminates TLS).
    #[arg(long, env = "PASSAGE_SECURE_COOKIES")]
    secure_cookies: bool,
}

impl ServeArgs {
    fn auth(&self) -> passage_server::auth::AuthConfig {
        passage_server::auth::AuthConfig {
            secure_cookies: self.secure_cookies,
            ..Default::default()
        }
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("PASSAGE_LOG")
                .unwrap_or_else(|_| "passage=info,warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().command {
        Command::Serve(args) => {
            let store = open(&args.db.database).await?;
            serve(store, args.bind, args.auth(), |_| {}).await
        }
        Command::Demo {
            serve: args,
            no_serve,
        } => {
            let store = open(&args.db.database).await?;
            demo::build(&store, Clock::system()).await?;
            if no_serve {
                return Ok(());
            }
            serve(store, args.bind, args.auth(), demo::print_tour).await
        }
        Command::Migrate { db } => {
            let backend = passage_store::migrate_only(&db.database)
                .await
                .with_context(|| "migration failed")?;
            println!("schema up to date ({backend:?})");
            Ok(())
        }
        Command::Token { number, db, out } => {
            let number = passage_domain::regno::RegistrationNumber::parse(&number)?;
            let store = open(&db.database).await?;
            let person = store
                .person_by_number(
                    &passage_domain::access::Principal::operator(time::OffsetDateTime::now_utc()),
                    &number,
                )
                .await?
                .with_context(|| format!("no person has registration number {number}"))?;
            let svg =
                passage_server::token::card(&person.registration_number, "Passage registration")?;
            match out {
                Some(path) => std::fs::write(&path, svg)
                    .with_context(|| format!("cannot write {}", path.display()))?,
                None => print!("{svg}"),
            }
            Ok(())
        }
        Command::Init {
            db,
            organisation,
            kind,
            username,
        } => {
            let kind = passage_domain::access::OrganisationKind::from_code(&kind)
                .with_context(|| format!("unknown organisation kind {kind}"))?;
            users::init(&open(&db.database).await?, &organisation, kind, &username).await
        }
        Command::Users { db, command } => users::run(&open(&db.database).await?, command).await,
        Command::Roles => {
            print!("{}", passage_domain::access::describe());
            Ok(())
        }
        Command::Audit { db, command } => audit(&open(&db.database).await?, command).await,
        Command::Retention { db, command } => {
            retention::run(&open(&db.database).await?, command).await
        }
        Command::Care { db, command } => care::run(&open(&db.database).await?, command).await,
        Command::Stats { db, args } | Command::Export { db, args } => {
            stats::run(&open(&db.database).await?, args).await
        }
        Command::Dedup { args, db } => dedup::run(args, &db.database).await,
        Command::Import { args, db } => import::run(open(&db.database).await?, args).await,
        Command::Backup { db, args } => backup::backup(&db.database, args).await,
        Command::Restore { db, args } => backup::restore(&db.database, args).await,
        Command::Bench { what } => bench::run(what).await,
    }
}

async fn audit(store: &Store, command: AuditCommand) -> anyhow::Result<()> {
    match command {
        AuditCommand::Verify => report_audit(&store.verify_audit().await?),
        AuditCommand::Show { id, limit } => {
            let operator =
                passage_domain::access::Principal::operator(time::OffsetDateTime::now_utc());
            for (seq, e) in store.audit_of(&operator, &id, limit).await? {
                let at =
                    e.at.format(&time::format_description::well_known::Rfc3339)
                        .unwrap_or_default();
                println!(
                    "{seq:>8} {at} {:<10} {:<28} {:<30} {}",
                    e.action,
                    e.actor,
                    e.role.as_deref().unwrap_or("-"),
                    e.purpose.as_deref().unwrap_or("-")
                );
            }
            Ok(())
        }
    }
}

/// Prints what verifying the audit chain found; an error when it was tampered with.
fn report_audit(report: &passage_store::AuditReport) -> anyhow::Result<()> {
    if report.problems.is_empty() {
        println!(
            "audit log intact: {} entries, every hash and link verified",
            report.entries
        );
        return Ok(());
    }
    for problem in &report.problems {
        println!("{problem}");
    }
    anyhow::bail!(
        "audit log tampered with: {} problem(s) in {} entries",
        report.problems.len(),
        report.entries
    )
}

async fn open(url: &str) -> anyhow::Result<Store> {
    Store::open(url)
        .await
        .with_context(|| "cannot open the database")
}

/// Binds first, prints the address (scripts read it), then serves until Ctrl-C or SIGTERM.
async fn serve(
    store: Store,
    bind: SocketAddr,
    auth: passage_server::auth::AuthConfig,
    after_bind: impl FnOnce(&str),
) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    let url = format!("http://{}", listener.local_addr()?);
    println!("passage listening on {url}");
    after_bind(&url);
    let state = AppState {
        store: store.clone(),
        clock: Clock::system(),
        auth,
        throttle: Default::default(),
        matcher: std::sync::Arc::new(passage_server::matcher::Matcher::load(&store).await?),
        population: Default::default(),
    };
    passage_server::serve(listener, state, passage_web::pages(), shutdown()).await?;
    store.close().await;
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
