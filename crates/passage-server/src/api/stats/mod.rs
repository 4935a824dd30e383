//! Statistics: disaggregated tables, disclosure-controlled before they leave, as JSON, CSV
//! or HXL, at `/api/v1/stats/{table}`:
//! - `population`: the stock registered by a reference date, by population type, sex, age
//!   bracket, nationality, site, admin area and disability (an active DS code);
//! - `arrivals`: the flow of people arriving in a period, by day, week, month or year, mode,
//!   route, origin and site;
//! - `dead_and_missing`: deaths and disappearances on the routes (SDG 10.7.3), by period and
//!   route, dead and missing apart;
//! - `referrals` and `cases`: the pipelines now, by service, urgency, status and overdue, or
//!   by kind of procedure and state.
//!
//! The records each table counts are gathered in [`records`].
//!
//! Every table is first broken down by the reporting country (the country of the site, or
//! of the incident), so that each row says where it counts.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use passage_domain::access::Principal;
use passage_domain::age::brackets::Brackets;
use passage_stats::disclosure::{Policy, Protected, protect};
use passage_stats::export::{Format, LongTable, long, unhcr_wide};
use passage_store::Store;
use serde::Deserialize;
use time::{Date, Duration};
use utoipa::{IntoParams, ToSchema};

use super::csv_out::csv;
use crate::AppState;
use crate::auth::Caller;
use crate::extract::Query;
use crate::population::Population;
use crate::problem::{ApiError, Problem};

mod microdata;
mod records;

/// The tables Passage publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Population,
    Arrivals,
    DeadAndMissing,
    Referrals,
    Cases,
    /// The population as one de-identified row per person, refused unless k-anonymous.
    Microdata,
    /// Distributions given, by programme, site and period.
    Assistance,
}

impl Kind {
    pub fn from_code(s: &str) -> Option<Self> {
        match s {
            "population" => Some(Self::Population),
            "arrivals" => Some(Self::Arrivals),
            "dead_and_missing" => Some(Self::DeadAndMissing),
            "referrals" => Some(Self::Referrals),
            "cases" => Some(Self::Cases),
            "microdata" => Some(Self::Microdata),
            "assistance" => Some(Self::Assistance),
            _ => None,
        }
    }

    /// The dimensions a table may be broken down by.
    pub fn dimensions(self) -> &'static [&'static str] {
        match self {
            Self::Population => &[
                "population_type",
                "sex",
                "age",
                "nationality",
                "site",
                "admin2",
                "disability",
            ],
            // No specific need (disability included) leaves at person level.
            Self::Microdata => &[
                "population_type",
                "sex",
                "age",
                "nationality",
                "site",
                "admin2",
            ],
            Self::Arrivals => &["period", "mode", "route", "origin", "site"],
            Self::DeadAndMissing => &["period", "route", "kind"],
            Self::Referrals => &["service", "urgency", "status", "overdue"],
            Self::Cases => &["kind", "state"],
            Self::Assistance => &["period", "programme", "site"],
        }
    }

    /// The breakdown when none is asked for.
    pub fn default_by(self) -> &'static str {
        match self {
            Self::Population => "population_type,sex,age",
            Self::Microdata => "population_type,sex,age,nationality,site",
            Self::Arrivals => "period,mode",
            Self::DeadAndMissing => "period,route",
            Self::Referrals => "service,status,overdue",
            Self::Cases => "kind,state",
            Self::Assistance => "period,programme",
        }
    }

    fn count_tag(self) -> &'static str {
        match self {
            Self::Population => "#population+total",
            Self::Microdata => "#meta+rows",
            Self::Assistance => "#reached+distributions",
            Self::Arrivals => "#population+arrived",
            Self::DeadAndMissing => "#affected+total",
            Self::Referrals => "#indicator+referrals+num",
            Self::Cases => "#indicator+cases+num",
        }
    }
}

/// The length of a period of a flow table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Day,
    Week,
    Month,
    Year,
}

impl Period {
    fn of(self, d: Date) -> String {
        match self {
            Self::Day => d.to_string(),
            Self::Week => {
                let (year, week, _) = d.to_iso_week_date();
                format!("{year}-W{week:02}")
            }
            Self::Month => format!("{}-{:02}", d.year(), u8::from(d.month())),
            Self::Year => d.year().to_string(),
        }
    }
}

/// What a table is asked for.
#[derive(Debug, Clone)]
pub struct Request {
    pub kind: Kind,
    /// Every dimension of the request, in the order first named.
    pub by: Vec<&'static str>,
    /// The tables asked for, each over some of `by` (one table over all of `by` unless
    /// several were asked for, separated by `;`).
    pub tables: Vec<Vec<&'static str>>,
    /// The reference date of a stock; the last day of a flow.
    pub date: Date,
    /// The first day of a flow.
    pub from: Date,
    pub period: Period,
    /// The age brackets of a population table.
    pub brackets: Brackets,
    /// Microdata: how many rows each combination of the columns needs (every column,
    /// the reporting country included, counts as a quasi-identifier).
    pub k: usize,
}

/// Checks a `by` list against the table's dimensions: each known, each once.
pub fn dimensions(kind: Kind, by: &str) -> Result<Vec<&'static str>, String> {
    let allowed = kind.dimensions();
    let mut out: Vec<&'static str> = Vec::new();
    for part in by.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some(d) = allowed.iter().find(|d| **d == part) else {
            return Err(format!(
                "`{part}` is not a dimension of this table; use any of {}",
                allowed.join(", ")
            ));
        };
        if out.contains(d) {
            return Err(format!("`{part}` is named twice"));
        }
        out.push(d);
    }
    if out.is_empty() {
        return Err("name at least one dimension".into());
    }
    Ok(out)
}

/// The protected table in the long layout, for the API and the command line; with the
/// numbers of primary and secondary suppressions.
pub async fn long_table(
    store: &Store,
    population: &Population,
    p: &Principal,
    r: &Request,
    policy: &Policy,
    format: Format,
) -> Result<(LongTable, usize, usize), ApiError> {
    let records = records::records(store, population, p, r).await?;
    if r.kind == Kind::Microdata {
        let table = microdata::rows(&records, r, format == Format::Hxl)
            .map_err(|e| ApiError::invalid("by", microdata::explain(&e)))?;
        return Ok((table, 0, 0));
    }
    let mut by = r.by.clone();
    if r.kind == Kind::DeadAndMissing {
        by.push("measure");
    }
    let protected = protect(&records::table(&records, &by, &r.brackets), policy);
    let date = r.date.to_string();
    let hxl = format == Format::Hxl;
    let long_layout = || long(&protected, policy.threshold, &date, r.kind.count_tag(), hxl);
    let table = match format {
        // `fits` made sure the table has sex and age.
        Format::UnhcrWide => {
            unhcr_wide(&protected, policy.threshold, &date).unwrap_or_else(long_layout)
        }
        _ => long_layout(),
    };
    let mut table = table;
    if matches!(r.kind, Kind::Referrals | Kind::Cases) {
        records::median_days(&mut table, &records, &by, hxl);
    }
    Ok((table, protected.primary, protected.secondary))
}

/// Several tables of one request, protected as one: each is a margin of the table over
/// all their dimensions, so a cell hidden in one cannot be worked back from another.
/// Each table keeps the request's order of dimensions.
pub async fn long_tables(
    store: &Store,
    population: &Population,
    p: &Principal,
    r: &Request,
    policy: &Policy,
    hxl: bool,
) -> Result<(Vec<LongTable>, usize, usize), ApiError> {
    let records = records::records(store, population, p, r).await?;
    let mut by = r.by.clone();
    if r.kind == Kind::DeadAndMissing {
        by.push("measure");
    }
    let joint = protect(&records::table(&records, &by, &r.brackets), policy);
    let date = r.date.to_string();
    let mut out = Vec::new();
    for t in &r.tables {
        // Country is dimension 0 of the joint table, and of every table published.
        let keep: Vec<usize> = std::iter::once(0)
            .chain(
                by.iter()
                    .enumerate()
                    .filter(|(_, d)| t.contains(d) || **d == "measure")
                    .map(|(i, _)| i + 1),
            )
            .collect();
        let cells = if keep.len() == joint.dimensions.len() {
            joint.cells.clone()
        } else {
            joint
                .margins
                .iter()
                .find(|m| m.keep == keep)
                .map(|m| m.cells.clone())
                .unwrap_or_default()
        };
        let part = Protected {
            dimensions: keep.iter().map(|i| joint.dimensions[*i].clone()).collect(),
            cells,
            margins: Vec::new(),
            primary: 0,
            secondary: 0,
        };
        let mut table = long(&part, policy.threshold, &date, r.kind.count_tag(), hxl);
        if matches!(r.kind, Kind::Referrals | Kind::Cases) {
            let dims: Vec<&'static str> = by.iter().copied().filter(|d| t.contains(d)).collect();
            records::median_days(&mut table, &records, &dims, hxl);
        }
        out.push(table);
    }
    Ok((out, joint.primary, joint.secondary))
}

/// The rows of a table as JSON objects, one key per column.
pub fn json_rows(table: &LongTable) -> Vec<serde_json::Map<String, serde_json::Value>> {
    table
        .rows
        .iter()
        .map(|r| {
            table
                .headers
                .iter()
                .cloned()
                .zip(r.iter().map(|v| serde_json::Value::String(v.clone())))
                .collect()
        })
        .collect()
}

/// Checks that a format fits the table: the UNHCR layout needs the population by sex and
/// the standard age brackets.
pub fn fits(format: Format, r: &Request) -> Result<(), String> {
    let by_sex_and_age = r.by.contains(&"sex") && r.by.contains(&"age");
    if format == Format::UnhcrWide
        && !(r.kind == Kind::Population && by_sex_and_age && r.brackets.is_standard())
    {
        return Err(
            "the UNHCR layout is the population table by sex and the standard age brackets (and anything else)".into(),
        );
    }
    Ok(())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TableQuery {
    /// The reference date of a stock, or the last day of a flow (YYYY-MM-DD); today when
    /// left out.
    #[param(value_type = Option<String>, format = Date)]
    pub date: Option<Date>,
    /// The first day of a flow; a year before `date` when left out.
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<Date>,
    /// day, week, month (default) or year, for flows.
    #[param(inline)]
    pub period: Option<Period>,
    /// Comma-separated dimensions (see the table's description).
    pub by: Option<String>,
    /// Cells below this are suppressed (default 5).
    pub threshold: Option<u64>,
    /// json (default), csv, hxl, xlsx, or unhcr (the UNHCR demographic layout of the
    /// population by sex and age).
    pub format: Option<String>,
    /// The age brackets of the population table by their lower bounds, comma-separated
    /// (default `0,5,12,18,60`).
    pub ages: Option<String>,
    /// Microdata: the fewest rows any combination of the columns may have (default 5).
    #[param(minimum = 2, maximum = 1000)]
    pub k: Option<usize>,
}

/// Checks a query into a request and a policy.
pub fn request(kind: Kind, q: &TableQuery, today: Date) -> Result<(Request, Policy), ApiError> {
    let date = q.date.unwrap_or(today);
    let mut tables = Vec::new();
    for part in q.by.as_deref().unwrap_or(kind.default_by()).split(';') {
        tables.push(dimensions(kind, part).map_err(|m| ApiError::invalid("by", m))?);
    }
    if tables.len() > 1 && kind == Kind::Microdata {
        return Err(ApiError::invalid("by", "microdata is one table"));
    }
    let mut by: Vec<&'static str> = Vec::new();
    for d in tables.iter().flatten() {
        if !by.contains(d) {
            by.push(d);
        }
    }
    let brackets = match q.ages.as_deref() {
        None => Brackets::default(),
        Some(_) if !matches!(kind, Kind::Population | Kind::Microdata) => {
            return Err(ApiError::invalid(
                "ages",
                "only the population table has age brackets",
            ));
        }
        Some(a) => Brackets::parse(a).map_err(|m| ApiError::invalid("ages", m))?,
    };
    let k = q.k.unwrap_or(5);
    if !(2..=1000).contains(&k) {
        return Err(ApiError::invalid("k", "must be between 2 and 1000"));
    }
    let threshold = q.threshold.unwrap_or(5);
    if !(2..=100).contains(&threshold) {
        return Err(ApiError::invalid("threshold", "must be between 2 and 100"));
    }
    let from = q.from.unwrap_or(date - Duration::days(365));
    if from > date {
        return Err(ApiError::invalid("from", "is after the last day"));
    }
    let request = Request {
        kind,
        by,
        tables,
        date,
        from,
        period: q.period.unwrap_or(Period::Month),
        brackets,
        k,
    };
    Ok((
        request,
        Policy {
            threshold,
            ..Policy::default()
        },
    ))
}

/// A table, with every cell below the threshold suppressed (`<5`) and enough others
/// withheld (`x`) that none can be worked back from the totals. Tables: `population`
/// (by population_type, sex, age, nationality, site, admin2, disability), `arrivals` (by period, mode,
/// route, origin, site), `dead_and_missing` (by period, route, kind).
#[utoipa::path(get, path = "/api/v1/stats/{table}", tag = "statistics",
    params(("table" = String, Path, description = "population, arrivals, dead_and_missing, referrals or cases"), TableQuery),
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn table_of(
    State(app): State<AppState>,
    Caller(p): Caller,
    Path(name): Path<String>,
    Query(q): Query<TableQuery>,
) -> Result<Response, ApiError> {
    let kind =
        Kind::from_code(&name).ok_or_else(|| ApiError::not_found(format!("table {name}")))?;
    let format = match q.format.as_deref() {
        None => Format::Json,
        Some(f) => Format::from_code(f)
            .ok_or_else(|| ApiError::invalid("format", "use json, csv, hxl, xlsx or unhcr"))?,
    };
    let (request, policy) = request(kind, &q, app.clock.today())?;
    let date = request.date;
    fits(format, &request).map_err(|m| ApiError::invalid("format", m))?;
    if request.tables.len() > 1 {
        if format != Format::Json {
            return Err(ApiError::invalid(
                "format",
                "several tables (by with `;`) come together as JSON only",
            ));
        }
        let (tables, primary, secondary) =
            long_tables(&app.store, &app.population, &p, &request, &policy, false).await?;
        let tables: Vec<serde_json::Value> = request
            .tables
            .iter()
            .zip(&tables)
            .map(|(by, t)| serde_json::json!({"by": by, "rows": json_rows(t)}))
            .collect();
        let body = serde_json::json!({"table": name, "date": date.to_string(), "from": request.from.to_string(),
            "threshold": policy.threshold, "suppressed": {"primary": primary, "secondary": secondary},
            "tables": tables});
        return Ok(Json(body).into_response());
    }
    let (table, primary, secondary) =
        long_table(&app.store, &app.population, &p, &request, &policy, format).await?;
    let headers: Vec<&str> = table.headers.iter().map(String::as_str).collect();
    match format {
        Format::Json => {
            let rows = json_rows(&table);
            let body = serde_json::json!({"table": name, "date": date.to_string(), "from": request.from.to_string(),
                "by": request.by, "threshold": policy.threshold,
                "suppressed": {"primary": primary, "secondary": secondary}, "rows": rows});
            Ok(Json(body).into_response())
        }
        Format::Csv | Format::UnhcrWide => csv(&format!("{name}.csv"), &headers, table.rows),
        Format::Xlsx => {
            let body = super::csv_out::xlsx_bytes(&name, &headers, &table.rows)?;
            Ok(super::csv_out::xlsx_response(&format!("{name}.xlsx"), body))
        }
        Format::Hxl => {
            let mut rows = vec![table.hashtags.clone()];
            rows.extend(table.rows);
            csv(&format!("{name}-hxl.csv"), &headers, rows)
        }
    }
}
