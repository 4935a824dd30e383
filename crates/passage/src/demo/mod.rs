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

mod border;
mod care;
mod documents;
mod households;
mod names;
mod people;
mod protection;
mod sea;
mod sites;
mod users;

use anyhow::{Context, bail, ensure};
use fastrand::Rng;
use passage_domain::access::{Principal, Role};
use passage_domain::person::Sex;
use passage_domain::regno::{RegistrationNumber, SiteCode};
use passage_server::Clock;
use passage_store::sql::MAX_PAGE;
use passage_store::{SiteFilter, Store};
use time::{Date, OffsetDateTime};

use border::RETURNS;
use households::Tally;
use names::{POPULATIONS, Population};
use sea::{LANDING_REGISTERED, LANDING_REPORTED, SEA_FAMILIES, SEA_GROUPS, UNACCOMPANIED_CHILDREN};
use sites::{LANDING_POINT, SITES};

/// Seed of the generator: the same seed gives the same people and numbers.
const SEED: u64 = 2026;

/// Fills the database with the scenario, or leaves a database that already holds it alone.
pub async fn build(store: &Store, clock: Clock) -> anyhow::Result<()> {
    let operator = Principal::operator(clock.now());
    if demo_present(store, &operator).await? {
        eprintln!("demo data already present");
        return Ok(());
    }
    let staff = users::seed(store, clock.now()).await?;
    let [aceh_clerk, kalbar_clerk] = &staff.clerks[..] else {
        bail!("a registration clerk is missing")
    };
    let mut demo = Scenario::new(store, operator, clock.now(), clock.today());
    let mut sites = Vec::new();
    for site in &SITES {
        sites.push(demo.create_site(site).await?);
    }
    eprintln!("demo: sites PDE and MNR in Pidie (Aceh), ENT and SGT in Sanggau (West Kalimantan)");
    let [landing_point, mina_raya, border_post, sanggau] = sites[..] else {
        bail!("a site is missing")
    };
    let rescue = demo
        .rescue_incident(&staff.of(0, Role::IncidentOfficer)?)
        .await?;
    demo.actor = aceh_clerk.clone();
    let landing = demo.sea_landing(landing_point, Some(rescue)).await?;
    demo.actor = kalbar_clerk.clone();
    demo.returns(border_post).await?;
    demo.tally.report();
    let screened = protection::screen(store, &staff, clock.today())
        .await
        .context("cannot screen the demo's people")?;
    eprintln!("{screened}");
    let cared = care::shelter_and_assist(store, &staff, landing, mina_raya, border_post, sanggau)
        .await
        .context("cannot shelter and assist the demo's people")?;
    eprintln!("{cared}");
    eprintln!(
        "\ndemo: logins (password for all: {}):",
        users::DEMO_PASSWORD
    );
    for login in &staff.logins {
        eprintln!("  {login}");
    }
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
         Sarawak at\nthe Entikong border post. The logins are listed above (password: {}).\n\n\
         Try, in another terminal in this folder:\n",
        users::DEMO_PASSWORD
    );
    println!("  export TOKEN=$(passage users token registration_clerk.aceh)");
    println!("  curl -s -H \"Authorization: Bearer $TOKEN\" {url}/api/v1/sites");
    println!("  curl -s -H \"Authorization: Bearer $TOKEN\" '{url}/api/v1/persons?name=mohammed'");
    if let Some(number) = first_head_number() {
        println!(
            "  curl -s -H \"Authorization: Bearer $TOKEN\" {url}/api/v1/persons/by-number/{number}"
        );
    }
    println!("  curl -s {url}/api/v1/openapi.json");
    println!("\nProtection work waiting, as the screening officer (README: \"Protection\"):\n");
    println!("  export OFFICER=$(passage users token screening_officer.aceh)");
    println!("  curl -s -H \"Authorization: Bearer $OFFICER\" {url}/api/v1/queues");
    println!("\n(`passage` is `cargo run --release -q --` from a clone.)\n");
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
async fn demo_present(store: &Store, operator: &Principal) -> anyhow::Result<bool> {
    let page = store
        .sites(operator, &SiteFilter::default(), None, MAX_PAGE)
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

/// Builds the scenario: the seeded generator, the clock, and what was registered so far.
struct Scenario<'a> {
    store: &'a Store,
    /// Who registers: the operator for sites, then each organisation's clerk.
    actor: Principal,
    rng: Rng,
    now: OffsetDateTime,
    today: Date,
    bangladeshi_passports: u32,
    afghan_id_cards: u32,
    tally: Tally,
}

impl<'a> Scenario<'a> {
    fn new(store: &'a Store, actor: Principal, now: OffsetDateTime, today: Date) -> Self {
        Self {
            store,
            actor,
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use passage_domain::household::Relationship::Head;
    use passage_store::PersonFilter;
    use time::macros::datetime;
    use uuid::Uuid;

    /// Before the landing date, the scenario moves back in time; a second build writes nothing.
    #[tokio::test]
    async fn builds_once_whatever_the_date() {
        let path = std::env::temp_dir().join(format!("passage-demo-{}.db", Uuid::now_v7()));
        let store = Store::open(&path.to_string_lossy()).await.unwrap();
        let clock = Clock::fixed(datetime!(2026-03-01 09:00 UTC));
        build(&store, clock.clone()).await.unwrap();
        build(&store, clock).await.unwrap();
        let operator = Principal::operator(datetime!(2026-03-01 09:00 UTC));
        let persons = store
            .persons(&operator, &PersonFilter::default(), None, MAX_PAGE)
            .await
            .unwrap();
        assert_eq!(persons.items.len(), 386);
        let head = store
            .person_by_number(&operator, &first_head_number().unwrap())
            .await
            .unwrap();
        assert_eq!(head.unwrap().relationship, Head);
        // The Entikong office's clerk does not see the people landed in Aceh.
        let users = store.users(&operator).await.unwrap();
        let kalbar = users
            .iter()
            .find(|u| u.username == "registration_clerk.kalbar")
            .unwrap();
        let clerk = Principal {
            user_id: Some(kalbar.meta.id),
            at: operator.at,
            name: kalbar.username.clone(),
            organisation_id: Some(kalbar.organisation_id),
            roles: kalbar.roles.clone(),
            context: Default::default(),
        };
        let seen = store
            .person_by_number(&clerk, &first_head_number().unwrap())
            .await
            .unwrap();
        assert!(seen.is_none());
        let theirs = store
            .persons(&clerk, &PersonFilter::default(), None, MAX_PAGE)
            .await
            .unwrap();
        assert_eq!(theirs.items.len(), 83);
        // The mother's tracing request finds her son first; Sanggau is full; the rescue
        // names the landing it produced.
        let requests = store.tracing_requests(&operator, 10).await.unwrap();
        let first = &requests[0].matches[0];
        let son = store.person(&operator, first.id).await.unwrap().unwrap();
        assert!(
            son.details
                .profile_flags
                .contains(&passage_domain::person::ProfileFlag::UnaccompaniedChild)
        );
        assert!(
            requests[0]
                .matches
                .iter()
                .skip(1)
                .all(|m| m.probability < first.probability)
        );
        let sites = store
            .sites(&operator, &SiteFilter::default(), None, MAX_PAGE)
            .await
            .unwrap();
        let sanggau = sites
            .items
            .iter()
            .find(|s| s.details.code.as_str() == "SGT")
            .unwrap();
        let occupancy = store
            .occupancy(&operator, sanggau.meta.id, 90)
            .await
            .unwrap();
        assert_eq!(occupancy.occupied, occupancy.beds);
        let incidents = store.incidents(&operator, 10).await.unwrap();
        assert_eq!(incidents[0].arrival_ids.len(), 1);
        store.close().await;
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
}
