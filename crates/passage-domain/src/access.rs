//! Who may do what: organisations, roles, and the one permission table of Passage.
//!
//! The table is the only place where a role meets an action on a resource. Everything that
//! reads or changes data asks [`Principal::require`] first; the store does so below every
//! entry point (API, command line, imports), so no route can skip it.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    GovernmentAuthority,
    UnAgency,
    Ngo,
    ServiceProvider,
}

impl OrganisationKind {
    pub const ALL: [OrganisationKind; 4] = [
        Self::GovernmentAuthority,
        Self::UnAgency,
        Self::Ngo,
        Self::ServiceProvider,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::GovernmentAuthority => "government_authority",
            Self::UnAgency => "un_agency",
            Self::Ngo => "ngo",
            Self::ServiceProvider => "service_provider",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// The roles people hold. Caseworkers hold one per case type.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    RegistrationClerk,
    ScreeningOfficer,
    AsylumCaseworker,
    TraffickingCaseworker,
    ChildProtectionCaseworker,
    ReturnCaseworker,
    SiteManager,
    AssistanceOfficer,
    IncidentOfficer,
    DataAnalyst,
    Supervisor,
    DataProtectionFocalPoint,
    Administrator,
}

impl Role {
    pub const ALL: [Role; 13] = [
        Self::RegistrationClerk,
        Self::ScreeningOfficer,
        Self::AsylumCaseworker,
        Self::TraffickingCaseworker,
        Self::ChildProtectionCaseworker,
        Self::ReturnCaseworker,
        Self::SiteManager,
        Self::AssistanceOfficer,
        Self::IncidentOfficer,
        Self::DataAnalyst,
        Self::Supervisor,
        Self::DataProtectionFocalPoint,
        Self::Administrator,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::RegistrationClerk => "registration_clerk",
            Self::ScreeningOfficer => "screening_officer",
            Self::AsylumCaseworker => "asylum_caseworker",
            Self::TraffickingCaseworker => "trafficking_caseworker",
            Self::ChildProtectionCaseworker => "child_protection_caseworker",
            Self::ReturnCaseworker => "return_caseworker",
            Self::SiteManager => "site_manager",
            Self::AssistanceOfficer => "assistance_officer",
            Self::IncidentOfficer => "incident_officer",
            Self::DataAnalyst => "data_analyst",
            Self::Supervisor => "supervisor",
            Self::DataProtectionFocalPoint => "data_protection_focal_point",
            Self::Administrator => "administrator",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == s)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Read,
    Create,
    Update,
    /// Everything held about one person, in one report (a data-subject access request).
    Export,
    /// Anonymisation of a person's record (an erasure request, or retention).
    Erase,
}

impl Action {
    pub const ALL: [Action; 5] = [
        Self::Read,
        Self::Create,
        Self::Update,
        Self::Export,
        Self::Erase,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Create => "create",
            Self::Update => "update",
            Self::Export => "export",
            Self::Erase => "erase",
        }
    }
}

/// What an action is on. Personal data are households, persons, documents, and what is
/// recorded about a person's rights: consents, data-subject requests, legal holds.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Resource {
    Site,
    Arrival,
    Household,
    Person,
    Document,
    Organisation,
    User,
    AuditLog,
    /// A person's consent to sharing with a recipient.
    Consent,
    /// A data-sharing agreement between organisations.
    SharingAgreement,
    /// A request of access, rectification, erasure or objection.
    DataSubjectRequest,
    /// A hold that keeps a person's record from erasure.
    LegalHold,
    /// Duplicate candidates, the review queue and decisions on pairs of persons (merge,
    /// link, not a duplicate).
    Duplicate,
    /// A protection screening: answers, age assessment and what they showed.
    Screening,
    /// A specific-needs code recorded for a person.
    SpecificNeed,
    /// A referral of a person to a service of another organisation.
    Referral,
    /// A case in one of the differentiated procedures. Content (reasons given at each step)
    /// is further limited to the caseworkers of that kind of case: see
    /// `protection::case_access`.
    Case,
    /// A request to lift a condition of the non-refoulement guard, and its decision.
    HoldLift,
    /// A shelter unit of a site (tent, hall, safe space) with its beds.
    ShelterUnit,
    /// A person's stay in a shelter unit: admission, transfer, departure.
    Stay,
    /// An assistance programme and its entitlement rules.
    Programme,
    /// A distribution of assistance to a person or household.
    Distribution,
    /// A rescue operation, shipwreck, death or disappearance on a route (counts, no names).
    Incident,
    /// An anonymous count of a group passing a monitoring point.
    FlowObservation,
    /// A family's request to trace a missing relative, and its matches.
    TracingRequest,
    /// Aggregate tables, disclosure-controlled: no person in them.
    Statistics,
}

impl Resource {
    pub const ALL: [Resource; 26] = [
        Self::Site,
        Self::Arrival,
        Self::Household,
        Self::Person,
        Self::Document,
        Self::Organisation,
        Self::User,
        Self::AuditLog,
        Self::Consent,
        Self::SharingAgreement,
        Self::DataSubjectRequest,
        Self::LegalHold,
        Self::Duplicate,
        Self::Screening,
        Self::SpecificNeed,
        Self::Referral,
        Self::Case,
        Self::HoldLift,
        Self::ShelterUnit,
        Self::Stay,
        Self::Programme,
        Self::Distribution,
        Self::Incident,
        Self::FlowObservation,
        Self::TracingRequest,
        Self::Statistics,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Site => "site",
            Self::Arrival => "arrival",
            Self::Household => "household",
            Self::Person => "person",
            Self::Document => "document",
            Self::Organisation => "organisation",
            Self::User => "user",
            Self::AuditLog => "audit_log",
            Self::Consent => "consent",
            Self::SharingAgreement => "sharing_agreement",
            Self::DataSubjectRequest => "data_subject_request",
            Self::LegalHold => "legal_hold",
            Self::Duplicate => "duplicate",
            Self::Screening => "screening",
            Self::SpecificNeed => "specific_need",
            Self::Referral => "referral",
            Self::Case => "case",
            Self::HoldLift => "hold_lift",
            Self::ShelterUnit => "shelter_unit",
            Self::Stay => "stay",
            Self::Programme => "programme",
            Self::Distribution => "distribution",
            Self::Incident => "incident",
            Self::FlowObservation => "flow_observation",
            Self::TracingRequest => "tracing_request",
            Self::Statistics => "statistics",
        }
    }

    /// Records about an identifiable person, scoped to the organisations allowed to see them.
    pub fn is_personal(self) -> bool {
        matches!(
            self,
            Self::Household
                | Self::Person
                | Self::Document
                | Self::Consent
                | Self::DataSubjectRequest
                | Self::LegalHold
                | Self::Duplicate
                | Self::Screening
                | Self::SpecificNeed
                | Self::Referral
                | Self::Case
                | Self::HoldLift
                | Self::Stay
                | Self::Distribution
                | Self::TracingRequest
        )
    }
}

const R: &[Action] = &[Action::Read];
const RC: &[Action] = &[Action::Read, Action::Create];
const RU: &[Action] = &[Action::Read, Action::Update];
const RCU: &[Action] = &[Action::Read, Action::Create, Action::Update];
/// The data-protection focal point on persons: read, answer access requests, erase.
const RXE: &[Action] = &[Action::Read, Action::Export, Action::Erase];

/// What one role may do: actions per resource.
pub type Grants = &'static [(Resource, &'static [Action])];

/// The permission table: for each role, the actions it may take on each resource.
/// Anything not listed is refused.
pub const PERMISSIONS: &[(Role, Grants)] = &[
    (
        Role::RegistrationClerk,
        &[
            (Resource::Site, R),
            (Resource::Arrival, RCU),
            (Resource::Household, RCU),
            (Resource::Person, RU),
            (Resource::Document, RCU),
            (Resource::Consent, RCU),
            (Resource::Duplicate, RC),
            (Resource::Stay, R),
            (Resource::Incident, R),
            (Resource::FlowObservation, RC),
            (Resource::TracingRequest, RC),
        ],
    ),
    (
        Role::ScreeningOfficer,
        &[
            (Resource::Site, R),
            (Resource::Arrival, R),
            (Resource::Household, R),
            (Resource::Person, RU),
            (Resource::Document, R),
            (Resource::Consent, RCU),
            (Resource::Screening, RCU),
            (Resource::SpecificNeed, RCU),
            (Resource::Referral, RCU),
            (Resource::Case, RC),
            (Resource::Stay, R),
            (Resource::TracingRequest, RC),
            (Resource::Statistics, R),
        ],
    ),
    (
        Role::AsylumCaseworker,
        &[
            (Resource::Site, R),
            (Resource::Arrival, R),
            (Resource::Household, R),
            (Resource::Person, RU),
            (Resource::Document, RC),
            (Resource::Consent, RCU),
            (Resource::Screening, R),
            (Resource::SpecificNeed, RCU),
            (Resource::Referral, RCU),
            (Resource::Case, RCU),
            (Resource::Stay, R),
        ],
    ),
    (
        Role::TraffickingCaseworker,
        &[
            (Resource::Site, R),
            (Resource::Arrival, R),
            (Resource::Household, R),
            (Resource::Person, RU),
            (Resource::Document, RC),
            (Resource::Consent, RCU),
            (Resource::Screening, R),
            (Resource::SpecificNeed, RCU),
            (Resource::Referral, RCU),
            (Resource::Case, RCU),
            (Resource::Stay, R),
        ],
    ),
    (
        Role::ChildProtectionCaseworker,
        &[
            (Resource::Site, R),
            (Resource::Arrival, R),
            (Resource::Household, R),
            (Resource::Person, RU),
            (Resource::Document, RC),
            (Resource::Consent, RCU),
            (Resource::Screening, R),
            (Resource::SpecificNeed, RCU),
            (Resource::Referral, RCU),
            (Resource::Case, RCU),
            (Resource::Stay, R),
            (Resource::Incident, R),
            (Resource::TracingRequest, RCU),
        ],
    ),
    (
        Role::ReturnCaseworker,
        &[
            (Resource::Site, R),
            (Resource::Arrival, R),
            (Resource::Household, R),
            (Resource::Person, R),
            (Resource::Document, RC),
            (Resource::Consent, RCU),
            (Resource::Referral, RC),
            (Resource::Case, RCU),
            (Resource::HoldLift, RC),
            (Resource::Stay, R),
        ],
    ),
    (
        Role::SiteManager,
        &[
            (Resource::Site, RCU),
            (Resource::Arrival, RCU),
            (Resource::Household, R),
            (Resource::Person, R),
            (Resource::ShelterUnit, RCU),
            (Resource::Stay, RCU),
            (Resource::Programme, R),
            (Resource::Incident, R),
            (Resource::FlowObservation, RC),
            (Resource::Statistics, R),
        ],
    ),
    (
        Role::AssistanceOfficer,
        &[
            (Resource::Site, R),
            (Resource::Arrival, R),
            (Resource::Household, R),
            (Resource::Person, R),
            (Resource::Stay, R),
            (Resource::Programme, RCU),
            (Resource::Distribution, RC),
            (Resource::Statistics, R),
        ],
    ),
    (
        Role::IncidentOfficer,
        &[
            (Resource::Site, R),
            (Resource::Arrival, RCU),
            (Resource::Person, R),
            (Resource::Incident, RCU),
            (Resource::FlowObservation, RC),
            (Resource::TracingRequest, RCU),
            (Resource::Statistics, R),
        ],
    ),
    (
        Role::DataAnalyst,
        &[
            (Resource::Site, R),
            (Resource::Arrival, R),
            (Resource::ShelterUnit, R),
            (Resource::Programme, R),
            (Resource::Incident, R),
            (Resource::FlowObservation, R),
            (Resource::Statistics, R),
        ],
    ),
    (
        Role::Supervisor,
        &[
            (Resource::Site, RCU),
            (Resource::Arrival, RCU),
            (Resource::Household, RCU),
            (Resource::Person, RU),
            (Resource::Document, RCU),
            (Resource::Duplicate, RCU),
            (Resource::User, R),
            (Resource::Consent, R),
            (Resource::SharingAgreement, R),
            (Resource::DataSubjectRequest, R),
            (Resource::Screening, R),
            (Resource::SpecificNeed, R),
            (Resource::Referral, RU),
            (Resource::Case, RU),
            (Resource::HoldLift, RCU),
            (Resource::ShelterUnit, RCU),
            (Resource::Stay, RCU),
            (Resource::Programme, RCU),
            (Resource::Distribution, RU),
            (Resource::Incident, RCU),
            (Resource::FlowObservation, R),
            (Resource::TracingRequest, RU),
            (Resource::Statistics, R),
        ],
    ),
    (
        Role::DataProtectionFocalPoint,
        &[
            (Resource::Site, R),
            (Resource::Person, RXE),
            (Resource::Household, R),
            (Resource::Document, R),
            (Resource::Organisation, R),
            (Resource::User, R),
            (Resource::AuditLog, R),
            (Resource::Consent, RU),
            (Resource::SharingAgreement, RCU),
            (Resource::DataSubjectRequest, RCU),
            (Resource::LegalHold, RCU),
            (Resource::Screening, R),
            (Resource::SpecificNeed, R),
            (Resource::Referral, R),
            (Resource::Case, R),
            (Resource::Stay, R),
            (Resource::Programme, R),
            (Resource::Distribution, R),
            (Resource::TracingRequest, R),
            (Resource::Statistics, R),
        ],
    ),
    (
        Role::Administrator,
        &[
            (Resource::Site, RCU),
            (Resource::Organisation, RCU),
            (Resource::User, RCU),
            (Resource::SharingAgreement, R),
        ],
    ),
];

/// True when `role` may take `action` on `resource`.
pub fn allows(role: Role, action: Action, resource: Resource) -> bool {
    PERMISSIONS
        .iter()
        .filter(|(r, _)| *r == role)
        .flat_map(|(_, grants)| grants.iter())
        .any(|(res, actions)| *res == resource && actions.contains(&action))
}

/// Where and why a principal acts, for the audit log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    /// The purpose the caller declared (for example `registration`, `rsd`).
    pub purpose: Option<String>,
    pub request_id: Option<String>,
    /// The client's network address.
    pub client: Option<String>,
}

/// Someone acting in Passage: a user of an organisation with roles, or the local operator
/// (the command line, which holds the database credentials and so everything they give).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: Option<Uuid>,
    /// When the principal acts: data-sharing agreements are checked at this time.
    pub at: OffsetDateTime,
    pub name: String,
    /// None only for the local operator.
    pub organisation_id: Option<Uuid>,
    pub roles: Vec<Role>,
    pub context: Context,
}

/// Refusal of an action: the principal's roles do not allow it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{who} may not {action} {resource}: no role of theirs allows it", action = .action.code(), resource = .resource.code())]
pub struct Forbidden {
    pub who: String,
    pub action: Action,
    pub resource: Resource,
}

/// Whose personal records a check lets through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Everything (the local operator).
    All,
    /// What this organisation registered or was given through a sharing agreement.
    Organisation(Uuid),
}

impl Principal {
    /// The command line: the database credentials give everything, so it may do everything;
    /// what it does is logged under its name.
    pub fn operator(at: OffsetDateTime) -> Self {
        Self {
            user_id: None,
            at,
            name: "operator".into(),
            organisation_id: None,
            roles: Vec::new(),
            context: Context::default(),
        }
    }

    pub fn is_operator(&self) -> bool {
        self.user_id.is_none() && self.organisation_id.is_none()
    }

    /// Allowed, with the scope of records it covers, or refused.
    pub fn require(&self, action: Action, resource: Resource) -> Result<Scope, Forbidden> {
        if self.is_operator() {
            return Ok(Scope::All);
        }
        let allowed = self.roles.iter().any(|r| allows(*r, action, resource));
        match (allowed, self.organisation_id) {
            (true, Some(org)) => Ok(Scope::Organisation(org)),
            _ => Err(Forbidden {
                who: self.name.clone(),
                action,
                resource,
            }),
        }
    }

    /// The role to record in the audit log for an action: the first that allows it.
    pub fn acting_role(&self, action: Action, resource: Resource) -> Option<Role> {
        self.roles
            .iter()
            .copied()
            .find(|r| allows(*r, action, resource))
    }
}

/// The table as text, one line per role, for `passage roles`.
pub fn describe() -> String {
    let mut out = String::new();
    for role in Role::ALL {
        out.push_str(role.code());
        out.push('\n');
        for resource in Resource::ALL {
            let actions: Vec<&str> = Action::ALL
                .into_iter()
                .filter(|a| allows(role, *a, resource))
                .map(Action::code)
                .collect();
            if !actions.is_empty() {
                out.push_str(&format!(
                    "  {:<22} {}\n",
                    resource.code(),
                    actions.join(", ")
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_role_has_a_line_in_the_table() {
        for role in Role::ALL {
            assert!(
                PERMISSIONS.iter().any(|(r, _)| *r == role),
                "{role} has no permissions"
            );
        }
    }

    #[test]
    fn only_the_data_protection_focal_point_exports_erases_and_runs_agreements() {
        for role in Role::ALL {
            let dpfp = role == Role::DataProtectionFocalPoint;
            assert_eq!(
                allows(role, Action::Export, Resource::Person),
                dpfp,
                "{role}"
            );
            assert_eq!(
                allows(role, Action::Erase, Resource::Person),
                dpfp,
                "{role}"
            );
            for resource in [
                Resource::SharingAgreement,
                Resource::DataSubjectRequest,
                Resource::LegalHold,
            ] {
                for action in [Action::Create, Action::Update] {
                    assert_eq!(allows(role, action, resource), dpfp, "{role} {resource:?}");
                }
            }
        }
    }

    #[test]
    fn whoever_records_consent_can_see_the_person() {
        for role in Role::ALL {
            if allows(role, Action::Create, Resource::Consent) {
                assert!(allows(role, Action::Read, Resource::Person), "{role}");
            }
        }
        assert!(allows(
            Role::RegistrationClerk,
            Action::Create,
            Resource::Consent
        ));
        assert!(allows(
            Role::Supervisor,
            Action::Read,
            Resource::DataSubjectRequest
        ));
    }

    #[test]
    fn analysts_and_administrators_never_read_personal_data() {
        for role in [Role::DataAnalyst, Role::Administrator] {
            for resource in Resource::ALL.into_iter().filter(|r| r.is_personal()) {
                assert!(
                    !allows(role, Action::Read, resource),
                    "{role} reads {resource:?}"
                );
            }
        }
    }

    fn role() -> impl Strategy<Value = Role> {
        (0..Role::ALL.len()).prop_map(|i| Role::ALL[i])
    }

    fn action() -> impl Strategy<Value = Action> {
        (0..Action::ALL.len()).prop_map(|i| Action::ALL[i])
    }

    fn resource() -> impl Strategy<Value = Resource> {
        (0..Resource::ALL.len()).prop_map(|i| Resource::ALL[i])
    }

    proptest! {
        /// A user may act exactly when one of their roles allows it, and only within
        /// their own organisation's scope.
        #[test]
        fn require_follows_the_table(roles in prop::collection::vec(role(), 0..4), a in action(), r in resource()) {
            let org = Uuid::from_u128(7);
            let p = Principal { user_id: Some(Uuid::from_u128(1)), at: OffsetDateTime::UNIX_EPOCH, name: "u".into(), organisation_id: Some(org), roles: roles.clone(), context: Context::default() };
            let expected = roles.iter().any(|role| allows(*role, a, r));
            match p.require(a, r) {
                Ok(scope) => { prop_assert!(expected); prop_assert_eq!(scope, Scope::Organisation(org)); }
                Err(_) => prop_assert!(!expected),
            }
        }

        /// A user without an organisation is refused everything, whatever their roles.
        #[test]
        fn no_organisation_no_access(roles in prop::collection::vec(role(), 1..4), a in action(), r in resource()) {
            let p = Principal { user_id: Some(Uuid::from_u128(1)), at: OffsetDateTime::UNIX_EPOCH, name: "u".into(), organisation_id: None, roles, context: Context::default() };
            prop_assert!(p.require(a, r).is_err());
        }
    }
}

/// What a client sends to create an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationDetails {
    pub name: String,
    pub kind: OrganisationKind,
    pub country: Option<crate::codes::Country>,
    /// An authority of a country people fled: nobody who sought asylum, is at risk of
    /// refoulement or is a presumed trafficking victim is ever shared with it.
    #[serde(default)]
    pub country_of_origin_authority: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Organisation {
    #[serde(flatten)]
    pub meta: crate::record::Meta,
    pub details: OrganisationDetails,
}

/// A user as others see them: never the password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct User {
    #[serde(flatten)]
    pub meta: crate::record::Meta,
    pub organisation_id: Uuid,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub disabled: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub locked_until: Option<OffsetDateTime>,
    /// The language the user reads the pages in (a BCP 47 tag such as `zh-CN`), once
    /// they picked one.
    #[serde(default)]
    #[schema(example = "zh-CN")]
    pub language: Option<String>,
}

/// Roles stored as space-separated codes.
pub fn roles_to_text(roles: &[Role]) -> String {
    roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(" ")
}

/// Reads roles stored as space-separated codes; unknown codes are dropped.
pub fn roles_from_text(s: &str) -> Vec<Role> {
    s.split_whitespace().filter_map(Role::from_code).collect()
}
