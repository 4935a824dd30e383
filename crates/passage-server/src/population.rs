//! The population this server counts in memory (`passage_stats::population`), loaded on
//! the first population table asked for and brought up to date from the store's change
//! feed before every count, so a table counts every write committed before it was asked
//! for, on this server or any other.
//!
//! # Invariants
//!
//! - One count at a time: the feed is read and counted under one lock, so a count never
//!   sees half a page of changes.
//! - The feed is read again from [`FEED_OVERLAP`] behind the newest change seen; a row
//!   read twice is written twice, to the same effect (the feed gives rows as they are
//!   now, not changes).

use std::collections::HashSet;

use passage_domain::access::Principal;
use passage_domain::age::brackets::Brackets;
use passage_stats::population::{Breakdown, Counted, Group, PopulationIndex, Question};
use passage_store::{CountedPerson, Store, StoreError};
use time::{Date, OffsetDateTime};
use tokio::sync::Mutex;
use uuid::Uuid;

/// How far behind the newest change the feed is read again before a count: rows are
/// stamped when a request is made, and commit a little later, so a write stamped earlier
/// can appear after a later one. Re-reading a row counts it the same way again.
const FEED_OVERLAP: std::time::Duration = std::time::Duration::from_secs(60);

const PAGE: u32 = 20_000;

/// The index and how far the feed has been read.
#[derive(Debug, Default)]
struct Followed {
    index: PopulationIndex,
    newest: Option<(OffsetDateTime, Uuid)>,
}

/// The population counted in memory.
#[derive(Debug, Default)]
pub struct Population {
    followed: Mutex<Followed>,
}

/// What a population count asks for.
#[derive(Debug, Clone)]
pub struct Ask {
    /// The reference day: people registered by its end, ages on it.
    pub date: Date,
    pub registered_by: OffsetDateTime,
    pub brackets: Brackets,
    pub by: Breakdown,
}

fn day(d: Date) -> i32 {
    d.to_julian_day()
}

impl Followed {
    fn apply(&mut self, page: &[CountedPerson]) {
        for p in page {
            self.newest = self.newest.max(Some((p.updated_at, p.id)));
            let id = p.id.as_u128();
            if !p.counted {
                self.index.remove(id);
                continue;
            }
            let site = p.site_id.to_string();
            self.index.upsert(
                id,
                &Counted {
                    site: &site,
                    organisation: p.organisation_id.as_deref(),
                    population_type: p.population_type.as_deref(),
                    sex: &p.sex,
                    nationality: p.nationality.as_deref(),
                    born_on: p.born_on.map(day),
                    registered_at: p.registered_at.unix_timestamp(),
                },
            );
        }
    }
}

impl Population {
    /// Reads every person (or every change since the last read), telling `progress` how
    /// many rows were read so far.
    pub async fn load(
        &self,
        store: &Store,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<usize, StoreError> {
        let mut followed = self.followed.lock().await;
        Self::catch_up(&mut followed, store, progress).await
    }

    /// Reads every change since the last read; returns how many rows were read.
    async fn catch_up(
        followed: &mut Followed,
        store: &Store,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Result<usize, StoreError> {
        let operator = Principal::operator(OffsetDateTime::now_utc());
        let mut after = followed
            .newest
            .map(|(at, _)| (at - FEED_OVERLAP, Uuid::nil()));
        let mut read = 0;
        loop {
            let page = store.population_feed(&operator, after, PAGE).await?;
            read += page.len();
            followed.apply(&page);
            progress(read);
            after = page.last().map(|p| (p.updated_at, p.id)).or(after);
            if page.len() < PAGE as usize {
                return Ok(read);
            }
        }
    }

    /// The persons registered one by one that `p` may count, as `ask` breaks them down,
    /// by site id. People of households still at level 1 are not here: see
    /// [`Store::breakdown_counts`].
    pub async fn count(
        &self,
        store: &Store,
        p: &Principal,
        ask: &Ask,
    ) -> Result<Vec<Group>, StoreError> {
        let organisations = store.counted_organisations(p).await?;
        let disabled: Option<HashSet<u128>> = if ask.by.disability {
            Some(
                store
                    .persons_with_disability(p)
                    .await?
                    .iter()
                    .map(Uuid::as_u128)
                    .collect(),
            )
        } else {
            None
        };
        let cuts: Vec<i32> = ask.brackets.cuts(ask.date).into_iter().map(day).collect();
        let orgs: Option<Vec<&str>> = organisations
            .as_ref()
            .map(|o| o.iter().map(String::as_str).collect());
        let mut followed = self.followed.lock().await;
        Self::catch_up(&mut followed, store, &|_| {}).await?;
        Ok(followed.index.count(&Question {
            registered_by: ask.registered_by.unix_timestamp(),
            reference: day(ask.date),
            cuts: &cuts,
            organisations: orgs.as_deref(),
            by: ask.by,
            disabled: disabled.as_ref(),
        }))
    }
}
