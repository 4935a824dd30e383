//! Arrivals: one landing, crossing or convoy, at one site, at one time.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::codes::Country;
use crate::error::{Problems, ValidationErrors};
use crate::text::{self, MAX_TEXT};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ArrivalMode {
    Sea,
    Land,
    Air,
}

impl ArrivalMode {
    pub fn code(self) -> &'static str {
        match self {
            Self::Sea => "sea",
            Self::Land => "land",
            Self::Air => "air",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        [Self::Sea, Self::Land, Self::Air]
            .into_iter()
            .find(|m| m.code() == s)
    }
}

/// Largest group Passage accepts as one arrival.
pub const MAX_PERSONS_REPORTED: u32 = 100_000;

/// What a client sends to record an arrival.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArrivalDetails {
    pub site_id: Uuid,
    pub mode: ArrivalMode,
    /// When the arrival happened (RFC 3339).
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime, example = "2026-11-26T02:40:00+07:00")]
    pub arrived_at: OffsetDateTime,
    #[schema(example = "Andaman Sea")]
    pub route: Option<String>,
    /// Where the journey started, in words.
    #[schema(example = "Cox's Bazar, Bangladesh")]
    pub origin: Option<String>,
    pub origin_country: Option<Country>,
    /// Persons counted or reported at arrival, before registration.
    pub persons_reported: Option<u32>,
    /// The rescue or incident that produced this arrival, once recorded.
    pub incident_id: Option<Uuid>,
    pub notes: Option<String>,
}

impl ArrivalDetails {
    /// Cleans text and refuses an arrival in the future of `now` (a few minutes of clock
    /// drift between devices are allowed).
    pub fn validated(self, now: OffsetDateTime) -> Result<Self, ValidationErrors> {
        let mut p = Problems::new();
        if self.arrived_at > now + time::Duration::minutes(10) {
            p.add(
                "arrived_at",
                format!("{} is in the future", self.arrived_at),
            );
        }
        if self
            .persons_reported
            .is_some_and(|n| n > MAX_PERSONS_REPORTED)
        {
            p.add(
                "persons_reported",
                format!("more than {MAX_PERSONS_REPORTED}"),
            );
        }
        let mut clean = |field: &str, v: Option<String>| {
            let v = v.as_deref().and_then(text::clean);
            if v.as_ref().is_some_and(|s| s.chars().count() > MAX_TEXT) {
                p.add(field, format!("longer than {MAX_TEXT} characters"));
            }
            v
        };
        let route = clean("route", self.route);
        let origin = clean("origin", self.origin);
        let notes = clean("notes", self.notes);
        p.finish(Self {
            route,
            origin,
            notes,
            ..self
        })
    }
}
