//! Sites: where people land, cross, are received and sheltered.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::codes::{Country, PCode};
use crate::error::{Problems, ValidationErrors};
use crate::regno::SiteCode;
use crate::text::{self, MAX_TEXT};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SiteKind {
    LandingPoint,
    BorderCrossingPoint,
    ReceptionCentre,
    TemporaryCamp,
    TransitCentre,
}

impl SiteKind {
    pub const ALL: [SiteKind; 5] = [
        Self::LandingPoint,
        Self::BorderCrossingPoint,
        Self::ReceptionCentre,
        Self::TemporaryCamp,
        Self::TransitCentre,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::LandingPoint => "landing_point",
            Self::BorderCrossingPoint => "border_crossing_point",
            Self::ReceptionCentre => "reception_centre",
            Self::TemporaryCamp => "temporary_camp",
            Self::TransitCentre => "transit_centre",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// WGS 84 coordinates in decimal degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Coordinates {
    #[schema(example = 5.5483)]
    pub latitude: f64,
    #[schema(example = 95.3238)]
    pub longitude: f64,
}

impl Coordinates {
    pub fn validated(self) -> Result<Self, ValidationErrors> {
        let mut p = Problems::new();
        if !(-90.0..=90.0).contains(&self.latitude) {
            p.add("latitude", format!("{} is outside -90..90", self.latitude));
        }
        if !(-180.0..=180.0).contains(&self.longitude) {
            p.add(
                "longitude",
                format!("{} is outside -180..180", self.longitude),
            );
        }
        p.finish(self)
    }
}

/// What a client sends to create or replace a site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteDetails {
    /// Prefix of the registration numbers issued here.
    pub code: SiteCode,
    #[schema(example = "Ujong Pie landing point")]
    pub name: String,
    pub kind: SiteKind,
    pub country: Country,
    pub admin_pcode: Option<PCode>,
    pub coordinates: Option<Coordinates>,
    /// Beds or places; 0 for a point where nobody stays.
    #[serde(default)]
    pub capacity: u32,
    /// A closed site takes no admissions or transfers; its records stay.
    #[serde(default)]
    pub closed: bool,
}

impl SiteDetails {
    pub fn validated(self) -> Result<Self, ValidationErrors> {
        let mut p = Problems::new();
        let name = text::clean(&self.name).unwrap_or_default();
        if name.is_empty() {
            p.add("name", "is empty");
        } else if name.chars().count() > MAX_TEXT {
            p.add("name", format!("longer than {MAX_TEXT} characters"));
        }
        let coordinates = match self.coordinates.map(Coordinates::validated) {
            Some(Ok(c)) => Some(c),
            Some(Err(e)) => {
                p.nest("coordinates", e);
                None
            }
            None => None,
        };
        p.finish(Self {
            name,
            coordinates,
            ..self
        })
    }
}
