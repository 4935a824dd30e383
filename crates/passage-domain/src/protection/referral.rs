//! Referrals: the rules (data, in `data/referral-rules.json`) that turn what a screening
//! found into proposed referrals, and a referral's life between two organisations:
//! proposed, sent, accepted or declined, completed; overdue when its due time passes
//! before it is closed. Services for trafficking, SGBV, torture and tracing go out only
//! with the person's consent for that recipient.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use super::needs::NeedCode;
use super::procedure::ProcedureKind;
use super::screening::{ChildStatus, Outcome};
use super::shared::{ConsentGone, check_consent};
use crate::data_protection::{Consent, ConsentScope, clean_text, consent_in_force};
use crate::error::{Problems, ValidationErrors};
use crate::record::Meta;

const RULES: &str = include_str!("../../data/referral-rules.json");

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    ChildProtection,
    AsylumProcedure,
    LegalAid,
    AntiTrafficking,
    Health,
    FamilyTracing,
    SgbvServices,
    TortureRehabilitation,
    StatelessnessDetermination,
}

impl Service {
    pub const ALL: [Service; 9] = [
        Self::ChildProtection,
        Self::AsylumProcedure,
        Self::LegalAid,
        Self::AntiTrafficking,
        Self::Health,
        Self::FamilyTracing,
        Self::SgbvServices,
        Self::TortureRehabilitation,
        Self::StatelessnessDetermination,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::ChildProtection => "child_protection",
            Self::AsylumProcedure => "asylum_procedure",
            Self::LegalAid => "legal_aid",
            Self::AntiTrafficking => "anti_trafficking",
            Self::Health => "health",
            Self::FamilyTracing => "family_tracing",
            Self::SgbvServices => "sgbv_services",
            Self::TortureRehabilitation => "torture_rehabilitation",
            Self::StatelessnessDetermination => "statelessness_determination",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.code() == s)
    }

    /// The consent the person must have given for the recipient before the referral goes.
    pub fn consent_scope(self) -> Option<ConsentScope> {
        match self {
            Self::AntiTrafficking => Some(ConsentScope::Trafficking),
            Self::SgbvServices => Some(ConsentScope::Sgbv),
            Self::TortureRehabilitation => Some(ConsentScope::Torture),
            Self::FamilyTracing => Some(ConsentScope::Tracing),
            _ => None,
        }
    }

    /// The procedure a confirmed referral opens a case in, if any.
    pub fn opens(self) -> Option<ProcedureKind> {
        match self {
            Self::ChildProtection => Some(ProcedureKind::ChildProtection),
            Self::AsylumProcedure => Some(ProcedureKind::Asylum),
            Self::AntiTrafficking => Some(ProcedureKind::Trafficking),
            Self::StatelessnessDetermination => Some(ProcedureKind::Statelessness),
            _ => None,
        }
    }

    /// What the receiving organisation sees of the person once it accepts: exactly what
    /// the service needs.
    pub fn shared_fields(self) -> &'static [SharedField] {
        use SharedField::*;
        match self {
            Self::ChildProtection => &[
                Names,
                Sex,
                DateOfBirth,
                Nationalities,
                Languages,
                PlaceOfOrigin,
                Contact,
                ChildNeeds,
            ],
            Self::AsylumProcedure => &[
                Names,
                Sex,
                DateOfBirth,
                Nationalities,
                Languages,
                PlaceOfOrigin,
                Contact,
            ],
            Self::LegalAid => &[Names, Languages, Contact],
            Self::AntiTrafficking => &[Names, Sex, DateOfBirth, Nationalities, Languages, Contact],
            Self::Health => &[Names, Sex, DateOfBirth, Languages, Contact, HealthNeeds],
            Self::FamilyTracing => &[
                Names,
                Sex,
                DateOfBirth,
                Nationalities,
                Languages,
                PlaceOfOrigin,
                FamilyNeeds,
            ],
            Self::SgbvServices => &[Names, Sex, DateOfBirth, Languages, Contact, SgbvNeeds],
            Self::TortureRehabilitation => {
                &[Names, Sex, DateOfBirth, Languages, Contact, TortureNeeds]
            }
            Self::StatelessnessDetermination => &[
                Names,
                Sex,
                DateOfBirth,
                Nationalities,
                Languages,
                PlaceOfOrigin,
                Contact,
            ],
        }
    }
}

/// A part of a person's record a referral may share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SharedField {
    Names,
    Sex,
    DateOfBirth,
    Nationalities,
    Languages,
    PlaceOfOrigin,
    Contact,
    /// SC and CR codes.
    ChildNeeds,
    /// SM, DS and PG codes.
    HealthNeeds,
    /// FU codes.
    FamilyNeeds,
    /// SV codes.
    SgbvNeeds,
    /// TR codes.
    TortureNeeds,
}

impl SharedField {
    /// Whether a specific-needs code goes with this field.
    pub fn carries(self, code: &NeedCode) -> bool {
        let cats: &[&str] = match self {
            Self::ChildNeeds => &["SC", "CR"],
            Self::HealthNeeds => &["SM", "DS", "PG"],
            Self::FamilyNeeds => &["FU"],
            Self::SgbvNeeds => &["SV"],
            Self::TortureNeeds => &["TR"],
            _ => &[],
        };
        cats.contains(&code.category())
    }
}

/// How fast a referral must be taken up.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Emergency,
    Urgent,
    Normal,
}

impl Urgency {
    pub fn code(self) -> &'static str {
        match self {
            Self::Emergency => "emergency",
            Self::Urgent => "urgent",
            Self::Normal => "normal",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        [Self::Emergency, Self::Urgent, Self::Normal]
            .into_iter()
            .find(|u| u.code() == s)
    }

    /// Hours until due when no rule says otherwise.
    pub fn hours(self) -> i64 {
        match self {
            Self::Emergency => 24,
            Self::Urgent => 72,
            Self::Normal => 14 * 24,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Fact {
    UnaccompaniedOrSeparatedChild,
    FearOfReturn,
    AsylumIntention,
    PresumedTraffickingVictim,
    Stateless,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum When {
    Fact(Fact),
    Need(NeedCode),
    NeedCategory(String),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Rule {
    when: When,
    service: Service,
    urgency: Urgency,
    due_within_hours: Option<i64>,
    reason: String,
}

/// The rules file: a version line (ignored here, read by people) and the rules.
#[derive(Debug, Clone, Deserialize)]
struct RuleSet {
    rules: Vec<Rule>,
}

fn rules() -> &'static [Rule] {
    static RULES_SET: std::sync::OnceLock<Vec<Rule>> = std::sync::OnceLock::new();
    RULES_SET.get_or_init(|| {
        serde_json::from_str::<RuleSet>(RULES)
            .map(|r| r.rules)
            .unwrap_or_default()
    })
}

/// A referral a screening proposes, for the officer to confirm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ProposedReferral {
    pub service: Service,
    pub urgency: Urgency,
    pub due_within_hours: i64,
    pub reason: String,
    /// The consent the person must give for the recipient before it is sent.
    pub consent_required: Option<ConsentScope>,
    /// The case a confirmation opens.
    pub opens: Option<ProcedureKind>,
}

fn applies(when: &When, o: &Outcome) -> bool {
    match when {
        When::Fact(Fact::UnaccompaniedOrSeparatedChild) => matches!(
            o.child.child_status,
            Some(ChildStatus::Unaccompanied | ChildStatus::Separated)
        ),
        When::Fact(Fact::FearOfReturn) => o.fear_of_return,
        When::Fact(Fact::AsylumIntention) => o.asylum_intention,
        When::Fact(Fact::PresumedTraffickingVictim) => o.trafficking.presumed_victim,
        When::Fact(Fact::Stateless) => o.stateless,
        When::Need(code) => o.needs.iter().any(|n| &n.code == code),
        When::NeedCategory(cat) => o.needs.iter().any(|n| n.code.category() == cat),
    }
}

/// The referrals the rules propose for an outcome: one per service, the most urgent and
/// earliest due of the rules that apply, with every reason.
pub fn propose(o: &Outcome) -> Vec<ProposedReferral> {
    let mut out: Vec<ProposedReferral> = Vec::new();
    for rule in rules().iter().filter(|r| applies(&r.when, o)) {
        let hours = rule.due_within_hours.unwrap_or(rule.urgency.hours());
        match out.iter_mut().find(|p| p.service == rule.service) {
            Some(p) => {
                p.urgency = p.urgency.min(rule.urgency);
                p.due_within_hours = p.due_within_hours.min(hours);
                if !p.reason.contains(&rule.reason) {
                    p.reason = format!("{}; {}", p.reason, rule.reason);
                }
            }
            None => out.push(ProposedReferral {
                service: rule.service,
                urgency: rule.urgency,
                due_within_hours: hours,
                reason: rule.reason.clone(),
                consent_required: rule.service.consent_scope(),
                opens: rule.service.opens(),
            }),
        }
    }
    out.sort_by_key(|p| (p.urgency, p.service));
    out
}

/// Where a referral stands. `overdue` is not a status of its own: an open referral past its
/// due time is overdue whatever step it is at, and says so beside its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReferralStatus {
    Proposed,
    Sent,
    Accepted,
    Declined,
    Completed,
    Cancelled,
}

impl ReferralStatus {
    pub const ALL: [ReferralStatus; 6] = [
        Self::Proposed,
        Self::Sent,
        Self::Accepted,
        Self::Declined,
        Self::Completed,
        Self::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Sent => "sent",
            Self::Accepted => "accepted",
            Self::Declined => "declined",
            Self::Completed => "completed",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.code() == s)
    }

    pub fn is_open(self) -> bool {
        matches!(self, Self::Proposed | Self::Sent | Self::Accepted)
    }
}

/// A step in a referral's life, and which side takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReferralAction {
    /// The referring organisation sends it to the recipient.
    Send,
    /// The recipient takes it up.
    Accept,
    /// The recipient cannot take it up; a reason is required.
    Decline,
    /// The recipient delivered the service.
    Complete,
    /// The referring organisation withdraws it; a reason is required.
    Cancel,
}

/// Which organisation takes an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Referring,
    Receiving,
}

impl ReferralAction {
    pub fn side(self) -> Side {
        match self {
            Self::Send | Self::Cancel => Side::Referring,
            Self::Accept | Self::Decline | Self::Complete => Side::Receiving,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Send => "send",
            Self::Accept => "accept",
            Self::Decline => "decline",
            Self::Complete => "complete",
            Self::Cancel => "cancel",
        }
    }
}

const REFERRAL_STEPS: &[(ReferralStatus, ReferralAction, ReferralStatus)] = &[
    (
        ReferralStatus::Proposed,
        ReferralAction::Send,
        ReferralStatus::Sent,
    ),
    (
        ReferralStatus::Proposed,
        ReferralAction::Cancel,
        ReferralStatus::Cancelled,
    ),
    (
        ReferralStatus::Sent,
        ReferralAction::Accept,
        ReferralStatus::Accepted,
    ),
    (
        ReferralStatus::Sent,
        ReferralAction::Decline,
        ReferralStatus::Declined,
    ),
    (
        ReferralStatus::Sent,
        ReferralAction::Cancel,
        ReferralStatus::Cancelled,
    ),
    (
        ReferralStatus::Accepted,
        ReferralAction::Complete,
        ReferralStatus::Completed,
    ),
];

/// Why a referral step is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferralError {
    #[error("`{action}` is not allowed on a {from} referral; allowed now: {}", if allowed.is_empty() { "nothing (it is closed)".to_owned() } else { allowed.join(", ") })]
    NotAllowed {
        from: &'static str,
        action: &'static str,
        allowed: Vec<&'static str>,
    },
    #[error("a reason is required to {0}")]
    ReasonRequired(&'static str),
    #[error("name the receiving organisation (recipient_id) before sending")]
    NoRecipient,
    #[error(
        "the person has not consented to {scope} referrals to this recipient: record their consent first"
    )]
    NoConsent { scope: &'static str },
    /// At acceptance: the consent given before sending is no longer in force.
    #[error(transparent)]
    ConsentGone(#[from] ConsentGone),
}

/// The status after `action`, or why it is refused. Sending checks the consent the service
/// needs against the person's consents at `at`, and accepting checks it again: the person
/// may have withdrawn it since.
pub fn step(
    from: ReferralStatus,
    action: ReferralAction,
    reason: Option<&str>,
    recipient: Option<Uuid>,
    service: Service,
    consents: &[Consent],
    at: OffsetDateTime,
) -> Result<ReferralStatus, ReferralError> {
    let Some((_, _, to)) = REFERRAL_STEPS
        .iter()
        .find(|(f, a, _)| *f == from && *a == action)
    else {
        return Err(ReferralError::NotAllowed {
            from: from.code(),
            action: action.code(),
            allowed: REFERRAL_STEPS
                .iter()
                .filter(|(f, _, _)| *f == from)
                .map(|(_, a, _)| a.code())
                .collect(),
        });
    };
    let blank = reason.is_none_or(|r| r.trim().is_empty());
    if matches!(action, ReferralAction::Decline | ReferralAction::Cancel) && blank {
        return Err(ReferralError::ReasonRequired(action.code()));
    }
    if action == ReferralAction::Send {
        let recipient = recipient.ok_or(ReferralError::NoRecipient)?;
        if let Some(scope) = service.consent_scope()
            && !consent_in_force(consents, recipient, scope, at)
        {
            return Err(ReferralError::NoConsent {
                scope: scope.code(),
            });
        }
    }
    if action == ReferralAction::Accept {
        let recipient = recipient.ok_or(ReferralError::NoRecipient)?;
        check_consent(service, recipient, consents, at)?;
    }
    Ok(*to)
}

/// When a referral made at `at` with `hours` to go is due.
pub fn due_at(at: OffsetDateTime, hours: i64) -> OffsetDateTime {
    at + Duration::hours(hours)
}

/// What a client sends to refer a person by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReferral {
    pub service: Service,
    /// The receiving organisation; may be named later, before sending.
    pub recipient_id: Option<Uuid>,
    pub urgency: Urgency,
    /// Hours until due; by urgency when left out (24, 72, 336).
    pub due_within_hours: Option<i64>,
    pub reason: String,
}

impl NewReferral {
    pub fn validated(self) -> Result<Self, ValidationErrors> {
        let mut p = Problems::new();
        let reason = clean_text(&mut p, "reason", Some(&self.reason));
        if reason.is_none() {
            p.add("reason", "say why the person is referred");
        }
        if self
            .due_within_hours
            .is_some_and(|h| !(1..=24 * 365).contains(&h))
        {
            p.add("due_within_hours", "must be between 1 and 8760");
        }
        p.finish(Self {
            reason: reason.unwrap_or_default(),
            ..self
        })
    }
}

/// A step on a referral, as a client sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralStep {
    pub action: ReferralAction,
    /// The version read; a stale one gets 409.
    pub version: i64,
    /// Required to decline or cancel.
    pub reason: Option<String>,
    /// With `send`: the receiving organisation, when not named yet.
    pub recipient_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Referral {
    #[serde(flatten)]
    pub meta: Meta,
    /// Withheld from the receiving organisation until it may see the person
    /// ([`super::shared::recipient_sees_person`]), as are `reason` and `screening_id`.
    pub person_id: Option<Uuid>,
    /// The referring organisation.
    pub organisation_id: Option<Uuid>,
    pub recipient_id: Option<Uuid>,
    pub service: Service,
    pub urgency: Urgency,
    pub reason: Option<String>,
    pub status: ReferralStatus,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub due_at: OffsetDateTime,
    /// Open and past its due time.
    pub overdue: bool,
    pub consent_required: Option<ConsentScope>,
    /// The screening that proposed it.
    pub screening_id: Option<Uuid>,
    pub decline_reason: Option<String>,
    pub created_by: String,
}

impl Referral {
    /// Sets `overdue` for the time `now`.
    pub fn at(mut self, now: OffsetDateTime) -> Self {
        self.overdue = self.status.is_open() && now > self.due_at;
        self
    }
}

#[cfg(test)]
mod tests;
