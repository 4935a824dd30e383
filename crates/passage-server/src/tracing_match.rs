//! Candidates for a tracing request, from the matching engine: registered persons,
//! other families' requests for the same person (another organisation's shown only as
//! whose it is, with the score), and incidents near the last sighting.

use passage_domain::access::Principal;
use passage_domain::care::records::{MatchKind, TracingMatch};
use passage_domain::care::tracing::TracingRequestDetails;
use passage_match::score::Scored;
use passage_store::{Store, StoreError};
use time::Duration;

use crate::matcher::{Matcher, SHOWN, field_scores};

/// Most candidates of each kind kept for a request.
const MAX_CANDIDATES: usize = 10;
/// An incident within this many days of the last sighting may be where the person was lost.
const INCIDENT_WINDOW_DAYS: i64 = 30;

/// The fields that agreed, in words, strongest first.
fn explain(s: &Scored) -> String {
    let mut fields = field_scores(s);
    fields.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    fields
        .iter()
        .filter(|f| f.weight > 0.0)
        .map(|f| format!("{}: {}", f.field, f.explanation))
        .collect::<Vec<_>>()
        .join("; ")
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 2)
        .map(str::to_lowercase)
        .collect()
}

/// Every candidate for a tracing request: registered persons the caller can see, other
/// families' open requests, incidents near the last sighting; best first within each kind.
pub async fn candidates(
    store: &Store,
    matcher: &Matcher,
    p: &Principal,
    d: &TracingRequestDetails,
) -> Result<Vec<TracingMatch>, StoreError> {
    let sought = d.sought.as_person();
    let mut out = Vec::new();
    let found: Vec<_> = matcher
        .candidates(&sought, MAX_CANDIDATES, |_| false)
        .into_iter()
        .filter(|f| f.scored.probability >= SHOWN)
        .collect();
    let ids: Vec<_> = found.iter().map(|f| f.id).collect();
    let visible = store.visible_persons(p, &ids).await?;
    out.extend(
        found
            .iter()
            .filter(|f| visible.contains(&f.id))
            .map(|f| TracingMatch {
                kind: MatchKind::Person,
                id: f.id,
                probability: f.scored.probability,
                explanation: explain(&f.scored),
            }),
    );
    // Another organisation's request: whose it is and the score, never what it says.
    let mut requests: Vec<TracingMatch> = Vec::new();
    for other in store.open_tracing_requests(p).await? {
        if let Some(s) = matcher.compare(&sought, &other.details.sought.as_person())
            && s.probability >= SHOWN
        {
            let found = TracingMatch {
                kind: MatchKind::Request,
                id: other.id,
                probability: s.probability,
                explanation: explain(&s),
            };
            requests.push(found.seen_by(
                p.organisation_id,
                other.organisation_id,
                &other.organisation,
            ));
        }
    }
    requests.sort_by(|a, b| b.probability.total_cmp(&a.probability));
    out.extend(requests.into_iter().take(MAX_CANDIDATES));
    let place = d.last_seen_place.as_deref().map(words).unwrap_or_default();
    // Incidents only for those who may read them.
    let incidents = match store.incidents(p, 10_000).await {
        Ok(i) => i,
        Err(StoreError::Forbidden(_)) => Vec::new(),
        Err(e) => return Err(e),
    };
    for incident in incidents {
        let named = d.incident_id == Some(incident.meta.id);
        let near_in_time = d.last_seen_on.is_some_and(|seen| {
            (incident.details.occurred_on - seen).abs() <= Duration::days(INCIDENT_WINDOW_DAYS)
        });
        let text = [
            incident.details.location.as_deref(),
            incident.details.route.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
        let same_place = words(&text).iter().any(|w| place.contains(w));
        if named || (near_in_time && same_place) {
            out.push(TracingMatch {
                kind: MatchKind::Incident,
                id: incident.meta.id,
                probability: if named { 1.0 } else { 0.5 },
                explanation: if named {
                    "named by the requester".into()
                } else {
                    format!(
                        "{} near the last sighting, in time and place",
                        incident.details.kind.code()
                    )
                },
            });
        }
    }
    Ok(out)
}
