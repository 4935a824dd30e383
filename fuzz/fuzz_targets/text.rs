//! Text as people type it: cleaning (trim, NFC) and the folded search key are stable
//! (a second pass changes nothing), and a key is lower-case letters and digits in words
//! separated by one space.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passage_domain::text::{clean, fold};

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(cleaned) = clean(s) {
        assert_eq!(clean(&cleaned).as_deref(), Some(cleaned.as_str()), "{s:?}");
    }
    let key = fold(s);
    assert_eq!(fold(&key), key, "{s:?}");
    assert!(!key.starts_with(' ') && !key.ends_with(' ') && !key.contains("  "));
    assert!(
        key.chars().all(|c| c == ' ' || c.is_alphanumeric()),
        "{s:?} -> {key:?}"
    );
});
