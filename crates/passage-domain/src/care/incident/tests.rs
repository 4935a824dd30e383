use time::macros::date;

use super::*;

const TODAY: Date = date!(2026 - 11 - 27);

fn country(c: &str) -> Country {
    Country::try_from(c.to_owned()).unwrap()
}

fn shipwreck() -> IncidentDetails {
    IncidentDetails {
        kind: IncidentKind::Shipwreck,
        occurred_on: date!(2026 - 03 - 14),
        coordinates: Some(Coordinates {
            latitude: 5.5483,
            longitude: 95.3238,
        }),
        location: Some(" off Ujong Pie ".into()),
        route: Some("Bay of Bengal – Andaman Sea".into()),
        country: Some(country("IDN")),
        vessel: Some("wooden fishing boat".into()),
        persons_aboard: Some(180),
        rescued: 120,
        dead: 12,
        missing: 40,
        survivors: SurvivorCounts {
            female: 50,
            male: 60,
            children: 30,
        },
        cause: Some("Drowning".into()),
        origin_countries: vec![country("MMR"), country("BGD"), country("MMR")],
        source: " UNHCR Indonesia ".into(),
        source_quality: SourceQuality::Official,
        source_url: Some("https://example.org/report".into()),
    }
}

fn fields(e: &ValidationErrors) -> Vec<&str> {
    e.0.iter().map(|e| e.field.as_str()).collect()
}

#[test]
fn a_well_formed_incident_is_cleaned() {
    let v = shipwreck().validated(TODAY).unwrap();
    assert_eq!(v.location.as_deref(), Some("off Ujong Pie"));
    assert_eq!(v.source, "UNHCR Indonesia");
    assert_eq!(v.origin_countries, [country("MMR"), country("BGD")]);
    let today = IncidentDetails {
        occurred_on: TODAY,
        ..shipwreck()
    };
    assert!(today.validated(TODAY).is_ok());
}

#[test]
fn an_incident_cannot_be_in_the_future() {
    let d = IncidentDetails {
        occurred_on: date!(2026 - 11 - 28),
        ..shipwreck()
    };
    let e = d.validated(TODAY).unwrap_err();
    assert_eq!(fields(&e), ["occurred_on"]);
    assert_eq!(e.0[0].message, "2026-11-28 is in the future");
}

#[test]
fn coordinates_errors_are_nested() {
    let d = IncidentDetails {
        coordinates: Some(Coordinates {
            latitude: 95.0,
            longitude: -181.0,
        }),
        ..shipwreck()
    };
    assert_eq!(
        fields(&d.validated(TODAY).unwrap_err()),
        ["coordinates.latitude", "coordinates.longitude"]
    );
}

#[test]
fn the_counts_fit_in_the_boat() {
    let d = IncidentDetails {
        persons_aboard: Some(171),
        ..shipwreck()
    };
    let e = d.validated(TODAY).unwrap_err();
    assert_eq!(fields(&e), ["persons_aboard"]);
    assert_eq!(
        e.0[0].message,
        "171 aboard, but 120 rescued, 12 dead and 40 missing make 172"
    );
    let exact = IncidentDetails {
        persons_aboard: Some(172),
        ..shipwreck()
    };
    assert!(exact.validated(TODAY).is_ok());
    let unknown = IncidentDetails {
        persons_aboard: None,
        ..shipwreck()
    };
    assert!(unknown.validated(TODAY).is_ok());
}

#[test]
fn survivors_are_among_the_rescued() {
    let d = IncidentDetails {
        survivors: SurvivorCounts {
            female: 61,
            male: 60,
            children: 121,
        },
        ..shipwreck()
    };
    let e = d.validated(TODAY).unwrap_err();
    assert_eq!(fields(&e), ["survivors", "survivors.children"]);
    assert_eq!(
        e.0[0].message,
        "61 female and 60 male survivors make 121, more than the 120 rescued"
    );
    assert_eq!(e.0[1].message, "121 children, more than the 120 rescued");
}

#[test]
fn an_incident_needs_a_source() {
    let d = IncidentDetails {
        source: "  ".into(),
        source_url: Some("example.org".into()),
        ..shipwreck()
    };
    assert_eq!(
        fields(&d.validated(TODAY).unwrap_err()),
        ["source", "source_url"]
    );
}

#[test]
fn huge_counts_are_refused_without_overflow() {
    let d = IncidentDetails {
        persons_aboard: Some(u32::MAX),
        rescued: u32::MAX,
        dead: u32::MAX,
        missing: u32::MAX,
        survivors: SurvivorCounts {
            female: u32::MAX,
            male: u32::MAX,
            children: 0,
        },
        ..shipwreck()
    };
    let e = d.validated(TODAY).unwrap_err();
    assert_eq!(
        fields(&e),
        [
            "persons_aboard",
            "rescued",
            "dead",
            "missing",
            "persons_aboard",
            "survivors"
        ]
    );
}

#[test]
fn the_date_travels_as_an_iso_date() {
    let json = serde_json::to_value(shipwreck()).unwrap();
    assert_eq!(json["occurred_on"], "2026-03-14");
    assert_eq!(json["source_quality"], "official");
    let d: IncidentDetails = serde_json::from_value(serde_json::json!({
        "kind": "rescue",
        "occurred_on": "2026-11-20",
        "coordinates": null,
        "location": null,
        "route": null,
        "country": "idn",
        "vessel": null,
        "persons_aboard": null,
        "cause": null,
        "source": "coast guard",
        "source_quality": "single",
        "source_url": null
    }))
    .unwrap();
    assert_eq!(d.occurred_on, date!(2026 - 11 - 20));
    assert_eq!((d.rescued, d.dead, d.missing), (0, 0, 0));
    assert_eq!(d.survivors, SurvivorCounts::default());
    assert!(d.origin_countries.is_empty());
    assert!(!d.is_mmp_incident() && shipwreck().is_mmp_incident());
}

#[test]
fn source_quality_scores_five_to_one() {
    let scores: Vec<u8> = SourceQuality::ALL.iter().map(|q| q.score()).collect();
    assert_eq!(scores, [5, 4, 3, 2, 1]);
    for q in SourceQuality::ALL {
        assert_eq!(SourceQuality::from_score(q.score()), Some(*q));
        assert_eq!(
            serde_json::to_value(q).unwrap(),
            serde_json::json!(q.code())
        );
    }
    assert_eq!(SourceQuality::from_score(0), None);
    assert_eq!(SourceQuality::from_score(6), None);
    for k in IncidentKind::ALL {
        assert_eq!(IncidentKind::from_code(k.code()), Some(*k));
    }
}

#[test]
fn an_mmp_row_in_column_order() {
    let id = Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_0001);
    let d = shipwreck().validated(TODAY).unwrap();
    let row = mmp_row(id, &d);
    assert_eq!(row.len(), MMP_COLUMNS.len());
    let expected = [
        "01930000-0000-7000-8000-000000000001",
        "01930000-0000-7000-8000-000000000001",
        "Incident",
        "2026-03-14",
        "2026",
        "March",
        "12",
        "40",
        "52",
        "120",
        "",
        "",
        "",
        "MMR, BGD",
        "",
        "Drowning",
        "",
        "IDN",
        "Bay of Bengal – Andaman Sea",
        "off Ujong Pie",
        "5.5483, 95.3238",
        "",
        "UNHCR Indonesia",
        "5",
        "https://example.org/report",
    ];
    assert_eq!(row, expected);
}

#[test]
fn an_mmp_row_with_little_known() {
    let d = IncidentDetails {
        kind: IncidentKind::Death,
        occurred_on: date!(2025 - 12 - 01),
        coordinates: None,
        location: None,
        route: None,
        country: None,
        vessel: None,
        persons_aboard: None,
        rescued: 0,
        dead: 1,
        missing: 0,
        survivors: SurvivorCounts::default(),
        cause: None,
        origin_countries: Vec::new(),
        source: "relative".into(),
        source_quality: SourceQuality::Unverified,
        source_url: None,
    };
    let row = mmp_row(Uuid::nil(), &d);
    assert_eq!(
        &row[3..10],
        ["2025-12-01", "2025", "December", "1", "0", "1", "0"]
    );
    assert_eq!(row[13], "");
    assert_eq!(row[20], "");
    assert_eq!(row[23], "1");
    assert_eq!(row[24], "");
}
