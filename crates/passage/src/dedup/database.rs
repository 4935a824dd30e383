//! `passage dedup` over the database: every registered person against every other,
//! pairs that look alike put in the review queue (most probable first when listed),
//! pairs already decided left out, and open review items whose persons no longer look
//! alike (an edit since) closed.

use std::collections::HashMap;

use passage_domain::access::Principal;
use passage_domain::duplicates::ReviewStatus;
use passage_match::batch::{self, Options};
use passage_server::matcher::{REVIEW_FROM, field_scores, fields};
use passage_store::{FeedEntry, NewReview, Store};
use time::OffsetDateTime;
use uuid::Uuid;

use super::progress::Bar;

const PAGE: u32 = 5_000;
const QUEUE_CHUNK: usize = 500;

fn operator() -> Principal {
    Principal::operator(OffsetDateTime::now_utc())
}

pub async fn run(store: &Store, threads: usize) -> anyhow::Result<()> {
    let bar = Bar::new();
    bar.message("reading registered persons");
    let mut entries: Vec<FeedEntry> = Vec::new();
    let mut after = None;
    loop {
        let page = store.match_feed(&operator(), after, PAGE).await?;
        let full = page.len() == PAGE as usize;
        after = page.last().map(|e| (e.updated_at, e.id)).or(after);
        entries.extend(page.into_iter().filter(|e| !e.gone));
        if !full {
            break;
        }
    }
    let ids: Vec<Uuid> = entries.iter().map(|e| e.id).collect();
    let persons: Vec<_> = entries.iter().map(|e| fields(&e.details)).collect();
    drop(entries);
    let progress = |stage: batch::Stage, done: usize, total: usize| bar.update(stage, done, total);
    let records = batch::prepare_all(&persons, threads, &progress);
    let options = Options {
        threshold: REVIEW_FROM,
        keep_from: REVIEW_FROM,
        threads,
        ..Options::default()
    };
    let outcome = batch::run(&records, &options, &progress);
    bar.finish();
    let decided: std::collections::HashSet<(Uuid, Uuid)> = store
        .decided_pairs(&operator())
        .await?
        .into_iter()
        .collect();
    let mut items: Vec<NewReview> = outcome
        .pairs
        .iter()
        .filter_map(|p| {
            let (a, b) = (ids[p.a as usize], ids[p.b as usize]);
            let pair = (a.min(b), a.max(b));
            (!decided.contains(&pair)).then(|| NewReview {
                person_a: pair.0,
                person_b: pair.1,
                probability: p.probability,
                fields: field_scores(&outcome.model.score(
                    &records[p.a as usize].candidate,
                    &records[p.b as usize].candidate,
                )),
                found_by: "batch",
            })
        })
        .collect();
    items.sort_by(|x, y| y.probability.total_cmp(&x.probability));
    let found = items.len();
    let mut added = 0;
    while !items.is_empty() {
        let rest = items.split_off(items.len().min(QUEUE_CHUNK));
        added += store.queue_reviews(&operator(), items).await?;
        items = rest;
    }
    // Open items whose persons no longer look alike close themselves.
    let position: HashMap<Uuid, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    let open = store
        .reviews(&operator(), ReviewStatus::Open, None, u32::MAX)
        .await?;
    let stale: Vec<Uuid> = open
        .iter()
        .filter(
            |r| match (position.get(&r.person_a), position.get(&r.person_b)) {
                (Some(&a), Some(&b)) => {
                    outcome
                        .model
                        .score(&records[a].candidate, &records[b].candidate)
                        .probability
                        < REVIEW_FROM
                }
                // Merged away or erased since: nothing left to review.
                _ => true,
            },
        )
        .map(|r| r.id)
        .collect();
    let closed = stale.len();
    store
        .close_reviews(
            &operator(),
            stale,
            "no longer alike: a record was changed, merged or erased".to_owned(),
        )
        .await?;
    println!(
        "{} persons, {} pairs compared, {found} alike at or above {REVIEW_FROM} and not decided, \
         {added} new in the review queue, {closed} review items closed",
        records.len(),
        outcome.compared
    );
    Ok(())
}
