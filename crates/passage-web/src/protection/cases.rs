//! The cases the user may see, by kind and state, with the work queues of cases: returns
//! the non-refoulement guard holds and requests to lift a hold waiting for a supervisor.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use passage_domain::protection::procedure::ProcedureKind;
use passage_domain::protection::records::QueueItem;
use passage_server::AppState;
use passage_server::api::cases as api;
use passage_server::auth::Caller;
use passage_server::problem::ApiError;
use passage_store::CaseFilter;
use serde::Deserialize;
use uuid::Uuid;

use super::{condition_words, kind_words, state_words};
use crate::frame::{Chosen, Frame, User, failed, render};
use crate::i18n::Tr;

/// One case in the list.
pub struct Row {
    pub id: Uuid,
    pub kind: String,
    pub state: String,
    pub person_id: Uuid,
    pub changed: String,
    /// For a held return: that it is held, in words.
    pub held: bool,
}

/// A queue item that leads to a case.
pub struct Waiting {
    pub case_id: Uuid,
    pub who: String,
    pub since: String,
    pub why: Vec<String>,
}

#[derive(Template)]
#[template(path = "protection-cases.html")]
struct ListPage {
    frame: Frame,
    rows: Vec<Row>,
    /// (code, words, chosen).
    kinds: Vec<(String, String, bool)>,
    states: Vec<(String, String, bool)>,
    closed: bool,
    blocked: Option<Vec<Waiting>>,
    lifts: Option<Vec<Waiting>>,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct Filter {
    kind: Option<String>,
    state: Option<String>,
    closed: Option<String>,
}

fn waiting(tr: Tr, items: Option<Vec<QueueItem>>, lift: bool) -> Option<Vec<Waiting>> {
    items.map(|items| {
        items
            .into_iter()
            .filter_map(|i| {
                Some(Waiting {
                    case_id: i.case_id?,
                    who: i.name.clone().unwrap_or_else(|| tr.t("queue-not-shown")),
                    since: tr.date(i.since.date()),
                    why: if lift {
                        vec![tr.t("cases-lift-waiting")]
                    } else {
                        i.conditions
                            .iter()
                            .map(|c| condition_words(tr, c))
                            .collect()
                    },
                })
            })
            .collect()
    })
}

/// `GET /cases`: open cases (or closed ones too) of the kinds the user's roles read.
pub(super) async fn list(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Query(f): Query<Filter>,
) -> Response {
    let tr = chosen.tr();
    let shown = async {
        let kind = f.kind.as_deref().and_then(ProcedureKind::from_code);
        let mut all_states: Vec<&'static str> = Vec::new();
        for k in ProcedureKind::ALL
            .iter()
            .filter(|k| kind.is_none_or(|x| x == **k))
        {
            for s in k.machine().states {
                if !all_states.contains(s) {
                    all_states.push(s);
                }
            }
        }
        let state = f
            .state
            .as_deref()
            .filter(|s| all_states.contains(s))
            .map(str::to_owned);
        let closed = f.closed.is_some();
        let filter = CaseFilter {
            kind,
            state: state.clone(),
            closed,
            limit: 300,
        };
        let cases = app.store.cases(&user.p, &filter).await?;
        let rows = cases
            .iter()
            .map(|c| Row {
                id: c.meta.id,
                kind: kind_words(tr, c.kind),
                state: state_words(tr, &c.state),
                person_id: c.person_id,
                changed: tr.date(c.meta.updated_at.date()),
                held: !c.blocked_by.is_empty(),
            })
            .collect();
        let queues = match api::queues(State(app.clone()), Caller(user.p.clone())).await {
            Ok(axum::Json(q)) => q,
            Err(ApiError::Forbidden(_)) => Default::default(),
            Err(e) => return Err(e),
        };
        let mut query = Vec::new();
        if let Some(k) = kind {
            query.push(format!("kind={}", k.code()));
        }
        if let Some(s) = &state {
            query.push(format!("state={s}"));
        }
        if closed {
            query.push("closed=on".to_owned());
        }
        let path = if query.is_empty() {
            "/cases".to_owned()
        } else {
            format!("/cases?{}", query.join("&"))
        };
        let page = ListPage {
            frame: Frame::new(chosen, &user, path),
            rows,
            kinds: ProcedureKind::ALL
                .iter()
                .map(|k| (k.code().to_owned(), kind_words(tr, *k), Some(*k) == kind))
                .collect(),
            states: all_states
                .iter()
                .map(|s| {
                    (
                        (*s).to_owned(),
                        state_words(tr, s),
                        state.as_deref() == Some(*s),
                    )
                })
                .collect(),
            closed,
            blocked: waiting(tr, queues.blocked_returns, false),
            lifts: waiting(tr, queues.hold_lifts_waiting, true),
        };
        Ok(render(chosen, &page))
    };
    match shown.await {
        Ok(r) => r,
        Err(e) => failed(chosen, &user, e),
    }
}
