//! Screening questionnaire definitions (`questionnaires/*.json`): any text is refused with
//! a reason or read as a definition, and a definition that is read writes back to JSON
//! that reads as the same definition.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passage_domain::protection::questionnaire::Questionnaire;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(definition) = Questionnaire::from_json(text) else {
        return;
    };
    let written = serde_json::to_string(&definition).unwrap_or_default();
    assert_eq!(
        Questionnaire::from_json(&written).as_ref(),
        Ok(&definition),
        "{written}"
    );
});
