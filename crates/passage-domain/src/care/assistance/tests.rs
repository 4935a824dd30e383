use time::macros::datetime;

use super::*;

const T: OffsetDateTime = datetime!(2026-11-01 10:00 UTC);

fn programme() -> ProgrammeDetails {
    ProgrammeDetails {
        code: "cash-1".into(),
        name: " Multi-purpose cash ".into(),
        item: "USD 150 cash grant".into(),
        beneficiary: Beneficiary::Household,
        frequency: Frequency::Every { days: 30 },
        entitlement: Entitlement::default(),
        closed: false,
    }
}

fn recipient() -> Recipient {
    Recipient {
        population_type: Some(PopulationType::REF),
        flags: vec![ProfileFlag::Smuggled],
        documented: true,
        site_id: Some(Uuid::from_u128(1)),
    }
}

fn fields(e: &ValidationErrors) -> Vec<&str> {
    e.0.iter().map(|e| e.field.as_str()).collect()
}

#[test]
fn a_programme_is_cleaned() {
    let mut d = programme();
    d.entitlement.flags = vec![
        ProfileFlag::Smuggled,
        ProfileFlag::Returnee,
        ProfileFlag::Smuggled,
    ];
    d.entitlement.population_types = vec![PopulationType::REF, PopulationType::REF];
    d.entitlement.sites = vec![Uuid::from_u128(1), Uuid::from_u128(1)];
    let v = d.validated().unwrap();
    assert_eq!(v.code, "CASH-1");
    assert_eq!(v.name, "Multi-purpose cash");
    assert_eq!(
        v.entitlement.flags,
        [ProfileFlag::Smuggled, ProfileFlag::Returnee]
    );
    assert_eq!(v.entitlement.population_types, [PopulationType::REF]);
    assert_eq!(v.entitlement.sites.len(), 1);
}

#[test]
fn a_programme_needs_a_code_a_name_an_item_and_a_period() {
    for bad in ["A", "CASH 1", "CASH_1", "ÉCOLE", &"X".repeat(21)] {
        let d = ProgrammeDetails {
            code: bad.into(),
            ..programme()
        };
        assert_eq!(fields(&d.validated().unwrap_err()), ["code"], "{bad}");
    }
    let ok = ProgrammeDetails {
        code: "X".repeat(20),
        ..programme()
    };
    assert!(ok.validated().is_ok());
    let d = ProgrammeDetails {
        name: " ".into(),
        item: String::new(),
        frequency: Frequency::Every { days: 0 },
        ..programme()
    };
    assert_eq!(
        fields(&d.validated().unwrap_err()),
        ["name", "item", "frequency.days"]
    );
    let d = ProgrammeDetails {
        frequency: Frequency::Every {
            days: MAX_PERIOD_DAYS + 1,
        },
        ..programme()
    };
    assert_eq!(fields(&d.validated().unwrap_err()), ["frequency.days"]);
}

#[test]
fn how_a_programme_travels() {
    let d: ProgrammeDetails = serde_json::from_value(serde_json::json!({
        "code": "HYG-KIT",
        "name": "Hygiene kit",
        "item": "hygiene kit",
        "beneficiary": "person",
        "frequency": {"kind": "once"},
        "entitlement": {"flags": ["unaccompanied_child"]}
    }))
    .unwrap();
    assert_eq!(d.frequency, Frequency::Once);
    assert_eq!(d.entitlement.documents, DocumentRule::Any);
    assert!(d.entitlement.population_types.is_empty() && !d.closed);
    let json = serde_json::to_value(programme()).unwrap();
    assert_eq!(
        json["frequency"],
        serde_json::json!({"kind": "every", "days": 30})
    );
    assert_eq!(json["beneficiary"], "household");
    assert_eq!(json["entitlement"]["documents"], "any");
    assert!(
        serde_json::from_value::<ProgrammeDetails>(serde_json::json!({
            "code": "A1", "name": "n", "item": "i", "beneficiary": "person",
            "frequency": {"kind": "once"}, "active": true
        }))
        .is_err()
    );
    assert!(serde_json::from_value::<Entitlement>(serde_json::json!({"site": []})).is_err());
}

#[test]
fn an_open_programme_without_conditions_is_for_everyone() {
    let r = Recipient {
        population_type: None,
        flags: Vec::new(),
        documented: false,
        site_id: None,
    };
    assert_eq!(eligible(&programme(), &r), Ok(()));
}

#[test]
fn a_closed_programme_gives_nothing() {
    let p = ProgrammeDetails {
        closed: true,
        ..programme()
    };
    let e = eligible(&p, &recipient()).unwrap_err();
    assert_eq!(e, NotEligible::Closed);
    assert_eq!(e.to_string(), "the programme is closed");
    assert_eq!(e.code(), "closed");
}

#[test]
fn population_type_must_be_one_of_those_listed() {
    let mut p = programme();
    p.entitlement.population_types = vec![PopulationType::REF, PopulationType::ASY];
    assert_eq!(eligible(&p, &recipient()), Ok(()));
    let r = Recipient {
        population_type: Some(PopulationType::IDP),
        ..recipient()
    };
    let e = eligible(&p, &r).unwrap_err();
    assert_eq!(e.to_string(), "population type IDP is not one of REF, ASY");
    assert_eq!(e.code(), "population_type");
    let r = Recipient {
        population_type: None,
        ..recipient()
    };
    assert_eq!(
        eligible(&p, &r).unwrap_err().to_string(),
        "population type is not recorded; the programme is for REF, ASY"
    );
}

#[test]
fn every_flag_is_required() {
    let mut p = programme();
    p.entitlement.flags = vec![ProfileFlag::Smuggled, ProfileFlag::TraffickingVictim];
    let e = eligible(&p, &recipient()).unwrap_err();
    assert_eq!(
        e,
        NotEligible::Flag {
            missing: ProfileFlag::TraffickingVictim
        }
    );
    assert_eq!(
        e.to_string(),
        "the programme is for people flagged trafficking_victim, and this person is not"
    );
    let r = Recipient {
        flags: vec![ProfileFlag::TraffickingVictim, ProfileFlag::Smuggled],
        ..recipient()
    };
    assert_eq!(eligible(&p, &r), Ok(()));
}

#[test]
fn the_document_rule_holds() {
    let mut p = programme();
    p.entitlement.documents = DocumentRule::Undocumented;
    let e = eligible(&p, &recipient()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the programme is for people without an identity document, and one is on record"
    );
    assert_eq!(e.code(), "documents");
    p.entitlement.documents = DocumentRule::Documented;
    assert_eq!(eligible(&p, &recipient()), Ok(()));
    let r = Recipient {
        documented: false,
        ..recipient()
    };
    assert_eq!(
        eligible(&p, &r).unwrap_err().to_string(),
        "the programme is for people holding an identity document, and none is on record"
    );
}

#[test]
fn only_at_the_listed_sites() {
    let mut p = programme();
    p.entitlement.sites = vec![Uuid::from_u128(2)];
    let e = eligible(&p, &recipient()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the programme is not distributed at this site"
    );
    assert_eq!(e.code(), "site");
    let r = Recipient {
        site_id: None,
        ..recipient()
    };
    assert_eq!(
        eligible(&p, &r).unwrap_err().to_string(),
        "the programme is distributed only at its sites, and no site was given"
    );
    p.entitlement.sites.push(Uuid::from_u128(1));
    assert_eq!(eligible(&p, &recipient()), Ok(()));
}

#[test]
fn the_first_failing_rule_is_named() {
    let mut p = programme();
    p.entitlement.population_types = vec![PopulationType::ASY];
    p.entitlement.documents = DocumentRule::Undocumented;
    assert_eq!(
        eligible(&p, &recipient()).unwrap_err().code(),
        "population_type"
    );
}

#[test]
fn once_means_once() {
    assert_eq!(check_frequency(&Frequency::Once, &[], T), Ok(()));
    let later = T + Duration::days(400);
    let e = check_frequency(&Frequency::Once, &[later, T], later + Duration::days(1)).unwrap_err();
    assert_eq!(e, AlreadyReceived::Once { at: T });
    assert_eq!(
        e.to_string(),
        "already received on 2026-11-01T10:00:00Z (once only)"
    );
}

#[test]
fn every_period_counts_to_the_second() {
    let f = Frequency::Every { days: 30 };
    let next = T + Duration::days(30);
    assert_eq!(check_frequency(&f, &[T], next), Ok(()));
    let e = check_frequency(&f, &[T], next - Duration::seconds(1)).unwrap_err();
    assert_eq!(e, AlreadyReceived::TooSoon { last: T, next });
    assert_eq!(
        e.to_string(),
        "already received on 2026-11-01T10:00:00Z; next possible from 2026-12-01T10:00:00Z"
    );
    assert!(check_frequency(&f, &[T], T).is_err());
    assert_eq!(check_frequency(&f, &[], T), Ok(()));
}

#[test]
fn the_latest_clash_sets_the_next_date() {
    let f = Frequency::Every { days: 30 };
    let second = T + Duration::days(31);
    let e = check_frequency(&f, &[second, T], second + Duration::days(2)).unwrap_err();
    assert_eq!(
        e,
        AlreadyReceived::TooSoon {
            last: second,
            next: second + Duration::days(30)
        }
    );
}

#[test]
fn a_backdated_distribution_may_not_fall_inside_a_period() {
    let f = Frequency::Every { days: 30 };
    assert!(check_frequency(&f, &[T], T - Duration::days(29)).is_err());
    assert_eq!(check_frequency(&f, &[T], T - Duration::days(30)), Ok(()));
}

#[test]
fn a_distribution_is_checked() {
    let d = NewDistribution {
        programme_id: Uuid::from_u128(1),
        person_id: Uuid::from_u128(2),
        site_id: Uuid::from_u128(3),
        quantity: Some(1),
        note: Some("  handed to the mother ".into()),
    };
    let v = d.clone().validated().unwrap();
    assert_eq!(v.note.as_deref(), Some("handed to the mother"));
    for q in [0, MAX_QUANTITY + 1] {
        let bad = NewDistribution {
            quantity: Some(q),
            ..d.clone()
        };
        assert_eq!(fields(&bad.validated().unwrap_err()), ["quantity"]);
    }
    let v = NewDistribution {
        quantity: None,
        note: Some("   ".into()),
        ..d.clone()
    }
    .validated()
    .unwrap();
    assert_eq!(v.note, None);
    assert!(
        NewDistribution {
            quantity: Some(MAX_QUANTITY),
            ..d
        }
        .validated()
        .is_ok()
    );
}

#[test]
fn codes_are_the_serde_names() {
    for b in Beneficiary::ALL {
        assert_eq!(
            serde_json::to_value(b).unwrap(),
            serde_json::json!(b.code())
        );
    }
    for d in DocumentRule::ALL {
        assert_eq!(
            serde_json::to_value(d).unwrap(),
            serde_json::json!(d.code())
        );
        assert_eq!(DocumentRule::from_code(d.code()), Some(*d));
    }
}

#[test]
fn flag_names_in_messages_are_the_serde_names() {
    use ProfileFlag::*;
    for f in [
        PresumedTraffickingVictim,
        TraffickingVictim,
        Smuggled,
        UnaccompaniedChild,
        SeparatedChild,
        Returnee,
        EconomicMigrant,
        EnvironmentalMigrant,
    ] {
        assert_eq!(
            serde_json::to_value(f).unwrap(),
            serde_json::json!(flag_code(f))
        );
    }
}
