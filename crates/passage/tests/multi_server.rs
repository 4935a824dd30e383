//! Three `passage serve` processes on one database, as behind a load balancer: a person
//! registered through one server is a candidate on the others within a second, and
//! registering them again through another is refused as a likely duplicate; a return held
//! by an asylum claim opened through one server cannot be scheduled through another, even
//! when both requests arrive at once; a one-off entitlement asked for at two servers at
//! once is given once. PostgreSQL is the point (under `CI=true` it must be there); SQLite
//! runs too, several processes sharing one file.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use passage_store::testing::{self, TestDb};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// Races run for the guard and for the one-off entitlement.
const TRIALS: usize = 20;
/// Persons registered through the first server and looked for on the others.
const PROBES: usize = 10;
/// How soon another server must find a registration.
const WITHIN: Duration = Duration::from_secs(1);

/// Starts `passage serve` on a free port; returns it with its base URL.
async fn start(db: &TestDb) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_passage"))
        .args(["serve", "--bind", "127.0.0.1:0", "--database", &db.url])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("start passage");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let line = tokio::time::timeout(Duration::from_secs(60), lines.next_line())
        .await
        .expect("passage did not start in time")
        .expect("read stdout")
        .expect("passage exited before listening");
    let url = line.rsplit(' ').next().expect("url").to_owned();
    (child, url)
}

/// Runs `passage ARGS --database URL`, which must succeed; returns its standard output.
async fn cli(db: &TestDb, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_passage"))
        .args(args)
        .args(["--database", &db.url])
        .output()
        .await
        .expect("run passage");
    assert!(
        out.status.success(),
        "passage {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// A client sending the API token of a new user with `roles`, made with the command line.
async fn user(db: &TestDb, name: &str, roles: &str) -> Client {
    cli(
        db,
        &[
            "users",
            "add",
            name,
            "--organisation",
            "Several servers office",
            "--roles",
            roles,
        ],
    )
    .await;
    let token = cli(db, &["users", "token", name]).await;
    let mut headers = reqwest::header::HeaderMap::new();
    let value = format!("Bearer {}", token.trim());
    headers.insert(reqwest::header::AUTHORIZATION, value.parse().unwrap());
    Client::builder().default_headers(headers).build().unwrap()
}

/// A person unlike every other this test registers.
fn distinct_person() -> Value {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    const GIVEN: [&str; 8] = [
        "Rashida", "Zubair", "Aung", "Senait", "Farida", "Idris", "Halima", "Tariq",
    ];
    const SYLLABLES: [&str; 12] = [
        "ka", "ri", "mo", "su", "ne", "ta", "lo", "bi", "de", "fu", "ga", "ho",
    ];
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let family: String = [n / 8 % 12, n / 96 % 12, n / 1152 % 12]
        .iter()
        .map(|&i| SYLLABLES[i])
        .collect();
    json!({
        "given_name": GIVEN[n % 8], "family_name": family, "sex": "M",
        "date_of_birth": {"date": format!("{}-01-01", 1950 + n % 50), "precision": "year_only"},
        "nationalities": ["stateless"], "languages": ["rhg"]
    })
}

/// Sends `body` to `url` and returns the status and the JSON answer.
async fn post(client: &Client, url: String, body: &Value) -> (StatusCode, Value) {
    let r = client.post(url).json(body).send().await.unwrap();
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn created(client: &Client, url: String, body: &Value) -> Value {
    let (s, v) = post(client, url, body).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v
}

/// Three servers on one database, and the users who call them.
struct Servers {
    db: TestDb,
    children: Vec<Child>,
    urls: Vec<String>,
    /// Registers, runs returns and gives assistance.
    officer: Client,
    /// Opens asylum claims and gives assistance at another desk.
    colleague: Client,
    arrival: String,
    site: String,
}

impl Servers {
    async fn start(db: TestDb) -> Self {
        cli(&db, &["init", "--organisation", "Several servers office"]).await;
        let officer = user(
            &db,
            "officer",
            "registration_clerk,site_manager,return_caseworker,assistance_officer",
        )
        .await;
        let colleague = user(&db, "colleague", "asylum_caseworker,assistance_officer").await;
        let (mut children, mut urls) = (Vec::new(), Vec::new());
        for _ in 0..3 {
            let (child, url) = start(&db).await;
            children.push(child);
            urls.push(url);
        }
        let site = created(
            &officer,
            format!("{}/api/v1/sites", urls[0]),
            &json!({"code": "MSV", "name": "Several servers point", "kind": "landing_point", "country": "IDN"}),
        )
        .await;
        let arrival = created(
            &officer,
            format!("{}/api/v1/arrivals", urls[1]),
            &json!({"site_id": site["id"], "mode": "sea", "arrived_at": "2026-01-01T00:00:00Z"}),
        )
        .await;
        Self {
            db,
            children,
            urls,
            officer,
            colleague,
            arrival: arrival["id"].as_str().unwrap().to_owned(),
            site: site["id"].as_str().unwrap().to_owned(),
        }
    }

    /// Registers `head` alone through server `at`; returns the registration.
    async fn register(&self, at: usize, head: &Value) -> (StatusCode, Value) {
        post(
            &self.officer,
            format!("{}/api/v1/households", self.urls[at]),
            &json!({"arrival_id": self.arrival, "head": head, "members": []}),
        )
        .await
    }

    /// Registers a new person through server `at`; returns their id.
    async fn person(&self, at: usize) -> String {
        let (s, h) = self.register(at, &distinct_person()).await;
        assert_eq!(s, StatusCode::CREATED, "{h}");
        h["head_person_id"].as_str().unwrap().to_owned()
    }

    async fn stop(mut self) {
        for child in &mut self.children {
            child.start_kill().expect("stop");
            let _ = child.wait().await;
        }
    }
}

/// Asks server `url` for candidates of `person` until `id` is among them as likely;
/// returns how long that took from `since`.
async fn found(client: &Client, url: &str, person: &Value, id: &str, since: Instant) -> Duration {
    let deadline = since + Duration::from_secs(10);
    loop {
        let (s, list) = post(
            client,
            format!("{url}/api/v1/duplicates/check"),
            &json!({ "person": person }),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{list}");
        let hit = list["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["person_id"] == id && c["likely"] == true);
        if hit {
            return since.elapsed();
        }
        assert!(Instant::now() < deadline, "{url} never found {id}: {list}");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

async fn a_registration_is_a_candidate_everywhere(s: &Servers) {
    let backend = s.db.backend;
    let mut delays = Vec::new();
    for _ in 0..PROBES {
        let person = distinct_person();
        let (status, h) = s.register(0, &person).await;
        let since = Instant::now();
        assert_eq!(status, StatusCode::CREATED, "{h}");
        let id = h["head_person_id"].as_str().unwrap().to_owned();
        let (b, c) = tokio::join!(
            found(&s.officer, &s.urls[1], &person, &id, since),
            found(&s.officer, &s.urls[2], &person, &id, since),
        );
        delays.extend([b, c]);
        for other in 1..3 {
            let (status, problem) = s.register(other, &person).await;
            assert_eq!(status, StatusCode::CONFLICT, "{backend}: {problem}");
            assert_eq!(problem["type"], "urn:passage:problem:likely-duplicate");
            assert_eq!(problem["candidates"][0]["person_id"], id.as_str());
        }
    }
    let slowest = delays.iter().max().unwrap();
    let mean = delays.iter().sum::<Duration>() / u32::try_from(delays.len()).unwrap();
    eprintln!(
        "{backend}: {PROBES} registrations through server A found on B and C after {mean:?} \
         on average, {slowest:?} at most; registering each again through B and C refused"
    );
    assert!(
        *slowest < WITHIN,
        "{backend}: a registration took {slowest:?} to reach another server"
    );
}

/// Sends `event` to `case` (at `version`) through server `url`.
async fn step(
    client: &Client,
    url: &str,
    case: &str,
    event: &str,
    version: &Value,
) -> (StatusCode, Value) {
    post(
        client,
        format!("{url}/api/v1/cases/{case}/transitions"),
        &json!({"event": event, "version": version, "reason": format!("test: {event}")}),
    )
    .await
}

/// A return case for a new person, through server A, one step short of scheduled.
async fn return_ready_to_schedule(s: &Servers) -> (String, Value) {
    let person = s.person(0).await;
    let case = created(
        &s.officer,
        format!("{}/api/v1/persons/{person}/cases", s.urls[0]),
        &json!({"kind": "return", "voluntary": true, "reason": "wants to go home"}),
    )
    .await;
    let id = case["id"].as_str().unwrap().to_owned();
    let mut version = case["version"].clone();
    for event in [
        "give_informed_consent",
        "check_pre_departure",
        "issue_travel_document",
    ] {
        let (status, next) = step(&s.officer, &s.urls[0], &id, event, &version).await;
        assert_eq!(status, StatusCode::OK, "{event}: {next}");
        version = next["version"].clone();
    }
    (person, json!({"id": id, "version": version}))
}

async fn a_claim_through_one_server_holds_the_return_on_another(s: &Servers) {
    let backend = s.db.backend;
    // One after the other: the claim through B, the schedule through C.
    let (person, case) = return_ready_to_schedule(s).await;
    let id = case["id"].as_str().unwrap();
    created(
        &s.colleague,
        format!("{}/api/v1/persons/{person}/cases", s.urls[1]),
        &json!({"kind": "asylum", "reason": "claims asylum at the landing point"}),
    )
    .await;
    let (status, e) = step(&s.officer, &s.urls[2], id, "schedule", &case["version"]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{backend}: {e}");
    assert!(
        e["detail"]
            .as_str()
            .unwrap()
            .contains("an asylum claim is pending"),
        "{backend}: {e}"
    );

    // At once: whichever commits first, no return ends scheduled with a claim pending.
    let (mut refused, mut suspended) = (0, 0);
    for _ in 0..TRIALS {
        let (person, case) = return_ready_to_schedule(s).await;
        let id = case["id"].as_str().unwrap();
        let claim = json!({"kind": "asylum", "reason": "claims asylum at the landing point"});
        let ((claimed, c), (scheduled, e)) = tokio::join!(
            post(
                &s.colleague,
                format!("{}/api/v1/persons/{person}/cases", s.urls[1]),
                &claim
            ),
            step(&s.officer, &s.urls[2], id, "schedule", &case["version"]),
        );
        assert_eq!(claimed, StatusCode::CREATED, "{backend}: {c}");
        let r = s
            .officer
            .get(format!("{}/api/v1/cases/{id}", s.urls[0]))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let now: Value = r.json().await.unwrap();
        match scheduled {
            StatusCode::OK => {
                assert_eq!(now["state"], "suspended", "{backend}: {now}");
                suspended += 1;
            }
            StatusCode::CONFLICT => {
                assert_ne!(now["state"], "scheduled", "{backend}: {now}");
                refused += 1;
            }
            other => panic!("{backend}: scheduling answered {other}: {e}"),
        }
        // Either way it cannot be scheduled now, through any server.
        for url in &s.urls {
            let (status, e) = step(&s.officer, url, id, "schedule", &now["version"]).await;
            assert_eq!(status, StatusCode::CONFLICT, "{backend}: {e}");
        }
    }
    eprintln!(
        "{backend}: a claim through B held the return on C; {TRIALS} races of a claim on B \
         and the schedule on C: {refused} schedules refused, {suspended} scheduled then \
         suspended at once, none left scheduled"
    );
}

async fn a_one_off_is_given_once_across_servers(s: &Servers) {
    let backend = s.db.backend;
    let programme = created(
        &s.officer,
        format!("{}/api/v1/programmes", s.urls[0]),
        &json!({"code": "HYGIENE", "name": "Hygiene kit", "item": "one kit",
                "beneficiary": "person", "frequency": {"kind": "once"}}),
    )
    .await;
    let programme = programme["id"].as_str().unwrap().to_owned();
    for trial in 0..TRIALS {
        let person = s.person(trial % 3).await;
        let give = json!({"programme_id": programme, "person_id": person, "site_id": s.site});
        let (b, c) = tokio::join!(
            post(
                &s.officer,
                format!("{}/api/v1/distributions", s.urls[1]),
                &give
            ),
            post(
                &s.colleague,
                format!("{}/api/v1/distributions", s.urls[2]),
                &give
            ),
        );
        let answers = [b, c];
        let given: Vec<&(StatusCode, Value)> = answers
            .iter()
            .filter(|(s, _)| *s == StatusCode::CREATED)
            .collect();
        assert_eq!(given.len(), 1, "{backend}: exactly one given: {answers:?}");
        assert_eq!(given[0].1["status"], "given");
        let refused = answers
            .iter()
            .find(|(s, _)| *s != StatusCode::CREATED)
            .unwrap();
        assert_eq!(refused.0, StatusCode::CONFLICT, "{backend}: {}", refused.1);
        assert!(
            refused.1["detail"].as_str().unwrap().contains("already"),
            "{backend}: {}",
            refused.1
        );
    }
    let totals: Value = s
        .officer
        .get(format!(
            "{}/api/v1/programmes/{programme}/totals",
            s.urls[0]
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(totals[0]["given"], TRIALS, "{backend}: {totals}");
    eprintln!("{backend}: {TRIALS} races of one one-off at servers B and C, one given each time");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_servers_on_one_database_act_as_one() {
    for db in testing::all().await {
        let servers = Servers::start(db).await;
        a_registration_is_a_candidate_everywhere(&servers).await;
        a_claim_through_one_server_holds_the_return_on_another(&servers).await;
        a_one_off_is_given_once_across_servers(&servers).await;
        servers.stop().await;
    }
}
