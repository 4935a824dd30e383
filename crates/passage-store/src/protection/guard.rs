//! The facts the non-refoulement guard reads, gathered for one person in the caller's
//! transaction, and the re-imposition of the hold: whenever a condition may have appeared
//! (a claim, a fear, a code), every scheduled return of the person is suspended at once.

use passage_domain::access::Principal;
use passage_domain::person::ProfileFlag;
use passage_domain::protection::guard::{
    CaseFact, Condition, FearFact, GuardFacts, NeedFact, guard,
};
use passage_domain::protection::procedure::{CaseState, Outcome, ProcedureKind, apply};
use sqlx::{AnyConnection, Row};
use uuid::Uuid;

use super::cases;
use super::person_details;
use crate::error::StoreError;
use crate::sql;

/// The name under which Passage itself records the steps it takes.
pub(super) const GUARD_ACTOR: &str = "passage (non-refoulement guard)";

/// Everything the guard looks at for `person_id`, as committed so far in this transaction.
pub(crate) async fn facts(
    c: &mut AnyConnection,
    person_id: Uuid,
) -> Result<GuardFacts, StoreError> {
    let id = person_id.to_string();
    let d = person_details(c, person_id).await?;
    let rows =
        sqlx::query("SELECT id, kind, state, outcome, created_at FROM cases WHERE person_id = $1")
            .bind(id.clone())
            .fetch_all(&mut *c)
            .await?;
    let mut case_facts = Vec::with_capacity(rows.len());
    for r in &rows {
        let kind = sql::text(r, "kind")?;
        let outcome: Option<String> = r.try_get("outcome")?;
        case_facts.push(CaseFact {
            id: sql::uuid(&sql::text(r, "id")?)?,
            kind: ProcedureKind::from_code(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("case kind {kind}")))?,
            state: sql::text(r, "state")?,
            outcome: outcome.as_deref().and_then(Outcome::from_code),
            opened_at: sql::parse_ts(&sql::text(r, "created_at")?)?,
        });
    }
    let rows =
        sqlx::query("SELECT id, code FROM specific_needs WHERE person_id = $1 AND active = 1")
            .bind(id.clone())
            .fetch_all(&mut *c)
            .await?;
    let mut needs = Vec::with_capacity(rows.len());
    for r in &rows {
        needs.push(NeedFact {
            id: sql::uuid(&sql::text(r, "id")?)?,
            code: sql::text(r, "code")?,
        });
    }
    let rows = sqlx::query(
        "SELECT id, created_at FROM screenings WHERE person_id = $1 AND fear_of_return = 1",
    )
    .bind(id.clone())
    .fetch_all(&mut *c)
    .await?;
    let mut fears = Vec::with_capacity(rows.len());
    for r in &rows {
        fears.push(FearFact {
            screening_id: sql::uuid(&sql::text(r, "id")?)?,
            at: sql::parse_ts(&sql::text(r, "created_at")?)?,
        });
    }
    let lifted: Vec<String> = sqlx::query_scalar(
        "SELECT condition FROM hold_lifts WHERE person_id = $1 AND approved = 1",
    )
    .bind(id)
    .fetch_all(&mut *c)
    .await?;
    let separated_child = d.profile_flags.iter().any(|f| {
        matches!(
            f,
            ProfileFlag::UnaccompaniedChild | ProfileFlag::SeparatedChild
        )
    }) || needs.iter().any(|n| n.code.starts_with("SC-"));
    Ok(GuardFacts {
        cases: case_facts,
        population_type: d.population_type,
        needs,
        fears,
        separated_child,
        lifted,
    })
}

/// The conditions that hold for the person now.
pub(crate) async fn conditions(
    c: &mut AnyConnection,
    person_id: Uuid,
) -> Result<Vec<Condition>, StoreError> {
    Ok(guard(&facts(c, person_id).await?))
}

/// Suspends every scheduled return of the person while any condition holds: a new claim,
/// fear or code re-imposes the hold whatever step the return had reached.
pub(crate) async fn reimpose(
    c: &mut AnyConnection,
    person_id: Uuid,
    p: &Principal,
) -> Result<(), StoreError> {
    let facts = facts(c, person_id).await?;
    let held = guard(&facts);
    if held.is_empty() {
        return Ok(());
    }
    let scheduled: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM cases WHERE person_id = $1 AND kind = 'return' AND state = 'scheduled'",
    )
    .bind(person_id.to_string())
    .fetch_all(&mut *c)
    .await?;
    let why = held
        .iter()
        .map(Condition::describe)
        .collect::<Vec<_>>()
        .join("; ");
    for id in scheduled {
        let id = sql::uuid(&id)?;
        let case = CaseState {
            kind: ProcedureKind::Return,
            state: "scheduled".into(),
            outcome: None,
        };
        let applied = apply(&case, "suspend", None, &why, &facts)
            .map_err(|e| StoreError::Refused(e.to_string()))?;
        cases::record_step(
            c,
            id,
            &case,
            "suspend",
            &applied,
            GUARD_ACTOR,
            &format!("hold re-imposed: {why}"),
            p.at,
        )
        .await?;
    }
    Ok(())
}
