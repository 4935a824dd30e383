//! `passage bench load`: a load and soak test on loopback. A real `passage serve` runs in a
//! child process over a fresh database seeded with a synthetic population; many simulated
//! users, each with an account and API token of its own, send a mix of reads and writes
//! (see [`mix`]) for a bounded time and request count. Prints throughput, latency
//! percentiles and errors for the warm-up and the steady phase apart, and the server's
//! resident memory over the run. Exits non-zero on any error.

mod mix;
mod server;
mod tally;
mod user;

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use passage_domain::access::{OrganisationDetails, OrganisationKind, Principal, Role};
use passage_server::{Clock, auth};
use passage_store::{NewUser, PersonFilter, Store};
use uuid::Uuid;

use super::synthetic::{self, Size};
use server::Server;
use tally::Tally;
use user::{Known, Pool, Shared, User};

#[derive(Debug, Args)]
pub struct LoadArgs {
    /// Simulated users, each sending its next request as soon as the last is answered.
    #[arg(long, default_value_t = 200)]
    users: usize,
    /// How long the users work, warm-up included: `300s`, `5m` or seconds.
    #[arg(long, default_value = "300s", value_parser = duration)]
    duration: Duration,
    /// The warm-up, reported apart (default: a tenth of the run, at most 30 s).
    #[arg(long, value_parser = duration)]
    warmup: Option<Duration>,
    /// Stop after this many requests in all, if the time has not run out first.
    #[arg(long)]
    requests: Option<u64>,
    /// Persons of the synthetic population registered before the users start.
    #[arg(long, default_value_t = 20_000)]
    persons: usize,
    /// An empty database to serve (a PostgreSQL URL, or a SQLite file); by default a
    /// fresh SQLite file in a temporary folder.
    #[arg(long)]
    database: Option<String>,
    /// A request not answered within this is a timeout error.
    #[arg(long, default_value = "10s", value_parser = duration)]
    timeout: Duration,
}

/// `300s`, `5m`, `1h` or a number of seconds.
fn duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (number, unit) = match s.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((at, _)) => s.split_at(at),
        None => (s, "s"),
    };
    let n: u64 = number
        .parse()
        .map_err(|_| format!("`{s}` is not a duration such as 300s or 5m"))?;
    match unit {
        "s" => Ok(Duration::from_secs(n)),
        "m" => Ok(Duration::from_secs(n * 60)),
        "h" => Ok(Duration::from_secs(n * 3600)),
        _ => Err(format!("`{s}`: the unit is s, m or h")),
    }
}

/// What the users need from the seeded database.
struct Seeded {
    tokens: Vec<String>,
    site: Uuid,
    arrival: Uuid,
    known: Vec<Known>,
}

/// One account and token per user (clerk, screening and assistance roles), the synthetic
/// population registered by the first of them, and a landing point for new arrivals.
async fn seed(store: &Store, args: &LoadArgs) -> anyhow::Result<Seeded> {
    let now = Clock::system().now();
    let operator = Principal::operator(now);
    if !store.population_feed(&operator, None, 1).await?.is_empty() {
        anyhow::bail!("the database already holds persons: give an empty one");
    }
    let org = store
        .create_organisation(
            &operator,
            OrganisationDetails {
                name: "Load test organisation".into(),
                kind: OrganisationKind::GovernmentAuthority,
                country: None,
                country_of_origin_authority: false,
            },
        )
        .await?;
    // Nobody logs in with a password: one unusable hash serves every account.
    let password_hash = auth::hash_password(&auth::new_secret("")?)?;
    let mut tokens = Vec::with_capacity(args.users);
    for i in 0..args.users {
        let username = format!("load.{i:04}");
        store
            .create_user(
                &operator,
                NewUser {
                    organisation_id: org.meta.id,
                    username: username.clone(),
                    display_name: username.clone(),
                    password_hash: password_hash.clone(),
                    roles: vec![
                        Role::RegistrationClerk,
                        Role::ScreeningOfficer,
                        Role::AssistanceOfficer,
                    ],
                },
            )
            .await?;
        let token = auth::new_secret("psg_")?;
        let expires = now + time::Duration::days(1);
        store
            .create_token(&username, "load", auth::digest(&token), None, expires, now)
            .await?;
        tokens.push(token);
    }
    let first = tokens.first().context("give at least one user")?;
    let registrar = store
        .token(&auth::digest(first), now)
        .await?
        .context("the first user's token was not found")?;
    let t = Instant::now();
    let size = Size {
        persons: args.persons,
        seed: 7,
    };
    let made = synthetic::generate(store, size, now, &registrar).await?;
    println!(
        "seeded {} persons in {} households in {:.1} s",
        made.persons,
        made.households,
        t.elapsed().as_secs_f64()
    );
    let (site, arrival) = super::site_and_arrival(store).await?;
    let mut known = Vec::with_capacity(made.persons);
    let mut cursor: Option<String> = None;
    loop {
        let page = store
            .persons(&registrar, &PersonFilter::default(), cursor.as_deref(), 500)
            .await?;
        known.extend(page.items.into_iter().map(|p| Known {
            person: p.meta.id,
            household: p.household_id,
            site: p.site_id,
            number: p.registration_number.to_string(),
            name: format!(
                "{} {}",
                p.details.given_name.as_deref().unwrap_or_default(),
                p.details.family_name.as_deref().unwrap_or_default()
            ),
        }));
        cursor = page.next_cursor;
        if cursor.is_none() {
            break;
        }
    }
    Ok(Seeded {
        tokens,
        site,
        arrival,
        known,
    })
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / 1_048_576.0
}

pub async fn run(args: LoadArgs) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("passage-load-{}", Uuid::now_v7()));
    std::fs::create_dir_all(&dir)?;
    let result = drive(&args, &dir).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn drive(args: &LoadArgs, dir: &std::path::Path) -> anyhow::Result<()> {
    let url = match &args.database {
        Some(url) => url.clone(),
        None => format!("sqlite://{}", dir.join("load.db").display()),
    };
    let warmup = args
        .warmup
        .unwrap_or((args.duration / 10).min(Duration::from_secs(30)));
    println!(
        "passage bench load: {} users for {} s ({} s warm-up){}, over HTTP on loopback",
        args.users,
        args.duration.as_secs(),
        warmup.as_secs(),
        args.requests
            .map(|n| format!(", at most {n} requests"))
            .unwrap_or_default()
    );
    let store = Store::open(&url)
        .await
        .context("cannot open the database")?;
    let seeded = seed(&store, args).await?;
    store.close().await;
    let server = Server::start(&url).await?;
    println!("server {} (a child process)", server.url);
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.users)
        .timeout(args.timeout)
        .build()?;
    let programme = create_programme(&http, &server.url, &seeded.tokens[0]).await?;
    let started = Instant::now();
    let shared = Arc::new(Shared {
        http,
        base: server.url.clone(),
        site: seeded.site,
        arrival: seeded.arrival,
        programme,
        pool: Mutex::new(Pool {
            known: seeded.known,
            heads: Vec::new(),
        }),
        next_head: AtomicUsize::new(0),
        sent: AtomicU64::new(0),
        errors: AtomicU64::new(0),
        budget: args.requests,
        warm_until: started + warmup,
        stop_at: started + args.duration,
    });
    let mut users = Vec::with_capacity(args.users);
    for (i, token) in seeded.tokens.into_iter().enumerate() {
        let user = User::new(shared.clone(), token, i as u64)?;
        users.push(tokio::spawn(user.run()));
    }
    let memory = watch(&server, &shared, started, &users).await;
    let mut phases = [Tally::new()?, Tally::new()?];
    let mut last = started;
    for u in users {
        let (tallies, done) = u.await?;
        for (mine, theirs) in phases.iter_mut().zip(&tallies) {
            mine.merge(theirs);
        }
        last = last.max(done);
    }
    let ended = last - started;
    server.stop().await?;
    println!();
    let warm = warmup.min(ended);
    phases[0].print("warm-up", warm);
    phases[1].print("steady", ended.saturating_sub(warm));
    memory.print(warm);
    let errors = phases[0].errors() + phases[1].errors();
    println!(
        "target (steady phase): zero errors {}, p99 under 100 ms {} ({:.1} ms)",
        if errors == 0 { "met" } else { "NOT met" },
        if phases[1].p99_ms() < 100.0 {
            "met"
        } else {
            "NOT met"
        },
        phases[1].p99_ms()
    );
    if errors > 0 {
        anyhow::bail!("{errors} requests failed");
    }
    Ok(())
}

/// An assistance programme the users distribute: a hygiene kit, once a day per person.
async fn create_programme(
    http: &reqwest::Client,
    base: &str,
    token: &str,
) -> anyhow::Result<String> {
    let r = http
        .post(format!("{base}/api/v1/programmes"))
        .bearer_auth(token)
        .timeout(Duration::from_secs(120))
        .json(
            &serde_json::json!({"code": "LOAD-KIT", "name": "Hygiene kit", "item": "one kit",
            "beneficiary": "person", "frequency": {"kind": "every", "days": 1}}),
        )
        .send()
        .await?;
    let status = r.status();
    let body: serde_json::Value = r.json().await?;
    if status != reqwest::StatusCode::CREATED {
        anyhow::bail!("creating the programme answered {status}: {body}");
    }
    body["id"]
        .as_str()
        .map(str::to_owned)
        .context("the programme has no id")
}

/// The server's resident memory, sampled every two seconds from the start.
struct Memory {
    samples: Vec<(Duration, u64)>,
}

/// Samples memory and prints a progress line every ten seconds until the users are done.
async fn watch(
    server: &Server,
    shared: &Shared,
    started: Instant,
    users: &[tokio::task::JoinHandle<([Tally; 2], Instant)>],
) -> Memory {
    let mut samples = Vec::new();
    let mut tick = tokio::time::interval(Duration::from_secs(2));
    let mut last_sent = 0;
    let mut last_line = Duration::ZERO;
    loop {
        tick.tick().await;
        let at = started.elapsed();
        if let Some(rss) = server.resident_bytes() {
            samples.push((at, rss));
        }
        if users.iter().all(|u| u.is_finished()) {
            break;
        }
        if at - last_line >= Duration::from_secs(10) {
            let sent = shared.sent.load(Ordering::Relaxed);
            eprintln!(
                "{:>5.0} s  {:>9} requests  {:>6.0} req/s  {} errors  server {:.0} MiB",
                at.as_secs_f64(),
                sent,
                (sent - last_sent) as f64 / (at - last_line).as_secs_f64(),
                shared.errors.load(Ordering::Relaxed),
                samples.last().map_or(0.0, |s| mib(s.1))
            );
            last_sent = sent;
            last_line = at;
        }
    }
    Memory { samples }
}

impl Memory {
    /// Prints the memory at the start, at the end of the warm-up, at each tenth of the
    /// steady phase and at the end, with the growth after the warm-up.
    fn print(&self, warmup: Duration) {
        let (Some(first), Some(last)) = (self.samples.first(), self.samples.last()) else {
            println!("server memory: not measurable here");
            return;
        };
        let at = |t: Duration| {
            self.samples
                .iter()
                .rev()
                .find(|(when, _)| *when <= t)
                .unwrap_or(first)
        };
        let warm = at(warmup);
        let steady = last.0.saturating_sub(warm.0);
        let series: Vec<String> = (0..=10)
            .map(|k| {
                let s = at(warm.0 + steady * k / 10);
                format!("{:.0}", mib(s.1))
            })
            .collect();
        let peak = self.samples.iter().map(|s| s.1).max().unwrap_or(0);
        let growth = last.1 as f64 - warm.1 as f64;
        println!(
            "server memory (VmRSS): {:.1} MiB at start, {:.1} MiB after warm-up, {:.1} MiB at the end, peak {:.1} MiB; growth after warm-up {:+.1} MiB ({:+.1}%)",
            mib(first.1),
            mib(warm.1),
            mib(last.1),
            mib(peak),
            growth / 1_048_576.0,
            100.0 * growth / warm.1.max(1) as f64
        );
        println!(
            "  MiB at each tenth of the steady phase: {}",
            series.join(" ")
        );
    }
}

#[cfg(test)]
mod tests {
    use super::duration;
    use std::time::Duration;

    #[test]
    fn durations_read_as_written_on_the_command_line() {
        assert_eq!(duration("300s"), Ok(Duration::from_secs(300)));
        assert_eq!(duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(duration("45"), Ok(Duration::from_secs(45)));
        assert!(duration("5 minutes").is_err());
        assert!(duration("s").is_err());
    }
}
