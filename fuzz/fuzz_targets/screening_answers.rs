//! Answers to a screening, checked against every questionnaire version Passage ships:
//! any JSON is refused with its problems or accepted, and accepted answers are accepted
//! again unchanged (checking is a fixed point, so a stored screening reads back as it
//! was taken).
#![no_main]

use libfuzzer_sys::fuzz_target;
use passage_domain::protection::questionnaire::shipped;
use serde_json::{Map, Value};

fuzz_target!(|data: &[u8]| {
    let Ok(Value::Object(answers)) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    for questionnaire in shipped() {
        match questionnaire.check(&answers) {
            Ok(checked) => {
                let again: Map<String, Value> = checked
                    .iter()
                    .map(|(name, answer)| {
                        (
                            name.clone(),
                            serde_json::to_value(answer).unwrap_or_default(),
                        )
                    })
                    .collect();
                assert_eq!(questionnaire.check(&again).as_ref(), Ok(&checked));
            }
            Err(problems) => {
                assert!(!problems.0.is_empty());
                for problem in &problems.0 {
                    assert!(problem.field.starts_with("answers."), "{problem:?}");
                }
            }
        }
    }
});
