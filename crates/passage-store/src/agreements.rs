//! Data-sharing agreements: recorded by the provider's data-protection focal point, seen by
//! both parties, ended early by either. An agreement in force makes the provider's personal
//! records visible to the recipient (see [`crate::scope::visible`]).

// SQL built at run time is assembled from constant text only; values are always bound.
use passage_domain::access::{Action, Principal, Resource, Scope};
use passage_domain::data_protection::Purpose;
use passage_domain::data_protection::agreement::{
    DataCategory, SharingAgreement, SharingAgreementDetails, in_force,
};
use passage_domain::error::ValidationErrors;
use passage_domain::record::Meta;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::Store;
use crate::audit::AuditEntry;
use crate::error::StoreError;
use crate::history;
use crate::scope::require;
use crate::sites::meta;
use crate::sql::{self, Arg, Builder, ts};

const COLUMNS: &str = "id, provider_id, recipient_id, purpose, details, valid_from, expires_at, created_by, \
     ended_at, ended_by, version, created_at, updated_at";

/// What the `details` column holds besides the columns of their own.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct Stored {
    data_categories: Vec<DataCategory>,
    fields: Vec<String>,
    reference: Option<String>,
}

fn decode(row: &AnyRow, at: OffsetDateTime) -> Result<SharingAgreement, StoreError> {
    let purpose = sql::text(row, "purpose")?;
    let stored: Stored = sql::json(row, "details")?;
    let valid_from = sql::parse_ts(&sql::text(row, "valid_from")?)?;
    let expires_at = sql::parse_ts(&sql::text(row, "expires_at")?)?;
    let ended: Option<String> = row.try_get("ended_at")?;
    Ok(SharingAgreement {
        meta: meta(row)?,
        details: SharingAgreementDetails {
            provider_id: sql::uuid(&sql::text(row, "provider_id")?)?,
            recipient_id: sql::uuid(&sql::text(row, "recipient_id")?)?,
            purpose: Purpose::from_code(&purpose)
                .ok_or_else(|| StoreError::Corrupt(format!("agreement purpose {purpose}")))?,
            data_categories: stored.data_categories,
            fields: stored.fields,
            valid_from,
            expires_at,
            reference: stored.reference,
        },
        in_force: in_force(valid_from, expires_at, at),
        created_by: row.try_get("created_by")?,
        ended_at: ended.as_deref().map(sql::parse_ts).transpose()?,
        ended_by: row.try_get("ended_by")?,
    })
}

/// Keeps the agreements an organisation is party to.
fn party(b: &mut Builder, scope: Scope) {
    if let Scope::Organisation(org) = scope {
        let org = org.to_string();
        b.push(" AND (provider_id = ?", Arg::Text(org.clone()));
        b.push(" OR recipient_id = ?)", Arg::Text(org));
    }
}

pub(crate) async fn fetch(
    c: &mut AnyConnection,
    id: Uuid,
    scope: Scope,
    at: OffsetDateTime,
) -> Result<SharingAgreement, StoreError> {
    let mut b = Builder::new(&format!(
        "SELECT {COLUMNS} FROM sharing_agreements WHERE id = "
    ));
    b.push("?", Arg::Text(id.to_string()));
    party(&mut b, scope);
    match b.query().fetch_optional(c).await? {
        Some(row) => decode(&row, at),
        None => Err(StoreError::NotFound {
            entity: "sharing agreement",
            id,
        }),
    }
}

/// Checks that the parties exist and that the recipient may receive personal data at all.
async fn check_parties(
    c: &mut AnyConnection,
    d: &SharingAgreementDetails,
) -> Result<(), StoreError> {
    for (field, id) in [
        ("provider_id", d.provider_id),
        ("recipient_id", d.recipient_id),
    ] {
        let row =
            sqlx::query("SELECT country_of_origin_authority FROM organisations WHERE id = $1")
                .bind(id.to_string())
                .fetch_optional(&mut *c)
                .await?;
        let Some(row) = row else {
            return Err(
                ValidationErrors::one(field, format!("no organisation with id {id}")).into(),
            );
        };
        if field == "recipient_id" && sql::int(&row, "country_of_origin_authority")? != 0 {
            return Err(ValidationErrors::one(
                field,
                "is an authority of a country people fled: no agreement gives it access to records",
            )
            .into());
        }
    }
    Ok(())
}

impl Store {
    /// Records an agreement. Only an organisation's own records can be shared: the
    /// provider is the caller's organisation (the operator may record any).
    pub async fn create_agreement(
        &self,
        p: &Principal,
        details: SharingAgreementDetails,
    ) -> Result<SharingAgreement, StoreError> {
        let scope = require(p, Action::Create, Resource::SharingAgreement)?;
        if let Scope::Organisation(org) = scope
            && details.provider_id != org
        {
            return Err(ValidationErrors::one(
                "provider_id",
                "is not your organisation: an organisation shares only its own records",
            )
            .into());
        }
        let id = Uuid::now_v7();
        let audit = vec![AuditEntry::by(
            p,
            Action::Create,
            Resource::SharingAgreement,
            Some(id.to_string()),
            serde_json::json!({"provider_id": details.provider_id, "recipient_id": details.recipient_id,
                               "purpose": details.purpose, "expires_at": ts(details.expires_at)}),
        )];
        let input = (id, details, p.clone());
        self.writer
            .write_audited(input, audit, |c, (id, d, p)| {
                Box::pin(async move {
                    check_parties(c, d).await?;
                    let stored = Stored {
                        data_categories: d.data_categories.clone(),
                        fields: d.fields.clone(),
                        reference: d.reference.clone(),
                    };
                    sqlx::query(
                        "INSERT INTO sharing_agreements (id, provider_id, recipient_id, purpose, details, valid_from, \
                         expires_at, created_by, version, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)",
                    )
                    .bind(id.to_string())
                    .bind(d.provider_id.to_string())
                    .bind(d.recipient_id.to_string())
                    .bind(d.purpose.code().to_owned())
                    .bind(serde_json::to_string(&stored)?)
                    .bind(ts(d.valid_from))
                    .bind(ts(d.expires_at))
                    .bind(p.name.clone())
                    .bind(ts(p.at))
                    .execute(&mut *c)
                    .await?;
                    history::record(c, "sharing_agreement", *id, "created", 1, p.at, &serde_json::to_value(d)?).await?;
                    Ok(SharingAgreement {
                        meta: Meta { id: *id, version: 1, created_at: p.at, updated_at: p.at },
                        details: d.clone(),
                        in_force: in_force(d.valid_from, d.expires_at, p.at),
                        created_by: Some(p.name.clone()),
                        ended_at: None,
                        ended_by: None,
                    })
                })
            })
            .await
    }

    /// The agreements the caller's organisation is party to, newest first.
    pub async fn agreements(&self, p: &Principal) -> Result<Vec<SharingAgreement>, StoreError> {
        let scope = require(p, Action::Read, Resource::SharingAgreement)?;
        let mut b = Builder::new(&format!(
            "SELECT {COLUMNS} FROM sharing_agreements WHERE 1 = 1"
        ));
        party(&mut b, scope);
        b.raw(" ORDER BY id DESC");
        let rows = b.query().fetch_all(&self.read).await?;
        rows.iter().map(|r| decode(r, p.at)).collect()
    }

    /// Ends an agreement now: from this moment the recipient no longer sees the provider's
    /// records. Either party may end it; ending an agreement no longer in force changes
    /// nothing.
    pub async fn end_agreement(
        &self,
        p: &Principal,
        id: Uuid,
    ) -> Result<SharingAgreement, StoreError> {
        let scope = require(p, Action::Update, Resource::SharingAgreement)?;
        let audit = vec![AuditEntry::by(
            p,
            Action::Update,
            Resource::SharingAgreement,
            Some(id.to_string()),
            serde_json::json!({"ended": true}),
        )];
        self.writer
            .write_audited((id, p.clone(), scope), audit, |c, (id, p, scope)| {
                Box::pin(async move {
                    let current = fetch(c, *id, *scope, p.at).await?;
                    if current.details.expires_at <= p.at {
                        return Ok(current);
                    }
                    // A future agreement ended before it starts never comes into force.
                    let end = p.at.max(current.details.valid_from);
                    sqlx::query(
                        "UPDATE sharing_agreements SET expires_at = $1, ended_at = $2, ended_by = $3, \
                         version = version + 1, updated_at = $2 WHERE id = $4",
                    )
                    .bind(ts(end))
                    .bind(ts(p.at))
                    .bind(p.name.clone())
                    .bind(id.to_string())
                    .execute(&mut *c)
                    .await?;
                    let detail = serde_json::json!({"expires_at": ts(end)});
                    history::record(c, "sharing_agreement", *id, "ended", current.meta.version + 1, p.at, &detail).await?;
                    fetch(c, *id, *scope, p.at).await
                })
            })
            .await
    }
}
