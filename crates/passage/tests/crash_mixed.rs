//! Crash safety under a mixed workload: the real binary is killed with SIGKILL at a random
//! moment while clients register households, screen persons, move asylum cases on, give a
//! one-off assistance and import a CSV list, all at once; then it restarts on the same
//! database. Trial after trial: every acknowledged write is there with what was sent, no
//! household or case is there in part, the audit log verifies, nobody received the
//! one-off twice, the match index finds every acknowledged person, and the import, sent
//! again, creates nobody twice.
//!
//! `PASSAGE_CRASH_TRIALS` sets the trials per database (10 by default) and
//! `PASSAGE_CRASH_SEED` the seed of the random kill times (printed, to replay a run).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "crash_mixed/check.rs"]
mod check;
mod common;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use passage_store::testing::{self, TestDb};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use tokio::process::Child;

use check::Acked;
use common::{clerk, cli, kill, post, site_and_arrival, start};

const ROLES: &str =
    "registration_clerk,site_manager,screening_officer,asylum_caseworker,assistance_officer";

/// Households in the CSV list of each trial; long enough that the kill often lands in it.
const LISTED: usize = 60;

/// A person nobody else in this run is named like: given name, family name of four
/// syllables, year of birth, sex.
fn person(n: usize) -> (String, String, String, &'static str) {
    const GIVEN: [&str; 8] = [
        "Rashida", "Zubair", "Aung", "Senait", "Farida", "Idris", "Halima", "Tariq",
    ];
    const SYLLABLES: [&str; 12] = [
        "ka", "ri", "mo", "su", "ne", "ta", "lo", "bi", "de", "fu", "ga", "ho",
    ];
    let family: String = [n / 8, n / 96, n / 1152, n / 13_824]
        .iter()
        .map(|&i| SYLLABLES[i % 12])
        .collect();
    let sex = if n.is_multiple_of(2) { "F" } else { "M" };
    (
        GIVEN[n % 8].to_owned(),
        family,
        format!("{}", 1950 + n % 50),
        sex,
    )
}

fn details(n: usize) -> Value {
    let (given, family, year, sex) = person(n);
    json!({
        "given_name": given, "family_name": family, "sex": sex,
        "date_of_birth": {"date": format!("{year}-01-01"), "precision": "year_only"},
        "nationalities": ["stateless"], "languages": ["rhg"]
    })
}

/// What the clients share: the server, the ids they need, who may be screened, given
/// to or have a case opened, and the next person's number.
struct World {
    client: Client,
    url: String,
    site: String,
    arrival: String,
    programme: String,
    pool: Mutex<Vec<String>>,
    next: Arc<AtomicUsize>,
    killed: AtomicBool,
}

impl World {
    fn take(&self) -> Option<String> {
        self.pool.lock().unwrap().pop()
    }

    /// A person from the pool, once there is one; None once the server is killed.
    async fn person_to_work_on(&self) -> Option<String> {
        loop {
            if let Some(p) = self.take() {
                return Some(p);
            }
            if self.killed.load(Ordering::Relaxed) {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

/// Registers households of three until the server dies; each one acknowledged goes to the
/// pool of persons to work on.
async fn registrations(w: Arc<World>) -> Acked {
    let mut acked = Acked::default();
    loop {
        let n = w.next.fetch_add(3, Ordering::Relaxed);
        let people = [details(n), details(n + 1), details(n + 2)];
        let body = json!({
            "arrival_id": w.arrival,
            "head": people[0],
            "members": [
                {"relationship": "child", "person": people[1]},
                {"relationship": "child", "person": people[2]}
            ]
        });
        let Ok(r) = w
            .client
            .post(format!("{}/api/v1/households", w.url))
            .json(&body)
            .send()
            .await
        else {
            return acked;
        };
        if r.status() != StatusCode::CREATED {
            continue;
        }
        let Ok(h) = r.json::<Value>().await else {
            return acked;
        };
        let head = h["head_person_id"].as_str().unwrap().to_owned();
        w.pool.lock().unwrap().push(head.clone());
        acked.households.push(check::Household {
            id: h["id"].as_str().unwrap().to_owned(),
            head,
            people: people.to_vec(),
        });
    }
}

/// Screens persons from the pool until the server dies.
async fn screenings(w: Arc<World>) -> Acked {
    let mut acked = Acked::default();
    loop {
        let Some(person) = w.person_to_work_on().await else {
            return acked;
        };
        let answers = json!({"stated_age": 30, "reasons_for_leaving": ["conflict"],
            "fear_of_return": false, "wants_asylum": false});
        let Ok(r) = w
            .client
            .post(format!("{}/api/v1/persons/{person}/screenings", w.url))
            .json(&json!({"questionnaire": "screening", "questionnaire_version": 2, "answers": answers}))
            .send()
            .await
        else {
            return acked;
        };
        if r.status() == StatusCode::CREATED {
            let Ok(s) = r.json::<Value>().await else {
                return acked;
            };
            acked
                .screenings
                .push((s["id"].as_str().unwrap().to_owned(), person));
        }
    }
}

/// Opens asylum cases on persons from the pool and moves each through an interview, until
/// the server dies; notes each case as last acknowledged.
async fn cases(w: Arc<World>) -> Acked {
    let mut acked = Acked::default();
    loop {
        let Some(person) = w.person_to_work_on().await else {
            return acked;
        };
        let Ok(r) = w
            .client
            .post(format!("{}/api/v1/persons/{person}/cases", w.url))
            .json(&json!({"kind": "asylum", "reason": "fear of persecution"}))
            .send()
            .await
        else {
            return acked;
        };
        if r.status() != StatusCode::CREATED {
            continue;
        }
        let Ok(mut case) = r.json::<Value>().await else {
            return acked;
        };
        let id = case["id"].as_str().unwrap().to_owned();
        acked.cases.insert(id.clone(), check::case_as_acked(&case));
        for event in ["schedule_interview", "interview"] {
            let body = json!({"event": event, "version": case["version"], "reason": "crash test"});
            let Ok(r) = w
                .client
                .post(format!("{}/api/v1/cases/{id}/transitions", w.url))
                .json(&body)
                .send()
                .await
            else {
                return acked;
            };
            if r.status() != StatusCode::OK {
                break;
            }
            let Ok(next) = r.json::<Value>().await else {
                return acked;
            };
            case = next;
            acked.cases.insert(id.clone(), check::case_as_acked(&case));
        }
    }
}

/// Gives the one-off programme to persons from the pool, each twice at once, until the
/// server dies.
async fn distributions(w: Arc<World>) -> Acked {
    let mut acked = Acked::default();
    loop {
        let Some(person) = w.person_to_work_on().await else {
            return acked;
        };
        let body = json!({"programme_id": w.programme, "person_id": person, "site_id": w.site});
        let give = || {
            w.client
                .post(format!("{}/api/v1/distributions", w.url))
                .json(&body)
                .send()
        };
        let (a, b) = tokio::join!(give(), give());
        let mut died = false;
        for r in [a, b] {
            let Ok(r) = r else {
                died = true;
                continue;
            };
            if r.status() == StatusCode::CREATED || r.status() == StatusCode::ACCEPTED {
                match r.json::<Value>().await {
                    Ok(d) => acked
                        .distributions
                        .push((d["id"].as_str().unwrap().to_owned(), person.clone())),
                    Err(_) => died = true,
                }
            }
        }
        if died {
            return acked;
        }
    }
}

/// The CSV list of one trial: `LISTED` households of one or two persons numbered from
/// `first`.
fn list(first: usize) -> (String, Vec<(String, String)>) {
    let mut csv = String::from(
        "household,relationship,given_name,family_name,sex,date_of_birth,dob_precision,nationality\n",
    );
    let mut names = Vec::new();
    let mut n = first;
    for h in 0..LISTED {
        for member in 0..=(h % 2) {
            let (given, family, year, sex) = person(n);
            let relationship = if member == 0 { "" } else { "child" };
            csv.push_str(&format!(
                "H{h},{relationship},{given},{family},{sex},{year}-01-01,year_only,MMR\n"
            ));
            names.push((given, family));
            n += 1;
        }
    }
    (csv, names)
}

async fn send_list(client: &Client, url: &str, arrival: &str, csv: &str) -> Option<Value> {
    let r = client
        .post(format!("{url}/api/v1/imports?arrival_id={arrival}"))
        .header(reqwest::header::CONTENT_TYPE, "text/csv")
        .body(csv.to_owned())
        .send()
        .await
        .ok()?;
    assert!(
        r.status() == StatusCode::OK || r.status().is_server_error(),
        "the import was refused: {}",
        r.status()
    );
    if r.status() != StatusCode::OK {
        return None;
    }
    r.json().await.ok()
}

/// Tallies over all trials of one database.
#[derive(Default)]
struct Tally {
    households: usize,
    screenings: usize,
    cases: usize,
    transitions: usize,
    distributions: usize,
    /// Imports the kill left unanswered, and of those, how many had committed.
    imports_cut: usize,
    imports_cut_committed: usize,
    databases: usize,
    /// Persons in the database of the last trial.
    persons_now: usize,
}

/// One trial: the mixed workload, the list sent after `import_after`, SIGKILL after
/// `delay`, the checks on the server restarted, which is returned with the world it serves.
async fn trial(
    db: &TestDb,
    server: Child,
    w: Arc<World>,
    (delay, import_after): (Duration, Duration),
    tally: &mut Tally,
) -> (Child, Arc<World>) {
    let first = w.next.fetch_add(2 * LISTED, Ordering::Relaxed);
    let (csv, listed) = list(first);
    let mut clients = Vec::new();
    for _ in 0..6 {
        clients.push(tokio::spawn(registrations(w.clone())));
    }
    clients.push(tokio::spawn(screenings(w.clone())));
    clients.push(tokio::spawn(cases(w.clone())));
    clients.push(tokio::spawn(distributions(w.clone())));
    clients.push(tokio::spawn(distributions(w.clone())));
    let import = {
        let (client, url, arrival, csv) = (
            w.client.clone(),
            w.url.clone(),
            w.arrival.clone(),
            csv.clone(),
        );
        tokio::spawn(async move {
            tokio::time::sleep(import_after).await;
            send_list(&client, &url, &arrival, &csv).await
        })
    };
    tokio::time::sleep(delay).await;
    kill(server).await;
    w.killed.store(true, Ordering::Relaxed);
    let mut acked = Acked::default();
    for c in clients {
        acked.extend(c.await.unwrap());
    }
    let imported = import.await.unwrap();

    let verified = cli(&db.url, &["audit", "verify"]).await;
    assert!(verified.contains("audit log intact"), "{verified}");

    let (server, url) = start(db).await;
    let rows = testing::rows(&db.url).await;
    tally.persons_now = rows["persons"].rows.len();
    let before = check::present(&rows, &listed);
    if imported.is_none() {
        tally.imports_cut += 1;
        if before > 0 {
            tally.imports_cut_committed += 1;
        }
    }
    check::whole(&rows, db.backend);
    check::acknowledged(&rows, &acked, db.backend);
    check::match_index(&w.client, &url, &rows, &acked).await;

    let resent = send_list(&w.client, &url, &w.arrival, &csv)
        .await
        .expect("the list sent again after the restart");
    let rows = testing::rows(&db.url).await;
    check::imported_once(&rows, &listed, &[imported, Some(resent)], db.backend);

    tally.households += acked.households.len();
    tally.screenings += acked.screenings.len();
    tally.cases += acked.cases.len();
    tally.transitions += acked.cases.values().map(|c| c.transitions).sum::<usize>();
    tally.distributions += acked.distributions.len();
    // Persons not worked on yet wait for the next trial; those worked on are done.
    let pool = w.pool.lock().unwrap().split_off(0);
    let w = World {
        client: w.client.clone(),
        url,
        site: w.site.clone(),
        arrival: w.arrival.clone(),
        programme: w.programme.clone(),
        pool: Mutex::new(pool),
        next: w.next.clone(),
        killed: AtomicBool::new(false),
    };
    (server, Arc::new(w))
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| {
        v.parse()
            .unwrap_or_else(|_| panic!("{name}={v} is not a number"))
    })
}

/// A fresh database on `backend`, set up with a clerk, a site, an arrival and the one-off
/// programme, and the server started on it.
async fn setup(backend: &str, next: Arc<AtomicUsize>) -> (TestDb, Child, Arc<World>) {
    let db = match backend {
        "sqlite" => testing::sqlite(),
        _ => testing::postgres().await.expect("PostgreSQL"),
    };
    let client = clerk(&db, "Crash test office", ROLES).await;
    let (server, url) = start(&db).await;
    let (site, arrival) = site_and_arrival(&client, &url, "CRM").await;
    let programme = post(
        &client,
        &format!("{url}/api/v1/programmes"),
        json!({"code": "CRASH-ONCE", "name": "One-off kit", "item": "hygiene kit",
            "beneficiary": "person", "frequency": {"kind": "once"}}),
    )
    .await;
    let w = Arc::new(World {
        client,
        url,
        site,
        arrival,
        programme: programme["id"].as_str().unwrap().to_owned(),
        pool: Mutex::new(Vec::new()),
        next,
        killed: AtomicBool::new(false),
    });
    (db, server, w)
}

/// A database serves trials until it holds this many persons, then a fresh one takes
/// over (a trial adds at most about 900), so that every restart loads a small index
/// quickly. Above `passage_match::em::MIN_LEARNING_POPULATION` (2,000) the server learns
/// its model from the persons it holds; these synthetic names, without one true duplicate
/// among them, once taught it a match prior so near zero that a person was no longer a
/// candidate of itself, which the floor on λ (`em::floored_lambda`) now prevents.
const PERSONS_PER_DATABASE: usize = 1_000;

async fn crash_trials(backend: &str, next: Arc<AtomicUsize>) {
    let trials = env_number("PASSAGE_CRASH_TRIALS").unwrap_or(10);
    let seed = env_number("PASSAGE_CRASH_SEED").unwrap_or_else(|| fastrand::u64(..));
    eprintln!("{backend}: {trials} trials, PASSAGE_CRASH_SEED={seed}");
    let mut rng = fastrand::Rng::with_seed(seed);
    let (mut db, mut server, mut w) = setup(backend, next.clone()).await;
    let mut tally = Tally {
        databases: 1,
        ..Tally::default()
    };
    for t in 0..trials {
        if tally.persons_now >= PERSONS_PER_DATABASE {
            kill(server).await;
            (db, server, w) = setup(backend, next.clone()).await;
            tally.databases += 1;
            tally.persons_now = 0;
        }
        // The list goes shortly before the kill, often enough to be cut by it.
        let delay = rng.u64(200..1500);
        let import_after = Duration::from_millis(delay.saturating_sub(rng.u64(0..400)));
        let delay = Duration::from_millis(delay);
        eprintln!(
            "{backend}: trial {t}, list sent after {import_after:?}, SIGKILL after {delay:?}"
        );
        (server, w) = trial(&db, server, w, (delay, import_after), &mut tally).await;
    }
    kill(server).await;
    eprintln!(
        "{backend}: {trials} trials on {} databases; acknowledged and found after SIGKILL: {} households, {} screenings, \
         {} cases ({} transitions), {} distributions; {} imports unanswered at the kill ({} of them committed), none doubled when sent again",
        tally.databases,
        tally.households,
        tally.screenings,
        tally.cases,
        tally.transitions,
        tally.distributions,
        tally.imports_cut,
        tally.imports_cut_committed
    );
    assert!(tally.households > trials as usize, "too few registrations");
    assert!(tally.screenings > 0 && tally.cases > 0 && tally.distributions > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mixed_workload_survives_sigkill_whole() {
    let next = Arc::new(AtomicUsize::new(0));
    for db in testing::all().await {
        crash_trials(db.backend, next.clone()).await;
    }
}
