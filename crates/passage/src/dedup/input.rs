//! Reading persons from any CSV file: a `--map` of matching fields to the file's
//! columns, and lenient parsing of each value. A value that cannot be read is left out
//! of matching and reported with its row and column; nothing else is lost.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use anyhow::{Context, bail};
use passage_match::PersonFields;
use passage_match::score::{BirthDate, Sex};

/// The fields a column can be mapped to.
pub const FIELDS: &[&str] = &[
    "given_name",
    "family_name",
    "full_name",
    "original_name",
    "sex",
    "dob",
    "birth_year",
    "dob_estimated",
    "nationality",
    "place_of_origin",
    "document",
    "phone",
    "address",
];

/// Matching field → the columns it is read from (joined with a space when several).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mapping(Vec<(String, Vec<String>)>);

impl Mapping {
    /// Parses `field=COL,field=COL…` (several `--map` values add up).
    pub fn parse(specs: &[String]) -> anyhow::Result<Self> {
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        for part in specs.iter().flat_map(|s| s.split(',')) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let Some((field, column)) = part.split_once('=') else {
                bail!("--map: `{part}` is not field=COLUMN");
            };
            let (field, column) = (field.trim(), column.trim());
            if !FIELDS.contains(&field) {
                bail!(
                    "--map: unknown field `{field}`; the fields are {}",
                    FIELDS.join(", ")
                );
            }
            if column.is_empty() {
                bail!("--map: field `{field}` has no column");
            }
            match out.iter_mut().find(|(f, _)| f == field) {
                Some((_, cols)) => cols.push(column.to_owned()),
                None => out.push((field.to_owned(), vec![column.to_owned()])),
            }
        }
        if out.is_empty() {
            bail!("--map names no field; give at least one, e.g. --map full_name=name");
        }
        Ok(Self(out))
    }
}

/// A value left out, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    /// 1-based data row (the header is row 0), and the line in the file.
    pub row: usize,
    pub line: u64,
    pub column: String,
    pub reason: String,
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "row {} (line {}), column {}: {}; left out of matching",
            self.row, self.line, self.column, self.reason
        )
    }
}

/// The persons of a file, their ids, and the values left out.
#[derive(Debug, Default)]
pub struct Input {
    pub ids: Vec<String>,
    pub persons: Vec<PersonFields>,
    pub skipped: Vec<Skipped>,
}

/// Reads `path`: `id_column` identifies each row (ids must be unique), `mapping` says
/// where each field is.
pub fn read(path: &Path, id_column: &str, mapping: &Mapping) -> anyhow::Result<Input> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let headers = reader
        .headers()
        .with_context(|| format!("{}: cannot read the header line", path.display()))?
        .clone();
    let position = |column: &str| -> anyhow::Result<usize> {
        headers
            .iter()
            .position(|h| h.trim() == column)
            .with_context(|| {
                format!(
                    "{}: no column `{column}`; the columns are {}",
                    path.display(),
                    headers.iter().collect::<Vec<_>>().join(", ")
                )
            })
    };
    let id_at = position(id_column)?;
    let mut columns: Vec<(String, Vec<(String, usize)>)> = Vec::new();
    for (field, cols) in &mapping.0 {
        let found = cols
            .iter()
            .map(|c| position(c).map(|i| (c.clone(), i)))
            .collect::<anyhow::Result<Vec<_>>>()?;
        columns.push((field.clone(), found));
    }
    let mut input = Input::default();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (n, record) in reader.records().enumerate() {
        let row = n + 1;
        let record = record.with_context(|| format!("{}: row {row}", path.display()))?;
        let line = record.position().map_or(0, |p| p.line());
        let id = record.get(id_at).unwrap_or("").trim().to_owned();
        if id.is_empty() {
            bail!(
                "{}: row {row} (line {line}): the id column `{id_column}` is empty",
                path.display()
            );
        }
        if let Some(first) = seen.insert(id.clone(), row) {
            bail!(
                "{}: row {row} (line {line}): id `{id}` already used on row {first}; ids must be unique",
                path.display()
            );
        }
        let mut person = PersonFields::default();
        let mut estimated = false;
        let mut year_only: Option<i32> = None;
        for (field, cols) in &columns {
            let value: String = cols
                .iter()
                .filter_map(|(_, i)| record.get(*i))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            if value.is_empty() {
                continue;
            }
            let mut skip = |reason: String| {
                input.skipped.push(Skipped {
                    row,
                    line,
                    column: cols
                        .iter()
                        .map(|(c, _)| c.as_str())
                        .collect::<Vec<_>>()
                        .join("+"),
                    reason,
                });
            };
            match field.as_str() {
                "given_name" => person.given = Some(value),
                "family_name" => person.family = Some(value),
                "full_name" => person.full = Some(value),
                "original_name" => person.original = Some(value),
                "sex" => match sex(&value) {
                    Ok(s) => person.sex = s,
                    Err(e) => skip(e),
                },
                "dob" => match date(&value) {
                    Ok(d) => person.birth = Some(d),
                    Err(e) => skip(e),
                },
                "birth_year" => match year(&value) {
                    Ok(y) => year_only = Some(y),
                    Err(e) => skip(e),
                },
                "dob_estimated" => match flag(&value) {
                    Ok(f) => estimated = f,
                    Err(e) => skip(e),
                },
                "nationality" => person.nationalities = list(&value),
                "place_of_origin" => person.origin = Some(value),
                "document" => person.documents = list(&value),
                "phone" => person.phone = Some(value),
                "address" => person.address = Some(value),
                _ => {}
            }
        }
        if person.birth.is_none() {
            person.birth = year_only.map(|y| BirthDate {
                year: Some(y),
                ..BirthDate::default()
            });
        }
        if let Some(b) = person.birth.as_mut() {
            b.estimated = estimated;
        }
        input.ids.push(id);
        input.persons.push(person);
    }
    Ok(input)
}

fn list(value: &str) -> Vec<String> {
    value
        .split([';', '|'])
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .collect()
}

fn sex(value: &str) -> Result<Option<Sex>, String> {
    match value.to_lowercase().as_str() {
        "f" | "female" | "woman" | "girl" => Ok(Some(Sex::Female)),
        "m" | "male" | "man" | "boy" => Ok(Some(Sex::Male)),
        "x" | "other" => Ok(Some(Sex::Other)),
        "u" | "unknown" | "-" => Ok(None),
        _ => Err(format!("`{value}` is not a sex (F, M, X or U)")),
    }
}

fn flag(value: &str) -> Result<bool, String> {
    match value.to_lowercase().as_str() {
        "true" | "1" | "yes" | "y" => Ok(true),
        "false" | "0" | "no" | "n" => Ok(false),
        _ => Err(format!("`{value}` is not true or false")),
    }
}

fn year(value: &str) -> Result<i32, String> {
    value
        .parse::<i32>()
        .ok()
        .filter(|y| (1850..=2200).contains(y))
        .ok_or_else(|| format!("`{value}` is not a year"))
}

/// `YYYY-MM-DD`, `YYYYMMDD`, `DD/MM/YYYY`, `YYYY-MM` or `YYYY`.
fn date(value: &str) -> Result<BirthDate, String> {
    let bad =
        || format!("`{value}` is not a date (YYYY-MM-DD, YYYYMMDD, DD/MM/YYYY, YYYY-MM or YYYY)");
    let num = |s: &str| s.parse::<i32>().map_err(|_| bad());
    let parts: Vec<&str> = if value.contains('/') {
        let mut p: Vec<&str> = value.split('/').collect();
        p.reverse();
        p
    } else if value.contains('-') {
        value.split('-').collect()
    } else if value.len() == 8 && value.bytes().all(|b| b.is_ascii_digit()) {
        vec![&value[0..4], &value[4..6], &value[6..8]]
    } else {
        vec![value]
    };
    let y = year(parts.first().copied().unwrap_or("")).map_err(|_| bad())?;
    let mut birth = BirthDate {
        year: Some(y),
        ..BirthDate::default()
    };
    match parts.as_slice() {
        [_] => {}
        [_, m] => {
            let m = u8::try_from(num(m)?).map_err(|_| bad())?;
            if !(1..=12).contains(&m) {
                return Err(bad());
            }
            birth.month = Some(m);
        }
        [_, m, d] => {
            let (m, d) = (num(m)?, num(d)?);
            let month = u8::try_from(m)
                .ok()
                .and_then(|m| time::Month::try_from(m).ok())
                .ok_or_else(bad)?;
            let day = u8::try_from(d).map_err(|_| bad())?;
            time::Date::from_calendar_date(y, month, day).map_err(|_| bad())?;
            birth.month = Some(month as u8);
            birth.day = Some(day);
        }
        _ => return Err(bad()),
    }
    Ok(birth)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_usual_forms() {
        let full = |y, m, d| BirthDate {
            year: Some(y),
            month: Some(m),
            day: Some(d),
            estimated: false,
        };
        assert_eq!(date("1990-03-07"), Ok(full(1990, 3, 7)));
        assert_eq!(date("19900307"), Ok(full(1990, 3, 7)));
        assert_eq!(date("07/03/1990"), Ok(full(1990, 3, 7)));
        assert_eq!(
            date("1990").map(|d| (d.year, d.month)),
            Ok((Some(1990), None))
        );
        assert_eq!(date("1990-03").map(|d| d.month), Ok(Some(3)));
        for bad in ["1990-02-30", "31/31/1990", "soon", "19900", "1990-13"] {
            assert!(date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn mapping_names_what_is_wrong() {
        let err = |s: &str| {
            Mapping::parse(&[s.to_owned()])
                .map(|_| ())
                .unwrap_err()
                .to_string()
        };
        assert!(err("nam=x").contains("unknown field `nam`"));
        assert!(err("full_name").contains("not field=COLUMN"));
        assert!(err("").contains("no field"));
        let m = Mapping::parse(&["address=street, address=suburb".into(), "sex=s".into()]);
        assert_eq!(
            m.ok(),
            Some(Mapping(vec![
                ("address".into(), vec!["street".into(), "suburb".into()]),
                ("sex".into(), vec!["s".into()])
            ]))
        );
    }
}
