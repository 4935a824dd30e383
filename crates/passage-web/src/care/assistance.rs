//! `GET /assistance`: the distribution desk. A registration number typed or scanned (a
//! person's, or a household's to pick one of its members) shows what the person is
//! entitled to and what they or their household already received; one submit gives a
//! distribution, and a refusal (not entitled, already received) says why. The desk's own
//! recent distributions and the totals of each programme at the site are listed below.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use passage_domain::care::assistance::{Beneficiary, DocumentRule, Frequency, Recipient, eligible};
use passage_domain::care::records::{Distribution, DistributionStatus, Programme};
use passage_domain::record::{Person, Site};
use passage_domain::regno::RegistrationNumber;
use passage_server::AppState;
use passage_server::auth::Caller;
use passage_server::extract::{Body, from_value};
use passage_server::problem::ApiError;
use passage_store::DistributionFilter;
use serde::Deserialize;
use uuid::Uuid;

use super::{all_sites, number, site_label, text};
use crate::form::Problems;
use crate::frame::{Chosen, Frame, User, failed, render};
use crate::i18n::Tr;

#[derive(Debug, Default, Deserialize)]
pub(super) struct DeskQuery {
    number: Option<String>,
    site: Option<String>,
    /// The distribution just given, to confirm.
    done: Option<String>,
}

/// What the give form holds.
#[derive(Debug, Default, Deserialize)]
pub(super) struct GiveForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    site: String,
    #[serde(default)]
    person_id: String,
    #[serde(default)]
    programme_id: String,
    #[serde(default)]
    quantity: String,
    #[serde(default)]
    note: String,
}

/// One programme as the desk shows it for the person.
struct Entitlement {
    id: Uuid,
    title: String,
    item: String,
    how_often: String,
    /// `entitled`, or the rule that fails, in words.
    status: String,
    entitled: bool,
    /// What was already received of it, in words.
    received: Vec<String>,
    checked: bool,
}

/// The person at the desk.
struct AtDesk {
    person_id: Uuid,
    number: String,
    name: String,
    population_type: String,
    household: String,
    entitlements: Vec<Entitlement>,
}

/// One line of the desk's recent distributions.
struct Given {
    when: String,
    number: String,
    name: String,
    programme: String,
    status: String,
}

/// Totals of one programme at the site.
struct Total {
    programme: String,
    given: String,
    held: String,
    quantity: String,
}

#[derive(Template)]
#[template(path = "care-assistance.html")]
struct DeskPage {
    frame: Frame,
    number: String,
    sites: Vec<(Uuid, String)>,
    site: Option<Uuid>,
    /// Problems with the number typed.
    lookup_problem: Option<String>,
    /// A household's members to choose from: (number, name).
    members: Vec<(String, String)>,
    person: Option<AtDesk>,
    confirmation: Option<String>,
    problems: Problems,
    quantity: String,
    note: String,
    recent: Vec<Given>,
    totals: Vec<Total>,
}

/// A registration number as it can travel in a link: letters, digits and hyphens.
fn plain(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

impl DeskPage {
    fn site_is(&self, id: &Uuid) -> bool {
        self.site.as_ref() == Some(id)
    }
}

fn status_words(tr: &Tr, s: DistributionStatus) -> String {
    tr.t(&format!("care-distribution-{}", s.code()))
}

fn how_often(tr: &Tr, p: &Programme) -> String {
    let who = match p.details.beneficiary {
        Beneficiary::Person => tr.t("care-per-person"),
        Beneficiary::Household => tr.t("care-per-household"),
    };
    let when = match p.details.frequency {
        Frequency::Once => tr.t("care-once"),
        Frequency::Every { days } => tr.with(
            "care-every-days",
            &[("days", tr.number(days.into()).into())],
        ),
    };
    format!("{who}, {when}")
}

/// What the person may receive of each programme and what they already received.
fn entitlements(
    tr: &Tr,
    person: &Person,
    site: Option<Uuid>,
    programmes: &[Programme],
    received: &[Distribution],
    picked: Option<Uuid>,
) -> Vec<Entitlement> {
    let mut out: Vec<Entitlement> = programmes
        .iter()
        .map(|p| {
            // The domain's rules, with the document condition left to the desk's submit
            // (whether a document is on record is not the desk's to read).
            let mut rules = p.details.clone();
            rules.entitlement.documents = DocumentRule::Any;
            let recipient = Recipient {
                population_type: person.details.population_type,
                flags: person.details.profile_flags.clone(),
                documented: false,
                site_id: site,
            };
            let (entitled, mut status) = match eligible(&rules, &recipient) {
                Ok(()) => (true, tr.t("care-entitled")),
                Err(e) => (false, e.to_string()),
            };
            match p.details.entitlement.documents {
                DocumentRule::Documented if entitled => {
                    status = format!("{status} ({})", tr.t("care-needs-document"));
                }
                DocumentRule::Undocumented if entitled => {
                    status = format!("{status} ({})", tr.t("care-needs-no-document"));
                }
                _ => {}
            }
            let received: Vec<String> = received
                .iter()
                .filter(|d| d.programme_id == p.meta.id)
                .filter(|d| {
                    p.details.beneficiary == Beneficiary::Household || d.person_id == person.meta.id
                })
                .map(|d| {
                    format!(
                        "{} · {}",
                        tr.date(d.distributed_at.date()),
                        status_words(tr, d.status)
                    )
                })
                .collect();
            Entitlement {
                id: p.meta.id,
                title: format!("{} · {}", p.details.code, p.details.name),
                item: p.details.item.clone(),
                how_often: how_often(tr, p),
                status,
                entitled,
                received,
                checked: picked == Some(p.meta.id),
            }
        })
        .collect();
    if picked.is_none()
        && let Some(first) = out.iter_mut().find(|e| e.entitled && e.received.is_empty())
    {
        first.checked = true;
    }
    out
}

/// Everything the desk shows; `picked`, `problems` and the typed values after a refusal.
struct Shown {
    number: String,
    site: Option<Uuid>,
    done: Option<Uuid>,
    picked: Option<Uuid>,
    problems: Problems,
    quantity: String,
    note: String,
}

async fn desk_page(
    app: &AppState,
    chosen: Chosen,
    user: &User,
    shown: Shown,
) -> Result<Response, ApiError> {
    let tr = chosen.tr();
    let sites: Vec<Site> = all_sites(app, user).await?;
    let mut site = shown.site;
    let mut lookup_problem = None;
    let mut members = Vec::new();
    let mut person = None;
    let typed = shown.number.trim().to_owned();
    let mut found: Option<Person> = None;
    if !typed.is_empty() {
        match RegistrationNumber::parse(&typed) {
            Err(e) => lookup_problem = Some(e.to_string()),
            Ok(n) => {
                found = app.store.person_by_number(&user.p, &n).await?;
                if found.is_none() {
                    match app.store.household_by_number(&user.p, &n).await? {
                        Some(h) => {
                            members = h
                                .members
                                .iter()
                                .map(|m| (m.registration_number.to_string(), m.name.clone()))
                                .collect();
                        }
                        None => {
                            lookup_problem = Some(tr.with(
                                "care-no-one-with-number",
                                &[("number", n.to_string().into())],
                            ));
                        }
                    }
                }
            }
        }
    }
    let programmes = app.store.programmes(&user.p).await?;
    if let Some(found) = found {
        if site.is_none() {
            let stay = app
                .store
                .stays_of(&user.p, found.meta.id)
                .await?
                .unwrap_or_default()
                .into_iter()
                .find(|s| s.departed_at.is_none());
            site = Some(stay.map_or(found.site_id, |s| s.site_id));
        }
        let household = app.store.household(&user.p, found.household_id).await?;
        let received = app
            .store
            .distributions(
                &user.p,
                &DistributionFilter {
                    household_id: Some(found.household_id),
                    limit: 1000,
                    ..DistributionFilter::default()
                },
            )
            .await?;
        person = Some(AtDesk {
            person_id: found.meta.id,
            number: found.registration_number.to_string(),
            name: found.details.display_name(),
            population_type: tr.t(&format!(
                "population-type-{}",
                found
                    .details
                    .population_type
                    .map_or("none".to_owned(), |t| t.code().to_lowercase())
            )),
            household: household.map_or_else(String::new, |h| {
                tr.with(
                    "care-household-of",
                    &[
                        ("number", h.registration_number.to_string().into()),
                        ("size", tr.number(h.size.into()).into()),
                    ],
                )
            }),
            entitlements: entitlements(&tr, &found, site, &programmes, &received, shown.picked),
        });
    }
    let mut recent = Vec::new();
    let mut confirmation = None;
    if let Some(site) = site {
        let mine = app
            .store
            .distributions(
                &user.p,
                &DistributionFilter {
                    site_id: Some(site),
                    distributed_by: Some(user.p.name.clone()),
                    newest_first: true,
                    limit: 15,
                    ..DistributionFilter::default()
                },
            )
            .await?;
        for d in mine {
            let who = app.store.person(&user.p, d.person_id).await?;
            let programme = programmes
                .iter()
                .find(|p| p.meta.id == d.programme_id)
                .map(|p| p.details.code.clone())
                .unwrap_or_default();
            if shown.done == Some(d.meta.id) {
                let id = match d.status {
                    DistributionStatus::Held => "care-held-now",
                    _ => "care-given-now",
                };
                confirmation = Some(
                    tr.with(
                        id,
                        &[
                            ("programme", programme.clone().into()),
                            (
                                "name",
                                who.as_ref()
                                    .map(|w| w.details.display_name())
                                    .unwrap_or_default()
                                    .into(),
                            ),
                        ],
                    ),
                );
            }
            recent.push(Given {
                when: tr.date(d.distributed_at.date()),
                number: who
                    .as_ref()
                    .map(|w| w.registration_number.to_string())
                    .unwrap_or_default(),
                name: who.map(|w| w.details.display_name()).unwrap_or_default(),
                programme,
                status: status_words(&tr, d.status),
            });
        }
    }
    let mut totals = Vec::new();
    for p in &programmes {
        let rows = app.store.distribution_totals(&user.p, p.meta.id).await?;
        let here = rows.iter().filter(|r| Some(r.site_id) == site);
        let (given, held, quantity) = here.fold((0u64, 0u64, 0u64), |(g, h, q), r| {
            (
                g + u64::from(r.given),
                h + u64::from(r.held),
                q + r.quantity,
            )
        });
        totals.push(Total {
            programme: format!("{} · {}", p.details.code, p.details.name),
            given: tr.number(given),
            held: tr.number(held),
            quantity: tr.number(quantity),
        });
    }
    let query = match site {
        Some(s) => format!("/assistance?number={}&site={s}", plain(&typed)),
        None => "/assistance".to_owned(),
    };
    let page = DeskPage {
        frame: Frame::new(chosen, user, query),
        number: typed,
        sites: sites
            .iter()
            .map(|s| (s.meta.id, site_label(&sites, s.meta.id)))
            .collect(),
        site,
        lookup_problem,
        members,
        person,
        confirmation,
        problems: shown.problems,
        quantity: shown.quantity,
        note: shown.note,
        recent,
        totals,
    };
    Ok(render(chosen, &page))
}

pub(super) async fn desk(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Query(q): Query<DeskQuery>,
) -> Response {
    let shown = Shown {
        number: q.number.unwrap_or_default(),
        site: q.site.as_deref().and_then(|s| Uuid::parse_str(s).ok()),
        done: q.done.as_deref().and_then(|s| Uuid::parse_str(s).ok()),
        picked: None,
        problems: Problems::default(),
        quantity: "1".to_owned(),
        note: String::new(),
    };
    desk_page(&app, chosen, &user, shown)
        .await
        .unwrap_or_else(|e| failed(chosen, &user, e))
}

pub(super) async fn give(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Form(form): Form<GiveForm>,
) -> Response {
    if let Err(e) = user.check(&form.csrf) {
        return failed(chosen, &user, e);
    }
    let tr = chosen.tr();
    let picked = Uuid::parse_str(&form.programme_id).ok();
    let site = Uuid::parse_str(&form.site).ok();
    let done = if picked.is_none() {
        Err(ApiError::invalid(
            "programme_id",
            tr.t("care-pick-programme"),
        ))
    } else if site.is_none() {
        Err(ApiError::invalid("site_id", tr.t("care-pick-site")))
    } else {
        let value = serde_json::json!({
            "programme_id": form.programme_id,
            "person_id": form.person_id,
            "site_id": form.site,
            "quantity": number(&form.quantity),
            "note": text(&form.note),
        });
        match from_value("", value) {
            Ok(new) => passage_server::api::assistance::distribute(
                State(app.clone()),
                Caller(user.p.clone()),
                Body(new),
            )
            .await
            .map(|(_, _, d)| d.0),
            Err(e) => Err(e),
        }
    };
    match done {
        Ok(d) => Redirect::to(&format!(
            "/assistance?number={}&site={}&done={}",
            plain(&form.number),
            d.site_id,
            d.meta.id
        ))
        .into_response(),
        Err(e) => match Problems::of(e) {
            Ok(problems) => {
                let shown = Shown {
                    number: form.number,
                    site,
                    done: None,
                    picked,
                    problems,
                    quantity: form.quantity,
                    note: form.note,
                };
                desk_page(&app, chosen, &user, shown)
                    .await
                    .unwrap_or_else(|e| failed(chosen, &user, e))
            }
            Err(e) => failed(chosen, &user, e),
        },
    }
}
