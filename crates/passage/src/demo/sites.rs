//! The sites of the scenario, and its arrivals.

use anyhow::Context;
use passage_domain::arrival::ArrivalDetails;
use passage_domain::site::SiteKind::{
    self, BorderCrossingPoint, LandingPoint, ReceptionCentre, TransitCentre,
};
use passage_domain::site::{Coordinates, SiteDetails};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::sea::LANDED_AT;
use super::{Scenario, code};

pub(super) const LANDING_POINT: &str = "PDE";
/// A site of the scenario, in Indonesia.
pub(super) struct SiteSpec {
    code: &'static str,
    name: &'static str,
    kind: SiteKind,
    admin_pcode: &'static str,
    /// Latitude and longitude.
    coordinates: Option<(f64, f64)>,
    capacity: u32,
}

/// The landing point (its code first in the list), a reception centre, the border post (third)
/// and a transit centre.
pub(super) const SITES: [SiteSpec; 4] = [
    SiteSpec {
        code: LANDING_POINT,
        name: "Ujong Pie beach, Pidie",
        kind: LandingPoint,
        admin_pcode: "ID1107",
        coordinates: Some((5.43, 95.98)),
        capacity: 0,
    },
    SiteSpec {
        code: "MNR",
        name: "Mina Raya reception centre",
        kind: ReceptionCentre,
        admin_pcode: "ID1107",
        coordinates: None,
        capacity: 400,
    },
    SiteSpec {
        code: "ENT",
        name: "Entikong border post",
        kind: BorderCrossingPoint,
        admin_pcode: "ID6103",
        coordinates: Some((1.02, 110.56)),
        capacity: 0,
    },
    SiteSpec {
        code: "SGT",
        name: "Sanggau transit centre",
        kind: TransitCentre,
        admin_pcode: "ID6103",
        coordinates: None,
        capacity: 150,
    },
];

impl Scenario<'_> {
    /// A time of the scenario; moved back with the landing when the landing would be in the
    /// future (it then took place 30 hours ago), and never after now.
    pub(super) fn scenario_time(&self, at: OffsetDateTime) -> OffsetDateTime {
        let future = LANDED_AT > self.now;
        let shift = if future {
            self.now - Duration::hours(30) - LANDED_AT
        } else {
            Duration::ZERO
        };
        (at + shift).min(self.now)
    }

    pub(super) async fn create_site(&self, site: &SiteSpec) -> anyhow::Result<Uuid> {
        let details = SiteDetails {
            code: code(site.code)?,
            name: site.name.to_owned(),
            kind: site.kind,
            country: code("IDN")?,
            admin_pcode: Some(code(site.admin_pcode)?),
            coordinates: site.coordinates.map(|(latitude, longitude)| Coordinates {
                latitude,
                longitude,
            }),
            capacity: site.capacity,
            closed: false,
        };
        let created = self
            .store
            .create_site(&self.actor, details.validated()?)
            .await;
        Ok(created
            .with_context(|| format!("cannot create site {}", site.code))?
            .meta
            .id)
    }

    pub(super) async fn create_arrival(&self, details: ArrivalDetails) -> anyhow::Result<Uuid> {
        let created = self
            .store
            .create_arrival(&self.actor, details.validated(self.now)?)
            .await;
        Ok(created.context("cannot record an arrival")?.meta.id)
    }
}
