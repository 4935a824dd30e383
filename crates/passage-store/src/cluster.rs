//! Merge clusters: every record connected to a person through `merged_into`, either way
//! and transitively (B merged into A, then A into C: A, B and C are one person). What
//! protects a person reads the whole cluster, so a claim, a code or an entitlement on a
//! record merged away still counts for the record kept, and the other way round.

use std::collections::BTreeSet;

use sqlx::AnyConnection;
use uuid::Uuid;

use crate::error::StoreError;
use crate::sql;

/// The ids of the person's merge cluster, the person included, in id order, as
/// committed so far in the caller's transaction. A person with no merge is alone in it.
pub(crate) async fn members(
    c: &mut AnyConnection,
    person_id: Uuid,
) -> Result<Vec<Uuid>, StoreError> {
    let mut seen = BTreeSet::from([person_id]);
    let mut todo = vec![person_id];
    while let Some(id) = todo.pop() {
        let up: Option<Option<String>> =
            sqlx::query_scalar("SELECT merged_into FROM persons WHERE id = $1")
                .bind(id.to_string())
                .fetch_optional(&mut *c)
                .await?;
        let down: Vec<String> = sqlx::query_scalar("SELECT id FROM persons WHERE merged_into = $1")
            .bind(id.to_string())
            .fetch_all(&mut *c)
            .await?;
        for next in up.flatten().into_iter().chain(down) {
            let next = sql::uuid(&next)?;
            if seen.insert(next) {
                todo.push(next);
            }
        }
    }
    Ok(seen.into_iter().collect())
}
