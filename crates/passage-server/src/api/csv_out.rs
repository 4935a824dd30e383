//! CSV answers: a header row, then the rows, with every cell that a spreadsheet would read
//! as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) neutralised by a leading
//! apostrophe.

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

#[cfg(test)]
mod tests {
    use super::neutral;

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
