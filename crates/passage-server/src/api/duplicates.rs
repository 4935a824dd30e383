//! Duplicates: candidates for a person (registered or about to be), the review queue,
//! and decisions on pairs (merge, link, not a duplicate) with undo.

use std::collections::HashSet;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use passage_domain::access::{Action, Principal, Resource};
use passage_domain::duplicates::{Decision, FieldScore, NewDecision, ReviewItem, ReviewStatus};
use passage_domain::person::PersonDetails;
use passage_domain::regno::RegistrationNumber;
use passage_match::{Prepared, prepare};
use passage_store::NewReview;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::DEFAULT_LIMIT;
use crate::AppState;
use crate::auth::Caller;
use crate::extract::{Body, Id, Query};
use crate::matcher::{LIKELY, REVIEW_FROM, SHOWN, field_scores, fields};
use crate::problem::{ApiError, Problem};

/// Most candidates shown for one person.
pub const MAX_CANDIDATES: usize = 10;

/// A person already registered who looks like the one in question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Candidate {
    pub person_id: Uuid,
    #[schema(value_type = String, example = "PDE-000002-K")]
    pub registration_number: RegistrationNumber,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    /// The match probability.
    pub probability: f64,
    /// At or above the likely threshold: registering anyway needs a decision.
    pub likely: bool,
    /// What each field contributed.
    pub fields: Vec<FieldScore>,
}

/// Candidates at or above `at_least` the caller may see, best first; and the likely
/// ones the caller may not see (another organisation's registrations), as ids, for
/// the review queue. Each candidate shown is read through the store, so the caller's
/// visibility applies and the read is audited.
pub async fn candidates_for(
    app: &AppState,
    p: &Principal,
    details: &PersonDetails,
    skip: &HashSet<Uuid>,
    at_least: f64,
) -> Result<(Vec<Candidate>, Vec<(Uuid, f64, Vec<FieldScore>)>), ApiError> {
    let probe = prepare(&fields(details));
    candidates_for_prepared(app, p, &probe, skip, at_least).await
}

/// [`candidates_for`] a person already prepared for matching.
pub async fn candidates_for_prepared(
    app: &AppState,
    p: &Principal,
    probe: &Prepared,
    skip: &HashSet<Uuid>,
    at_least: f64,
) -> Result<(Vec<Candidate>, Vec<(Uuid, f64, Vec<FieldScore>)>), ApiError> {
    let found = app
        .matcher
        .candidates_prepared(probe, MAX_CANDIDATES, |id| skip.contains(id));
    let mut shown = Vec::new();
    let mut hidden = Vec::new();
    for f in found
        .into_iter()
        .filter(|f| f.scored.probability >= at_least)
    {
        let fields = field_scores(&f.scored);
        match app.store.person(p, f.id).await {
            Ok(Some(person)) => shown.push(Candidate {
                person_id: person.meta.id,
                registration_number: person.registration_number,
                given_name: person.details.given_name,
                family_name: person.details.family_name,
                probability: f.scored.probability,
                likely: f.scored.probability >= LIKELY,
                fields,
            }),
            Ok(None) if f.scored.probability >= LIKELY => {
                hidden.push((f.id, f.scored.probability, fields));
            }
            Ok(None) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok((shown, hidden))
}

/// Puts likely duplicates the registering clerk could not see in the review queue, for
/// someone who can see both.
pub async fn queue_hidden(
    app: &AppState,
    person: Uuid,
    hidden: Vec<(Uuid, f64, Vec<FieldScore>)>,
) -> Result<(), ApiError> {
    if hidden.is_empty() {
        return Ok(());
    }
    let items = hidden
        .into_iter()
        .map(|(other, probability, fields)| NewReview {
            person_a: person,
            person_b: other,
            probability,
            fields,
            found_by: "registration",
        })
        .collect();
    app.store
        .queue_reviews(&Principal::operator(app.clock.now()), items)
        .await?;
    Ok(())
}

/// A person about to be registered.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    pub person: PersonDetails,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateList {
    pub candidates: Vec<Candidate>,
}

/// Who is already registered that looks like this person? Ask before registering: a
/// likely duplicate needs a decision.
#[utoipa::path(post, path = "/api/v1/duplicates/check", tag = "duplicates", request_body = CheckRequest,
    responses((status = 200, body = CandidateList), (status = 422, body = Problem)))]
pub async fn check(
    State(app): State<AppState>,
    Caller(p): Caller,
    Body(req): Body<CheckRequest>,
) -> Result<Json<CandidateList>, ApiError> {
    p.require(Action::Read, Resource::Duplicate)?;
    let details = req.person.validated(app.clock.today())?;
    let (candidates, _) = candidates_for(&app, &p, &details, &HashSet::new(), SHOWN).await?;
    Ok(Json(CandidateList { candidates }))
}

/// Registered persons who look like this one, leaving out pairs already decided.
#[utoipa::path(get, path = "/api/v1/persons/{id}/candidates", tag = "duplicates", params(("id" = Uuid, Path)),
    responses((status = 200, body = CandidateList), (status = 404, body = Problem)))]
pub async fn of_person(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
) -> Result<Json<CandidateList>, ApiError> {
    p.require(Action::Read, Resource::Duplicate)?;
    let person = app
        .store
        .person(&p, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("person {id}")))?;
    let mut skip: HashSet<Uuid> = HashSet::from([id]);
    for d in app.store.decisions(&p, id).await?.unwrap_or_default() {
        if d.undone_at.is_none() {
            skip.insert(if d.person_a == id {
                d.person_b
            } else {
                d.person_a
            });
        }
    }
    let (candidates, _) = candidates_for(&app, &p, &person.details, &skip, SHOWN).await?;
    Ok(Json(CandidateList { candidates }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewQuery {
    /// open (the default), decided or closed.
    pub status: Option<ReviewStatus>,
    pub person_id: Option<Uuid>,
    /// At most this many items; larger values are reduced to the page size.
    #[param(value_type = Option<u64>, maximum = 4_294_967_295.0)]
    pub limit: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewList {
    pub items: Vec<ReviewItem>,
}

/// The review queue: pairs that look alike, most probable first.
#[utoipa::path(get, path = "/api/v1/duplicates/reviews", tag = "duplicates", params(ReviewQuery),
    responses((status = 200, body = ReviewList)))]
pub async fn reviews(
    State(app): State<AppState>,
    Caller(p): Caller,
    Query(q): Query<ReviewQuery>,
) -> Result<Json<ReviewList>, ApiError> {
    let limit = q.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, 500);
    let items = app
        .store
        .reviews(
            &p,
            q.status.unwrap_or(ReviewStatus::Open),
            q.person_id,
            limit,
        )
        .await?;
    Ok(Json(ReviewList { items }))
}

/// Decide on a pair: merge (person_b into person_a), link, or not a duplicate.
#[utoipa::path(post, path = "/api/v1/duplicates/decisions", tag = "duplicates", request_body = NewDecision,
    responses((status = 201, body = Decision), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn decide(
    State(app): State<AppState>,
    Caller(p): Caller,
    Body(d): Body<NewDecision>,
) -> Result<(StatusCode, Json<Decision>), ApiError> {
    let decision = app.store.record_decision(&p, d).await?;
    app.matcher.refresh(&app.store).await?;
    Ok((StatusCode::CREATED, Json(decision)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Undo {
    pub reason: String,
}

/// Undo a decision: unmerge restores the merged record exactly.
#[utoipa::path(post, path = "/api/v1/duplicates/decisions/{id}/undo", tag = "duplicates", params(("id" = Uuid, Path)),
    request_body = Undo,
    responses((status = 200, body = Decision), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn undo(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
    Body(u): Body<Undo>,
) -> Result<Json<Decision>, ApiError> {
    let decision = app.store.undo_decision(&p, id, u.reason).await?;
    app.matcher.refresh(&app.store).await?;
    Ok(Json(decision))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionList {
    pub decisions: Vec<Decision>,
}

/// Every decision on a person, newest first.
#[utoipa::path(get, path = "/api/v1/persons/{id}/decisions", tag = "duplicates", params(("id" = Uuid, Path)),
    responses((status = 200, body = DecisionList), (status = 404, body = Problem)))]
pub async fn decisions(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
) -> Result<Json<DecisionList>, ApiError> {
    let decisions = app
        .store
        .decisions(&p, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("person {id}")))?;
    Ok(Json(DecisionList { decisions }))
}

/// What the registration guard found for the persons of one registration, in order.
pub struct Guarded {
    /// Per person: the visible candidates the clerk declared other people.
    declared: Vec<Vec<Uuid>>,
    /// Per person: likely candidates the clerk may not see.
    hidden: Vec<Vec<(Uuid, f64, Vec<FieldScore>)>>,
    reason: String,
}

impl Guarded {
    /// Likely duplicates registered by organisations the clerk cannot see: queued for
    /// review once the registration is saved.
    pub fn queued(&self) -> usize {
        self.hidden.iter().map(Vec::len).sum()
    }
}

/// The rule at registration: a person with a likely duplicate the clerk can see is
/// saved only when the clerk has declared that candidate another person
/// (`not_duplicates`); otherwise the request is refused with the candidates and why.
pub async fn guard(
    app: &AppState,
    p: &Principal,
    persons: &[&PersonDetails],
    not_duplicates: Option<&passage_domain::household::NotDuplicates>,
) -> Result<Guarded, ApiError> {
    let probes: Vec<Prepared> = persons.iter().map(|d| prepare(&fields(d))).collect();
    guard_prepared(app, p, &probes, not_duplicates).await
}

/// [`guard`] for persons already prepared for matching.
pub async fn guard_prepared(
    app: &AppState,
    p: &Principal,
    probes: &[Prepared],
    not_duplicates: Option<&passage_domain::household::NotDuplicates>,
) -> Result<Guarded, ApiError> {
    let declared_ids: HashSet<Uuid> = not_duplicates
        .map(|n| n.person_ids.iter().copied().collect())
        .unwrap_or_default();
    let reason = match not_duplicates {
        Some(n) => {
            let mut problems = passage_domain::error::Problems::new();
            let r = passage_domain::duplicates::validated_reason(
                &mut problems,
                "not_duplicates.reason",
                &n.reason,
            );
            problems.finish(r)?
        }
        None => String::new(),
    };
    let mut refused = Vec::new();
    let mut guarded = Guarded {
        declared: Vec::new(),
        hidden: Vec::new(),
        reason,
    };
    for probe in probes {
        // Only likely candidates can stop a registration: only they are read.
        let (likely, hidden) =
            candidates_for_prepared(app, p, probe, &HashSet::new(), LIKELY).await?;
        let mut declared = Vec::new();
        for c in likely {
            if declared_ids.contains(&c.person_id) {
                declared.push(c.person_id);
            } else {
                refused.push(c);
            }
        }
        guarded.declared.push(declared);
        guarded.hidden.push(hidden);
    }
    if !refused.is_empty() {
        refused.sort_by(|a, b| b.probability.total_cmp(&a.probability));
        let numbers: Vec<String> = refused
            .iter()
            .map(|c| c.registration_number.to_string())
            .collect();
        return Err(ApiError::LikelyDuplicate(
            format!(
                "likely already registered as {}: check the candidates; if they are other \
                 people, send their ids in not_duplicates with the reason",
                numbers.join(", ")
            ),
            refused,
        ));
    }
    Ok(guarded)
}

/// After a guarded registration is saved (`ids` in the order the persons were given):
/// puts the new persons in the index, remembers the not-a-duplicate decisions and
/// queues the hidden likely pairs.
pub async fn after_save(
    app: &AppState,
    p: &Principal,
    guarded: Guarded,
    persons: &[&PersonDetails],
    ids: &[Uuid],
) -> Result<(), ApiError> {
    let probes = persons.iter().map(|d| prepare(&fields(d))).collect();
    after_save_prepared(app, p, guarded, probes, ids).await
}

/// [`after_save`] for persons already prepared for matching.
pub async fn after_save_prepared(
    app: &AppState,
    p: &Principal,
    guarded: Guarded,
    probes: Vec<Prepared>,
    ids: &[Uuid],
) -> Result<(), ApiError> {
    for (id, probe) in ids.iter().zip(probes) {
        app.matcher.note_prepared(*id, 1, probe);
    }
    for ((id, declared), hidden) in ids.iter().zip(guarded.declared).zip(guarded.hidden) {
        for other in declared {
            app.store
                .record_decision(
                    p,
                    NewDecision {
                        person_a: *id,
                        person_b: other,
                        decision: passage_domain::duplicates::DecisionKind::NotDuplicate,
                        reason: guarded.reason.clone(),
                    },
                )
                .await?;
        }
        queue_hidden(app, *id, hidden).await?;
    }
    Ok(())
}

/// Closes the open review items of a person who, after an edit, no longer looks like
/// the other person of the pair.
pub async fn close_unalike(app: &AppState, person: Uuid) -> Result<(), ApiError> {
    let operator = Principal::operator(app.clock.now());
    let open = app
        .store
        .reviews(&operator, ReviewStatus::Open, Some(person), 500)
        .await?;
    let stale: Vec<Uuid> = open
        .iter()
        .filter(|r| {
            app.matcher
                .probability(&r.person_a, &r.person_b)
                .is_none_or(|p| p < REVIEW_FROM)
        })
        .map(|r| r.id)
        .collect();
    app.store
        .close_reviews(&operator, stale, "no longer alike after an edit".to_owned())
        .await?;
    Ok(())
}
