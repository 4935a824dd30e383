//! The forms Passage serves to devices: XForms that pyxform made of the XLSForms in
//! `forms/` (CI checks they agree), embedded at build time, with their list, manifests
//! and the arrivals list the registration forms choose from. The screening form is
//! written from the questionnaire (`screening`).

use md5::{Digest, Md5};
use passage_domain::access::{Action, Principal, Resource};
use passage_store::ArrivalFilter;

use crate::AppState;
use crate::problem::ApiError;

/// A form served to devices.
#[derive(Debug)]
pub struct Form {
    /// The XLSForm `form_id`, the `id` of the submission's root element.
    pub id: &'static str,
    /// The XLSForm `version`; a submission from another version is refused.
    pub version: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub xml: &'static str,
    /// What a submission of this form creates: who may fill it.
    pub creates: Resource,
    /// Whether the form chooses from the arrivals list (its one media file).
    pub arrivals: bool,
}

/// Every form Passage serves.
pub const FORMS: &[Form] = &[
    Form {
        id: "passage_registration_l1",
        version: "2026112702",
        title: "Passage household registration, level 1",
        description: "The head of household, the household's size and its count by sex and age",
        xml: include_str!("../../../../forms/registration-level-1.xml"),
        creates: Resource::Household,
        arrivals: true,
    },
    Form {
        id: "passage_registration_l2",
        version: "2026112702",
        title: "Passage household registration, level 2",
        description: "The head of household and every member as an individual",
        xml: include_str!("../../../../forms/registration-level-2.xml"),
        creates: Resource::Household,
        arrivals: true,
    },
    Form {
        id: super::screening::FORM_ID,
        // `screening::form_version` of the questionnaire in force (a test checks it).
        version: "2.1",
        title: "Passage protection screening",
        description: "A screening of a registered person, named by registration number, \
                      with the questions of the screening questionnaire in force",
        xml: include_str!("../../../../forms/screening.xml"),
        creates: Resource::Screening,
        arrivals: false,
    },
];

/// The media file every form chooses its arrival from.
pub const ARRIVALS_CSV: &str = "arrivals.csv";

/// Most arrivals offered on a device.
const MAX_ARRIVALS: usize = 2000;

pub fn find(id: &str) -> Option<&'static Form> {
    FORMS.iter().find(|f| f.id == id)
}

/// The forms `p` may fill.
pub fn for_principal(p: &Principal) -> impl Iterator<Item = &'static Form> + '_ {
    FORMS
        .iter()
        .filter(|f| p.require(Action::Create, f.creates).is_ok())
}

/// `md5:` and the hex MD5 of `bytes`, as the OpenRosa form list and manifest give hashes.
pub fn md5_hash(bytes: &[u8]) -> String {
    let digest = Md5::digest(bytes);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("md5:{hex}")
}

/// Escapes text for XML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// The OpenRosa form list (`xformsList`) of `forms`, with URLs under `base`.
pub fn form_list<'a>(base: &str, forms: impl Iterator<Item = &'a Form>) -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><xforms xmlns="http://openrosa.org/xforms/xformsList">"#,
    );
    for f in forms {
        xml.push_str(&format!(
            "<xform><formID>{id}</formID><name>{name}</name><version>{version}</version>\
             <hash>{hash}</hash><descriptionText>{description}</descriptionText>\
             <downloadUrl>{base}/forms/{id}/form.xml</downloadUrl>\
             <manifestUrl>{base}/forms/{id}/manifest</manifestUrl></xform>",
            id = escape(f.id),
            name = escape(f.title),
            version = escape(f.version),
            hash = md5_hash(f.xml.as_bytes()),
            description = escape(f.description),
            base = escape(base),
        ));
    }
    xml.push_str("</xforms>");
    xml
}

/// The manifest of a form: its media files, the arrivals list when it has one.
pub fn manifest(base: &str, form: &Form, arrivals_csv: Option<&str>) -> String {
    let media = arrivals_csv.map_or(String::new(), |csv| {
        format!(
            "<mediaFile><filename>{ARRIVALS_CSV}</filename><hash>{hash}</hash>\
             <downloadUrl>{base}/forms/{id}/{ARRIVALS_CSV}</downloadUrl></mediaFile>",
            hash = md5_hash(csv.as_bytes()),
            base = escape(base),
            id = escape(form.id),
        )
    });
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><manifest xmlns="http://openrosa.org/xforms/xformsManifest">{media}</manifest>"#
    )
}

/// Quotes a CSV field.
fn csv_field(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// The arrivals `p` can see, as the choice list of the forms (`name` is the arrival's id,
/// `label` what a clerk recognises), newest first.
pub async fn arrivals_csv(app: &AppState, p: &Principal) -> Result<String, ApiError> {
    let mut arrivals = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = app
            .store
            .arrivals(p, &ArrivalFilter::default(), cursor.as_deref(), 500)
            .await?;
        arrivals.extend(page.items);
        cursor = page.next_cursor;
        if cursor.is_none() || arrivals.len() >= MAX_ARRIVALS {
            break;
        }
    }
    arrivals.sort_by_key(|a| std::cmp::Reverse(a.details.arrived_at));
    let mut csv = String::from("name,label\n");
    for a in arrivals.iter().take(MAX_ARRIVALS) {
        let d = &a.details;
        let when = d.arrived_at.date();
        let route = d.route.as_deref().unwrap_or("");
        let label = format!("{when} {} {route}", d.mode.code());
        csv.push_str(&format!("{},{}\n", a.meta.id, csv_field(label.trim_end())));
    }
    Ok(csv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_form_is_the_xform_of_its_id_and_version() {
        for f in FORMS {
            let head = format!(r#"<data id="{}" version="{}">"#, f.id, f.version);
            assert!(f.xml.contains(&head), "{} lacks {head}", f.id);
            assert_eq!(
                f.xml.contains("jr://file-csv/arrivals.csv"),
                f.arrivals,
                "{}",
                f.id
            );
        }
        let screening = find(super::super::screening::FORM_ID).unwrap();
        let q = super::super::screening::current().unwrap();
        assert_eq!(screening.version, super::super::screening::form_version(q));
    }

    #[test]
    fn a_form_without_media_has_an_empty_manifest() {
        let screening = find(super::super::screening::FORM_ID).unwrap();
        let xml = manifest("https://passage.example", screening, None);
        assert!(!xml.contains("mediaFile"), "{xml}");
        assert!(roxmltree::Document::parse(&xml).is_ok());
    }

    #[test]
    fn hashes_are_md5_as_openrosa_gives_them() {
        assert_eq!(md5_hash(b""), "md5:d41d8cd98f00b204e9800998ecf8427e");
    }

    #[test]
    fn the_list_names_each_form_with_absolute_urls() {
        let xml = form_list("https://passage.example", FORMS.iter());
        assert!(xml.contains("<formID>passage_registration_l1</formID>"));
        assert!(xml.contains(
            "<downloadUrl>https://passage.example/forms/passage_registration_l2/form.xml</downloadUrl>"
        ));
        assert!(roxmltree::Document::parse(&xml).is_ok());
    }

    #[test]
    fn csv_fields_are_quoted() {
        assert_eq!(csv_field(r#"a "b", c"#), r#""a ""b"", c""#);
    }
}
