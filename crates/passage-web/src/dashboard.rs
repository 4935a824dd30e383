//! The dashboard: arrivals over time, the population pyramid, population types, the
//! case and referral pipelines and the dead and missing by route, each drawn from the statistics
//! tables after disclosure control (a withheld number is drawn as withheld), for a
//! period, a site and a nationality.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use passage_domain::access::Principal;
use passage_domain::codes::Nationality;
use passage_server::AppState;
use passage_server::api::stats::{Kind, Period, TableQuery, long_tables, request};
use passage_server::problem::ApiError;
use passage_stats::export::LongTable;
use passage_store::SiteFilter;
use serde::Deserialize;
use time::Date;

use crate::charts::{Bar, Bars, Pyramid};
use crate::form::{Problems, date, filled};
use crate::frame::{Chosen, Frame, User, failed, render};
use crate::i18n::Tr;

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
    /// The sites the user may choose: (code, name).
    sites: Vec<(String, String)>,
    nationality: String,
    /// Filters that could not be used, and why.
    problems: Problems,
    /// Charts as SVG (drawn by templates that escape what they show).
    charts: Vec<String>,
    /// Why there are no charts, if there are none.
    refused: Option<String>,
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
    /// Tables of one kind asked together, protected as one (each a margin of the table
    /// over all their dimensions), so the charts drawn from them cannot be played off
    /// against each other.
    async fn tables(&self, kind: Kind, tables: &[Vec<&str>]) -> Result<Vec<LongTable>, ApiError> {
        let by: Vec<String> = tables.iter().map(|t| t.join(",")).collect();
        let q = TableQuery {
            date: Some(self.to),
            from: Some(self.from),
            period: Some(Period::Month),
            by: Some(by.join(";")),
            threshold: None,
            format: None,
            ages: None,
            k: None,
        };
        let (req, policy) = request(kind, &q, self.to)?;
        let (t, _, _) = long_tables(
            &self.app.store,
            &self.app.population,
            self.p,
            &req,
            &policy,
            false,
        )
        .await?;
        Ok(t)
    }

    async fn table(&self, kind: Kind, by: &[&str]) -> Result<LongTable, ApiError> {
        let mut t = self.tables(kind, &[by.to_vec()]).await?;
        t.pop()
            .ok_or_else(|| ApiError::not_found(format!("the table {by:?}")))
    }
}

/// A table the visitor may not read leaves its chart out; any other failure is an error.
fn allowed<T>(r: Result<T, ApiError>) -> Result<Option<T>, ApiError> {
    match r {
        Ok(t) => Ok(Some(t)),
        Err(ApiError::Forbidden(_)) => Ok(None),
        Err(e) => Err(e),
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
    user: User,
    Query(f): Query<Filters>,
) -> Response {
    let drawn = drawn(&app, chosen, &user, f).await;
    drawn.unwrap_or_else(|e| failed(chosen, &user, e))
}

async fn drawn(
    app: &AppState,
    chosen: Chosen,
    user: &User,
    f: Filters,
) -> Result<Response, ApiError> {
    let p = &user.p;
    let tr = chosen.tr();
    let to = date(f.to.as_deref()).unwrap_or(app.clock.today());
    let from = date(f.from.as_deref())
        .filter(|d| *d <= to)
        .unwrap_or(to - time::Duration::days(365));
    let sites = match app
        .store
        .sites(
            p,
            &SiteFilter::default(),
            None,
            passage_store::sql::MAX_PAGE,
        )
        .await
    {
        Ok(page) => page
            .items
            .into_iter()
            .map(|s| (s.details.code.as_str().to_owned(), s.details.name))
            .collect(),
        Err(passage_store::StoreError::Forbidden(_)) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    let mut problems = Problems::default();
    let mut site = f.site.clone().unwrap_or_default().trim().to_uppercase();
    if !site.is_empty() && !sites.iter().any(|(code, _)| *code == site) {
        problems.0.push((
            "site".into(),
            tr.with("filter-unknown-site", &[("code", site.clone().into())]),
        ));
        site.clear();
    }
    // Codes as the tables write them: ISO3 in capitals, `stateless` and `unknown` not.
    let typed = f.nationality.clone().unwrap_or_default();
    let nationality = match filled(Some(typed.clone())).map(Nationality::try_from) {
        None => String::new(),
        Some(Ok(n)) => n.code().to_owned(),
        Some(Err(why)) => {
            problems.0.push(("nationality".into(), why));
            String::new()
        }
    };
    let asker = Asker { app, p, from, to };
    let charts = draw(&asker, &tr, &site, &nationality).await?;
    let refused = charts.is_empty().then(|| tr.t("dashboard-not-for-role"));
    let page = Dashboard {
        frame: Frame::new(chosen, user, "/dashboard"),
        from: from.to_string(),
        to: to.to_string(),
        site,
        sites,
        nationality: if problems.at("nationality").is_some() {
            typed
        } else {
            nationality
        },
        problems,
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
    if let Some(t) = allowed(asker.table(Kind::Arrivals, &by).await)? {
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
    }

    // The pyramid and the population types, protected together.
    let pyramid_by: Vec<&str> = ["sex", "age"]
        .into_iter()
        .chain(population_by.iter().copied())
        .collect();
    let types_by: Vec<&str> = std::iter::once("population_type")
        .chain(population_by.iter().copied())
        .collect();
    let both = asker
        .tables(Kind::Population, &[pyramid_by, types_by])
        .await;
    if let Some(tables) = allowed(both)?
        && let [pyramid, types] = tables.as_slice()
    {
        let cells = rows(pyramid, &["sex", "age"], &population_filter);
        let shown = |sex: &str, age: &str| {
            cells
                .iter()
                .find(|(v, _)| v[0] == sex && v[1] == age)
                .map_or_else(|| "0".to_owned(), |(_, s)| s.clone())
        };
        let pyramid_rows: Vec<(String, Bar, Bar)> =
            ["0_4", "5_11", "12_17", "18_59", "60", "other"]
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
        let bars: Vec<Bar> = rows(types, &["population_type"], &population_filter)
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
    }

    // The case pipeline, by kind of procedure.
    if let Some(t) = allowed(asker.table(Kind::Cases, &["kind"]).await)? {
        let bars: Vec<Bar> = rows(&t, &["kind"], &[])
            .into_iter()
            .map(|(v, shown)| Bar {
                label: label_of(tr, "case-kind", &v.concat()),
                shown,
            })
            .collect();
        out.push(render(&Bars::new("cases", &tr.t("chart-cases"), &bars)));
    }

    // The referral pipeline, by status (overdue apart).
    if let Some(t) = allowed(asker.table(Kind::Referrals, &["status", "overdue"]).await)? {
        let bars: Vec<Bar> = rows(&t, &["status", "overdue"], &[])
            .into_iter()
            .map(|(v, shown)| {
                let status = label_of(tr, "referral-status", &v[0]);
                Bar {
                    label: if v[1] == "yes" {
                        format!("{status} ({})", tr.t("referral-overdue"))
                    } else {
                        status
                    },
                    shown,
                }
            })
            .collect();
        out.push(render(&Bars::new(
            "referrals",
            &tr.t("chart-referrals"),
            &bars,
        )));
    }

    // Dead and missing by route.
    if let Some(t) = allowed(asker.table(Kind::DeadAndMissing, &["route"]).await)? {
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
    }
    Ok(out)
}
