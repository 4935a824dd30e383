//! A screening's outcome as the rules computed it (needs, vulnerability, what it found
//! about the person, the population type and referrals proposed), and the officer's
//! confirmation through the API, which records needs, referrals and cases at once.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use passage_domain::access::Action;
use passage_domain::person::{PopulationType, ProfileFlag};
use passage_domain::protection::case_access::case_access;
use passage_domain::protection::needs::NeedCode;
use passage_domain::protection::procedure::ProcedureKind;
use passage_domain::protection::records::{
    Confirmation, ConfirmedReferral, Screening, ScreeningStatus,
};
use passage_domain::protection::referral::{Service, Urgency};
use passage_domain::protection::screening::{ChildStatus, Element};
use passage_server::AppState;
use passage_server::api::screenings;
use passage_server::auth::Caller;
use passage_server::extract::{Body, Id};
use passage_server::problem::ApiError;
use uuid::Uuid;

use super::{code_of, kind_words, need_words, record_id, see, word};
use crate::form::Problems;
use crate::frame::{Chosen, Frame, User, failed, render};
use crate::i18n::Tr;

/// A box of the confirmation form: its value, its words, whether it is ticked.
pub struct Tick {
    pub value: String,
    pub words: String,
    pub checked: bool,
}

/// A proposed referral, in words.
pub struct ReferralView {
    pub tick: Tick,
    pub urgency: String,
    /// Urgent or an emergency: said in words and drawn to stand out.
    pub pressing: bool,
    pub due: String,
    pub reason: String,
    pub consent: Option<String>,
    pub opens: Option<String>,
}

#[derive(Template)]
#[template(path = "protection-outcome.html")]
struct OutcomePage {
    frame: Frame,
    id: Uuid,
    person_id: Uuid,
    person: String,
    status: String,
    confirmed: bool,
    needs: Vec<Tick>,
    /// (level, risk or protective, factor, what showed it).
    vulnerability: Vec<(String, String, String)>,
    findings: Vec<String>,
    population_type: String,
    population_code: String,
    flags: Vec<Tick>,
    referrals: Vec<ReferralView>,
    cases: Vec<Tick>,
    can_confirm: bool,
    version: i64,
    problem: Option<String>,
}

/// What a re-shown form had ticked; None shows the proposal as it is.
type Ticked = Option<Vec<(String, String)>>;

fn ticked(t: &Ticked, field: &str, value: &str) -> bool {
    t.as_ref()
        .is_none_or(|v| v.iter().any(|(k, x)| k == field && x == value))
}

fn findings(tr: Tr, s: &Screening) -> Vec<String> {
    let o = &s.outcome;
    let mut out = Vec::new();
    if o.child.treated_as_child {
        out.push(tr.t(&format!("finding-child-{}", code_of(&o.child.age_basis))));
        match o.child.child_status {
            Some(ChildStatus::Unaccompanied) => out.push(tr.t("finding-unaccompanied")),
            Some(ChildStatus::Separated) => out.push(tr.t("finding-separated")),
            Some(ChildStatus::WithFamily) => out.push(tr.t("finding-with-family")),
            None => {}
        }
    }
    if let Some(a) = &o.child.age_assessment
        && a.benefit_of_the_doubt
    {
        out.push(tr.t("finding-benefit-of-doubt"));
    }
    let t = &o.trafficking;
    if t.presumed_victim {
        out.push(tr.t("finding-presumed-victim"));
    } else if !t.indicators.is_empty() {
        let elements: Vec<String> = [Element::Act, Element::Means, Element::Purpose]
            .into_iter()
            .zip([t.act, t.means, t.purpose])
            .filter(|(_, found)| *found)
            .map(|(e, _)| word(tr, "element", &e))
            .collect();
        out.push(tr.with(
            "finding-indicators",
            &[("elements", elements.join(", ").into())],
        ));
    }
    if o.fear_of_return {
        out.push(tr.t("finding-fear-of-return"));
    }
    if o.asylum_intention {
        out.push(tr.t("finding-asylum-intention"));
    }
    if o.detained {
        out.push(tr.t("finding-detained"));
    }
    if o.stateless {
        out.push(tr.t("finding-stateless"));
    }
    out
}

fn population_words(tr: Tr, t: Option<PopulationType>) -> String {
    match t {
        Some(t) => tr.t(&format!("population-type-{}", code_of(&t).to_lowercase())),
        None => tr.t("population-type-none"),
    }
}

async fn draw(
    app: &AppState,
    chosen: Chosen,
    user: &User,
    s: Screening,
    ticks: &Ticked,
    problems: &Problems,
) -> Result<Response, ApiError> {
    let tr = chosen.tr();
    let person = app
        .store
        .person(&user.p, s.person_id)
        .await?
        .map_or_else(String::new, |p| p.details.display_name());
    let o = &s.outcome;
    let needs = o
        .needs
        .iter()
        .map(|n| Tick {
            value: n.code.to_string(),
            words: format!("{} · {}", n.code, need_words(tr, &n.code)),
            checked: ticked(ticks, "need", n.code.as_str()),
        })
        .collect();
    let vulnerability = o
        .vulnerability
        .iter()
        .map(|f| {
            (
                word(tr, "level", &f.level),
                word(tr, "polarity", &f.polarity),
                f.factor.clone(),
            )
        })
        .collect();
    let flags = o
        .proposed_flags
        .iter()
        .map(|f| {
            let code = code_of(f);
            Tick {
                checked: ticked(ticks, "flag", &code),
                words: word(tr, "flag", f),
                value: code,
            }
        })
        .collect();
    let referrals = o
        .proposed_referrals
        .iter()
        .map(|r| ReferralView {
            tick: Tick {
                value: r.service.code().to_owned(),
                words: word(tr, "service", &r.service),
                checked: ticked(ticks, "referral", r.service.code()),
            },
            urgency: word(tr, "urgency", &r.urgency),
            pressing: r.urgency != Urgency::Normal,
            due: tr.with(
                "referral-due-within",
                &[("hours", r.due_within_hours.into())],
            ),
            reason: r.reason.clone(),
            consent: r.consent_required.map(|c| {
                tr.with(
                    "referral-consent",
                    &[("scope", word(tr, "consent", &c).into())],
                )
            }),
            opens: r
                .opens
                .map(|k| tr.with("referral-opens", &[("kind", kind_words(tr, k).into())])),
        })
        .collect();
    let mut kinds: Vec<ProcedureKind> = o
        .proposed_referrals
        .iter()
        .filter_map(|r| r.opens)
        .collect();
    kinds.dedup();
    let cases = kinds
        .into_iter()
        .filter(|k| case_access(&user.p, Action::Create, *k).is_ok())
        .map(|k| Tick {
            value: k.code().to_owned(),
            words: tr.with("outcome-open-case", &[("kind", kind_words(tr, k).into())]),
            checked: ticked(ticks, "case", k.code()),
        })
        .collect();
    let confirmed = s.status == ScreeningStatus::Confirmed;
    let page = OutcomePage {
        frame: Frame::new(chosen, user, format!("/screenings/{}", s.meta.id)),
        id: s.meta.id,
        person_id: s.person_id,
        person,
        status: tr.t(&format!("screening-status-{}", s.status.code())),
        confirmed,
        needs,
        vulnerability,
        findings: findings(tr, &s),
        population_type: population_words(tr, o.proposed_population_type),
        population_code: o
            .proposed_population_type
            .map(|t| code_of(&t))
            .unwrap_or_default(),
        flags,
        referrals,
        cases,
        can_confirm: !confirmed
            && user.can(Action::Update, passage_domain::access::Resource::Screening),
        version: s.meta.version,
        problem: (!problems.is_empty()).then(|| {
            problems
                .0
                .iter()
                .map(|(f, m)| {
                    if f.is_empty() {
                        m.clone()
                    } else {
                        format!("{f}: {m}")
                    }
                })
                .collect::<Vec<_>>()
                .join("; ")
        }),
    };
    Ok(render(chosen, &page))
}

async fn read(app: &AppState, user: &User, id: Uuid) -> Result<Screening, ApiError> {
    let axum::Json(s) =
        screenings::read(State(app.clone()), Caller(user.p.clone()), Id(id)).await?;
    Ok(s)
}

/// `GET /screenings/{id}`: the outcome, and the form to confirm it while it is proposed.
pub(super) async fn page(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Path(id): Path<String>,
) -> Response {
    let shown = async {
        let id = record_id(&id, "screening")?;
        let s = read(&app, &user, id).await?;
        draw(&app, chosen, &user, s, &None, &Problems::default()).await
    };
    match shown.await {
        Ok(r) => r,
        Err(e) => failed(chosen, &user, e),
    }
}

/// Reads a ticked value back into its type, or says which box made no sense.
fn parse<T: serde::de::DeserializeOwned>(field: &str, value: &str) -> Result<T, ApiError> {
    serde_json::from_value(serde_json::Value::String(value.to_owned()))
        .map_err(|_| ApiError::invalid(field, format!("`{value}` is not one of the choices")))
}

fn confirmation(form: &[(String, String)]) -> Result<Confirmation, ApiError> {
    let mut c = Confirmation {
        version: 0,
        population_type: None,
        profile_flags: Vec::new(),
        needs: Vec::new(),
        referrals: Vec::new(),
        open_cases: Vec::new(),
    };
    for (k, v) in form {
        match k.as_str() {
            "version" => {
                c.version = v
                    .parse()
                    .map_err(|_| ApiError::invalid("version", "reload the page"))?;
            }
            "population_type" if !v.is_empty() => {
                c.population_type = Some(parse::<PopulationType>("population_type", v)?);
            }
            "flag" => c
                .profile_flags
                .push(parse::<ProfileFlag>("profile_flags", v)?),
            "need" => c.needs.push(
                NeedCode::parse(v)
                    .ok_or_else(|| ApiError::invalid("needs", format!("`{v}` is not a code")))?,
            ),
            "referral" => c.referrals.push(ConfirmedReferral {
                service: Service::from_code(v).ok_or_else(|| {
                    ApiError::invalid("referrals", format!("`{v}` is not a service"))
                })?,
                recipient_id: None,
            }),
            "case" => {
                c.open_cases
                    .push(ProcedureKind::from_code(v).ok_or_else(|| {
                        ApiError::invalid("open_cases", format!("`{v}` is not a case"))
                    })?)
            }
            _ => {}
        }
    }
    Ok(c)
}

/// `POST /screenings/{id}/confirm`: confirms through the API what the officer kept, then
/// goes on to the person.
pub(super) async fn confirm(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Path(id): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let done = async {
        let csrf = form
            .iter()
            .find(|(k, _)| k == "csrf")
            .map_or("", |(_, v)| v.as_str());
        user.check(csrf)?;
        let id = record_id(&id, "screening")?;
        let result = match confirmation(&form) {
            Ok(c) => {
                screenings::confirm(State(app.clone()), Caller(user.p.clone()), Id(id), Body(c))
                    .await
                    .map(|axum::Json(s)| s)
            }
            Err(e) => Err(e),
        };
        match result {
            Ok(s) => Ok(see(format!("/persons/{}", s.person_id))),
            Err(e) => {
                let problems = Problems::of(e)?;
                let s = read(&app, &user, id).await?;
                draw(&app, chosen, &user, s, &Some(form.clone()), &problems).await
            }
        }
    };
    match done.await {
        Ok(r) => r,
        Err(e) => failed(chosen, &user, e),
    }
}
