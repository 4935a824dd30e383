//! Reception and care through the real router on a real database: shelter allocation,
//! assistance without double payment, incidents and their export, tracing. SQLite always,
//! PostgreSQL when `PASSAGE_TEST_PG_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::http::{Method, StatusCode};
use passage_domain::access::Role;
use serde_json::{Value, json};

#[macro_use]
mod support;
#[path = "care/tracing.rs"]
mod tracing;

use support::{App, distinct_head};

async fn arrival_and_site(app: &App) -> (String, String) {
    let arrival = app.arrival().await;
    let (_, a) = app.get(&format!("/api/v1/arrivals/{arrival}")).await;
    (
        arrival,
        a["details"]["site_id"].as_str().unwrap().to_owned(),
    )
}

async fn household(app: &App, arrival: &str, head: Value, members: Value) -> Value {
    let (s, h) = app
        .post(
            "/api/v1/households",
            json!({"arrival_id": arrival, "head": head, "members": members}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{h}");
    h
}

fn adult(sex: &str) -> Value {
    let mut p = distinct_head();
    p["sex"] = json!(sex);
    p
}

fn child(sex: &str, born: &str) -> Value {
    let mut p = distinct_head();
    p["sex"] = json!(sex);
    p["date_of_birth"] = json!({"date": born, "precision": "year_only"});
    p
}

async fn unit(app: &App, site: &str, name: &str, kind: &str, beds: u32) -> String {
    let manager = app.token_of("a", Role::SiteManager);
    let (s, u) = app
        .post_as(
            &manager,
            "/api/v1/shelter-units",
            json!({"site_id": site, "name": name, "kind": kind, "beds": beds}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{u}");
    u["id"].as_str().unwrap().to_owned()
}

on_every_backend!(
    a_landing_is_sheltered_with_families_together_and_every_exception_explained,
    |app: App| async move {
        let manager = app.token_of("a", Role::SiteManager);
        let (arrival, site) = arrival_and_site(&app).await;
        let family = household(
            &app,
            &arrival,
            adult("M"),
            json!([
                {"relationship": "spouse", "person": adult("F")},
                {"relationship": "child", "person": child("F", "2019-01-01")},
                {"relationship": "child", "person": child("M", "2021-01-01")}
            ]),
        )
        .await;
        let mut boy = child("M", "2011-01-01");
        boy["profile_flags"] = json!(["unaccompanied_child"]);
        let alone_boy = household(&app, &arrival, boy, json!([])).await;
        let woman = household(&app, &arrival, adult("F"), json!([])).await;
        let big = household(&app, &arrival, adult("M"), json!([
        {"relationship": "sibling", "person": adult("M")}, {"relationship": "sibling", "person": adult("M")},
        {"relationship": "sibling", "person": adult("M")}, {"relationship": "sibling", "person": adult("M")},
        {"relationship": "sibling", "person": adult("M")}
    ])).await;
        let tent = unit(&app, &site, "Tent A1", "family_tent", 5).await;
        let cfs = unit(
            &app,
            &site,
            "Child-friendly space",
            "child_friendly_space",
            2,
        )
        .await;
        let wss = unit(&app, &site, "Women's safe space", "womens_safe_space", 2).await;
        unit(&app, &site, "Isolation", "medical_isolation", 4).await;

        let (s, proposal) = app
            .get_as(
                &manager,
                &format!("/api/v1/sites/{site}/allocation-proposal?arrival_id={arrival}"),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{proposal}");
        let placed = proposal["placements"].as_array().unwrap();
        let unit_of = |person: &Value| {
            placed
                .iter()
                .find(|x| x["person_id"] == *person)
                .map(|x| x["unit_id"].as_str().unwrap().to_owned())
        };
        for m in family["members"].as_array().unwrap() {
            assert_eq!(
                unit_of(&m["person_id"]).as_deref(),
                Some(tent.as_str()),
                "the family together: {proposal}"
            );
        }
        assert_eq!(
            unit_of(&alone_boy["head_person_id"]).as_deref(),
            Some(cfs.as_str())
        );
        assert_eq!(
            unit_of(&woman["head_person_id"]).as_deref(),
            Some(wss.as_str())
        );
        let not_placed = proposal["not_placed"].as_array().unwrap();
        assert_eq!(
            not_placed.len(),
            6,
            "the household of six fits nowhere: {proposal}"
        );
        assert!(
            not_placed.iter().all(
                |n| n["household_id"] == big["id"] && !n["reason"].as_str().unwrap().is_empty()
            )
        );

        let admissions: Vec<Value> = placed
            .iter()
            .map(|x| json!({"person_id": x["person_id"], "unit_id": x["unit_id"]}))
            .collect();
        let (s, stays) = app
            .post_as(&manager, "/api/v1/stays", json!({"placements": admissions}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{stays}");
        let (_, occupancy) = app
            .get_as(
                &manager,
                &format!("/api/v1/sites/{site}/occupancy?threshold=80"),
            )
            .await;
        assert_eq!(occupancy["occupied"], 6);
        let tent_row = occupancy["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["unit_id"] == tent.as_str())
            .unwrap()
            .clone();
        assert_eq!(
            (tent_row["occupied"].as_u64(), tent_row["free"].as_u64()),
            (Some(4), Some(1))
        );
        assert!(
            occupancy["warnings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|w| w["unit_id"] == tent.as_str()),
            "{occupancy}"
        );

        // The tent has one bed left: two more are refused, unless a site manager overrides.
        let first_two: Vec<Value> = big["members"].as_array().unwrap()[..2]
            .iter()
            .map(|m| json!({"person_id": m["person_id"], "unit_id": tent}))
            .collect();
        let (s, full) = app
            .post_as(&manager, "/api/v1/stays", json!({"placements": first_two}))
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{full}");
        assert!(full["detail"].as_str().unwrap().contains("full"), "{full}");
        let (_, still) = app
            .get_as(&manager, &format!("/api/v1/sites/{site}/occupancy"))
            .await;
        assert_eq!(still["occupied"], 6, "all or nothing");
        let clerk = app.token_of("a", Role::Supervisor);
        let (s, _) = app
            .post_as(
                &clerk,
                "/api/v1/stays",
                json!({"placements": first_two, "override_reason": "night"}),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "only a site manager overrides");
        let (s, over) = app.post_as(&manager, "/api/v1/stays", json!({"placements": first_two, "override_reason": "storm tonight; second tent goes up tomorrow"})).await;
        assert_eq!(s, StatusCode::CREATED, "{over}");
        assert!(over[1]["override_reason"].is_string());

        // A transfer to a closed unit is refused and changes nothing.
        let (_, u) = app
            .get_as(&manager, &format!("/api/v1/sites/{site}/units"))
            .await;
        let iso = u
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["details"]["kind"] == "medical_isolation")
            .unwrap()
            .clone();
        let mut closed = iso["details"].clone();
        closed["closed"] = json!(true);
        let path = format!("/api/v1/shelter-units/{}", iso["id"].as_str().unwrap());
        let body = json!({"version": iso["version"], "details": closed}).to_string();
        let (s, _, _) = app
            .send_as(
                Some(&manager),
                Method::PATCH,
                &path,
                Some(body),
                "application/json",
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let stay = &stays[0];
        let (s, refused) = app
            .post_as(
                &manager,
                &format!("/api/v1/stays/{}/change", stay["id"].as_str().unwrap()),
                json!({"version": stay["version"], "reason": "fever", "to_unit_id": iso["id"]}),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{refused}");
        let (_, history) = app
            .get_as(
                &manager,
                &format!(
                    "/api/v1/persons/{}/stays",
                    stay["person_id"].as_str().unwrap()
                ),
            )
            .await;
        assert!(
            history[0]["departed_at"].is_null(),
            "the refused transfer left the stay open: {history}"
        );
        let (s, report) = app
            .get_as(
                &manager,
                &format!("/api/v1/sites/{site}/occupancy/daily?date=2026-11-27"),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{report}");
        assert_eq!(report["admitted"], 8);
    }
);

async fn programme(app: &App, body: Value) -> String {
    let officer = app.token_of("a", Role::AssistanceOfficer);
    let (s, p) = app.post_as(&officer, "/api/v1/programmes", body).await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    p["id"].as_str().unwrap().to_owned()
}

on_every_backend!(
    assistance_follows_status_and_a_one_off_is_never_paid_twice,
    |app: App| async move {
        let officer = app.token_of("a", Role::AssistanceOfficer);
        let (arrival, site) = arrival_and_site(&app).await;
        let grant = programme(
            &app,
            json!({"code": "REINT-CASH", "name": "Reintegration cash grant", "item": "USD 150",
        "beneficiary": "person", "frequency": {"kind": "once"},
        "entitlement": {"population_types": ["RET"], "documents": "documented"}}),
        )
        .await;
        let basic = programme(&app, json!({"code": "BASIC", "name": "Basic package at the border", "item": "food and water for 3 days",
        "beneficiary": "person", "frequency": {"kind": "once"},
        "entitlement": {"flags": ["returnee"], "documents": "undocumented"}})).await;
        let mut head = distinct_head();
        head["population_type"] = json!("RET");
        head["profile_flags"] = json!(["returnee"]);
        let documented = household(&app, &arrival, head.clone(), json!([])).await["head_person_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let (s, _) = app
            .post(
                &format!("/api/v1/persons/{documented}/documents"),
                json!({"kind": "passport", "number": "AB1234567"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let mut head = distinct_head();
        head["profile_flags"] = json!(["returnee"]);
        let undocumented = household(&app, &arrival, head, json!([])).await["head_person_id"]
            .as_str()
            .unwrap()
            .to_owned();
        let give = |programme: &str, person: &str| json!({"programme_id": programme, "person_id": person, "site_id": site});

        let (s, d) = app
            .post_as(&officer, "/api/v1/distributions", give(&grant, &documented))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{d}");
        assert_eq!(d["status"], "given");
        let (s, twice) = app
            .post_as(&officer, "/api/v1/distributions", give(&grant, &documented))
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{twice}");
        assert!(
            twice["detail"].as_str().unwrap().contains("already"),
            "{twice}"
        );
        let (s, no) = app
            .post_as(
                &officer,
                "/api/v1/distributions",
                give(&grant, &undocumented),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{no}");
        assert!(
            no["detail"].as_str().unwrap().contains("REINT-CASH"),
            "names the programme and rule: {no}"
        );
        let (s, d) = app
            .post_as(
                &officer,
                "/api/v1/distributions",
                give(&basic, &undocumented),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{d}");
        let (s, _) = app
            .post_as(&officer, "/api/v1/distributions", give(&basic, &documented))
            .await;
        assert_eq!(
            s,
            StatusCode::CONFLICT,
            "the basic package is for the undocumented"
        );

        // The same man registered again without documents looks like the earlier recipient:
        // held for review, not refused.
        let (_, first) = app.get(&format!("/api/v1/persons/{undocumented}")).await;
        let again = json!({"arrival_id": arrival, "head": first["details"], "not_duplicates": {"person_ids": [undocumented], "reason": "says he is another man"}});
        let (s, h) = app.post("/api/v1/households", again).await;
        assert_eq!(s, StatusCode::CREATED, "{h}");
        let twin = h["head_person_id"].as_str().unwrap().to_owned();
        let (s, held) = app
            .post_as(&officer, "/api/v1/distributions", give(&basic, &twin))
            .await;
        assert_eq!(s, StatusCode::ACCEPTED, "{held}");
        assert_eq!(held["status"], "held");
        assert_eq!(held["held_because"][0]["person_id"], undocumented.as_str());
        let supervisor = app.token_of("a", Role::Supervisor);
        let (s, released) = app.post_as(&supervisor, &format!("/api/v1/distributions/{}/review", held["id"].as_str().unwrap()),
        json!({"version": held["version"], "release": true, "reason": "different fingerprints on the border list; brothers"})).await;
        assert_eq!(s, StatusCode::OK, "{released}");
        assert_eq!(released["status"], "given");

        let (_, totals) = app
            .get_as(&officer, &format!("/api/v1/programmes/{basic}/totals"))
            .await;
        assert_eq!(totals[0]["given"], 2, "{totals}");
        let (s, _, list) = app
            .send_as(
                Some(&officer),
                Method::GET,
                &format!("/api/v1/distributions.csv?programme_id={basic}"),
                None,
                "",
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let text = list.as_str().unwrap().to_owned();
        assert_eq!(text.lines().count(), 3, "a header and two rows: {text}");
        assert!(text.lines().nth(1).unwrap().contains("BASIC"), "{text}");
    }
);

on_every_backend!(
    an_incident_s_dead_and_missing_are_exported_and_bad_counts_refused,
    |app: App| async move {
        let officer = app.token_of("a", Role::IncidentOfficer);
        let incident = json!({"kind": "shipwreck", "occurred_on": "2026-11-20", "coordinates": {"latitude": 5.9, "longitude": 94.1},
        "location": "off Sabang, Andaman Sea", "route": "Bay of Bengal and Andaman Sea", "persons_aboard": 180,
        "rescued": 151, "dead": 9, "missing": 20, "survivors": {"female": 60, "male": 91, "children": 40},
        "cause": "drowning", "origin_countries": ["MMR", "BGD"], "source": "Basarnas rescue report",
        "source_quality": "official"});
        let (s, i) = app
            .post_as(&officer, "/api/v1/incidents", incident.clone())
            .await;
        assert_eq!(s, StatusCode::CREATED, "{i}");
        let mut too_many = incident.clone();
        too_many["dead"] = json!(40);
        let (s, e) = app.post_as(&officer, "/api/v1/incidents", too_many).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["errors"][0]["field"], "persons_aboard");
        let mut lost = incident.clone();
        lost["coordinates"] = json!({"latitude": 95.0, "longitude": 94.1});
        let (s, e) = app.post_as(&officer, "/api/v1/incidents", lost).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert!(
            e["errors"][0]["field"]
                .as_str()
                .unwrap()
                .starts_with("coordinates"),
            "{e}"
        );

        let (s, ctype, body) = app
            .send_as(
                Some(&officer),
                Method::GET,
                "/api/v1/incidents.csv",
                None,
                "",
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        assert!(ctype.starts_with("text/csv"), "{ctype}");
        let text = body.as_str().unwrap().to_owned();
        let mut lines = text.lines();
        let header = lines.next().unwrap();
        assert!(
            header.starts_with("Main ID,Incident ID,Incident Type"),
            "{header}"
        );
        let row = lines.next().unwrap();
        assert!(
            row.contains(",9,20,29,151,"),
            "dead, missing, total, survivors: {row}"
        );
        let (_, all) = app.get_as(&officer, "/api/v1/incidents").await;
        assert_eq!(
            all.as_array().unwrap().len(),
            1,
            "refused incidents wrote nothing"
        );
    }
);

on_every_backend!(
    a_level_one_household_takes_beds_for_everyone_counted,
    |app: App| async move {
        let manager = app.token_of("a", Role::SiteManager);
        let (arrival, site) = arrival_and_site(&app).await;
        let (s, h) = app
            .post(
                "/api/v1/households",
                json!({"arrival_id": arrival, "size": 5, "head": distinct_head(),
            "breakdown": {"f_18_59": 1, "m_18_59": 1, "f_5_11": 2, "m_0_4": 1}}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{h}");
        unit(&app, &site, "Tent S", "family_tent", 4).await;
        let large = unit(&app, &site, "Tent L", "family_tent", 6).await;
        let (_, proposal) = app
            .get_as(
                &manager,
                &format!("/api/v1/sites/{site}/allocation-proposal?arrival_id={arrival}"),
            )
            .await;
        let placed = &proposal["placements"][0];
        assert_eq!(
            placed["unit_id"],
            large.as_str(),
            "five beds needed, not one: {proposal}"
        );
        assert_eq!(placed["companions"], 4);
        let admission = json!({"placements": [{"person_id": placed["person_id"], "unit_id": placed["unit_id"], "companions": 4}]});
        let (s, _) = app.post_as(&manager, "/api/v1/stays", admission).await;
        assert_eq!(s, StatusCode::CREATED);
        let (_, occupancy) = app
            .get_as(&manager, &format!("/api/v1/sites/{site}/occupancy"))
            .await;
        assert_eq!(occupancy["occupied"], 5, "{occupancy}");
        let (_, again) = app
            .get_as(
                &manager,
                &format!("/api/v1/sites/{site}/allocation-proposal?arrival_id={arrival}"),
            )
            .await;
        assert_eq!(again["placements"], json!([]), "already sheltered");
    }
);

on_every_backend!(
    a_closed_site_takes_no_transfer_and_an_incident_lists_its_arrivals,
    |app: App| async move {
        let manager = app.token_of("a", Role::SiteManager);
        let (arrival, site) = arrival_and_site(&app).await;
        let h = household(&app, &arrival, distinct_head(), json!([])).await;
        let here = unit(&app, &site, "Hall 1", "communal_hall", 10).await;
        let (s, other) = app.post("/api/v1/sites", json!({"code": "SGT", "name": "Sanggau shelter", "kind": "temporary_camp", "country": "IDN", "capacity": 20})).await;
        assert_eq!(s, StatusCode::CREATED, "{other}");
        let there = unit(
            &app,
            other["id"].as_str().unwrap(),
            "Hall 2",
            "communal_hall",
            10,
        )
        .await;
        let (s, stays) = app
            .post_as(
                &manager,
                "/api/v1/stays",
                json!({"placements": [{"person_id": h["head_person_id"], "unit_id": here}]}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{stays}");
        let mut closed = other["details"].clone();
        closed["closed"] = json!(true);
        let body = json!({"version": other["version"], "details": closed}).to_string();
        let (s, _, patched) = app
            .send_as(
                Some(&app.token),
                Method::PATCH,
                &format!("/api/v1/sites/{}", other["id"].as_str().unwrap()),
                Some(body),
                "application/json",
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{patched}");
        let (s, refused) = app.post_as(&manager, &format!("/api/v1/stays/{}/change", stays[0]["id"].as_str().unwrap()),
        json!({"version": stays[0]["version"], "reason": "moved to be near her sister", "to_unit_id": there})).await;
        assert_eq!(s, StatusCode::CONFLICT, "{refused}");
        assert!(
            refused["detail"].as_str().unwrap().contains("closed"),
            "{refused}"
        );

        let officer = app.token_of("a", Role::IncidentOfficer);
        let (s, i) = app
            .post_as(
                &officer,
                "/api/v1/incidents",
                json!({"kind": "rescue", "occurred_on": "2026-11-25",
        "rescued": 40, "source": "navy", "source_quality": "official"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{i}");
        let (s, a) = app
            .post(
                "/api/v1/arrivals",
                json!({"site_id": site, "mode": "sea", "arrived_at": "2026-11-26T02:40:00+07:00",
        "persons_reported": 40, "incident_id": i["id"]}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{a}");
        let (_, i) = app
            .get_as(
                &officer,
                &format!("/api/v1/incidents/{}", i["id"].as_str().unwrap()),
            )
            .await;
        assert_eq!(i["arrival_ids"], json!([a["id"]]));
    }
);
