//! The dashboard: arrivals over time, the population pyramid, population types, the
//! case pipeline and the dead and missing by route, each drawn from the statistics
//! tables after disclosure control (a withheld number is drawn as withheld), for a
//! period, a site and a nationality.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use passage_domain::access::Principal;
use passage_server::AppState;
use passage_server::api::stats::{Kind, Period, TableQuery, long_table, request};
use passage_server::problem::ApiError;
use passage_stats::export::{Format, LongTable};
use serde::Deserialize;
use time::Date;

use crate::charts::{Bar, Bars, Pyramid};
use crate::i18n::Tr;
use crate::{Chosen, Frame, Visitor, render, to_login};

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Filters {
    /// The first and last day of the flows (arrivals, dead and missing); the last day
    /// is also the reference date of the stocks.
    from: Option<String>,
    to: Option<String>,
    /// A site code: only that site's people and arrivals.
    site: Option<String>,
    /// A nationality (ISO3, stateless, unknown): only those people.
    nationality: Option<String>,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct Dashboard {
    frame: Frame,
    from: String,
    to: String,
    site: String,
    nationality: String,
    /// Charts as SVG (drawn by templates that escape what they show).
    charts: Vec<String>,
    /// Why there are no charts, if there are none.
    refused: Option<String>,
}

fn date(s: Option<&str>) -> Option<Date> {
    Date::parse(
        s?.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

/// The rows of a table as (the values of `columns`, the count as published), keeping
/// only rows whose `filter` columns hold the values asked.
fn rows(t: &LongTable, columns: &[&str], filter: &[(&str, &str)]) -> Vec<(Vec<String>, String)> {
    let at = |name: &str| t.headers.iter().position(|h| h == name);
    let Some(count) = at("count") else {
        return Vec::new();
    };
    t.rows
        .iter()
        .filter(|r| {
            filter
                .iter()
                .all(|(c, v)| at(c).is_some_and(|i| r.get(i).is_some_and(|x| x == v)))
        })
        .map(|r| {
            let values = columns
                .iter()
                .map(|c| at(c).and_then(|i| r.get(i)).cloned().unwrap_or_default())
                .collect();
            (values, r.get(count).cloned().unwrap_or_default())
        })
        .collect()
}

/// The same published numbers summed over the filtered-out columns would no longer be
/// published numbers; so each chart asks for exactly the breakdown it draws, with the
/// filters as dimensions, and draws the rows of the filter's values.
struct Asker<'a> {
    app: &'a AppState,
    p: &'a Principal,
    from: Date,
    to: Date,
}

impl Asker<'_> {
    async fn table(&self, kind: Kind, by: &[&str]) -> Result<LongTable, ApiError> {
        let q = TableQuery {
            date: Some(self.to),
            from: Some(self.from),
            period: Some(Period::Month),
            by: Some(by.join(",")),
            threshold: None,
            format: None,
            ages: None,
            quasi: None,
            k: None,
        };
        let (req, policy) = request(kind, &q, self.to)?;
        let (t, _, _) = long_table(
            &self.app.store,
            &self.app.population,
            self.p,
            &req,
            &policy,
            Format::Csv,
        )
        .await?;
        Ok(t)
    }
}

fn label_of(tr: &Tr, prefix: &str, code: &str) -> String {
    let id = format!("{prefix}-{}", code.replace('_', "-"));
    let text = tr.t(&id);
    if text.starts_with('⟦') {
        code.to_owned()
    } else {
        text
    }
}

pub(crate) async fn page(
    State(app): State<AppState>,
    chosen: Chosen,
    Visitor(visitor): Visitor,
    Query(f): Query<Filters>,
) -> Result<Response, ApiError> {
    let Some((p, csrf)) = visitor else {
        return Ok(to_login(chosen));
    };
    let tr = chosen.tr();
    let to = date(f.to.as_deref()).unwrap_or(app.clock.today());
    let from = date(f.from.as_deref())
        .filter(|d| *d <= to)
        .unwrap_or(to - time::Duration::days(365));
    let site = f.site.clone().unwrap_or_default().trim().to_uppercase();
    let nationality = f.nationality.clone().unwrap_or_default().trim().to_owned();
    let asker = Asker {
        app: &app,
        p: &p,
        from,
        to,
    };
    let mut charts = Vec::new();
    let mut refused = None;
    match draw(&asker, &tr, &site, &nationality).await {
        Ok(drawn) => charts = drawn,
        Err(ApiError::Forbidden(_)) => refused = Some(tr.t("dashboard-not-for-role")),
        Err(e) => return Err(e),
    }
    let page = Dashboard {
        frame: Frame {
            tr,
            user: Some(p.name.clone()),
            csrf,
            path: "/dashboard",
        },
        from: from.to_string(),
        to: to.to_string(),
        site,
        nationality,
        charts,
        refused,
    };
    Ok(render(chosen, &page))
}

async fn draw(
    asker: &Asker<'_>,
    tr: &Tr,
    site: &str,
    nationality: &str,
) -> Result<Vec<String>, ApiError> {
    let mut out = Vec::new();
    let mut population_by: Vec<&str> = Vec::new();
    let mut population_filter: Vec<(&str, &str)> = Vec::new();
    if !site.is_empty() {
        population_by.push("site");
        population_filter.push(("site", site));
    }
    if !nationality.is_empty() {
        population_by.push("nationality");
        population_filter.push(("nationality", nationality));
    }
    let render = |t: &dyn askama::DynTemplate| t.dyn_render().unwrap_or_default();

    // Arrivals by month.
    let mut by = vec!["period"];
    let mut filter = Vec::new();
    if !site.is_empty() {
        by.push("site");
        filter.push(("site", site));
    }
    let t = asker.table(Kind::Arrivals, &by).await?;
    let bars: Vec<Bar> = rows(&t, &["period"], &filter)
        .into_iter()
        .map(|(v, shown)| Bar {
            label: v.concat(),
            shown,
        })
        .collect();
    out.push(render(&Bars::new(
        "arrivals",
        &tr.t("chart-arrivals"),
        &bars,
    )));

    // The pyramid.
    let by: Vec<&str> = ["sex", "age"]
        .into_iter()
        .chain(population_by.iter().copied())
        .collect();
    let t = asker.table(Kind::Population, &by).await?;
    let cells = rows(&t, &["sex", "age"], &population_filter);
    let shown = |sex: &str, age: &str| {
        cells
            .iter()
            .find(|(v, _)| v[0] == sex && v[1] == age)
            .map_or_else(|| "0".to_owned(), |(_, s)| s.clone())
    };
    let pyramid_rows: Vec<(String, Bar, Bar)> = ["0_4", "5_11", "12_17", "18_59", "60", "other"]
        .iter()
        .map(|age| {
            let bar = |sex| Bar {
                label: String::new(),
                shown: shown(sex, age),
            };
            (label_of(tr, "age", age), bar("F"), bar("M"))
        })
        .collect();
    out.push(render(&Pyramid::new(
        &tr.t("chart-pyramid"),
        &tr.t("sex-f"),
        &tr.t("sex-m"),
        &pyramid_rows,
    )));

    // Population types.
    let by: Vec<&str> = std::iter::once("population_type")
        .chain(population_by.iter().copied())
        .collect();
    let t = asker.table(Kind::Population, &by).await?;
    let bars: Vec<Bar> = rows(&t, &["population_type"], &population_filter)
        .into_iter()
        .map(|(v, shown)| Bar {
            label: label_of(tr, "population-type", &v.concat().to_lowercase()),
            shown,
        })
        .collect();
    out.push(render(&Bars::new(
        "types",
        &tr.t("chart-population-types"),
        &bars,
    )));

    // The case pipeline, by kind of procedure.
    let t = asker.table(Kind::Cases, &["kind"]).await?;
    let bars: Vec<Bar> = rows(&t, &["kind"], &[])
        .into_iter()
        .map(|(v, shown)| Bar {
            label: label_of(tr, "case-kind", &v.concat()),
            shown,
        })
        .collect();
    out.push(render(&Bars::new("cases", &tr.t("chart-cases"), &bars)));

    // Dead and missing by route.
    let t = asker.table(Kind::DeadAndMissing, &["route"]).await?;
    let bars: Vec<Bar> = rows(&t, &["route", "measure"], &[])
        .into_iter()
        .map(|(v, shown)| Bar {
            label: format!("{} ({})", v[0], label_of(tr, "measure", &v[1])),
            shown,
        })
        .collect();
    out.push(render(&Bars::new(
        "dead-missing",
        &tr.t("chart-dead-missing"),
        &bars,
    )));
    Ok(out)
}
