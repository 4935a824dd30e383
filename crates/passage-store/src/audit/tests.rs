use super::*;

fn entry() -> AuditEntry {
    AuditEntry {
        at: time::macros::datetime!(2026-11-27 10:00:00.123456789 UTC),
        actor_id: None,
        actor: "system".into(),
        organisation_id: None,
        role: None,
        action: "read".into(),
        entity: "person".into(),
        entity_id: Some("p".into()),
        purpose: None,
        request_id: None,
        client: None,
        detail: serde_json::json!({"b": 1, "a": [true, null]}),
    }
}

#[test]
fn the_hash_is_lowercase_hex_sha256_of_every_field() {
    let h = entry().chain_hash(1, GENESIS);
    assert_eq!(h.len(), 64);
    assert!(
        h.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    );
    // The same entry elsewhere, or after another entry, hashes differently.
    assert_ne!(h, entry().chain_hash(2, GENESIS));
    assert_ne!(h, entry().chain_hash(1, &h));
    // Nanoseconds beyond the stored microseconds do not count.
    let mut e = entry();
    e.at = time::macros::datetime!(2026-11-27 10:00:00.123456 UTC);
    assert_eq!(h, e.chain_hash(1, GENESIS));
}

#[test]
fn absent_and_empty_values_and_shifted_text_hash_differently() {
    let mut a = entry();
    let mut b = entry();
    a.purpose = None;
    b.purpose = Some(String::new());
    assert_ne!(a.chain_hash(1, GENESIS), b.chain_hash(1, GENESIS));
    // Moving text from one field to the next changes the hash.
    let (mut a, mut b) = (entry(), entry());
    a.action = "readp".into();
    a.entity = "erson".into();
    b.action = "read".into();
    b.entity = "person".into();
    assert_ne!(a.chain_hash(1, GENESIS), b.chain_hash(1, GENESIS));
}

#[test]
fn the_encoding_is_pinned() {
    // Recomputed independently: any change to the encoding breaks every stored chain.
    let mut h = Sha256::new();
    let mut f = |s: Option<&str>| match s {
        None => h.update([0]),
        Some(s) => {
            h.update([1]);
            h.update((s.len() as u64).to_be_bytes());
            h.update(s);
        }
    };
    for v in [
        Some("passage-audit-v1"),
        Some("7"),
        Some("2026-11-27T10:00:00.123456Z"),
        None,
        Some("system"),
        None,
        None,
        Some("read"),
        Some("person"),
        Some("p"),
        None,
        None,
        None,
        Some(r#"{"a":[true,null],"b":1}"#),
        Some(GENESIS),
    ] {
        f(v);
    }
    let expected = hex(&h.finalize());
    let mut e = entry();
    e.detail = serde_json::from_str(r#"{"a":[true,null],"b":1}"#).unwrap_or_default();
    assert_eq!(e.chain_hash(7, GENESIS), expected);
}
