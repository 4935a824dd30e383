//! The Indonesian migrant workers returned from Sarawak through the Entikong border post.

use passage_domain::arrival::{ArrivalDetails, ArrivalMode};
use passage_domain::household::GroupKind;
use passage_domain::household::Relationship::{Head, Sibling, Spouse};
use passage_domain::person::{ProfileFlag, Sex};
use time::OffsetDateTime;
use time::macros::datetime;
use uuid::Uuid;

use super::households::{Member, Plan, Shape, draw_size};
use super::names::Population;
use super::{Scenario, code, population};

/// The two returns at the border post: when, and how many people.
pub(super) const RETURNS: [(OffsetDateTime, u32); 2] = [
    (datetime!(2026-11-25 10:15 +7), 48),
    (datetime!(2026-11-26 14:30 +7), 35),
];
/// How often returnees come alone, in twos and in threes.
const RETURNEE_SIZE_WEIGHTS: [u32; 3] = [5, 3, 2];
const RETURNEE_FLAGS: [ProfileFlag; 2] = [ProfileFlag::Returnee, ProfileFlag::EconomicMigrant];

impl Scenario<'_> {
    pub(super) async fn returns(&mut self, site_id: Uuid) -> anyhow::Result<()> {
        let indonesian = population("indonesian")?;
        for (at, people) in RETURNS {
            let notes = "Indonesian migrant workers deported from Sarawak, handed over by Malaysian immigration.";
            let arrival = ArrivalDetails {
                site_id,
                mode: ArrivalMode::Land,
                arrived_at: self.scenario_time(at),
                route: Some("Tebedu–Entikong road".to_owned()),
                origin: Some("Kuching, Sarawak".to_owned()),
                origin_country: Some(code("MYS")?),
                persons_reported: Some(people),
                incident_id: None,
                notes: Some(notes.to_owned()),
            };
            let arrival_id = self.create_arrival(arrival).await?;
            eprintln!("demo: returnees at ENT, {people} people ...");
            let mut left = people;
            while left > 0 {
                let size = draw_size(&mut self.rng, &RETURNEE_SIZE_WEIGHTS).min(left);
                left -= size;
                self.register(arrival_id, &Plan(indonesian, Shape::Returnees(size)))
                    .await?;
            }
        }
        Ok(())
    }

    /// Workers returned alone, with workmates, or as a couple (with the husband's brother).
    pub(super) fn returnees(
        &mut self,
        population: &'static Population,
        size: u32,
    ) -> anyhow::Result<(GroupKind, Vec<Member>)> {
        let mut kin = self.kin(population, &["ind"], &RETURNEE_FLAGS)?;
        if size == 1 || !self.percent(40) {
            let kind = if size == 1 {
                GroupKind::Family
            } else {
                GroupKind::Group
            };
            return Ok((kind, self.group(&mut kin, size, 85, 20..=45)?));
        }
        let age = self.rng.u32(25..=45);
        let spouse_age = age.saturating_sub(self.rng.u32(0..=6)).max(20);
        let mut members = vec![self.member(&mut kin, Head, Sex::M, age)?];
        members.push(self.member(&mut kin, Spouse, Sex::F, spouse_age)?);
        if size > 2 {
            let brother_age = self.rng.u32(20..=35);
            members.push(self.member(&mut kin, Sibling, Sex::M, brother_age)?);
        }
        Ok((GroupKind::Family, members))
    }
}
