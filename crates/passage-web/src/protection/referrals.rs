//! Referral queues and a referral's page: the referrals the user's organisation made or
//! received (overdue first), and on each the steps its status allows now for the user's
//! side, taken through the API's own handler. The receiving organisation sees what the
//! API shows it: nothing of the person before it accepts.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use passage_domain::access::{Action, Resource};
use passage_domain::protection::referral::{
    self, Referral, ReferralAction, ReferralError, ReferralStatus, ReferralStep, Side, Urgency,
};
use passage_server::AppState;
use passage_server::api::referrals as api;
use passage_server::auth::Caller;
use passage_server::extract::{Body, Id, Query};
use passage_server::problem::ApiError;
use serde::Deserialize;
use uuid::Uuid;

use super::{record_id, see, word};
use crate::form::{Problems, filled};
use crate::frame::{Chosen, Frame, User, failed, render};
use crate::i18n::Tr;

/// One referral in a queue.
pub struct Row {
    pub id: Uuid,
    pub service: String,
    pub urgency: String,
    pub pressing: bool,
    pub status: String,
    pub due: String,
    pub overdue: bool,
    pub received: bool,
    /// The person's id, where the API shows it.
    pub person_id: Option<Uuid>,
}

#[derive(Template)]
#[template(path = "protection-referrals.html")]
struct ListPage {
    frame: Frame,
    rows: Vec<Row>,
    /// (code, words, chosen) for the status filter.
    statuses: Vec<(String, String, bool)>,
    overdue: bool,
    incoming: bool,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct Filter {
    status: Option<String>,
    overdue: Option<String>,
    incoming: Option<String>,
}

fn status_words(tr: Tr, s: ReferralStatus) -> String {
    tr.t(&format!("referral-status-{}", s.code()))
}

/// A due time: the day in the page's language and the hour (UTC), which an urgent
/// referral counts in.
fn due(tr: Tr, at: time::OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{} {:02}:{:02} UTC",
        tr.date(at.date()),
        at.hour(),
        at.minute()
    )
}

fn received(user: &User, r: &Referral) -> bool {
    user.p.organisation_id.is_some() && r.recipient_id == user.p.organisation_id
}

/// `GET /referrals`: the referrals of the user's organisation, overdue first, then by
/// due time.
pub(super) async fn list(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    axum::extract::Query(f): axum::extract::Query<Filter>,
) -> Response {
    let tr = chosen.tr();
    let status = f.status.as_deref().and_then(ReferralStatus::from_code);
    let overdue = f.overdue.is_some();
    let incoming = f.incoming.is_some();
    let q = api::ReferralQuery {
        status,
        overdue: Some(overdue),
        incoming: Some(incoming),
        limit: Some(500),
    };
    let found = api::list(State(app.clone()), Caller(user.p.clone()), Query(q)).await;
    let mut referrals = match found {
        Ok(axum::Json(r)) => r,
        Err(e) => return failed(chosen, &user, e),
    };
    // Overdue first; the API gives them by due time, which stays the order within each.
    referrals.sort_by_key(|r| !r.overdue);
    let rows = referrals
        .iter()
        .map(|r| Row {
            id: r.meta.id,
            service: word(tr, "service", &r.service),
            urgency: word(tr, "urgency", &r.urgency),
            pressing: r.urgency != Urgency::Normal,
            status: status_words(tr, r.status),
            due: due(tr, r.due_at),
            overdue: r.overdue,
            received: received(&user, r),
            person_id: r.person_id,
        })
        .collect();
    let statuses = ReferralStatus::ALL
        .iter()
        .map(|s| {
            (
                s.code().to_owned(),
                status_words(tr, *s),
                Some(*s) == status,
            )
        })
        .collect();
    let mut path = String::from("/referrals");
    let mut query = Vec::new();
    if let Some(s) = status {
        query.push(format!("status={}", s.code()));
    }
    if overdue {
        query.push("overdue=on".to_owned());
    }
    if incoming {
        query.push("incoming=on".to_owned());
    }
    if !query.is_empty() {
        path = format!("{path}?{}", query.join("&"));
    }
    let page = ListPage {
        frame: Frame::new(chosen, &user, path),
        rows,
        statuses,
        overdue,
        incoming,
    };
    render(chosen, &page)
}

/// A step the user may take now, as a small form.
pub struct StepView {
    pub action: String,
    pub words: String,
    pub needs_reason: bool,
    pub needs_recipient: bool,
}

#[derive(Template)]
#[template(path = "protection-referral.html")]
struct ReferralPage {
    frame: Frame,
    id: Uuid,
    version: i64,
    service: String,
    urgency: String,
    pressing: bool,
    status: String,
    due: String,
    overdue: bool,
    received: bool,
    reason: Option<String>,
    decline_reason: Option<String>,
    consent: Option<String>,
    created_by: String,
    /// The person, as this side may see them: (link, name).
    person: Option<(Option<String>, String)>,
    /// What an accepted referral shares with the receiving organisation.
    shared: Vec<String>,
    steps: Vec<StepView>,
    /// Organisations to send to: (id, name).
    organisations: Vec<(Uuid, String)>,
    problem: Option<String>,
}

/// The actions the referral table allows from `status`, asked of the domain's own table:
/// every action it refuses as not allowed from this status is left out.
fn allowed(status: ReferralStatus) -> Vec<ReferralAction> {
    let actions = [
        ReferralAction::Send,
        ReferralAction::Accept,
        ReferralAction::Decline,
        ReferralAction::Complete,
        ReferralAction::Cancel,
    ];
    let now = time::OffsetDateTime::UNIX_EPOCH;
    actions
        .into_iter()
        .filter(|a| {
            !matches!(
                referral::step(
                    status,
                    *a,
                    Some("-"),
                    None,
                    passage_domain::protection::referral::Service::LegalAid,
                    &[],
                    now
                ),
                Err(ReferralError::NotAllowed { .. })
            )
        })
        .collect()
}

async fn draw(
    app: &AppState,
    chosen: Chosen,
    user: &User,
    r: Referral,
    problems: &Problems,
) -> Result<Response, ApiError> {
    let tr = chosen.tr();
    let is_received = received(user, &r);
    let side = if is_received {
        Side::Receiving
    } else {
        Side::Referring
    };
    let can_step = user.can(Action::Update, Resource::Referral);
    let steps: Vec<StepView> = allowed(r.status)
        .into_iter()
        .filter(|a| can_step && a.side() == side)
        .map(|a| StepView {
            action: a.code().to_owned(),
            words: tr.t(&format!("referral-action-{}", a.code())),
            needs_reason: matches!(a, ReferralAction::Decline | ReferralAction::Cancel),
            needs_recipient: a == ReferralAction::Send && r.recipient_id.is_none(),
        })
        .collect();
    let organisations = if steps.iter().any(|s| s.needs_recipient) {
        match app.store.organisations(&user.p).await {
            Ok(orgs) => orgs
                .into_iter()
                .filter(|o| Some(o.meta.id) != user.p.organisation_id)
                .map(|o| (o.meta.id, o.details.name))
                .collect(),
            Err(_) => Vec::new(),
        }
    } else {
        Vec::new()
    };
    let mut shared = Vec::new();
    let person = match r.person_id {
        Some(_) if is_received => {
            let seen = api::person(State(app.clone()), Caller(user.p.clone()), Id(r.meta.id)).await;
            match seen {
                Ok(axum::Json(sp)) => {
                    let name = [sp.given_name.clone(), sp.family_name.clone()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" ");
                    for f in &sp.fields {
                        shared.push(word(tr, "shared", f));
                    }
                    Some((None, name))
                }
                Err(_) => None,
            }
        }
        Some(pid) => {
            let name = app
                .store
                .person(&user.p, pid)
                .await?
                .map_or_else(|| pid.to_string(), |p| p.details.display_name());
            Some((Some(format!("/persons/{pid}")), name))
        }
        None => None,
    };
    let page = ReferralPage {
        frame: Frame::new(chosen, user, format!("/referrals/{}", r.meta.id)),
        id: r.meta.id,
        version: r.meta.version,
        service: word(tr, "service", &r.service),
        urgency: word(tr, "urgency", &r.urgency),
        pressing: r.urgency != Urgency::Normal,
        status: status_words(tr, r.status),
        due: due(tr, r.due_at),
        overdue: r.overdue,
        received: is_received,
        reason: r.reason.clone(),
        decline_reason: r.decline_reason.clone(),
        consent: r.consent_required.map(|c| {
            tr.with(
                "referral-consent",
                &[("scope", word(tr, "consent", &c).into())],
            )
        }),
        created_by: r.created_by.clone(),
        person,
        shared,
        steps,
        organisations,
        problem: (!problems.is_empty()).then(|| {
            problems
                .0
                .iter()
                .map(|(_, m)| m.clone())
                .collect::<Vec<_>>()
                .join("; ")
        }),
    };
    Ok(render(chosen, &page))
}

async fn read(app: &AppState, user: &User, id: Uuid) -> Result<Referral, ApiError> {
    let axum::Json(r) = api::read(State(app.clone()), Caller(user.p.clone()), Id(id)).await?;
    Ok(r)
}

/// `GET /referrals/{id}`: the referral and the steps the user may take now.
pub(super) async fn page(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Path(id): Path<String>,
) -> Response {
    let shown = async {
        let id = record_id(&id, "referral")?;
        let r = read(&app, &user, id).await?;
        draw(&app, chosen, &user, r, &Problems::default()).await
    };
    match shown.await {
        Ok(r) => r,
        Err(e) => failed(chosen, &user, e),
    }
}

#[derive(Debug, Deserialize)]
pub(super) struct StepForm {
    csrf: String,
    action: String,
    version: String,
    reason: Option<String>,
    recipient_id: Option<String>,
}

/// `POST /referrals/{id}/steps`: one step through the API; a refusal shows on the page.
pub(super) async fn step(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Path(id): Path<String>,
    Form(form): Form<StepForm>,
) -> Response {
    let done = async {
        user.check(&form.csrf)?;
        let id = record_id(&id, "referral")?;
        let asked = async {
            let action: ReferralAction =
                serde_json::from_value(serde_json::Value::String(form.action.clone()))
                    .map_err(|_| ApiError::invalid("action", "not a step of a referral"))?;
            let version = form
                .version
                .trim()
                .parse()
                .map_err(|_| ApiError::invalid("version", "reload the page"))?;
            let recipient_id = match filled(form.recipient_id.clone()) {
                Some(s) => Some(Uuid::parse_str(&s).map_err(|_| {
                    ApiError::invalid("recipient_id", "choose the receiving organisation")
                })?),
                None => None,
            };
            let s = ReferralStep {
                action,
                version,
                reason: filled(form.reason.clone()),
                recipient_id,
            };
            api::step(State(app.clone()), Caller(user.p.clone()), Id(id), Body(s)).await
        };
        match asked.await {
            Ok(_) => Ok(see(format!("/referrals/{id}"))),
            Err(e) => {
                let problems = Problems::of(e)?;
                let r = read(&app, &user, id).await?;
                draw(&app, chosen, &user, r, &problems).await
            }
        }
    };
    match done.await {
        Ok(r) => r,
        Err(e) => failed(chosen, &user, e),
    }
}
