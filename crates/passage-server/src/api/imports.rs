//! `/api/v1/imports`: a partner's CSV or XLSX list sent as the request body, imported into
//! an arrival by the bulk import engine (`crate::import`) under the caller's principal, so
//! the same validation, duplicate guard, permissions and audit as the command line and
//! `POST /api/v1/households`. The answer is the summary and the report, row by row (JSON,
//! or CSV as the command line writes it). Also the caller's import jobs; the saved column
//! mappings are `api/import_mappings.rs`.
//!
//! The body is written to a temporary file as it arrives (never held whole), counted
//! against [`IMPORT_LIMIT`] and hashed: the engine's job for the file's SHA-256 and the
//! arrival makes a second upload of the same file resume where the first stopped, or do
//! nothing when it finished.

use std::io::Write;

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use passage_domain::access::{Action, Principal, Resource};
use passage_store::ImportJob;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::DEFAULT_LIMIT;
use super::csv_out::csv;
use crate::AppState;
use crate::auth::Caller;
use crate::extract::{Id, Query};
use crate::import::mapping::{Mapping, MappingError};
use crate::import::source::SourceError;
use crate::import::{self, ImportError, Mode, Options, Outcome, RowReport, Summary};
use crate::problem::{ApiError, Problem};

/// Largest file an import takes, in bytes.
pub const IMPORT_LIMIT: usize = 32 * 1024 * 1024;

pub const CSV_MEDIA_TYPE: &str = "text/csv";
pub const XLSX_MEDIA_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The columns of the report as CSV (as the command line writes it).
pub const REPORT_COLUMNS: [&str; 5] =
    ["row", "outcome", "column", "message", "registration_number"];

/// How many leading bytes are kept to tell what the file is.
const SNIFF: usize = 4096;

/// The first bytes of a zip archive (an XLSX file is one).
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// What to do with rows that have problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportMode {
    /// Register every valid household; report the others.
    ValidOnly,
    /// Register nothing unless every row is valid.
    AllOrNothing,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// The arrival the households belong to.
    pub arrival_id: Uuid,
    /// `valid_only` (the default) or `all_or_nothing`.
    #[param(inline)]
    pub mode: Option<ImportMode>,
    /// Check every row and report; register nothing.
    pub dry_run: Option<bool>,
    /// The name of a saved column mapping; without it, columns named like Passage's
    /// fields or tagged with HXL hashtags (second row) are used.
    pub mapping: Option<String>,
    /// `json` (the default) or `csv`: the report as CSV (also with `Accept: text/csv`).
    pub format: Option<String>,
}

/// What became of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RowOutcome {
    /// Dry run: it would be registered.
    Valid,
    Created,
    /// Likely already registered, or the same person as an earlier row: not registered.
    Duplicate,
    Rejected,
}

impl From<Outcome> for RowOutcome {
    fn from(o: Outcome) -> Self {
        match o {
            Outcome::Valid => Self::Valid,
            Outcome::Created => Self::Created,
            Outcome::Duplicate => Self::Duplicate,
            Outcome::Rejected => Self::Rejected,
        }
    }
}

/// One line of the report: a row (as the spreadsheet numbers it, the header is row 1)
/// and, for a problem, the column and what is wrong.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportLine {
    pub row: u64,
    pub outcome: RowOutcome,
    /// The file's column at fault; empty when the row as a whole is.
    pub column: String,
    pub message: String,
    /// The household's registration number, when created.
    pub registration_number: Option<String>,
}

impl From<RowReport> for ReportLine {
    fn from(r: RowReport) -> Self {
        Self {
            row: r.row,
            outcome: r.outcome.into(),
            column: r.column,
            message: r.message,
            registration_number: r.registration_number,
        }
    }
}

/// Counts of a run.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct ImportSummary {
    /// Data rows read.
    pub rows: u64,
    /// Rows settled by an earlier upload of the same file, skipped.
    pub resumed: u64,
    pub valid: u64,
    pub created: u64,
    pub duplicates: u64,
    pub rejected: u64,
    /// The file was imported into this arrival before: nothing was done.
    pub already_done: bool,
}

impl From<Summary> for ImportSummary {
    fn from(s: Summary) -> Self {
        Self {
            rows: s.rows,
            resumed: s.resumed,
            valid: s.valid,
            created: s.created,
            duplicates: s.duplicates,
            rejected: s.rejected,
            already_done: s.already_done,
        }
    }
}

/// The answer to an upload.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReport {
    pub dry_run: bool,
    pub summary: ImportSummary,
    /// The job of this file and arrival (none for a dry run).
    pub job: Option<ImportJob>,
    /// Every row not plainly valid, and every created row with its household's number.
    pub rows: Vec<ReportLine>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportJobList {
    pub items: Vec<ImportJob>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JobQuery {
    /// At most this many items; larger values are reduced to the page size.
    #[param(value_type = Option<u64>, maximum = 4_294_967_295.0)]
    pub limit: Option<u32>,
}

/// The kinds of file an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Csv,
    Xlsx,
}

impl Kind {
    fn of(headers: &HeaderMap) -> Result<Self, ApiError> {
        let given = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let mime = given
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match mime.as_str() {
            CSV_MEDIA_TYPE => Ok(Self::Csv),
            XLSX_MEDIA_TYPE => Ok(Self::Xlsx),
            _ => Err(ApiError::MediaType(format!(
                "send the file as the body, with Content-Type {CSV_MEDIA_TYPE} (UTF-8) or \
                 {XLSX_MEDIA_TYPE}; this request has '{given}'"
            ))),
        }
    }

    /// The file name ending the engine reads the file by.
    fn suffix(self) -> &'static str {
        match self {
            Self::Csv => ".csv",
            Self::Xlsx => ".xlsx",
        }
    }

    /// Refuses a body that plainly is not what its media type says, from its first bytes.
    fn check(self, head: &[u8]) -> Result<(), ApiError> {
        let problem = |m: &str| Err(ApiError::invalid("body", m));
        match self {
            Self::Xlsx if !head.starts_with(ZIP_MAGIC) => problem(
                "is not an XLSX file (an XLSX file is a zip archive); save the sheet as .xlsx, or send CSV as text/csv",
            ),
            Self::Csv if head.starts_with(ZIP_MAGIC) => problem(&format!(
                "is a zip archive, not CSV text: an XLSX file is sent as {XLSX_MEDIA_TYPE}"
            )),
            Self::Csv if head.contains(&0) => problem("is not text: a CSV file is UTF-8 text"),
            Self::Csv => {
                let first_line = head.split(|b| *b == b'\n').next().unwrap_or(head);
                let complete = head.len() < SNIFF || first_line.len() < head.len();
                if complete && std::str::from_utf8(first_line).is_err() {
                    problem("row 1 (the header) is not UTF-8; save the file as UTF-8")
                } else {
                    Ok(())
                }
            }
            Self::Xlsx => Ok(()),
        }
    }
}

/// The upload, as written to a temporary file.
struct Upload {
    file: tempfile::NamedTempFile,
    sha256: String,
}

fn megabytes(n: usize) -> usize {
    n / (1024 * 1024)
}

/// Writes the body to a temporary file as it arrives, within [`IMPORT_LIMIT`], and
/// checks its first bytes.
async fn receive(body: Body, kind: Kind) -> Result<Upload, ApiError> {
    let failed = |e: std::io::Error| {
        tracing::error!(error = %e, "cannot write an import's temporary file");
        ApiError::Unavailable
    };
    let mut file = tempfile::Builder::new()
        .prefix("passage-import-")
        .suffix(kind.suffix())
        .tempfile()
        .map_err(failed)?;
    let mut body = body;
    let mut hasher = Sha256::new();
    let mut head: Vec<u8> = Vec::new();
    let mut size = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| {
            ApiError::BadRequest(format!("the body could not be read to its end: {e}"))
        })?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        size += data.len();
        if size > IMPORT_LIMIT {
            return Err(ApiError::BodyTooLarge(format!(
                "the file is larger than the {} MiB an import takes; split it into several files",
                megabytes(IMPORT_LIMIT)
            )));
        }
        if head.len() < SNIFF {
            let take = (SNIFF - head.len()).min(data.len());
            head.extend_from_slice(&data[..take]);
        }
        hasher.update(&data);
        file.write_all(&data).map_err(failed)?;
    }
    if size == 0 {
        return Err(ApiError::invalid(
            "body",
            "is empty: send the file as the body",
        ));
    }
    kind.check(&head)?;
    file.flush().map_err(failed)?;
    let sha256 = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(Upload { file, sha256 })
}

/// A failed import as a problem naming what was wrong: with the file, the mapping or the
/// columns (4xx), or the service (503).
fn refused(e: ImportError, mapping_given: bool) -> ApiError {
    match e {
        ImportError::Source(SourceError::Empty) => {
            ApiError::invalid("body", "has no header row: the first row names the columns")
        }
        ImportError::Source(e @ (SourceError::Csv { .. } | SourceError::Xlsx(_))) => {
            ApiError::invalid("body", e.to_string())
        }
        ImportError::Source(SourceError::Kind(k)) => {
            ApiError::MediaType(format!("the file is neither CSV nor XLSX ({k})"))
        }
        ImportError::Source(SourceError::Io(e)) => {
            tracing::error!(error = %e, "cannot read an import's temporary file");
            ApiError::Unavailable
        }
        ImportError::Mapping(e) => {
            let field = if mapping_given { "mapping" } else { "header" };
            let hint = match (&e, mapping_given) {
                (MappingError::Required(_), false) => {
                    "; name the columns as Passage's fields, tag them with HXL, or give a saved mapping"
                }
                _ => "",
            };
            ApiError::invalid(field, format!("{e}{hint}"))
        }
        ImportError::Api(e) => e,
        ImportError::Store(e) => e.into(),
    }
}

/// The saved mapping named `name`, read as a mapping.
async fn saved(app: &AppState, p: &Principal, name: &str) -> Result<Mapping, ApiError> {
    let found = app
        .store
        .saved_import_mapping(p, name)
        .await?
        .ok_or_else(|| ApiError::invalid("mapping", format!("no mapping is saved as '{name}'")))?;
    crate::extract::from_value("mapping", found.mapping)
}

fn wants_csv(format: Option<&str>, headers: &HeaderMap) -> Result<bool, ApiError> {
    match format {
        Some("csv") => Ok(true),
        Some("json") => Ok(false),
        Some(other) => Err(ApiError::invalid(
            "format",
            format!("'{other}' is neither json nor csv"),
        )),
        None => Ok(headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.to_ascii_lowercase().contains(CSV_MEDIA_TYPE))),
    }
}

/// Import a CSV or XLSX list of persons into an arrival: the file is the body. Rows with
/// the same `household` value, one after another, are one household; each goes through
/// the validation and duplicate guard of `POST /api/v1/households`. The answer reports
/// every row with a problem at its row and column, and every created row with its
/// household's number. Sending the same file for the same arrival again resumes an import
/// that stopped, and does nothing for one that finished.
#[utoipa::path(post, path = "/api/v1/imports", tag = "import", params(ImportQuery),
    request_body(description = "The file, at most 32 MiB", content(
        (String = "text/csv"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
    responses(
        (status = 200, description = "The summary and the report", content(
            (ImportReport = "application/json"),
            (String = "text/csv"))),
        (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 413, body = Problem), (status = 415, body = Problem),
        (status = 422, body = Problem)))]
pub async fn upload(
    State(app): State<AppState>,
    Caller(p): Caller,
    Query(q): Query<ImportQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    p.require(Action::Create, Resource::Household)?;
    let as_csv = wants_csv(q.format.as_deref(), &headers)?;
    let kind = Kind::of(&headers)?;
    if app.store.arrival(&p, q.arrival_id).await?.is_none() {
        return Err(ApiError::invalid(
            "arrival_id",
            format!("no arrival has the id {}", q.arrival_id),
        ));
    }
    let mapping = match &q.mapping {
        Some(name) => Some(saved(&app, &p, name).await?),
        None => None,
    };
    let upload = receive(body, kind).await?;
    let dry_run = q.dry_run.unwrap_or(false);
    let options = Options {
        arrival: q.arrival_id,
        mode: match q.mode.unwrap_or(ImportMode::ValidOnly) {
            ImportMode::ValidOnly => Mode::ValidOnly,
            ImportMode::AllOrNothing => Mode::AllOrNothing,
        },
        dry_run,
        mapping,
        stop_after: None,
    };
    let mut lines: Vec<RowReport> = Vec::new();
    let summary = import::import(
        &app,
        &p,
        upload.file.path(),
        &options,
        &mut |l| lines.push(l),
        &|_| {},
    )
    .await
    .map_err(|e| refused(e, q.mapping.is_some()))?;
    if as_csv {
        let rows = lines
            .into_iter()
            .map(|l| {
                vec![
                    l.row.to_string(),
                    l.outcome.code().to_owned(),
                    l.column,
                    l.message,
                    l.registration_number.unwrap_or_default(),
                ]
            })
            .collect();
        return csv("import-report.csv", &REPORT_COLUMNS, rows);
    }
    let job = if dry_run {
        None
    } else {
        app.store
            .import_job_of(&p, &upload.sha256, q.arrival_id)
            .await?
    };
    Ok(Json(ImportReport {
        dry_run,
        summary: summary.into(),
        job,
        rows: lines.into_iter().map(ReportLine::from).collect(),
    })
    .into_response())
}

/// The caller's organisation's import jobs, newest first: which file (by SHA-256) into
/// which arrival, how far, and what it did.
#[utoipa::path(get, path = "/api/v1/imports", tag = "import", params(JobQuery),
    responses((status = 200, body = ImportJobList), (status = 403, body = Problem)))]
pub async fn jobs(
    State(app): State<AppState>,
    Caller(p): Caller,
    Query(q): Query<JobQuery>,
) -> Result<Json<ImportJobList>, ApiError> {
    let items = app
        .store
        .import_jobs(&p, q.limit.unwrap_or(DEFAULT_LIMIT))
        .await?;
    Ok(Json(ImportJobList { items }))
}

#[utoipa::path(get, path = "/api/v1/imports/{id}", tag = "import", params(("id" = Uuid, Path)),
    responses((status = 200, body = ImportJob), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn job(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
) -> Result<Json<ImportJob>, ApiError> {
    app.store
        .import_job(&p, id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("import {id}")))
}
