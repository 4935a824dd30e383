//! What can go wrong in the store, typed so that the server can answer precisely.

use passage_domain::error::ValidationErrors;
use uuid::Uuid;

#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    /// The principal's roles do not allow the action at all.
    #[error(transparent)]
    Forbidden(#[from] passage_domain::access::Forbidden),
    #[error("no {entity} with id {id}")]
    NotFound { entity: &'static str, id: Uuid },
    /// The client's version is stale: someone changed the record first.
    #[error("{entity} {id} is at version {current}, not {given}")]
    Conflict {
        entity: &'static str,
        id: Uuid,
        given: i64,
        current: i64,
    },
    /// The record's state forbids the change (a legal hold, a request already closed).
    #[error("{0}")]
    Refused(String),
    /// The input refers to something that does not exist or breaks a uniqueness rule.
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    /// The database could not be reached or refused the write.
    #[error("database error: {0}")]
    Database(String),
    /// A stored value could not be read back; the database was changed outside Passage.
    #[error("stored {0} could not be read")]
    Corrupt(String),
    #[error(
        "the database URL '{0}' is not understood: use a SQLite file path (passage.db, sqlite://passage.db) or postgres://…"
    )]
    Url(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        Self::Database(e.to_string())
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        Self::Database(format!("migration failed: {e}"))
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        Self::Corrupt(format!("JSON: {e}"))
    }
}
