//! The registration desk: arrivals and their desks (a household at level 1 in under a
//! minute), households and their members (level 2, the printable token), and people
//! (search, the person page with documents and MRZ verification). Every save goes
//! through the API's handlers, so validation, the duplicate guard and audit are the API's.

mod arrivals;
mod desk;
mod documents;
mod household;
mod person;
mod persons;

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use passage_domain::access::Principal;
use passage_domain::age::{DateOfBirth, DobPrecision};
use passage_domain::codes::Nationality;
use passage_domain::household::Breakdown;
use passage_domain::person::{PersonDetails, Sex};
use passage_domain::record::Household;
use passage_server::AppState;
use passage_server::api::duplicates::Candidate;
use passage_store::{HouseholdFilter, StoreError};
use time::Date;

use crate::form::Problems;
use crate::i18n::Tr;

/// The routes of the registration pages and their small script.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/arrivals", get(arrivals::page).post(arrivals::create))
        .route("/arrivals/{id}", get(desk::page).post(desk::register))
        .route(
            "/households/{id}",
            get(household::page).post(household::add),
        )
        .route("/persons", get(persons::page))
        .route("/persons/{id}", get(person::page))
        .route(
            "/persons/{id}/documents",
            axum::routing::post(documents::add),
        )
        .route("/static/registration.js", get(script))
}

async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/registration.js"),
    )
}

/// What a browser sent in a form, by name; a name may come more than once (checkboxes).
pub(crate) struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The first value sent as `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value sent as `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The identity fields of one person as typed (the head at the desk, a member on the
/// household page), kept as text so that a refused form shows them again.
#[derive(Debug, Default)]
pub(crate) struct PersonForm {
    pub given_name: String,
    pub family_name: String,
    pub sex: String,
    /// `YYYY-MM-DD`, or `YYYY` when only the year is known.
    pub dob: String,
    /// An estimated age in years, when the date is not known.
    pub age: String,
    pub nationality: String,
    /// Where the API reports this person's problems (`head`, `members[0].person`).
    path: String,
    /// The problems at this person's fields, by field name within the person.
    pub problems: Problems,
    /// The first field takes the focus when the page opens.
    pub focus: bool,
}

impl PersonForm {
    /// The person's fields as sent; the API reports them under `path`.
    pub fn read(fields: &Fields, path: &str) -> Self {
        let t = |n: &str| fields.get(n).trim().to_owned();
        Self {
            given_name: t("given_name"),
            family_name: t("family_name"),
            sex: t("sex"),
            dob: t("dob"),
            age: t("age"),
            nationality: t("nationality").to_uppercase(),
            path: path.to_owned(),
            problems: Problems::default(),
            focus: true,
        }
    }

    /// An empty form whose problems the API reports under `path`; `focus` puts the
    /// cursor in its first field.
    pub fn empty(path: &str, focus: bool) -> Self {
        Self {
            path: path.to_owned(),
            focus,
            ..Self::default()
        }
    }

    /// Keeps the problems of `all` that concern this person, by their field in it.
    pub fn keep_problems(&mut self, all: &Problems) {
        let prefix = format!("{}.", self.path);
        self.problems = Problems(
            all.0
                .iter()
                .filter_map(|(f, m)| {
                    f.strip_prefix(&prefix)
                        .map(|rest| (rest.to_owned(), m.clone()))
                })
                .collect(),
        );
    }

    /// The person as the API takes it, or the problems of what was typed (each at the
    /// field the API would name). The API's own rules are checked by the API.
    pub fn details(&self, tr: Tr, today: Date, problems: &mut Problems) -> Option<PersonDetails> {
        let at = |f: &str| format!("{}.{f}", self.path);
        let before = problems.0.len();
        let sex = Sex::from_code(&self.sex);
        if sex.is_none() {
            problems.0.push((at("sex"), tr.t("reg-problem-sex")));
        }
        let date_of_birth = match (self.dob.as_str(), self.age.as_str()) {
            ("", "") => None,
            (dob, "") => {
                let year = (dob.len() == 4)
                    .then(|| dob.parse::<i32>().ok())
                    .flatten()
                    .and_then(|y| Date::from_calendar_date(y, time::Month::January, 1).ok());
                let found = match year {
                    Some(date) => Some(DateOfBirth {
                        date,
                        precision: DobPrecision::YearOnly,
                    }),
                    None => crate::form::date(Some(dob)).map(|date| DateOfBirth {
                        date,
                        precision: DobPrecision::Exact,
                    }),
                };
                if found.is_none() {
                    problems
                        .0
                        .push((at("date_of_birth"), tr.t("reg-problem-dob")));
                }
                found
            }
            ("", age) => match age.parse::<i32>() {
                Ok(years) if (0..=130).contains(&years) => {
                    let year = today.year() - years;
                    let date = Date::from_calendar_date(year, today.month(), 1)
                        .ok()
                        .and_then(|d| d.replace_day(today.day()).ok().or(Some(d)));
                    date.map(|date| DateOfBirth {
                        date,
                        precision: DobPrecision::Estimated,
                    })
                }
                _ => {
                    problems
                        .0
                        .push((at("date_of_birth"), tr.t("reg-problem-age")));
                    None
                }
            },
            _ => {
                problems
                    .0
                    .push((at("date_of_birth"), tr.t("reg-problem-dob-or-age")));
                None
            }
        };
        let nationalities = if self.nationality.is_empty() {
            Vec::new()
        } else {
            match Nationality::try_from(self.nationality.clone()) {
                Ok(n) => vec![n],
                Err(_) => {
                    problems
                        .0
                        .push((at("nationalities"), tr.t("reg-problem-nationality")));
                    Vec::new()
                }
            }
        };
        if problems.0.len() > before {
            return None;
        }
        Some(PersonDetails {
            given_name: Some(self.given_name.clone()).filter(|s| !s.is_empty()),
            family_name: Some(self.family_name.clone()).filter(|s| !s.is_empty()),
            other_names: Vec::new(),
            aliases: Vec::new(),
            original_name: None,
            sex: sex?,
            date_of_birth,
            nationalities,
            languages: Vec::new(),
            place_of_origin: None,
            contact: None,
            population_type: None,
            profile_flags: Vec::new(),
        })
    }
}

/// A likely duplicate as the desk shows it: who, how likely, and why field by field.
pub(crate) struct CandidateView {
    pub person_id: String,
    pub number: String,
    pub name: String,
    /// The probability as a whole percentage, written for the language.
    pub percent: String,
    /// Each field's contribution: the field, its level, the weight and the explanation.
    pub reasons: Vec<(String, String, String, String)>,
    /// The clerk already ticked "another person" for this one.
    pub declared: bool,
}

impl CandidateView {
    pub fn of(tr: Tr, c: &Candidate, declared: bool) -> Self {
        let name = [c.given_name.as_deref(), c.family_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let percent = (c.probability * 100.0).round().clamp(0.0, 100.0) as u64;
        Self {
            person_id: c.person_id.to_string(),
            number: c.registration_number.to_string(),
            name,
            percent: format!("{}%", tr.number(percent)),
            reasons: c
                .fields
                .iter()
                .map(|f| {
                    (
                        field_name(tr, &f.field),
                        f.level.clone(),
                        format!("{:+.1}", f.weight),
                        f.explanation.clone(),
                    )
                })
                .collect(),
            declared,
        }
    }
}

/// The name of a compared field in the language, or the API's word for one not known here.
fn field_name(tr: Tr, field: &str) -> String {
    let id = match field {
        "name" => "reg-field-name",
        "date of birth" | "date_of_birth" => "reg-field-dob",
        "sex" => "reg-field-sex",
        "nationality" => "reg-field-nationality",
        "place of origin" | "place_of_origin" => "reg-field-origin",
        "document" | "document number" => "reg-field-document",
        "address" => "reg-field-address",
        "phone" => "reg-field-phone",
        _ => return field.to_owned(),
    };
    tr.t(id)
}

/// Sex in the words of the language, for one person.
pub(crate) fn sex_word(tr: Tr, sex: Sex) -> String {
    tr.t(match sex {
        Sex::F => "reg-sex-f",
        Sex::M => "reg-sex-m",
        Sex::X => "reg-sex-x",
        Sex::U => "reg-sex-u",
    })
}

/// A date of birth with its precision, in words.
pub(crate) fn dob_words(tr: Tr, dob: Option<DateOfBirth>) -> String {
    match dob {
        None => tr.t("reg-unknown"),
        Some(d) => match d.precision {
            DobPrecision::Exact => tr.date(d.date),
            DobPrecision::YearOnly => tr.with(
                "reg-dob-year-only",
                &[("year", d.date.year().to_string().into())],
            ),
            DobPrecision::Estimated => {
                tr.with("reg-dob-estimated", &[("date", tr.date(d.date).into())])
            }
        },
    }
}

/// The counts of a household as rows (women and girls, men and boys) of five brackets,
/// written for the language.
pub(crate) fn breakdown_rows(tr: Tr, b: &Breakdown) -> Vec<(String, Vec<String>)> {
    let n = |v: u32| tr.number(u64::from(v));
    vec![
        (
            tr.t("sex-f"),
            [b.f_0_4, b.f_5_11, b.f_12_17, b.f_18_59, b.f_60, b.f_other]
                .map(n)
                .to_vec(),
        ),
        (
            tr.t("sex-m"),
            [b.m_0_4, b.m_5_11, b.m_12_17, b.m_18_59, b.m_60, b.m_other]
                .map(n)
                .to_vec(),
        ),
    ]
}

/// The headers of the age brackets, in the order of [`breakdown_rows`].
pub(crate) fn bracket_names(tr: Tr) -> Vec<String> {
    [
        "age-0-4",
        "age-5-11",
        "age-12-17",
        "age-18-59",
        "age-60",
        "age-other",
    ]
    .iter()
    .map(|id| tr.t(id))
    .collect()
}

/// Every household the user may see that `filter` selects, page after page.
pub(crate) async fn all_households(
    app: &AppState,
    p: &Principal,
    filter: &HouseholdFilter,
) -> Result<Vec<Household>, StoreError> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = app
            .store
            .households(p, filter, cursor.as_deref(), passage_store::sql::MAX_PAGE)
            .await?;
        out.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return Ok(out),
        }
    }
}

/// A store result where a section the user's roles may not read is simply absent.
pub(crate) fn unless_forbidden<T>(
    r: Result<Option<T>, StoreError>,
) -> Result<Option<T>, StoreError> {
    crate::frame::readable(r).map(Option::flatten)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use time::macros::date;

    fn typed(pairs: &[(&str, &str)]) -> PersonForm {
        let fields = Fields(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        );
        PersonForm::read(&fields, "head")
    }

    #[test]
    fn a_date_a_year_or_an_age_gives_the_precision_it_knows() {
        let tr = Tr { lang: Lang::En };
        let today = date!(2026 - 11 - 27);
        let dob = |pairs: &[(&str, &str)]| {
            let mut problems = Problems::default();
            let d = typed(pairs).details(tr, today, &mut problems);
            (d.and_then(|d| d.date_of_birth), problems)
        };
        let (exact, _) = dob(&[("sex", "F"), ("dob", "1990-05-01")]);
        assert_eq!(
            exact.map(|d| (d.date, d.precision)),
            Some((date!(1990 - 05 - 01), DobPrecision::Exact))
        );
        let (year, _) = dob(&[("sex", "M"), ("dob", "1988")]);
        assert_eq!(year.map(|d| d.precision), Some(DobPrecision::YearOnly));
        let (aged, _) = dob(&[("sex", "U"), ("age", "30")]);
        assert_eq!(
            aged.map(|d| (d.date, d.precision)),
            Some((date!(1996 - 11 - 27), DobPrecision::Estimated))
        );
        let (_, both) = dob(&[("sex", "F"), ("dob", "1990"), ("age", "30")]);
        assert!(both.at("head.date_of_birth").is_some());
        let (_, bad) = dob(&[("sex", "F"), ("dob", "1 May 1990")]);
        assert!(bad.at("head.date_of_birth").is_some());
    }

    #[test]
    fn problems_are_kept_at_the_person_they_concern() {
        let tr = Tr { lang: Lang::En };
        let mut form = typed(&[("nationality", "xyz"), ("given_name", " Ayla ")]);
        let mut problems = Problems::default();
        assert!(
            form.details(tr, date!(2026 - 11 - 27), &mut problems)
                .is_none()
        );
        form.keep_problems(&problems);
        assert!(form.problems.at("sex").is_some());
        assert!(form.problems.at("nationalities").is_some());
        assert_eq!(form.given_name, "Ayla");
        assert_eq!(form.nationality, "XYZ");
    }
}
