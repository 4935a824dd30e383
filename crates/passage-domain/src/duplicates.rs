//! Decisions on possible duplicates, and the review queue.
//!
//! A pair of persons the matching engine finds alike is decided once: **merge** (the
//! second record is the same person registered again; it is kept, marked merged into the
//! first, and can be unmerged), **link** (the same person, both records kept: two
//! organisations' registrations, say) or **not a duplicate** (remembered, so the pair
//! never comes back). Every decision says who and why, and can be undone.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::data_protection::clean_text;
use crate::error::{Problems, ValidationErrors};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// `person_b` is `person_a` registered again: marked merged into it.
    Merge,
    /// The same person; both records kept and linked.
    Link,
    /// Two different people.
    NotDuplicate,
}

impl DecisionKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Merge => "merge",
            Self::Link => "link",
            Self::NotDuplicate => "not_duplicate",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Merge, Self::Link, Self::NotDuplicate]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

/// A decision as a client sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDecision {
    /// For a merge, the record kept.
    pub person_a: Uuid,
    /// For a merge, the record merged into `person_a`.
    pub person_b: Uuid,
    pub decision: DecisionKind,
    /// Why: what the officer checked (documents seen, family asked, …).
    pub reason: String,
}

impl NewDecision {
    /// A decision on two different persons with a reason; link and not-duplicate
    /// decisions are put in a fixed order (`person_a` < `person_b`).
    pub fn validated(self) -> Result<Self, ValidationErrors> {
        let mut p = Problems::new();
        if self.person_a == self.person_b {
            p.add("person_b", "the same person as person_a");
        }
        let reason = validated_reason(&mut p, "reason", &self.reason);
        p.finish(())?;
        let (a, b) = match self.decision {
            DecisionKind::Merge => (self.person_a, self.person_b),
            _ => (
                self.person_a.min(self.person_b),
                self.person_a.max(self.person_b),
            ),
        };
        Ok(Self {
            person_a: a,
            person_b: b,
            decision: self.decision,
            reason,
        })
    }
}

/// A reason, cleaned ([`clean_text`]): required.
pub fn validated_reason(p: &mut Problems, field: &str, reason: &str) -> String {
    clean_text(p, field, Some(reason)).unwrap_or_else(|| {
        p.add(field, "required: say why");
        String::new()
    })
}

/// A recorded decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Decision {
    pub id: Uuid,
    pub person_a: Uuid,
    pub person_b: Uuid,
    pub decision: DecisionKind,
    pub reason: String,
    pub decided_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub decided_at: OffsetDateTime,
    pub undone_by: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub undone_at: Option<OffsetDateTime>,
    pub undo_reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Waiting for a decision.
    Open,
    /// Decided (see the pair's decision).
    Decided,
    /// Closed without a decision: an edit made the two no longer alike.
    Closed,
}

impl ReviewStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Decided => "decided",
            Self::Closed => "closed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Open, Self::Decided, Self::Closed]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// What one field contributed to a pair's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct FieldScore {
    /// name, date of birth, sex, nationality, place of origin, document number, address.
    pub field: String,
    /// The comparison level: exact, variant, skeleton, same-year, missing, …
    pub level: String,
    /// The field's weight (log2 of the likelihood ratio; negative counts against).
    pub weight: f64,
    pub explanation: String,
}

/// A pair waiting for (or past) review, most probable first in the queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReviewItem {
    pub id: Uuid,
    pub person_a: Uuid,
    pub person_b: Uuid,
    /// The match probability when the pair was found.
    pub probability: f64,
    pub fields: Vec<FieldScore>,
    /// `registration` or `batch`.
    pub found_by: String,
    pub status: ReviewStatus,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub closed_at: Option<OffsetDateTime>,
    pub closed_reason: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_need_two_persons_and_a_reason() {
        let (x, y) = (Uuid::now_v7(), Uuid::now_v7());
        let d = |a, b, decision, reason: &str| NewDecision {
            person_a: a,
            person_b: b,
            decision,
            reason: reason.into(),
        };
        let err = d(x, x, DecisionKind::Link, " ").validated().unwrap_err();
        let fields: Vec<&str> = err.0.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["person_b", "reason"]);
        let ok = d(y, x, DecisionKind::NotDuplicate, "different fathers")
            .validated()
            .unwrap();
        assert_eq!((ok.person_a, ok.person_b), (x, y), "ordered");
        let merge = d(y, x, DecisionKind::Merge, "same passport")
            .validated()
            .unwrap();
        assert_eq!(
            (merge.person_a, merge.person_b),
            (y, x),
            "merge keeps its order"
        );
    }
}
