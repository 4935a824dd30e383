//! Flow monitoring: counts of people passing a monitoring point, by direction, route and
//! sex and age bracket, to see movements that registration never sees.
//!
//! Anonymous by construction: an observation holds no names and no ids of persons, only
//! counts and places, so it can be kept and shared as statistics without a legal basis for
//! personal data.

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::arrival::MAX_PERSONS_REPORTED;
use crate::codes::{Country, Nationality};
use crate::data_protection::clean_text;
use crate::error::{Problems, ValidationErrors};
use crate::household::Breakdown;

coded! {
    /// Which way the group is going, seen from the monitoring point's country.
    pub enum Direction {
        Incoming => "incoming",
        Outgoing => "outgoing",
        /// Passing through on the way elsewhere.
        Transit => "transit",
    }
}

coded! {
    /// How the group travels.
    pub enum TransportMode {
        Foot => "foot",
        Bus => "bus",
        Car => "car",
        Truck => "truck",
        Boat => "boat",
        Train => "train",
        Air => "air",
        Other => "other",
    }
}

/// Devices' clocks differ by a few minutes; an observation that far ahead is not refused.
const CLOCK_DRIFT: Duration = Duration::minutes(10);

/// Most nationalities one observation lists.
const MAX_NATIONALITIES: usize = 20;

/// One group seen passing a monitoring point. No person in it is named or identified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowObservation {
    /// The monitoring point.
    pub site_id: Uuid,
    /// When the group passed (RFC 3339).
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime, example = "2026-11-26T08:15:00+06:00")]
    pub observed_at: OffsetDateTime,
    pub direction: Direction,
    /// Where the group set out from, in words.
    #[schema(example = "Maungdaw")]
    pub origin: Option<String>,
    pub origin_country: Option<Country>,
    /// Where the group goes next.
    pub next_destination: Option<String>,
    /// Where the group means to end up.
    pub final_destination: Option<String>,
    pub final_destination_country: Option<Country>,
    #[serde(default)]
    pub nationalities: Vec<Nationality>,
    pub transport: TransportMode,
    /// How many, by sex and age bracket.
    pub counts: Breakdown,
}

/// The people counted, without the overflow a sum of `u32` could have.
fn total(b: &Breakdown) -> u64 {
    [
        b.f_0_4, b.f_5_11, b.f_12_17, b.f_18_59, b.f_60, b.f_other, b.m_0_4, b.m_5_11, b.m_12_17,
        b.m_18_59, b.m_60, b.m_other, b.x_total,
    ]
    .into_iter()
    .map(u64::from)
    .sum()
}

impl FlowObservation {
    /// Cleans the texts and refuses an observation in the future of `now` (beyond a few
    /// minutes of clock drift) or one that counts nobody.
    pub fn validated(self, now: OffsetDateTime) -> Result<Self, ValidationErrors> {
        let mut p = Problems::new();
        if self.observed_at > now + CLOCK_DRIFT {
            p.add(
                "observed_at",
                format!("{} is in the future", self.observed_at),
            );
        }
        let n = total(&self.counts);
        if n == 0 {
            p.add("counts", "a group of nobody");
        } else if n > u64::from(MAX_PERSONS_REPORTED) {
            p.add(
                "counts",
                format!("{n} people is more than {MAX_PERSONS_REPORTED}"),
            );
        }
        if self.nationalities.len() > MAX_NATIONALITIES {
            p.add(
                "nationalities",
                format!("more than {MAX_NATIONALITIES} entries"),
            );
        }
        let origin = clean_text(&mut p, "origin", self.origin.as_deref());
        let next_destination =
            clean_text(&mut p, "next_destination", self.next_destination.as_deref());
        let final_destination = clean_text(
            &mut p,
            "final_destination",
            self.final_destination.as_deref(),
        );
        let mut nationalities = Vec::with_capacity(self.nationalities.len());
        for n in self.nationalities {
            if !nationalities.contains(&n) {
                nationalities.push(n);
            }
        }
        p.finish(Self {
            origin,
            next_destination,
            final_destination,
            nationalities,
            ..self
        })
    }

    /// How many people the observation counts.
    pub fn people(&self) -> u64 {
        total(&self.counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-27 10:00 UTC);

    fn observation() -> FlowObservation {
        FlowObservation {
            site_id: Uuid::from_u128(1),
            observed_at: NOW - Duration::hours(2),
            direction: Direction::Transit,
            origin: Some(" Maungdaw ".into()),
            origin_country: Some(Country::try_from("MMR".to_owned()).unwrap()),
            next_destination: Some("  ".into()),
            final_destination: Some("Kuala Lumpur".into()),
            final_destination_country: Some(Country::try_from("MYS".to_owned()).unwrap()),
            nationalities: vec![Nationality::Stateless, Nationality::Stateless],
            transport: TransportMode::Boat,
            counts: Breakdown {
                f_18_59: 3,
                m_0_4: 2,
                ..Default::default()
            },
        }
    }

    fn fields(e: &ValidationErrors) -> Vec<&str> {
        e.0.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn an_observation_is_cleaned() {
        let v = observation().validated(NOW).unwrap();
        assert_eq!(v.origin.as_deref(), Some("Maungdaw"));
        assert_eq!(v.next_destination, None);
        assert_eq!(v.nationalities, [Nationality::Stateless]);
        assert_eq!(v.people(), 5);
    }

    #[test]
    fn an_observation_cannot_be_in_the_future() {
        let ok = FlowObservation {
            observed_at: NOW + CLOCK_DRIFT,
            ..observation()
        };
        assert!(ok.validated(NOW).is_ok());
        let late = FlowObservation {
            observed_at: NOW + CLOCK_DRIFT + Duration::seconds(1),
            ..observation()
        };
        assert_eq!(fields(&late.validated(NOW).unwrap_err()), ["observed_at"]);
    }

    #[test]
    fn a_group_of_nobody_is_refused() {
        let d = FlowObservation {
            counts: Breakdown::default(),
            ..observation()
        };
        let e = d.validated(NOW).unwrap_err();
        assert_eq!(fields(&e), ["counts"]);
        assert_eq!(e.0[0].message, "a group of nobody");
        let huge = FlowObservation {
            counts: Breakdown {
                f_0_4: u32::MAX,
                m_0_4: u32::MAX,
                ..Default::default()
            },
            ..observation()
        };
        assert_eq!(fields(&huge.validated(NOW).unwrap_err()), ["counts"]);
    }

    #[test]
    fn an_observation_names_nobody() {
        let json = serde_json::to_value(observation()).unwrap();
        assert_eq!(json["observed_at"], "2026-11-27T08:00:00Z");
        assert_eq!(json["direction"], "transit");
        assert_eq!(json["transport"], "boat");
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        for k in keys {
            assert!(!k.contains("name") && !k.contains("person"), "{k}");
        }
        let mut with_name = json.clone();
        with_name["given_name"] = serde_json::json!("Nur");
        assert!(serde_json::from_value::<FlowObservation>(with_name).is_err());
        assert_eq!(
            serde_json::from_value::<FlowObservation>(json).unwrap(),
            observation()
        );
    }

    #[test]
    fn codes_are_the_serde_names() {
        for d in Direction::ALL {
            assert_eq!(
                serde_json::to_value(d).unwrap(),
                serde_json::json!(d.code())
            );
        }
        for t in TransportMode::ALL {
            assert_eq!(
                serde_json::to_value(t).unwrap(),
                serde_json::json!(t.code())
            );
            assert_eq!(TransportMode::from_code(t.code()), Some(*t));
        }
    }
}
