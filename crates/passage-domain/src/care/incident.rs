//! Incidents on the way: rescues, shipwrecks, deaths and disappearances, recorded with the
//! minimum counts and the source they come from, and exported in the columns of IOM's
//! Missing Migrants Project (MMP) so that the deaths Passage learns of are counted there too.

use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::arrival::MAX_PERSONS_REPORTED;
use crate::codes::Country;
use crate::data_protection::clean_text;
use crate::error::{Problems, ValidationErrors};
use crate::site::Coordinates;
use crate::text::{self, MAX_TEXT};

coded! {
    /// What happened.
    pub enum IncidentKind {
        /// People taken out of danger, with or without losses.
        Rescue => "rescue",
        /// A boat lost or sunk.
        Shipwreck => "shipwreck",
        /// Deaths on the way outside a shipwreck (desert, vehicle, violence, illness).
        Death => "death",
        /// People gone missing, presumed dead.
        Disappearance => "disappearance",
    }
}

coded! {
    /// How reliable the source is, in the Missing Migrants Project scale from 5 (best) to
    /// 1 (worst); see [`SourceQuality::score`].
    pub enum SourceQuality {
        /// 5: official records (coroner, coast guard, authorities).
        Official => "official",
        /// 4: several independent sources agree.
        Multiple => "multiple",
        /// 3: one source from an organisation (IOM, UNHCR, an NGO).
        Single => "single",
        /// 2: media reports.
        Media => "media",
        /// 1: unverified, one informal account.
        Unverified => "unverified",
    }
}

impl SourceQuality {
    /// The MMP score: 5 for official records down to 1 for unverified.
    pub fn score(self) -> u8 {
        match self {
            Self::Official => 5,
            Self::Multiple => 4,
            Self::Single => 3,
            Self::Media => 2,
            Self::Unverified => 1,
        }
    }

    /// The quality of an MMP score; None outside 1..5.
    pub fn from_score(score: u8) -> Option<Self> {
        Self::ALL.iter().copied().find(|q| q.score() == score)
    }
}

/// Survivors by sex, and how many of them are children (counted in `female` or `male`
/// too when their sex is known).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurvivorCounts {
    #[serde(default)]
    pub female: u32,
    #[serde(default)]
    pub male: u32,
    #[serde(default)]
    pub children: u32,
}

/// What a client sends to record an incident. Counts are minimums: what is known, never
/// a guess added on top.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IncidentDetails {
    pub kind: IncidentKind,
    /// The day it happened, or the best estimate (ISO 8601 date).
    #[schema(value_type = String, format = Date, example = "2026-11-25")]
    pub occurred_on: Date,
    pub coordinates: Option<Coordinates>,
    /// Sea area or place, in words.
    #[schema(example = "40 nautical miles off Ujong Pie")]
    pub location: Option<String>,
    #[schema(example = "Bay of Bengal – Andaman Sea")]
    pub route: Option<String>,
    /// The country where it happened, or whose waters.
    pub country: Option<Country>,
    /// The boat or vehicle, if known.
    pub vessel: Option<String>,
    /// How many were aboard or in the group, estimated.
    pub persons_aboard: Option<u32>,
    #[serde(default)]
    pub rescued: u32,
    /// Bodies recovered or deaths confirmed; a minimum.
    #[serde(default)]
    pub dead: u32,
    /// Missing, presumed dead; a minimum.
    #[serde(default)]
    pub missing: u32,
    #[serde(default)]
    pub survivors: SurvivorCounts,
    #[schema(example = "Drowning")]
    pub cause: Option<String>,
    #[serde(default)]
    pub origin_countries: Vec<Country>,
    /// Who reported it.
    #[schema(example = "UNHCR Indonesia")]
    pub source: String,
    pub source_quality: SourceQuality,
    pub source_url: Option<String>,
}

impl IncidentDetails {
    /// Cleans the texts and refuses a date after `today`, coordinates off the globe,
    /// counts that do not add up, and an incident without a source.
    pub fn validated(self, today: Date) -> Result<Self, ValidationErrors> {
        let mut p = Problems::new();
        if self.occurred_on > today {
            p.add(
                "occurred_on",
                format!("{} is in the future", self.occurred_on),
            );
        }
        let coordinates = match self.coordinates.map(Coordinates::validated) {
            Some(Ok(c)) => Some(c),
            Some(Err(e)) => {
                p.nest("coordinates", e);
                None
            }
            None => None,
        };
        for (field, n) in [
            ("persons_aboard", self.persons_aboard.unwrap_or(0)),
            ("rescued", self.rescued),
            ("dead", self.dead),
            ("missing", self.missing),
        ] {
            if n > MAX_PERSONS_REPORTED {
                p.add(field, format!("{n} is more than {MAX_PERSONS_REPORTED}"));
            }
        }
        let accounted = u64::from(self.rescued) + u64::from(self.dead) + u64::from(self.missing);
        if let Some(aboard) = self.persons_aboard
            && accounted > u64::from(aboard)
        {
            p.add(
                "persons_aboard",
                format!(
                    "{aboard} aboard, but {} rescued, {} dead and {} missing make {accounted}",
                    self.rescued, self.dead, self.missing
                ),
            );
        }
        let s = self.survivors;
        let by_sex = u64::from(s.female) + u64::from(s.male);
        if by_sex > u64::from(self.rescued) {
            p.add(
                "survivors",
                format!(
                    "{} female and {} male survivors make {by_sex}, more than the {} rescued",
                    s.female, s.male, self.rescued
                ),
            );
        }
        if s.children > self.rescued {
            p.add(
                "survivors.children",
                format!(
                    "{} children, more than the {} rescued",
                    s.children, self.rescued
                ),
            );
        }
        let location = clean_text(&mut p, "location", self.location.as_deref());
        let route = clean_text(&mut p, "route", self.route.as_deref());
        let vessel = clean_text(&mut p, "vessel", self.vessel.as_deref());
        let cause = clean_text(&mut p, "cause", self.cause.as_deref());
        let source = text::clean(&self.source).unwrap_or_default();
        if source.is_empty() {
            p.add("source", "say who reported it");
        } else if source.chars().count() > MAX_TEXT {
            p.add("source", format!("longer than {MAX_TEXT} characters"));
        }
        let source_url = clean_text(&mut p, "source_url", self.source_url.as_deref());
        if source_url
            .as_deref()
            .is_some_and(|u| !(u.starts_with("https://") || u.starts_with("http://")))
        {
            p.add("source_url", "is not a web address (http:// or https://)");
        }
        let mut origin_countries = Vec::with_capacity(self.origin_countries.len());
        for c in self.origin_countries {
            if !origin_countries.contains(&c) {
                origin_countries.push(c);
            }
        }
        p.finish(Self {
            coordinates,
            location,
            route,
            vessel,
            cause,
            origin_countries,
            source,
            source_url,
            ..self
        })
    }

    /// Whether the incident belongs in the Missing Migrants Project, which counts deaths
    /// and disappearances only: a rescue without losses does not.
    pub fn is_mmp_incident(&self) -> bool {
        self.dead > 0 || self.missing > 0
    }
}

/// The Missing Migrants Project columns, in order.
pub const MMP_COLUMNS: [&str; 25] = [
    "Main ID",
    "Incident ID",
    "Incident Type",
    "Incident Date",
    "Incident Year",
    "Reported Month",
    "Number of Dead",
    "Minimum Estimated Number of Missing",
    "Total Number of Dead and Missing",
    "Number of Survivors",
    "Number of Females",
    "Number of Males",
    "Number of Children",
    "Country of Origin",
    "Region of Origin",
    "Cause of Death",
    "Region of Incident",
    "Country of Incident",
    "Migration Route",
    "Location of Death",
    "Coordinates",
    "UNSD Geographical Grouping",
    "Information Source",
    "Source Quality",
    "URL",
];

/// One incident as an MMP row (same order); columns Passage does not know are empty.
///
/// - Main ID and Incident ID are both the incident's id: Passage records each incident
///   once, never split.
/// - Incident Type is `Incident`, the MMP type of a single recorded event (the other MMP
///   types, split and cumulative, are made by MMP when merging sources).
/// - Number of Females, Males and Children count the dead and missing in MMP, which
///   Passage does not break down: they are left empty (the survivor counts are something
///   else and are not put there).
/// - Region of Origin, Region of Incident and UNSD Geographical Grouping are MMP's own
///   classifications: empty.
/// - Reported Month is the English name of the month of `occurred_on`; Coordinates are
///   `lat, lon`; Country of Origin the ISO 3166 alpha-3 codes joined by `, `; Source
///   Quality the score as text.
pub fn mmp_row(id: Uuid, d: &IncidentDetails) -> Vec<String> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let total = u64::from(d.dead) + u64::from(d.missing);
    let origins = d
        .origin_countries
        .iter()
        .map(Country::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    vec![
        id.to_string(),
        id.to_string(),
        "Incident".to_owned(),
        d.occurred_on.to_string(),
        d.occurred_on.year().to_string(),
        d.occurred_on.month().to_string(),
        d.dead.to_string(),
        d.missing.to_string(),
        total.to_string(),
        d.rescued.to_string(),
        String::new(),
        String::new(),
        String::new(),
        origins,
        String::new(),
        opt(&d.cause),
        String::new(),
        d.country
            .as_ref()
            .map(|c| c.as_str().to_owned())
            .unwrap_or_default(),
        opt(&d.route),
        opt(&d.location),
        d.coordinates
            .map(|c| format!("{}, {}", c.latitude, c.longitude))
            .unwrap_or_default(),
        String::new(),
        d.source.clone(),
        d.source_quality.score().to_string(),
        opt(&d.source_url),
    ]
}

#[cfg(test)]
mod tests;
