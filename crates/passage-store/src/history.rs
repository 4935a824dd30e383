//! The history of each record: what happened, at which version, when.

// SQL built at run time is assembled from constant text only; values are always bound.
use sqlx::AnyConnection;
use sqlx::AssertSqlSafe;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::error::StoreError;
use crate::sql::{Arg, Builder, ts};

/// One event in a record's history.
#[derive(Debug, Clone)]
pub struct Entry {
    pub entity: &'static str,
    pub id: Uuid,
    pub action: &'static str,
    pub version: i64,
    pub at: OffsetDateTime,
    pub detail: serde_json::Value,
}

/// One event of a record's history as read back.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Event {
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: OffsetDateTime,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

/// The history of the records `ids`, in order, on the caller's connection.
pub(crate) async fn of_records(
    conn: &mut AnyConnection,
    ids: &[String],
) -> Result<Vec<Event>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut b = Builder::new(
        "SELECT entity, entity_id, action, version, at, detail FROM history WHERE entity_id IN (",
    );
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            b.raw(", ");
        }
        b.push("?", Arg::Text(id.clone()));
    }
    b.raw(") ORDER BY seq");
    let rows = b.query().fetch_all(conn).await?;
    rows.iter()
        .map(|r| {
            Ok(Event {
                entity: crate::sql::text(r, "entity")?,
                entity_id: crate::sql::text(r, "entity_id")?,
                action: crate::sql::text(r, "action")?,
                version: crate::sql::int(r, "version")?,
                at: crate::sql::parse_ts(&crate::sql::text(r, "at")?)?,
                detail: crate::sql::json(r, "detail")?,
            })
        })
        .collect()
}

/// Appends one event to a record's history, in the caller's transaction.
pub async fn record(
    conn: &mut AnyConnection,
    entity: &'static str,
    id: Uuid,
    action: &'static str,
    version: i64,
    at: OffsetDateTime,
    detail: &serde_json::Value,
) -> Result<(), StoreError> {
    let entry = Entry {
        entity,
        id,
        action,
        version,
        at,
        detail: detail.clone(),
    };
    record_all(conn, std::slice::from_ref(&entry)).await
}

/// Appends several events in one statement, in the caller's transaction.
pub async fn record_all(conn: &mut AnyConnection, entries: &[Entry]) -> Result<(), StoreError> {
    for chunk in entries.chunks(crate::sql::rows_per_statement(6)) {
        let mut b = Builder::new(
            "INSERT INTO history (entity, entity_id, action, version, at, detail) VALUES ",
        );
        for (i, e) in chunk.iter().enumerate() {
            if i > 0 {
                b.raw(", ");
            }
            b.row([
                Arg::Text(e.entity.to_owned()),
                Arg::Text(e.id.to_string()),
                Arg::Text(e.action.to_owned()),
                Arg::Int(e.version),
                Arg::Text(ts(e.at)),
                Arg::Text(e.detail.to_string()),
            ]);
        }
        b.query().execute(&mut *conn).await?;
    }
    Ok(())
}

/// After an update matched no row: tells a missing record from a stale version.
pub async fn missing_or_conflict(
    conn: &mut AnyConnection,
    table: &'static str,
    entity: &'static str,
    id: Uuid,
    given: i64,
) -> StoreError {
    let sql = format!("SELECT version FROM {table} WHERE id = $1");
    match sqlx::query_scalar::<_, i64>(AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_optional(conn)
        .await
    {
        Ok(Some(current)) => StoreError::Conflict {
            entity,
            id,
            given,
            current,
        },
        Ok(None) => StoreError::NotFound { entity, id },
        Err(e) => e.into(),
    }
}
