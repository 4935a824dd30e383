//! The home page: what needs doing now, the work queues of the user's roles.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use passage_server::AppState;
use passage_server::problem::ApiError;

use crate::frame::{Chosen, Frame, User, render};

/// One work queue on the home page.
pub struct QueueView {
    pub title: String,
    /// How many are waiting, written for the language.
    pub count: String,
    pub items: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    frame: Frame,
    roles: Vec<String>,
    queues: Vec<QueueView>,
}

pub(crate) async fn page(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
) -> Result<Response, ApiError> {
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
                items: items
                    .into_iter()
                    .map(|i| {
                        let name = i.name.unwrap_or_else(|| tr.t("queue-not-shown"));
                        (name, tr.date(i.since.date()))
                    })
                    .collect(),
            });
        }
    }
    let roles = p
        .roles
        .iter()
        .map(|r| tr.t(&format!("role-{}", r.code().replace('_', "-"))))
        .collect();
    let page = Home {
        frame: Frame::new(chosen, &user, "/"),
        roles,
        queues,
    };
    Ok(render(chosen, &page))
}
