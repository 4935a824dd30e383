//! Protection records as clients send and read them: screenings and their confirmation,
//! cases with their transitions, and requests to lift a hold on a return.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use super::guard::Condition;
use super::needs::NeedCode;
use super::procedure::{Outcome as CaseOutcome, Pathway, ProcedureKind};
use super::questionnaire::Answers;
use super::referral::Service;
use super::screening::{AgeAssessment, Outcome};
use crate::data_protection::clean_text;
use crate::error::{Problems, ValidationErrors};
use crate::person::{PopulationType, ProfileFlag};
use crate::record::Meta;

/// A screening as a client sends it: the questionnaire version used and the answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewScreening {
    #[schema(example = "screening")]
    pub questionnaire: String,
    #[schema(example = 2)]
    pub questionnaire_version: u32,
    /// Answers by question name: true/false, a number, a choice name, a list of choice
    /// names, text, or a date, as each question's type says.
    #[schema(value_type = Object)]
    pub answers: serde_json::Map<String, serde_json::Value>,
    pub age_assessment: Option<AgeAssessment>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScreeningStatus {
    /// Computed, waiting for the officer.
    Proposed,
    /// The officer confirmed it; its needs, referrals and cases exist.
    Confirmed,
}

impl ScreeningStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Confirmed => "confirmed",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        [Self::Proposed, Self::Confirmed]
            .into_iter()
            .find(|v| v.code() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Screening {
    #[serde(flatten)]
    pub meta: Meta,
    pub person_id: Uuid,
    pub questionnaire: String,
    pub questionnaire_version: u32,
    #[schema(value_type = Object)]
    pub answers: Answers,
    pub age_assessment: Option<AgeAssessment>,
    pub outcome: Outcome,
    pub status: ScreeningStatus,
    pub screened_by: String,
    pub confirmed_by: Option<String>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub confirmed_at: Option<OffsetDateTime>,
}

/// A referral the officer keeps, and to whom it goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmedReferral {
    pub service: Service,
    /// The receiving organisation, if known now; it can be named when sending.
    pub recipient_id: Option<Uuid>,
}

/// The officer's confirmation of a screening: the population type, flags and needs as
/// they decide them (the proposal, or corrected), the referrals to make and the cases to
/// open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Confirmation {
    pub version: i64,
    pub population_type: Option<PopulationType>,
    #[serde(default)]
    pub profile_flags: Vec<ProfileFlag>,
    #[serde(default)]
    pub needs: Vec<NeedCode>,
    #[serde(default)]
    pub referrals: Vec<ConfirmedReferral>,
    /// Cases to open now (an asylum claim registered, a child-protection case, …).
    #[serde(default)]
    pub open_cases: Vec<ProcedureKind>,
}

/// What a client sends to open a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCase {
    pub kind: ProcedureKind,
    /// For regular pathways: labour, family or study.
    pub pathway: Option<Pathway>,
    /// For returns: voluntary (assisted voluntary return) or not.
    pub voluntary: Option<bool>,
    pub reason: String,
}

impl NewCase {
    pub fn validated(self) -> Result<Self, ValidationErrors> {
        let mut p = Problems::new();
        let reason = clean_text(&mut p, "reason", Some(&self.reason));
        if reason.is_none() {
            p.add("reason", "say why the case is opened");
        }
        match (self.kind, self.pathway) {
            (ProcedureKind::RegularPathway, None) => {
                p.add("pathway", "name the pathway: labour, family or study");
            }
            (ProcedureKind::RegularPathway, Some(_)) | (_, None) => {}
            (_, Some(_)) => p.add("pathway", "only regular pathways have one"),
        }
        match (self.kind, self.voluntary) {
            (ProcedureKind::Return, None) => {
                p.add("voluntary", "say whether the return is voluntary");
            }
            (ProcedureKind::Return, Some(_)) | (_, None) => {}
            (_, Some(_)) => p.add("voluntary", "only returns are voluntary or not"),
        }
        p.finish(Self {
            reason: reason.unwrap_or_default(),
            ..self
        })
    }
}

/// A transition as a client asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    #[schema(example = "schedule_interview")]
    pub event: String,
    /// The version read; a stale one gets 409.
    pub version: i64,
    pub reason: String,
    /// For decisions: the outcome.
    pub outcome: Option<CaseOutcome>,
}

/// One step a case took: who, when, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CaseTransition {
    pub seq: i64,
    pub from_state: Option<String>,
    pub to_state: String,
    pub event: String,
    pub outcome: Option<CaseOutcome>,
    pub actor: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: OffsetDateTime,
    /// Shown only to the caseworkers of this kind of case (and supervisors).
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Case {
    #[serde(flatten)]
    pub meta: Meta,
    pub person_id: Uuid,
    pub organisation_id: Option<Uuid>,
    pub kind: ProcedureKind,
    pub state: String,
    pub outcome: Option<CaseOutcome>,
    pub pathway: Option<Pathway>,
    pub voluntary: Option<bool>,
    pub closed: bool,
    /// The events allowed from the current state.
    pub allowed: Vec<String>,
    /// For returns: every condition of the non-refoulement guard that holds now.
    pub blocked_by: Vec<Condition>,
    pub transitions: Vec<CaseTransition>,
    /// For returns: requests to lift a hold, with their decisions.
    pub hold_lifts: Vec<HoldLift>,
}

/// A request to lift one condition of the guard on a return, and its decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct HoldLift {
    #[serde(flatten)]
    pub meta: Meta,
    pub case_id: Uuid,
    /// The condition's key, as in `blocked_by`.
    pub condition: String,
    pub requested_by: String,
    /// Shown only to those who see the case in full (return caseworkers, supervisors):
    /// it may tell what the person fears.
    pub request_reason: Option<String>,
    /// None while waiting for a supervisor.
    pub approved: Option<bool>,
    pub decided_by: Option<String>,
    /// Shown only to those who see the case in full, as `request_reason`.
    pub decision_reason: Option<String>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub decided_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewHoldLift {
    /// The key of the condition to lift, as in the case's `blocked_by`.
    #[schema(example = "fear:0192f1a0-0000-7000-8000-000000000000")]
    pub condition: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoldLiftDecision {
    pub approve: bool,
    pub reason: String,
}

/// What a return escort must know: pending procedures and active medical, disability and
/// pregnancy needs. Never the content of a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReturnFile {
    pub case_id: Uuid,
    pub person_id: Uuid,
    pub name: String,
    pub sex: crate::person::Sex,
    pub date_of_birth: Option<crate::age::DateOfBirth>,
    pub nationalities: Vec<crate::codes::Nationality>,
    pub languages: Vec<crate::codes::Language>,
    pub state: String,
    /// Other procedures of the person still open: kind and state only.
    pub pending_procedures: Vec<PendingProcedure>,
    /// Active needs the escort must know (SM, DS, PG codes) with their labels.
    pub escort_needs: Vec<EscortNeed>,
    pub blocked_by: Vec<Condition>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PendingProcedure {
    pub kind: ProcedureKind,
    pub state: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EscortNeed {
    pub code: NeedCode,
    pub label: String,
}

/// One thing that needs doing, about one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct QueueItem {
    /// Null on a referral received and not yet accepted (or whose consent is gone):
    /// the receiving organisation does not know who the person is.
    pub person_id: Option<Uuid>,
    /// As the caller may see it: on a referral received, the name only once accepted and
    /// only if the service shares names.
    pub name: Option<String>,
    /// What needs doing, in words.
    pub what: String,
    /// Since when it has waited.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub since: OffsetDateTime,
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub due_at: Option<OffsetDateTime>,
    pub case_id: Option<Uuid>,
    pub referral_id: Option<Uuid>,
    pub hold_lift_id: Option<Uuid>,
    /// For a blocked return: what blocks it.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub conditions: Vec<Condition>,
}

/// What needs doing now, per queue; a queue the caller's roles do not work on is absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct WorkQueues {
    /// Unaccompanied or separated children with no best-interests assessment done yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub children_without_assessment: Option<Vec<QueueItem>>,
    /// Open referrals past their due time, made or received.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overdue_referrals: Option<Vec<QueueItem>>,
    /// Asylum claims registered and not yet interviewed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claims_awaiting_interview: Option<Vec<QueueItem>>,
    /// Returns the non-refoulement guard holds, with why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocked_returns: Option<Vec<QueueItem>>,
    /// Persons in immigration detention who are children or have an active protection
    /// code: look for an alternative to detention.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detention_alternatives: Option<Vec<QueueItem>>,
    /// Requests to lift a hold, waiting for a supervisor.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hold_lifts_waiting: Option<Vec<QueueItem>>,
}
