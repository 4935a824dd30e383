//! Screening: questionnaires as data, answers checked against their version, and what the
//! rules compute from them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use passage_domain::age::{DateOfBirth, DobPrecision};
use passage_domain::codes::Nationality;
use passage_domain::data_protection::ConsentScope;
use passage_domain::person::{PopulationType, ProfileFlag};
use passage_domain::protection::procedure::ProcedureKind;
use passage_domain::protection::questionnaire::{self, Questionnaire, Status};
use passage_domain::protection::referral::{Service, Urgency};
use passage_domain::protection::screening::{
    AgeAssessment, AgeBasis, AgeMethod, ChildStatus, Outcome, Subject, evaluate,
};
use proptest::prelude::*;
use serde_json::{Value, json};
use time::Date;
use time::macros::date;

const TODAY: Date = date!(2026 - 11 - 27);

fn current() -> &'static Questionnaire {
    questionnaire::find("screening", 2).expect("screening v2 ships")
}

fn adult() -> Subject {
    Subject {
        date_of_birth: None,
        nationalities: vec![],
        population_type: None,
        profile_flags: vec![],
    }
}

fn base(age: i64) -> serde_json::Map<String, Value> {
    let mut m = json!({
        "stated_age": age,
        "reasons_for_leaving": ["conflict"],
        "fear_of_return": false,
        "wants_asylum": false,
    })
    .as_object()
    .cloned()
    .unwrap();
    if age < 18 {
        m.insert("travelling_with".into(), json!("parents"));
    }
    m
}

fn screen(
    answers: serde_json::Map<String, Value>,
    age: Option<AgeAssessment>,
    s: &Subject,
) -> Outcome {
    let q = current();
    let checked = q.check(&answers).unwrap_or_else(|e| panic!("{e}"));
    evaluate(q, &checked, age.as_ref(), s, TODAY)
}

fn codes(o: &Outcome) -> Vec<&str> {
    o.needs.iter().map(|n| n.code.as_str()).collect()
}

#[test]
fn every_shipped_version_loads_and_one_is_active() {
    let all = questionnaire::shipped();
    assert_eq!(all.len(), 2, "a shipped definition failed its checks");
    assert_eq!(
        questionnaire::find("screening", 1).unwrap().status,
        Status::Retired
    );
    assert_eq!(current().status, Status::Active);
    for q in all {
        for question in &q.questions {
            for label in [&question.label.en, &question.label.zh, &question.label.ar] {
                assert!(
                    !label.trim().is_empty(),
                    "{} lacks a translation",
                    question.name
                );
            }
        }
    }
}

#[test]
fn bad_answers_are_named_by_question() {
    let q = current();
    let mut a = base(30);
    a.insert("favourite_colour".into(), json!("blue"));
    a.insert("fear_of_return".into(), json!("maybe"));
    a.insert("reasons_for_leaving".into(), json!(["conflict", "boredom"]));
    a.insert("travelling_with".into(), json!("alone"));
    a.remove("wants_asylum");
    let err = q.check(&a).unwrap_err();
    let fields: Vec<&str> = err.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "answers.favourite_colour",
            "answers.travelling_with",
            "answers.reasons_for_leaving",
            "answers.fear_of_return",
            "answers.wants_asylum"
        ],
        "{err}"
    );
    assert!(err.to_string().contains("was not asked"), "{err}");
    assert!(
        err.to_string().contains("`boredom` is not a choice")
            || err.to_string().contains("\"boredom\" is not a choice"),
        "{err}"
    );
    let mut a = base(15);
    a.insert("stated_age".into(), json!(130));
    assert!(
        q.check(&a)
            .unwrap_err()
            .to_string()
            .contains("out of range")
    );
}

#[test]
fn an_unaccompanied_boy_gets_child_protection_within_24_hours() {
    let mut a = base(15);
    a.insert("travelling_with".into(), json!("alone"));
    let o = screen(a, None, &adult());
    assert!(o.child.treated_as_child);
    assert_eq!(o.child.age_basis, AgeBasis::Stated);
    assert_eq!(o.child.child_status, Some(ChildStatus::Unaccompanied));
    assert!(codes(&o).contains(&"SC-UC"));
    assert!(o.proposed_flags.contains(&ProfileFlag::UnaccompaniedChild));
    let cp = o
        .proposed_referrals
        .iter()
        .find(|r| r.service == Service::ChildProtection)
        .unwrap();
    assert_eq!(cp.urgency, Urgency::Urgent);
    assert_eq!(cp.due_within_hours, 24);
    assert_eq!(cp.opens, Some(ProcedureKind::ChildProtection));
}

#[test]
fn an_age_range_straddling_18_gives_the_benefit_of_the_doubt() {
    let mut a = base(19);
    a.insert("reasons_for_leaving".into(), json!(["conflict"]));
    let assessment = AgeAssessment {
        method: AgeMethod::Interview,
        minimum_age: 16,
        maximum_age: 20,
        note: None,
    };
    let mut s = adult();
    s.date_of_birth = Some(DateOfBirth {
        date: date!(2000 - 01 - 01),
        precision: DobPrecision::Exact,
    });
    let o = screen(a, Some(assessment.validated().unwrap()), &s);
    let r = o.child.age_assessment.as_ref().unwrap();
    assert!(r.benefit_of_the_doubt);
    assert_eq!(r.uncertainty_years, 4);
    assert!(o.child.treated_as_child);
    assert_eq!(o.child.age_basis, AgeBasis::AgeAssessment);
    let bad = AgeAssessment {
        method: AgeMethod::BoneXray,
        minimum_age: 20,
        maximum_age: 16,
        note: None,
    };
    assert_eq!(
        bad.validated().unwrap_err().0[0].field,
        "age_assessment.minimum_age"
    );
}

#[test]
fn a_presumed_victim_needs_act_means_and_purpose_unless_a_child() {
    let mut a = base(28);
    a.insert("recruitment".into(), json!(["job_offer"]));
    a.insert("exploitation".into(), json!(["domestic_work"]));
    let o = screen(a.clone(), None, &adult());
    assert!(o.trafficking.act && o.trafficking.purpose && !o.trafficking.means);
    assert!(
        !o.trafficking.presumed_victim,
        "an adult without means is not presumed"
    );
    a.insert("control".into(), json!(["documents_taken", "debt"]));
    let o = screen(a, None, &adult());
    assert!(o.trafficking.presumed_victim);
    assert!(
        o.trafficking
            .indicators
            .iter()
            .any(|i| i.field == "vic_MethodsOfControl" && i.value == "WithholdsDocuments")
    );
    assert!(
        o.proposed_flags
            .contains(&ProfileFlag::PresumedTraffickingVictim)
    );
    let at = o
        .proposed_referrals
        .iter()
        .find(|r| r.service == Service::AntiTrafficking)
        .unwrap();
    assert_eq!(at.consent_required, Some(ConsentScope::Trafficking));

    let mut child = base(16);
    child.insert("recruitment".into(), json!(["taken"]));
    child.insert("exploitation".into(), json!(["begging"]));
    assert!(screen(child, None, &adult()).trafficking.presumed_victim);
}

#[test]
fn fear_of_return_proposes_asylum_and_legal_aid() {
    let mut a = base(34);
    a.insert("fear_of_return".into(), json!(true));
    let o = screen(a, None, &adult());
    assert!(o.fear_of_return);
    assert_eq!(o.proposed_population_type, Some(PopulationType::ASY));
    let services: Vec<Service> = o.proposed_referrals.iter().map(|r| r.service).collect();
    assert!(services.contains(&Service::AsylumProcedure) && services.contains(&Service::LegalAid));
    let mut refugee = adult();
    refugee.population_type = Some(PopulationType::REF);
    let mut a = base(34);
    a.insert("fear_of_return".into(), json!(true));
    assert_eq!(
        screen(a, None, &refugee).proposed_population_type,
        Some(PopulationType::REF)
    );
}

#[test]
fn a_labour_migrant_is_flagged_and_referred_nowhere() {
    let mut a = base(25);
    a.insert("reasons_for_leaving".into(), json!(["work"]));
    let o = screen(a, None, &adult());
    assert_eq!(o.proposed_flags, [ProfileFlag::EconomicMigrant]);
    assert!(o.proposed_referrals.is_empty());
    assert_eq!(o.proposed_population_type, None);
}

#[test]
fn sgbv_torture_and_tracing_are_offered_only_with_consent() {
    let mut a = base(30);
    a.insert(
        "violence".into(),
        json!(["sexual_violence_flight", "torture"]),
    );
    a.insert("family_missing".into(), json!(true));
    a.insert("health".into(), json!(["critical"]));
    let o = screen(a, None, &adult());
    let need = |s: Service| {
        o.proposed_referrals
            .iter()
            .find(|r| r.service == s)
            .unwrap()
    };
    assert_eq!(
        need(Service::SgbvServices).consent_required,
        Some(ConsentScope::Sgbv)
    );
    assert_eq!(
        need(Service::TortureRehabilitation).consent_required,
        Some(ConsentScope::Torture)
    );
    assert_eq!(
        need(Service::FamilyTracing).consent_required,
        Some(ConsentScope::Tracing)
    );
    assert_eq!(need(Service::Health).urgency, Urgency::Emergency);
    assert_eq!(need(Service::Health).due_within_hours, 24);
    assert_eq!(
        o.proposed_referrals[0].service,
        Service::Health,
        "most urgent first"
    );
}

#[test]
fn a_stateless_person_is_proposed_for_statelessness_determination() {
    let mut s = adult();
    s.nationalities = vec![Nationality::Stateless];
    let o = screen(base(40), None, &s);
    assert!(o.stateless);
    assert!(
        o.proposed_referrals
            .iter()
            .any(|r| r.opens == Some(ProcedureKind::Statelessness))
    );
}

#[test]
fn broken_definitions_are_refused() {
    let text = serde_json::to_string(current()).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["questions"][1]["relevant"]["question"] = json!("notes");
    let err = Questionnaire::from_json(&v.to_string()).unwrap_err();
    assert!(err.to_string().contains("not an earlier question"), "{err}");
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["questions"][8]["choices"][0]["effects"]["needs"] = json!(["SM-ZZ"]);
    assert!(Questionnaire::from_json(&v.to_string()).is_err());
    let mut v: Value = serde_json::from_str(&text).unwrap();
    v["questions"][0]["label"] = json!({"en": "Age"});
    assert!(
        Questionnaire::from_json(&v.to_string()).is_err(),
        "every language is required"
    );
}

proptest! {
    /// Vulnerability comes from what the person said, never from a legal status alone.
    #[test]
    fn vulnerability_never_follows_from_status_alone(i in 0..9usize, fear in any::<bool>(), alone in any::<bool>()) {
        let mut a = base(if alone { 15 } else { 30 });
        a.insert("fear_of_return".into(), json!(fear));
        if alone { a.insert("travelling_with".into(), json!("alone")); }
        let plain = screen(a.clone(), None, &adult());
        let mut s = adult();
        s.population_type = Some(PopulationType::ALL[i]);
        let with_status = screen(a, None, &s);
        prop_assert_eq!(plain.vulnerability, with_status.vulnerability);
        prop_assert_eq!(plain.needs, with_status.needs);
    }
}
