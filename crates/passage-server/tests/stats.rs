//! Statistics through the real router on a real database: the population table counts
//! what was registered (persons, and level-1 households through their breakdown), and
//! suppresses what is small. SQLite always, PostgreSQL when `PASSAGE_TEST_PG_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::http::{Method, StatusCode};
use passage_domain::access::Role;
use serde_json::{Value, json};

#[macro_use]
mod support;

use support::{App, distinct_head};

/// Someone born in `year`, on a day of their own (people alike in name and birth date
/// would be taken for duplicates).
fn person(sex: &str, year: u32) -> Value {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut p = distinct_head();
    p["sex"] = json!(sex);
    p["date_of_birth"] = json!({"date": format!("{year}-{:02}-{:02}", 1 + n % 10, 1 + n % 28), "precision": "exact"});
    p
}

fn count(rows: &Value, sex: &str, age: &str) -> String {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["sex"] == sex && r["age"] == age)
        .map(|r| r["count"].as_str().unwrap().to_owned())
        .unwrap_or_else(|| "0".to_owned())
}

on_every_backend!(
    the_population_table_counts_what_was_registered_and_hides_what_is_small,
    |app: App| async move {
        let arrival = app.arrival().await;
        // Level 2: eight women 18-59, six men 18-59, two girls 5-11 in one household each.
        for _ in 0..2 {
            let members: Vec<Value> = (0..3)
                .map(|_| json!({"relationship": "sibling", "person": person("F", 1990)}))
                .chain(
                    (0..3).map(|_| json!({"relationship": "sibling", "person": person("M", 1988)})),
                )
                .chain([json!({"relationship": "child", "person": person("F", 2018)})])
                .collect();
            let (s, h) = app
                .post(
                    "/api/v1/households",
                    json!({"arrival_id": arrival, "head": person("F", 1985), "members": members}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{h}");
        }
        // Level 1: a household of 4 known only by its breakdown.
        let (s, h) = app
            .post(
                "/api/v1/households",
                json!({"arrival_id": arrival, "size": 4, "head": person("M", 1980),
        "breakdown": {"m_18_59": 1, "f_18_59": 1, "m_0_4": 2}}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{h}");

        let analyst = app.token_of("a", Role::DataAnalyst);
        let (s, t) = app
            .get_as(
                &analyst,
                "/api/v1/stats/population?by=sex,age&threshold=2&date=2026-11-27",
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{t}");
        let rows = &t["rows"];
        assert_eq!(
            count(rows, "F", "18_59"),
            "9",
            "4 + 4 + 1 from the breakdown: {t}"
        );
        assert_eq!(count(rows, "M", "18_59"), "7", "{t}");
        assert_eq!(count(rows, "F", "5_11"), "2", "{t}");
        assert_eq!(count(rows, "M", "0_4"), "2", "{t}");

        let (_, t) = app
            .get_as(
                &analyst,
                "/api/v1/stats/population?by=sex,age&date=2026-11-27",
            )
            .await;
        let rows = &t["rows"];
        assert_eq!(count(rows, "F", "5_11"), "<5");
        assert_eq!(count(rows, "M", "0_4"), "<5");
        let withheld: Vec<&Value> = rows
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["count"] == "x")
            .collect();
        assert!(
            !withheld.is_empty(),
            "two small cells in one table need complements: {t}"
        );
        assert!(t["suppressed"]["primary"].as_u64().unwrap() >= 2);

        let (s, _, hxl) = app
            .send_as(
                Some(&analyst),
                Method::GET,
                "/api/v1/stats/population?by=nationality,sex&format=hxl",
                None,
                "",
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let text = hxl.as_str().unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some("date,country,nationality,sex,count,suppressed")
        );
        assert_eq!(
            lines.next(),
            Some(
                "#date+reported,#country+code+asylum,#country+code+nationality,#gender+code,#population+total,#meta+suppressed"
            )
        );
        assert!(text.contains(",XXA,"), "stateless as XXA: {text}");

        // The same people as a flow: everyone counted arrived in one arrival.
        let (s, t) = app
            .get_as(
                &analyst,
                "/api/v1/stats/arrivals?by=mode&period=day&threshold=2&date=2026-11-27",
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{t}");
        let arrived: u64 = t["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["count"].as_str().unwrap().parse::<u64>().unwrap())
            .sum();
        assert_eq!(arrived, 20, "two households of eight and one of four: {t}");
        let officer = app.token_of("a", Role::IncidentOfficer);
        let (s, _) = app.post_as(&officer, "/api/v1/incidents", json!({"kind": "shipwreck", "occurred_on": "2026-11-20",
            "route": "Andaman Sea", "rescued": 30, "dead": 7, "missing": 12, "source": "navy", "source_quality": "official"})).await;
        assert_eq!(s, StatusCode::CREATED);
        let (_, t) = app
            .get_as(
                &analyst,
                "/api/v1/stats/dead_and_missing?by=route&date=2026-11-27",
            )
            .await;
        let rows = t["rows"].as_array().unwrap();
        let of = |m: &str| {
            rows.iter()
                .find(|r| r["measure"] == m)
                .map(|r| r["count"].clone())
        };
        assert_eq!(
            (of("dead"), of("missing")),
            (Some(json!("7")), Some(json!("12"))),
            "{t}"
        );
        let (s, _, wide) = app
            .send_as(
                Some(&analyst),
                Method::GET,
                "/api/v1/stats/population?by=sex,age&format=unhcr&threshold=2",
                None,
                "",
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let wide = wide.as_str().unwrap();
        assert!(
            wide.starts_with(
                "date,country,f_0_4,f_5_11,f_12_17,f_18_59,f_60,f_other,f_total,m_0_4,"
            ),
            "{wide}"
        );
        assert_eq!(
            wide.lines().nth(1),
            Some("2026-11-27,IDN,0,2,0,9,0,0,11,2,0,0,7,0,0,9,20"),
            "hand-counted: {wide}"
        );
        let (s, e) = app
            .get_as(
                &analyst,
                "/api/v1/stats/population?by=nationality&format=unhcr",
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        // The pipelines: an asylum claim opened shows in the cases table.
        let asylum = app.token_of("a", Role::AsylumCaseworker);
        let (_, people) = app.get("/api/v1/persons?limit=1").await;
        let someone = people["items"][0]["id"].as_str().unwrap().to_owned();
        let (s, _) = app
            .post_as(
                &asylum,
                &format!("/api/v1/persons/{someone}/cases"),
                json!({"kind": "asylum", "reason": "claim"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let (_, t) = app
            .get_as(&analyst, "/api/v1/stats/cases?threshold=2")
            .await;
        let rows = t["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 1, "{t}");
        assert_eq!(
            (
                rows[0]["kind"].as_str(),
                rows[0]["state"].as_str(),
                rows[0]["count"].as_str()
            ),
            (Some("asylum"), Some("claim_registered"), Some("<2")),
            "one claim is below the threshold: {t}"
        );
        assert_eq!(
            rows[0]["median_days"], "",
            "no median of a hidden cell: {t}"
        );
        let (_, people) = app.get("/api/v1/persons?limit=2").await;
        let other = people["items"][1]["id"].as_str().unwrap().to_owned();
        let (s, _) = app
            .post_as(
                &asylum,
                &format!("/api/v1/persons/{other}/cases"),
                json!({"kind": "asylum", "reason": "claim"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let (_, t) = app
            .get_as(&analyst, "/api/v1/stats/cases?threshold=2")
            .await;
        let row = &t["rows"][0];
        assert_eq!(
            (row["count"].as_str(), row["median_days"].as_str()),
            (Some("2"), Some("0.0")),
            "both claims opened today: {t}"
        );
        let (s, ctype, book) = app
            .send_as(
                Some(&analyst),
                Method::GET,
                "/api/v1/stats/population?format=xlsx",
                None,
                "",
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        assert!(ctype.contains("spreadsheetml"), "{ctype}");
        assert!(book.as_str().unwrap().starts_with("PK"), "a zip archive");
        // Brackets of the report's own: the breakdown's 0-4 fits in 0-17.
        let (s, t) = app
            .get_as(
                &analyst,
                "/api/v1/stats/population?by=sex,age&ages=0,18&threshold=2&date=2026-11-27",
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{t}");
        let rows = &t["rows"];
        assert_eq!(
            [
                count(rows, "F", "0_17"),
                count(rows, "F", "18"),
                count(rows, "M", "0_17"),
                count(rows, "M", "18")
            ],
            ["2", "9", "2", "7"].map(String::from),
            "{t}"
        );
        let (s, e) = app
            .get_as(&analyst, "/api/v1/stats/population?ages=0,18,12")
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["errors"][0]["field"], "ages");
        // A registration after the first count is in the next one.
        let (s, h) = app
            .post(
                "/api/v1/households",
                json!({"arrival_id": arrival, "head": person("M", 1950), "members": []}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{h}");
        let (_, t) = app
            .get_as(
                &analyst,
                "/api/v1/stats/population?by=sex,age&threshold=2&date=2026-11-27",
            )
            .await;
        assert_eq!(count(&t["rows"], "M", "60"), "<2", "{t}");
        // Two tables in one request are protected as one: no hidden cell of the first
        // is the difference between a total of the second and what the first shows.
        let (s, t) = app
            .get_as(
                &analyst,
                "/api/v1/stats/population?by=sex,age;sex&date=2026-11-27",
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{t}");
        let (cells, totals) = (
            t["tables"][0]["rows"].as_array().unwrap(),
            t["tables"][1]["rows"].as_array().unwrap(),
        );
        assert_eq!(t["tables"][1]["by"], json!(["sex"]), "{t}");
        let mut checked = 0;
        for total in totals {
            if total["count"].as_str().unwrap().parse::<u64>().is_err() {
                continue;
            }
            let hidden = cells
                .iter()
                .filter(|c| c["sex"] == total["sex"])
                .filter(|c| c["count"].as_str().unwrap().parse::<u64>().is_err())
                .count();
            assert_ne!(hidden, 1, "one hidden cell under a published total: {t}");
            checked += 1;
        }
        assert!(checked > 0, "some total is published: {t}");
        let (s, e) = app
            .get_as(&analyst, "/api/v1/stats/population?by=sex;age&format=csv")
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        // Microdata: one de-identified row per person, refused while someone is alone
        // in their combination (the one man over 60), without saying how many are there.
        let (s, e) = app
            .get_as(&analyst, "/api/v1/stats/microdata?by=sex,age&k=2")
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["errors"][0]["field"], "by", "{e}");
        let why = e["errors"][0]["message"].as_str().unwrap();
        assert!(why.contains("country=IDN, sex=M, age=60"), "{why}");
        assert!(!why.contains("(1"), "no count of the rare: {why}");
        let (s, t) = app
            .get_as(&analyst, "/api/v1/stats/microdata?by=sex&k=2")
            .await;
        assert_eq!(s, StatusCode::OK, "{t}");
        let rows = t["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 21, "every person once: {t}");
        assert_eq!(
            rows[0].as_object().unwrap().keys().collect::<Vec<_>>(),
            ["country", "date", "sex"],
            "categories only, no id or name: {t}"
        );
        let (s, e) = app
            .get_as(&analyst, "/api/v1/stats/microdata?by=sex,disability")
            .await;
        assert_eq!(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "no specific need per person: {e}"
        );
        // Another organisation's analyst counts none of these people.
        let theirs = app.token_of("b", Role::DataAnalyst);
        let (s, t) = app
            .get_as(&theirs, "/api/v1/stats/population?by=sex&threshold=2")
            .await;
        assert_eq!(s, StatusCode::OK, "{t}");
        assert!(
            t["rows"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["count"] == "0"),
            "{t}"
        );
        let (s, _) = app.get_as(&analyst, "/api/v1/stats/religions").await;
        assert_eq!(s, StatusCode::NOT_FOUND);

        let (s, e) = app
            .get_as(&analyst, "/api/v1/stats/population?by=sex,religion")
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["errors"][0]["field"], "by");
        let clerk = app.token_of("a", Role::RegistrationClerk);
        let (s, _) = app.get_as(&clerk, "/api/v1/stats/population").await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // Incidents a clerk may read are still statistics once counted.
        let (s, _) = app.get_as(&clerk, "/api/v1/stats/dead_and_missing").await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
);
