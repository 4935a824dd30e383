//! Care records as clients read them, and the requests that make them.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use super::allocation::Proposal;
use super::assistance::ProgrammeDetails;
use super::flow::FlowObservation;
use super::incident::IncidentDetails;
use super::shelter::{CapacityWarning, ShelterUnitDetails, UnitKind, UnitOccupancy};
use super::tracing::{TracingOutcome, TracingRequestDetails, TracingStatus};
use crate::record::Meta;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ShelterUnit {
    #[serde(flatten)]
    pub meta: Meta,
    pub details: ShelterUnitDetails,
}

/// A person's stay in a shelter unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Stay {
    #[serde(flatten)]
    pub meta: Meta,
    pub person_id: Uuid,
    pub site_id: Uuid,
    pub unit_id: Uuid,
    /// Household members not registered one by one who stay with this person.
    pub companions: u32,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub admitted_at: OffsetDateTime,
    pub admitted_by: String,
    /// The stay this one continues after a transfer.
    pub transferred_from: Option<Uuid>,
    /// Why a full unit took this person anyway (a site manager's override).
    pub override_reason: Option<String>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub departed_at: Option<OffsetDateTime>,
    pub departed_by: Option<String>,
    pub departure_reason: Option<String>,
}

/// Admissions as a client asks for them: one person or a whole proposal, all or nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Admissions {
    pub placements: Vec<Admission>,
    /// A site manager's reason to fill a unit beyond its beds; without it a full unit
    /// refuses.
    pub override_reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Admission {
    pub person_id: Uuid,
    pub unit_id: Uuid,
    /// Household members counted but not registered one by one who come with this person
    /// (as in the proposal's placement).
    #[serde(default)]
    pub companions: u32,
}

/// A departure, or a transfer to another unit (of this or another site).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StayChange {
    pub version: i64,
    pub reason: String,
    /// For a transfer: the unit the person moves to.
    pub to_unit_id: Option<Uuid>,
    pub override_reason: Option<String>,
}

/// A site's occupancy now, from the open stays.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SiteOccupancy {
    pub site_id: Uuid,
    pub beds: u32,
    pub occupied: u32,
    pub units: Vec<UnitOccupancy>,
    pub by_kind: Vec<KindOccupancy>,
    /// Units (and the site) at or above the warning threshold.
    pub warnings: Vec<CapacityWarning>,
    pub threshold_percent: u32,
}

/// Occupancy of one unit type at a site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct KindOccupancy {
    pub kind: UnitKind,
    pub beds: u32,
    pub occupied: u32,
}

/// The daily report: occupancy at the end of a day, per unit type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DailyOccupancy {
    pub site_id: Uuid,
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    pub by_kind: Vec<KindOccupancy>,
    pub admitted: u32,
    pub departed: u32,
}

/// The allocation proposal for the households of an arrival not yet sheltered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AllocationProposal {
    pub site_id: Uuid,
    pub arrival_id: Uuid,
    #[serde(flatten)]
    pub proposal: Proposal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Programme {
    #[serde(flatten)]
    pub meta: Meta,
    pub details: ProgrammeDetails,
}

coded! {
    /// Where a distribution stands.
    pub enum DistributionStatus {
        /// Handed over.
        Given => "given",
        /// The recipient looks like an earlier recipient: waiting for review.
        Held => "held",
        /// Refused at review.
        Refused => "refused",
    }
}

/// A distribution: given, or held for review, then released or refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Distribution {
    #[serde(flatten)]
    pub meta: Meta,
    pub programme_id: Uuid,
    pub person_id: Uuid,
    pub household_id: Uuid,
    pub site_id: Uuid,
    pub status: DistributionStatus,
    pub quantity: Option<u32>,
    pub note: Option<String>,
    /// For a held distribution: the earlier recipients this person looks like.
    pub held_because: Vec<HeldMatch>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub distributed_at: OffsetDateTime,
    pub distributed_by: String,
    pub reviewed_by: Option<String>,
    pub review_reason: Option<String>,
}

/// An earlier recipient of the same programme whom the recipient looks like.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct HeldMatch {
    pub person_id: Uuid,
    pub probability: f64,
    pub distribution_id: Uuid,
}

/// A reviewer's decision on a held distribution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Review {
    pub version: i64,
    /// Release (give) or refuse.
    pub release: bool,
    pub reason: String,
}

/// Totals of a programme per site and day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DistributionTotal {
    pub programme_id: Uuid,
    pub site_id: Uuid,
    #[schema(value_type = String, format = Date)]
    pub day: Date,
    pub given: u32,
    pub held: u32,
    pub quantity: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Incident {
    #[serde(flatten)]
    pub meta: Meta,
    pub details: IncidentDetails,
    /// Arrivals this incident produced.
    pub arrival_ids: Vec<Uuid>,
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FlowRecord {
    pub id: Uuid,
    #[serde(flatten)]
    #[schema(inline)]
    pub observation: FlowObservation,
    pub recorded_by: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TracingRequest {
    #[serde(flatten)]
    pub meta: Meta,
    pub details: TracingRequestDetails,
    pub status: TracingStatus,
    pub outcome: Option<TracingOutcome>,
    pub filed_by: String,
    /// What the matching engine found, best first: for the caseworker, never the
    /// requester.
    pub matches: Vec<TracingMatch>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TracingMatch {
    pub kind: MatchKind,
    pub id: Uuid,
    pub probability: f64,
    /// Why it may match. For another organisation's request: only whose it is, never
    /// what it says.
    pub explanation: String,
}

impl TracingMatch {
    /// Another organisation's open request that may concern the same person, as the
    /// filing organisation sees it: whose it is and the score, so the two can talk;
    /// nothing the request says (names and their spelling, dates, places, who asks).
    pub fn other_organisation_request(id: Uuid, probability: f64, organisation: &str) -> Self {
        Self {
            kind: MatchKind::Request,
            id,
            probability,
            explanation: format!(
                "an open tracing request by {organisation} may concern the same person: \
                 contact them to compare"
            ),
        }
    }

    /// The candidate as the organisation `filer` may see it, when the candidate is a
    /// request filed by `owner` (named `owner_name`): in full if the request is the
    /// filer's own, as [`Self::other_organisation_request`] otherwise. Other kinds of
    /// candidate are unchanged.
    pub fn seen_by(self, filer: Option<Uuid>, owner: Option<Uuid>, owner_name: &str) -> Self {
        if self.kind != MatchKind::Request || owner == filer {
            return self;
        }
        Self::other_organisation_request(self.id, self.probability, owner_name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// A registered person.
    Person,
    /// Another family's tracing request for the same person.
    Request,
    /// An incident on the route the person was last seen on.
    Incident,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_organisation_s_request_shows_whose_it_is_never_what_it_says() {
        let (mine, theirs) = (Some(Uuid::from_u128(1)), Some(Uuid::from_u128(2)));
        let m = TracingMatch {
            kind: MatchKind::Request,
            id: Uuid::from_u128(3),
            probability: 0.97,
            explanation: "name: Nurul Amin ~ Nurul Ameen; same date of birth: 2009-03-14".into(),
        };
        assert_eq!(m.clone().seen_by(mine, mine, "Ours"), m);
        let seen = m.clone().seen_by(mine, theirs, "Organisation b");
        assert_eq!(
            (seen.kind, seen.id, seen.probability),
            (m.kind, m.id, m.probability)
        );
        assert!(
            seen.explanation.contains("Organisation b"),
            "{}",
            seen.explanation
        );
        for said in ["Nurul", "Ameen", "2009"] {
            assert!(!seen.explanation.contains(said), "{}", seen.explanation);
        }
        let person = TracingMatch {
            kind: MatchKind::Person,
            ..m
        };
        assert_eq!(person.clone().seen_by(mine, theirs, "x"), person);
    }
}
