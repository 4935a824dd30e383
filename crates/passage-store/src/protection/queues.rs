//! Work queues: what needs doing now, per role, within the caller's scope.

use passage_domain::access::{Action, Principal, Resource, Role, Scope};
use passage_domain::person::{PersonDetails, ProfileFlag};
use passage_domain::protection::needs::NeedCode;
use passage_domain::protection::records::{QueueItem, WorkQueues};
use passage_domain::protection::screening::ADULT_AGE;
use sqlx::{AnyConnection, Row};
use uuid::Uuid;

use super::{guard, lifts, referrals};
use crate::Store;
use crate::error::StoreError;
use crate::scope::{require, visible};
use crate::sql::{self, Arg, Builder};

/// Longest a queue gets in one answer.
const QUEUE_LIMIT: i64 = 200;

fn works_on(p: &Principal, roles: &[Role]) -> bool {
    p.is_operator() || p.roles.iter().any(|r| roles.contains(r))
}

fn item(
    person_id: Uuid,
    d: &PersonDetails,
    what: String,
    since: time::OffsetDateTime,
) -> QueueItem {
    QueueItem {
        person_id: Some(person_id),
        name: Some(d.display_name()),
        what,
        since,
        due_at: None,
        case_id: None,
        referral_id: None,
        hold_lift_id: None,
        conditions: Vec::new(),
    }
}

/// Persons within scope matching `condition` (constant SQL over `persons`), with details.
async fn persons_where(
    c: &mut AnyConnection,
    scope: Scope,
    p: &Principal,
    condition: &str,
) -> Result<Vec<(Uuid, PersonDetails, time::OffsetDateTime)>, StoreError> {
    let mut b = Builder::new(
        "SELECT id, details, created_at FROM persons WHERE anonymised_at IS NULL AND status <> 'merged' AND ",
    );
    b.raw(condition);
    visible(&mut b, scope, "organisation_id", p);
    b.push(" ORDER BY created_at, id LIMIT ?", Arg::Int(QUEUE_LIMIT));
    let rows = b.query().fetch_all(&mut *c).await?;
    rows.iter()
        .map(|r| {
            Ok((
                sql::uuid(&sql::text(r, "id")?)?,
                serde_json::from_str(&sql::text(r, "details")?)?,
                sql::parse_ts(&sql::text(r, "created_at")?)?,
            ))
        })
        .collect()
}

/// Cases of `kind` in one of `states`, within scope, oldest first.
async fn cases_in(
    c: &mut AnyConnection,
    scope: Scope,
    p: &Principal,
    kind: &str,
    states: &[&str],
) -> Result<Vec<(Uuid, Uuid, String, time::OffsetDateTime)>, StoreError> {
    let mut b = Builder::new("SELECT id, person_id, state, updated_at FROM cases WHERE kind = ");
    b.push("?", Arg::Text(kind.to_owned()));
    b.raw(" AND state IN (");
    for (i, s) in states.iter().enumerate() {
        b.push(if i == 0 { "?" } else { ", ?" }, Arg::Text((*s).to_owned()));
    }
    b.raw(") AND person_id IN (SELECT id FROM persons WHERE anonymised_at IS NULL");
    visible(&mut b, scope, "organisation_id", p);
    b.push(") ORDER BY updated_at, id LIMIT ?", Arg::Int(QUEUE_LIMIT));
    let rows = b.query().fetch_all(&mut *c).await?;
    rows.iter()
        .map(|r| {
            Ok((
                sql::uuid(&sql::text(r, "id")?)?,
                sql::uuid(&sql::text(r, "person_id")?)?,
                sql::text(r, "state")?,
                sql::parse_ts(&sql::text(r, "updated_at")?)?,
            ))
        })
        .collect()
}

async fn details(c: &mut AnyConnection, id: Uuid) -> Result<PersonDetails, StoreError> {
    super::person_details(c, id).await
}

async fn active_codes(c: &mut AnyConnection, person_id: Uuid) -> Result<Vec<NeedCode>, StoreError> {
    let rows = sqlx::query("SELECT code FROM specific_needs WHERE person_id = $1 AND active = 1")
        .bind(person_id.to_string())
        .fetch_all(&mut *c)
        .await?;
    Ok(rows
        .iter()
        .filter_map(|r| r.try_get::<String, _>("code").ok())
        .filter_map(|s| NeedCode::parse(&s))
        .collect())
}

impl Store {
    /// The caller's work queues.
    pub async fn work_queues(&self, p: &Principal) -> Result<WorkQueues, StoreError> {
        let scope = require(p, Action::Read, Resource::Person)?;
        let mut c = self.read.acquire().await?;
        let mut q = WorkQueues::default();
        let mut seen: Vec<Uuid> = Vec::new();

        if works_on(
            p,
            &[
                Role::ScreeningOfficer,
                Role::ChildProtectionCaseworker,
                Role::Supervisor,
            ],
        ) {
            let found = persons_where(&mut c, scope, p,
                "(details LIKE '%\"unaccompanied_child\"%' OR details LIKE '%\"separated_child\"%' \
                 OR id IN (SELECT person_id FROM specific_needs WHERE active = 1 AND category = 'SC')) \
                 AND NOT EXISTS (SELECT 1 FROM cases k WHERE k.person_id = persons.id AND k.kind = 'child_protection' \
                 AND k.state <> 'best_interests_assessment')").await?;
            q.children_without_assessment = Some(
                found
                    .into_iter()
                    .map(|(id, d, since)| {
                        seen.push(id);
                        item(
                            id,
                            &d,
                            "unaccompanied or separated child: best-interests assessment not done"
                                .into(),
                            since,
                        )
                    })
                    .collect(),
            );
        }

        if p.require(Action::Read, Resource::Referral).is_ok() {
            let filter = super::ReferralFilter {
                overdue: true,
                limit: QUEUE_LIMIT as u32,
                ..Default::default()
            };
            drop(c);
            // Each referral as the caller reads it: a receiving organisation that may not
            // see the person yet gets neither their id nor their name.
            let overdue = self.referrals(p, &filter).await?;
            c = self.read.acquire().await?;
            let mut items = Vec::with_capacity(overdue.len());
            for r in overdue {
                let (person_id, name) = match r.person_id {
                    None => (None, None),
                    Some(id) if referrals::received(&r, scope) => {
                        match referrals::shared_with_recipient(&mut c, &r, p.at).await {
                            Ok(shared) => (Some(id), shared.display_name()),
                            // Consent withdrawn since the referral was read.
                            Err(StoreError::Refused(_)) => (None, None),
                            Err(e) => return Err(e),
                        }
                    }
                    Some(id) => (Some(id), Some(details(&mut c, id).await?.display_name())),
                };
                seen.extend(person_id);
                items.push(QueueItem {
                    person_id,
                    name,
                    what: format!(
                        "{} referral overdue ({})",
                        r.service.code(),
                        r.status.code()
                    ),
                    since: r.meta.created_at,
                    due_at: Some(r.due_at),
                    case_id: None,
                    referral_id: Some(r.meta.id),
                    hold_lift_id: None,
                    conditions: Vec::new(),
                });
            }
            q.overdue_referrals = Some(items);
        }

        if works_on(p, &[Role::AsylumCaseworker, Role::Supervisor]) {
            let found = cases_in(
                &mut c,
                scope,
                p,
                "asylum",
                &["claim_registered", "interview_scheduled"],
            )
            .await?;
            let mut items = Vec::with_capacity(found.len());
            for (case_id, person_id, state, since) in found {
                let d = details(&mut c, person_id).await?;
                let mut it = item(
                    person_id,
                    &d,
                    format!("asylum claim awaiting interview ({state})"),
                    since,
                );
                it.case_id = Some(case_id);
                seen.push(person_id);
                items.push(it);
            }
            q.claims_awaiting_interview = Some(items);
        }

        if works_on(p, &[Role::ReturnCaseworker, Role::Supervisor]) {
            let open = [
                "counselling",
                "agreed",
                "pre_departure_checked",
                "travel_document_issued",
                "scheduled",
                "suspended",
            ];
            let found = cases_in(&mut c, scope, p, "return", &open).await?;
            let mut items = Vec::new();
            for (case_id, person_id, state, since) in found {
                let conditions = guard::conditions(&mut c, person_id).await?;
                if conditions.is_empty() {
                    continue;
                }
                let d = details(&mut c, person_id).await?;
                let mut it = item(
                    person_id,
                    &d,
                    format!("return held by the non-refoulement guard ({state})"),
                    since,
                );
                it.case_id = Some(case_id);
                it.conditions = conditions;
                seen.push(person_id);
                items.push(it);
            }
            q.blocked_returns = Some(items);
        }

        if works_on(
            p,
            &[
                Role::ScreeningOfficer,
                Role::AsylumCaseworker,
                Role::TraffickingCaseworker,
                Role::ChildProtectionCaseworker,
                Role::Supervisor,
            ],
        ) {
            let found = persons_where(&mut c, scope, p,
                "id IN (SELECT person_id FROM specific_needs WHERE active = 1 AND code IN ('LP-DA', 'LP-DN', 'LP-DP', 'LP-DO', 'LP-DT'))").await?;
            let mut items = Vec::new();
            for (id, d, since) in found {
                let codes = active_codes(&mut c, id).await?;
                let child = d.profile_flags.iter().any(|f| {
                    matches!(
                        f,
                        ProfileFlag::UnaccompaniedChild | ProfileFlag::SeparatedChild
                    )
                }) || d
                    .date_of_birth
                    .is_some_and(|b| b.date.year() + i32::from(ADULT_AGE) > p.at.date().year());
                let protection: Vec<&str> = codes
                    .iter()
                    .filter(|x| x.calls_for_alternative_to_detention())
                    .map(NeedCode::as_str)
                    .collect();
                if !child && protection.is_empty() {
                    continue;
                }
                let why = if child {
                    "a child".to_owned()
                } else {
                    format!("active protection needs {}", protection.join(", "))
                };
                seen.push(id);
                items.push(item(
                    id,
                    &d,
                    format!("in immigration detention, {why}: find an alternative to detention"),
                    since,
                ));
            }
            q.detention_alternatives = Some(items);
        }

        if works_on(p, &[Role::Supervisor]) {
            let mut items = Vec::new();
            for (lift, person_id) in lifts::waiting(&mut c).await? {
                if let Scope::Organisation(_) = scope {
                    let mut b = Builder::new("SELECT id FROM persons WHERE id = ");
                    b.push("?", Arg::Text(person_id.to_string()));
                    visible(&mut b, scope, "organisation_id", p);
                    if b.query().fetch_optional(&mut *c).await?.is_none() {
                        continue;
                    }
                }
                let d = details(&mut c, person_id).await?;
                let mut it = item(
                    person_id,
                    &d,
                    format!(
                        "lift `{}` asked by {}: {}",
                        lift.condition,
                        lift.requested_by,
                        lift.request_reason.as_deref().unwrap_or_default()
                    ),
                    lift.meta.created_at,
                );
                it.case_id = Some(lift.case_id);
                it.hold_lift_id = Some(lift.meta.id);
                seen.push(person_id);
                items.push(it);
            }
            q.hold_lifts_waiting = Some(items);
        }
        drop(c);
        seen.sort();
        seen.dedup();
        self.audit_reads(p, Resource::Person, seen).await?;
        Ok(q)
    }
}
