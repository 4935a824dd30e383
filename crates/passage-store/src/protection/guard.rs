//! The facts the non-refoulement guard reads, gathered for one person (every record of
//! their merge cluster) in the caller's transaction, and the re-imposition of the hold:
//! whenever a condition may have appeared (a claim, a fear, a code, a merge), every
//! scheduled return of the person is suspended at once.

use passage_domain::access::Principal;
use passage_domain::person::{PopulationType, ProfileFlag};
use passage_domain::protection::guard::{
    CaseFact, Condition, FearFact, GuardFacts, NeedFact, guard,
};
use passage_domain::protection::procedure::{CaseState, Outcome, ProcedureKind, apply};
use sqlx::{AnyConnection, Row};
use uuid::Uuid;

use super::cases;
use super::person_details;
use crate::cluster;
use crate::error::StoreError;
use crate::sql;

/// The name under which Passage itself records the steps it takes.
pub(super) const GUARD_ACTOR: &str = "passage (non-refoulement guard)";

/// Everything the guard looks at for `person_id`, as committed so far in this transaction,
/// over the person's whole merge cluster: a claim, fear, code or lift on any record of the
/// person counts, and so does protection recognised or a child flag on any of them.
pub(crate) async fn facts(
    c: &mut AnyConnection,
    person_id: Uuid,
) -> Result<GuardFacts, StoreError> {
    let own = person_details(c, person_id).await?.population_type;
    // Recognised on any record of the person: the guard reads it as the person's type.
    let mut recognised = None;
    let mut child_flag = false;
    let mut f = GuardFacts::default();
    for member in cluster::members(c, person_id).await? {
        let d = person_details(c, member).await?;
        if matches!(
            d.population_type,
            Some(PopulationType::REF | PopulationType::OIP)
        ) {
            recognised = recognised.or(d.population_type);
        }
        child_flag |= d.profile_flags.iter().any(|x| {
            matches!(
                x,
                ProfileFlag::UnaccompaniedChild | ProfileFlag::SeparatedChild
            )
        });
        gather(c, member, &mut f).await?;
    }
    f.population_type = recognised.or(own);
    f.separated_child = child_flag || f.needs.iter().any(|n| n.code.starts_with("SC-"));
    Ok(f)
}

/// Adds one record's cases, active needs, fears and approved lifts to `f`.
async fn gather(c: &mut AnyConnection, id: Uuid, f: &mut GuardFacts) -> Result<(), StoreError> {
    let id = id.to_string();
    let rows = sqlx::query(
        "SELECT id, kind, state, outcome, created_at FROM cases WHERE person_id = $1 ORDER BY created_at, id",
    )
    .bind(id.clone())
    .fetch_all(&mut *c)
    .await?;
    for r in &rows {
        let kind = sql::text(r, "kind")?;
        let outcome: Option<String> = r.try_get("outcome")?;
        f.cases.push(CaseFact {
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
    for r in &rows {
        f.needs.push(NeedFact {
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
    for r in &rows {
        f.fears.push(FearFact {
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
    f.lifted.extend(lifted);
    Ok(())
}

/// The conditions that hold for the person now.
pub(crate) async fn conditions(
    c: &mut AnyConnection,
    person_id: Uuid,
) -> Result<Vec<Condition>, StoreError> {
    Ok(guard(&facts(c, person_id).await?))
}

/// Suspends every scheduled return of the person (of any record in their merge cluster)
/// while any condition holds: a new claim, fear or code, or a merge bringing one,
/// re-imposes the hold whatever step the return had reached.
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
    let mut scheduled: Vec<String> = Vec::new();
    for member in cluster::members(c, person_id).await? {
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM cases WHERE person_id = $1 AND kind = 'return' AND state = 'scheduled' ORDER BY created_at, id",
        )
        .bind(member.to_string())
        .fetch_all(&mut *c)
        .await?;
        scheduled.extend(ids);
    }
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
