//! OpenRosa submissions (ODK Collect, KoboCollect, Enketo): any XML text is refused with a
//! reason or read into the registration body the API takes, which then goes through the
//! API's own reading and the domain's validation without panicking. Checked: the form id
//! and instance id are never blank, the body is always an object with a head, and a
//! household the domain accepts is accepted again as it is.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passage_domain::document::DocumentDetails;
use passage_domain::household::HouseholdRegistration;
use passage_server::extract::from_value;
use passage_server::openrosa::mapping::{self, HEAD_DOCUMENT};
use serde_json::Value;
use time::macros::date;

fuzz_target!(|data: &[u8]| {
    let Ok(xml) = std::str::from_utf8(data) else {
        return;
    };
    let Ok((doc, header)) = mapping::parse(xml) else {
        return;
    };
    assert!(!header.form_id.is_empty() && header.form_id.trim() == header.form_id);
    assert!(!header.instance_id.is_empty() && header.instance_id.trim() == header.instance_id);
    let mut draft = mapping::registration(&doc);
    let Some(body) = draft.as_object_mut() else {
        panic!("the registration body is not an object: {draft}");
    };
    assert!(body.contains_key("head"));
    let document = body.remove(HEAD_DOCUMENT);
    let today = date!(2026 - 01 - 15);
    let Ok(registration) = from_value::<HouseholdRegistration>("", Value::Object(body.clone()))
    else {
        return;
    };
    let head = registration.head.clone().validated(today).ok();
    if let Some(d) = document
        && let Ok(details) = from_value::<DocumentDetails>(HEAD_DOCUMENT, d)
    {
        let _ = details.validated(today, head.as_ref());
    }
    if let Ok(valid) = registration.validated(today) {
        let again = valid.head.clone().validated(today);
        assert_eq!(again.as_ref(), Ok(&valid.head));
    }
});
