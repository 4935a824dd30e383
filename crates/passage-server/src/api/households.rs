//! `/api/v1/households`: level-1 registration of a whole household, then its members.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use passage_domain::access::{Action, Principal, Resource};
use passage_domain::error::Problems;
use passage_domain::household::{Breakdown, GroupKind, HouseholdRegistration, MemberDetails};
use passage_domain::person::{PersonDetails, RegistrationLevel};
use passage_domain::record::Household;
use passage_match::{Index, Prepared, prepare};
use passage_store::{HouseholdFilter, Page};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{DEFAULT_LIMIT, created, duplicates, prefixed};
use crate::AppState;
use crate::auth::Caller;
use crate::extract::{Body, Id, Query};
use crate::matcher::{LIKELY, fields};
use crate::problem::{ApiError, Problem};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HouseholdQuery {
    pub site_id: Option<Uuid>,
    pub arrival_id: Option<Uuid>,
    #[param(minimum = 1, maximum = 3)]
    pub registration_level: Option<u8>,
    pub cursor: Option<String>,
    /// At most this many items; larger values are reduced to the page size.
    #[param(value_type = Option<u64>, maximum = 4_294_967_295.0)]
    pub limit: Option<u32>,
}

/// Corrections to a household's kind, size or counts.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HouseholdPatch {
    pub version: i64,
    pub kind: Option<GroupKind>,
    pub size: Option<u32>,
    pub breakdown: Option<Breakdown>,
}

/// Members to register individually in an existing household.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddMembers {
    pub version: i64,
    pub members: Vec<MemberDetails>,
    /// Likely duplicates the clerk checked and found to be other people.
    pub not_duplicates: Option<passage_domain::household::NotDuplicates>,
}

/// Register a household: at level 1 its head, size and counts by sex and age; with
/// `members`, every individual (level 2). Nothing is saved unless all of it is valid.
#[utoipa::path(post, path = "/api/v1/households", tag = "households", request_body = HouseholdRegistration,
    responses((status = 201, body = Household), (status = 422, body = Problem)))]
pub async fn create(
    State(app): State<AppState>,
    Caller(p): Caller,
    Body(registration): Body<HouseholdRegistration>,
) -> Result<(StatusCode, HeaderMap, Json<Household>), ApiError> {
    let household = register(&app, &p, registration).await?;
    let (status, headers) = created(format!("/api/v1/households/{}", household.meta.id));
    Ok((status, headers, Json(household)))
}

/// Registers a household as `POST /api/v1/households` does: validation, the permission
/// check, the duplicate guard, then the store. Field submissions register through here.
pub async fn register(
    app: &AppState,
    p: &Principal,
    registration: HouseholdRegistration,
) -> Result<Household, ApiError> {
    let not_duplicates = registration.not_duplicates.clone();
    let valid = registration.validated(app.clock.today())?;
    // Who may not register learns nothing of who is registered.
    p.require(Action::Create, Resource::Household)?;
    let persons: Vec<&PersonDetails> = std::iter::once(&valid.head)
        .chain(valid.members.iter().map(|m| &m.person))
        .collect();
    let guarded = duplicates::guard(app, p, &persons, not_duplicates.as_ref()).await?;
    let household = app.store.register_household(p, valid.clone()).await?;
    let ids: Vec<Uuid> = household.members.iter().map(|m| m.person_id).collect();
    let persons: Vec<&PersonDetails> = std::iter::once(&valid.head)
        .chain(valid.members.iter().map(|m| &m.person))
        .collect();
    duplicates::after_save(app, p, guarded, &persons, &ids).await?;
    Ok(household)
}

/// What became of one registration of a batch ([`register_many`]).
#[derive(Debug)]
pub enum Settled {
    /// Registered (with `save` false: it would be). `queued` likely duplicates registered
    /// by organisations the caller cannot see went to the review queue.
    Passed {
        household: Option<Box<Household>>,
        queued: usize,
    },
    /// Not registered: invalid, or likely someone already registered.
    Refused(ApiError),
    /// Not registered: likely the same person as someone of the registration at this
    /// position, earlier in the same batch.
    SameAsEarlier(usize),
}

/// Registers many households as [`register`] registers one: each validated, then guarded
/// against everyone registered and against every registration before it in the batch
/// (kept meanwhile in `scratch`, which is empty again on return); the ones that pass are
/// saved in one transaction, so a store failure saves none of them. With `save` false
/// nothing is written: the answer is what would become of each.
pub async fn register_many(
    app: &AppState,
    p: &Principal,
    registrations: Vec<HouseholdRegistration>,
    scratch: &mut Index<(usize, usize)>,
    save: bool,
) -> Result<Vec<Settled>, ApiError> {
    p.require(Action::Create, Resource::Household)?;
    let today = app.clock.today();
    let mut settled = Vec::with_capacity(registrations.len());
    let mut passing = Vec::new();
    let mut valid_ones = Vec::new();
    let mut outcome = Ok(());
    for (at, registration) in registrations.into_iter().enumerate() {
        let not_duplicates = registration.not_duplicates.clone();
        let valid = match registration.validated(today) {
            Ok(v) => v,
            Err(e) => {
                settled.push(Settled::Refused(e.into()));
                continue;
            }
        };
        let probes: Vec<Prepared> = std::iter::once(&valid.head)
            .chain(valid.members.iter().map(|m| &m.person))
            .map(|d| prepare(&fields(d)))
            .collect();
        let earlier = probes.iter().find_map(|probe| {
            scratch
                .candidates(probe, 1, |_| false)
                .into_iter()
                .find(|f| f.scored.probability >= LIKELY)
                .map(|f| f.id.0)
        });
        if let Some(earlier) = earlier {
            settled.push(Settled::SameAsEarlier(earlier));
            continue;
        }
        match duplicates::guard_prepared(app, p, &probes, not_duplicates.as_ref()).await {
            Ok(guarded) => {
                for (i, probe) in probes.iter().enumerate() {
                    scratch.upsert((at, i), probe.clone());
                }
                settled.push(Settled::Passed {
                    household: None,
                    queued: guarded.queued(),
                });
                passing.push((at, guarded, probes));
                valid_ones.push(valid);
            }
            Err(e @ (ApiError::LikelyDuplicate(..) | ApiError::Invalid(_))) => {
                settled.push(Settled::Refused(e));
            }
            Err(e) => {
                outcome = Err(e);
                break;
            }
        }
    }
    for (at, _, probes) in &passing {
        for i in 0..probes.len() {
            scratch.remove(&(*at, i));
        }
    }
    outcome?;
    if !save || valid_ones.is_empty() {
        return Ok(settled);
    }
    let households = app.store.register_households(p, valid_ones).await?;
    for ((at, guarded, probes), household) in passing.into_iter().zip(households) {
        let ids: Vec<Uuid> = household.members.iter().map(|m| m.person_id).collect();
        let queued = guarded.queued();
        duplicates::after_save_prepared(app, p, guarded, probes, &ids).await?;
        settled[at] = Settled::Passed {
            household: Some(Box::new(household)),
            queued,
        };
    }
    Ok(settled)
}

/// Read a household and its registered members.
#[utoipa::path(get, path = "/api/v1/households/{id}", tag = "households", params(("id" = Uuid, Path)),
    responses((status = 200, body = Household), (status = 404, body = Problem)))]
pub async fn read(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
) -> Result<Json<Household>, ApiError> {
    app.store
        .household(&p, id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("household {id}")))
}

/// Correct a household's kind, size or counts.
#[utoipa::path(patch, path = "/api/v1/households/{id}", tag = "households", params(("id" = Uuid, Path)), request_body = HouseholdPatch,
    responses((status = 200, body = Household), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
    Body(patch): Body<HouseholdPatch>,
) -> Result<Json<Household>, ApiError> {
    let current = app
        .store
        .household(&p, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("household {id}")))?;
    let size = patch.size.unwrap_or(current.size);
    let breakdown = patch.breakdown.unwrap_or(current.breakdown);
    let mut problems = Problems::new();
    if size == 0 || size > passage_domain::household::MAX_HOUSEHOLD_SIZE {
        problems.add(
            "size",
            format!(
                "{size} is outside 1..{}",
                passage_domain::household::MAX_HOUSEHOLD_SIZE
            ),
        );
    }
    if breakdown.total() != size {
        problems.add(
            "breakdown",
            format!(
                "the counts add up to {}, but size is {size}",
                breakdown.total()
            ),
        );
    }
    problems.finish(())?;
    let kind = patch.kind.unwrap_or(current.kind);
    Ok(Json(
        app.store
            .update_household(&p, id, patch.version, kind, size, breakdown)
            .await?,
    ))
}

/// Register members of a household individually; when all are registered the household
/// moves to level 2 and keeps its number.
#[utoipa::path(post, path = "/api/v1/households/{id}/members", tag = "households", params(("id" = Uuid, Path)), request_body = AddMembers,
    responses((status = 200, body = Household), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn add_members(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
    Body(body): Body<AddMembers>,
) -> Result<Json<Household>, ApiError> {
    let today = app.clock.today();
    if body.members.is_empty() {
        return Err(ApiError::invalid("members", "is empty"));
    }
    let mut problems = Problems::new();
    let mut members = Vec::with_capacity(body.members.len());
    for (i, m) in body.members.into_iter().enumerate() {
        if m.relationship == passage_domain::household::Relationship::Head {
            problems.add(
                format!("members[{i}].relationship"),
                "a household has one head, registered with it",
            );
        }
        match m.person.validated(today) {
            Ok(person) => members.push(MemberDetails { person, ..m }),
            Err(e) => problems.nest(&format!("members[{i}].person"), e),
        }
    }
    problems.finish(())?;
    p.require(Action::Update, Resource::Household)?;
    let details: Vec<PersonDetails> = members.iter().map(|m| m.person.clone()).collect();
    let persons: Vec<&PersonDetails> = details.iter().collect();
    let guarded = duplicates::guard(&app, &p, &persons, body.not_duplicates.as_ref()).await?;
    let before = app.store.household(&p, id).await?;
    let household = app
        .store
        .add_members(&p, id, body.version, members, today)
        .await?;
    let known: std::collections::HashSet<Uuid> = before
        .iter()
        .flat_map(|h| h.members.iter().map(|m| m.person_id))
        .collect();
    let ids: Vec<Uuid> = household
        .members
        .iter()
        .map(|m| m.person_id)
        .filter(|m| !known.contains(m))
        .collect();
    duplicates::after_save(&app, &p, guarded, &persons, &ids).await?;
    Ok(Json(household))
}

/// List households with their members.
#[utoipa::path(get, path = "/api/v1/households", tag = "households", params(HouseholdQuery),
    responses((status = 200, body = Page<Household>), (status = 400, body = Problem)))]
pub async fn list(
    State(app): State<AppState>,
    Caller(p): Caller,
    Query(q): Query<HouseholdQuery>,
) -> Result<Json<Page<Household>>, ApiError> {
    let registration_level = q
        .registration_level
        .map(RegistrationLevel::try_from)
        .transpose()
        .map_err(|e| {
            prefixed(
                "registration_level",
                passage_domain::error::ValidationErrors::one("", e),
            )
        })?;
    let filter = HouseholdFilter {
        site_id: q.site_id,
        arrival_id: q.arrival_id,
        registration_level,
    };
    let page = app
        .store
        .households(
            &p,
            &filter,
            q.cursor.as_deref(),
            q.limit.unwrap_or(DEFAULT_LIMIT),
        )
        .await?;
    Ok(Json(page))
}

/// Find a household by the number on its card, typed as read aloud.
#[utoipa::path(get, path = "/api/v1/households/by-number/{number}", tag = "households", params(("number" = String, Path)),
    responses((status = 200, body = Household), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn by_number(
    State(app): State<AppState>,
    Caller(p): Caller,
    axum::extract::Path(number): axum::extract::Path<String>,
) -> Result<Json<Household>, ApiError> {
    let parsed = passage_domain::regno::RegistrationNumber::parse(&number)
        .map_err(|e| ApiError::invalid("number", e.to_string()))?;
    app.store
        .household_by_number(&p, &parsed)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("household {parsed}")))
}

/// The household's printable token: its number as text and QR code.
#[utoipa::path(get, path = "/api/v1/households/{id}/token.svg", tag = "households", params(("id" = Uuid, Path)),
    responses((status = 200, content_type = "image/svg+xml", body = String), (status = 404, body = Problem)))]
pub async fn token(
    State(app): State<AppState>,
    Caller(p): Caller,
    Id(id): Id,
) -> Result<impl IntoResponse, ApiError> {
    let h = app
        .store
        .household(&p, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("household {id}")))?;
    let label = format!("Household of {}", h.size);
    let svg =
        crate::token::card(&h.registration_number, &label).map_err(|_| ApiError::Unavailable)?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg))
}
