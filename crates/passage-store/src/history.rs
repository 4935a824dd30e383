//! The history of each record: what happened, at which version, when.

// SQL built at run time is assembled from constant text only; values are always bound.
use sqlx::AnyConnection;
use sqlx::AssertSqlSafe;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::error::StoreError;
use crate::sql::ts;

/// Appends one event to a record's history, in the caller's transaction.
pub async fn record(
    conn: &mut AnyConnection,
    entity: &str,
    id: Uuid,
    action: &str,
    version: i64,
    at: OffsetDateTime,
    detail: &serde_json::Value,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO history (entity, entity_id, action, version, at, detail) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(entity.to_owned())
        .bind(id.to_string())
        .bind(action.to_owned())
        .bind(version)
        .bind(ts(at))
        .bind(detail.to_string())
        .execute(conn)
        .await?;
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
