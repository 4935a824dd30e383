//! Referrals between organisations. The referring organisation sees a referral with the
//! person; the receiving organisation sees it once sent, without who the person is, and,
//! once it accepts and while the consent the service needs is in force, the person's id,
//! the reason and exactly the fields of the person its service needs.

// SQL built at run time is assembled from constant text only; values are always bound.
use passage_domain::access::{Action, Principal, Resource, Scope};
use passage_domain::protection::referral::{
    NewReferral, Referral, ReferralAction, ReferralStatus, ReferralStep, Service, Side, Urgency,
    due_at, step,
};
use passage_domain::protection::shared::{
    SharedPerson, as_received, recipient_sees_person, shared_view,
};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{needs, person_details};
use crate::Store;
use crate::audit::AuditEntry;
use crate::consents;
use crate::error::StoreError;
use crate::history;
use crate::scope::{ensure_visible, require, visible};
use crate::sites::meta;
use crate::sql::{self, Arg, Builder, ts};

const COLUMNS: &str = "id, person_id, organisation_id, recipient_id, service, urgency, reason, status, due_at, \
     consent_required, screening_id, decline_reason, created_by, version, created_at, updated_at";

fn decode(row: &AnyRow, now: OffsetDateTime) -> Result<Referral, StoreError> {
    let code = |col: &str| sql::text(row, col);
    let service = code("service")?;
    let urgency = code("urgency")?;
    let status = code("status")?;
    let opt_uuid = |col: &str| -> Result<Option<Uuid>, StoreError> {
        let v: Option<String> = row.try_get(col)?;
        v.as_deref().map(sql::uuid).transpose()
    };
    let consent: Option<String> = row.try_get("consent_required")?;
    Ok(Referral {
        meta: meta(row)?,
        person_id: Some(sql::uuid(&code("person_id")?)?),
        organisation_id: opt_uuid("organisation_id")?,
        recipient_id: opt_uuid("recipient_id")?,
        service: Service::from_code(&service)
            .ok_or_else(|| StoreError::Corrupt(format!("service {service}")))?,
        urgency: Urgency::from_code(&urgency)
            .ok_or_else(|| StoreError::Corrupt(format!("urgency {urgency}")))?,
        reason: Some(code("reason")?),
        status: ReferralStatus::from_code(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("referral status {status}")))?,
        due_at: sql::parse_ts(&code("due_at")?)?,
        overdue: false,
        consent_required: consent
            .as_deref()
            .and_then(passage_domain::data_protection::ConsentScope::from_code),
        screening_id: opt_uuid("screening_id")?,
        decline_reason: row.try_get("decline_reason")?,
        created_by: code("created_by")?,
    }
    .at(now))
}

/// The person a referral read in full is about.
fn person_of(r: &Referral) -> Result<Uuid, StoreError> {
    r.person_id
        .ok_or_else(|| StoreError::Corrupt(format!("referral {} without a person", r.meta.id)))
}

/// Whether the principal reads `r` as its receiving organisation.
pub(super) fn received(r: &Referral, scope: Scope) -> bool {
    matches!(scope, Scope::Organisation(org) if r.recipient_id == Some(org))
        && r.status != ReferralStatus::Proposed
}

/// The referral as the principal reads it: in full on the referring side, as
/// [`as_received`] says on the receiving side.
async fn as_seen(
    c: &mut AnyConnection,
    r: Referral,
    side: Option<Side>,
    at: OffsetDateTime,
) -> Result<Referral, StoreError> {
    if side != Some(Side::Receiving) {
        return Ok(r);
    }
    let consents = consents::of_person(c, person_of(&r)?).await?;
    let sees = recipient_sees_person(&r, &consents, at).is_ok();
    Ok(as_received(r, sees))
}

/// What the receiving organisation of `r` sees of the person now: the service's shared
/// fields, or why nothing (not accepted yet, or the consent the service needs is gone).
pub(super) async fn shared_with_recipient(
    c: &mut AnyConnection,
    r: &Referral,
    at: OffsetDateTime,
) -> Result<SharedPerson, StoreError> {
    let person_id = person_of(r)?;
    let consents = consents::of_person(c, person_id).await?;
    recipient_sees_person(r, &consents, at).map_err(|e| StoreError::Refused(e.to_string()))?;
    shared(c, r).await
}

/// The service's shared fields of the person behind `r`, whoever asks.
async fn shared(c: &mut AnyConnection, r: &Referral) -> Result<SharedPerson, StoreError> {
    let person_id = person_of(r)?;
    let details = person_details(c, person_id).await?;
    let active: Vec<_> = needs::of_person(c, person_id)
        .await?
        .into_iter()
        .filter(|n| n.active)
        .map(|n| n.code)
        .collect();
    Ok(shared_view(r.meta.id, r.service, &details, &active))
}

async fn fetch(
    c: &mut AnyConnection,
    id: Uuid,
    now: OffsetDateTime,
) -> Result<Referral, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM referrals WHERE id = $1");
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_optional(c)
        .await?;
    match row {
        Some(row) => decode(&row, now),
        None => Err(StoreError::NotFound {
            entity: "referral",
            id,
        }),
    }
}

/// The referral and the side the principal is on, or NotFound when they are on neither.
async fn visible_referral(
    c: &mut AnyConnection,
    id: Uuid,
    scope: Scope,
    p: &Principal,
) -> Result<(Referral, Option<Side>), StoreError> {
    let r = fetch(c, id, p.at).await?;
    if let Scope::All = scope {
        return Ok((r, None));
    }
    let mine = p.organisation_id;
    if received(&r, scope) {
        return Ok((r, Some(Side::Receiving)));
    }
    match ensure_visible(c, "persons", "person", person_of(&r)?, scope, p).await {
        // The referring side is the organisation that made the referral; another that sees
        // the person through an agreement reads it, and may not act on it.
        Ok(()) if r.organisation_id == mine => Ok((r, Some(Side::Referring))),
        Ok(()) => Ok((r, None)),
        Err(StoreError::NotFound { .. }) => Err(StoreError::NotFound {
            entity: "referral",
            id,
        }),
        Err(e) => Err(e),
    }
}

/// Refuses a recipient that does not exist or is an authority of a country people fled:
/// no referral ever goes there.
async fn check_recipient(c: &mut AnyConnection, recipient: Uuid) -> Result<(), StoreError> {
    let coo: Option<i64> =
        sqlx::query_scalar("SELECT country_of_origin_authority FROM organisations WHERE id = $1")
            .bind(recipient.to_string())
            .fetch_optional(&mut *c)
            .await?;
    match coo {
        None => Err(passage_domain::error::ValidationErrors::one(
            "recipient_id",
            format!("no organisation with id {recipient}"),
        )
        .into()),
        Some(flag) if flag != 0 => Err(passage_domain::error::ValidationErrors::one(
            "recipient_id",
            "is an authority of a country people fled: no referral goes there",
        )
        .into()),
        Some(_) => Ok(()),
    }
}

/// Inserts a proposed referral in the caller's transaction.
pub(super) async fn insert(
    c: &mut AnyConnection,
    id: Uuid,
    person_id: Uuid,
    new: &NewReferral,
    screening_id: Option<Uuid>,
    p: &Principal,
) -> Result<Referral, StoreError> {
    if let Some(recipient) = new.recipient_id {
        check_recipient(c, recipient).await?;
    }
    let hours = new.due_within_hours.unwrap_or(new.urgency.hours());
    sqlx::query(
        "INSERT INTO referrals (id, person_id, organisation_id, recipient_id, service, urgency, reason, status, due_at, \
         consent_required, screening_id, created_by, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $13)",
    )
    .bind(id.to_string())
    .bind(person_id.to_string())
    .bind(p.organisation_id.map(|o| o.to_string()))
    .bind(new.recipient_id.map(|o| o.to_string()))
    .bind(new.service.code().to_owned())
    .bind(new.urgency.code().to_owned())
    .bind(new.reason.clone())
    .bind(ReferralStatus::Proposed.code().to_owned())
    .bind(ts(due_at(p.at, hours)))
    .bind(new.service.consent_scope().map(|s| s.code().to_owned()))
    .bind(screening_id.map(|s| s.to_string()))
    .bind(p.name.clone())
    .bind(ts(p.at))
    .execute(&mut *c)
    .await?;
    let detail = serde_json::json!({"person_id": person_id, "service": new.service, "urgency": new.urgency, "due_within_hours": hours});
    history::record(c, "referral", id, "proposed", 1, p.at, &detail).await?;
    fetch(c, id, p.at).await
}

/// Which referrals a listing returns.
#[derive(Debug, Clone, Default)]
pub struct ReferralFilter {
    pub status: Option<ReferralStatus>,
    /// Only open referrals past their due time.
    pub overdue: bool,
    /// Only those sent to the caller's organisation.
    pub incoming: bool,
    pub limit: u32,
}

impl Store {
    pub async fn create_referral(
        &self,
        p: &Principal,
        person_id: Uuid,
        new: NewReferral,
    ) -> Result<Referral, StoreError> {
        let scope = require(p, Action::Create, Resource::Referral)?;
        let id = Uuid::now_v7();
        let audit = vec![AuditEntry::by(
            p,
            Action::Create,
            Resource::Referral,
            Some(id.to_string()),
            serde_json::json!({"person_id": person_id, "service": new.service}),
        )];
        self.writer
            .write_audited(
                (id, person_id, new, p.clone(), scope),
                audit,
                |c, (id, person_id, new, p, scope)| {
                    Box::pin(async move {
                        ensure_visible(c, "persons", "person", *person_id, *scope, p).await?;
                        insert(c, *id, *person_id, new, None, p).await
                    })
                },
            )
            .await
    }

    /// A step on a referral: send and cancel by the referring organisation, accept,
    /// decline and complete by the receiving one.
    pub async fn referral_step(
        &self,
        p: &Principal,
        id: Uuid,
        s: ReferralStep,
    ) -> Result<Referral, StoreError> {
        let scope = require(p, Action::Update, Resource::Referral)?;
        let audit = vec![AuditEntry::by(
            p,
            Action::Update,
            Resource::Referral,
            Some(id.to_string()),
            serde_json::json!({"action": s.action, "recipient_id": s.recipient_id}),
        )];
        self.writer
            .write_audited((id, s, p.clone(), scope), audit, |c, (id, s, p, scope)| {
                Box::pin(async move { take_step(c, *id, s, p, *scope).await })
            })
            .await
    }

    pub async fn referral(&self, p: &Principal, id: Uuid) -> Result<Option<Referral>, StoreError> {
        let scope = require(p, Action::Read, Resource::Referral)?;
        let mut conn = self.read.acquire().await?;
        let found = match visible_referral(&mut conn, id, scope, p).await {
            Ok((r, side)) => Some(as_seen(&mut conn, r, side, p.at).await?),
            Err(StoreError::NotFound { .. }) => None,
            Err(e) => return Err(e),
        };
        drop(conn);
        self.audit_reads(p, Resource::Referral, found.iter().map(|r| r.meta.id))
            .await?;
        Ok(found)
    }

    /// Every referral of a person, oldest first; None when the person is hidden or missing.
    pub async fn referrals_of(
        &self,
        p: &Principal,
        person_id: Uuid,
    ) -> Result<Option<Vec<Referral>>, StoreError> {
        let scope = require(p, Action::Read, Resource::Referral)?;
        let mut conn = self.read.acquire().await?;
        let found = match ensure_visible(&mut conn, "persons", "person", person_id, scope, p).await
        {
            Ok(()) => {
                let sql = format!(
                    "SELECT {COLUMNS} FROM referrals WHERE person_id = $1 ORDER BY created_at, id"
                );
                let rows = sqlx::query(AssertSqlSafe(sql))
                    .bind(person_id.to_string())
                    .fetch_all(&mut *conn)
                    .await?;
                Some(
                    rows.iter()
                        .map(|r| decode(r, p.at))
                        .collect::<Result<Vec<_>, _>>()?,
                )
            }
            Err(StoreError::NotFound { .. }) => None,
            Err(e) => return Err(e),
        };
        drop(conn);
        self.audit_reads(
            p,
            Resource::Referral,
            found.iter().flatten().map(|r| r.meta.id),
        )
        .await?;
        Ok(found)
    }

    /// Referrals of the caller's organisation, made or received, most urgent due first.
    pub async fn referrals(
        &self,
        p: &Principal,
        f: &ReferralFilter,
    ) -> Result<Vec<Referral>, StoreError> {
        let scope = require(p, Action::Read, Resource::Referral)?;
        let mut b = Builder::new(&format!("SELECT {COLUMNS} FROM referrals WHERE 1 = 1"));
        if let Scope::Organisation(org) = scope {
            let org = org.to_string();
            if f.incoming {
                b.push(" AND recipient_id = ?", Arg::Text(org));
                b.raw(" AND status <> 'proposed'");
            } else {
                b.push(" AND ((recipient_id = ?", Arg::Text(org));
                b.raw(" AND status <> 'proposed') OR person_id IN (SELECT id FROM persons WHERE 1 = 1");
                visible(&mut b, scope, "organisation_id", p);
                b.raw("))");
            }
        }
        if let Some(s) = f.status {
            b.push(" AND status = ?", Arg::Text(s.code().to_owned()));
        }
        if f.overdue {
            b.raw(" AND status IN ('proposed', 'sent', 'accepted')");
            b.push(" AND due_at < ?", Arg::Text(ts(p.at)));
        }
        b.push(
            " ORDER BY due_at, id LIMIT ?",
            Arg::Int(i64::from(f.limit.clamp(1, 500))),
        );
        let mut conn = self.read.acquire().await?;
        let rows = b.query().fetch_all(&mut *conn).await?;
        let mut found = Vec::with_capacity(rows.len());
        for row in &rows {
            let r = decode(row, p.at)?;
            let side = received(&r, scope).then_some(Side::Receiving);
            found.push(as_seen(&mut conn, r, side, p.at).await?);
        }
        drop(conn);
        self.audit_reads(p, Resource::Referral, found.iter().map(|r| r.meta.id))
            .await?;
        Ok(found)
    }

    /// The person as the receiving organisation of an accepted referral sees them: the
    /// fields its service needs. Refused before acceptance, after a decline, and whenever
    /// the consent the service needs is not in force for the recipient at the time of
    /// reading.
    pub async fn referred_person(
        &self,
        p: &Principal,
        id: Uuid,
    ) -> Result<SharedPerson, StoreError> {
        let scope = require(p, Action::Read, Resource::Referral)?;
        let mut conn = self.read.acquire().await?;
        let (r, side) = visible_referral(&mut conn, id, scope, p).await?;
        let view = if side == Some(Side::Receiving) {
            shared_with_recipient(&mut conn, &r, p.at).await?
        } else {
            shared(&mut conn, &r).await?
        };
        drop(conn);
        self.audit_reads(p, Resource::Person, [person_of(&r)?])
            .await?;
        Ok(view)
    }
}

async fn take_step(
    c: &mut AnyConnection,
    id: Uuid,
    s: &ReferralStep,
    p: &Principal,
    scope: Scope,
) -> Result<Referral, StoreError> {
    let (current, side) = visible_referral(c, id, scope, p).await?;
    if current.meta.version != s.version {
        return Err(StoreError::Conflict {
            entity: "referral",
            id,
            given: s.version,
            current: current.meta.version,
        });
    }
    if side.is_none() && matches!(scope, Scope::Organisation(_)) {
        return Err(StoreError::Refused(
            "only the referring and the receiving organisations act on a referral".into(),
        ));
    }
    if let Some(side) = side
        && side != s.action.side()
    {
        let who = match s.action.side() {
            Side::Referring => "the referring organisation",
            Side::Receiving => "the receiving organisation",
        };
        return Err(StoreError::Refused(format!(
            "only {who} may {} a referral",
            s.action.code()
        )));
    }
    let recipient = match (s.action, s.recipient_id) {
        (ReferralAction::Send, Some(r)) => Some(r),
        _ => current.recipient_id,
    };
    let consents = consents::of_person(c, person_of(&current)?).await?;
    let to = step(
        current.status,
        s.action,
        s.reason.as_deref(),
        recipient,
        current.service,
        &consents,
        p.at,
    )
    .map_err(|e| StoreError::Refused(e.to_string()))?;
    if let Some(r) = recipient {
        check_recipient(c, r).await?;
    }
    let reason = s
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned);
    let decline_reason = if s.action == ReferralAction::Decline {
        reason.clone()
    } else {
        current.decline_reason.clone()
    };
    sqlx::query(
        "UPDATE referrals SET status = $1, recipient_id = $2, decline_reason = $3, version = version + 1, updated_at = $4 \
         WHERE id = $5",
    )
    .bind(to.code().to_owned())
    .bind(recipient.map(|r| r.to_string()))
    .bind(decline_reason)
    .bind(ts(p.at))
    .bind(id.to_string())
    .execute(&mut *c)
    .await?;
    let detail = serde_json::json!({"action": s.action, "status": to, "recipient_id": recipient, "reason": reason, "by": p.name});
    history::record(
        c,
        "referral",
        id,
        to.code(),
        current.meta.version + 1,
        p.at,
        &detail,
    )
    .await?;
    let after = fetch(c, id, p.at).await?;
    as_seen(c, after, side, p.at).await
}
