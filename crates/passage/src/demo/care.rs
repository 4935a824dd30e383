//! The demo's reception and care: the shipwreck and rescue that produced the sea landing;
//! the landing sheltered at Mina Raya by the allocation proposal, families together; the
//! Sanggau shelter full with returned workers; assistance programmes that follow status; a
//! mother in Cox's Bazar looking for her son, who is among the unaccompanied children.

use anyhow::Context;
use passage_domain::access::{Principal, Role};
use passage_domain::care::assistance::{
    Beneficiary, DocumentRule, Entitlement, Frequency, NewDistribution, ProgrammeDetails,
};
use passage_domain::care::incident::{
    IncidentDetails, IncidentKind, SourceQuality, SurvivorCounts,
};
use passage_domain::care::records::{Admission, Admissions};
use passage_domain::care::shelter::{ShelterUnitDetails, UnitKind};
use passage_domain::care::tracing::{SoughtPerson, TracingRequestDetails};
use passage_domain::person::{PopulationType, ProfileFlag};
use passage_domain::site::Coordinates;
use passage_server::matcher::Matcher;
use passage_store::sql::MAX_PAGE;
use passage_store::{PersonFilter, Store};
use time::Duration;
use uuid::Uuid;

use super::sea::{LANDED_AT, LANDING_REGISTERED, LANDING_REPORTED};
use super::users::Staff;
use super::{Scenario, code};

/// Shelter units at Mina Raya: (name prefix, kind, how many, beds each).
const MINA_RAYA_UNITS: [(&str, UnitKind, u32, u32); 5] = [
    ("Family tent", UnitKind::FamilyTent, 40, 8),
    ("Communal hall", UnitKind::CommunalHall, 2, 40),
    ("Child-friendly space", UnitKind::ChildFriendlySpace, 1, 12),
    ("Women's safe space", UnitKind::WomensSafeSpace, 1, 10),
    ("Medical isolation", UnitKind::MedicalIsolation, 1, 8),
];

/// Beds at Sanggau: two halls, filled by the returned workers.
const SANGGAU_HALLS: u32 = 2;
const SANGGAU_BEDS: u32 = 30;

impl Scenario<'_> {
    /// The boat's distress and rescue off Sabang, the day before it reached Pidie.
    pub(super) async fn rescue_incident(&self, officer: &Principal) -> anyhow::Result<Uuid> {
        let details = IncidentDetails {
            kind: IncidentKind::Rescue,
            occurred_on: (self.scenario_time(LANDED_AT) - Duration::days(1)).date(),
            coordinates: Some(Coordinates {
                latitude: 5.92,
                longitude: 95.21,
            }),
            location: Some("Andaman Sea, 40 nautical miles north of Sabang".into()),
            route: Some("Bay of Bengal and Andaman Sea".into()),
            country: Some(code("IDN")?),
            vessel: Some("wooden fishing boat, no name".into()),
            persons_aboard: Some(LANDING_REPORTED + 31),
            rescued: LANDING_REPORTED,
            dead: 9,
            missing: 22,
            survivors: SurvivorCounts {
                female: 251,
                male: 361,
                children: 188,
            },
            cause: Some("drowning after the engine failed; dehydration".into()),
            origin_countries: vec![code("MMR")?, code("BGD")?],
            source: "Basarnas rescue report and survivors' accounts".into(),
            source_quality: SourceQuality::Multiple,
            source_url: None,
        };
        let incident = self
            .store
            .create_incident(officer, details.validated(self.today)?)
            .await
            .context("cannot record the rescue")?;
        Ok(incident.meta.id)
    }
}

async fn units(
    store: &Store,
    manager: &Principal,
    site: Uuid,
    spec: &[(&str, UnitKind, u32, u32)],
) -> anyhow::Result<u32> {
    let mut beds = 0;
    for (name, kind, count, each) in spec {
        for n in 1..=*count {
            let details = ShelterUnitDetails {
                site_id: site,
                name: format!("{name} {n}"),
                kind: *kind,
                beds: *each,
                closed: false,
            };
            store.create_unit(manager, details.validated()?).await?;
            beds += each;
        }
    }
    Ok(beds)
}

fn programme(code: &str, name: &str, item: &str, entitlement: Entitlement) -> ProgrammeDetails {
    ProgrammeDetails {
        code: code.into(),
        name: name.into(),
        item: item.into(),
        beneficiary: Beneficiary::Person,
        frequency: Frequency::Once,
        entitlement,
        closed: false,
    }
}

/// Shelters, assists and traces; returns a line saying what it did.
pub(super) async fn shelter_and_assist(
    store: &Store,
    staff: &Staff,
    landing: Uuid,
    mina_raya: Uuid,
    border_post: Uuid,
    sanggau: Uuid,
) -> anyhow::Result<String> {
    let aceh_manager = staff.of(0, Role::SiteManager)?;
    let beds = units(store, &aceh_manager, mina_raya, &MINA_RAYA_UNITS).await?;
    let proposal = store
        .allocation_proposal(&aceh_manager, mina_raya, landing)
        .await?
        .proposal;
    let placements: Vec<Admission> = proposal
        .placements
        .iter()
        .map(|p| Admission {
            person_id: p.person_id,
            unit_id: p.unit_id,
            companions: p.companions,
        })
        .collect();
    let sheltered = store
        .admit(
            &aceh_manager,
            Admissions {
                placements,
                override_reason: None,
            },
        )
        .await?;

    let kalbar_manager = staff.of(1, Role::SiteManager)?;
    let halls = [(
        "Returnee hall",
        UnitKind::CommunalHall,
        SANGGAU_HALLS,
        SANGGAU_BEDS,
    )];
    units(store, &kalbar_manager, sanggau, &halls).await?;
    let returnees = store
        .persons(&kalbar_manager, &PersonFilter::default(), None, MAX_PAGE)
        .await?
        .items;
    let mut full = Vec::new();
    for unit in store.units(&kalbar_manager, sanggau).await? {
        let people = returnees
            .iter()
            .skip(full.len())
            .take(SANGGAU_BEDS as usize);
        full.extend(people.map(|p| Admission {
            person_id: p.meta.id,
            unit_id: unit.meta.id,
            companions: 0,
        }));
    }
    let filled = full.len();
    store
        .admit(
            &kalbar_manager,
            Admissions {
                placements: full,
                override_reason: None,
            },
        )
        .await?;

    let officer = staff.of(0, Role::AssistanceOfficer)?;
    let hygiene = store
        .create_programme(
            &officer,
            programme(
                "HYGIENE",
                "Hygiene kit on arrival",
                "hygiene kit",
                Entitlement {
                    population_types: vec![],
                    flags: vec![],
                    documents: DocumentRule::Any,
                    sites: vec![],
                },
            )
            .validated()?,
        )
        .await?;
    store
        .create_programme(
            &officer,
            programme(
                "REINT-CASH",
                "Reintegration cash grant",
                "IDR 2,500,000",
                Entitlement {
                    population_types: vec![PopulationType::RET],
                    flags: vec![],
                    documents: DocumentRule::Documented,
                    sites: vec![],
                },
            )
            .validated()?,
        )
        .await?;
    let basic = store
        .create_programme(
            &officer,
            programme(
                "BASIC-BORDER",
                "Basic package at the border",
                "food and water for three days",
                Entitlement {
                    population_types: vec![],
                    flags: vec![ProfileFlag::Returnee],
                    documents: DocumentRule::Undocumented,
                    sites: vec![border_post],
                },
            )
            .validated()?,
        )
        .await?;
    let mut kits = 0;
    for stay in &sheltered {
        let new = NewDistribution {
            programme_id: hygiene.meta.id,
            person_id: stay.person_id,
            site_id: mina_raya,
            quantity: Some(1),
            note: None,
        };
        store.distribute(&officer, new, Vec::new()).await?;
        kits += 1;
    }
    let border_officer = staff.of(1, Role::AssistanceOfficer)?;
    let mut packages = 0;
    for r in &returnees {
        let new = NewDistribution {
            programme_id: basic.meta.id,
            person_id: r.meta.id,
            site_id: border_post,
            quantity: Some(1),
            note: None,
        };
        if store
            .distribute(&border_officer, new, Vec::new())
            .await
            .is_ok()
        {
            packages += 1;
        }
    }

    let traced = trace_a_son(store, staff).await?;
    Ok(format!(
        "demo: rescue off Sabang recorded ({LANDING_REPORTED} rescued, 9 dead, 22 missing); {} of {LANDING_REGISTERED} \
         landed sheltered at MNR ({beds} beds; {} of them counted at level 1, staying with their registered head), \
         {} registered people not placed, each with a reason; SGT full with {filled} returned workers; \
         {kits} hygiene kits, {packages} basic packages to undocumented returnees; {traced}",
        sheltered.iter().map(|s| 1 + s.companions).sum::<u32>(),
        sheltered.iter().map(|s| s.companions).sum::<u32>(),
        proposal.not_placed.len(),
    ))
}

/// A mother in Cox's Bazar asks for her son, who came alone on the boat: her spelling of
/// his name and his year of birth as she remembers it.
async fn trace_a_son(store: &Store, staff: &Staff) -> anyhow::Result<String> {
    let caseworker = staff.of(0, Role::ChildProtectionCaseworker)?;
    let children = store
        .persons(&caseworker, &PersonFilter::default(), None, MAX_PAGE)
        .await?
        .items;
    let Some(son) = children.iter().find(|p| {
        p.details
            .profile_flags
            .contains(&ProfileFlag::UnaccompaniedChild)
            && p.details.sex == passage_domain::person::Sex::M
    }) else {
        return Ok("no unaccompanied boy to trace".into());
    };
    let sought = SoughtPerson {
        given_name: son
            .details
            .given_name
            .as_ref()
            .map(|g| g.replace("Mohammed", "Muhammad")),
        family_name: son.details.family_name.clone(),
        other_names: Vec::new(),
        sex: son.details.sex,
        date_of_birth: son.details.date_of_birth,
        nationalities: son.details.nationalities.clone(),
        place_of_origin: son.details.place_of_origin.clone(),
        description: Some("thin, a scar over the left eyebrow".into()),
    };
    let details = TracingRequestDetails {
        sought,
        last_seen_place: Some("Shamlapur beach, Teknaf".into()),
        last_seen_on: Some(son.meta.created_at.date() - Duration::days(24)),
        incident_id: None,
        relationship: "mother".into(),
        requester_name: "Rahima Khatun".into(),
        requester_contact: "through the Cox's Bazar family tracing desk".into(),
        requester_person_id: None,
        consent_to_share: true,
    };
    let details = details.validated(son.meta.created_at.date())?;
    let matcher = Matcher::load(store).await?;
    let matches =
        passage_server::tracing_match::candidates(store, &matcher, &caseworker, &details).await?;
    let request = store
        .file_tracing_request(&caseworker, details, matches)
        .await?;
    let first = request
        .matches
        .first()
        .map(|m| m.id == son.meta.id)
        .unwrap_or(false);
    Ok(format!(
        "a tracing request for {} with {} candidates, the true one {}",
        son.details.display_name(),
        request.matches.len(),
        if first { "first" } else { "not first" }
    ))
}
