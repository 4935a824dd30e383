//! Documents held by persons.

// SQL built at run time is assembled from constant text only; values are always bound.
use passage_domain::access::{Action, Principal, Resource, Scope};
use passage_domain::document::ValidDocument;
use passage_domain::record::{Document, Meta};
use sqlx::AnyConnection;
use sqlx::AssertSqlSafe;
use sqlx::any::AnyRow;
use uuid::Uuid;

use crate::Store;
use crate::audit::AuditEntry;
use crate::error::StoreError;
use crate::history;
use crate::scope::{ensure_visible, require, visible};
use crate::sites::meta;
use crate::sql::{self, Arg, Builder, Page};

#[derive(Debug, Clone, Default)]
pub struct DocumentFilter {
    pub person_id: Option<Uuid>,
    pub number: Option<String>,
}

pub(crate) const COLUMNS: &str =
    "id, person_id, details, verification, version, created_at, updated_at";

pub(crate) fn decode(row: &AnyRow) -> Result<Document, StoreError> {
    Ok(Document {
        meta: meta(row)?,
        person_id: sql::uuid(&sql::text(row, "person_id")?)?,
        details: sql::json(row, "details")?,
        verification: sql::opt_json(row, "verification")?,
    })
}

async fn fetch(c: &mut AnyConnection, id: Uuid) -> Result<Document, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM documents WHERE id = $1");
    let row = sqlx::query(AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_one(c)
        .await?;
    decode(&row)
}

/// Keeps only documents of persons within `scope`.
fn of_visible_persons(b: &mut Builder, scope: Scope, p: &Principal) {
    if let Scope::Organisation(_) = scope {
        b.raw(" AND person_id IN (SELECT id FROM persons WHERE 1 = 1");
        visible(b, scope, "organisation_id", p);
        b.raw(")");
    }
}

impl Store {
    /// Records a document for a person who exists.
    pub async fn add_document(
        &self,
        p: &Principal,
        person_id: Uuid,
        doc: ValidDocument,
    ) -> Result<Document, StoreError> {
        require(p, Action::Create, Resource::Document)?;
        let scope = require(p, Action::Read, Resource::Person)?;
        let now = p.at;
        let document = Document {
            meta: Meta {
                id: Uuid::now_v7(),
                version: 1,
                created_at: now,
                updated_at: now,
            },
            person_id,
            details: doc.details,
            verification: doc.verification,
        };
        let audit = vec![AuditEntry::by(
            p,
            Action::Create,
            Resource::Document,
            Some(document.meta.id.to_string()),
            serde_json::json!({"person_id": person_id}),
        )];
        self.writer
            .write_audited((document, p.clone(), scope), audit, |c, (document, p, scope)| {
                Box::pin(async move {
                    let (now, person_id) = (document.meta.created_at, document.person_id);
                    ensure_visible(c, "persons", "person", person_id, *scope, p).await?;
                    let d = &document.details;
                    let json = serde_json::to_value(d)?;
                    sqlx::query(
                        "INSERT INTO documents (id, person_id, kind, number, issuing_state, details, verification, version, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)",
                    )
                    .bind(document.meta.id.to_string())
                    .bind(person_id.to_string())
                    .bind(d.kind.code().to_owned())
                    .bind(d.number.clone())
                    .bind(d.issuing_state.as_ref().map(|s| s.as_str().to_owned()))
                    .bind(json.to_string())
                    .bind(document.verification.as_ref().map(serde_json::to_string).transpose()?)
                    .bind(sql::ts(now))
                    .execute(&mut *c)
                    .await?;
                    history::record(c, "document", document.meta.id, "created", 1, now, &json).await?;
                    Ok(document.clone())
                })
            })
            .await
    }

    pub async fn document(&self, p: &Principal, id: Uuid) -> Result<Option<Document>, StoreError> {
        let scope = require(p, Action::Read, Resource::Document)?;
        let mut b = Builder::new(&format!("SELECT {COLUMNS} FROM documents WHERE id = "));
        b.push("?", Arg::Text(id.to_string()));
        of_visible_persons(&mut b, scope, p);
        let row = b.query().fetch_optional(&self.read).await?;
        let document = row.as_ref().map(decode).transpose()?;
        self.audit_reads(p, Resource::Document, document.iter().map(|x| x.meta.id))
            .await?;
        Ok(document)
    }

    pub async fn update_document(
        &self,
        p: &Principal,
        id: Uuid,
        version: i64,
        doc: ValidDocument,
    ) -> Result<Document, StoreError> {
        let scope = require(p, Action::Update, Resource::Document)?;
        let audit = vec![AuditEntry::by(
            p,
            Action::Update,
            Resource::Document,
            Some(id.to_string()),
            serde_json::json!({"version": version}),
        )];
        self.writer
            .write_audited((id, version, doc, p.clone(), scope), audit, |c, (id, version, doc, p, scope)| {
                Box::pin(async move {
                    let (id, version, now) = (*id, *version, p.at);
                    ensure_visible(c, "documents", "document", id, *scope, p).await?;
                    let d = &doc.details;
                    let json = serde_json::to_value(d)?;
                    let done = sqlx::query(
                        "UPDATE documents SET kind = $1, number = $2, issuing_state = $3, details = $4, verification = $5, \
                         version = version + 1, updated_at = $6 WHERE id = $7 AND version = $8",
                    )
                    .bind(d.kind.code().to_owned())
                    .bind(d.number.clone())
                    .bind(d.issuing_state.as_ref().map(|s| s.as_str().to_owned()))
                    .bind(json.to_string())
                    .bind(doc.verification.as_ref().map(serde_json::to_string).transpose()?)
                    .bind(sql::ts(now))
                    .bind(id.to_string())
                    .bind(version)
                    .execute(&mut *c)
                    .await?;
                    if done.rows_affected() == 0 {
                        return Err(history::missing_or_conflict(c, "documents", "document", id, version).await);
                    }
                    history::record(c, "document", id, "updated", version + 1, now, &json).await?;
                    fetch(c, id).await
                })
            })
            .await
    }

    pub async fn documents(
        &self,
        p: &Principal,
        filter: &DocumentFilter,
        cursor: Option<&str>,
        limit: u32,
    ) -> Result<Page<Document>, StoreError> {
        let scope = require(p, Action::Read, Resource::Document)?;
        let mut b = Builder::new(&format!("SELECT {COLUMNS} FROM documents WHERE 1 = 1"));
        of_visible_persons(&mut b, scope, p);
        if let Some(person) = filter.person_id {
            b.push(" AND person_id = ?", Arg::Text(person.to_string()));
        }
        if let Some(n) = &filter.number {
            b.push(" AND number = ?", Arg::Text(n.trim().to_uppercase()));
        }
        let page = sql::page(&self.read, b, cursor, limit, decode).await?;
        self.audit_reads(p, Resource::Document, page.items.iter().map(|x| x.meta.id))
            .await?;
        Ok(page)
    }
}
