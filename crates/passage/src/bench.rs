//! `passage bench register`: registrations over real HTTP at several concurrency levels,
//! on SQLite and (when given) PostgreSQL, printing registrations per second and latency.

mod candidates;
mod import;
mod load;
mod stats;
mod synthetic;

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Args, Subcommand};
use passage_domain::access::{OrganisationDetails, OrganisationKind, Principal, Role};
use passage_domain::arrival::{ArrivalDetails, ArrivalMode};
use passage_domain::codes::Country;
use passage_domain::regno::SiteCode;
use passage_domain::site::{SiteDetails, SiteKind};
use passage_server::{AppState, Clock, auth};
use passage_store::NewUser;
use passage_store::Store;
use tokio::sync::oneshot;
use uuid::Uuid;

#[derive(Debug, Subcommand)]
pub enum Bench {
    /// Register persons over HTTP at concurrency 1, 8 and 64 (by default) and print
    /// persons per second with p50/p99 latency, for each database.
    Register(RegisterArgs),
    /// Build the live candidate index over the persons of a CSV file and time the top
    /// ten candidates of registrations against it; prints build time, memory, latency.
    Candidates(candidates::CandidatesArgs),
    /// Generate a synthetic population (1M persons by default) and time the population
    /// and monthly arrivals tables on each database, side by side with DuckDB on Parquet.
    Stats(stats::StatsArgs),
    /// Write a synthetic CSV of registrations (1,000,000 rows by default) and import it
    /// into SQLite with validation and matching; prints rows per second and peak memory.
    Import(import::ImportArgs),
    /// Load and soak: many users (200 by default) send a mix of reads and writes to a real
    /// server for a bounded time; prints req/s, p50/p95/p99 latency, errors and the
    /// server's memory over the run, and exits non-zero on any error.
    Load(load::LoadArgs),
}

#[derive(Debug, Args)]
pub struct RegisterArgs {
    /// Registrations per concurrency level.
    #[arg(long, default_value_t = 5000)]
    requests: usize,
    /// Concurrency levels, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1,8,64")]
    concurrency: Vec<usize>,
    /// Also run against this PostgreSQL database (its tables are added to, not dropped).
    #[arg(long, env = "PASSAGE_BENCH_PG_URL")]
    postgres: Option<String>,
}

pub async fn run(bench: Bench) -> anyhow::Result<()> {
    match bench {
        Bench::Register(args) => register(args).await,
        Bench::Candidates(args) => tokio::task::block_in_place(|| candidates::run(args)),
        Bench::Stats(args) => stats::run(args).await,
        Bench::Import(args) => import::run(args).await,
        Bench::Load(args) => load::run(args).await,
    }
}

async fn register(args: RegisterArgs) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("passage-bench-{}", Uuid::now_v7()));
    std::fs::create_dir_all(&dir)?;
    let sqlite = format!("sqlite://{}", dir.join("bench.db").display());
    let mut targets = vec![("sqlite", sqlite)];
    if let Some(pg) = args.postgres.clone() {
        targets.push(("postgres", pg));
    }
    println!(
        "passage bench register: {} single-person households per level, over HTTP on loopback",
        args.requests
    );
    println!(
        "{:<9} {:>11} {:>12} {:>9} {:>9} {:>9}",
        "database", "concurrency", "persons/s", "p50 ms", "p99 ms", "errors"
    );
    let result = async {
        let mut failed = 0;
        for (name, url) in &targets {
            let store = Store::open(url)
                .await
                .with_context(|| format!("cannot open {name}"))?;
            for &c in &args.concurrency {
                let r = drive(&store, c, args.requests).await?;
                println!(
                    "{:<9} {:>11} {:>12.0} {:>9.2} {:>9.2} {:>9}",
                    name, c, r.per_second, r.p50_ms, r.p99_ms, r.errors
                );
                failed += r.errors;
            }
            store.close().await;
        }
        if failed > 0 {
            anyhow::bail!("{failed} registrations were not accepted");
        }
        anyhow::Ok(())
    }
    .await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

struct Figures {
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    errors: usize,
}

/// Serves `store` on a free loopback port and registers `total` households of one person
/// with `concurrency` clients, each waiting for its answer before sending the next.
async fn drive(store: &Store, concurrency: usize, total: usize) -> anyhow::Result<Figures> {
    let clock = Clock::system();
    let now = clock.now();
    let code = bench_site_code();
    let operator = Principal::operator(now);
    let org = store
        .create_organisation(
            &operator,
            OrganisationDetails {
                name: format!("Benchmark organisation {code}"),
                kind: OrganisationKind::GovernmentAuthority,
                country: None,
                country_of_origin_authority: false,
            },
        )
        .await?;
    let clerk = format!("bench.{}", code.to_lowercase());
    let new = NewUser {
        organisation_id: org.meta.id,
        username: clerk.clone(),
        display_name: clerk.clone(),
        password_hash: auth::hash_password(&auth::new_secret("")?)?,
        roles: vec![Role::RegistrationClerk],
    };
    store.create_user(&operator, new).await?;
    let token = auth::new_secret("psg_")?;
    store
        .create_token(
            &clerk,
            "bench",
            auth::digest(&token),
            None,
            now + time::Duration::hours(1),
            now,
        )
        .await?;
    let (_, arrival_id) = site_and_arrival_coded(store, &code).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/api/v1/households", listener.local_addr()?);
    let (stop, stopped) = oneshot::channel::<()>();
    let state = AppState {
        store: store.clone(),
        clock,
        auth: auth::AuthConfig::default(),
        throttle: Default::default(),
        matcher: std::sync::Arc::new(passage_server::matcher::Matcher::load(store).await?),
        population: Default::default(),
    };
    let server = tokio::spawn(passage_server::serve(
        listener,
        state,
        passage_web::pages(),
        async {
            let _ = stopped.await;
        },
    ));
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency)
        .build()?;
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let (client, url, next, token) = (client.clone(), url.clone(), next.clone(), token.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0usize;
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= total {
                    break;
                }
                let body = serde_json::json!({
                    "arrival_id": arrival_id,
                    "size": 1,
                    "head": head(i),
                });
                let t = Instant::now();
                match client
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await
                {
                    Ok(r) if r.status() == reqwest::StatusCode::CREATED => {
                        latencies.push(t.elapsed())
                    }
                    Ok(r) => {
                        if errors == 0 {
                            let status = r.status();
                            let text = r.text().await.unwrap_or_default();
                            eprintln!("registration {i} answered {status}: {text}");
                        }
                        errors += 1;
                    }
                    Err(e) => {
                        if errors == 0 {
                            eprintln!("registration {i} failed: {e}");
                        }
                        errors += 1;
                    }
                }
            }
            (latencies, errors)
        }));
    }
    let mut latencies: Vec<Duration> = Vec::with_capacity(total);
    let mut errors = 0;
    for w in workers {
        let (l, e) = w.await?;
        latencies.extend(l);
        errors += e;
    }
    let elapsed = started.elapsed();
    let _ = stop.send(());
    server.await??;
    latencies.sort();
    let pct = |p: f64| {
        let i = ((latencies.len() as f64 * p).ceil() as usize).saturating_sub(1);
        latencies.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    Ok(Figures {
        per_second: latencies.len() as f64 / elapsed.as_secs_f64(),
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        errors,
    })
}

/// The `i`th of many different people (given names with different consonants, family
/// names and dates of birth apart): the same
/// person twice would be a likely duplicate, refused until decided.
fn head(i: usize) -> serde_json::Value {
    const GIVEN: [&str; 16] = [
        "Nur", "Rashida", "Hasina", "Fatema", "Rahima", "Jannat", "Sokina", "Asma", "Yasmin",
        "Khadija", "Shamima", "Rokeya", "Taslima", "Nasima", "Dilara", "Monowara",
    ];
    const SYLLABLES: [&str; 16] = [
        "ka", "ri", "mo", "su", "ne", "ta", "lo", "bi", "de", "fu", "ga", "ho", "ja", "pe", "vi",
        "zu",
    ];
    let family: String = [i / 16 % 16, i / 256 % 16, i / 4096 % 16, i / 65536 % 16]
        .iter()
        .map(|&k| SYLLABLES[k])
        .collect();
    serde_json::json!({
        "given_name": GIVEN[i % 16], "family_name": family, "sex": "F",
        "date_of_birth": {
            "date": format!("{}-{:02}-{:02}", 1940 + i % 70, 1 + i / 70 % 12, 1 + i / 840 % 28),
            "precision": "exact"
        },
        "nationalities": ["stateless"], "languages": ["rhg"]
    })
}

/// A benchmark landing point (a fresh code) and a sea arrival there.
pub async fn site_and_arrival(store: &Store) -> anyhow::Result<(Uuid, Uuid)> {
    site_and_arrival_coded(store, &bench_site_code()).await
}

async fn site_and_arrival_coded(store: &Store, code: &str) -> anyhow::Result<(Uuid, Uuid)> {
    let now = Clock::system().now();
    let operator = Principal::operator(now);
    let site = store
        .create_site(
            &operator,
            SiteDetails {
                code: SiteCode::try_from(code.to_owned()).map_err(anyhow::Error::msg)?,
                name: "Benchmark landing point".into(),
                kind: SiteKind::LandingPoint,
                country: Country::try_from("IDN".to_owned()).map_err(anyhow::Error::msg)?,
                admin_pcode: None,
                coordinates: None,
                capacity: 0,
                closed: false,
            },
        )
        .await?;
    let arrival = store
        .create_arrival(
            &operator,
            ArrivalDetails {
                site_id: site.meta.id,
                mode: ArrivalMode::Sea,
                arrived_at: now,
                route: None,
                origin: None,
                origin_country: None,
                persons_reported: None,
                incident_id: None,
                notes: None,
            },
        )
        .await?;
    Ok((site.meta.id, arrival.meta.id))
}

/// A fresh site code for each run, so that runs against one PostgreSQL database do not
/// collide: four letters of the registration alphabet.
fn bench_site_code() -> String {
    const LETTERS: &[u8] = b"ABCDEFGHJKMNPQRSTVWXYZ";
    let mut rng = fastrand::Rng::new();
    (0..4)
        .map(|_| char::from(LETTERS[rng.usize(..LETTERS.len())]))
        .collect()
}
