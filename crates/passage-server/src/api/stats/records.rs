//! The records a table counts, gathered from the store (and the population counted in
//! memory), each a value per dimension and a count; and the table they make.

use std::collections::HashMap;

use passage_domain::access::Principal;
use passage_domain::age::brackets::{Brackets, UNKNOWN_AGE};
use passage_stats::export::{LongTable, hxl_value};
use passage_stats::population::Breakdown;
use passage_stats::table::{Dimension, Table};
use passage_store::{Store, StoreError};
use time::{Date, OffsetDateTime, Time};
use uuid::Uuid;

use super::{Kind, Request};
use crate::population::{Ask, Population};

/// Records to count: a value per dimension, and how many.
pub(super) struct Record {
    pub(super) values: HashMap<&'static str, String>,
    pub(super) count: u64,
    /// Referrals and cases: days in the current state.
    pub(super) days: Option<i64>,
}

/// A table over `by`, first by country: categories in a fixed order (age brackets and
/// dead/missing as the standards order them, the rest alphabetically).
pub(super) fn table(records: &[Record], by: &[&'static str], brackets: &Brackets) -> Table {
    let by: Vec<&str> = std::iter::once("country")
        .chain(by.iter().copied())
        .collect();
    let value = |r: &Record, d: &str| {
        r.values
            .get(d)
            .cloned()
            .unwrap_or_else(|| "unknown".to_owned())
    };
    let dims = by
        .iter()
        .map(|d| {
            let mut categories: Vec<String> = match *d {
                "age" => brackets.labels(),
                "measure" => vec!["dead".into(), "missing".into()],
                _ => {
                    let mut v: Vec<String> = records.iter().map(|r| value(r, d)).collect();
                    v.sort();
                    v.dedup();
                    v
                }
            };
            if categories.is_empty() {
                categories.push("unknown".into());
            }
            Dimension {
                name: (*d).to_owned(),
                categories,
            }
        })
        .collect();
    let mut t = Table::new(dims);
    for r in records {
        let values: Vec<String> = by.iter().map(|d| value(r, d)).collect();
        let refs: Vec<&str> = values.iter().map(String::as_str).collect();
        // Every value comes from the categories just built, so nothing is refused here.
        let _ = t.add(&refs, r.count);
    }
    t
}

pub(super) fn end_of(d: Date) -> OffsetDateTime {
    d.next_day()
        .unwrap_or(d)
        .with_time(Time::MIDNIGHT)
        .assume_utc()
}

pub(super) async fn records(
    store: &Store,
    population: &Population,
    p: &Principal,
    r: &Request,
) -> Result<Vec<Record>, StoreError> {
    // Every table is statistics, whatever records it is drawn from (incidents, say).
    p.require(
        passage_domain::access::Action::Read,
        passage_domain::access::Resource::Statistics,
    )?;
    let mut out = Vec::new();
    match r.kind {
        Kind::Population | Kind::Microdata => {
            let by = |d: &str| r.by.contains(&d);
            let ask = Ask {
                date: r.date,
                registered_by: end_of(r.date),
                brackets: r.brackets.clone(),
                by: Breakdown {
                    population_type: by("population_type"),
                    sex: by("sex"),
                    age: by("age"),
                    nationality: by("nationality"),
                    disability: by("disability"),
                },
            };
            let sites = store.site_labels().await?;
            let labels = r.brackets.labels();
            let label = |i: Option<usize>| {
                i.and_then(|i| labels.get(i))
                    .map_or(UNKNOWN_AGE, String::as_str)
                    .to_owned()
            };
            let place = |id: Uuid| {
                let s = sites.get(&id);
                (
                    s.map(|s| s.country.clone()).unwrap_or_default(),
                    s.map(|s| s.code.clone()).unwrap_or_default(),
                    s.and_then(|s| s.admin_pcode.clone())
                        .unwrap_or_else(|| "unknown".to_owned()),
                )
            };
            for g in population.count(store, p, &ask).await? {
                let (country, site, admin2) = place(Uuid::parse_str(&g.site).unwrap_or_default());
                let values = HashMap::from([
                    ("country", country),
                    (
                        "population_type",
                        g.population_type.unwrap_or_else(|| "none".to_owned()),
                    ),
                    ("sex", g.sex.unwrap_or_default()),
                    ("age", label(g.bracket)),
                    (
                        "nationality",
                        g.nationality.unwrap_or_else(|| "unknown".to_owned()),
                    ),
                    ("site", site),
                    ("admin2", admin2),
                    (
                        "disability",
                        if g.disability == Some(true) {
                            "yes"
                        } else {
                            "no"
                        }
                        .to_owned(),
                    ),
                ]);
                out.push(Record {
                    values,
                    count: g.count,
                    days: None,
                });
            }
            for c in store.breakdown_counts(p, end_of(r.date)).await? {
                let (country, site, admin2) = place(c.site_id);
                let values = HashMap::from([
                    ("country", country),
                    (
                        "population_type",
                        c.population_type
                            .map_or_else(|| "none".to_owned(), |t| t.code().to_owned()),
                    ),
                    ("sex", c.sex.code().to_owned()),
                    ("age", label(r.brackets.containing(c.bracket))),
                    ("nationality", c.nationality),
                    ("site", site),
                    ("admin2", admin2),
                    ("disability", "unknown".to_owned()),
                ]);
                out.push(Record {
                    values,
                    count: c.count,
                    days: None,
                });
            }
        }
        Kind::Arrivals => {
            let from = r.from.with_time(Time::MIDNIGHT).assume_utc();
            for a in store.arrival_counts(p, from, end_of(r.date)).await? {
                let values = HashMap::from([
                    ("country", a.country),
                    ("period", r.period.of(a.arrived_at.date())),
                    ("mode", a.mode),
                    ("route", a.route.unwrap_or_else(|| "unknown".to_owned())),
                    (
                        "origin",
                        a.origin_country.unwrap_or_else(|| "unknown".to_owned()),
                    ),
                    ("site", a.site),
                ]);
                out.push(Record {
                    values,
                    count: a.persons,
                    days: None,
                });
            }
        }
        Kind::DeadAndMissing => {
            for i in store.incidents(p, 100_000).await? {
                let d = &i.details;
                if d.occurred_on < r.from || d.occurred_on > r.date {
                    continue;
                }
                for (measure, n) in [("dead", d.dead), ("missing", d.missing)] {
                    let values = HashMap::from([
                        (
                            "country",
                            d.country
                                .as_ref()
                                .map_or_else(|| "XXX".to_owned(), |c| c.as_str().to_owned()),
                        ),
                        ("period", r.period.of(d.occurred_on)),
                        (
                            "route",
                            d.route.clone().unwrap_or_else(|| "unknown".to_owned()),
                        ),
                        ("kind", d.kind.code().to_owned()),
                        ("measure", measure.to_owned()),
                    ]);
                    out.push(Record {
                        values,
                        count: u64::from(n),
                        days: None,
                    });
                }
            }
        }
        Kind::Assistance => {
            let from = r.from.with_time(Time::MIDNIGHT).assume_utc();
            let sites = store.site_labels().await?;
            for a in store.assistance_counts(p, from, end_of(r.date)).await? {
                let site = sites.get(&a.site);
                let values = HashMap::from([
                    (
                        "country",
                        site.map(|s| s.country.clone()).unwrap_or_default(),
                    ),
                    ("period", r.period.of(a.day)),
                    ("programme", a.programme),
                    ("site", site.map(|s| s.code.clone()).unwrap_or_default()),
                ]);
                out.push(Record {
                    values,
                    count: a.given,
                    days: None,
                });
            }
        }
        Kind::Referrals => out = pipeline(store, p, true).await?,
        Kind::Cases => out = pipeline(store, p, false).await?,
    }
    Ok(out)
}

/// Referrals or cases by step.
async fn pipeline(
    store: &Store,
    p: &Principal,
    referrals: bool,
) -> Result<Vec<Record>, StoreError> {
    Ok(store
        .pipeline(p, referrals)
        .await?
        .into_iter()
        .map(|i| {
            let what = if referrals { "service" } else { "kind" };
            let state = if referrals { "status" } else { "state" };
            let values = HashMap::from([
                ("country", i.country),
                (what, i.what),
                ("urgency", i.urgency.unwrap_or_else(|| "none".to_owned())),
                (state, i.state),
                ("overdue", if i.overdue { "yes" } else { "no" }.to_owned()),
            ]);
            Record {
                values,
                count: 1,
                days: Some((p.at - i.since).whole_days().max(0)),
            }
        })
        .collect())
}

/// Adds the median days in the current state to each published row of a pipeline table
/// (left empty where the count is withheld: a median of hidden people is not published).
pub(super) fn median_days(
    table: &mut LongTable,
    records: &[Record],
    by: &[&'static str],
    hxl: bool,
) {
    let key_of = |values: &HashMap<&'static str, String>| -> Vec<String> {
        std::iter::once("country")
            .chain(by.iter().copied())
            .map(|d| {
                let v = values.get(d).map_or("unknown", String::as_str);
                if hxl { hxl_value(d, v) } else { v.to_owned() }
            })
            .collect()
    };
    let mut days: HashMap<Vec<String>, Vec<i64>> = HashMap::new();
    for r in records {
        if let Some(d) = r.days {
            days.entry(key_of(&r.values)).or_default().push(d);
        }
    }
    let count_at = 2 + by.len();
    table.headers.insert(count_at + 1, "median_days".into());
    table
        .hashtags
        .insert(count_at + 1, "#indicator+days+median".into());
    for row in &mut table.rows {
        let key: Vec<String> = row[1..count_at].to_vec();
        let published = row.get(count_at).is_some_and(|c| c.parse::<u64>().is_ok());
        let median = match days.get_mut(&key) {
            Some(d) if published && !d.is_empty() => {
                d.sort_unstable();
                let mid = d.len() / 2;
                let m = if d.len() % 2 == 0 {
                    (d[mid - 1] + d[mid]) as f64 / 2.0
                } else {
                    d[mid] as f64
                };
                format!("{m:.1}")
            }
            _ => String::new(),
        };
        row.insert(count_at + 1, median);
    }
}
