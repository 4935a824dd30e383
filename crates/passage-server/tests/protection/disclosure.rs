//! What another organisation or another unit learns of a person: a referral's recipient
//! nothing of who they are until it accepts and while their consent holds; a caseworker
//! who sees only a case's state, nothing of why a hold was to be lifted.

use passage_domain::access::{Context, Principal};
use passage_domain::protection::referral::{NewReferral, Service, Urgency};
use time::Duration;
use uuid::Uuid;

use super::*;
use crate::support::NOW;

/// The overdue-referral queue of the caller: the item of referral `id`.
async fn queued(app: &App, token: &str, id: &Value) -> Value {
    let (s, queues) = app.get_as(token, "/api/v1/queues").await;
    assert_eq!(s, StatusCode::OK, "{queues}");
    queues["overdue_referrals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["referral_id"] == *id)
        .cloned()
        .unwrap_or_else(|| panic!("referral {id} not queued: {queues}"))
}

/// Whether any of `words` shows anywhere in `v`.
fn shows(v: &Value, words: &[&str]) -> bool {
    let text = v.to_string();
    words.iter().any(|w| text.contains(w))
}

on_every_backend!(
    a_recipient_sees_no_one_in_a_referral_it_has_not_accepted,
    |app: App| async move {
        let officer = app.token_of("a", Role::ScreeningOfficer);
        let head = distinct_head();
        let (given, family) = (
            head["given_name"].as_str().unwrap().to_owned(),
            head["family_name"].as_str().unwrap().to_owned(),
        );
        let someone = person(&app, head).await;
        // Made two days ago and due within a day: overdue now.
        let two_days_ago = Principal {
            user_id: Some(Uuid::now_v7()),
            at: NOW - Duration::days(2),
            name: "screening_officer.a".into(),
            organisation_id: Some(app.organisations["a"]),
            roles: vec![Role::ScreeningOfficer],
            context: Context::default(),
        };
        let new = NewReferral {
            service: Service::Health,
            recipient_id: Some(app.organisations["b"]),
            urgency: Urgency::Emergency,
            due_within_hours: None,
            reason: format!("{given} {family} has had chest pain since the crossing"),
        };
        let r = app
            .store
            .create_referral(&two_days_ago, someone.parse().unwrap(), new)
            .await
            .unwrap();
        let id = json!(r.meta.id);
        let steps = format!("/api/v1/referrals/{}/steps", r.meta.id);
        let (s, sent) = app
            .post_as(&officer, &steps, json!({"action": "send", "version": 1}))
            .await;
        assert_eq!(s, StatusCode::OK, "{sent}");
        let name = [given.as_str(), family.as_str()];

        // The referring organisation sees whom it referred.
        let mine = queued(&app, &officer, &id).await;
        assert_eq!(mine["person_id"], someone.as_str(), "{mine}");
        assert!(shows(&mine, &name), "{mine}");

        // The recipient: what it needs to decide, nobody's name, id or story.
        let theirs = app.token_of("b", Role::Supervisor);
        let item = queued(&app, &theirs, &id).await;
        assert!(item["person_id"].is_null(), "{item}");
        assert!(item["name"].is_null(), "{item}");
        assert!(!shows(&item, &name), "{item}");
        assert_eq!(item["due_at"], "2026-11-26T10:00:00Z", "{item}");
        let path = format!("/api/v1/referrals/{}", r.meta.id);
        let (s, read) = app.get_as(&theirs, &path).await;
        assert_eq!(s, StatusCode::OK, "{read}");
        let (s, listed) = app
            .get_as(&theirs, "/api/v1/referrals?incoming=true&overdue=true")
            .await;
        assert_eq!(s, StatusCode::OK, "{listed}");
        let listed = listed
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .cloned()
            .unwrap();
        for seen in [&read, &listed] {
            assert_eq!(
                (
                    &seen["service"],
                    &seen["urgency"],
                    &seen["status"],
                    &seen["overdue"]
                ),
                (
                    &json!("health"),
                    &json!("emergency"),
                    &json!("sent"),
                    &json!(true)
                ),
                "{seen}"
            );
            assert!(seen["person_id"].is_null(), "{seen}");
            assert!(seen["reason"].is_null(), "{seen}");
            assert!(!shows(seen, &name), "{seen}");
        }

        // Once it accepts: the person as the service's shared fields show them.
        let (s, accepted) = app
            .post_as(
                &theirs,
                &steps,
                json!({"action": "accept", "version": sent["version"]}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{accepted}");
        assert_eq!(accepted["person_id"], someone.as_str(), "{accepted}");
        let item = queued(&app, &theirs, &id).await;
        assert_eq!(item["person_id"], someone.as_str(), "{item}");
        assert_eq!(item["name"], format!("{given} {family}"), "{item}");
        let (_, read) = app.get_as(&theirs, &path).await;
        assert!(
            read["reason"].as_str().unwrap().contains("chest pain"),
            "{read}"
        );
    }
);

on_every_backend!(
    a_caseworker_who_sees_only_a_return_s_state_never_reads_why_a_hold_was_to_be_lifted,
    |app: App| async move {
        let returns = app.token_of("a", Role::ReturnCaseworker);
        let officer = app.token_of("a", Role::ScreeningOfficer);
        let first = app.token_of("a", Role::Supervisor);
        let second = app
            .another_user("a", Role::Supervisor, "second.supervisor.lifts")
            .await;
        let migrant = person(&app, distinct_head()).await;
        let case = open_case(
            &app,
            &returns,
            &migrant,
            json!({"kind": "return", "voluntary": true, "reason": "chooses to go home"}),
        )
        .await;
        let (s, _) = screen(
            &app,
            &officer,
            &migrant,
            answers(30, json!({"fear_of_return": true})),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED);
        let case_path = format!("/api/v1/cases/{}", case["id"].as_str().unwrap());
        let (_, held) = app.get_as(&returns, &case_path).await;
        let key = format!(
            "fear:{}",
            held["blocked_by"][0]["screening_id"].as_str().unwrap()
        );
        let asked = "she fears the recruiter who sold her passport, now in her home town";
        let decided = "the recruiter was convicted; her brother confirmed it at interview";
        let (s, lift) = app
            .post_as(
                &first,
                &format!("{case_path}/hold-lifts"),
                json!({"condition": key, "reason": asked}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{lift}");
        assert_eq!(
            lift["request_reason"], asked,
            "the requester reads their own"
        );
        let (s, decision) = app
            .post_as(
                &second,
                &format!(
                    "/api/v1/hold-lifts/{}/decision",
                    lift["id"].as_str().unwrap()
                ),
                json!({"approve": true, "reason": decided}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{decision}");
        assert_eq!(decision["decision_reason"], decided);

        // The return caseworker sees the case in full.
        let (_, full) = app.get_as(&returns, &case_path).await;
        assert_eq!(full["hold_lifts"][0]["request_reason"], asked, "{full}");
        assert_eq!(full["hold_lifts"][0]["decision_reason"], decided, "{full}");

        // An asylum caseworker sees that a hold was lifted, by whom and when; never why.
        let asylum = app.token_of("a", Role::AsylumCaseworker);
        let (s, one) = app.get_as(&asylum, &case_path).await;
        assert_eq!(s, StatusCode::OK, "{one}");
        let (s, all) = app
            .get_as(&asylum, &format!("/api/v1/persons/{migrant}/cases"))
            .await;
        assert_eq!(s, StatusCode::OK, "{all}");
        let of_person = all
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == case["id"])
            .cloned()
            .unwrap();
        for seen in [&one, &of_person] {
            let l = &seen["hold_lifts"][0];
            assert_eq!(
                (&l["condition"], &l["approved"], &l["decided_by"]),
                (&json!(key), &json!(true), &json!("second.supervisor.lifts")),
                "{seen}"
            );
            assert!(l["request_reason"].is_null(), "{seen}");
            assert!(l["decision_reason"].is_null(), "{seen}");
            assert!(
                !shows(seen, &["recruiter", "passport", "brother"]),
                "{seen}"
            );
        }
    }
);

/// A person of organisation a with their consent to trafficking referrals to b, and an
/// anti-trafficking referral to b sent: (person, referral, consent) ids.
async fn referred_with_consent(app: &App, officer: &str) -> (String, Value, String) {
    let b = app.organisations["b"];
    let someone = person(app, distinct_head()).await;
    let (s, consent) = app
        .post_as(
            officer,
            &format!("/api/v1/persons/{someone}/consents"),
            json!({"recipient_id": b, "scope": "trafficking"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{consent}");
    let (s, r) = app
        .post_as(
            officer,
            &format!("/api/v1/persons/{someone}/referrals"),
            json!({"service": "anti_trafficking", "recipient_id": b, "urgency": "urgent",
                   "reason": "recruited with a false job offer, documents taken"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    let (s, sent) = app
        .post_as(
            officer,
            &format!("/api/v1/referrals/{}/steps", r["id"].as_str().unwrap()),
            json!({"action": "send", "version": r["version"]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{sent}");
    (someone, sent, consent["id"].as_str().unwrap().to_owned())
}

async fn withdraw(app: &App, officer: &str, consent: &str) {
    let (s, w) = app
        .post_as(
            officer,
            &format!("/api/v1/consents/{consent}/withdraw"),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{w}");
}

on_every_backend!(
    consent_withdrawn_after_sending_stops_acceptance_and_the_shared_view,
    |app: App| async move {
        let officer = app.token_of("a", Role::ScreeningOfficer);
        let theirs = app.token_of("b", Role::TraffickingCaseworker);
        let gone = format!(
            "consent for trafficking referrals to organisation {} is not in force",
            app.organisations["b"]
        );

        // Withdrawn before the recipient accepts: it cannot accept.
        let (_, sent, consent) = referred_with_consent(&app, &officer).await;
        withdraw(&app, &officer, &consent).await;
        let steps = format!("/api/v1/referrals/{}/steps", sent["id"].as_str().unwrap());
        let (s, refused) = app
            .post_as(
                &theirs,
                &steps,
                json!({"action": "accept", "version": sent["version"]}),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{refused}");
        assert!(
            refused["detail"].as_str().unwrap().contains(&gone),
            "{refused}"
        );
        let (_, still) = app
            .get_as(
                &theirs,
                &format!("/api/v1/referrals/{}", sent["id"].as_str().unwrap()),
            )
            .await;
        assert_eq!(still["status"], "sent", "a refused step writes nothing");

        // Withdrawn after it accepted: the shared view closes.
        let (someone, sent, consent) = referred_with_consent(&app, &officer).await;
        let id = sent["id"].as_str().unwrap();
        let (s, accepted) = app
            .post_as(
                &theirs,
                &format!("/api/v1/referrals/{id}/steps"),
                json!({"action": "accept", "version": sent["version"]}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{accepted}");
        let shared_path = format!("/api/v1/referrals/{id}/person");
        let (s, shared) = app.get_as(&theirs, &shared_path).await;
        assert_eq!(s, StatusCode::OK, "{shared}");
        withdraw(&app, &officer, &consent).await;
        let (s, refused) = app.get_as(&theirs, &shared_path).await;
        assert_eq!(s, StatusCode::CONFLICT, "{refused}");
        assert!(
            refused["detail"].as_str().unwrap().contains(&gone),
            "{refused}"
        );
        let (_, read) = app
            .get_as(&theirs, &format!("/api/v1/referrals/{id}"))
            .await;
        assert!(read["person_id"].is_null(), "{read}");
        assert!(read["reason"].is_null(), "{read}");
        // The referring organisation still reads its own person's referral.
        let (s, own) = app
            .get_as(&officer, &format!("/api/v1/persons/{someone}/referrals"))
            .await;
        assert_eq!(s, StatusCode::OK, "{own}");
        assert!(own[0]["reason"].is_string(), "{own}");
    }
);
