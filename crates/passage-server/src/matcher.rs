//! The live candidate index of a server: every person, loaded at start, kept current
//! from the store's change feed (this server's writes and every other server's on the
//! same database), and asked for candidates at registration.
//!
//! # Invariants
//!
//! - Readers hold the read lock for a whole query: they see one state of the index.
//! - The feed is read with an overlap of [`FEED_OVERLAP`] behind the newest change
//!   seen, so a write that committed late with an earlier timestamp is not missed; a
//!   person already indexed at the same version is skipped.
//! - Candidates are only ever returned through the store's visibility rules: the index
//!   knows everyone, a caller sees only whom they may.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError, RwLock};
use std::time::Duration;

use passage_domain::access::Principal;
use passage_domain::age::DobPrecision;
use passage_domain::duplicates::FieldScore;
use passage_domain::person::{PersonDetails, Sex};
use passage_match::batch::{self, Options};
use passage_match::score::{BirthDate, Scored, Sex as MatchSex};
use passage_match::{Found, Index, PersonFields, Prepared, prepare};
use passage_store::{FeedEntry, Store, StoreError};
use time::OffsetDateTime;
use uuid::Uuid;

/// How far behind the newest change the feed is read again.
pub const FEED_OVERLAP: Duration = Duration::from_secs(1);
/// How often the feed is polled.
pub const FEED_INTERVAL: Duration = Duration::from_millis(250);
/// A candidate at or above this probability is a likely duplicate: registering anyway
/// needs a recorded decision.
pub const LIKELY: f64 = 0.9;
/// Candidates at or above this probability are shown to the clerk.
pub const SHOWN: f64 = 0.2;
/// Pairs at or above this probability belong in the review queue; an open item below
/// it (after an edit) closes itself.
pub const REVIEW_FROM: f64 = 0.5;
const PAGE: u32 = 5_000;

/// The matching fields of a registered person.
pub fn fields(d: &PersonDetails) -> PersonFields {
    let full: Vec<&str> = d.other_names.iter().map(String::as_str).collect();
    PersonFields {
        given: d.given_name.clone(),
        family: d.family_name.clone(),
        full: (!full.is_empty()).then(|| {
            [d.given_name.as_deref(), d.family_name.as_deref()]
                .into_iter()
                .flatten()
                .chain(full)
                .collect::<Vec<_>>()
                .join(" ")
        }),
        original: d.original_name.as_ref().map(|o| o.text.clone()),
        sex: match d.sex {
            Sex::F => Some(MatchSex::Female),
            Sex::M => Some(MatchSex::Male),
            Sex::X => Some(MatchSex::Other),
            Sex::U => None,
        },
        birth: d.date_of_birth.map(|b| {
            let exact = b.precision == DobPrecision::Exact;
            BirthDate {
                year: Some(b.date.year()),
                month: exact.then_some(b.date.month() as u8),
                day: exact.then_some(b.date.day()),
                estimated: b.precision == DobPrecision::Estimated,
            }
        }),
        nationalities: d
            .nationalities
            .iter()
            .map(|n| n.code().to_owned())
            .collect(),
        origin: d.place_of_origin.clone(),
        documents: Vec::new(),
        phone: d.contact.as_ref().and_then(|c| c.phone.clone()),
        address: d.contact.as_ref().and_then(|c| c.address.clone()),
    }
}

/// A score as the API shows it.
pub fn field_scores(s: &Scored) -> Vec<FieldScore> {
    s.fields
        .iter()
        .map(|f| FieldScore {
            field: f.field.as_str().to_owned(),
            level: f.level.to_owned(),
            weight: (f.weight * 100.0).round() / 100.0,
            explanation: f.explanation.clone(),
        })
        .collect()
}

struct Feed {
    /// The newest change seen, and its person.
    newest: Option<(OffsetDateTime, Uuid)>,
    versions: HashMap<Uuid, i64>,
}

/// The index and how far the feed has been read.
pub struct Matcher {
    index: RwLock<Index<Uuid>>,
    feed: Mutex<Feed>,
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher").finish_non_exhaustive()
    }
}

fn operator() -> Principal {
    Principal::operator(OffsetDateTime::now_utc())
}

impl Matcher {
    /// Loads every person from the store and learns the model from them.
    pub async fn load(store: &Store) -> Result<Self, StoreError> {
        let mut entries: Vec<FeedEntry> = Vec::new();
        let mut after = None;
        loop {
            let page = store.match_feed(&operator(), after, PAGE).await?;
            let full = page.len() == PAGE as usize;
            after = page.last().map(|e| (e.updated_at, e.id)).or(after);
            entries.extend(page);
            if !full {
                break;
            }
        }
        let live: Vec<&FeedEntry> = entries.iter().filter(|e| !e.gone).collect();
        let persons: Vec<PersonFields> = live.iter().map(|e| fields(&e.details)).collect();
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        let prepared = batch::prepare_all(&persons, threads, &|_, _, _| {});
        let model = batch::learn(
            &prepared,
            &Options {
                threads,
                ..Options::default()
            },
        );
        let mut index = Index::new(model);
        for (e, p) in live.iter().zip(prepared) {
            index.upsert(e.id, p);
        }
        let feed = Feed {
            newest: entries.iter().map(|e| (e.updated_at, e.id)).max(),
            versions: entries.iter().map(|e| (e.id, e.version)).collect(),
        };
        tracing::info!(persons = index.len(), "candidate index loaded");
        Ok(Self {
            index: RwLock::new(index),
            feed: Mutex::new(feed),
        })
    }

    pub fn len(&self) -> usize {
        self.index.read().map_or(0, |i| i.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Reads the changes since the last read into the index.
    pub async fn refresh(&self, store: &Store) -> Result<usize, StoreError> {
        let newest = self.feed.lock().map_or(None, |f| f.newest);
        let mut after = newest.map(|(at, _)| (at - FEED_OVERLAP, Uuid::nil()));
        let mut applied = 0;
        loop {
            let page = store.match_feed(&operator(), after, PAGE).await?;
            let full = page.len() == PAGE as usize;
            after = page.last().map(|e| (e.updated_at, e.id)).or(after);
            applied += self.apply(page);
            if !full {
                break;
            }
        }
        Ok(applied)
    }

    fn apply(&self, page: Vec<FeedEntry>) -> usize {
        let (Ok(mut feed), Ok(mut index)) = (self.feed.lock(), self.index.write()) else {
            return 0;
        };
        let mut applied = 0;
        for e in page {
            feed.newest = feed.newest.max(Some((e.updated_at, e.id)));
            if feed.versions.get(&e.id).is_some_and(|v| *v >= e.version) {
                continue;
            }
            feed.versions.insert(e.id, e.version);
            if e.gone {
                index.remove(&e.id);
            } else {
                index.upsert(e.id, prepare(&fields(&e.details)));
            }
            applied += 1;
        }
        applied
    }

    /// Puts a person this server just saved in the index at once, without waiting for
    /// the feed.
    pub fn note(&self, id: Uuid, version: i64, details: &PersonDetails) {
        self.note_prepared(id, version, prepare(&fields(details)));
    }

    /// [`Matcher::note`] for a person already prepared (a bulk load prepares each once).
    pub fn note_prepared(&self, id: Uuid, version: i64, prepared: Prepared) {
        let (Ok(mut feed), Ok(mut index)) = (self.feed.lock(), self.index.write()) else {
            return;
        };
        if feed.versions.get(&id).is_some_and(|v| *v >= version) {
            return;
        }
        feed.versions.insert(id, version);
        index.upsert(id, prepared);
    }

    /// The persons most like `details`, best first, leaving out `skip`. Visibility is
    /// the caller's business (see the module invariants).
    pub fn candidates(
        &self,
        details: &PersonDetails,
        limit: usize,
        skip: impl Fn(&Uuid) -> bool,
    ) -> Vec<Found<Uuid>> {
        self.candidates_prepared(&prepare(&fields(details)), limit, skip)
    }

    /// [`Matcher::candidates`] for a probe already prepared.
    pub fn candidates_prepared(
        &self,
        probe: &Prepared,
        limit: usize,
        skip: impl Fn(&Uuid) -> bool,
    ) -> Vec<Found<Uuid>> {
        let Ok(index) = self.index.read() else {
            return Vec::new();
        };
        index.candidates(probe, limit, skip)
    }

    /// An empty index scored by the live model: where a batch keeps the persons it is
    /// about to register, so that each is matched against the earlier ones too.
    pub fn scratch<K: Clone + Eq + std::hash::Hash>(&self) -> Index<K> {
        let index = self.index.read().unwrap_or_else(PoisonError::into_inner);
        Index::new(index.model().clone())
    }

    /// How alike two persons are by the current model, neither of them indexed (a person
    /// sought by a family against another family's request, say).
    pub fn compare(&self, a: &PersonDetails, b: &PersonDetails) -> Option<Scored> {
        let index = self.index.read().ok()?;
        let (a, b) = (prepare(&fields(a)), prepare(&fields(b)));
        Some(index.model().score(&a.candidate, &b.candidate))
    }

    /// The match probability of two indexed persons (None when either is not indexed:
    /// merged away or erased).
    pub fn probability(&self, a: &Uuid, b: &Uuid) -> Option<f64> {
        let index = self.index.read().ok()?;
        index.score(a, b).map(|s| s.probability)
    }

    /// Polls the feed every [`FEED_INTERVAL`] until the returned task is aborted.
    pub fn spawn_refresh(self: std::sync::Arc<Self>, store: Store) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(FEED_INTERVAL);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
            loop {
                tick.tick().await;
                if let Err(e) = self.refresh(&store).await {
                    tracing::warn!(error = %e, "candidate index refresh failed");
                }
            }
        })
    }
}
