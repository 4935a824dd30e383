//! The `passage demo` scenario, written through the same validators as the API:
//! - a night-time sea landing at Ujong Pie beach, Pidie (Aceh): 612 people reported after three
//!   weeks at sea, 140 households registered (600 people), mostly Rohingya, with Bangladeshi,
//!   Afghan, Myanmar and Somali nationals; eight unaccompanied children; three groups of young
//!   men; Bangladeshi passports (two with a worn MRZ) and Afghan national ID cards;
//! - Indonesian migrant workers returned from Sarawak through the Entikong border post, on two
//!   days, some with their passport.
//!
//! The generator has a fixed seed, so every run issues the same registration numbers to the
//! same people; only dates of birth follow the clock. Somali names: the given name in
//! `given_name`, the father's and grandfather's given names together in `family_name`, so the
//! full name reads in order and children carry their father's name.

mod names;

use std::ops::RangeInclusive;

use anyhow::{Context, bail, ensure};
use fastrand::Rng;
use passage_domain::age::{DateOfBirth, DobPrecision};
use passage_domain::arrival::{ArrivalDetails, ArrivalMode};
use passage_domain::document::{DocumentDetails, DocumentKind};
use passage_domain::household::Relationship::{
    self, Child, Head, Parent, Sibling, Spouse, Unrelated,
};
use passage_domain::household::{
    Breakdown, GroupKind, HouseholdRegistration, MemberDetails, ValidHousehold,
};
use passage_domain::mrz;
use passage_domain::person::{OriginalName, PersonDetails, ProfileFlag, RegistrationLevel, Sex};
use passage_domain::record::Household;
use passage_domain::regno::{RegistrationNumber, SiteCode};
use passage_domain::site::SiteKind::{
    self, BorderCrossingPoint, LandingPoint, ReceptionCentre, TransitCentre,
};
use passage_domain::site::{Coordinates, SiteDetails};
use passage_server::Clock;
use passage_store::sql::MAX_PAGE;
use passage_store::{SiteFilter, Store};
use time::macros::datetime;
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use names::{NameForm, POPULATIONS, Population};

/// Seed of the generator: the same seed gives the same people and numbers.
const SEED: u64 = 2026;

const LANDING_POINT: &str = "PDE";
/// A site of the scenario, in Indonesia.
struct SiteSpec {
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
const SITES: [SiteSpec; 4] = [
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

const LANDED_AT: OffsetDateTime = datetime!(2026-11-26 02:40 +7);
const LANDING_REPORTED: u32 = 612;
/// Everyone but the twelve taken to hospital before registration.
const LANDING_REGISTERED: u32 = 600;
/// Families by population: with the groups and the unaccompanied children, 140 households.
const SEA_FAMILIES: [(&str, usize); 5] = [
    ("rohingya", 91),
    ("bangladeshi", 19),
    ("afghan", 10),
    ("myanmar", 5),
    ("somali", 4),
];
/// Groups of unrelated young men travelling together, by population and size.
const SEA_GROUPS: [(&str, u32); 3] = [("rohingya", 5), ("rohingya", 4), ("bangladeshi", 6)];
/// Rohingya children of 14 to 17 who came alone.
const UNACCOMPANIED_CHILDREN: u32 = 8;
/// How often families of 1 to 9 people are drawn (mean about 4.4).
const FAMILY_SIZE_WEIGHTS: [u32; 9] = [8, 10, 15, 19, 17, 13, 8, 5, 3];
/// Share of families of two or more registered at level 1 (the head, and counts of the rest).
const LEVEL_ONE_PERCENT: u32 = 64;

/// The two returns at the border post: when, and how many people.
const RETURNS: [(OffsetDateTime, u32); 2] = [
    (datetime!(2026-11-25 10:15 +7), 48),
    (datetime!(2026-11-26 14:30 +7), 35),
];
/// How often returnees come alone, in twos and in threes.
const RETURNEE_SIZE_WEIGHTS: [u32; 3] = [5, 3, 2];
const RETURNEE_FLAGS: [ProfileFlag; 2] = [ProfileFlag::Returnee, ProfileFlag::EconomicMigrant];

const BANGLADESHI_PASSPORTS: u32 = 6;
/// Which Bangladeshi passports (counted from 1) have a worn check digit in their MRZ.
const WORN_PASSPORTS: [u32; 2] = [2, 5];
const AFGHAN_ID_CARDS: u32 = 3;
/// Share of Indonesians with a family name who hold their passport, set so that with this seed
/// 32 of the 83 returnees (about 40%) hold one. Single-name holders are left out: their MRZ
/// would carry the name as surname, which the MRZ comparison reports as a given-name mismatch.
const INDONESIAN_PASSPORT_PERCENT: u32 = 71;

/// Fills the database with the scenario, or leaves a database that already holds it alone.
pub async fn build(store: &Store, clock: Clock) -> anyhow::Result<()> {
    if demo_present(store).await? {
        eprintln!("demo data already present");
        return Ok(());
    }
    let mut demo = Scenario::new(store, clock.now(), clock.today());
    let mut sites = Vec::new();
    for site in &SITES {
        sites.push(demo.create_site(site).await?);
    }
    eprintln!("demo: sites PDE and MNR in Pidie (Aceh), ENT and SGT in Sanggau (West Kalimantan)");
    let [landing_point, _, border_post, _] = sites[..] else {
        bail!("a site is missing")
    };
    demo.sea_landing(landing_point).await?;
    demo.returns(border_post).await?;
    demo.tally.report();
    Ok(())
}

/// Prints what the demo holds and the first requests to try against `url`.
pub fn print_tour(url: &str) {
    let households = SEA_FAMILIES.iter().map(|(_, n)| n).sum::<usize>()
        + SEA_GROUPS.len()
        + UNACCOMPANIED_CHILDREN as usize;
    let returnees: u32 = RETURNS.iter().map(|(_, people)| people).sum();
    println!(
        "\nThe demo holds a night-time sea landing at Ujong Pie beach, Pidie (Aceh): \
         {LANDING_REPORTED} people\nreported, {LANDING_REGISTERED} registered in {households} \
         households, mostly Rohingya, with Bangladeshi, Afghan,\nMyanmar and Somali nationals, \
         {UNACCOMPANIED_CHILDREN} unaccompanied children, Bangladeshi passports (two with\na \
         damaged MRZ) and Afghan ID cards; and {returnees} Indonesian workers returned from \
         Sarawak at\nthe Entikong border post. No login is needed yet: there is no \
         authentication. Try:\n"
    );
    println!("  curl -s {url}/api/v1/sites");
    println!("  curl -s {url}/api/v1/arrivals");
    println!("  curl -s '{url}/api/v1/persons?name=mohammed'");
    if let Some(number) = first_head_number() {
        println!("  curl -s {url}/api/v1/persons/by-number/{number}");
        println!("  # its printable token, with the \"id\" of that answer:");
        println!("  curl -s -o token.svg {url}/api/v1/persons/<id>/token.svg");
    }
    println!("  curl -s {url}/api/v1/openapi.json\n");
}

/// The number of the first household's head at the landing point (the household itself has
/// sequence 1, its head 2).
fn first_head_number() -> Option<RegistrationNumber> {
    Some(RegistrationNumber::new(
        code::<SiteCode>(LANDING_POINT).ok()?,
        2,
    ))
}

/// True when the scenario is already there; an error when the database holds anything else.
async fn demo_present(store: &Store) -> anyhow::Result<bool> {
    let page = store
        .sites(&SiteFilter::default(), None, MAX_PAGE)
        .await
        .context("cannot read the sites")?;
    let codes: Vec<&str> = page.items.iter().map(|s| s.details.code.as_str()).collect();
    if codes.contains(&LANDING_POINT) {
        return Ok(true);
    }
    ensure!(
        codes.is_empty(),
        "the database holds other data (sites {}): pass another --database for the demo",
        codes.join(", ")
    );
    Ok(false)
}

/// Parses a standard code (country, language, script, p-code, site code) written as text.
fn code<T: TryFrom<String, Error = String>>(text: &str) -> anyhow::Result<T> {
    T::try_from(text.to_owned()).map_err(anyhow::Error::msg)
}

fn population(key: &str) -> anyhow::Result<&'static Population> {
    POPULATIONS
        .iter()
        .find(|p| p.key == key)
        .with_context(|| format!("no population {key}"))
}

fn pick<'a, T>(rng: &mut Rng, list: &'a [T]) -> anyhow::Result<&'a T> {
    rng.choice(list).context("nothing to pick from")
}

/// A size from 1 up, drawn in proportion to `weights` (the first is the weight of 1).
fn draw_size(rng: &mut Rng, weights: &[u32]) -> u32 {
    let mut roll = rng.u32(..weights.iter().sum::<u32>().max(1));
    for (size, &weight) in (1..).zip(weights) {
        if roll < weight {
            return size;
        }
        roll -= weight;
    }
    1
}

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

/// How a population forms family names.
enum Naming {
    /// No family name (Rohingya, Myanmar).
    GivenOnly,
    /// Father's and grandfather's given names (Somali).
    Patronymic,
    /// A family name, carried by this percentage of people.
    FamilyName(u32),
}

fn naming(population: &Population) -> Naming {
    match population.key {
        "somali" => Naming::Patronymic,
        "indonesian" => Naming::FamilyName(50),
        _ if population.family.is_empty() => Naming::GivenOnly,
        _ => Naming::FamilyName(100),
    }
}

/// A family name in Latin letters, and in the original script when known.
#[derive(Debug, Clone)]
struct Surname(String, Option<&'static str>);

/// The name in the person's own script, when the given name (and family name) have one.
fn original_name(
    given: NameForm,
    surname: Option<&Surname>,
) -> anyhow::Result<Option<OriginalName>> {
    let (Some(text), Some(script)) = (given.original, given.script) else {
        return Ok(None);
    };
    let text = match surname {
        None => text.to_owned(),
        Some(Surname(_, Some(family))) => format!("{text} {family}"),
        Some(_) => return Ok(None),
    };
    Ok(Some(OriginalName {
        text,
        script: code(script)?,
    }))
}

/// The shape of one household to register.
#[derive(Debug, Clone, Copy)]
enum Shape {
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
struct Plan(&'static Population, Shape);

/// What the members of one household share.
struct Kin {
    population: &'static Population,
    languages: &'static [&'static str],
    origin: &'static str,
    flags: &'static [ProfileFlag],
    /// The head's family name, which siblings carry too, and spouse and parent unless names
    /// are patronymic.
    surname: Option<Surname>,
    /// The children's family name.
    children: Option<Surname>,
    /// Given names already used in the household.
    taken: Vec<&'static str>,
}

/// A person about to be registered.
struct Member {
    relationship: Relationship,
    age: u32,
    person: PersonDetails,
}

/// What was registered, for the summary.
#[derive(Debug, Default)]
struct Tally {
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

    fn report(&self) {
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

/// Builds the scenario: the seeded generator, the clock, and what was registered so far.
struct Scenario<'a> {
    store: &'a Store,
    rng: Rng,
    now: OffsetDateTime,
    today: Date,
    bangladeshi_passports: u32,
    afghan_id_cards: u32,
    tally: Tally,
}

impl<'a> Scenario<'a> {
    fn new(store: &'a Store, now: OffsetDateTime, today: Date) -> Self {
        Self {
            store,
            rng: Rng::with_seed(SEED),
            now,
            today,
            bangladeshi_passports: 0,
            afghan_id_cards: 0,
            tally: Tally::default(),
        }
    }

    fn percent(&mut self, percent: u32) -> bool {
        self.rng.u32(..100) < percent
    }

    fn any_sex(&mut self) -> Sex {
        if self.rng.bool() { Sex::F } else { Sex::M }
    }

    /// A time of the scenario; moved back with the landing when the landing would be in the
    /// future (it then took place 30 hours ago), and never after now.
    fn scenario_time(&self, at: OffsetDateTime) -> OffsetDateTime {
        let future = LANDED_AT > self.now;
        let shift = if future {
            self.now - Duration::hours(30) - LANDED_AT
        } else {
            Duration::ZERO
        };
        (at + shift).min(self.now)
    }

    async fn create_site(&self, site: &SiteSpec) -> anyhow::Result<Uuid> {
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
        };
        let created = self.store.create_site(details.validated()?, self.now).await;
        Ok(created
            .with_context(|| format!("cannot create site {}", site.code))?
            .meta
            .id)
    }

    async fn create_arrival(&self, details: ArrivalDetails) -> anyhow::Result<Uuid> {
        let created = self
            .store
            .create_arrival(details.validated(self.now)?, self.now)
            .await;
        Ok(created.context("cannot record an arrival")?.meta.id)
    }

    async fn sea_landing(&mut self, site_id: Uuid) -> anyhow::Result<()> {
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
            incident_id: None,
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
        Ok(())
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

    async fn returns(&mut self, site_id: Uuid) -> anyhow::Result<()> {
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

    /// Registers one household (at level 1 its head and counts, at level 2 everyone) and the
    /// documents its registered members hold, all checked before anything is written.
    async fn register(
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
            .register_household(valid, self.now)
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
                .add_document(person.person_id, document, self.now)
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
    fn kin(
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

    /// A head, often a spouse, sometimes the head's mother or a younger sibling, and children
    /// one to three years apart, their mother 18 to 30 years older than the eldest.
    fn family(
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

    /// People travelling together, `men` percent of them men: a head and unrelated members.
    fn group(
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

    /// Workers returned alone, with workmates, or as a couple (with the husband's brother).
    fn returnees(
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

    fn member(
        &mut self,
        kin: &mut Kin,
        relationship: Relationship,
        sex: Sex,
        age: u32,
    ) -> anyhow::Result<Member> {
        let surname = match (naming(kin.population), relationship) {
            (Naming::GivenOnly, _) => None,
            (_, Unrelated) | (Naming::Patronymic, Spouse | Parent) => {
                self.new_surname(kin.population)?
            }
            (_, Child) => kin.children.clone(),
            _ => kin.surname.clone(),
        };
        let person = self.person(kin, sex, age, surname)?;
        Ok(Member {
            relationship,
            age,
            person,
        })
    }

    /// A family name for someone not related to the people registered so far.
    fn new_surname(&mut self, population: &Population) -> anyhow::Result<Option<Surname>> {
        Ok(match naming(population) {
            Naming::GivenOnly => None,
            Naming::Patronymic => {
                let father = pick(&mut self.rng, population.male_given)?.latin;
                let grandfather = pick(&mut self.rng, population.male_given)?.latin;
                Some(Surname(format!("{father} {grandfather}"), None))
            }
            Naming::FamilyName(share) if self.percent(share) => {
                let form = pick(&mut self.rng, population.family)?;
                Some(Surname(form.latin.to_owned(), form.original))
            }
            Naming::FamilyName(_) => None,
        })
    }

    /// Children carry the head's family name or, with patronymic names, their father's name.
    fn children_surname(
        &mut self,
        kin: &Kin,
        head: &PersonDetails,
    ) -> anyhow::Result<Option<Surname>> {
        match (naming(kin.population), head.sex) {
            (Naming::Patronymic, Sex::M) => {
                let father = head.given_name.as_deref().unwrap_or_default();
                let lineage = head
                    .family_name
                    .as_deref()
                    .and_then(|f| f.split(' ').next())
                    .unwrap_or_default();
                Ok(Some(Surname(format!("{father} {lineage}"), None)))
            }
            (Naming::Patronymic, _) => self.new_surname(kin.population),
            _ => Ok(kin.surname.clone()),
        }
    }

    /// A person with a given name not yet used in the household.
    fn person(
        &mut self,
        kin: &mut Kin,
        sex: Sex,
        age: u32,
        surname: Option<Surname>,
    ) -> anyhow::Result<PersonDetails> {
        let names = if sex == Sex::F {
            kin.population.female_given
        } else {
            kin.population.male_given
        };
        let free: Vec<&NameForm> = names
            .iter()
            .filter(|n| !kin.taken.contains(&n.latin))
            .collect();
        let given = **pick(&mut self.rng, &free)?;
        kin.taken.push(given.latin);
        let spoken = if age >= 18 && kin.languages.len() > 1 && self.percent(30) {
            2
        } else {
            1
        };
        let languages = kin
            .languages
            .iter()
            .take(spoken)
            .map(|l| code(l))
            .collect::<anyhow::Result<_>>()?;
        let precision = match age {
            0..=4 | 14..=17 => DobPrecision::Estimated,
            5..=13 if self.rng.bool() => DobPrecision::Estimated,
            18.. if self.percent(30) => DobPrecision::Estimated,
            _ => DobPrecision::YearOnly,
        };
        Ok(PersonDetails {
            family_name: surname.as_ref().map(|s| s.0.clone()),
            original_name: original_name(given, surname.as_ref())?,
            date_of_birth: Some(self.date_of_birth(age, precision)?),
            nationalities: vec![code(kin.population.nationality.unwrap_or("stateless"))?],
            languages,
            place_of_origin: Some(kin.origin.to_owned()),
            profile_flags: kin.flags.to_vec(),
            ..PersonDetails::named(given.latin, sex)
        })
    }

    /// A date of birth that makes someone `age` today: a random day of that year of life.
    fn date_of_birth(&mut self, age: u32, precision: DobPrecision) -> anyhow::Result<DateOfBirth> {
        let year = self.today.year() - i32::try_from(age)?;
        let birthday =
            Date::from_calendar_date(year, self.today.month(), self.today.day().min(28))?;
        Ok(DateOfBirth {
            date: birthday - Duration::days(self.rng.i64(0..=350)),
            precision,
        })
    }

    /// The document a registered adult holds, if any. A passport's date of birth is exact.
    fn document(
        &mut self,
        population: &Population,
        member: &mut Member,
    ) -> anyhow::Result<Option<DocumentDetails>> {
        if member.age < 18 {
            return Ok(None);
        }
        let (letter, digits) = (self.rng.char('A'..='C'), self.rng.u32(..10_000_000));
        let (state, number, worn) = match population.key {
            "bangladeshi" if self.bangladeshi_passports < BANGLADESHI_PASSPORTS => {
                self.bangladeshi_passports += 1;
                (
                    "BGD",
                    format!("E{letter}{digits:07}"),
                    WORN_PASSPORTS.contains(&self.bangladeshi_passports),
                )
            }
            "afghan" if self.afghan_id_cards < AFGHAN_ID_CARDS => {
                self.afghan_id_cards += 1;
                return Ok(Some(self.tazkira()?));
            }
            "indonesian"
                if member.person.family_name.is_some()
                    && self.percent(INDONESIAN_PASSPORT_PERCENT) =>
            {
                ("IDN", format!("{letter}{digits:07}"), false)
            }
            _ => return Ok(None),
        };
        member.person.date_of_birth = Some(self.date_of_birth(member.age, DobPrecision::Exact)?);
        let expiry = self.today + Duration::days(self.rng.i64(200..=3000));
        let mrz = td3(state, &number, &member.person, expiry, worn)?;
        Ok(Some(DocumentDetails {
            kind: DocumentKind::Passport,
            number: Some(number),
            issuing_state: Some(code(state)?),
            expiry_date: None,
            mrz: Some(mrz),
            accept_damaged_mrz: worn,
        }))
    }

    /// An Afghan electronic tazkira: a number (solar hijri year, office, serial), no MRZ.
    fn tazkira(&mut self) -> anyhow::Result<DocumentDetails> {
        let (year, office, serial) = (
            self.rng.u32(1395..=1401),
            self.rng.u32(..10_000),
            self.rng.u32(..100_000),
        );
        Ok(DocumentDetails {
            kind: DocumentKind::NationalIdCard,
            number: Some(format!("{year}-{office:04}-{serial:05}")),
            issuing_state: Some(code("AFG")?),
            expiry_date: None,
            mrz: None,
            accept_damaged_mrz: false,
        })
    }
}

/// The MRZ of a TD3 passport for `person`, with correct check digits; when `worn`, the
/// date-of-birth check digit reads wrong, so that check and the composite fail.
fn td3(
    state: &str,
    number: &str,
    person: &PersonDetails,
    expiry: Date,
    worn: bool,
) -> anyhow::Result<String> {
    let names = format!(
        "{}<<{}",
        mrz_name(person.family_name.as_deref()),
        mrz_name(person.given_name.as_deref())
    );
    let born = yymmdd(
        person
            .date_of_birth
            .context("a passport holder without a date of birth")?
            .date,
    );
    let sex = match person.sex {
        Sex::F => 'F',
        Sex::M => 'M',
        Sex::X | Sex::U => '<',
    };
    let number = with_check(&fill(number, 9))?;
    let born_check = check(&born)?;
    let rest = format!(
        "{}{}",
        with_check(&yymmdd(expiry))?,
        with_check(&fill("", 14))?
    );
    let composite = check(&format!("{number}{born}{born_check}{rest}"))?;
    let printed = if worn {
        misread(born_check)
    } else {
        born_check
    };
    let line1 = fill(&format!("P<{state}{names}"), 44);
    Ok(format!(
        "{line1}\n{number}{state}{born}{printed}{sex}{rest}{composite}"
    ))
}

/// A name as the MRZ writes it: capitals, `<` between words, apostrophes left out.
fn mrz_name(name: Option<&str>) -> String {
    let name = name.unwrap_or_default().chars().filter(|c| *c != '\'');
    name.map(|c| {
        if c.is_ascii_alphabetic() {
            c.to_ascii_uppercase()
        } else {
            '<'
        }
    })
    .collect()
}

/// `text` padded with `<` or cut to `width`.
fn fill(text: &str, width: usize) -> String {
    let mut line = format!("{text:<<width$}");
    line.truncate(width);
    line
}

fn yymmdd(date: Date) -> String {
    format!(
        "{:02}{:02}{:02}",
        date.year().rem_euclid(100),
        u8::from(date.month()),
        date.day()
    )
}

fn check(field: &str) -> anyhow::Result<char> {
    mrz::check_digit(field).with_context(|| format!("no check digit for {field}"))
}

fn with_check(field: &str) -> anyhow::Result<String> {
    Ok(format!("{field}{}", check(field)?))
}

/// A check digit misread as the next digit, as on a worn passport.
fn misread(digit: char) -> char {
    let next = digit.to_digit(10).map_or(0, |d| (d + 1) % 10);
    char::from_digit(next, 10).unwrap_or('0')
}

#[cfg(test)]
mod tests {
    use super::*;
    use passage_domain::mrz::CheckField;
    use passage_store::PersonFilter;
    use time::macros::date;

    #[test]
    fn passports_carry_valid_or_worn_check_digits() {
        let mut person = PersonDetails::named("Abdul Karim", Sex::M);
        person.family_name = Some("Hossain".into());
        let date = date!(1990 - 03 - 14);
        person.date_of_birth = Some(DateOfBirth {
            date,
            precision: DobPrecision::Exact,
        });
        let read = |worn| {
            let text = td3("BGD", "EB0123456", &person, date!(2030 - 01 - 01), worn).unwrap();
            mrz::parse(&text, date!(2026 - 11 - 27)).unwrap()
        };
        let good = read(false);
        assert!(good.is_valid(), "{:?}", good.checks);
        assert_eq!(good.secondary_identifier, "ABDUL KARIM");
        assert_eq!(good.birth_date, Some(date));
        assert_eq!(
            read(true).failed_checks(),
            [CheckField::BirthDate, CheckField::Composite]
        );
    }

    /// Before the landing date, the scenario moves back in time; a second build writes nothing.
    #[tokio::test]
    async fn builds_once_whatever_the_date() {
        let path = std::env::temp_dir().join(format!("passage-demo-{}.db", Uuid::now_v7()));
        let store = Store::open(&path.to_string_lossy()).await.unwrap();
        let clock = Clock::fixed(datetime!(2026-03-01 09:00 UTC));
        build(&store, clock.clone()).await.unwrap();
        build(&store, clock).await.unwrap();
        let persons = store
            .persons(&PersonFilter::default(), None, MAX_PAGE)
            .await
            .unwrap();
        assert_eq!(persons.items.len(), 386);
        let head = store
            .person_by_number(&first_head_number().unwrap())
            .await
            .unwrap();
        assert_eq!(head.unwrap().relationship, Head);
        store.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
}
