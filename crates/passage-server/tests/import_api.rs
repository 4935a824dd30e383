#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Bulk import through the API, on the real router and a real database: a file sent as
//! the body of `POST /api/v1/imports` is checked row by row, imported, never imported
//! twice; a bad file is a problem naming what is wrong, never a 500; only those who may
//! register may import; a mapping saved by name is used by name. SQLite always,
//! PostgreSQL when `PASSAGE_TEST_PG_URL` is set.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use passage_domain::access::Role;
use serde_json::{Value, json};

#[macro_use]
mod support;

use support::App;

const CSV: &str = "text/csv";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const PROBLEM: &str = "application/problem+json";

const HEADER: &str =
    "household,relationship,given_name,family_name,sex,date_of_birth,dob_precision,nationality\n";

/// Two good households (rows 2-3 and 6) and two bad rows: an unknown country (row 4) and
/// an impossible date (row 5).
fn list() -> Vec<u8> {
    [
        HEADER,
        "H1,,Rashida,Karimo,F,1990-03-04,exact,MMR\n",
        "H1,child,Aung,Karimo,M,2015-06-01,exact,MMR\n",
        "H2,,Zubair,Tasude,M,1985-01-01,year_only,XXZ\n",
        "H3,,Senait,Bilofu,F,1990-02-30,exact,ERI\n",
        "H4,,Farida,Gahori,F,2000-05-05,exact,AFG\n",
    ]
    .concat()
    .into_bytes()
}

/// Sends `body` to `POST /api/v1/imports?query` as `token`.
async fn upload(
    app: &App,
    token: &str,
    query: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (StatusCode, String, Value) {
    let req = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/imports?{query}"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap();
    let (status, headers, value) = app.request(req).await;
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, ctype, value)
}

fn clerk(app: &App, org: &'static str) -> String {
    app.token_of(org, Role::RegistrationClerk)
}

/// The report lines of `row`, as (outcome, column, message).
fn at(report: &Value, row: u64) -> Vec<(String, String, String)> {
    report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["row"] == row)
        .map(|l| {
            let s = |k: &str| l[k].as_str().unwrap_or_default().to_owned();
            (s("outcome"), s("column"), s("message"))
        })
        .collect()
}

/// Asserts a problem+json answer with `status` whose field or detail names `what`.
fn assert_problem(answer: &(StatusCode, String, Value), status: StatusCode, what: &str) {
    let (s, ctype, v) = answer;
    assert_eq!(*s, status, "{v}");
    assert_eq!(ctype, PROBLEM, "{v}");
    assert!(
        v.to_string().contains(what),
        "the problem should name {what:?}: {v}"
    );
}

on_every_backend!(
    a_dry_run_reports_each_bad_row_at_its_column,
    |app: App| async move {
        let arrival = app.arrival().await;
        let query = format!("arrival_id={arrival}&dry_run=true");
        let (s, _, report) = upload(&app, &clerk(&app, "a"), &query, CSV, list()).await;
        assert_eq!(s, StatusCode::OK, "{report}");
        let unknown = at(&report, 4);
        assert_eq!(
            (unknown[0].0.as_str(), unknown[0].1.as_str()),
            ("rejected", "nationality"),
            "{report}"
        );
        assert!(unknown[0].2.contains("'XXZ' is not a known country"));
        let date = at(&report, 5);
        assert_eq!(
            (date[0].0.as_str(), date[0].1.as_str()),
            ("rejected", "date_of_birth")
        );
        for row in [2, 3, 6] {
            assert_eq!(at(&report, row)[0].0, "valid", "row {row}: {report}");
        }
        assert_eq!(
            report["summary"],
            json!({"rows": 5, "resumed": 0, "valid": 3, "created": 0, "duplicates": 0,
                   "rejected": 2, "already_done": false})
        );
        assert_eq!(report["job"], Value::Null);
        assert_eq!(
            app.count("households").await,
            0,
            "a dry run registers nothing"
        );

        // The same report as CSV, asked by parameter or by Accept.
        let query = format!("arrival_id={arrival}&dry_run=true&format=csv");
        let (s, ctype, text) = upload(&app, &clerk(&app, "a"), &query, CSV, list()).await;
        assert_eq!(
            (s, ctype.as_str()),
            (StatusCode::OK, "text/csv; charset=utf-8")
        );
        let text = text.as_str().unwrap();
        assert!(
            text.starts_with("row,outcome,column,message,registration_number\n"),
            "{text}"
        );
        assert!(text.contains("\n4,rejected,nationality,"), "{text}");
        let req = Request::builder()
            .method(Method::POST)
            .uri(format!("/api/v1/imports?arrival_id={arrival}&dry_run=true"))
            .header(
                header::AUTHORIZATION,
                format!("Bearer {}", clerk(&app, "a")),
            )
            .header(header::CONTENT_TYPE, CSV)
            .header(header::ACCEPT, "text/csv")
            .body(Body::from(list()))
            .unwrap();
        let (s, headers, _) = app.request(req).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    }
);

on_every_backend!(
    an_import_creates_the_good_rows_and_a_resend_nothing_twice,
    |app: App| async move {
        let arrival = app.arrival().await;
        let query = format!("arrival_id={arrival}");
        let (s, _, report) = upload(&app, &clerk(&app, "a"), &query, CSV, list()).await;
        assert_eq!(s, StatusCode::OK, "{report}");
        assert_eq!(
            (
                &report["summary"]["created"],
                &report["summary"]["rejected"]
            ),
            (&json!(3), &json!(2)),
            "{report}"
        );
        let head = &at(&report, 2)[0];
        assert_eq!(head.0, "created");
        let number = |row| {
            report["rows"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["row"] == row)
                .unwrap()["registration_number"]
                .clone()
        };
        assert!(number(2).is_string());
        assert_eq!(
            number(2),
            number(3),
            "the head and the child are one household"
        );
        assert_eq!(at(&report, 4)[0].1, "nationality");
        let job = report["job"].clone();
        assert_eq!(
            (
                &job["status"],
                &job["created"],
                &job["rejected"],
                &job["last_row"]
            ),
            (&json!("done"), &json!(3), &json!(2), &json!(6)),
            "{report}"
        );
        assert_eq!(app.count("households").await, 2);
        assert_eq!(app.count("persons").await, 3);

        // The same file again: the job says it is done, nothing is registered twice.
        let (s, _, again) = upload(&app, &clerk(&app, "a"), &query, CSV, list()).await;
        assert_eq!(s, StatusCode::OK, "{again}");
        assert_eq!(again["summary"]["already_done"], true, "{again}");
        assert_eq!(again["summary"]["created"], 0);
        assert_eq!(again["job"]["id"], job["id"]);
        assert_eq!(app.count("persons").await, 3);

        // The organisation's jobs; another organisation sees none of them.
        let (s, jobs) = app.get_as(&clerk(&app, "a"), "/api/v1/imports").await;
        assert_eq!(s, StatusCode::OK, "{jobs}");
        assert_eq!(jobs["items"].as_array().unwrap().len(), 1);
        assert_eq!(jobs["items"][0]["id"], job["id"]);
        let one = format!("/api/v1/imports/{}", job["id"].as_str().unwrap());
        let (s, read) = app.get_as(&clerk(&app, "a"), &one).await;
        assert_eq!(
            (s, &read["file_sha256"]),
            (StatusCode::OK, &job["file_sha256"])
        );
        let (s, theirs) = app.get_as(&clerk(&app, "b"), "/api/v1/imports").await;
        assert_eq!(
            (s, theirs["items"].as_array().unwrap().len()),
            (StatusCode::OK, 0)
        );
        let (s, hidden) = app.get_as(&clerk(&app, "b"), &one).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{hidden}");
    }
);

on_every_backend!(
    an_xlsx_file_is_imported_and_a_stopped_upload_resumes,
    |app: App| async move {
        let arrival = app.arrival().await;
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let table = [
            [
                "household",
                "given_name",
                "family_name",
                "sex",
                "date_of_birth",
                "nationality",
            ],
            ["K1", "Nasrin", "Rahimi", "F", "1980-04-04", "AFG"],
            ["K2", "Kofi", "Mensah", "M", "1975-01-01", "GHA"],
        ];
        for (r, row) in table.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *cell).unwrap();
            }
        }
        let bytes = book.save_to_buffer().unwrap();
        // A run that stopped after the first household, as a dropped connection leaves it.
        let clerk_a = clerk(&app, "a");
        let p = app
            .store
            .token(&passage_server::auth::digest(&clerk_a), support::NOW)
            .await
            .unwrap()
            .unwrap();
        let path = std::env::temp_dir().join(format!("passage-api-{}.xlsx", uuid::Uuid::now_v7()));
        std::fs::write(&path, &bytes).unwrap();
        let options = passage_server::import::Options {
            arrival: arrival.parse().unwrap(),
            mode: passage_server::import::Mode::ValidOnly,
            dry_run: false,
            mapping: None,
            stop_after: Some(1),
        };
        let first =
            passage_server::import::import(&app.state, &p, &path, &options, &mut |_| {}, &|_| {})
                .await
                .unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(first.created, 1);

        let query = format!("arrival_id={arrival}");
        let (s, _, report) = upload(&app, &clerk_a, &query, XLSX, bytes).await;
        assert_eq!(s, StatusCode::OK, "{report}");
        assert_eq!(
            (&report["summary"]["resumed"], &report["summary"]["created"]),
            (&json!(1), &json!(1)),
            "{report}"
        );
        assert_eq!(report["job"]["status"], "done");
        assert_eq!(app.count("persons").await, 2);
    }
);

on_every_backend!(
    a_bad_file_is_a_problem_naming_what_is_wrong,
    |app: App| async move {
        let arrival = app.arrival().await;
        let token = clerk(&app, "a");
        let query = format!("arrival_id={arrival}");
        let unknown = format!("arrival_id={}", uuid::Uuid::now_v7());
        let a = upload(&app, &token, &unknown, CSV, list()).await;
        assert_problem(
            &a,
            StatusCode::UNPROCESSABLE_ENTITY,
            "no arrival has the id",
        );
        assert_eq!(a.2["errors"][0]["field"], "arrival_id");
        let a = upload(&app, &token, "dry_run=true", CSV, list()).await;
        assert_problem(&a, StatusCode::BAD_REQUEST, "arrival_id");
        let a = upload(&app, &token, &query, CSV, Vec::new()).await;
        assert_problem(&a, StatusCode::UNPROCESSABLE_ENTITY, "is empty");
        let garbage: Vec<u8> = (0..2000u32).map(|i| (i * 7919 % 256) as u8).collect();
        let a = upload(&app, &token, &query, CSV, garbage.clone()).await;
        assert_problem(&a, StatusCode::UNPROCESSABLE_ENTITY, "is not text");
        let a = upload(&app, &token, &query, XLSX, garbage).await;
        assert_problem(&a, StatusCode::UNPROCESSABLE_ENTITY, "is not an XLSX file");
        let a = upload(
            &app,
            &token,
            &query,
            XLSX,
            b"PK\x03\x04 not really".to_vec(),
        )
        .await;
        assert_problem(
            &a,
            StatusCode::UNPROCESSABLE_ENTITY,
            "the spreadsheet cannot be read",
        );
        let a = upload(&app, &token, &query, "application/json", list()).await;
        assert_problem(&a, StatusCode::UNSUPPORTED_MEDIA_TYPE, "text/csv");
        let latin1 = b"given_name,pr\xe9nom,sex\nAli,Ali,M\n".to_vec();
        let a = upload(&app, &token, &query, CSV, latin1).await;
        assert_problem(
            &a,
            StatusCode::UNPROCESSABLE_ENTITY,
            "the header) is not UTF-8",
        );
        let no_sex = b"given_name,family_name\nAli,Hassan\n".to_vec();
        let a = upload(&app, &token, &query, CSV, no_sex).await;
        assert_problem(
            &a,
            StatusCode::UNPROCESSABLE_ENTITY,
            "no column is mapped to sex",
        );
        assert_eq!(a.2["errors"][0]["field"], "header");
        let a = upload(
            &app,
            &token,
            &format!("{query}&mapping=nobody"),
            CSV,
            list(),
        )
        .await;
        assert_problem(
            &a,
            StatusCode::UNPROCESSABLE_ENTITY,
            "no mapping is saved as 'nobody'",
        );
        let a = upload(
            &app,
            &token,
            &format!("{query}&mode=sometimes"),
            CSV,
            list(),
        )
        .await;
        assert_problem(&a, StatusCode::BAD_REQUEST, "mode");
        let a = upload(&app, &token, &format!("{query}&format=pdf"), CSV, list()).await;
        assert_problem(&a, StatusCode::UNPROCESSABLE_ENTITY, "format");
        let mut huge = list();
        huge.resize(passage_server::api::imports::IMPORT_LIMIT + 1, b'\n');
        let a = upload(&app, &token, &query, CSV, huge).await;
        assert_problem(&a, StatusCode::PAYLOAD_TOO_LARGE, "32 MiB");
        assert_eq!(app.count("households").await, 0);
    }
);

on_every_backend!(
    only_those_who_may_register_may_import,
    |app: App| async move {
        let arrival = app.arrival().await;
        let query = format!("arrival_id={arrival}");
        for role in [Role::DataAnalyst, Role::ScreeningOfficer, Role::SiteManager] {
            let token = app.token_of("a", role);
            let a = upload(&app, &token, &query, CSV, list()).await;
            assert_problem(&a, StatusCode::FORBIDDEN, "may not create household");
            let (s, _) = app.get_as(&token, "/api/v1/imports").await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{role}");
            let (s, _, _) = app
                .send_as(
                    Some(&token),
                    Method::PUT,
                    "/api/v1/import-mappings/partner",
                    Some(json!({"columns": {"Sex": "sex"}}).to_string()),
                    "application/json",
                )
                .await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{role}");
        }
        assert_eq!(app.count("households").await, 0);
        let supervisor = app.token_of("b", Role::Supervisor);
        let (s, _, report) = upload(&app, &supervisor, &query, CSV, list()).await;
        assert_eq!(s, StatusCode::OK, "{report}");
    }
);

on_every_backend!(
    a_mapping_saved_by_name_is_used_by_name,
    |app: App| async move {
        let arrival = app.arrival().await;
        let token = clerk(&app, "a");
        let put = |name: &str, body: Value| {
            let path = format!("/api/v1/import-mappings/{name}");
            let token = token.clone();
            let app = &app;
            async move {
                app.send_as(
                    Some(&token),
                    Method::PUT,
                    &path,
                    Some(body.to_string()),
                    "application/json",
                )
                .await
            }
        };
        let mapping = json!({"columns": {"Family": "household", "First": "given_name",
        "Last": "family_name", "Gender": "sex", "Born": "date_of_birth", "Country": "nationality"}});
        let (s, _, saved) = put("partner-2026", mapping.clone()).await;
        assert_eq!(s, StatusCode::OK, "{saved}");
        assert_eq!(saved["mapping"], mapping);
        assert_eq!(saved["organisation_id"], json!(app.organisations["a"]));
        let (s, _, bad) = put("partner-2026", json!({"columns": {"Gender": "gender"}})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(bad["errors"][0]["field"], "columns.Gender", "{bad}");
        let (s, _, bad) = put("partner-2026", json!({"columns": {"First": "given_name"}})).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(
            bad.to_string().contains("no column is mapped to sex"),
            "{bad}"
        );
        let (s, read) = app
            .get_as(&token, "/api/v1/import-mappings/partner-2026")
            .await;
        assert_eq!((s, &read["mapping"]), (StatusCode::OK, &mapping), "{read}");
        let (s, list) = app.get_as(&token, "/api/v1/import-mappings").await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(list["items"][0]["name"], "partner-2026", "{list}");
        let (s, _) = app
            .get_as(&clerk(&app, "b"), "/api/v1/import-mappings/partner-2026")
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND, "another organisation's mapping");

        let file = "Family,First,Last,Gender,Born,Country\n\
                F1,Halima,Suleiman,F,1979-01-01,SOM\n\
                F2,Yonas,Tesfaye,M,1992-07-07,ERI\n";
        let query = format!("arrival_id={arrival}&mapping=partner-2026");
        let (s, _, report) = upload(&app, &token, &query, CSV, file.as_bytes().to_vec()).await;
        assert_eq!(s, StatusCode::OK, "{report}");
        assert_eq!(report["summary"]["created"], 2, "{report}");
        // Without the mapping the columns mean nothing to Passage.
        let query = format!("arrival_id={arrival}&dry_run=true");
        let a = upload(&app, &token, &query, CSV, file.as_bytes().to_vec()).await;
        assert_problem(
            &a,
            StatusCode::UNPROCESSABLE_ENTITY,
            "no column is mapped to sex",
        );
    }
);

on_every_backend!(
    the_upload_is_in_the_openapi_document,
    |app: App| async move {
        let (s, doc) = app.get("/api/v1/openapi.json").await;
        assert_eq!(s, StatusCode::OK);
        let upload = &doc["paths"]["/api/v1/imports"]["post"];
        for media in [CSV, XLSX] {
            assert!(
                upload["requestBody"]["content"].get(media).is_some(),
                "{media}: {upload}"
            );
        }
        assert!(upload["responses"]["200"]["content"].get(CSV).is_some());
        for path in ["/api/v1/imports/{id}", "/api/v1/import-mappings/{name}"] {
            assert!(doc["paths"].get(path).is_some(), "{path}");
        }
    }
);
