//! Four-eyes lifting of a hold on a return, and the return file for the escort.

// SQL built at run time is assembled from constant text only; values are always bound.
use passage_domain::access::{Action, Principal, Resource};
use passage_domain::error::ValidationErrors;
use passage_domain::protection::case_access::{CaseView, case_access};
use passage_domain::protection::guard::{LiftRequest, check_decision, check_request};
use passage_domain::protection::procedure::ProcedureKind;
use passage_domain::protection::records::{
    EscortNeed, HoldLift, HoldLiftDecision, NewHoldLift, PendingProcedure, ReturnFile,
};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use uuid::Uuid;

use super::{cases, guard, lock_person, needs, person_details};
use crate::Store;
use crate::audit::AuditEntry;
use crate::cluster;
use crate::error::StoreError;
use crate::history;
use crate::scope::{ensure_visible, require};
use crate::sites::meta;
use crate::sql::{self, ts};

const COLUMNS: &str = "id, case_id, condition, requested_by, requested_by_id, request_reason, approved, decided_by, \
     decision_reason, decided_at, version, created_at, updated_at";

fn decode(row: &AnyRow) -> Result<HoldLift, StoreError> {
    let approved: Option<i64> = row.try_get("approved")?;
    let decided_at: Option<String> = row.try_get("decided_at")?;
    Ok(HoldLift {
        meta: meta(row)?,
        case_id: sql::uuid(&sql::text(row, "case_id")?)?,
        condition: sql::text(row, "condition")?,
        requested_by: sql::text(row, "requested_by")?,
        request_reason: Some(sql::text(row, "request_reason")?),
        approved: approved.map(|a| a != 0),
        decided_by: row.try_get("decided_by")?,
        decision_reason: row.try_get("decision_reason")?,
        decided_at: decided_at.as_deref().map(sql::parse_ts).transpose()?,
    })
}

pub(super) async fn of_case(
    c: &mut AnyConnection,
    case_id: Uuid,
) -> Result<Vec<HoldLift>, StoreError> {
    let sql =
        format!("SELECT {COLUMNS} FROM hold_lifts WHERE case_id = $1 ORDER BY created_at, id");
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(case_id.to_string())
        .fetch_all(c)
        .await?;
    rows.iter().map(decode).collect()
}

/// Requests still waiting for a supervisor, among persons the query can see.
pub(super) async fn waiting(c: &mut AnyConnection) -> Result<Vec<(HoldLift, Uuid)>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS}, person_id FROM hold_lifts WHERE approved IS NULL ORDER BY created_at, id"
    );
    let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(c).await?;
    rows.iter()
        .map(|r| Ok((decode(r)?, sql::uuid(&sql::text(r, "person_id")?)?)))
        .collect()
}

async fn fetch(
    c: &mut AnyConnection,
    id: Uuid,
) -> Result<(HoldLift, Uuid, Option<Uuid>), StoreError> {
    let sql = format!("SELECT {COLUMNS}, person_id FROM hold_lifts WHERE id = $1");
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_one(c)
        .await?;
    let by: Option<String> = row.try_get("requested_by_id")?;
    Ok((
        decode(&row)?,
        sql::uuid(&sql::text(&row, "person_id")?)?,
        by.as_deref().map(sql::uuid).transpose()?,
    ))
}

impl Store {
    /// Asks to lift one condition that holds a return. Only a recorded fear or a
    /// refoulement-risk code can be lifted, and only by a second person's decision.
    pub async fn request_hold_lift(
        &self,
        p: &Principal,
        case_id: Uuid,
        new: NewHoldLift,
    ) -> Result<HoldLift, StoreError> {
        let scope = require(p, Action::Create, Resource::HoldLift)?;
        let (_, view) = case_access(p, Action::Read, ProcedureKind::Return)?;
        let audit = vec![AuditEntry::by(
            p,
            Action::Create,
            Resource::HoldLift,
            Some(case_id.to_string()),
            serde_json::json!({"case_id": case_id, "condition": new.condition}),
        )];
        self.writer
            .write_audited((case_id, new, p.clone(), scope, view), audit, |c, (case_id, new, p, scope, view)| {
                Box::pin(async move {
                    ensure_visible(c, "cases", "case", *case_id, *scope, p).await?;
                    let case = cases::fetch(c, *case_id, CaseView::StateOnly).await?;
                    if case.kind != ProcedureKind::Return {
                        return Err(StoreError::Refused(format!("case {case_id} is not a return: there is no hold to lift")));
                    }
                    let Some(condition) = case.blocked_by.iter().find(|x| x.key() == new.condition) else {
                        let keys: Vec<String> = case.blocked_by.iter().map(|x| x.key()).collect();
                        return Err(ValidationErrors::one("condition", format!(
                            "`{}` does not hold this return; conditions now: {}", new.condition,
                            if keys.is_empty() { "none".to_owned() } else { keys.join(", ") }))
                        .into());
                    };
                    check_request(condition, &new.reason).map_err(|e| StoreError::Refused(e.to_string()))?;
                    let id = Uuid::now_v7();
                    sqlx::query(
                        "INSERT INTO hold_lifts (id, case_id, person_id, condition, requested_by, requested_by_id, request_reason, \
                         version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)",
                    )
                    .bind(id.to_string())
                    .bind(case_id.to_string())
                    .bind(case.person_id.to_string())
                    .bind(new.condition.clone())
                    .bind(p.name.clone())
                    .bind(p.user_id.map(|u| u.to_string()))
                    .bind(new.reason.trim().to_owned())
                    .bind(ts(p.at))
                    .execute(&mut *c)
                    .await?;
                    history::record(c, "hold_lift", id, "requested", 1, p.at, &serde_json::json!({"case_id": case_id, "condition": new.condition})).await?;
                    Ok(view.hold_lift(fetch(c, id).await?.0))
                })
            })
            .await
    }

    /// A supervisor's decision on a request to lift: never the requester's own, always
    /// with a reason, audited and shown on the case.
    pub async fn decide_hold_lift(
        &self,
        p: &Principal,
        id: Uuid,
        d: HoldLiftDecision,
    ) -> Result<HoldLift, StoreError> {
        let scope = require(p, Action::Update, Resource::HoldLift)?;
        let (_, view) = case_access(p, Action::Read, ProcedureKind::Return)?;
        let audit = vec![AuditEntry::by(
            p,
            Action::Update,
            Resource::HoldLift,
            Some(id.to_string()),
            serde_json::json!({"approve": d.approve}),
        )];
        self.writer
            .write_audited((id, d, p.clone(), scope, view), audit, |c, (id, d, p, scope, view)| {
                Box::pin(async move {
                    ensure_visible(c, "hold_lifts", "hold lift", *id, *scope, p).await?;
                    let (lift, person_id, requester) = fetch(c, *id).await?;
                    if lift.approved.is_some() {
                        return Err(StoreError::Refused(format!("hold lift {id} is already decided")));
                    }
                    let (Some(decider), Some(requester)) = (p.user_id, requester) else {
                        return Err(StoreError::Refused("lifting a hold takes two identified users: the requester and a supervisor".into()));
                    };
                    let request = LiftRequest { condition_key: lift.condition.clone(), requested_by: requester, reason: lift.request_reason.clone().unwrap_or_default() };
                    if d.approve {
                        check_decision(&request, decider, &p.roles, &d.reason).map_err(|e| StoreError::Refused(e.to_string()))?;
                    } else if d.reason.trim().is_empty() {
                        return Err(ValidationErrors::one("reason", "say why the request is refused").into());
                    }
                    lock_person(c, person_id).await?;
                    let done = sqlx::query(
                        "UPDATE hold_lifts SET approved = $1, decided_by = $2, decision_reason = $3, decided_at = $4, \
                         version = version + 1, updated_at = $4 WHERE id = $5 AND approved IS NULL",
                    )
                    .bind(i64::from(d.approve))
                    .bind(p.name.clone())
                    .bind(d.reason.trim().to_owned())
                    .bind(ts(p.at))
                    .bind(id.to_string())
                    .execute(&mut *c)
                    .await?;
                    // Another server decided it between the check above and this write.
                    if done.rows_affected() == 0 {
                        return Err(StoreError::Refused(format!("hold lift {id} is already decided")));
                    }
                    let detail = serde_json::json!({"approved": d.approve, "by": p.name, "condition": lift.condition});
                    history::record(c, "hold_lift", *id, "decided", lift.meta.version + 1, p.at, &detail).await?;
                    Ok(view.hold_lift(fetch(c, *id).await?.0))
                })
            })
            .await
    }

    /// What the escort of a return must know: identity, the person's other procedures
    /// still open (kind and state only), active medical, disability and pregnancy needs,
    /// and what holds the return now, over every record of the person (their merge
    /// cluster). Never the content of a claim.
    pub async fn return_file(
        &self,
        p: &Principal,
        case_id: Uuid,
    ) -> Result<Option<ReturnFile>, StoreError> {
        let (scope, _) = case_access(p, Action::Read, ProcedureKind::Return)?;
        let mut conn = self.read.acquire().await?;
        match ensure_visible(&mut conn, "cases", "case", case_id, scope, p).await {
            Ok(()) => {}
            Err(StoreError::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e),
        }
        let case = cases::fetch(&mut conn, case_id, CaseView::StateOnly).await?;
        if case.kind != ProcedureKind::Return {
            return Err(StoreError::Refused(format!(
                "case {case_id} is not a return"
            )));
        }
        let d = person_details(&mut conn, case.person_id).await?;
        let facts = guard::facts(&mut conn, case.person_id).await?;
        let pending = facts
            .cases
            .iter()
            .filter(|x| x.id != case_id && !x.kind.machine().is_closed(&x.state))
            .map(|x| PendingProcedure {
                kind: x.kind,
                state: x.state.clone(),
            })
            .collect();
        // Needs recorded on any record of the person (a duplicate merged away included).
        let mut escort_needs: Vec<EscortNeed> = Vec::new();
        for member in cluster::members(&mut conn, case.person_id).await? {
            for n in needs::of_person(&mut conn, member).await? {
                if n.active
                    && n.code.concerns_escort()
                    && !escort_needs.iter().any(|e| e.code == n.code)
                {
                    escort_needs.push(EscortNeed {
                        label: n.label,
                        code: n.code,
                    });
                }
            }
        }
        drop(conn);
        self.audit_reads(p, Resource::Person, [case.person_id])
            .await?;
        Ok(Some(ReturnFile {
            case_id,
            person_id: case.person_id,
            name: d.display_name(),
            sex: d.sex,
            date_of_birth: d.date_of_birth,
            nationalities: d.nationalities,
            languages: d.languages,
            state: case.state,
            pending_procedures: pending,
            escort_needs,
            blocked_by: case.blocked_by,
        }))
    }
}
