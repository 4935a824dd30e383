//! Statistics: disaggregated tables, disclosure-controlled before they leave, as JSON, CSV
//! or HXL. `/api/v1/stats/population` is the population registered by a reference date by
//! population type, sex, age bracket, nationality, site and admin area.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use passage_domain::access::Principal;
use passage_domain::age::AgeBracket;
use passage_stats::disclosure::{Policy, protect};
use passage_stats::export::{Format, LongTable, long};
use passage_stats::table::{Dimension, Table};
use passage_store::{PopulationCount, Store, StoreError};
use serde::Deserialize;
use time::{Date, Time};
use utoipa::IntoParams;

use super::csv_out::csv;
use crate::AppState;
use crate::auth::Caller;
use crate::extract::Query;
use crate::problem::{ApiError, Problem};

/// The dimensions the population table can be broken down by.
pub const POPULATION_DIMENSIONS: [&str; 6] = [
    "population_type",
    "sex",
    "age",
    "nationality",
    "site",
    "admin2",
];

/// The default breakdown.
pub const DEFAULT_BY: &str = "population_type,sex,age";

fn value(c: &PopulationCount, dimension: &str) -> String {
    match dimension {
        "population_type" => c
            .population_type
            .map_or_else(|| "none".to_owned(), |t| t.code().to_owned()),
        "sex" => c.sex.code().to_owned(),
        "age" => c.bracket.suffix().to_owned(),
        "nationality" => c.nationality.clone(),
        "site" => c.site.clone(),
        "country" => c.country.clone(),
        _ => c
            .admin_pcode
            .clone()
            .unwrap_or_else(|| "unknown".to_owned()),
    }
}

/// Checks a `by` list: known dimensions, each once.
pub fn dimensions(by: &str) -> Result<Vec<&'static str>, String> {
    let mut out: Vec<&'static str> = Vec::new();
    for part in by.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some(d) = POPULATION_DIMENSIONS.iter().find(|d| **d == part) else {
            return Err(format!(
                "`{part}` is not a dimension; use any of {}",
                POPULATION_DIMENSIONS.join(", ")
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

/// The population table over `by`, always first by the country of the site (the
/// reporting country): categories in a fixed order (age brackets as the standard orders
/// them, the rest alphabetically).
pub fn population_table(counts: &[PopulationCount], by: &[&str]) -> Table {
    let by: Vec<&str> = std::iter::once("country")
        .chain(by.iter().copied())
        .collect();
    let dims = by
        .iter()
        .map(|d| {
            let mut categories: Vec<String> = if *d == "age" {
                AgeBracket::ALL
                    .iter()
                    .map(|b| b.suffix().to_owned())
                    .collect()
            } else {
                let mut v: Vec<String> = counts.iter().map(|c| value(c, d)).collect();
                v.sort();
                v.dedup();
                v
            };
            if categories.is_empty() {
                categories.push("none".into());
            }
            Dimension {
                name: (*d).to_owned(),
                categories,
            }
        })
        .collect();
    let mut table = Table::new(dims);
    for c in counts {
        let values: Vec<String> = by.iter().map(|d| value(c, d)).collect();
        let refs: Vec<&str> = values.iter().map(String::as_str).collect();
        // Every value comes from the categories just built, so nothing is refused here.
        let _ = table.add(&refs, c.count);
    }
    table
}

/// The protected population table in the long layout, for the API and the command line.
pub async fn population_long(
    store: &Store,
    p: &Principal,
    date: Date,
    by: &[&str],
    policy: &Policy,
    hxl: bool,
) -> Result<(LongTable, usize, usize), StoreError> {
    let at = date
        .next_day()
        .unwrap_or(date)
        .with_time(Time::MIDNIGHT)
        .assume_utc();
    let counts = store.population(p, at).await?;
    let table = population_table(&counts, by);
    let protected = protect(&table, policy);
    Ok((
        long(&protected, policy.threshold, &date.to_string(), hxl),
        protected.primary,
        protected.secondary,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PopulationQuery {
    /// The reference date (end of day, UTC), YYYY-MM-DD; today when left out.
    #[param(value_type = Option<String>, format = Date)]
    pub date: Option<Date>,
    /// Comma-separated dimensions: population_type, sex, age, nationality, site, admin2.
    pub by: Option<String>,
    /// Cells below this are suppressed (default 5).
    pub threshold: Option<u64>,
    /// json (default), csv or hxl.
    pub format: Option<String>,
}

/// The population registered by a reference date, broken down as asked, with cells below
/// the threshold suppressed (`<5`) and enough others suppressed that none can be worked
/// back from the totals.
#[utoipa::path(get, path = "/api/v1/stats/population", tag = "statistics", params(PopulationQuery),
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn population(
    State(app): State<AppState>,
    Caller(p): Caller,
    Query(q): Query<PopulationQuery>,
) -> Result<Response, ApiError> {
    let by = dimensions(q.by.as_deref().unwrap_or(DEFAULT_BY))
        .map_err(|m| ApiError::invalid("by", m))?;
    let format = match q.format.as_deref() {
        None => Format::Json,
        Some(f) => Format::from_code(f)
            .ok_or_else(|| ApiError::invalid("format", "use json, csv or hxl"))?,
    };
    let threshold = q.threshold.unwrap_or(5);
    if !(2..=100).contains(&threshold) {
        return Err(ApiError::invalid("threshold", "must be between 2 and 100"));
    }
    let policy = Policy {
        threshold,
        ..Policy::default()
    };
    let date = q.date.unwrap_or(app.clock.today());
    let (table, primary, secondary) =
        population_long(&app.store, &p, date, &by, &policy, format == Format::Hxl).await?;
    match format {
        Format::Json => {
            let rows: Vec<serde_json::Map<String, serde_json::Value>> = table
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
                .collect();
            let body = serde_json::json!({"reference_date": date.to_string(), "by": by, "threshold": threshold,
                "suppressed": {"primary": primary, "secondary": secondary}, "rows": rows});
            Ok(Json(body).into_response())
        }
        Format::Csv => csv(
            "population.csv",
            &table.headers.iter().map(String::as_str).collect::<Vec<_>>(),
            table.rows,
        ),
        Format::Hxl => {
            let mut rows = vec![table.hashtags.clone()];
            rows.extend(table.rows);
            csv(
                "population-hxl.csv",
                &table.headers.iter().map(String::as_str).collect::<Vec<_>>(),
                rows,
            )
        }
    }
}
