//! CSV and XLSX answers: a header row, then the rows. In CSV every cell that a spreadsheet
//! would read as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) is neutralised
//! by a leading apostrophe; in XLSX cells are written as text or numbers, never formulas.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::problem::ApiError;

/// A cell safe to open in a spreadsheet.
pub fn neutral(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

/// The bytes of a CSV file: the header row, then the rows, neutralised.
pub fn csv_bytes(header_row: &[&str], rows: Vec<Vec<String>>) -> Result<Vec<u8>, ApiError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header_row)
        .map_err(|_| ApiError::Unavailable)?;
    for row in rows {
        w.write_record(row.iter().map(|c| neutral(c)))
            .map_err(|_| ApiError::Unavailable)?;
    }
    w.into_inner().map_err(|_| ApiError::Unavailable)
}

/// A `text/csv` answer of `body`, named `filename`.
pub fn csv_response(filename: &str, body: Vec<u8>) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// A `text/csv` answer named `filename`.
pub fn csv(
    filename: &str,
    header_row: &[&str],
    rows: Vec<Vec<String>>,
) -> Result<Response, ApiError> {
    Ok(csv_response(filename, csv_bytes(header_row, rows)?))
}

/// The bytes of an XLSX workbook of one sheet: the header row in bold, then the rows;
/// whole numbers as numbers, everything else as text.
pub fn xlsx_bytes(
    sheet: &str,
    header_row: &[&str],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, ApiError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = book.add_worksheet();
    ws.set_name(sheet).map_err(|_| ApiError::Unavailable)?;
    for (c, h) in header_row.iter().enumerate() {
        let c = u16::try_from(c).map_err(|_| ApiError::Unavailable)?;
        ws.write_string_with_format(0, c, *h, &bold)
            .map_err(|_| ApiError::Unavailable)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| ApiError::Unavailable)?;
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).map_err(|_| ApiError::Unavailable)?;
            let written = match cell.parse::<u32>() {
                Ok(n) => ws.write_number(r, c, f64::from(n)).map(|_| ()),
                Err(_) => ws.write_string(r, c, cell).map(|_| ()),
            };
            written.map_err(|_| ApiError::Unavailable)?;
        }
    }
    book.save_to_buffer().map_err(|_| ApiError::Unavailable)
}

/// An XLSX answer of `body`, named `filename`.
pub fn xlsx_response(filename: &str, body: Vec<u8>) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::neutral;

    #[test]
    fn a_workbook_is_a_zip_with_the_sheet() {
        let bytes = super::xlsx_bytes(
            "population",
            &["sex", "count"],
            &[vec!["F".into(), "12".into()], vec!["M".into(), "<5".into()]],
        )
        .unwrap();
        assert_eq!(&bytes[..2], b"PK", "an XLSX file is a zip archive");
        assert!(bytes.len() > 1000);
    }

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(neutral("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutral("+1"), "'+1");
        assert_eq!(neutral("-2"), "'-2");
        assert_eq!(neutral("@SUM"), "'@SUM");
        assert_eq!(neutral("Rohingya"), "Rohingya");
        assert_eq!(neutral(""), "");
    }
}
