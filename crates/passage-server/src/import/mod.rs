//! Bulk import of CSV and XLSX files (HXL-tagged or not) through the same validation and
//! duplicate guard as `POST /api/v1/households` (`households::register`): a dry run that
//! names every problem by row and column, then an import that registers the valid
//! households and reports the rest.
//!
//! # Invariants
//!
//! - No second set of rules: a row becomes a person by the domain's own types and
//!   `validated`, a household is registered only by `households::register`.
//! - Rows with the same household key, one after another, are one household: its head
//!   (the row without a relationship, or `head`) and its members. A household is
//!   registered whole or not at all.
//! - A file is streamed (CSV) and its job records the last row whose household is settled
//!   every [`CHECKPOINT`] households: a run stopped half way resumes after it, and rows
//!   registered after the last checkpoint meet the duplicate guard, never a second
//!   registration.
//! - In `all_or_nothing` mode a full dry run comes first; any problem and nothing is
//!   registered.

pub mod mapping;
pub mod person;
pub mod source;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use passage_domain::access::Principal;
use passage_domain::household::{GroupKind, HouseholdRegistration, MemberDetails, Relationship};
use passage_store::{ImportJob, ImportProgress, StoreError};
use uuid::Uuid;

use crate::AppState;
use crate::api::{duplicates, households};
use crate::matcher::LIKELY;
use crate::problem::ApiError;
use mapping::{Columns, Mapping, MappingError};
use person::{CellProblem, ReadRow};
use source::{Source, SourceError};

/// Households registered between two records of a job's progress.
pub const CHECKPOINT: u64 = 100;

/// What to do with the rows that have problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Register every valid household; report the others.
    ValidOnly,
    /// Register nothing unless every row is valid.
    AllOrNothing,
}

impl Mode {
    pub fn code(self) -> &'static str {
        match self {
            Self::ValidOnly => "valid_only",
            Self::AllOrNothing => "all_or_nothing",
        }
    }
}

/// What became of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Dry run: it would be registered.
    Valid,
    Created,
    /// Likely already registered (or the same as an earlier row): not registered, to review.
    Duplicate,
    Rejected,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::Created => "created",
            Self::Duplicate => "duplicate",
            Self::Rejected => "rejected",
        }
    }
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowReport {
    pub row: u64,
    pub outcome: Outcome,
    pub column: String,
    pub message: String,
    /// The household's registration number, when created.
    pub registration_number: Option<String>,
}

/// Counts of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    pub rows: u64,
    /// Rows settled by an earlier run of the same file, skipped.
    pub resumed: u64,
    pub valid: u64,
    pub created: u64,
    pub duplicates: u64,
    pub rejected: u64,
    /// The file was imported before: nothing was done.
    pub already_done: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(transparent)]
    Mapping(#[from] MappingError),
    #[error("the import stopped: {0}")]
    Api(#[from] ApiError),
    #[error("the import stopped: {0}")]
    Store(#[from] StoreError),
}

/// What to import and how.
#[derive(Debug, Clone)]
pub struct Options {
    pub arrival: Uuid,
    pub mode: Mode,
    pub dry_run: bool,
    pub mapping: Option<Mapping>,
    /// Stop after this many households (to test and demonstrate resumption).
    pub stop_after: Option<u64>,
}

struct Pass<'a> {
    app: &'a AppState,
    p: &'a Principal,
    options: &'a Options,
    dry_run: bool,
    seen_keys: HashSet<String>,
    same: HashMap<String, u64>,
    summary: Summary,
}

fn problems_of(row: u64, outcome: Outcome, problems: Vec<CellProblem>) -> Vec<RowReport> {
    problems
        .into_iter()
        .map(|c| RowReport {
            row,
            outcome,
            column: c.column,
            message: c.message,
            registration_number: None,
        })
        .collect()
}

impl Pass<'_> {
    /// Settles one household's rows: read, each checked, then registered or reported.
    async fn household(
        &mut self,
        rows: Vec<Result<ReadRow, (u64, Vec<CellProblem>)>>,
        report: &mut (dyn FnMut(RowReport) + Send),
    ) -> Result<(), ImportError> {
        let numbers: Vec<u64> = rows
            .iter()
            .map(|r| match r {
                Ok(r) => r.number,
                Err((n, _)) => *n,
            })
            .collect();
        let mut lines = Vec::new();
        let mut read = Vec::new();
        for r in rows {
            match r {
                Ok(r) => read.push(r),
                Err((n, problems)) => lines.extend(problems_of(n, Outcome::Rejected, problems)),
            }
        }
        if lines.is_empty() {
            lines.extend(self.check_within_file(&read));
        }
        if lines.is_empty() {
            lines.extend(self.settle(read).await?);
        } else {
            let bad: HashSet<u64> = lines.iter().map(|l| l.row).collect();
            for n in numbers.iter().filter(|n| !bad.contains(n)) {
                lines.push(RowReport {
                    row: *n,
                    outcome: Outcome::Rejected,
                    column: String::new(),
                    message: "another row of its household has problems".to_owned(),
                    registration_number: None,
                });
            }
        }
        let mut counted = HashSet::new();
        lines.sort_by_key(|l| l.row);
        for l in lines {
            if counted.insert(l.row) {
                let s = &mut self.summary;
                match l.outcome {
                    Outcome::Valid => s.valid += 1,
                    Outcome::Created => s.created += 1,
                    Outcome::Duplicate => s.duplicates += 1,
                    Outcome::Rejected => s.rejected += 1,
                }
            }
            report(l);
        }
        Ok(())
    }

    /// Rows plainly the same person as an earlier row of the file.
    fn check_within_file(&mut self, read: &[ReadRow]) -> Vec<RowReport> {
        let mut lines = Vec::new();
        for r in read {
            let Some(key) = person::same_person_key(&r.person) else {
                continue;
            };
            match self.same.get(&key) {
                Some(&first) => lines.push(RowReport {
                    row: r.number,
                    outcome: Outcome::Duplicate,
                    column: String::new(),
                    message: format!("duplicate within the file: the same person as row {first}"),
                    registration_number: None,
                }),
                None => {
                    self.same.insert(key, r.number);
                }
            }
        }
        lines
    }

    async fn settle(&mut self, read: Vec<ReadRow>) -> Result<Vec<RowReport>, ImportError> {
        let numbers: Vec<u64> = read.iter().map(|r| r.number).collect();
        let line = |row: u64, outcome: Outcome, column: &str, message: String| RowReport {
            row,
            outcome,
            column: column.to_owned(),
            message,
            registration_number: None,
        };
        let heads: Vec<usize> = (0..read.len())
            .filter(|&i| matches!(read[i].relationship, None | Some(Relationship::Head)))
            .collect();
        if heads.len() != 1 {
            let message = format!(
                "a household needs exactly one head (a row without a relationship, or 'head'); this one has {}",
                heads.len()
            );
            return Ok(numbers
                .iter()
                .map(|&n| line(n, Outcome::Rejected, "relationship", message.clone()))
                .collect());
        }
        if self.dry_run {
            let mut lines = Vec::new();
            for r in &read {
                let (likely, hidden) = duplicates::candidates_for(
                    self.app,
                    self.p,
                    &r.person,
                    &HashSet::new(),
                    LIKELY,
                )
                .await?;
                if likely.is_empty() && hidden.is_empty() {
                    lines.push(line(r.number, Outcome::Valid, "", String::new()));
                } else {
                    let mut named: Vec<String> = likely
                        .iter()
                        .map(|c| c.registration_number.to_string())
                        .collect();
                    if !hidden.is_empty() {
                        named.push(format!(
                            "{} registered by another organisation",
                            hidden.len()
                        ));
                    }
                    lines.push(line(
                        r.number,
                        Outcome::Duplicate,
                        "",
                        format!("likely already registered as {}", named.join(", ")),
                    ));
                }
            }
            return Ok(lines);
        }
        let head_at = heads[0];
        let kind = read[head_at].kind.unwrap_or(GroupKind::Family);
        let mut members = Vec::with_capacity(read.len().saturating_sub(1));
        let mut head = None;
        for (i, r) in read.into_iter().enumerate() {
            if i == head_at {
                head = Some(r.person);
            } else {
                members.push(MemberDetails {
                    relationship: r.relationship.unwrap_or(Relationship::Unrelated),
                    person: r.person,
                });
            }
        }
        let Some(head) = head else {
            return Ok(Vec::new());
        };
        let registration = HouseholdRegistration {
            arrival_id: self.options.arrival,
            kind,
            size: None,
            breakdown: None,
            head,
            members,
            legal_basis: None,
            purposes: None,
            not_duplicates: None,
        };
        Ok(
            match households::register(self.app, self.p, registration).await {
                Ok(h) => numbers
                    .iter()
                    .map(|&n| RowReport {
                        registration_number: Some(h.registration_number.to_string()),
                        ..line(n, Outcome::Created, "", String::new())
                    })
                    .collect(),
                Err(ApiError::LikelyDuplicate(message, _)) => numbers
                    .iter()
                    .map(|&n| line(n, Outcome::Duplicate, "", message.clone()))
                    .collect(),
                Err(ApiError::Invalid(v)) => {
                    v.0.into_iter()
                        .map(|f| line(numbers[0], Outcome::Rejected, &f.field, f.message))
                        .collect()
                }
                Err(ApiError::NotFound { what }) => numbers
                    .iter()
                    .map(|&n| line(n, Outcome::Rejected, "", format!("{what} was not found")))
                    .collect(),
                Err(e) => return Err(e.into()),
            },
        )
    }

    /// Reads the whole file, household by household.
    async fn run(
        &mut self,
        path: &Path,
        job: Option<&ImportJob>,
        report: &mut (dyn FnMut(RowReport) + Send),
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<(), ImportError> {
        let mut rows = Source::open(path)?;
        let first = rows.next().ok_or(SourceError::Empty)??;
        let header: Vec<String> = (0..first.cells.len())
            .map(|i| first.text(i).unwrap_or("").to_owned())
            .collect();
        let mut pending = None;
        let mut hxl = None;
        if let Some(second) = rows.next() {
            let second = second?;
            let cells: Vec<Option<&str>> =
                (0..second.cells.len()).map(|i| second.text(i)).collect();
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
        let columns = Columns::resolve(&header, hxl.as_deref(), self.options.mapping.as_ref())?;
        let today = self.app.clock.today();
        let skip_to = job.map_or(0, |j| j.last_row);
        let mut group: Vec<Result<ReadRow, (u64, Vec<CellProblem>)>> = Vec::new();
        let mut group_key: Option<String> = None;
        let mut households_done = 0u64;
        let mut last_settled = skip_to;
        let all = pending.into_iter().map(Ok).chain(rows);
        for row in all {
            let row = row?;
            if row.is_blank() {
                continue;
            }
            self.summary.rows += 1;
            let key = columns
                .get(mapping::Field::Household)
                .and_then(|i| row.text(i))
                .map(str::to_owned);
            let same_household = key.is_some() && key == group_key;
            if !same_household && !group.is_empty() {
                let rows = std::mem::take(&mut group);
                let last = rows.last().map_or(0, |r| match r {
                    Ok(r) => r.number,
                    Err((n, _)) => *n,
                });
                self.household(rows, report).await?;
                households_done += 1;
                last_settled = last;
                progress(self.summary.rows);
                self.checkpoint(job, last_settled, households_done, false)
                    .await?;
                if self
                    .options
                    .stop_after
                    .is_some_and(|n| households_done >= n)
                {
                    return self
                        .checkpoint(job, last_settled, households_done, true)
                        .await;
                }
            }
            if row.number <= skip_to {
                self.summary.resumed += 1;
                group_key = key;
                continue;
            }
            if !same_household
                && let Some(k) = &key
                && !self.seen_keys.insert(k.clone())
            {
                let column = columns.name_of(mapping::Field::Household);
                report(RowReport {
                    row: row.number,
                    outcome: Outcome::Rejected,
                    column,
                    message: format!(
                        "household '{k}' appears again after other rows; put the rows of a household together"
                    ),
                    registration_number: None,
                });
                self.summary.rejected += 1;
                group_key = None;
                continue;
            }
            group_key = key;
            group.push(person::read(&columns, &row, today).map_err(|e| (row.number, e)));
        }
        if let Some(last) = group.last() {
            last_settled = match last {
                Ok(r) => r.number,
                Err((n, _)) => *n,
            };
            self.household(group, report).await?;
        }
        progress(self.summary.rows);
        self.checkpoint(job, last_settled, households_done, true)
            .await
    }

    /// Records the job's progress every [`CHECKPOINT`] households, and at the end.
    async fn checkpoint(
        &self,
        job: Option<&ImportJob>,
        last_row: u64,
        households: u64,
        last: bool,
    ) -> Result<(), ImportError> {
        let Some(job) = job else { return Ok(()) };
        let s = &self.summary;
        if !last && !households.is_multiple_of(CHECKPOINT) {
            return Ok(());
        }
        let done = last && self.options.stop_after.is_none();
        let progress = ImportProgress {
            last_row,
            created: job.created + s.created,
            duplicates: job.duplicates + s.duplicates,
            rejected: job.rejected + s.rejected,
            done,
        };
        self.app
            .store
            .import_progress(self.p, job.id, progress)
            .await?;
        Ok(())
    }
}

/// Imports (or, with `dry_run`, checks) the file at `path`, reporting each row that is not
/// plainly created (and each created one, with its household's number) through `report`,
/// and the rows read so far through `progress`.
pub async fn import(
    app: &AppState,
    p: &Principal,
    path: &Path,
    options: &Options,
    report: &mut (dyn FnMut(RowReport) + Send),
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Summary, ImportError> {
    let pass = |dry_run| Pass {
        app,
        p,
        options,
        dry_run,
        seen_keys: HashSet::new(),
        same: HashMap::new(),
        summary: Summary::default(),
    };
    if options.dry_run {
        let mut dry = pass(true);
        dry.run(path, None, report, progress).await?;
        return Ok(dry.summary);
    }
    let digest = source::sha256(path)?;
    let job = app
        .store
        .start_import(p, &digest, options.arrival, options.mode.code())
        .await?;
    if job.status == "done" {
        return Ok(Summary {
            already_done: true,
            ..Summary::default()
        });
    }
    if options.mode == Mode::AllOrNothing && job.last_row == 0 {
        let mut dry = pass(true);
        let mut problems_only = |l: RowReport| {
            if l.outcome != Outcome::Valid {
                report(l);
            }
        };
        dry.run(path, None, &mut problems_only, &|_| {}).await?;
        if dry.summary.duplicates + dry.summary.rejected > 0 {
            return Ok(dry.summary);
        }
    }
    let mut run = pass(false);
    run.run(path, Some(&job), report, progress).await?;
    Ok(run.summary)
}
