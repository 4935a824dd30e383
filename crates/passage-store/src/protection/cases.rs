//! Cases of the differentiated procedures. Every step goes through the domain's `apply`,
//! which for returns runs the non-refoulement guard on facts read in the same transaction,
//! under the person's row lock; no caller can move a case any other way.

// SQL built at run time is assembled from constant text only; values are always bound.
use passage_domain::access::{Action, Principal, Resource, Scope};
use passage_domain::error::ValidationErrors;
use passage_domain::person::PopulationType;
use passage_domain::protection::case_access::{CaseView, case_access};
use passage_domain::protection::procedure::{
    Applied, CaseState, Outcome, Pathway, ProcedureKind, TransitionError, apply, open,
};
use passage_domain::protection::records::{Case, CaseTransition, NewCase, TransitionRequest};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{StatusChange, change_status, guard as facts, lifts, lock_person, person_details};
use crate::Store;
use crate::audit::AuditEntry;
use crate::error::StoreError;
use crate::history;
use crate::scope::{ensure_visible, require, visible};
use crate::sites::meta;
use crate::sql::{self, Arg, Builder, ts};

const COLUMNS: &str = "id, person_id, organisation_id, kind, state, outcome, pathway, voluntary, closed, version, created_at, updated_at";

fn decode(row: &AnyRow) -> Result<Case, StoreError> {
    let kind = sql::text(row, "kind")?;
    let kind = ProcedureKind::from_code(&kind)
        .ok_or_else(|| StoreError::Corrupt(format!("case kind {kind}")))?;
    let state = sql::text(row, "state")?;
    let outcome: Option<String> = row.try_get("outcome")?;
    let outcome = outcome.as_deref().and_then(Outcome::from_code);
    let pathway: Option<String> = row.try_get("pathway")?;
    let organisation: Option<String> = row.try_get("organisation_id")?;
    let voluntary: Option<i64> = row.try_get("voluntary")?;
    Ok(Case {
        meta: meta(row)?,
        person_id: sql::uuid(&sql::text(row, "person_id")?)?,
        organisation_id: organisation.as_deref().map(sql::uuid).transpose()?,
        kind,
        allowed: kind
            .machine()
            .available(&state, outcome)
            .into_iter()
            .map(str::to_owned)
            .collect(),
        state,
        outcome,
        pathway: pathway.as_deref().and_then(Pathway::from_code),
        voluntary: voluntary.map(|v| v != 0),
        closed: sql::int(row, "closed")? != 0,
        blocked_by: Vec::new(),
        transitions: Vec::new(),
        hold_lifts: Vec::new(),
    })
}

/// The case with its steps, lifts and (for returns) the conditions that hold now; the
/// reasons given at each step and for each lift only for a full view.
pub(super) async fn fetch(
    c: &mut AnyConnection,
    id: Uuid,
    view: CaseView,
) -> Result<Case, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM cases WHERE id = $1");
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_optional(&mut *c)
        .await?;
    let mut case = decode(&row.ok_or(StoreError::NotFound { entity: "case", id })?)?;
    let rows = sqlx::query(
        "SELECT seq, from_state, to_state, event, outcome, actor, at, reason FROM case_transitions WHERE case_id = $1 ORDER BY seq",
    )
    .bind(id.to_string())
    .fetch_all(&mut *c)
    .await?;
    for r in &rows {
        let outcome: Option<String> = r.try_get("outcome")?;
        case.transitions.push(CaseTransition {
            seq: sql::int(r, "seq")?,
            from_state: r.try_get("from_state")?,
            to_state: sql::text(r, "to_state")?,
            event: sql::text(r, "event")?,
            outcome: outcome.as_deref().and_then(Outcome::from_code),
            actor: sql::text(r, "actor")?,
            at: sql::parse_ts(&sql::text(r, "at")?)?,
            reason: Some(sql::text(r, "reason")?),
        });
    }
    if case.kind == ProcedureKind::Return {
        case.hold_lifts = lifts::of_case(c, id).await?;
        if !case.closed {
            case.blocked_by = facts::conditions(c, case.person_id).await?;
        }
    }
    Ok(view.case(case))
}

async fn kind_of(c: &mut AnyConnection, id: Uuid) -> Result<ProcedureKind, StoreError> {
    let kind: Option<String> = sqlx::query_scalar("SELECT kind FROM cases WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(&mut *c)
        .await?;
    kind.as_deref()
        .and_then(ProcedureKind::from_code)
        .ok_or(StoreError::NotFound { entity: "case", id })
}

/// Appends a step and moves the case, in the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub(super) async fn record_step(
    c: &mut AnyConnection,
    id: Uuid,
    from: &CaseState,
    event: &str,
    applied: &Applied,
    actor: &str,
    reason: &str,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    let seq: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM case_transitions WHERE case_id = $1",
    )
    .bind(id.to_string())
    .fetch_one(&mut *c)
    .await?;
    sqlx::query(
        "INSERT INTO case_transitions (case_id, seq, from_state, to_state, event, outcome, actor, at, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id.to_string())
    .bind(seq)
    .bind(from.state.clone())
    .bind(applied.to.to_owned())
    .bind(event.to_owned())
    .bind(applied.outcome.map(|o| o.code().to_owned()))
    .bind(actor.to_owned())
    .bind(ts(at))
    .bind(reason.to_owned())
    .execute(&mut *c)
    .await?;
    let closed = from.kind.machine().is_closed(applied.to);
    let version: i64 = sqlx::query_scalar(
        "UPDATE cases SET state = $1, outcome = $2, closed = $3, version = version + 1, updated_at = $4 WHERE id = $5 RETURNING version",
    )
    .bind(applied.to.to_owned())
    .bind(applied.outcome.map(|o| o.code().to_owned()))
    .bind(i64::from(closed))
    .bind(ts(at))
    .bind(id.to_string())
    .fetch_one(&mut *c)
    .await?;
    let detail = serde_json::json!({"event": event, "from": from.state, "to": applied.to, "outcome": applied.outcome, "actor": actor});
    history::record(c, "case", id, "transition", version, at, &detail).await
}

/// Opens a case in the caller's transaction (the person's row already locked).
pub(super) async fn insert(
    c: &mut AnyConnection,
    id: Uuid,
    person_id: Uuid,
    new: &NewCase,
    p: &Principal,
) -> Result<Uuid, StoreError> {
    let (kind, pathway, voluntary, reason) =
        (new.kind, new.pathway, new.voluntary, new.reason.as_str());
    let applied = open(kind);
    sqlx::query(
        "INSERT INTO cases (id, person_id, organisation_id, kind, state, outcome, pathway, voluntary, closed, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, 0, 1, $8, $8)",
    )
    .bind(id.to_string())
    .bind(person_id.to_string())
    .bind(p.organisation_id.map(|o| o.to_string()))
    .bind(kind.code().to_owned())
    .bind(applied.to.to_owned())
    .bind(pathway.map(|x| x.code().to_owned()))
    .bind(voluntary.map(i64::from))
    .bind(ts(p.at))
    .execute(&mut *c)
    .await?;
    sqlx::query(
        "INSERT INTO case_transitions (case_id, seq, from_state, to_state, event, outcome, actor, at, reason) \
         VALUES ($1, 1, NULL, $2, 'open', NULL, $3, $4, $5)",
    )
    .bind(id.to_string())
    .bind(applied.to.to_owned())
    .bind(p.name.clone())
    .bind(ts(p.at))
    .bind(reason.to_owned())
    .execute(&mut *c)
    .await?;
    history::record(
        c,
        "case",
        id,
        "opened",
        1,
        p.at,
        &serde_json::json!({"person_id": person_id, "kind": kind}),
    )
    .await?;
    apply_to_person(c, person_id, &applied, &format!("case {id}: opened"), p.at).await?;
    // A new claim or determination re-imposes the hold on any scheduled return.
    facts::reimpose(c, person_id, p).await?;
    Ok(id)
}

/// What a step changes of the person: population type (never taking protection away
/// from a recognised refugee by opening a new claim) and flags.
async fn apply_to_person(
    c: &mut AnyConnection,
    person_id: Uuid,
    applied: &Applied,
    because: &str,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    let mut population_type = applied.population_type;
    let current = person_details(c, person_id).await?.population_type;
    // A new claim never takes protection away, and a claim withdrawn or rejected clears
    // only the asylum-seeker status it gave: recognition (REF, OIP) and statelessness
    // found elsewhere stay.
    let protected = matches!(
        current,
        Some(PopulationType::REF | PopulationType::OIP | PopulationType::STA)
    );
    match population_type {
        Some(Some(PopulationType::ASY)) if protected => population_type = None,
        Some(None) if current != Some(PopulationType::ASY) => population_type = None,
        _ => {}
    }
    if population_type.is_none() && applied.add_flags.is_empty() {
        return Ok(());
    }
    let change = StatusChange {
        population_type,
        set_flags: None,
        add_flags: applied.add_flags.clone(),
        because: because.to_owned(),
    };
    change_status(c, person_id, change, at).await
}

/// Which cases a listing returns.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub kind: Option<ProcedureKind>,
    pub state: Option<String>,
    /// Closed cases too.
    pub closed: bool,
    pub limit: u32,
}

fn refused(e: TransitionError) -> StoreError {
    match e {
        TransitionError::ReasonRequired => ValidationErrors::one("reason", e.to_string()).into(),
        TransitionError::OutcomeRequired { .. } | TransitionError::OutcomeNotExpected { .. } => {
            ValidationErrors::one("outcome", e.to_string()).into()
        }
        TransitionError::NotAllowed { .. } | TransitionError::Blocked { .. } => {
            StoreError::Refused(e.to_string())
        }
    }
}

impl Store {
    /// Opens a case for a person the caller can see, in the procedure's first state.
    pub async fn open_case(
        &self,
        p: &Principal,
        person_id: Uuid,
        new: NewCase,
    ) -> Result<Case, StoreError> {
        let (scope, view) = case_access(p, Action::Create, new.kind)?;
        let id = Uuid::now_v7();
        let audit = vec![AuditEntry::by(
            p,
            Action::Create,
            Resource::Case,
            Some(id.to_string()),
            serde_json::json!({"person_id": person_id, "kind": new.kind}),
        )];
        self.writer
            .write_audited(
                (id, person_id, new, p.clone(), scope, view),
                audit,
                |c, (id, person_id, new, p, scope, view)| {
                    Box::pin(async move {
                        ensure_visible(c, "persons", "person", *person_id, *scope, p).await?;
                        lock_person(c, *person_id).await?;
                        insert(c, *id, *person_id, new, p).await?;
                        fetch(c, *id, *view).await
                    })
                },
            )
            .await
    }

    /// Takes one step of a case. For a return, the guard is checked on the facts as they
    /// stand in this transaction; a refused step writes nothing.
    pub async fn transition_case(
        &self,
        p: &Principal,
        id: Uuid,
        t: TransitionRequest,
    ) -> Result<Case, StoreError> {
        let kind = {
            let mut conn = self.read.acquire().await?;
            kind_of(&mut conn, id).await?
        };
        let (scope, view) = case_access(p, Action::Update, kind)?;
        let audit = vec![AuditEntry::by(
            p,
            Action::Update,
            Resource::Case,
            Some(id.to_string()),
            serde_json::json!({"event": t.event, "outcome": t.outcome}),
        )];
        self.writer
            .write_audited(
                (id, t, p.clone(), scope, view),
                audit,
                |c, (id, t, p, scope, view)| {
                    Box::pin(async move { step(c, *id, t, p, *scope, *view).await })
                },
            )
            .await
    }

    /// A case the caller can see, in the view their roles give.
    pub async fn case(&self, p: &Principal, id: Uuid) -> Result<Option<Case>, StoreError> {
        require(p, Action::Read, Resource::Case)?;
        let mut conn = self.read.acquire().await?;
        let kind = match kind_of(&mut conn, id).await {
            Ok(k) => k,
            Err(StoreError::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        let (scope, view) = case_access(p, Action::Read, kind)?;
        let found = match ensure_visible(&mut conn, "cases", "case", id, scope, p).await {
            Ok(()) => Some(fetch(&mut conn, id, view).await?),
            Err(StoreError::NotFound { .. }) => None,
            Err(e) => return Err(e),
        };
        drop(conn);
        self.audit_reads(p, Resource::Case, found.iter().map(|x| x.meta.id))
            .await?;
        Ok(found)
    }

    /// Cases of persons the caller can see, of the kinds their roles read, most recently
    /// changed first, each in the view the caller's roles give for its kind.
    pub async fn cases(&self, p: &Principal, f: &CaseFilter) -> Result<Vec<Case>, StoreError> {
        let scope = require(p, Action::Read, Resource::Case)?;
        let kinds: Vec<&str> = ProcedureKind::ALL
            .iter()
            .filter(|k| f.kind.is_none_or(|x| x == **k))
            .filter(|k| case_access(p, Action::Read, **k).is_ok())
            .map(|k| k.code())
            .collect();
        if kinds.is_empty() {
            return Ok(Vec::new());
        }
        let mut b = Builder::new("SELECT id, kind FROM cases WHERE kind IN (");
        for (i, k) in kinds.iter().enumerate() {
            b.push(if i == 0 { "?" } else { ", ?" }, Arg::Text((*k).to_owned()));
        }
        b.raw(")");
        if let Some(state) = &f.state {
            b.push(" AND state = ?", Arg::Text(state.clone()));
        }
        if !f.closed {
            b.raw(" AND closed = 0");
        }
        // Visible as one case is (by the case's organisation), so the list never names a
        // case its page would not show.
        visible(&mut b, scope, "organisation_id", p);
        b.raw(" AND person_id IN (SELECT id FROM persons WHERE anonymised_at IS NULL)");
        b.push(
            " ORDER BY updated_at DESC, id LIMIT ?",
            Arg::Int(i64::from(f.limit.clamp(1, 500))),
        );
        let mut conn = self.read.acquire().await?;
        let rows = b.query().fetch_all(&mut *conn).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id = sql::uuid(&sql::text(r, "id")?)?;
            let kind = ProcedureKind::from_code(&sql::text(r, "kind")?)
                .ok_or_else(|| StoreError::Corrupt(format!("case {id} kind")))?;
            let (_, view) = case_access(p, Action::Read, kind)?;
            out.push(fetch(&mut conn, id, view).await?);
        }
        drop(conn);
        self.audit_reads(p, Resource::Case, out.iter().map(|x| x.meta.id))
            .await?;
        Ok(out)
    }

    /// Every case of a person, each in the view the caller's roles give for its kind.
    pub async fn cases_of(
        &self,
        p: &Principal,
        person_id: Uuid,
    ) -> Result<Option<Vec<Case>>, StoreError> {
        let scope = require(p, Action::Read, Resource::Case)?;
        let mut conn = self.read.acquire().await?;
        match ensure_visible(&mut conn, "persons", "person", person_id, scope, p).await {
            Ok(()) => {}
            Err(StoreError::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e),
        }
        let ids: Vec<String> =
            sqlx::query_scalar("SELECT id FROM cases WHERE person_id = $1 ORDER BY created_at, id")
                .bind(person_id.to_string())
                .fetch_all(&mut *conn)
                .await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let id = sql::uuid(&id)?;
            let kind = kind_of(&mut conn, id).await?;
            if let Ok((_, view)) = case_access(p, Action::Read, kind) {
                out.push(fetch(&mut conn, id, view).await?);
            }
        }
        drop(conn);
        self.audit_reads(p, Resource::Case, out.iter().map(|x| x.meta.id))
            .await?;
        Ok(Some(out))
    }
}

async fn step(
    c: &mut AnyConnection,
    id: Uuid,
    t: &TransitionRequest,
    p: &Principal,
    scope: Scope,
    view: CaseView,
) -> Result<Case, StoreError> {
    ensure_visible(c, "cases", "case", id, scope, p).await?;
    let person_id: String = sqlx::query_scalar("SELECT person_id FROM cases WHERE id = $1")
        .bind(id.to_string())
        .fetch_one(&mut *c)
        .await?;
    let person_id = sql::uuid(&person_id)?;
    lock_person(c, person_id).await?;
    let current = fetch(c, id, CaseView::Full).await?;
    if current.meta.version != t.version {
        return Err(StoreError::Conflict {
            entity: "case",
            id,
            given: t.version,
            current: current.meta.version,
        });
    }
    let state = CaseState {
        kind: current.kind,
        state: current.state.clone(),
        outcome: current.outcome,
    };
    let guard_facts = facts::facts(c, person_id).await?;
    let applied = apply(&state, &t.event, t.outcome, &t.reason, &guard_facts).map_err(refused)?;
    record_step(
        c,
        id,
        &state,
        &t.event,
        &applied,
        &p.name,
        t.reason.trim(),
        p.at,
    )
    .await?;
    apply_to_person(
        c,
        person_id,
        &applied,
        &format!("case {id}: {}", t.event),
        p.at,
    )
    .await?;
    // A step elsewhere (an appeal lodged, a claim reopened) may hold a scheduled return.
    if current.kind != ProcedureKind::Return {
        facts::reimpose(c, person_id, p).await?;
    }
    fetch(c, id, view).await
}
