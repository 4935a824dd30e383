//! Care after arrival: sites and their shelter (occupancy drawn as a chart, units, the
//! people staying), placing a household by the allocation proposal and moving people
//! between units, the distribution desk, incidents on the routes and family tracing.
//!
//! Every page calls the API's handlers or the store with the logged-in person's
//! principal, so the rules, refusals, permissions and audit are the API's.

mod assistance;
mod chart;
mod incidents;
mod shelter;
mod sites;
mod tracing;

use axum::Router;
use axum::routing::{get, post};
use passage_domain::care::shelter::UnitKind;
use passage_domain::record::Site;
use passage_server::AppState;
use passage_server::problem::ApiError;
use passage_store::SiteFilter;
use passage_store::sql::MAX_PAGE;
use uuid::Uuid;

use crate::frame::User;
use crate::i18n::Tr;

/// The routes of the care pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sites", get(sites::list))
        .route("/sites/{id}", get(sites::show))
        .route("/sites/{id}/units", post(sites::add_unit))
        .route(
            "/households/{id}/shelter",
            get(shelter::page).post(shelter::admit),
        )
        .route("/households/{id}/shelter/transfer", post(shelter::transfer))
        .route("/assistance", get(assistance::desk).post(assistance::give))
        .route("/incidents", get(incidents::list).post(incidents::create))
        .route("/incidents/new", get(incidents::new))
        .route("/incidents/{id}", get(incidents::show))
        .route("/tracing", get(tracing::list).post(tracing::create))
        .route("/tracing/new", get(tracing::new))
        .route("/tracing/{id}", get(tracing::show))
        .route("/tracing/{id}/outcome", post(tracing::outcome))
}

/// The words for a unit kind.
fn unit_kind(tr: &Tr, kind: UnitKind) -> String {
    tr.t(&format!("care-unit-{}", kind.code().replace('_', "-")))
}

/// Every site the user may see, by code.
async fn all_sites(app: &AppState, user: &User) -> Result<Vec<Site>, ApiError> {
    let mut sites = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = app
            .store
            .sites(&user.p, &SiteFilter::default(), cursor.as_deref(), MAX_PAGE)
            .await?;
        sites.extend(page.items);
        match page.next_cursor {
            Some(next) if sites.len() < 10_000 => cursor = Some(next),
            _ => break,
        }
    }
    sites.sort_by(|a, b| a.details.code.as_str().cmp(b.details.code.as_str()));
    Ok(sites)
}

/// The site's code and name, or the id when the site cannot be read.
fn site_label(sites: &[Site], id: Uuid) -> String {
    sites.iter().find(|s| s.meta.id == id).map_or_else(
        || id.to_string(),
        |s| format!("{} · {}", s.details.code.as_str(), s.details.name),
    )
}

/// A whole number typed in a form, None when left empty; the text when it is not one,
/// so the API names the field that is wrong.
fn number(s: &str) -> serde_json::Value {
    let s = s.trim();
    if s.is_empty() {
        serde_json::Value::Null
    } else {
        s.parse::<u64>()
            .map_or_else(|_| serde_json::Value::from(s), serde_json::Value::from)
    }
}

/// A text typed in a form, None when left empty.
fn text(s: &str) -> serde_json::Value {
    let s = s.trim();
    if s.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::Value::from(s)
    }
}

/// A list typed with commas or spaces between its entries (`MMR, BGD`).
fn list(s: &str) -> serde_json::Value {
    s.split([',', ' ', ';'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(serde_json::Value::from)
        .collect()
}

/// A probability as a whole percentage.
fn percent(p: f64) -> String {
    format!("{:.0} %", (p * 100.0).clamp(0.0, 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_values_become_what_the_api_reads() {
        assert_eq!(number(" 12 "), serde_json::json!(12));
        assert_eq!(number(""), serde_json::Value::Null);
        assert_eq!(number("twelve"), serde_json::json!("twelve"));
        assert_eq!(
            list("MMR, BGD;;AFG"),
            serde_json::json!(["MMR", "BGD", "AFG"])
        );
        assert_eq!(text("  "), serde_json::Value::Null);
        assert_eq!(percent(0.973), "97 %");
    }
}
