//! Which personal records a principal may see: those their organisation registered, and
//! those of organisations that share with it under a data-sharing agreement in force
//! (never with an organisation flagged as an authority of a country of origin).
//! A record outside the scope is treated exactly as a missing one.

use passage_domain::access::{Action, Principal, Resource, Scope};

use crate::audit::AuditEntry;
use crate::error::StoreError;
use crate::sql::{Arg, Builder, ts};

/// Checks the permission table and returns the scope of records it covers.
pub fn require(p: &Principal, action: Action, resource: Resource) -> Result<Scope, StoreError> {
    Ok(p.require(action, resource)?)
}

/// Appends ` AND <column> is visible` for `scope` to a query over a table whose
/// `column` holds the registering organisation.
pub fn visible(b: &mut Builder, scope: Scope, column: &str, p: &Principal) {
    if let Scope::Organisation(org) = scope {
        let org = org.to_string();
        let at = ts(p.at);
        b.push(&format!(" AND ({column} = ?"), Arg::Text(org.clone()));
        b.push(
            &format!(
                " OR {column} IN (SELECT provider_id FROM sharing_agreements WHERE recipient_id = ?"
            ),
            Arg::Text(org),
        );
        b.push(" AND valid_from <= ?", Arg::Text(at.clone()));
        b.push(" AND expires_at > ?", Arg::Text(at));
        // Never to an authority of a country people fled, even if flagged after signing.
        b.raw(
            " AND recipient_id NOT IN (SELECT id FROM organisations WHERE country_of_origin_authority <> 0)))",
        );
    }
}

/// The organisation a new personal record is registered under; the operator registers
/// under none, so its records are visible to the operator only.
pub fn registering_organisation(p: &Principal) -> Option<String> {
    p.organisation_id.map(|o| o.to_string())
}

/// Tables whose rows belong to a person through a `person_id` column: visible when the
/// person is.
const BY_PERSON: &[&str] = &[
    "documents",
    "consents",
    "data_subject_requests",
    "screenings",
    "specific_needs",
    "cases",
    "hold_lifts",
];

/// Fails with NotFound unless the record `id` of `table` exists within `scope`, so that a
/// record the principal may not see answers exactly as a missing one.
pub async fn ensure_visible(
    c: &mut sqlx::AnyConnection,
    table: &'static str,
    entity: &'static str,
    id: uuid::Uuid,
    scope: Scope,
    p: &Principal,
) -> Result<(), StoreError> {
    let mut b = Builder::new(&format!("SELECT id FROM {table} WHERE id = "));
    b.push("?", Arg::Text(id.to_string()));
    if BY_PERSON.contains(&table) {
        if let Scope::Organisation(_) = scope {
            b.raw(" AND person_id IN (SELECT id FROM persons WHERE 1 = 1");
            visible(&mut b, scope, "organisation_id", p);
            b.raw(")");
        }
    } else {
        visible(&mut b, scope, "organisation_id", p);
    }
    match b.query().fetch_optional(c).await? {
        Some(_) => Ok(()),
        None => Err(StoreError::NotFound { entity, id }),
    }
}

/// Fails with NotFound unless the person `id` exists and was registered by the principal's
/// own organisation (the controller of the record). Irreversible or protective decisions,
/// erasure and legal holds, are the controller's alone: to an organisation that sees the
/// person through a sharing agreement the record is as missing for them.
pub async fn ensure_own_person(
    c: &mut sqlx::AnyConnection,
    id: uuid::Uuid,
    scope: Scope,
) -> Result<(), StoreError> {
    let mut b = Builder::new("SELECT id FROM persons WHERE id = ");
    b.push("?", Arg::Text(id.to_string()));
    if let Scope::Organisation(org) = scope {
        b.push(" AND organisation_id = ?", Arg::Text(org.to_string()));
    }
    match b.query().fetch_optional(c).await? {
        Some(_) => Ok(()),
        None => Err(StoreError::NotFound {
            entity: "person",
            id,
        }),
    }
}

impl crate::Store {
    /// Records in the audit log that `p` read these records.
    pub(crate) async fn audit_reads(
        &self,
        p: &Principal,
        resource: Resource,
        ids: impl IntoIterator<Item = uuid::Uuid>,
    ) -> Result<(), StoreError> {
        let entries: Vec<AuditEntry> = ids
            .into_iter()
            .map(|id| {
                AuditEntry::by(
                    p,
                    Action::Read,
                    resource,
                    Some(id.to_string()),
                    serde_json::json!({}),
                )
            })
            .collect();
        if entries.is_empty() {
            return Ok(());
        }
        self.record_audit(entries).await
    }
}
