//! Specific needs in the standard UNHCR `CAT-SUB` form (`SC-UC`, `WR-SF`, `LP-RR`),
//! checked against the versioned code list in `data/specific-needs.tsv`. An unknown code
//! is refused where it enters, so everything past the boundary holds a real one.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::data_protection::{ConsentScope, clean_text};
use crate::error::{Problems, ValidationErrors};
use crate::record::Meta;

const CODE_LIST: &str = include_str!("../../data/specific-needs.tsv");

/// The code list: its version and each code with its label.
#[derive(Debug)]
pub struct CodeList {
    pub version: String,
    pub labels: BTreeMap<String, String>,
}

/// Reads the list shipped with Passage; a malformed line is a build mistake that the
/// tests catch, so it is skipped rather than stopping the server.
fn parse(text: &str) -> CodeList {
    let mut version = String::new();
    let mut labels = BTreeMap::new();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let Some((code, label)) = line.split_once('\t') else {
            continue;
        };
        if code == "version" {
            version = label.to_owned();
        } else {
            labels.insert(code.to_owned(), label.to_owned());
        }
    }
    CodeList { version, labels }
}

/// The code list in force.
pub fn code_list() -> &'static CodeList {
    static LIST: OnceLock<CodeList> = OnceLock::new();
    LIST.get_or_init(|| parse(CODE_LIST))
}

/// A specific-needs code from the list in force.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NeedCode(String);

crate::string_schema!(
    NeedCode,
    "A UNHCR specific-needs code, CAT-SUB, from the code list in force",
    "SC-UC"
);

impl TryFrom<String> for NeedCode {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let code = s.trim().to_ascii_uppercase();
        let well_formed = code.len() == 5
            && code.as_bytes()[2] == b'-'
            && code
                .bytes()
                .enumerate()
                .all(|(i, b)| i == 2 || b.is_ascii_uppercase());
        if !well_formed {
            return Err(format!(
                "`{s}` is not a specific-needs code: write CAT-SUB, for example SC-UC"
            ));
        }
        if !code_list().labels.contains_key(&code) {
            return Err(format!(
                "`{code}` is not in the specific-needs code list {}",
                code_list().version
            ));
        }
        Ok(Self(code))
    }
}

impl From<NeedCode> for String {
    fn from(c: NeedCode) -> String {
        c.0
    }
}

impl fmt::Display for NeedCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl NeedCode {
    /// A code from the list; None when it is not there.
    pub fn parse(s: &str) -> Option<Self> {
        Self::try_from(s.to_owned()).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The category: `SC` of `SC-UC`.
    pub fn category(&self) -> &str {
        &self.0[..2]
    }

    pub fn label(&self) -> &str {
        code_list()
            .labels
            .get(&self.0)
            .map(String::as_str)
            .unwrap_or_default()
    }

    /// SGBV, torture and legal-protection codes: never shown outside the organisation at
    /// person level, and only as suppressed aggregates in statistics.
    pub fn is_sensitive(&self) -> bool {
        matches!(self.category(), "SV" | "TR" | "LP")
    }

    /// The consent a referral on this code needs (SGBV and torture services are offered
    /// only with the person's consent for that recipient).
    pub fn consent_scope(&self) -> Option<ConsentScope> {
        match self.category() {
            "SV" => Some(ConsentScope::Sgbv),
            "TR" => Some(ConsentScope::Torture),
            _ if self.0 == "FU-TR" => Some(ConsentScope::Tracing),
            _ => None,
        }
    }

    /// A risk of refoulement, removal or deportation: holds every return (the guard).
    pub fn is_refoulement_risk(&self) -> bool {
        matches!(self.0.as_str(), "LP-RR" | "LP-TR" | "LP-RD" | "LP-TD")
    }

    /// What an escort must know for a safe return: medical, disability, pregnancy.
    pub fn concerns_escort(&self) -> bool {
        matches!(self.category(), "SM" | "DS" | "PG")
    }

    /// Recorded as detained.
    pub fn is_detention(&self) -> bool {
        matches!(
            self.0.as_str(),
            "LP-DA" | "LP-DN" | "LP-DP" | "LP-DO" | "LP-DT"
        )
    }

    /// A need that calls for an alternative to detention: a child's, or one of protection
    /// (SGBV, torture, woman at risk, refoulement risk).
    pub fn calls_for_alternative_to_detention(&self) -> bool {
        matches!(self.category(), "SC" | "CR" | "SV" | "TR" | "WR") || self.is_refoulement_risk()
    }

    /// An unaccompanied or separated child.
    pub fn is_separated_child(&self) -> bool {
        self.category() == "SC"
    }
}

/// A specific need as a client records it by hand (screenings add theirs on confirmation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewNeed {
    pub code: NeedCode,
    /// When it was identified; today when left out. Never in the future.
    #[schema(value_type = Option<String>, format = Date)]
    pub identified_on: Option<Date>,
    /// What was seen or said, briefly.
    pub note: Option<String>,
}

impl NewNeed {
    pub fn validated(self, today: Date) -> Result<Self, ValidationErrors> {
        let mut p = Problems::new();
        let note = clean_text(&mut p, "note", self.note.as_deref());
        let identified_on = self.identified_on.unwrap_or(today);
        if identified_on > today {
            p.add("identified_on", "is in the future");
        }
        p.finish(Self {
            code: self.code,
            identified_on: Some(identified_on),
            note,
        })
    }
}

/// Why a need is closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseNeed {
    pub version: i64,
    pub reason: String,
}

/// A specific need recorded for a person: active until closed, never deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SpecificNeed {
    #[serde(flatten)]
    pub meta: Meta,
    pub person_id: Uuid,
    pub code: NeedCode,
    pub category: String,
    pub label: String,
    #[schema(value_type = String, format = Date)]
    pub identified_on: Date,
    pub identified_by: String,
    /// The screening that found it, if one did.
    pub screening_id: Option<Uuid>,
    pub note: Option<String>,
    pub active: bool,
    #[schema(value_type = Option<String>, format = Date)]
    pub closed_on: Option<Date>,
    pub closed_by: Option<String>,
    pub close_reason: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_list_is_complete_and_well_formed() {
        let list = code_list();
        assert_eq!(list.version, "proGres-2009");
        assert_eq!(list.labels.len(), 101);
        for code in list.labels.keys() {
            assert!(NeedCode::parse(code).is_some(), "{code}");
        }
        for cat in [
            "CR", "SC", "WR", "SV", "DS", "SM", "ER", "SP", "FU", "TR", "PG", "LP",
        ] {
            assert!(list.labels.keys().any(|c| c.starts_with(cat)), "{cat}");
        }
    }

    #[test]
    fn codes_are_refused_unless_listed() {
        assert_eq!(
            NeedCode::parse(" sc-uc").map(String::from).as_deref(),
            Some("SC-UC")
        );
        let err = NeedCode::try_from("UM".to_owned()).unwrap_err();
        assert!(err.contains("CAT-SUB"), "{err}");
        let err = NeedCode::try_from("SC-ZZ".to_owned()).unwrap_err();
        assert!(err.contains("not in the specific-needs code list"), "{err}");
        assert!(serde_json::from_str::<NeedCode>("\"XX-YY\"").is_err());
    }

    #[test]
    fn what_each_code_triggers() {
        let code = |s| NeedCode::parse(s).unwrap();
        assert!(code("LP-RR").is_refoulement_risk());
        assert!(code("LP-TD").is_refoulement_risk());
        assert!(!code("LP-ND").is_refoulement_risk());
        assert_eq!(code("SV-VF").consent_scope(), Some(ConsentScope::Sgbv));
        assert_eq!(code("TR-PI").consent_scope(), Some(ConsentScope::Torture));
        assert_eq!(code("FU-TR").consent_scope(), Some(ConsentScope::Tracing));
        assert_eq!(code("SM-CC").consent_scope(), None);
        assert!(code("PG-HR").concerns_escort() && code("DS-PS").concerns_escort());
        assert!(code("SV-VA").is_sensitive() && !code("SM-CI").is_sensitive());
        assert!(code("LP-DT").is_detention());
    }
}
