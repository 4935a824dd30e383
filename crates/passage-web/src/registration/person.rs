//! `/persons/{id}`: one person: identity, registration, household, documents (with the
//! form to add one and its MRZ verification), and the screenings, referrals, cases,
//! stays and specific needs the viewer's roles may read. A section the roles may not
//! read is left out. For the data-protection focal point: who saw this person.

use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use passage_domain::access::{Action, Resource};
use passage_domain::person::{PopulationType, ProfileFlag};
use passage_domain::record::Person;
use passage_server::AppState;
use passage_server::auth::Caller;
use passage_server::extract::Id;
use passage_server::problem::ApiError;
use passage_store::DocumentFilter;
use uuid::Uuid;

use super::documents::{DocumentForm, DocumentRow, VerificationView, document_row, kinds};
use super::household::{level_word, relationship_word};
use super::persons::name_of;
use super::{dob_words, sex_word, unless_forbidden};
use crate::form::Problems;
use crate::frame::{Chosen, Frame, User, failed, render};
use crate::i18n::Tr;

/// A linked record in a list: (link, what, state, when).
pub(crate) type Linked = (String, String, String, String);

#[derive(Template)]
#[template(path = "registration-person.html")]
pub(crate) struct PersonPage {
    pub frame: Frame,
    pub id: String,
    pub name: String,
    /// (label, value) of the identity.
    pub identity: Vec<(String, String)>,
    pub original: Option<String>,
    pub number: String,
    pub household_id: String,
    pub needs: Option<Vec<String>>,
    pub documents: Option<Vec<DocumentRow>>,
    pub can_add_document: bool,
    pub document: DocumentForm,
    pub document_kinds: Vec<(&'static str, String)>,
    pub verification: Option<VerificationView>,
    pub problems: Problems,
    pub screenings: Option<Vec<Linked>>,
    pub referrals: Option<Vec<Linked>>,
    pub cases: Option<Vec<Linked>>,
    pub stays: Option<Vec<Linked>>,
    /// Who saw or changed this person: (when, who, role, what).
    pub audit: Option<Vec<Linked>>,
    pub can_screen: bool,
    pub can_shelter: bool,
}

/// The person `id` (as typed in the address) as the user may see them.
pub(crate) async fn person_of(app: &AppState, user: &User, id: &str) -> Result<Person, ApiError> {
    let not_found = || ApiError::not_found(format!("person {id}"));
    let id = Uuid::parse_str(id).map_err(|_| not_found())?;
    app.store.person(&user.p, id).await?.ok_or_else(not_found)
}

fn population_word(tr: Tr, t: Option<PopulationType>) -> String {
    match t {
        Some(t) => tr.t(&format!("population-type-{}", t.code().to_lowercase())),
        None => tr.t("population-type-none"),
    }
}

fn flag_word(tr: Tr, f: ProfileFlag) -> String {
    tr.t(match f {
        ProfileFlag::PresumedTraffickingVictim => "reg-flag-presumed-trafficking",
        ProfileFlag::TraffickingVictim => "reg-flag-trafficking",
        ProfileFlag::Smuggled => "reg-flag-smuggled",
        ProfileFlag::UnaccompaniedChild => "reg-flag-unaccompanied",
        ProfileFlag::SeparatedChild => "reg-flag-separated",
        ProfileFlag::Returnee => "reg-flag-returnee",
        ProfileFlag::EconomicMigrant => "reg-flag-economic",
        ProfileFlag::EnvironmentalMigrant => "reg-flag-environmental",
    })
}

/// Everything the person page shows; `document`, `verification` and `problems` are the
/// document form as typed and what its submission gave.
pub(crate) async fn gather(
    app: &AppState,
    chosen: Chosen,
    user: &User,
    person: &Person,
    document: DocumentForm,
    verification: Option<VerificationView>,
    problems: Problems,
) -> Result<PersonPage, ApiError> {
    let tr = chosen.tr();
    let p = &user.p;
    let id = person.meta.id;
    let d = &person.details;
    let unknown = || tr.t("reg-unknown");
    let list = |v: Vec<String>| {
        if v.is_empty() {
            unknown()
        } else {
            v.join(", ")
        }
    };
    let mut identity = vec![
        (
            tr.t("reg-given-name"),
            d.given_name.clone().unwrap_or_else(unknown),
        ),
        (
            tr.t("reg-family-name"),
            d.family_name.clone().unwrap_or_else(unknown),
        ),
    ];
    if !d.other_names.is_empty() || !d.aliases.is_empty() {
        let others = d.other_names.iter().chain(&d.aliases).cloned().collect();
        identity.push((tr.t("reg-other-names"), list(others)));
    }
    identity.extend([
        (tr.t("reg-sex"), sex_word(tr, d.sex)),
        (tr.t("reg-dob"), dob_words(tr, d.date_of_birth)),
        (
            tr.t("reg-nationality"),
            list(
                d.nationalities
                    .iter()
                    .map(|n| n.code().to_owned())
                    .collect(),
            ),
        ),
        (
            tr.t("reg-population-type"),
            population_word(tr, d.population_type),
        ),
        (
            tr.t("reg-profile"),
            if d.profile_flags.is_empty() {
                tr.t("reg-none")
            } else {
                list(d.profile_flags.iter().map(|f| flag_word(tr, *f)).collect())
            },
        ),
        (tr.t("reg-level"), level_word(tr, person.registration_level)),
        (
            tr.t("reg-relationship"),
            relationship_word(tr, person.relationship),
        ),
    ]);
    let needs = unless_forbidden(app.store.needs(p, id).await)?.map(|v| {
        v.into_iter()
            .filter(|n| n.active)
            .map(|n| format!("{} · {}", n.code, n.label))
            .collect()
    });
    let documents = match app
        .store
        .documents(
            p,
            &DocumentFilter {
                person_id: Some(id),
                ..DocumentFilter::default()
            },
            None,
            passage_store::sql::MAX_PAGE,
        )
        .await
    {
        Ok(page) => Some(page.items.iter().map(|x| document_row(tr, d, x)).collect()),
        Err(passage_store::StoreError::Forbidden(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let screenings = unless_forbidden(app.store.screenings(p, id).await)?.map(|v| {
        v.iter()
            .rev()
            .map(|s| {
                (
                    String::new(),
                    format!("{} v{}", s.questionnaire, s.questionnaire_version),
                    tr.t(&format!("reg-screening-{}", s.status.code())),
                    tr.date(s.meta.created_at.date()),
                )
            })
            .collect()
    });
    let referrals = unless_forbidden(app.store.referrals_of(p, id).await)?.map(|v| {
        v.iter()
            .rev()
            .map(|r| {
                (
                    format!("/referrals/{}", r.meta.id),
                    tr.t(&format!(
                        "reg-service-{}",
                        r.service.code().replace('_', "-")
                    )),
                    tr.t(&format!("referral-status-{}", r.status.code())),
                    tr.date(r.due_at.date()),
                )
            })
            .collect()
    });
    let cases = unless_forbidden(app.store.cases_of(p, id).await)?.map(|v| {
        v.iter()
            .rev()
            .map(|c| {
                (
                    format!("/cases/{}", c.meta.id),
                    tr.t(&format!("case-kind-{}", c.kind.code().replace('_', "-"))),
                    crate::protection::state_words(tr, &c.state),
                    tr.date(c.meta.created_at.date()),
                )
            })
            .collect()
    });
    let mut stays = None;
    if let Some(found) = unless_forbidden(app.store.stays_of(p, id).await)? {
        let mut rows = Vec::new();
        for s in found.iter().rev() {
            let site = app.store.site(p, s.site_id).await?;
            rows.push((
                String::new(),
                site.map_or_else(unknown, |x| x.details.name),
                s.departed_at.map_or_else(
                    || tr.t("reg-stay-current"),
                    |t| tr.with("reg-stay-left", &[("date", tr.date(t.date()).into())]),
                ),
                tr.date(s.admitted_at.date()),
            ));
        }
        stays = Some(rows);
    }
    let audit = if user.can(Action::Read, Resource::AuditLog) {
        let Json(entries) =
            passage_server::api::persons::audit(State(app.clone()), Caller(p.clone()), Id(id))
                .await?;
        Some(
            entries
                .iter()
                .take(100)
                .map(|e| {
                    (
                        format!(
                            "{} {:02}:{:02}",
                            tr.date(e.at.date()),
                            e.at.hour(),
                            e.at.minute()
                        ),
                        e.actor.clone(),
                        e.role.clone().unwrap_or_default().replace('_', " "),
                        format!("{} · {}", e.action, e.entity),
                    )
                })
                .collect(),
        )
    } else {
        None
    };
    Ok(PersonPage {
        frame: Frame::new(chosen, user, format!("/persons/{id}")),
        id: id.to_string(),
        name: name_of(tr, person),
        identity,
        original: d.original_name.as_ref().map(|o| o.text.clone()),
        number: person.registration_number.to_string(),
        household_id: person.household_id.to_string(),
        needs,
        documents,
        can_add_document: user.can(Action::Create, Resource::Document),
        document,
        document_kinds: kinds(tr),
        verification,
        problems,
        screenings,
        referrals,
        cases,
        stays,
        audit,
        can_screen: user.can(Action::Create, Resource::Screening),
        can_shelter: user.can(Action::Create, Resource::Stay),
    })
}

/// The person page.
pub(crate) async fn page(
    State(app): State<AppState>,
    chosen: Chosen,
    user: User,
    Path(id): Path<String>,
) -> Response {
    let shown = async {
        let person = person_of(&app, &user, &id).await?;
        gather(
            &app,
            chosen,
            &user,
            &person,
            DocumentForm::default(),
            None,
            Problems::default(),
        )
        .await
    };
    match shown.await {
        Ok(page) => render(chosen, &page),
        Err(e) => failed(chosen, &user, e),
    }
}
