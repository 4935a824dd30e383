//! One row of a file into a person, every problem named at its column.

use passage_domain::household::{GroupKind, Relationship};
use passage_domain::person::PersonDetails;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use time::Date;

use super::mapping::{Columns, Field};
use super::source::{Cell, Row};

/// A problem at a column of a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellProblem {
    pub column: String,
    pub message: String,
}

/// What a row holds once read.
#[derive(Debug, Clone)]
pub struct ReadRow {
    pub number: u64,
    pub household: Option<String>,
    pub relationship: Option<Relationship>,
    pub kind: Option<GroupKind>,
    pub person: PersonDetails,
}

fn parse<T: DeserializeOwned>(v: Value) -> Result<T, String> {
    serde_json::from_value(v).map_err(|e| e.to_string())
}

fn sex_code(s: &str) -> String {
    match s.to_lowercase().as_str() {
        "f" | "female" | "woman" | "girl" => "F".to_owned(),
        "m" | "male" | "man" | "boy" => "M".to_owned(),
        "x" | "other" => "X".to_owned(),
        "u" | "unknown" | "not stated" => "U".to_owned(),
        other => other.to_owned(),
    }
}

/// The column a problem at a person's field path belongs to.
fn column_of(columns: &Columns, path: &str) -> String {
    let head = path.split(['.', '[']).next().unwrap_or(path);
    let field = match head {
        "given_name" => Field::GivenName,
        "family_name" => Field::FamilyName,
        "original_name" => Field::OriginalName,
        "sex" => Field::Sex,
        "date_of_birth" => {
            if columns.get(Field::DateOfBirth).is_none() {
                Field::BirthYear
            } else {
                Field::DateOfBirth
            }
        }
        "nationalities" => Field::Nationality,
        "languages" => Field::Languages,
        "place_of_origin" => Field::PlaceOfOrigin,
        "contact" => Field::Phone,
        _ => return path.to_owned(),
    };
    columns.name_of(field)
}

/// Reads a row: every cell that cannot be what its column holds, then the person's own
/// rules (`PersonDetails::validated`), each at its column.
pub fn read(columns: &Columns, row: &Row, today: Date) -> Result<ReadRow, Vec<CellProblem>> {
    let mut problems = Vec::new();
    for (i, c) in row.cells.iter().enumerate() {
        if *c == Cell::NotUtf8 {
            problems.push(CellProblem {
                column: columns.name_at(i),
                message: format!("row {}: not UTF-8; save the file as UTF-8", row.number),
            });
        }
    }
    let text = |f: Field| columns.get(f).and_then(|i| row.text(i));
    let mut bad = |f: Field, message: String| {
        problems.push(CellProblem {
            column: columns.name_of(f),
            message,
        });
    };
    let mut p = Map::new();
    for (f, key) in [
        (Field::GivenName, "given_name"),
        (Field::FamilyName, "family_name"),
        (Field::PlaceOfOrigin, "place_of_origin"),
    ] {
        if let Some(v) = text(f) {
            p.insert(key.to_owned(), json!(v));
        }
    }
    if let Some(name) = text(Field::OriginalName) {
        match text(Field::OriginalScript) {
            None => {
                let why = match columns.get(Field::OriginalScript) {
                    Some(_) => "is empty",
                    None => "no column holds it",
                };
                bad(
                    Field::OriginalScript,
                    format!(
                        "{why}; an original name needs the code of its script (ISO 15924, e.g. Arab)"
                    ),
                );
            }
            Some(script) => match parse::<passage_domain::codes::Script>(json!(script)) {
                Ok(_) => {
                    p.insert(
                        "original_name".to_owned(),
                        json!({"text": name, "script": script}),
                    );
                }
                Err(e) => bad(Field::OriginalScript, e),
            },
        }
    }
    match text(Field::Sex) {
        None => bad(Field::Sex, "is empty; it is required".to_owned()),
        Some(s) => {
            let code = sex_code(s);
            match parse::<passage_domain::person::Sex>(json!(code)) {
                Ok(_) => {
                    p.insert("sex".to_owned(), json!(code));
                }
                Err(_) => bad(Field::Sex, format!("'{s}' is not a sex (F, M, X or U)")),
            }
        }
    }
    let precision = text(Field::DobPrecision).map(str::to_lowercase);
    let dob = match (text(Field::DateOfBirth), text(Field::BirthYear)) {
        (Some(d), _) => Some((
            Field::DateOfBirth,
            d.to_owned(),
            precision.unwrap_or_else(|| "exact".to_owned()),
        )),
        (None, Some(y)) => Some((
            Field::BirthYear,
            format!("{y}-01-01"),
            "year_only".to_owned(),
        )),
        (None, None) => None,
    };
    if let Some((field, date, precision)) = dob {
        let value = json!({"date": date, "precision": precision});
        match parse::<passage_domain::age::DateOfBirth>(value.clone()) {
            Ok(_) => {
                p.insert("date_of_birth".to_owned(), value);
            }
            Err(e) => bad(
                field,
                format!("'{date}' ({precision}) is not a possible date of birth: {e}"),
            ),
        }
    }
    let mut nationalities = Vec::new();
    for f in [Field::Nationality, Field::OtherNationality] {
        if let Some(n) = text(f) {
            let code = n.to_ascii_uppercase();
            let code = if code == "STATELESS" || code == "UNKNOWN" {
                n.to_ascii_lowercase()
            } else {
                code
            };
            match parse::<passage_domain::codes::Nationality>(json!(code)) {
                Ok(_) => nationalities.push(code),
                Err(_) => bad(
                    f,
                    format!(
                        "'{n}' is not a known country (ISO 3166-1 alpha-3), stateless or unknown"
                    ),
                ),
            }
        }
    }
    if !nationalities.is_empty() {
        p.insert("nationalities".to_owned(), json!(nationalities));
    }
    if let Some(l) = text(Field::Languages) {
        let codes: Vec<&str> = l.split([' ', ',', ';']).filter(|s| !s.is_empty()).collect();
        match parse::<Vec<passage_domain::codes::Language>>(json!(codes)) {
            Ok(_) => {
                p.insert("languages".to_owned(), json!(codes));
            }
            Err(e) => bad(Field::Languages, format!("'{l}': {e}")),
        }
    }
    if let Some(phone) = text(Field::Phone) {
        p.insert("contact".to_owned(), json!({"phone": phone}));
    }
    let relationship = match text(Field::Relationship) {
        None => None,
        Some(r) => match parse::<Relationship>(json!(r.to_lowercase().replace(' ', "_"))) {
            Ok(r) => Some(r),
            Err(_) => {
                bad(
                    Field::Relationship,
                    format!("'{r}' is not a relationship to the head"),
                );
                None
            }
        },
    };
    let kind = match text(Field::Kind) {
        None => None,
        Some(k) => match parse::<GroupKind>(json!(k.to_lowercase())) {
            Ok(k) => Some(k),
            Err(_) => {
                bad(Field::Kind, format!("'{k}' is not family or group"));
                None
            }
        },
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let person = parse::<PersonDetails>(Value::Object(p))
        .map_err(|message| {
            vec![CellProblem {
                column: String::new(),
                message,
            }]
        })?
        .validated(today)
        .map_err(|e| {
            e.0.into_iter()
                .map(|f| CellProblem {
                    column: column_of(columns, &f.field),
                    message: f.message,
                })
                .collect::<Vec<_>>()
        })?;
    Ok(ReadRow {
        number: row.number,
        household: text(Field::Household).map(str::to_owned),
        relationship,
        kind,
        person,
    })
}

/// The key two rows of one file share when they are plainly the same person: folded
/// names, date of birth and sex. `None` without a name.
pub fn same_person_key(p: &PersonDetails) -> Option<String> {
    let fold = |s: &Option<String>| {
        s.as_deref()
            .map(passage_domain::text::fold)
            .unwrap_or_default()
    };
    let (given, family) = (fold(&p.given_name), fold(&p.family_name));
    if given.is_empty() && family.is_empty() {
        return None;
    }
    let dob = p
        .date_of_birth
        .map(|d| d.date.to_string())
        .unwrap_or_default();
    Some(format!("{given}|{family}|{dob}|{:?}", p.sex))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use time::macros::date;

    use super::*;
    use crate::import::mapping::is_hxl_row;
    use crate::import::source::Source;

    /// Reads a CSV file as the import does: the header, an HXL row if there is one, then
    /// every row into a person.
    fn read_csv(name: &str, contents: &[u8]) -> Vec<Result<ReadRow, Vec<CellProblem>>> {
        let path =
            std::env::temp_dir().join(format!("passage-person-{name}-{}.csv", std::process::id()));
        std::fs::write(&path, contents).unwrap();
        let rows: Vec<Row> = Source::open(&path).unwrap().map(Result::unwrap).collect();
        std::fs::remove_file(&path).unwrap();
        let texts = |row: &Row| -> Vec<Option<String>> {
            (0..row.cells.len())
                .map(|i| row.text(i).map(str::to_owned))
                .collect()
        };
        let all = |row: &Row| -> Vec<String> {
            texts(row)
                .into_iter()
                .map(Option::unwrap_or_default)
                .collect()
        };
        let second: Vec<Option<String>> = texts(&rows[1]);
        let hxl = is_hxl_row(&second.iter().map(Option::as_deref).collect::<Vec<_>>());
        let columns =
            Columns::resolve(&all(&rows[0]), hxl.then(|| all(&rows[1])).as_deref(), None).unwrap();
        rows[if hxl { 2 } else { 1 }..]
            .iter()
            .map(|row| read(&columns, row, date!(2026 - 01 - 15)))
            .collect()
    }

    /// Found by fuzzing (`fuzz/`, target `import_rows`): an original name with its script
    /// left empty, or in a column the file does not map, was refused with a problem that
    /// named no column.
    #[test]
    fn an_original_name_without_its_script_names_the_script_column() {
        let file = "HH,First,Gender,Year,Langs,Script,Native\n\
                    #household+id,#name+first,#sex,#date+year,#language,,#name+native\n\
                    K1,Ali,M,1990,\"ara, eng\",Arab,علي\n";
        let problems = read_csv("no-script", file.as_bytes())
            .remove(0)
            .unwrap_err();
        assert_eq!(
            problems,
            vec![CellProblem {
                column: "original_script".to_owned(),
                message:
                    "no column holds it; an original name needs the code of its script (ISO 15924, e.g. Arab)"
                        .to_owned(),
            }]
        );
        let named = "original_name,original_script,sex\n#name+native,,#sex\n\
                     علي,Arab,M\nعلي,Ar,M\nعلي,,M\n";
        let rows = read_csv("named-script", named.as_bytes());
        let script = rows[0]
            .as_ref()
            .unwrap()
            .person
            .original_name
            .clone()
            .unwrap()
            .script;
        assert_eq!(String::from(script), "Arab");
        for (row, message) in [
            (1, "'Ar' is not an ISO 15924 script code"),
            (2, "is empty;"),
        ] {
            let problems = rows[row].as_ref().unwrap_err();
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert_eq!(problems[0].column, "original_script");
            assert!(problems[0].message.starts_with(message), "{problems:?}");
        }
    }

    /// Found by fuzzing (`fuzz/`, target `import_rows`): a cell that is not UTF-8, under a
    /// header that is not UTF-8 either, was reported at a column with no name.
    #[test]
    fn a_cell_under_an_unreadable_header_is_named_by_its_position() {
        let file = b"given_name,sex,origgiv\x90en_nama,si\x01\x00\x00\x00\x00\x00\x00\x00\n\
                     ,AilM,\xff\xfe\nex,origixal_emAn,i\nalM,\xff\xfe\n";
        let rows = read_csv("unreadable-header", file);
        let problems = rows[0].as_ref().unwrap_err();
        assert!(
            problems.contains(&CellProblem {
                column: "column 3".to_owned(),
                message: "row 2: not UTF-8; save the file as UTF-8".to_owned(),
            }),
            "{problems:?}"
        );
        assert!(
            problems.iter().all(|p| !p.column.is_empty()),
            "{problems:?}"
        );
    }
}
