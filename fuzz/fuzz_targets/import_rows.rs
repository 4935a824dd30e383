//! Bulk import files (CSV, XLSX, ODS) read as the import reads them: header, optional HXL
//! hashtag row, columns found by name, tag or a saved mapping, then every row into a
//! person. An input starting with `{` carries a mapping (JSON) on its first line and the
//! file after it; a file starting like a zip archive is a spreadsheet, anything else CSV.
//! Checked: rows are numbered as the spreadsheet shows them, a row that is read is a
//! person the domain accepts as it is, and every problem names its column.
#![no_main]

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use passage_server::import::mapping::{self, Columns, Mapping};
use passage_server::import::person;
use passage_server::import::source::Source;
use time::macros::date;

/// One file per fuzzing process, rewritten for every input.
fn file(extension: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "passage-fuzz-import-{}.{extension}",
        std::process::id()
    ))
}

/// libFuzzer's panic hook aborts at any panic, even one the code catches. The import
/// catches calamine's panics on damaged spreadsheets (`Source::open`) and refuses the
/// file, so those are let through to that catch; any other panic, and a calamine panic
/// the import does not catch, still fails the run.
fn let_calamine_panics_unwind() {
    let fail = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let in_calamine = info
            .location()
            .is_some_and(|l| l.file().contains("/calamine-"));
        if !in_calamine {
            fail(info);
        }
    }));
}

fuzz_target!(init: let_calamine_panics_unwind(), |data: &[u8]| {
    let (mapping, contents) = match data.strip_prefix(b"{") {
        Some(_) => {
            let end = data.iter().position(|&b| b == b'\n').unwrap_or(data.len());
            let Ok(mapping) = serde_json::from_slice::<Mapping>(&data[..end]) else {
                return;
            };
            (Some(mapping), data.get(end + 1..).unwrap_or_default())
        }
        None => (None, data),
    };
    let extension = match contents.starts_with(b"PK\x03\x04") {
        true if contents.windows(12).any(|w| w == b"opendocument") => "ods",
        true => "xlsx",
        false => "csv",
    };
    let path = file(extension);
    if std::fs::write(&path, contents).is_err() {
        return;
    }
    let Ok(mut rows) = Source::open(&path) else {
        return;
    };
    let Some(Ok(first)) = rows.next() else {
        return;
    };
    assert_eq!(first.number, 1);
    let header: Vec<String> = (0..first.cells.len())
        .map(|i| first.text(i).unwrap_or("").to_owned())
        .collect();
    let mut pending = None;
    let mut hxl = None;
    if let Some(Ok(second)) = rows.next() {
        assert_eq!(second.number, 2);
        let cells: Vec<Option<&str>> = (0..second.cells.len()).map(|i| second.text(i)).collect();
        if mapping::is_hxl_row(&cells) {
            hxl = Some(
                cells
                    .iter()
                    .map(|c| c.unwrap_or("").to_owned())
                    .collect::<Vec<_>>(),
            );
        } else {
            pending = Some(second);
        }
    }
    let Ok(columns) = Columns::resolve(&header, hxl.as_deref(), mapping.as_ref()) else {
        return;
    };
    let today = date!(2026 - 01 - 15);
    let mut last = if pending.is_some() { 1 } else { 2 };
    for row in pending.into_iter().map(Ok).chain(rows) {
        let Ok(row) = row else {
            break;
        };
        assert_eq!(row.number, last + 1);
        last = row.number;
        if row.is_blank() {
            continue;
        }
        match person::read(&columns, &row, today) {
            Ok(read) => {
                assert_eq!(read.number, row.number);
                let again = read.person.clone().validated(today);
                assert_eq!(again.as_ref(), Ok(&read.person));
                let _ = person::same_person_key(&read.person);
            }
            Err(problems) => {
                assert!(!problems.is_empty());
                for problem in &problems {
                    assert!(!problem.column.is_empty(), "{problem:?}");
                    assert!(!problem.message.is_empty(), "{problem:?}");
                }
            }
        }
    }
});
