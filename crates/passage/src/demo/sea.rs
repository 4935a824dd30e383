//! The sea landing at Ujong Pie beach: its arrival, the households registered, their families.

use anyhow::ensure;
use fastrand::Rng;
use passage_domain::arrival::{ArrivalDetails, ArrivalMode};
use passage_domain::household::GroupKind;
use passage_domain::household::Relationship::{Child, Head, Parent, Sibling, Spouse};
use passage_domain::person::Sex;
use time::OffsetDateTime;
use time::macros::datetime;
use uuid::Uuid;

use super::households::{Member, Plan, Shape, draw_size};
use super::names::Population;
use super::{Scenario, code, population};

pub(super) const LANDED_AT: OffsetDateTime = datetime!(2026-11-26 02:40 +7);
pub(super) const LANDING_REPORTED: u32 = 612;
/// Everyone but the twelve taken to hospital before registration.
pub(super) const LANDING_REGISTERED: u32 = 600;
/// Families by population: with the groups and the unaccompanied children, 140 households.
pub(super) const SEA_FAMILIES: [(&str, usize); 5] = [
    ("rohingya", 91),
    ("bangladeshi", 19),
    ("afghan", 10),
    ("myanmar", 5),
    ("somali", 4),
];
/// Groups of unrelated young men travelling together, by population and size.
pub(super) const SEA_GROUPS: [(&str, u32); 3] =
    [("rohingya", 5), ("rohingya", 4), ("bangladeshi", 6)];
/// Rohingya children of 14 to 17 who came alone.
pub(super) const UNACCOMPANIED_CHILDREN: u32 = 8;
/// How often families of 1 to 9 people are drawn (mean about 4.4).
const FAMILY_SIZE_WEIGHTS: [u32; 9] = [8, 10, 15, 19, 17, 13, 8, 5, 3];

/// Moves family sizes up or down by one until they add up to `target`; sizes stay within 2
/// to 9, and people alone stay alone.
fn fit_sizes(rng: &mut Rng, sizes: &mut [u32], target: u32) -> anyhow::Result<()> {
    let low: u32 = sizes.iter().map(|&s| s.min(2)).sum();
    let high: u32 = sizes.iter().map(|&s| if s == 1 { 1 } else { 9 }).sum();
    ensure!(
        (low..=high).contains(&target),
        "{} families cannot hold {target} people",
        sizes.len()
    );
    let mut total: u32 = sizes.iter().sum();
    while total != target {
        let Some(size) = sizes.get_mut(rng.usize(..sizes.len())) else {
            continue;
        };
        if total < target && (2..9).contains(size) {
            *size += 1;
            total += 1;
        } else if total > target && *size > 2 {
            *size -= 1;
            total -= 1;
        }
    }
    Ok(())
}

impl Scenario<'_> {
    /// Registers the landing, produced by `incident_id`; returns the arrival.
    pub(super) async fn sea_landing(
        &mut self,
        site_id: Uuid,
        incident_id: Option<Uuid>,
    ) -> anyhow::Result<Uuid> {
        let notes = "Wooden boat, about three weeks at sea; came ashore at night and was met by \
                     villagers. Twelve people were taken to hospital before registration.";
        let arrival = ArrivalDetails {
            site_id,
            mode: ArrivalMode::Sea,
            arrived_at: self.scenario_time(LANDED_AT),
            route: Some("Andaman Sea".to_owned()),
            origin: Some("Cox's Bazar, Bangladesh".to_owned()),
            origin_country: Some(code("BGD")?),
            persons_reported: Some(LANDING_REPORTED),
            incident_id,
            notes: Some(notes.to_owned()),
        };
        let arrival_id = self.create_arrival(arrival).await?;
        let plans = self.sea_plans()?;
        eprintln!(
            "demo: sea landing at PDE, {} households, {LANDING_REGISTERED} people ({LANDING_REPORTED} reported) ...",
            plans.len()
        );
        for plan in &plans {
            self.register(arrival_id, plan).await?;
        }
        Ok(arrival_id)
    }

    /// The households of the sea landing, in the order they are registered.
    fn sea_plans(&mut self) -> anyhow::Result<Vec<Plan>> {
        let keys = SEA_FAMILIES
            .iter()
            .flat_map(|&(key, count)| std::iter::repeat_n(key, count));
        let mut sizes: Vec<u32> = keys
            .clone()
            .map(|_| draw_size(&mut self.rng, &FAMILY_SIZE_WEIGHTS))
            .collect();
        let others = UNACCOMPANIED_CHILDREN + SEA_GROUPS.iter().map(|(_, size)| size).sum::<u32>();
        fit_sizes(&mut self.rng, &mut sizes, LANDING_REGISTERED - others)?;
        let mut plans = Vec::new();
        for (key, size) in keys.zip(sizes) {
            plans.push(Plan(population(key)?, Shape::Family(size)));
        }
        for (key, size) in SEA_GROUPS {
            plans.push(Plan(population(key)?, Shape::Group(size)));
        }
        for _ in 0..UNACCOMPANIED_CHILDREN {
            plans.push(Plan(population("rohingya")?, Shape::Unaccompanied));
        }
        self.rng.shuffle(&mut plans);
        Ok(plans)
    }

    /// A head, often a spouse, sometimes the head's mother or a younger sibling, and children
    /// one to three years apart, their mother 18 to 30 years older than the eldest.
    pub(super) fn family(
        &mut self,
        population: &'static Population,
        size: u32,
    ) -> anyhow::Result<(GroupKind, Vec<Member>)> {
        let female_head = self.percent(if size == 1 { 30 } else { 15 });
        let spouse = !female_head && size > 1;
        let parent = size >= 6 && self.percent(30);
        let sibling = size >= 5 && self.percent(25);
        let others = u32::from(spouse) + u32::from(parent) + u32::from(sibling);
        let ages = self.children_ages(size.saturating_sub(1 + others));
        let mother_age = match ages.first() {
            Some(eldest) => eldest + self.rng.u32(18..=30),
            None => self.rng.u32(18..=40),
        };
        let (sex, age) = if female_head {
            (Sex::F, mother_age)
        } else {
            (Sex::M, mother_age + self.rng.u32(0..=8))
        };
        let mut kin = self.kin(population, population.languages, &[])?;
        let head = self.member(&mut kin, Head, sex, age)?;
        kin.children = self.children_surname(&kin, &head.person)?;
        let mut members = vec![head];
        if spouse {
            members.push(self.member(&mut kin, Spouse, Sex::F, mother_age)?);
        }
        if parent {
            let parent_age = (age + self.rng.u32(18..=28)).min(85);
            members.push(self.member(&mut kin, Parent, Sex::F, parent_age)?);
        }
        if sibling {
            let (sex, sibling_age) = (
                self.any_sex(),
                age.saturating_sub(self.rng.u32(2..=12)).max(14),
            );
            members.push(self.member(&mut kin, Sibling, sex, sibling_age)?);
        }
        for child_age in ages {
            let sex = self.any_sex();
            members.push(self.member(&mut kin, Child, sex, child_age)?);
        }
        Ok((GroupKind::Family, members))
    }

    /// Ages of `count` children, eldest first, one to three years apart.
    fn children_ages(&mut self, count: u32) -> Vec<u32> {
        let mut age = self.rng.u32(0..=3);
        let mut ages = Vec::new();
        for _ in 0..count {
            ages.push(age);
            age += self.rng.u32(1..=3);
        }
        ages.reverse();
        ages
    }
}
