//! What must hold after a SIGKILL and a restart, read from the database's rows and asked
//! of the restarted server.

use std::collections::{BTreeMap, HashMap};

use passage_store::testing::Table;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

/// A household acknowledged with 201: its id, its head's person id, and the persons sent.
pub struct Household {
    pub id: String,
    pub head: String,
    pub people: Vec<Value>,
}

/// A case as last acknowledged: how many transitions it had and the state they led to.
pub struct Case {
    pub transitions: usize,
    pub state: String,
}

pub fn case_as_acked(case: &Value) -> Case {
    Case {
        transitions: case["transitions"].as_array().unwrap().len(),
        state: case["state"].as_str().unwrap().to_owned(),
    }
}

/// Every write the clients had acknowledged before the kill.
#[derive(Default)]
pub struct Acked {
    pub households: Vec<Household>,
    /// (screening, person)
    pub screenings: Vec<(String, String)>,
    pub cases: BTreeMap<String, Case>,
    /// (distribution, person)
    pub distributions: Vec<(String, String)>,
}

impl Acked {
    pub fn extend(&mut self, other: Acked) {
        self.households.extend(other.households);
        self.screenings.extend(other.screenings);
        self.cases.extend(other.cases);
        self.distributions.extend(other.distributions);
    }
}

type Rows = BTreeMap<String, Table>;

/// A value as text, the same on both backends: SQLite's quoting taken off, NULL as None.
fn text(v: &Option<String>) -> Option<String> {
    match v.as_deref() {
        None | Some("NULL") => None,
        Some(s) => Some(
            match s.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
                Some(inner) => inner.replace("''", "'"),
                None => s.to_owned(),
            },
        ),
    }
}

/// The rows of `table` as maps from column to value.
fn records(rows: &Rows, table: &str) -> Vec<HashMap<String, Option<String>>> {
    let t = &rows[table];
    t.rows
        .iter()
        .map(|r| {
            t.columns
                .iter()
                .zip(r)
                .map(|(c, v)| (c.clone(), text(v)))
                .collect()
        })
        .collect()
}

fn get(r: &HashMap<String, Option<String>>, column: &str) -> String {
    r[column]
        .clone()
        .unwrap_or_else(|| panic!("{column} is NULL"))
}

/// A person's name as stored: (given, family).
fn name_of(person: &HashMap<String, Option<String>>) -> (String, String) {
    let d: Value = serde_json::from_str(&get(person, "details")).unwrap();
    let s = |k: &str| d[k].as_str().unwrap_or_default().to_owned();
    (s("given_name"), s("family_name"))
}

/// No record is there in part: each household has as many persons as its size, each
/// case's transitions run without a gap from its opening to its state, and no person
/// received the one-off programme twice.
pub fn whole(rows: &Rows, backend: &str) {
    let mut members: HashMap<String, usize> = HashMap::new();
    for p in records(rows, "persons") {
        *members.entry(get(&p, "household_id")).or_default() += 1;
    }
    for h in records(rows, "households") {
        let size: usize = get(&h, "size").parse().unwrap();
        let id = get(&h, "id");
        assert_eq!(
            members.get(&id).copied().unwrap_or(0),
            size,
            "{backend}: household {id} is there in part"
        );
    }

    let mut steps: HashMap<String, Vec<(i64, Option<String>, String)>> = HashMap::new();
    for t in records(rows, "case_transitions") {
        steps.entry(get(&t, "case_id")).or_default().push((
            get(&t, "seq").parse().unwrap(),
            t["from_state"].clone(),
            get(&t, "to_state"),
        ));
    }
    let cases = records(rows, "cases");
    for c in &cases {
        let id = get(c, "id");
        let mut s = steps.remove(&id).unwrap_or_default();
        s.sort();
        assert!(!s.is_empty(), "{backend}: case {id} has no history");
        for pair in s.windows(2) {
            assert_eq!(
                pair[1].0,
                pair[0].0 + 1,
                "{backend}: case {id} misses a step"
            );
            assert_eq!(
                pair[1].1.as_deref(),
                Some(pair[0].2.as_str()),
                "{backend}: case {id} steps from a state it was not in"
            );
        }
        assert_eq!(
            s.last().unwrap().2,
            get(c, "state"),
            "{backend}: case {id}'s state and history disagree"
        );
    }
    assert!(
        steps.is_empty(),
        "{backend}: transitions of no case: {steps:?}"
    );

    let mut given: HashMap<(String, String), usize> = HashMap::new();
    for d in records(rows, "distributions") {
        *given
            .entry((get(&d, "programme_id"), get(&d, "beneficiary_id")))
            .or_default() += 1;
    }
    for ((programme, person), n) in given {
        assert_eq!(
            n, 1,
            "{backend}: {person} received the one-off {programme} {n} times"
        );
    }
}

/// Every acknowledged write is there with what was sent.
pub fn acknowledged(rows: &Rows, acked: &Acked, backend: &str) {
    let persons = records(rows, "persons");
    let mut names: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for p in &persons {
        names
            .entry(get(p, "household_id"))
            .or_default()
            .push(name_of(p));
    }
    for h in &acked.households {
        let mut found = names
            .remove(&h.id)
            .unwrap_or_else(|| panic!("{backend}: acknowledged household {} lost", h.id));
        let mut sent: Vec<(String, String)> = h
            .people
            .iter()
            .map(|p| {
                let s = |k: &str| p[k].as_str().unwrap().to_owned();
                (s("given_name"), s("family_name"))
            })
            .collect();
        found.sort();
        sent.sort();
        assert_eq!(found, sent, "{backend}: household {} changed", h.id);
    }

    let by_id = |table: &str, column: &str| -> HashMap<String, String> {
        records(rows, table)
            .iter()
            .map(|r| (get(r, "id"), get(r, column)))
            .collect()
    };
    let screenings = by_id("screenings", "person_id");
    for (id, person) in &acked.screenings {
        assert_eq!(
            screenings.get(id),
            Some(person),
            "{backend}: acknowledged screening {id} lost"
        );
    }
    let distributions = by_id("distributions", "person_id");
    for (id, person) in &acked.distributions {
        assert_eq!(
            distributions.get(id),
            Some(person),
            "{backend}: acknowledged distribution {id} lost"
        );
    }

    let mut steps: HashMap<String, Vec<(i64, String)>> = HashMap::new();
    for t in records(rows, "case_transitions") {
        steps
            .entry(get(&t, "case_id"))
            .or_default()
            .push((get(&t, "seq").parse().unwrap(), get(&t, "to_state")));
    }
    for (id, case) in &acked.cases {
        let mut s = steps
            .remove(id)
            .unwrap_or_else(|| panic!("{backend}: acknowledged case {id} lost"));
        s.sort();
        assert!(
            s.len() >= case.transitions && s[case.transitions - 1].1 == case.state,
            "{backend}: case {id} was acknowledged in {} after {} steps; found {s:?}",
            case.state,
            case.transitions
        );
    }
}

/// The restarted server's match index agrees with the database: asked who looks like an
/// acknowledged household's head, as the database holds the head now, it names the head.
pub async fn match_index(client: &Client, url: &str, rows: &Rows, acked: &Acked) {
    let now: HashMap<String, Value> = records(rows, "persons")
        .iter()
        .map(|p| {
            let d: Value = serde_json::from_str(&get(p, "details")).unwrap();
            (get(p, "id"), d)
        })
        .collect();
    for h in &acked.households {
        let r = client
            .post(format!("{url}/api/v1/duplicates/check"))
            .json(&json!({"person": now[&h.head]}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let found: Value = r.json().await.unwrap();
        assert!(
            found["candidates"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["person_id"] == h.head.as_str()),
            "the match index lost {} after the restart: sent {}, stored {}, found {found}",
            h.head,
            h.people[0],
            now[&h.head]
        );
    }
}

/// How many of the listed persons are there.
pub fn present(rows: &Rows, listed: &[(String, String)]) -> usize {
    let names: std::collections::HashSet<(String, String)> =
        records(rows, "persons").iter().map(name_of).collect();
    listed.iter().filter(|n| names.contains(*n)).count()
}

/// The list, sent again after the kill, created nobody twice; each row reported created
/// is there once.
pub fn imported_once(
    rows: &Rows,
    listed: &[(String, String)],
    reports: &[Option<Value>],
    backend: &str,
) {
    let mut count: HashMap<(String, String), usize> = HashMap::new();
    for p in records(rows, "persons") {
        *count.entry(name_of(&p)).or_default() += 1;
    }
    for name in listed {
        let n = count.get(name).copied().unwrap_or(0);
        assert!(n <= 1, "{backend}: {name:?} imported {n} times");
    }
    for report in reports.iter().flatten() {
        for line in report["rows"].as_array().unwrap() {
            if line["outcome"] == "created" {
                let row = line["row"].as_u64().unwrap() as usize;
                let name = &listed[row - 2];
                assert_eq!(
                    count.get(name).copied(),
                    Some(1),
                    "{backend}: row {row}, {name:?}, reported created, is not there"
                );
            }
        }
    }
}
