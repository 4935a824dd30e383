//! Households: their shapes and members, registered through the same validators as the API.

use std::ops::RangeInclusive;

use anyhow::Context;
use fastrand::Rng;
use passage_domain::household::Relationship::{self, Head, Unrelated};
use passage_domain::household::{
    Breakdown, GroupKind, HouseholdRegistration, MemberDetails, ValidHousehold,
};
use passage_domain::person::{PersonDetails, ProfileFlag, RegistrationLevel, Sex};
use passage_domain::record::Household;
use uuid::Uuid;

use super::names::Population;
use super::people::Surname;
use super::{Scenario, pick};

/// Share of families of two or more registered at level 1 (the head, and counts of the rest).
const LEVEL_ONE_PERCENT: u32 = 64;

/// A size from 1 up, drawn in proportion to `weights` (the first is the weight of 1).
pub(super) fn draw_size(rng: &mut Rng, weights: &[u32]) -> u32 {
    let mut roll = rng.u32(..weights.iter().sum::<u32>().max(1));
    for (size, &weight) in (1..).zip(weights) {
        if roll < weight {
            return size;
        }
        roll -= weight;
    }
    1
}

/// The shape of one household to register.
#[derive(Debug, Clone, Copy)]
pub(super) enum Shape {
    /// A family of this many people.
    Family(u32),
    /// A child of 14 to 17 who came alone.
    Unaccompanied,
    /// Unrelated young men travelling together.
    Group(u32),
    /// Returned migrant workers, alone or with a spouse, a brother or workmates.
    Returnees(u32),
}

/// One household to register: its population and shape.
pub(super) struct Plan(pub(super) &'static Population, pub(super) Shape);

/// What the members of one household share.
pub(super) struct Kin {
    pub(super) population: &'static Population,
    pub(super) languages: &'static [&'static str],
    pub(super) origin: &'static str,
    pub(super) flags: &'static [ProfileFlag],
    /// The head's family name, which siblings carry too, and spouse and parent unless names
    /// are patronymic.
    pub(super) surname: Option<Surname>,
    /// The children's family name.
    pub(super) children: Option<Surname>,
    /// Given names already used in the household.
    pub(super) taken: Vec<&'static str>,
}

/// A person about to be registered.
pub(super) struct Member {
    pub(super) relationship: Relationship,
    pub(super) age: u32,
    pub(super) person: PersonDetails,
}

/// What was registered, for the summary.
#[derive(Debug, Default)]
pub(super) struct Tally {
    households: u32,
    level_one: u32,
    people: u32,
    persons: u32,
    documents: u32,
    damaged: u32,
}

impl Tally {
    fn count(&mut self, household: &Household) -> anyhow::Result<()> {
        self.households += 1;
        self.level_one += u32::from(household.registration_level == RegistrationLevel::Emergency);
        self.people += household.size;
        self.persons += u32::try_from(household.members.len())?;
        Ok(())
    }

    pub(super) fn report(&self) {
        eprintln!(
            "demo: done: {} households ({} at level 1), {} people, {} registered individually, \
             {} documents ({} with a damaged MRZ)",
            self.households,
            self.level_one,
            self.people,
            self.persons,
            self.documents,
            self.damaged
        );
    }
}

impl Scenario<'_> {
    /// Registers one household (at level 1 its head and counts, at level 2 everyone) and the
    /// documents its registered members hold, all checked before anything is written.
    pub(super) async fn register(
        &mut self,
        arrival_id: Uuid,
        &Plan(population, shape): &Plan,
    ) -> anyhow::Result<()> {
        let (kind, mut members) = self.compose(population, shape)?;
        let level_one = matches!(shape, Shape::Family(2..)) && self.percent(LEVEL_ONE_PERCENT);
        let registered = if level_one { 1 } else { members.len() };
        let mut documents = Vec::new();
        for (i, member) in members.iter_mut().take(registered).enumerate() {
            documents.extend(
                self.document(population, member)?
                    .map(|document| (i, document)),
            );
        }
        let valid = self.registration(arrival_id, kind, members, level_one)?;
        let mut checked = Vec::new();
        for (i, document) in documents {
            let person = if i == 0 {
                Some(&valid.head)
            } else {
                valid.members.get(i - 1).map(|m| &m.person)
            };
            checked.push((
                i,
                document
                    .validated(self.today, person)
                    .context("a demo document is not valid")?,
            ));
        }
        let household = self
            .store
            .register_household(&self.actor, valid)
            .await
            .context("cannot register a household")?;
        for (i, document) in checked {
            let person = household
                .members
                .get(i)
                .context("a registered member is missing")?;
            self.tally.damaged +=
                u32::from(document.verification.as_ref().is_some_and(|v| !v.valid));
            self.store
                .add_document(&self.actor, person.person_id, document)
                .await
                .context("cannot add a document")?;
            self.tally.documents += 1;
        }
        self.tally.count(&household)
    }

    /// The household as a client would send it, validated.
    fn registration(
        &self,
        arrival_id: Uuid,
        kind: GroupKind,
        members: Vec<Member>,
        level_one: bool,
    ) -> anyhow::Result<ValidHousehold> {
        let size = Some(u32::try_from(members.len())?);
        let breakdown =
            level_one.then(|| Breakdown::of(members.iter().map(|m| &m.person), self.today));
        let mut people = members.into_iter().map(|m| MemberDetails {
            relationship: m.relationship,
            person: m.person,
        });
        let head = people.next().context("a household without anyone")?.person;
        let members = if level_one {
            Vec::new()
        } else {
            people.collect()
        };
        let registration = HouseholdRegistration {
            arrival_id,
            kind,
            size,
            breakdown,
            head,
            members,
            legal_basis: None,
            purposes: None,
            not_duplicates: None,
        };
        registration
            .validated(self.today)
            .context("a demo household is not valid")
    }

    /// The members of a household of `shape`, head first.
    fn compose(
        &mut self,
        population: &'static Population,
        shape: Shape,
    ) -> anyhow::Result<(GroupKind, Vec<Member>)> {
        match shape {
            Shape::Family(size) => self.family(population, size),
            Shape::Unaccompanied => {
                let mut kin = self.kin(
                    population,
                    population.languages,
                    &[ProfileFlag::UnaccompaniedChild],
                )?;
                let (sex, age) = (
                    if self.percent(75) { Sex::M } else { Sex::F },
                    self.rng.u32(14..=17),
                );
                Ok((
                    GroupKind::Family,
                    vec![self.member(&mut kin, Head, sex, age)?],
                ))
            }
            Shape::Group(size) => {
                let mut kin = self.kin(population, population.languages, &[])?;
                Ok((GroupKind::Group, self.group(&mut kin, size, 100, 18..=30)?))
            }
            Shape::Returnees(size) => self.returnees(population, size),
        }
    }

    /// What a new household shares: an origin and the head's family name.
    pub(super) fn kin(
        &mut self,
        population: &'static Population,
        languages: &'static [&'static str],
        flags: &'static [ProfileFlag],
    ) -> anyhow::Result<Kin> {
        let origin = *pick(&mut self.rng, population.origins)?;
        let surname = self.new_surname(population)?;
        Ok(Kin {
            population,
            languages,
            origin,
            flags,
            children: surname.clone(),
            surname,
            taken: Vec::new(),
        })
    }

    /// People travelling together, `men` percent of them men: a head and unrelated members.
    pub(super) fn group(
        &mut self,
        kin: &mut Kin,
        size: u32,
        men: u32,
        ages: RangeInclusive<u32>,
    ) -> anyhow::Result<Vec<Member>> {
        (0..size)
            .map(|i| {
                let sex = if self.percent(men) { Sex::M } else { Sex::F };
                let age = self.rng.u32(ages.clone());
                self.member(kin, if i == 0 { Head } else { Unrelated }, sex, age)
            })
            .collect()
    }
}
