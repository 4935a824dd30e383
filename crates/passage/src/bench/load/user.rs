//! One simulated user: picks the next operation of the mix, sends it with the user's own
//! API token, waits for the whole answer, and counts it in the phase it started in.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::{RequestBuilder, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

use super::mix::Op;
use super::tally::{Outcome, Tally};

/// A registered person the users know of.
#[derive(Debug, Clone)]
pub struct Known {
    pub person: Uuid,
    pub household: Uuid,
    pub site: Uuid,
    pub number: String,
    pub name: String,
}

/// Who is registered: the seeded population, then what the users register.
pub struct Pool {
    pub known: Vec<Known>,
    /// Indexes (for [`crate::bench::head`]) of the heads the users registered.
    pub heads: Vec<usize>,
}

/// What every user shares.
pub struct Shared {
    pub http: reqwest::Client,
    pub base: String,
    pub site: Uuid,
    pub arrival: Uuid,
    pub programme: String,
    pub pool: Mutex<Pool>,
    pub next_head: AtomicUsize,
    pub sent: AtomicU64,
    pub errors: AtomicU64,
    /// At most this many requests in all.
    pub budget: Option<u64>,
    pub warm_until: Instant,
    pub stop_at: Instant,
}

impl Shared {
    fn pool(&self) -> std::sync::MutexGuard<'_, Pool> {
        self.pool.lock().unwrap_or_else(|e| e.into_inner())
    }
}

enum Sent {
    Answered(StatusCode, Vec<u8>),
    Failed,
    Exhausted,
}

pub struct User {
    shared: Arc<Shared>,
    token: String,
    rng: fastrand::Rng,
    /// Warm-up, then steady.
    tallies: [Tally; 2],
}

/// A level-1 household of four headed by the `i`th distinct person. The heads are Syrian,
/// a nationality the seeded population does not have, so that a head born on the same day
/// as a seeded person of the same given name is not rightly taken for them.
fn household(arrival: Uuid, i: usize) -> Value {
    let mut head = crate::bench::head(i);
    head["nationalities"] = json!(["SYR"]);
    json!({
        "arrival_id": arrival,
        "size": 4,
        "breakdown": {"f_18_59": 1, "m_18_59": 1, "f_5_11": 1, "m_0_4": 1},
        "head": head,
    })
}

fn name_of(head: &Value) -> String {
    format!(
        "{} {}",
        head["given_name"].as_str().unwrap_or_default(),
        head["family_name"].as_str().unwrap_or_default()
    )
}

impl User {
    pub fn new(shared: Arc<Shared>, token: String, seed: u64) -> anyhow::Result<Self> {
        Ok(Self {
            shared,
            token,
            rng: fastrand::Rng::with_seed(seed),
            tallies: [Tally::new()?, Tally::new()?],
        })
    }

    /// Works until the run's end or the request budget is spent; returns what it saw and
    /// when its last answer came.
    pub async fn run(mut self) -> ([Tally; 2], Instant) {
        while Instant::now() < self.shared.stop_at {
            let op = Op::pick(&mut self.rng);
            if !self.perform(op).await {
                break;
            }
        }
        (self.tallies, Instant::now())
    }

    fn known(&mut self, recent: bool) -> Option<Known> {
        let pool = self.shared.pool();
        let n = pool.known.len();
        if n == 0 {
            return None;
        }
        let i = if recent {
            n - 1 - self.rng.usize(..n.min(64))
        } else {
            self.rng.usize(..n)
        };
        pool.known.get(i).cloned()
    }

    /// Sends one request of `op`; false when the request budget is spent.
    async fn perform(&mut self, op: Op) -> bool {
        let s = self.shared.clone();
        let api = format!("{}/api/v1", s.base);
        let known = self.known(op == Op::PersonUpdate);
        let Some(k) = known else {
            return true;
        };
        let request = match op {
            Op::PersonRead => s.http.get(format!("{api}/persons/{}", k.person)),
            Op::HouseholdRead => s.http.get(format!("{api}/households/{}", k.household)),
            Op::NumberLookup => s.http.get(format!("{api}/persons/by-number/{}", k.number)),
            Op::NameSearch => s.http.get(format!(
                "{api}/persons?limit=20&name={}",
                utf8_percent_encode(&k.name, NON_ALPHANUMERIC)
            )),
            Op::HouseholdList => s
                .http
                .get(format!("{api}/households?limit=20&site_id={}", k.site)),
            Op::DuplicateCheck => {
                let i = self.rng.usize(..s.next_head.load(Ordering::Relaxed) + 100);
                s.http
                    .post(format!("{api}/duplicates/check"))
                    .json(&json!({"person": crate::bench::head(i)}))
            }
            Op::Candidates => s.http.get(format!("{api}/persons/{}/candidates", k.person)),
            Op::Dashboard => s.http.get(format!("{api}/stats/population")),
            Op::Register => return self.register().await,
            Op::RegisterAgain => {
                let again = {
                    let pool = s.pool();
                    (!pool.heads.is_empty()).then(|| pool.heads[self.rng.usize(..pool.heads.len())])
                };
                let Some(i) = again else {
                    return true;
                };
                s.http
                    .post(format!("{api}/households"))
                    .json(&household(s.arrival, i))
            }
            Op::Screening => s
                .http
                .post(format!("{api}/persons/{}/screenings", k.person))
                .json(
                    &json!({"questionnaire": "screening", "questionnaire_version": 2,
                    "answers": {"stated_age": 30, "reasons_for_leaving": ["conflict"],
                        "fear_of_return": false, "wants_asylum": false}}),
                ),
            Op::PersonUpdate => {
                let read = s.http.get(format!("{api}/persons/{}", k.person));
                let version = match self.send(Op::PersonRead, read).await {
                    Sent::Answered(StatusCode::OK, body) => serde_json::from_slice::<Value>(&body)
                        .ok()
                        .and_then(|v| v["version"].as_i64()),
                    Sent::Exhausted => return false,
                    _ => None,
                };
                let Some(version) = version else {
                    return true;
                };
                let place =
                    ["Maungdaw", "Buthidaung", "Sittwe", "Cox's Bazar"][self.rng.usize(..4)];
                s.http
                    .patch(format!("{api}/persons/{}", k.person))
                    .json(&json!({"version": version, "details": {"place_of_origin": place}}))
            }
            Op::Distribution => s.http.post(format!("{api}/distributions")).json(
                &json!({"programme_id": s.programme, "person_id": k.person, "site_id": s.site}),
            ),
        };
        !matches!(self.send(op, request).await, Sent::Exhausted)
    }

    /// A new household; once registered, its head is known to every user.
    async fn register(&mut self) -> bool {
        let s = self.shared.clone();
        let i = s.next_head.fetch_add(1, Ordering::Relaxed);
        let body = household(s.arrival, i);
        let request = s
            .http
            .post(format!("{}/api/v1/households", s.base))
            .json(&body);
        match self.send(Op::Register, request).await {
            Sent::Exhausted => return false,
            Sent::Answered(StatusCode::CREATED, answer) => {
                let h: Value = serde_json::from_slice(&answer).unwrap_or_default();
                let id = |v: &Value| v.as_str().and_then(|s| Uuid::parse_str(s).ok());
                if let (Some(person), Some(household), Some(number)) = (
                    id(&h["head_person_id"]),
                    id(&h["id"]),
                    h["members"][0]["registration_number"].as_str(),
                ) {
                    let mut pool = s.pool();
                    pool.known.push(Known {
                        person,
                        household,
                        site: s.site,
                        number: number.to_owned(),
                        name: name_of(&body["head"]),
                    });
                    pool.heads.push(i);
                }
            }
            _ => {}
        }
        true
    }

    async fn send(&mut self, op: Op, request: RequestBuilder) -> Sent {
        let s = &self.shared;
        let n = s.sent.fetch_add(1, Ordering::Relaxed);
        if s.budget.is_some_and(|b| n >= b) {
            return Sent::Exhausted;
        }
        let started = Instant::now();
        let phase = usize::from(started >= s.warm_until);
        let answer = async {
            let r = request.bearer_auth(&self.token).send().await?;
            let status = r.status();
            let body = r.bytes().await?;
            Ok::<_, reqwest::Error>((status, body.to_vec()))
        }
        .await;
        let (latency, outcome, sent) = match answer {
            Ok((status, body)) => (
                Some(started.elapsed()),
                op.outcome(status),
                Sent::Answered(status, body),
            ),
            Err(e) => {
                let kind = if e.is_timeout() {
                    "timeout"
                } else if e.is_connect() {
                    "connection failed"
                } else {
                    "transport error"
                };
                (None, Outcome::Error(kind.to_owned()), Sent::Failed)
            }
        };
        if let Outcome::Error(what) = &outcome {
            // The first few errors are shown in full, for the reader to see why.
            if s.errors.fetch_add(1, Ordering::Relaxed) < 5 {
                let detail = match &sent {
                    Sent::Answered(_, body) => String::from_utf8_lossy(body).into_owned(),
                    _ => String::new(),
                };
                eprintln!("error: {} {what}: {detail}", op.name());
            }
        }
        self.tallies[phase].record(op, latency, outcome);
        sent
    }
}
