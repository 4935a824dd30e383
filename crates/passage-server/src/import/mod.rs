//! Bulk import of CSV and XLSX files (HXL-tagged or not) through the same validation and
//! duplicate guard as `POST /api/v1/households` (`households::register`): a dry run that
//! names every problem by row and column, then an import that registers the valid
//! households and reports the rest.
//!
//! # Invariants
//!
//! - No second set of rules: a row becomes a person by the domain's own types and
//!   `validated`, a household is registered only by `households::register_many`, which
//!   applies `households::register`'s validation and duplicate guard to each household,
//!   also against the households before it in the same batch.
//! - Rows with the same household key, one after another, are one household: its head
//!   (the row without a relationship, or `head`) and its members. A household is
//!   registered whole or not at all.
//! - A file is streamed (CSV), its households registered [`BATCH`] at a time in one
//!   transaction each, and its job records the last row settled after every batch: a run
//!   stopped half way resumes after it, and rows registered after the last record meet
//!   the duplicate guard, never a second registration.
//! - Memory is bounded by the batch, not the file: what is kept for the whole file is one
//!   key per household and per person (the checks within the file).
//! - In `all_or_nothing` mode a full dry run comes first; any problem and nothing is
//!   registered.

pub mod mapping;
pub mod person;
pub mod source;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use passage_domain::access::Principal;
use passage_domain::household::{GroupKind, HouseholdRegistration, MemberDetails, Relationship};
use passage_match::Index;
use passage_store::{ImportJob, ImportProgress, StoreError};
use uuid::Uuid;

use crate::AppState;
use crate::api::households::{self, Settled};
use crate::problem::ApiError;
use mapping::{Columns, Mapping, MappingError};
use person::{CellProblem, ReadRow};
use source::{Source, SourceError};

/// Households registered in one transaction, and between two records of a job's
/// progress.
pub const BATCH: usize = 1_000;

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
    /// Households read since the last flush, in file order.
    batch: Vec<Pending>,
    /// The registrations of the batch's households, in the same order.
    registrations: Vec<HouseholdRegistration>,
    /// Where a batch keeps its households while they are matched against each other.
    scratch: Index<(usize, usize)>,
}

/// A household of the batch being read.
enum Pending {
    /// Settled while reading (problems in its rows): its report lines.
    Lines(Vec<RowReport>),
    /// To register: its rows' numbers and the registration.
    /// To register (the next of [`Pass::registrations`]): its rows' numbers.
    Household(Vec<u64>),
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

fn line(row: u64, outcome: Outcome, column: &str, message: String) -> RowReport {
    RowReport {
        row,
        outcome,
        column: column.to_owned(),
        message,
        registration_number: None,
    }
}

/// The report lines of a household's rows (`numbers`) from what became of it; `first_row`
/// gives the first row of another household of the same batch.
fn lines_of(numbers: &[u64], settled: Settled, first_row: impl Fn(usize) -> u64) -> Vec<RowReport> {
    let all = |outcome: Outcome, message: &str| {
        numbers
            .iter()
            .map(|&n| line(n, outcome, "", message.to_owned()))
            .collect()
    };
    match settled {
        Settled::Passed { household, queued } => {
            let message = if queued > 0 {
                format!(
                    "likely also registered by an organisation whose records you cannot see: \
                     {queued} pair(s) sent to the review queue"
                )
            } else {
                String::new()
            };
            match household {
                Some(h) => numbers
                    .iter()
                    .map(|&n| RowReport {
                        registration_number: Some(h.registration_number.to_string()),
                        ..line(n, Outcome::Created, "", message.clone())
                    })
                    .collect(),
                None => all(Outcome::Valid, &message),
            }
        }
        Settled::SameAsEarlier(k) => all(
            Outcome::Duplicate,
            &format!(
                "duplicate within the file: likely the same person as in the household of row {}",
                first_row(k)
            ),
        ),
        Settled::Refused(ApiError::LikelyDuplicate(message, _)) => {
            all(Outcome::Duplicate, &message)
        }
        Settled::Refused(ApiError::Invalid(v)) => {
            let first = numbers.first().copied().unwrap_or(0);
            let mut lines: Vec<RowReport> =
                v.0.into_iter()
                    .map(|f| line(first, Outcome::Rejected, &f.field, f.message))
                    .collect();
            lines.extend(numbers.iter().skip(1).map(|&n| {
                line(
                    n,
                    Outcome::Rejected,
                    "",
                    format!("row {first} of its household has problems"),
                )
            }));
            lines
        }
        Settled::Refused(e) => all(Outcome::Rejected, &e.to_string()),
    }
}

impl Pass<'_> {
    /// Reads one household's rows: its problems, or its registration, join the batch.
    fn household(&mut self, rows: Vec<Result<ReadRow, (u64, Vec<CellProblem>)>>) {
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
            match self.registration(read) {
                Ok(registration) => {
                    self.batch.push(Pending::Household(numbers));
                    self.registrations.push(registration);
                    return;
                }
                Err(problem) => lines.extend(problem),
            }
        } else {
            let bad: HashSet<u64> = lines.iter().map(|l| l.row).collect();
            for n in numbers.iter().filter(|n| !bad.contains(n)) {
                lines.push(line(
                    *n,
                    Outcome::Rejected,
                    "",
                    "another row of its household has problems".to_owned(),
                ));
            }
        }
        self.batch.push(Pending::Lines(lines));
    }

    /// Rows plainly the same person as an earlier row of the file.
    fn check_within_file(&mut self, read: &[ReadRow]) -> Vec<RowReport> {
        let mut lines = Vec::new();
        for r in read {
            let Some(key) = person::same_person_key(&r.person) else {
                continue;
            };
            match self.same.get(&key) {
                Some(&first) => lines.push(line(
                    r.number,
                    Outcome::Duplicate,
                    "",
                    format!("duplicate within the file: the same person as row {first}"),
                )),
                None => {
                    self.same.insert(key, r.number);
                }
            }
        }
        lines
    }

    /// The registration a household's rows make: one head, the others its members.
    fn registration(&self, read: Vec<ReadRow>) -> Result<HouseholdRegistration, Vec<RowReport>> {
        let heads: Vec<usize> = (0..read.len())
            .filter(|&i| matches!(read[i].relationship, None | Some(Relationship::Head)))
            .collect();
        let [head_at] = heads[..] else {
            let message = format!(
                "a household needs exactly one head (a row without a relationship, or 'head'); this one has {}",
                heads.len()
            );
            return Err(read
                .iter()
                .map(|r| line(r.number, Outcome::Rejected, "relationship", message.clone()))
                .collect());
        };
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
        let head = head.ok_or_else(Vec::new)?;
        Ok(HouseholdRegistration {
            arrival_id: self.options.arrival,
            kind,
            size: None,
            breakdown: None,
            head,
            members,
            legal_basis: None,
            purposes: None,
            not_duplicates: None,
        })
    }

    /// Registers (or checks) the batch's households in one transaction and reports every
    /// row of the batch, in file order.
    async fn flush(
        &mut self,
        report: &mut (dyn FnMut(RowReport) + Send),
    ) -> Result<(), ImportError> {
        let batch = std::mem::take(&mut self.batch);
        let registrations = std::mem::take(&mut self.registrations);
        let firsts: Vec<u64> = batch
            .iter()
            .filter_map(|pending| match pending {
                Pending::Household(numbers) => Some(numbers.first().copied().unwrap_or(0)),
                Pending::Lines(_) => None,
            })
            .collect();
        let mut settled = households::register_many(
            self.app,
            self.p,
            registrations,
            &mut self.scratch,
            !self.dry_run,
        )
        .await?
        .into_iter();
        for pending in batch {
            let lines = match pending {
                Pending::Lines(lines) => lines,
                Pending::Household(numbers) => match settled.next() {
                    Some(s) => lines_of(&numbers, s, |k| firsts.get(k).copied().unwrap_or(0)),
                    None => Vec::new(),
                },
            };
            self.tell(lines, report);
        }
        Ok(())
    }

    /// Counts each row once, by its first line, and reports every line.
    fn tell(&mut self, mut lines: Vec<RowReport>, report: &mut (dyn FnMut(RowReport) + Send)) {
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
    }

    /// Reads the whole file, household by household, registering them [`BATCH`] at a
    /// time.
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
        let mut last_read = skip_to;
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
                self.household(std::mem::take(&mut group));
                households_done += 1;
                let stop = self
                    .options
                    .stop_after
                    .is_some_and(|n| households_done >= n);
                if stop || self.batch.len() >= BATCH {
                    self.flush(report).await?;
                    progress(self.summary.rows);
                    self.checkpoint(job, last_read, stop).await?;
                    if stop {
                        return Ok(());
                    }
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
                self.batch.push(Pending::Lines(vec![line(
                    row.number,
                    Outcome::Rejected,
                    &column,
                    format!(
                        "household '{k}' appears again after other rows; put the rows of a household together"
                    ),
                )]));
                last_read = row.number;
                group_key = None;
                continue;
            }
            group_key = key;
            last_read = row.number;
            group.push(person::read(&columns, &row, today).map_err(|e| (row.number, e)));
        }
        if !group.is_empty() {
            self.household(group);
        }
        self.flush(report).await?;
        progress(self.summary.rows);
        self.checkpoint(job, last_read, true).await
    }

    /// Records the job's progress: the last row whose household is settled.
    async fn checkpoint(
        &self,
        job: Option<&ImportJob>,
        last_row: u64,
        last: bool,
    ) -> Result<(), ImportError> {
        let Some(job) = job else { return Ok(()) };
        let s = &self.summary;
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
        batch: Vec::new(),
        registrations: Vec::new(),
        scratch: app.matcher.scratch(),
    };
    if app.store.arrival(p, options.arrival).await?.is_none() {
        return Err(ApiError::not_found(format!("arrival {}", options.arrival)).into());
    }
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
