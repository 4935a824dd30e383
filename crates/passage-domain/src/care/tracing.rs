//! Family tracing: a relative asks for someone lost on the way (separated in a crossing,
//! missing after a shipwreck). The sought person is described as registration would
//! describe them, so the matching engine can look for them among the registered, and a
//! request goes nowhere without the requester's consent to search and share.

use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::age::DateOfBirth;
use crate::codes::Nationality;
use crate::data_protection::clean_text;
use crate::error::{Problems, ValidationErrors};
use crate::person::{PersonDetails, Sex};
use crate::text::{self, MAX_TEXT};

coded! {
    /// Where a tracing request stands.
    pub enum TracingStatus {
        /// Still searching.
        Open => "open",
        /// Found alive; the requester may not yet have been told or met them.
        FoundAlive => "found_alive",
        FoundDeceased => "found_deceased",
        /// Found and back with the requester.
        Reunited => "reunited",
        /// Stopped without finding them (request withdrawn, contact lost).
        Closed => "closed",
    }
}

impl TracingStatus {
    /// Whether the outcome names the person found among the registered.
    pub fn needs_found_person(self) -> bool {
        matches!(self, Self::FoundAlive | Self::Reunited)
    }
}

/// Most entries in one list (names, nationalities).
const MAX_LIST: usize = 20;

/// The person sought, as far as the requester can describe them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SoughtPerson {
    #[schema(example = "Nur")]
    pub given_name: Option<String>,
    #[schema(example = "Begum")]
    pub family_name: Option<String>,
    /// Other names, nicknames, other spellings.
    #[serde(default)]
    pub other_names: Vec<String>,
    pub sex: Sex,
    pub date_of_birth: Option<DateOfBirth>,
    #[serde(default)]
    pub nationalities: Vec<Nationality>,
    pub place_of_origin: Option<String>,
    /// Marks, clothes, anything that helps recognise them.
    pub description: Option<String>,
}

/// What a client sends to open a tracing request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TracingRequestDetails {
    pub sought: SoughtPerson,
    pub last_seen_place: Option<String>,
    #[schema(value_type = Option<String>, format = Date, example = "2026-11-20")]
    pub last_seen_on: Option<Date>,
    /// The rescue or shipwreck they were lost in, once recorded.
    pub incident_id: Option<Uuid>,
    /// Of the requester to the sought person.
    #[schema(example = "mother")]
    pub relationship: String,
    pub requester_name: String,
    /// How to reach the requester: phone, address, or the site where they stay.
    pub requester_contact: String,
    /// The requester, when registered.
    pub requester_person_id: Option<Uuid>,
    /// The requester agrees that the request is searched for and shared with the
    /// organisations that trace. Required.
    pub consent_to_share: bool,
}

fn required_text(p: &mut Problems, field: &str, v: &str) -> String {
    let v = text::clean(v).unwrap_or_default();
    if v.is_empty() {
        p.add(field, "is empty");
    } else if v.chars().count() > MAX_TEXT {
        p.add(field, format!("longer than {MAX_TEXT} characters"));
    }
    v
}

fn clean_list(p: &mut Problems, field: &str, v: Vec<String>) -> Vec<String> {
    if v.len() > MAX_LIST {
        p.add(field, format!("more than {MAX_LIST} entries"));
    }
    let mut out: Vec<String> = Vec::with_capacity(v.len());
    for (i, s) in v.iter().enumerate() {
        match text::clean(s) {
            Some(s) if s.chars().count() > MAX_TEXT => p.add(
                format!("{field}[{i}]"),
                format!("longer than {MAX_TEXT} characters"),
            ),
            Some(s) if !out.contains(&s) => out.push(s),
            Some(_) => {}
            None => p.add(format!("{field}[{i}]"), "is empty"),
        }
    }
    out
}

impl SoughtPerson {
    /// Cleans the description of the sought person; errors are named from its own fields.
    fn validated(self, today: Date) -> Result<Self, ValidationErrors> {
        let mut p = Problems::new();
        let given_name = clean_text(&mut p, "given_name", self.given_name.as_deref());
        let family_name = clean_text(&mut p, "family_name", self.family_name.as_deref());
        let other_names = clean_list(&mut p, "other_names", self.other_names);
        if given_name.is_none() && family_name.is_none() && other_names.is_empty() {
            p.add(
                "given_name",
                "the sought person needs at least one name (given, family or other)",
            );
        }
        let date_of_birth = match self.date_of_birth.map(|d| d.validated(today)) {
            Some(Ok(d)) => Some(d),
            Some(Err(e)) => {
                p.nest("date_of_birth", e);
                None
            }
            None => None,
        };
        if self.nationalities.len() > MAX_LIST {
            p.add("nationalities", format!("more than {MAX_LIST} entries"));
        }
        let mut nationalities = Vec::with_capacity(self.nationalities.len());
        for n in self.nationalities {
            if !nationalities.contains(&n) {
                nationalities.push(n);
            }
        }
        let place_of_origin =
            clean_text(&mut p, "place_of_origin", self.place_of_origin.as_deref());
        let description = clean_text(&mut p, "description", self.description.as_deref());
        p.finish(Self {
            given_name,
            family_name,
            other_names,
            sex: self.sex,
            date_of_birth,
            nationalities,
            place_of_origin,
            description,
        })
    }

    /// The sought person as the matching engine compares people: names, sex, date of
    /// birth, nationalities and place of origin. The description stays with the request.
    pub fn as_person(&self) -> PersonDetails {
        PersonDetails {
            given_name: self.given_name.clone(),
            family_name: self.family_name.clone(),
            other_names: self.other_names.clone(),
            aliases: Vec::new(),
            original_name: None,
            sex: self.sex,
            date_of_birth: self.date_of_birth,
            nationalities: self.nationalities.clone(),
            languages: Vec::new(),
            place_of_origin: self.place_of_origin.clone(),
            contact: None,
            population_type: None,
            profile_flags: Vec::new(),
        }
    }
}

impl TracingRequestDetails {
    /// Cleans every text, and refuses a request without the requester's consent, without
    /// a name for the sought person, without a way to reach the requester, or with a date
    /// after `today`.
    pub fn validated(self, today: Date) -> Result<Self, ValidationErrors> {
        let mut p = Problems::new();
        let sought = match self.sought.clone().validated(today) {
            Ok(s) => s,
            Err(e) => {
                p.nest("sought", e);
                self.sought
            }
        };
        let last_seen_place =
            clean_text(&mut p, "last_seen_place", self.last_seen_place.as_deref());
        if let Some(d) = self.last_seen_on.filter(|d| *d > today) {
            p.add("last_seen_on", format!("{d} is in the future"));
        }
        let relationship = required_text(&mut p, "relationship", &self.relationship);
        let requester_name = required_text(&mut p, "requester_name", &self.requester_name);
        let requester_contact = required_text(&mut p, "requester_contact", &self.requester_contact);
        if !self.consent_to_share {
            p.add(
                "consent_to_share",
                "a tracing request needs the requester's consent to search and share",
            );
        }
        p.finish(Self {
            sought,
            last_seen_place,
            relationship,
            requester_name,
            requester_contact,
            ..self
        })
    }
}

/// How a tracing request ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TracingOutcome {
    pub status: TracingStatus,
    /// What was found or why the search stopped.
    pub reason: String,
    /// The registered person found; required when found alive or reunited.
    pub found_person_id: Option<Uuid>,
}

impl TracingOutcome {
    /// Refuses `open` (not an outcome), an outcome without a reason, and a person found
    /// alive or reunited without saying who.
    pub fn validated(self) -> Result<Self, ValidationErrors> {
        let mut p = Problems::new();
        if self.status == TracingStatus::Open {
            p.add(
                "status",
                "open is not an outcome: give found_alive, found_deceased, reunited or closed",
            );
        }
        let reason = required_text(&mut p, "reason", &self.reason);
        if self.status.needs_found_person() && self.found_person_id.is_none() {
            p.add(
                "found_person_id",
                format!("say who was found ({})", self.status.code()),
            );
        }
        p.finish(Self { reason, ..self })
    }
}

#[cfg(test)]
mod tests;
