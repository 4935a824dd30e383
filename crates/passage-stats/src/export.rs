//! Tables as they leave Passage: the long layout (a row per non-zero cell: the categories,
//! then the count: `<5` below the threshold, `x` where withheld to protect a small cell) for CSV and JSON, and its HXL-tagged variant (a
//! hashtag row under the header; ISO3 in `#country+code`, with XXA for stateless and XXX
//! for unknown; p-codes in `#adm2+code`; a suppressed count is left empty and flagged in
//! `#meta+suppressed`, so the count column stays numeric). Cells that count nobody are left
//! out: a zero is published by its absence.

use crate::disclosure::{Cell, Protected};

/// The formats an aggregate is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
    /// CSV with an HXL hashtag row.
    Hxl,
    /// The UNHCR demographic layout: a row per combination of the other dimensions, the
    /// sexes and age brackets as columns (`f_0_4 … f_other, f_total`, the same for `m_`,
    /// then `total`).
    UnhcrWide,
    /// An Excel workbook of the long layout.
    Xlsx,
}

impl Format {
    pub fn from_code(s: &str) -> Option<Self> {
        match s {
            "csv" => Some(Self::Csv),
            "json" => Some(Self::Json),
            "hxl" => Some(Self::Hxl),
            "unhcr" => Some(Self::UnhcrWide),
            "xlsx" => Some(Self::Xlsx),
            _ => None,
        }
    }
}

/// A table in the long layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LongTable {
    pub headers: Vec<String>,
    /// The HXL hashtag of each column.
    pub hashtags: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The HXL hashtag of a dimension Passage tabulates by.
pub fn hashtag(dimension: &str) -> String {
    match dimension {
        "country" => "#country+code+asylum".into(),
        "population_type" => "#status+population_type+code".into(),
        "sex" => "#gender+code".into(),
        "age" => "#age+range".into(),
        "nationality" => "#country+code+nationality".into(),
        "site" => "#loc+code".into(),
        "origin" => "#country+code+origin".into(),
        "disability" => "#indicator+disability".into(),
        "admin2" => "#adm2+code".into(),
        other => format!(
            "#indicator+{}",
            other.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
        ),
    }
}

/// A category as HXL wants it: countries as ISO3 only (XXA stateless, XXX unknown).
pub fn hxl_value(dimension: &str, value: &str) -> String {
    let country = hashtag(dimension).starts_with("#country+code");
    match (country, value) {
        (true, "stateless") => "XXA".into(),
        (true, "unknown") => "XXX".into(),
        _ => value.to_owned(),
    }
}

/// The long layout of a protected table at a reference date, for CSV and JSON (`hxl` false)
/// or HXL.
/// `count_tag` is the HXL hashtag of the count (`#population+total` for people present,
/// `#affected+total` for the dead and missing, …).
pub fn long(
    p: &Protected,
    threshold: u64,
    reference_date: &str,
    count_tag: &str,
    hxl: bool,
) -> LongTable {
    let dims = &p.dimensions;
    let mut headers = vec!["date".to_owned()];
    headers.extend(dims.iter().map(|d| d.name.clone()));
    headers.push("count".into());
    let mut hashtags = vec!["#date+reported".to_owned()];
    hashtags.extend(dims.iter().map(|d| hashtag(&d.name)));
    hashtags.push(count_tag.into());
    if hxl {
        headers.push("suppressed".into());
        hashtags.push("#meta+suppressed".into());
    }
    let mut rows = Vec::new();
    for (flat, cell) in p.cells.iter().enumerate() {
        if *cell == Cell::Value(0) {
            continue;
        }
        let index = index_of(dims, flat);
        let mut row = vec![reference_date.to_owned()];
        for (d, i) in dims.iter().zip(&index) {
            let value = d.categories.get(*i).map(String::as_str).unwrap_or_default();
            row.push(if hxl {
                hxl_value(&d.name, value)
            } else {
                value.to_owned()
            });
        }
        let suppressed = matches!(cell, Cell::Suppressed { .. });
        match (hxl, suppressed) {
            (true, true) => row.extend([String::new(), "true".into()]),
            (true, false) => row.extend([cell.display(threshold), "false".into()]),
            (false, _) => row.push(cell.display(threshold)),
        }
        rows.push(row);
    }
    LongTable {
        headers,
        hashtags,
        rows,
    }
}

/// The age brackets of the UNHCR layout, in its order.
const BRACKETS: [&str; 6] = ["0_4", "5_11", "12_17", "18_59", "60", "other"];

/// A published cell of the margin that keeps `keep`, at the full-table `index`.
fn margin_cell(p: &Protected, keep: &[usize], index: &[usize]) -> Option<Cell> {
    let m = p.margins.iter().find(|m| m.keep == keep)?;
    let mut flat = 0;
    for &d in keep {
        flat = flat * p.dimensions[d].categories.len().max(1) + index[d];
    }
    m.cells.get(flat).copied()
}

/// The UNHCR demographic layout of a protected table that has a `sex` and an `age`
/// dimension: a row per combination of the others. `total` is the margin over sex and
/// age, so it includes people whose sex is not female or male.
pub fn unhcr_wide(p: &Protected, threshold: u64, reference_date: &str) -> Option<LongTable> {
    let dims = &p.dimensions;
    let sex = dims.iter().position(|d| d.name == "sex")?;
    let age = dims.iter().position(|d| d.name == "age")?;
    let others: Vec<usize> = (0..dims.len()).filter(|d| *d != sex && *d != age).collect();
    let mut headers = vec!["date".to_owned()];
    headers.extend(others.iter().map(|d| dims[*d].name.clone()));
    let mut hashtags = vec!["#date+reported".to_owned()];
    hashtags.extend(others.iter().map(|d| hashtag(&dims[*d].name)));
    for s in ["f", "m"] {
        for b in BRACKETS.iter().chain(&["total"]) {
            headers.push(format!("{s}_{b}"));
            hashtags.push(format!("#population+{s}+age_{b}"));
        }
    }
    headers.push("total".into());
    hashtags.push("#population+total".into());
    let without =
        |skip: &[usize]| -> Vec<usize> { (0..dims.len()).filter(|d| !skip.contains(d)).collect() };
    let mut rows = Vec::new();
    let combos: usize = others
        .iter()
        .map(|d| dims[*d].categories.len().max(1))
        .product();
    for n in 0..combos {
        let mut index = vec![0; dims.len()];
        let mut rest = n;
        for &d in others.iter().rev() {
            let len = dims[d].categories.len().max(1);
            index[d] = rest % len;
            rest /= len;
        }
        let grand = margin_cell(p, &without(&[sex, age]), &index);
        if grand == Some(Cell::Value(0)) {
            continue;
        }
        let mut row = vec![reference_date.to_owned()];
        row.extend(others.iter().map(|d| {
            dims[*d]
                .categories
                .get(index[*d])
                .cloned()
                .unwrap_or_default()
        }));
        for s in ["F", "M"] {
            let Some(si) = dims[sex].categories.iter().position(|c| c == s) else {
                row.extend(std::iter::repeat_n("0".to_owned(), BRACKETS.len() + 1));
                continue;
            };
            index[sex] = si;
            for b in BRACKETS {
                let cell = dims[age].categories.iter().position(|c| c == b).map(|ai| {
                    index[age] = ai;
                    p.cells
                        .get(flat_of(dims, &index))
                        .copied()
                        .unwrap_or(Cell::Value(0))
                });
                row.push(cell.unwrap_or(Cell::Value(0)).display(threshold));
            }
            row.push(
                margin_cell(p, &without(&[age]), &index)
                    .unwrap_or(Cell::Value(0))
                    .display(threshold),
            );
        }
        row.push(grand.unwrap_or(Cell::Value(0)).display(threshold));
        rows.push(row);
    }
    Some(LongTable {
        headers,
        hashtags,
        rows,
    })
}

fn flat_of(dims: &[crate::table::Dimension], index: &[usize]) -> usize {
    dims.iter()
        .zip(index)
        .fold(0, |flat, (d, i)| flat * d.categories.len().max(1) + i)
}

/// The categories of the cell at `flat`, row-major over `dims`.
fn index_of(dims: &[crate::table::Dimension], mut flat: usize) -> Vec<usize> {
    let mut index = vec![0; dims.len()];
    for (i, d) in dims.iter().enumerate().rev() {
        let n = d.categories.len().max(1);
        index[i] = flat % n;
        flat /= n;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disclosure::{Policy, protect};
    use crate::table::{Dimension, Table};

    fn small() -> crate::disclosure::Protected {
        let mut t = Table::new(vec![
            Dimension::new("sex", &["F", "M"]),
            Dimension::new("nationality", &["stateless", "BGD"]),
        ]);
        t.add(&["F", "stateless"], 40).unwrap();
        t.add(&["M", "stateless"], 35).unwrap();
        t.add(&["F", "BGD"], 2).unwrap();
        t.add(&["M", "BGD"], 30).unwrap();
        protect(&t, &Policy::default())
    }

    #[test]
    fn the_long_layout_marks_small_and_withheld_cells() {
        let l = long(&small(), 5, "2026-11-27", "#population+total", false);
        assert_eq!(l.headers, ["date", "sex", "nationality", "count"]);
        let counts: Vec<&str> = l.rows.iter().map(|r| r[3].as_str()).collect();
        assert!(counts.contains(&"<5"), "{counts:?}");
        assert!(counts.contains(&"x"), "{counts:?}");
        assert!(!counts.contains(&"2"), "{counts:?}");
    }

    #[test]
    fn the_unhcr_layout_has_a_column_per_sex_and_bracket() {
        let mut t = Table::new(vec![
            Dimension::new("nationality", &["AFG"]),
            Dimension::new("sex", &["F", "M"]),
            Dimension::new("age", &["0_4", "5_11", "12_17", "18_59", "60", "other"]),
        ]);
        t.add(&["AFG", "F", "18_59"], 20).unwrap();
        t.add(&["AFG", "M", "18_59"], 25).unwrap();
        t.add(&["AFG", "M", "0_4"], 12).unwrap();
        let w = unhcr_wide(&protect(&t, &Policy::default()), 5, "2026-11-27").unwrap();
        assert_eq!(&w.headers[..3], ["date", "nationality", "f_0_4"]);
        assert_eq!(w.headers.len(), 2 + 14 + 1);
        let row = &w.rows[0];
        let col = |h: &str| row[w.headers.iter().position(|x| x == h).unwrap()].as_str();
        assert_eq!(
            (
                col("f_18_59"),
                col("f_total"),
                col("m_0_4"),
                col("m_total"),
                col("total")
            ),
            ("20", "20", "12", "37", "57")
        );
    }

    #[test]
    fn hxl_uses_iso3_and_leaves_suppressed_counts_empty() {
        let l = long(&small(), 5, "2026-11-27", "#population+total", true);
        assert_eq!(l.hashtags[2], "#country+code+nationality");
        assert_eq!(
            l.hashtags.last().map(String::as_str),
            Some("#meta+suppressed")
        );
        assert!(l.rows.iter().all(|r| r[2] == "XXA" || r[2] == "BGD"));
        for r in &l.rows {
            assert_eq!(r[3].is_empty(), r[4] == "true", "{r:?}");
        }
    }
}
