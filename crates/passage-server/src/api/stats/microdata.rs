//! De-identified microdata: one row per person the population table counts, with only
//! the columns asked for (categories such as an age bracket, never a name, an id, a date
//! or a specific need), and refused unless every combination of its columns, the
//! reporting country included, occurs at least k times: every column is a
//! quasi-identifier, so no row stands out and no column is left unchecked.

use passage_stats::export::{LongTable, hashtag, hxl_value};
use passage_stats::kanon::{TooRare, check};

use super::Request;
use super::records::Record;

/// The rows, the reference date and the reporting country first; or which combinations
/// are too rare.
pub(super) fn rows(records: &[Record], r: &Request, hxl: bool) -> Result<LongTable, TooRare> {
    let columns: Vec<&str> = std::iter::once("country")
        .chain(r.by.iter().copied())
        .collect();
    let value = |rec: &Record, c: &str| {
        let v = rec.values.get(c).map_or("unknown", String::as_str);
        if hxl { hxl_value(c, v) } else { v.to_owned() }
    };
    let mut quasi_rows: Vec<Vec<String>> = Vec::new();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let date = r.date.to_string();
    for rec in records {
        let quasi: Vec<String> = columns.iter().map(|c| value(rec, c)).collect();
        let row: Vec<String> = std::iter::once(date.clone())
            .chain(quasi.iter().cloned())
            .collect();
        for _ in 0..rec.count {
            rows.push(row.clone());
            quasi_rows.push(quasi.clone());
        }
    }
    check(&columns, &quasi_rows, r.k)?;
    // Rows of one kind are alike; sorted, their order says nothing about who came when.
    rows.sort();
    Ok(LongTable {
        headers: std::iter::once("date".to_owned())
            .chain(columns.iter().map(|c| (*c).to_owned()))
            .collect(),
        hashtags: std::iter::once("#date+reported".to_owned())
            .chain(columns.iter().map(|c| hashtag(c)))
            .collect(),
        rows,
    })
}

/// The refusal, naming the rare combinations (the first ten) but not how many people
/// each holds: like a `<5` cell, a combination is only said to be too rare.
pub(super) fn explain(e: &TooRare) -> String {
    let listed: Vec<String> = e
        .rare
        .iter()
        .take(10)
        .map(|c| {
            let values: Vec<String> = c.values.iter().map(|(q, v)| format!("{q}={v}")).collect();
            values.join(", ")
        })
        .collect();
    format!(
        "{} of {} occur fewer than {} times: {}{}. Ask for fewer columns, or wider age brackets (ages)",
        if e.rare.len() == 1 {
            "1 combination".to_owned()
        } else {
            format!("{} combinations", e.rare.len())
        },
        e.quasi_identifiers.join(", "),
        e.k,
        listed.join("; "),
        if e.rare.len() > 10 { "; …" } else { "" }
    )
}
