use time::macros::date;

use super::*;
use crate::age::DobPrecision;

const TODAY: Date = date!(2026 - 11 - 27);

fn sought() -> SoughtPerson {
    SoughtPerson {
        given_name: Some(" Nur ".into()),
        family_name: None,
        other_names: vec!["Nuru".into(), " Nuru ".into()],
        sex: Sex::F,
        date_of_birth: Some(DateOfBirth {
            date: date!(2014 - 06 - 01),
            precision: DobPrecision::Estimated,
        }),
        nationalities: vec![Nationality::Stateless, Nationality::Stateless],
        place_of_origin: Some("Buthidaung".into()),
        description: Some(" red scarf, scar on left hand ".into()),
    }
}

fn request() -> TracingRequestDetails {
    TracingRequestDetails {
        sought: sought(),
        last_seen_place: Some(" Ujong Pie beach ".into()),
        last_seen_on: Some(date!(2026 - 11 - 20)),
        incident_id: Some(Uuid::from_u128(9)),
        relationship: "mother".into(),
        requester_name: "Hasina Begum".into(),
        requester_contact: "Tent B-12, Lhokseumawe".into(),
        requester_person_id: Some(Uuid::from_u128(3)),
        consent_to_share: true,
    }
}

fn fields(e: &ValidationErrors) -> Vec<&str> {
    e.0.iter().map(|e| e.field.as_str()).collect()
}

#[test]
fn a_request_is_cleaned() {
    let v = request().validated(TODAY).unwrap();
    assert_eq!(v.sought.given_name.as_deref(), Some("Nur"));
    assert_eq!(v.sought.other_names, ["Nuru"]);
    assert_eq!(v.sought.nationalities, [Nationality::Stateless]);
    assert_eq!(
        v.sought.description.as_deref(),
        Some("red scarf, scar on left hand")
    );
    assert_eq!(v.last_seen_place.as_deref(), Some("Ujong Pie beach"));
}

#[test]
fn the_requester_must_consent() {
    let d = TracingRequestDetails {
        consent_to_share: false,
        ..request()
    };
    let e = d.validated(TODAY).unwrap_err();
    assert_eq!(fields(&e), ["consent_to_share"]);
    assert_eq!(
        e.0[0].message,
        "a tracing request needs the requester's consent to search and share"
    );
    let missing = serde_json::json!({
        "sought": {"given_name": "Nur", "sex": "F", "date_of_birth": null,
                   "place_of_origin": null, "description": null, "family_name": null},
        "last_seen_place": null, "last_seen_on": null, "incident_id": null,
        "relationship": "mother", "requester_name": "Hasina",
        "requester_contact": "tent 4", "requester_person_id": null
    });
    let err = serde_json::from_value::<TracingRequestDetails>(missing).unwrap_err();
    assert!(err.to_string().contains("consent_to_share"), "{err}");
}

#[test]
fn the_sought_person_needs_a_name() {
    let d = TracingRequestDetails {
        sought: SoughtPerson {
            given_name: Some(" ".into()),
            family_name: None,
            other_names: Vec::new(),
            ..sought()
        },
        ..request()
    };
    let e = d.validated(TODAY).unwrap_err();
    assert_eq!(fields(&e), ["sought.given_name"]);
    let family_only = TracingRequestDetails {
        sought: SoughtPerson {
            given_name: None,
            family_name: Some("Begum".into()),
            other_names: Vec::new(),
            ..sought()
        },
        ..request()
    };
    assert!(family_only.validated(TODAY).is_ok());
    let other_only = TracingRequestDetails {
        sought: SoughtPerson {
            given_name: None,
            ..sought()
        },
        ..request()
    };
    assert!(other_only.validated(TODAY).is_ok());
}

#[test]
fn dates_cannot_be_in_the_future() {
    let d = TracingRequestDetails {
        last_seen_on: Some(date!(2026 - 11 - 28)),
        sought: SoughtPerson {
            date_of_birth: Some(DateOfBirth {
                date: date!(2027 - 01 - 01),
                precision: DobPrecision::Exact,
            }),
            ..sought()
        },
        ..request()
    };
    let e = d.validated(TODAY).unwrap_err();
    assert_eq!(fields(&e), ["sought.date_of_birth.date", "last_seen_on"]);
    let today = TracingRequestDetails {
        last_seen_on: Some(TODAY),
        ..request()
    };
    assert!(today.validated(TODAY).is_ok());
}

#[test]
fn the_requester_is_named_and_reachable() {
    let d = TracingRequestDetails {
        relationship: " ".into(),
        requester_name: String::new(),
        requester_contact: "\t".into(),
        ..request()
    };
    assert_eq!(
        fields(&d.validated(TODAY).unwrap_err()),
        ["relationship", "requester_name", "requester_contact"]
    );
    let d = TracingRequestDetails {
        last_seen_place: Some("x".repeat(MAX_TEXT + 1)),
        sought: SoughtPerson {
            other_names: vec!["Nuru".into(), " ".into()],
            ..sought()
        },
        ..request()
    };
    assert_eq!(
        fields(&d.validated(TODAY).unwrap_err()),
        ["sought.other_names[1]", "last_seen_place"]
    );
}

#[test]
fn the_sought_person_as_the_matching_engine_sees_them() {
    let s = request().validated(TODAY).unwrap().sought;
    let p = s.as_person();
    assert_eq!(p.given_name.as_deref(), Some("Nur"));
    assert_eq!(p.other_names, ["Nuru"]);
    assert_eq!(p.sex, Sex::F);
    assert_eq!(p.date_of_birth, s.date_of_birth);
    assert_eq!(p.nationalities, [Nationality::Stateless]);
    assert_eq!(p.place_of_origin.as_deref(), Some("Buthidaung"));
    assert!(p.contact.is_none() && p.profile_flags.is_empty());
    assert_eq!(p.name_key(), "nur nuru");
}

fn outcome(status: TracingStatus, found: Option<u128>) -> TracingOutcome {
    TracingOutcome {
        status,
        reason: " identified at Lhokseumawe reception centre ".into(),
        found_person_id: found.map(Uuid::from_u128),
    }
}

#[test]
fn an_outcome_closes_the_search() {
    let v = outcome(TracingStatus::FoundAlive, Some(5))
        .validated()
        .unwrap();
    assert_eq!(v.reason, "identified at Lhokseumawe reception centre");
    assert!(
        outcome(TracingStatus::Reunited, Some(5))
            .validated()
            .is_ok()
    );
    assert!(
        outcome(TracingStatus::FoundDeceased, None)
            .validated()
            .is_ok()
    );
    assert!(outcome(TracingStatus::Closed, None).validated().is_ok());
    let e = outcome(TracingStatus::Open, None).validated().unwrap_err();
    assert_eq!(fields(&e), ["status"]);
    for s in [TracingStatus::FoundAlive, TracingStatus::Reunited] {
        let e = outcome(s, None).validated().unwrap_err();
        assert_eq!(fields(&e), ["found_person_id"]);
    }
    let e = TracingOutcome {
        reason: "  ".into(),
        ..outcome(TracingStatus::Closed, None)
    }
    .validated()
    .unwrap_err();
    assert_eq!(fields(&e), ["reason"]);
}

#[test]
fn codes_are_the_serde_names() {
    for s in TracingStatus::ALL {
        assert_eq!(
            serde_json::to_value(s).unwrap(),
            serde_json::json!(s.code())
        );
        assert_eq!(TracingStatus::from_code(s.code()), Some(*s));
    }
}
