//! The rights of the people registered: requests for access, rectification, erasure or
//! objection, tracked with a deadline, an outcome or a refusal reason; and legal holds,
//! which keep a record from erasure while proceedings need it.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use super::clean_text;
use crate::error::{Problems, ValidationErrors};
use crate::record::Meta;

/// Days within which a data-subject request is answered (UNHCR and IOM policies, GDPR
/// Art. 12(3) use one month).
pub const RESPONSE_DAYS: i64 = 30;

/// When a request received at `received_at` is due.
pub fn due_at(received_at: OffsetDateTime) -> OffsetDateTime {
    received_at + Duration::days(RESPONSE_DAYS)
}

coded! {
    /// What the person asks for.
    pub enum RequestKind {
        /// Everything held about them.
        Access => "access",
        /// A correction.
        Rectification => "rectification",
        /// Deletion of their record.
        Erasure => "erasure",
        /// An objection to some processing.
        Objection => "objection",
    }
}

coded! {
    /// Where a request stands.
    pub enum RequestStatus {
        Open => "open",
        Completed => "completed",
        Refused => "refused",
    }
}

/// What a client sends to record a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDataSubjectRequest {
    pub person_id: Uuid,
    pub kind: RequestKind,
    /// What the person asked, in their words.
    pub details: Option<String>,
    /// When the request reached the organisation; now when left out. Never in the future.
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub received_at: Option<OffsetDateTime>,
}

/// A request that passed every check, with its deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRequest {
    pub person_id: Uuid,
    pub kind: RequestKind,
    pub details: Option<String>,
    pub received_at: OffsetDateTime,
    pub due_at: OffsetDateTime,
}

impl NewDataSubjectRequest {
    pub fn validated(self, now: OffsetDateTime) -> Result<ValidRequest, ValidationErrors> {
        let mut p = Problems::new();
        let details = clean_text(&mut p, "details", self.details.as_deref());
        let received_at = self.received_at.unwrap_or(now);
        if received_at > now {
            p.add("received_at", "is in the future");
        }
        p.finish(ValidRequest {
            person_id: self.person_id,
            kind: self.kind,
            details,
            received_at,
            due_at: due_at(received_at),
        })
    }
}

/// How a request is closed: completed with what was done, or refused with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseRequest {
    /// `completed` or `refused`.
    pub status: RequestStatus,
    /// What was done; required to complete.
    pub outcome: Option<String>,
    /// Why the request was refused; required to refuse.
    pub refusal_reason: Option<String>,
}

impl CloseRequest {
    /// Checks the closing: a final status, an outcome to complete, a reason to refuse.
    pub fn validated(self) -> Result<Self, ValidationErrors> {
        let mut p = Problems::new();
        let outcome = clean_text(&mut p, "outcome", self.outcome.as_deref());
        let refusal_reason = clean_text(&mut p, "refusal_reason", self.refusal_reason.as_deref());
        match self.status {
            RequestStatus::Open => p.add("status", "close a request as completed or refused"),
            RequestStatus::Completed => {
                if outcome.is_none() {
                    p.add("outcome", "say what was done to complete the request");
                }
                if refusal_reason.is_some() {
                    p.add(
                        "refusal_reason",
                        "only a refused request has a refusal reason",
                    );
                }
            }
            RequestStatus::Refused => {
                if refusal_reason.is_none() {
                    p.add("refusal_reason", "a refusal needs a reason");
                }
            }
        }
        p.finish(Self {
            status: self.status,
            outcome,
            refusal_reason,
        })
    }
}

/// A data-subject request as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DataSubjectRequest {
    #[serde(flatten)]
    pub meta: Meta,
    pub person_id: Uuid,
    pub kind: RequestKind,
    pub details: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub received_at: OffsetDateTime,
    /// Thirty days after `received_at`.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub due_at: OffsetDateTime,
    pub status: RequestStatus,
    /// True when still open after its deadline, at the time of the request.
    pub overdue: bool,
    pub outcome: Option<String>,
    pub refusal_reason: Option<String>,
    /// The user who recorded it.
    pub recorded_by: String,
    /// The user who closed it.
    pub handled_by: Option<String>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<OffsetDateTime>,
}

/// Why a person is erased: the erasure request it answers, or a stated reason; one of the
/// two at least.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ErasureRequest {
    /// A data-subject request of kind `erasure` about this person.
    pub data_subject_request_id: Option<Uuid>,
    pub reason: Option<String>,
}

impl ErasureRequest {
    pub fn validated(self) -> Result<Self, ValidationErrors> {
        let mut p = Problems::new();
        let reason = clean_text(&mut p, "reason", self.reason.as_deref());
        if self.data_subject_request_id.is_none() && reason.is_none() {
            p.add(
                "reason",
                "give the erasure request (data_subject_request_id) or a reason",
            );
        }
        p.finish(Self { reason, ..self })
    }
}

/// What a client sends to place a legal hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LegalHoldRequest {
    /// Why the record must be kept (proceedings, investigation, court order).
    pub reason: String,
}

impl LegalHoldRequest {
    pub fn validated(self) -> Result<String, ValidationErrors> {
        let mut p = Problems::new();
        let reason = clean_text(&mut p, "reason", Some(&self.reason));
        match reason {
            Some(r) => p.finish(r),
            None => Err(ValidationErrors::one(
                "reason",
                "say why the record must be kept",
            )),
        }
    }
}

/// A legal hold on a person's record: while it is on, the record is neither erased nor
/// anonymised by retention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LegalHold {
    pub person_id: Uuid,
    pub reason: String,
    pub placed_by: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub placed_at: OffsetDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-27 10:00 UTC);

    #[test]
    fn a_request_is_due_thirty_days_after_it_was_received() {
        let r = NewDataSubjectRequest {
            person_id: Uuid::from_u128(1),
            kind: RequestKind::Access,
            details: None,
            received_at: Some(datetime!(2026-11-20 09:00 UTC)),
        }
        .validated(NOW)
        .unwrap();
        assert_eq!(r.due_at, datetime!(2026-12-20 09:00 UTC));
        let future = NewDataSubjectRequest {
            received_at: Some(NOW + Duration::days(1)),
            ..NewDataSubjectRequest {
                person_id: Uuid::from_u128(1),
                kind: RequestKind::Erasure,
                details: None,
                received_at: None,
            }
        };
        assert_eq!(future.validated(NOW).unwrap_err().0[0].field, "received_at");
    }

    #[test]
    fn a_refusal_needs_a_reason_and_a_completion_an_outcome() {
        let close = |status, outcome: Option<&str>, reason: Option<&str>| CloseRequest {
            status,
            outcome: outcome.map(str::to_owned),
            refusal_reason: reason.map(str::to_owned),
        };
        let err = close(RequestStatus::Refused, None, Some("  "))
            .validated()
            .unwrap_err();
        assert_eq!(err.0[0].field, "refusal_reason");
        assert!(
            close(RequestStatus::Refused, None, Some("legal hold"))
                .validated()
                .is_ok()
        );
        let err = close(RequestStatus::Completed, None, None)
            .validated()
            .unwrap_err();
        assert_eq!(err.0[0].field, "outcome");
        let err = close(RequestStatus::Open, None, None)
            .validated()
            .unwrap_err();
        assert_eq!(err.0[0].field, "status");
    }

    #[test]
    fn an_erasure_needs_grounds() {
        let err = ErasureRequest::default().validated().unwrap_err();
        assert_eq!(err.0[0].field, "reason");
        assert!(
            ErasureRequest {
                data_subject_request_id: Some(Uuid::from_u128(3)),
                reason: None
            }
            .validated()
            .is_ok()
        );
    }

    #[test]
    fn a_hold_needs_a_reason() {
        let err = LegalHoldRequest { reason: " ".into() }
            .validated()
            .unwrap_err();
        assert_eq!(err.0[0].field, "reason");
    }
}
