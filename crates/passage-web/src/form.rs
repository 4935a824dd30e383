//! Forms: the problems a refused submission shows beside its fields, and reading what a
//! browser sends (dates as `YYYY-MM-DD`, empty fields as nothing).

use passage_server::problem::ApiError;
use time::Date;

/// What a refused form shows: every problem, at the field it concerns (`""` for the
/// form as a whole), in the words of the rule that refused it.
#[derive(Debug, Default)]
pub struct Problems(pub Vec<(String, String)>);

impl Problems {
    /// The problems of a refusal the user can fix by changing the form: invalid fields,
    /// a record changed meanwhile, a state that forbids the step. Anything else (a role
    /// that may not, a record not found, the database down) stays an error.
    pub fn of(error: ApiError) -> Result<Self, ApiError> {
        match error {
            ApiError::Invalid(errors) => Ok(Self(
                errors.0.into_iter().map(|e| (e.field, e.message)).collect(),
            )),
            ApiError::Conflict(message, _)
            | ApiError::Refused(message)
            | ApiError::BadRequest(message) => Ok(Self(vec![(String::new(), message)])),
            other => Err(other),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The problems at `field` or inside it (`head` finds `head.given_name`), joined.
    pub fn at(&self, field: &str) -> Option<String> {
        let found: Vec<&str> = self
            .0
            .iter()
            .filter(|(f, _)| {
                f == field
                    || f.strip_prefix(field)
                        .is_some_and(|rest| rest.starts_with(['.', '[']))
            })
            .map(|(_, m)| m.as_str())
            .collect();
        (!found.is_empty()).then(|| found.join("; "))
    }
}

/// A day typed as `YYYY-MM-DD` (what `<input type="date">` sends), or None.
pub fn date(s: Option<&str>) -> Option<Date> {
    Date::parse(
        s?.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()
}

/// A field left empty is no value.
pub fn filled(s: Option<String>) -> Option<String> {
    s.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_are_found_at_their_field_and_inside_it() {
        let p = Problems(vec![
            ("head.given_name".into(), "is empty".into()),
            ("size".into(), "is 0".into()),
            ("header".into(), "not this one".into()),
        ]);
        assert_eq!(p.at("head").as_deref(), Some("is empty"));
        assert_eq!(p.at("size").as_deref(), Some("is 0"));
        assert_eq!(p.at("breakdown"), None);
        assert_eq!(date(Some(" 2026-02-30 ")), None);
        assert_eq!(filled(Some("  ".into())), None);
    }
}
