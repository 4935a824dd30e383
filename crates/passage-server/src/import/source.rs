//! Reading a spreadsheet row by row: CSV streamed from the file (never read whole), XLSX
//! through calamine (one sheet in memory, as the format requires).

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use calamine::{Data, Range, Reader};
use sha2::{Digest, Sha256};

/// Why a file cannot be read at all.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
    #[error("row {row}: the CSV cannot be read: {message}")]
    Csv { row: u64, message: String },
    #[error("the spreadsheet cannot be read: {0}")]
    Xlsx(String),
    #[error("the file has no header row")]
    Empty,
    #[error("the file is neither .csv nor .xlsx: {0}")]
    Kind(String),
}

/// One cell as read: text, or bytes that are not UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    NotUtf8,
}

/// A row of the file with its number as the spreadsheet shows it (the header is row 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub number: u64,
    pub cells: Vec<Cell>,
}

impl Row {
    /// The text of cell `i`, trimmed; `None` when empty or missing.
    pub fn text(&self, i: usize) -> Option<&str> {
        match self.cells.get(i) {
            Some(Cell::Text(t)) => Some(t.trim()).filter(|t| !t.is_empty()),
            _ => None,
        }
    }

    pub fn is_blank(&self) -> bool {
        self.cells
            .iter()
            .all(|c| matches!(c, Cell::Text(t) if t.trim().is_empty()))
    }
}

/// The rows of a CSV or XLSX file, in order.
pub enum Source {
    Csv {
        reader: csv::Reader<BufReader<File>>,
        record: csv::ByteRecord,
        number: u64,
    },
    Xlsx {
        range: Range<Data>,
        next: usize,
    },
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Source").finish_non_exhaustive()
    }
}

/// The SHA-256 of a file, read in blocks.
pub fn sha256(path: &Path) -> Result<String, SourceError> {
    let mut file = BufReader::new(File::open(path)?);
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Days from the Julian day number to Excel's day 0 (1899-12-30).
const EXCEL_EPOCH_JULIAN: i32 = 2_415_019;

fn excel_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => {
            let day = dt.as_f64().floor();
            i32::try_from(day as i64)
                .ok()
                .and_then(|d| time::Date::from_julian_day(EXCEL_EPOCH_JULIAN + d).ok())
                .map_or_else(|| dt.as_f64().to_string(), |d| d.to_string())
        }
        Data::Error(e) => format!("#{e:?}"),
    }
}

impl Source {
    /// Opens `path` by its extension.
    pub fn open(path: &Path) -> Result<Self, SourceError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "txt" => Ok(Self::Csv {
                reader: csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(BufReader::new(File::open(path)?)),
                record: csv::ByteRecord::new(),
                number: 0,
            }),
            "xlsx" | "xlsm" | "ods" => {
                // calamine can panic on a damaged file (a cell reference too long for its
                // numbers, found by fuzzing): such a file is refused like any unreadable one.
                let read = || -> Result<Range<Data>, SourceError> {
                    let mut book = calamine::open_workbook_auto(path)
                        .map_err(|e| SourceError::Xlsx(e.to_string()))?;
                    book.worksheet_range_at(0)
                        .ok_or(SourceError::Empty)?
                        .map_err(|e| SourceError::Xlsx(e.to_string()))
                };
                let range = std::panic::catch_unwind(read).map_err(|_| {
                    SourceError::Xlsx("the file is damaged: a cell cannot be read".to_owned())
                })??;
                Ok(Self::Xlsx { range, next: 0 })
            }
            other => Err(SourceError::Kind(other.to_owned())),
        }
    }
}

impl Iterator for Source {
    type Item = Result<Row, SourceError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Self::Csv {
                reader,
                record,
                number,
            } => {
                *number += 1;
                match reader.read_byte_record(record) {
                    Ok(false) => None,
                    Ok(true) => Some(Ok(Row {
                        number: *number,
                        cells: record
                            .iter()
                            .map(|b| {
                                std::str::from_utf8(b)
                                    .map_or(Cell::NotUtf8, |s| Cell::Text(s.to_owned()))
                            })
                            .collect(),
                    })),
                    Err(e) => Some(Err(SourceError::Csv {
                        row: e.position().map_or(*number, |p| p.line()),
                        message: e.to_string(),
                    })),
                }
            }
            Self::Xlsx { range, next } => {
                let row = range.rows().nth(*next)?;
                *next += 1;
                Some(Ok(Row {
                    number: *next as u64,
                    cells: row.iter().map(|d| Cell::Text(excel_text(d))).collect(),
                }))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    /// Found by fuzzing (`fuzz/`, target `import_rows`): a worksheet cell whose reference is
    /// nine letters (`r="inlineStr"`) overflowed calamine's column number and panicked.
    #[test]
    fn a_damaged_spreadsheet_is_refused_not_a_panic() {
        let bytes = include_bytes!("../../tests/data/xlsx-cell-reference-overflow.xlsx");
        let path = std::env::temp_dir().join(format!(
            "passage-source-damaged-{}.xlsx",
            std::process::id()
        ));
        std::fs::write(&path, bytes).unwrap();
        let opened = Source::open(&path);
        std::fs::remove_file(&path).unwrap();
        match opened {
            Err(SourceError::Xlsx(message)) => assert!(!message.is_empty()),
            Err(other) => panic!("refused for another reason: {other}"),
            Ok(_) => panic!("a damaged spreadsheet was read"),
        }
    }
}
