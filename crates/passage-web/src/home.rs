//! The home page: what needs doing now, the work queues of the user's roles.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use passage_domain::protection::records::QueueItem;
use passage_server::AppState;
use passage_server::problem::ApiError;

use crate::frame::{Chosen, Frame, User, failed, render};
use crate::i18n::Tr;

/// One work queue on the home page.
pub struct QueueView {
    pub title: String,
    /// How many are waiting, written for the language.
    pub count: String,
    pub items: Vec<ItemView>,
}

/// One thing waiting in a queue, as the home page lists it.
pub struct ItemView {
    /// The person's name, or why it is not shown.
    pub name: String,
    /// Where the work is done: the hold lift's case, the case, the referral, the person.
    pub href: Option<String>,
    pub since: String,
    pub due: Option<String>,
}

impl ItemView {
    fn of(item: QueueItem, tr: &Tr) -> Self {
        let href = match (item.case_id, item.referral_id, item.person_id) {
            (Some(case), _, _) => Some(format!("/cases/{case}")),
            (None, Some(referral), _) => Some(format!("/referrals/{referral}")),
            (None, None, Some(person)) => Some(format!("/persons/{person}")),
            (None, None, None) => None,
        };
        Self {
            name: item.name.unwrap_or_else(|| tr.t("queue-not-shown")),
            href,
            since: tr.date(item.since.date()),
            due: item.due_at.map(|d| tr.date(d.date())),
        }
    }
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    frame: Frame,
    roles: Vec<String>,
    /// The pages the user's roles open: (path, name, what is done there).
    starts: Vec<(&'static str, String, String)>,
    queues: Vec<QueueView>,
}

pub(crate) async fn page(State(app): State<AppState>, chosen: Chosen, user: User) -> Response {
    let drawn = drawn(&app, chosen, &user).await;
    drawn.unwrap_or_else(|e| failed(chosen, &user, e))
}

async fn drawn(app: &AppState, chosen: Chosen, user: &User) -> Result<Response, ApiError> {
    let p = &user.p;
    let tr = chosen.tr();
    let mut queues = Vec::new();
    let found = match app.store.work_queues(p).await {
        Ok(q) => Some(q),
        // A role without queues has none to show; any other failure is an error.
        Err(passage_store::StoreError::Forbidden(_)) => None,
        Err(e) => return Err(e.into()),
    };
    if let Some(q) = found {
        let lists = [
            ("queue-children", q.children_without_assessment),
            ("queue-overdue-referrals", q.overdue_referrals),
            ("queue-claims", q.claims_awaiting_interview),
            ("queue-blocked-returns", q.blocked_returns),
            ("queue-detention", q.detention_alternatives),
            ("queue-hold-lifts", q.hold_lifts_waiting),
        ];
        for (id, items) in lists {
            let Some(items) = items else { continue };
            queues.push(QueueView {
                title: tr.t(id),
                count: tr.number(items.len() as u64),
                items: items.into_iter().map(|i| ItemView::of(i, &tr)).collect(),
            });
        }
    }
    let roles = p
        .roles
        .iter()
        .map(|r| tr.t(&format!("role-{}", r.code().replace('_', "-"))))
        .collect();
    let frame = Frame::new(chosen, user, "/");
    let starts = frame
        .nav
        .iter()
        .map(|(href, name)| {
            let what = tr.t(&format!("start-{}", href.trim_start_matches('/')));
            (*href, name.clone(), what)
        })
        .collect();
    let page = Home {
        frame,
        roles,
        starts,
        queues,
    };
    Ok(render(chosen, &page))
}
