//! Bulk import of CSV and XLSX files through the registration route's own validation and
//! duplicate guard, on a real database: every kind of bad row reported at its row and
//! column, nothing valid lost, nothing imported in all-or-nothing mode when a row is bad,
//! and a stopped import resumed or a file imported again duplicating nothing.
//! SQLite always, PostgreSQL when `PASSAGE_TEST_PG_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use axum::http::StatusCode;
use passage_domain::access::Role;
use passage_server::auth;
use passage_server::import::{self, Mode, Options, Outcome, RowReport, Summary};

#[macro_use]
mod support;

use support::{App, NOW, level_one};

const HEADER: &str =
    "household,relationship,given_name,family_name,sex,date_of_birth,dob_precision,nationality\n";

/// One row of every kind, good and bad; the spreadsheet row of each is in the comment.
fn rows() -> Vec<Vec<u8>> {
    [
        "H1,,Rashida,Karimo,F,1990-03-04,exact,MMR\n", // 2: good head
        "H1,child,Aung,Karimo,M,2015-06-01,exact,MMR\n", // 3: good member
        "H2,,Zubair,Tasude,M,1985-01-01,year_only,XXZ\n", // 4: unknown country
        "H3,,Senait,Bilofu,F,1990-02-30,exact,ERI\n",  // 5: impossible date
        "H4,,Idris,Negash,,1970-01-01,year_only,SDN\n", // 6: empty required field
        "H5,,Rashida,Karimo,F,1990-03-04,exact,MMR\n", // 7: the same as row 2
        "H6,,Mohammed,Ayub,M,1988-01-01,year_only,stateless\n", // 8: registered already
    ]
    .iter()
    .map(|r| r.as_bytes().to_vec())
    .chain([
        b"H7,,Halima,Sul\xe9iman,F,1979-01-01,year_only,SOM\n".to_vec(), // 9: Windows-1252
        b"H8,,Farida,Gahori,F,2000-05-05,exact,AFG\n".to_vec(),          // 10: good
    ])
    .collect()
}

fn write(dir: &Path, name: &str, rows: &[Vec<u8>]) -> PathBuf {
    let path = dir.join(name);
    let mut bytes = HEADER.as_bytes().to_vec();
    rows.iter().for_each(|r| bytes.extend(r));
    std::fs::write(&path, bytes).unwrap();
    path
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("passage-import-{name}-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn run(
    app: &App,
    path: &Path,
    arrival: &str,
    mode: Mode,
    dry_run: bool,
    stop_after: Option<u64>,
) -> (Summary, Vec<RowReport>) {
    let options = Options {
        arrival: arrival.parse().unwrap(),
        mode,
        dry_run,
        mapping: None,
        stop_after,
    };
    let clerk = app.tokens[&("a", Role::RegistrationClerk)].clone();
    let p = app
        .store
        .token(&auth::digest(&clerk), NOW)
        .await
        .unwrap()
        .unwrap();
    let mut lines = Vec::new();
    let summary = import::import(
        &app.state,
        &p,
        path,
        &options,
        &mut |l| lines.push(l),
        &|_| {},
    )
    .await
    .unwrap();
    (summary, lines)
}

fn at(lines: &[RowReport], row: u64) -> Vec<(Outcome, String, String)> {
    lines
        .iter()
        .filter(|l| l.row == row)
        .map(|l| (l.outcome, l.column.clone(), l.message.clone()))
        .collect()
}

fn outcome(lines: &[RowReport], row: u64) -> Outcome {
    let found = at(lines, row);
    assert!(
        !found.is_empty(),
        "row {row} is not in the report: {lines:?}"
    );
    found[0].0
}

/// The report every mode must give for the bad rows.
fn assert_bad_rows_reported(lines: &[RowReport]) {
    let unknown = at(lines, 4);
    assert_eq!(unknown[0].1, "nationality", "{unknown:?}");
    assert!(
        unknown[0].2.contains("'XXZ' is not a known country"),
        "{unknown:?}"
    );
    let date = at(lines, 5);
    assert_eq!(date[0].1, "date_of_birth", "{date:?}");
    assert!(
        date[0].2.contains("not a possible date of birth"),
        "{date:?}"
    );
    let empty = at(lines, 6);
    assert_eq!(
        (empty[0].1.as_str(), empty[0].2.as_str()),
        ("sex", "is empty; it is required")
    );
    let within = at(lines, 7);
    assert_eq!(within[0].0, Outcome::Duplicate);
    assert!(
        within[0].2.contains("the same person as row 2"),
        "{within:?}"
    );
    let existing = at(lines, 8);
    assert_eq!(existing[0].0, Outcome::Duplicate);
    assert!(
        existing[0].2.contains("likely already registered as"),
        "{existing:?}"
    );
    let encoding = at(lines, 9);
    assert_eq!(encoding[0].1, "family_name");
    assert_eq!(encoding[0].2, "row 9: not UTF-8; save the file as UTF-8");
    for row in [4, 5, 6, 9] {
        assert_eq!(outcome(lines, row), Outcome::Rejected, "row {row}");
    }
}

async fn with_existing_person(app: &App) -> String {
    let arrival = app.arrival().await;
    let (s, v) = app.post("/api/v1/households", level_one(&arrival)).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    arrival
}

on_every_backend!(
    a_dry_run_names_every_problem_and_registers_nothing,
    |app: App| async move {
        let arrival = with_existing_person(&app).await;
        let dir = temp_dir("dry");
        let path = write(&dir, "partner.csv", &rows());
        let (summary, lines) = run(&app, &path, &arrival, Mode::ValidOnly, true, None).await;
        assert_bad_rows_reported(&lines);
        for row in [2, 3, 10] {
            assert_eq!(outcome(&lines, row), Outcome::Valid, "row {row}");
        }
        assert_eq!(
            (summary.valid, summary.duplicates, summary.rejected),
            (3, 2, 4)
        );
        assert_eq!(app.count("households").await, 1);
    }
);

on_every_backend!(
    valid_only_imports_every_good_row_and_nothing_twice,
    |app: App| async move {
        let arrival = with_existing_person(&app).await;
        let dir = temp_dir("valid");
        let path = write(&dir, "partner.csv", &rows());
        let (summary, lines) = run(&app, &path, &arrival, Mode::ValidOnly, false, None).await;
        assert_bad_rows_reported(&lines);
        assert_eq!(
            (summary.created, summary.duplicates, summary.rejected),
            (3, 2, 4)
        );
        let numbers: Vec<_> = [2, 3]
            .iter()
            .map(|r| {
                lines
                    .iter()
                    .find(|l| l.row == *r)
                    .unwrap()
                    .registration_number
                    .clone()
            })
            .collect();
        assert!(numbers[0].is_some());
        assert_eq!(
            numbers[0], numbers[1],
            "the head and the child are one household"
        );
        assert_eq!(app.count("households").await, 3);
        assert_eq!(app.count("persons").await, 4);
        // The same file again: nothing new.
        let (again, _) = run(&app, &path, &arrival, Mode::ValidOnly, false, None).await;
        assert!(again.already_done);
        assert_eq!(app.count("persons").await, 4);
    }
);

on_every_backend!(
    all_or_nothing_imports_nothing_when_a_row_is_bad,
    |app: App| async move {
        let arrival = with_existing_person(&app).await;
        let dir = temp_dir("all");
        let path = write(&dir, "partner.csv", &rows());
        let (summary, lines) = run(&app, &path, &arrival, Mode::AllOrNothing, false, None).await;
        assert_bad_rows_reported(&lines);
        assert_eq!(summary.created, 0);
        assert_eq!(app.count("households").await, 1);
        let good: Vec<Vec<u8>> = [0, 1, 8].iter().map(|&i| rows()[i].clone()).collect();
        let clean = write(&dir, "clean.csv", &good);
        let (summary, _) = run(&app, &clean, &arrival, Mode::AllOrNothing, false, None).await;
        assert_eq!(summary.created, 3);
        assert_eq!(app.count("households").await, 3);
    }
);

on_every_backend!(
    a_stopped_import_resumes_and_duplicates_nothing,
    |app: App| async move {
        let arrival = app.arrival().await;
        let dir = temp_dir("resume");
        let people = [
            ("Amina", "Yusufo"),
            ("Bashir", "Dalmar"),
            ("Chaltu", "Ibsa"),
            ("Dawit", "Hailu"),
            ("Eyerus", "Tsegaye"),
        ];
        let lines: Vec<Vec<u8>> = people
            .iter()
            .enumerate()
            .map(|(i, (g, f))| {
                format!("H{i},,{g},{f},F,{}-01-01,year_only,ETH\n", 1960 + 7 * i).into_bytes()
            })
            .collect();
        let path = write(&dir, "list.csv", &lines);
        let (first, _) = run(&app, &path, &arrival, Mode::ValidOnly, false, Some(2)).await;
        assert_eq!(first.created, 2);
        assert_eq!(app.count("persons").await, 2);
        let (second, report) = run(&app, &path, &arrival, Mode::ValidOnly, false, None).await;
        assert_eq!(
            (second.resumed, second.created, second.duplicates),
            (2, 3, 0),
            "{report:?}"
        );
        assert_eq!(app.count("persons").await, 5);
        // Rows registered but never recorded as settled (a crash before the checkpoint) meet
        // the duplicate guard: a longer file with the same rows creates only the new one.
        let mut longer = lines.clone();
        longer.push(b"H9,,Fatuma,Abdi,F,1999-01-01,year_only,KEN\n".to_vec());
        let path = write(&dir, "longer.csv", &longer);
        let (third, report) = run(&app, &path, &arrival, Mode::ValidOnly, false, None).await;
        assert_eq!((third.created, third.duplicates), (1, 5), "{report:?}");
        assert_eq!(app.count("persons").await, 6);
    }
);

on_every_backend!(
    an_hxl_tagged_xlsx_imports_by_its_hashtags,
    |app: App| async move {
        let arrival = app.arrival().await;
        let dir = temp_dir("xlsx");
        let path = dir.join("partner.xlsx");
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let table = [
            ["HH", "Rel", "First", "Last", "Gender", "Born", "Country"],
            [
                "#household+id",
                "#relationship",
                "#name+first",
                "#name+last",
                "#sex",
                "#date+birth",
                "#country+code+nationality",
            ],
            ["K1", "", "Nasrin", "Rahimi", "female", "1980-04-04", "AFG"],
            ["K1", "child", "Omid", "Rahimi", "male", "2012-09-09", "AFG"],
            ["K2", "", "Kofi", "Mensah", "M", "1975-13-01", "GHA"],
            ["K3", "", "Ama", "Owusu", "F", "1995-05-05", "GHA"],
        ];
        for (r, row) in table.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *cell).unwrap();
            }
        }
        book.save(&path).unwrap();
        let (summary, lines) = run(&app, &path, &arrival, Mode::ValidOnly, false, None).await;
        assert_eq!((summary.created, summary.rejected), (3, 1), "{lines:?}");
        let bad = at(&lines, 5);
        assert_eq!(bad[0].1, "Born", "{bad:?}");
        assert_eq!(app.count("persons").await, 3);
    }
);

on_every_backend!(
    a_likely_duplicate_within_a_batch_is_caught_before_anything_is_saved,
    |app: App| async move {
        let arrival = app.arrival().await;
        let dir = temp_dir("batch");
        // Rows 2 and 4 are one man spelt two ways: not the same key, likely the same
        // person. Both households fall in one batch, so neither is saved when row 4 is
        // matched; the batch itself must catch it, in the dry run and in the import.
        let lines: Vec<Vec<u8>> = [
            "B1,,Mohammed,Ayub,M,1988-04-12,exact,SDN\n",
            "B2,,Halima,Warsame,F,1979-01-01,year_only,SOM\n",
            "B3,,Muhammad,Ayoub,M,1988-04-12,exact,SDN\n",
        ]
        .iter()
        .map(|r| r.as_bytes().to_vec())
        .collect();
        let path = write(&dir, "variants.csv", &lines);
        for dry_run in [true, false] {
            let (summary, report) =
                run(&app, &path, &arrival, Mode::ValidOnly, dry_run, None).await;
            let found = at(&report, 4);
            assert_eq!(found[0].0, Outcome::Duplicate, "{report:?}");
            assert!(found[0].2.contains("household of row 2"), "{found:?}");
            assert_eq!(summary.duplicates, 1, "{report:?}");
        }
        assert_eq!(app.count("persons").await, 2);
    }
);

on_every_backend!(
    many_batches_import_whole_and_resume_between_them,
    |app: App| async move {
        let arrival = app.arrival().await;
        let dir = temp_dir("batches");
        let households = import::BATCH * 2 + 7;
        // Distinct people: names and exact dates of birth drawn from a fixed seed.
        let syllables = [
            "ba", "ko", "mi", "tu", "se", "ra", "lo", "ne", "di", "fa", "gu", "zo",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let lines: Vec<Vec<u8>> = (0..households)
            .map(|i| {
                let mut name =
                    |k: usize| -> String { (0..k).map(|_| syllables[next(12) as usize]).collect() };
                let (given, family) = (name(3), name(4));
                format!(
                    "N{i},,{given},{family},F,{}-{:02}-{:02},exact,ETH\n",
                    1940 + next(70),
                    1 + next(12),
                    1 + next(28)
                )
                .into_bytes()
            })
            .collect();
        let path = write(&dir, "many.csv", &lines);
        let stop = import::BATCH as u64 + 3;
        let (first, report) = run(&app, &path, &arrival, Mode::ValidOnly, false, Some(stop)).await;
        assert_eq!(first.created, stop, "{:?}", &report[..5.min(report.len())]);
        let (second, report) = run(&app, &path, &arrival, Mode::ValidOnly, false, None).await;
        assert_eq!(
            (second.resumed, second.created + second.duplicates),
            (stop, households as u64 - stop),
            "{:?}",
            report
                .iter()
                .filter(|l| l.outcome != Outcome::Created)
                .take(5)
                .collect::<Vec<_>>()
        );
        assert_eq!(second.duplicates, 0, "{report:?}");
    }
);
