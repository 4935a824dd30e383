//! Merge clusters: every record connected to a person through `merged_into`, either way
//! and transitively (B merged into A, then A into C: A, B and C are one person). What
//! protects a person reads the whole cluster, so a claim, a code or an entitlement on a
//! record merged away still counts for the record kept, and the other way round.

use std::collections::{BTreeSet, HashMap};

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

/// Every cluster of more than one record, for a reading over many persons at once: each
/// member's id to the ids of its whole cluster (in id order). Persons not listed are alone.
pub(crate) async fn all_merged(
    c: &mut AnyConnection,
) -> Result<HashMap<Uuid, Vec<Uuid>>, StoreError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, merged_into FROM persons WHERE merged_into IS NOT NULL ORDER BY id",
    )
    .fetch_all(&mut *c)
    .await?;
    let mut edges = Vec::with_capacity(rows.len());
    for (from, to) in &rows {
        edges.push((sql::uuid(from)?, sql::uuid(to)?));
    }
    Ok(components(&edges))
}

/// The connected components of `edges` (pairs of ids), each member mapped to its
/// component.
fn components(edges: &[(Uuid, Uuid)]) -> HashMap<Uuid, Vec<Uuid>> {
    let mut next: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for (a, b) in edges {
        next.entry(*a).or_default().push(*b);
        next.entry(*b).or_default().push(*a);
    }
    let mut out: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    let mut starts: Vec<Uuid> = next.keys().copied().collect();
    starts.sort();
    for start in starts {
        if out.contains_key(&start) {
            continue;
        }
        let mut seen = BTreeSet::from([start]);
        let mut todo = vec![start];
        while let Some(id) = todo.pop() {
            for n in next.get(&id).into_iter().flatten() {
                if seen.insert(*n) {
                    todo.push(*n);
                }
            }
        }
        let members: Vec<Uuid> = seen.into_iter().collect();
        for m in &members {
            out.insert(*m, members.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::components;
    use uuid::Uuid;

    #[test]
    fn chains_and_both_directions_make_one_cluster() {
        let ids: Vec<Uuid> = (1..=5).map(Uuid::from_u128).collect();
        // 2 into 1, then 1 into 3; 5 into 4 apart.
        let c = components(&[(ids[1], ids[0]), (ids[0], ids[2]), (ids[4], ids[3])]);
        let first = vec![ids[0], ids[1], ids[2]];
        for id in &first {
            assert_eq!(c[id], first);
        }
        assert_eq!(c[&ids[3]], vec![ids[3], ids[4]]);
        // A cycle (never made by a decision) still ends.
        let c = components(&[(ids[0], ids[1]), (ids[1], ids[0])]);
        assert_eq!(c[&ids[0]], vec![ids[0], ids[1]]);
    }
}
