//! The demo's protection work, done the way officers do it through the API: screenings
//! against the current questionnaire, confirmed with the proposed needs, referrals and
//! cases. The unaccompanied children are screened and referred to child protection; some
//! Rohingya heads of household express fear of return and have their claims registered; a
//! Bangladeshi woman shows the indicators of trafficking for domestic servitude; two
//! Bangladeshi men came for work and choose to go home; at Entikong, two returned workers
//! had their passports taken and their wages kept.

use anyhow::Context;
use passage_domain::access::{Principal, Role};
use passage_domain::codes::Nationality;
use passage_domain::household::Relationship;
use passage_domain::person::{ProfileFlag, Sex};
use passage_domain::protection::procedure::ProcedureKind;
use passage_domain::protection::questionnaire;
use passage_domain::protection::records::{
    Confirmation, ConfirmedReferral, NewCase, Screening, TransitionRequest,
};
use passage_domain::record::Person;
use passage_store::sql::MAX_PAGE;
use passage_store::{CheckedScreening, PersonFilter, Store};
use serde_json::{Value, json};
use time::Date;

use super::users::Staff;

/// How many Rohingya heads of household express fear of return.
const ASYLUM_CLAIMS: usize = 6;

/// Screens one person and confirms what the rules propose, opening the cases `open`.
async fn screen_and_confirm(
    store: &Store,
    officer: &Principal,
    person: &Person,
    answers: Value,
    open: &[ProcedureKind],
) -> anyhow::Result<Screening> {
    let q =
        questionnaire::find("screening", 2).context("the screening questionnaire is missing")?;
    let answers = answers.as_object().cloned().unwrap_or_default();
    let checked = CheckedScreening {
        questionnaire: q,
        answers: q.check(&answers)?,
        age_assessment: None,
    };
    let s = store
        .record_screening(officer, person.meta.id, checked)
        .await?;
    let o = &s.outcome;
    let confirmation = Confirmation {
        version: s.meta.version,
        population_type: o.proposed_population_type,
        profile_flags: o.proposed_flags.clone(),
        needs: o.needs.iter().map(|n| n.code.clone()).collect(),
        referrals: o
            .proposed_referrals
            .iter()
            .map(|r| ConfirmedReferral {
                service: r.service,
                recipient_id: None,
            })
            .collect(),
        open_cases: open.to_vec(),
    };
    Ok(store
        .confirm_screening(officer, s.meta.id, confirmation)
        .await?)
}

fn age(p: &Person, today: Date) -> i64 {
    p.details
        .date_of_birth
        .and_then(|b| b.age_at(today))
        .map_or(30, i64::from)
}

fn answers(age: i64, extra: Value) -> Value {
    let mut a = json!({"stated_age": age, "reasons_for_leaving": ["persecution"], "fear_of_return": false, "wants_asylum": false});
    if let (Some(a), Some(extra)) = (a.as_object_mut(), extra.as_object()) {
        a.extend(extra.clone());
    }
    a
}

fn adult_head(p: &Person, today: Date) -> bool {
    p.relationship == Relationship::Head && age(p, today) >= 18
}

fn from(p: &Person, country: &str) -> bool {
    p.details.nationalities.iter().any(|n| n.code() == country)
}

/// Screens the demo's people and returns a line saying what it did.
pub(super) async fn screen(store: &Store, staff: &Staff, today: Date) -> anyhow::Result<String> {
    let officer = staff.of(0, Role::ScreeningOfficer)?;
    let persons = store
        .persons(&officer, &PersonFilter::default(), None, MAX_PAGE)
        .await?
        .items;
    let mut children = 0;
    for child in persons.iter().filter(|p| {
        p.details
            .profile_flags
            .contains(&ProfileFlag::UnaccompaniedChild)
    }) {
        let a = answers(
            age(child, today),
            json!({"travelling_with": "alone", "family_missing": true}),
        );
        screen_and_confirm(store, &officer, child, a, &[ProcedureKind::ChildProtection]).await?;
        children += 1;
    }

    let asylum = staff.of(0, Role::AsylumCaseworker)?;
    let claimants: Vec<&Person> = persons
        .iter()
        .filter(|p| {
            adult_head(p, today) && p.details.nationalities.contains(&Nationality::Stateless)
        })
        .take(ASYLUM_CLAIMS)
        .collect();
    for (i, p) in claimants.iter().enumerate() {
        let a = answers(
            age(p, today),
            json!({"fear_of_return": true, "wants_asylum": true, "paid_to_cross": true}),
        );
        screen_and_confirm(store, &officer, p, a, &[ProcedureKind::Asylum]).await?;
        if i % 2 == 0 {
            let cases = store
                .cases_of(&asylum, p.meta.id)
                .await?
                .unwrap_or_default();
            if let Some(case) = cases.iter().find(|c| c.kind == ProcedureKind::Asylum) {
                let t = TransitionRequest {
                    event: "schedule_interview".into(),
                    version: case.meta.version,
                    reason: "interview with a Rohingya interpreter at Mina Raya".into(),
                    outcome: None,
                };
                store.transition_case(&asylum, case.meta.id, t).await?;
            }
        }
    }

    let woman = persons
        .iter()
        .find(|p| adult_head(p, today) && p.details.sex == Sex::F && from(p, "BGD"));
    if let Some(w) = woman {
        let a = answers(
            age(w, today),
            json!({
                "reasons_for_leaving": ["work"], "recruitment": ["job_offer"],
                "control": ["documents_taken", "debt", "locked_in"], "exploitation": ["domestic_work"],
                "woman_alone": true
            }),
        );
        screen_and_confirm(store, &officer, w, a, &[ProcedureKind::Trafficking]).await?;
    }

    let returns = staff.of(0, Role::ReturnCaseworker)?;
    let workers: Vec<&Person> = persons
        .iter()
        .filter(|p| adult_head(p, today) && p.details.sex == Sex::M && from(p, "BGD"))
        .take(2)
        .collect();
    for w in &workers {
        let a = answers(age(w, today), json!({"reasons_for_leaving": ["work"]}));
        screen_and_confirm(store, &officer, w, a, &[]).await?;
        let new = NewCase {
            kind: ProcedureKind::Return,
            pathway: None,
            voluntary: Some(true),
            reason: "came for work in Malaysia, wants to go home to Cox's Bazar".into(),
        };
        let case = store.open_case(&returns, w.meta.id, new).await?;
        let t = TransitionRequest {
            event: "give_informed_consent".into(),
            version: case.meta.version,
            reason: "counselled in Bengali; signed the voluntary return form".into(),
            outcome: None,
        };
        store.transition_case(&returns, case.meta.id, t).await?;
    }

    let border_officer = staff.of(1, Role::ScreeningOfficer)?;
    let returnees = store
        .persons(&border_officer, &PersonFilter::default(), None, MAX_PAGE)
        .await?
        .items;
    let mut exploited = 0;
    for r in returnees.iter().filter(|p| adult_head(p, today)).take(2) {
        let a = answers(
            age(r, today),
            json!({
                "reasons_for_leaving": ["work"], "recruitment": ["job_offer"],
                "control": ["documents_taken", "kept_earnings"], "exploitation": ["agriculture"]
            }),
        );
        screen_and_confirm(store, &border_officer, r, a, &[ProcedureKind::Trafficking]).await?;
        exploited += 1;
    }
    Ok(format!(
        "demo: screened {children} unaccompanied children (referred to child protection), {} asylum claims, \
         {} presumed trafficking victims, {} voluntary returns in preparation",
        claimants.len(),
        usize::from(woman.is_some()) + exploited,
        workers.len()
    ))
}
