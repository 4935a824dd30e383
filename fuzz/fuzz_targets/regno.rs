//! Registration numbers as people type them: a number that is read prints back to a
//! text that reads as the same number, in any case and spacing, and every single
//! mistyped symbol of that text is refused.
#![no_main]

use libfuzzer_sys::fuzz_target;
use passage_domain::regno::{ALPHABET, RegistrationNumber, SiteCode, check_character};

fuzz_target!(|data: &[u8]| {
    let Ok(typed) = std::str::from_utf8(data) else {
        return;
    };
    let _ = SiteCode::try_from(typed.to_owned());
    let _ = check_character(typed);
    let Ok(number) = RegistrationNumber::parse(typed) else {
        return;
    };
    let printed = number.to_string();
    assert_eq!(RegistrationNumber::parse(&printed).as_ref(), Ok(&number));
    let loose = printed.to_lowercase().replace('-', " ");
    assert_eq!(RegistrationNumber::parse(&loose).as_ref(), Ok(&number));
    let (body, check) = printed.rsplit_once('-').unwrap_or_default();
    assert_eq!(
        check_character(body).map(String::from).as_deref(),
        Some(check)
    );
    let symbols: Vec<char> = printed.chars().filter(|c| *c != '-').collect();
    for i in 0..symbols.len() {
        for &b in ALPHABET {
            let c = char::from(b);
            if symbols.get(i) == Some(&c) {
                continue;
            }
            let mut typo = symbols.clone();
            typo[i] = c;
            let typo: String = typo.into_iter().collect();
            assert!(
                RegistrationNumber::parse(&typo).is_err(),
                "{printed} -> {typo}"
            );
        }
    }
});
