//! Protection records: screenings, specific needs, referrals, cases and their transitions,
//! requests to lift a hold on a return, and the work queues built from them.
//!
//! Every change that can add a condition of the non-refoulement guard (a claim, a fear, a
//! refoulement-risk code) and every step of a return first takes the row locks of the
//! person's records (their merge cluster), so that two servers on one PostgreSQL cannot
//! interleave a new claim with a return being scheduled, nor a merge with either: the
//! later one sees what the earlier one committed. The guard reads every record of the
//! person.

mod cases;
mod guard;
mod lifts;
mod needs;
mod queues;
mod referrals;
mod screenings;

pub use cases::CaseFilter;
pub(crate) use guard::reimpose;
pub use referrals::ReferralFilter;

use std::collections::BTreeSet;

use passage_domain::person::{PersonDetails, PopulationType, ProfileFlag};
use sqlx::AnyConnection;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::cluster;
use crate::error::StoreError;
use crate::history;
use crate::sql;

/// Serialises every protection change of one person across connections and processes:
/// an update that changes nothing but takes the row lock of every record in the person's
/// merge cluster until the transaction ends, so a claim on a record merged away and a
/// return of the record kept cannot interleave either.
pub(crate) async fn lock_person(c: &mut AnyConnection, person_id: Uuid) -> Result<(), StoreError> {
    lock_persons(c, &[person_id]).await
}

/// Takes the row locks of the merge clusters of `ids`, in id order. The clusters are read
/// again once locked: a merge committed meanwhile adds its records, until nothing changes.
/// A merge or unmerge takes the same locks, so the cluster stays as read until the end.
pub(crate) async fn lock_persons(c: &mut AnyConnection, ids: &[Uuid]) -> Result<(), StoreError> {
    let mut locked = BTreeSet::new();
    loop {
        let mut wanted = BTreeSet::new();
        for id in ids {
            wanted.extend(cluster::members(c, *id).await?);
        }
        let new: Vec<Uuid> = wanted.difference(&locked).copied().collect();
        if new.is_empty() {
            return Ok(());
        }
        for id in new {
            let done = sqlx::query("UPDATE persons SET version = version WHERE id = $1")
                .bind(id.to_string())
                .execute(&mut *c)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound {
                    entity: "person",
                    id,
                });
            }
            locked.insert(id);
        }
    }
}

/// The person's registered details, in the caller's transaction.
pub(crate) async fn person_details(
    c: &mut AnyConnection,
    person_id: Uuid,
) -> Result<PersonDetails, StoreError> {
    let details: String = sqlx::query_scalar("SELECT details FROM persons WHERE id = $1")
        .bind(person_id.to_string())
        .fetch_one(&mut *c)
        .await?;
    Ok(serde_json::from_str(&details)?)
}

/// A change of a person's population type or profile flags, from a screening confirmed or
/// a procedure's outcome.
pub(crate) struct StatusChange {
    /// `Some(x)`: the population type becomes `x`.
    pub population_type: Option<Option<PopulationType>>,
    /// `Some(flags)`: the flags become exactly these.
    pub set_flags: Option<Vec<ProfileFlag>>,
    pub add_flags: Vec<ProfileFlag>,
    /// Why, for the person's history: `screening <id>` or `case <id>: <event>`.
    pub because: String,
}

/// Applies a status change to the person, with a history row; nothing when it changes
/// nothing.
pub(crate) async fn change_status(
    c: &mut AnyConnection,
    person_id: Uuid,
    change: StatusChange,
    at: OffsetDateTime,
) -> Result<(), StoreError> {
    let mut d = person_details(c, person_id).await?;
    let before = (d.population_type, d.profile_flags.clone());
    if let Some(t) = change.population_type {
        d.population_type = t;
    }
    if let Some(flags) = change.set_flags {
        d.profile_flags = flags;
    }
    d.profile_flags.extend(change.add_flags);
    d.profile_flags.sort();
    d.profile_flags.dedup();
    if (d.population_type, d.profile_flags.clone()) == before {
        return Ok(());
    }
    let version: i64 = sqlx::query_scalar(
        "UPDATE persons SET details = $1, version = version + 1, updated_at = $2, population_type = $4 \
         WHERE id = $3 RETURNING version",
    )
    .bind(serde_json::to_string(&d)?)
    .bind(sql::ts(at))
    .bind(person_id.to_string())
    .bind(d.population_type.map(|t| t.code().to_owned()))
    .fetch_one(&mut *c)
    .await?;
    let detail = serde_json::json!({
        "population_type": d.population_type,
        "previous_population_type": before.0,
        "profile_flags": d.profile_flags,
        "because": change.because,
    });
    history::record(
        c,
        "person",
        person_id,
        "status_changed",
        version,
        at,
        &detail,
    )
    .await
}

/// Everything protection holds about one person, for their access request: screenings,
/// specific needs, and cases with every step and reason.
pub(crate) async fn of_person(
    c: &mut AnyConnection,
    person_id: Uuid,
) -> Result<
    (
        Vec<passage_domain::protection::records::Screening>,
        Vec<passage_domain::protection::needs::SpecificNeed>,
        Vec<passage_domain::protection::records::Case>,
    ),
    StoreError,
> {
    let screenings = screenings::of_person(c, person_id).await?;
    let needs = needs::of_person(c, person_id).await?;
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM cases WHERE person_id = $1 ORDER BY created_at, id")
            .bind(person_id.to_string())
            .fetch_all(&mut *c)
            .await?;
    let mut cases = Vec::with_capacity(ids.len());
    for id in ids {
        let full = passage_domain::protection::case_access::CaseView::Full;
        cases.push(cases::fetch(c, sql::uuid(&id)?, full).await?);
    }
    Ok((screenings, needs, cases))
}
pub use screenings::CheckedScreening;

/// Flags that protect: never dropped by an edit or a later screening.
fn protective(f: &ProfileFlag) -> bool {
    matches!(
        f,
        ProfileFlag::UnaccompaniedChild
            | ProfileFlag::SeparatedChild
            | ProfileFlag::PresumedTraffickingVictim
            | ProfileFlag::TraffickingVictim
    )
}

/// Refuses an edit of a person's record that would take protection away by hand:
/// recognition (REF, OIP) or statelessness found, or a child or trafficking flag. Those
/// change through a procedure's outcome, never by editing.
pub(crate) fn check_edit(before: &PersonDetails, after: &PersonDetails) -> Result<(), StoreError> {
    let protected = matches!(
        before.population_type,
        Some(PopulationType::REF | PopulationType::OIP | PopulationType::STA)
    );
    if protected && after.population_type != before.population_type {
        return Err(StoreError::Refused(
            "the population type shows protection recognised or statelessness found: it changes through a procedure, not by editing".into(),
        ));
    }
    if let Some(f) = before
        .profile_flags
        .iter()
        .find(|f| protective(f) && !after.profile_flags.contains(f))
    {
        return Err(StoreError::Refused(format!(
            "the flag {} protects the person: it is not removed by editing",
            serde_json::to_value(f)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        )));
    }
    Ok(())
}
