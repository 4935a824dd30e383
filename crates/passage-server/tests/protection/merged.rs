//! Duplicates merged through the API: what one record of a person holds protects the
//! other. A claim on the record merged away holds the return of the record kept; a merge
//! bringing a refoulement-risk code suspends a scheduled return at once.

use super::*;

async fn merge(app: &App, kept: &str, merged: &str) -> Value {
    let (s, d) = app
        .post(
            "/api/v1/duplicates/decisions",
            json!({"person_a": kept, "person_b": merged, "decision": "merge", "reason": "same passport"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    d
}

on_every_backend!(
    a_claim_on_a_merged_record_holds_the_return_of_the_record_kept,
    |app: App| async move {
        let kept = person(&app, distinct_head()).await;
        let merged = person(&app, distinct_head()).await;
        let asylum = app.token_of("a", Role::AsylumCaseworker);
        open_case(
            &app,
            &asylum,
            &merged,
            json!({"kind": "asylum", "reason": "claims asylum at the airport"}),
        )
        .await;
        merge(&app, &kept, &merged).await;
        let returns = app.token_of("a", Role::ReturnCaseworker);
        let case = open_case(
            &app,
            &returns,
            &kept,
            json!({"kind": "return", "voluntary": true, "reason": "wants to go home"}),
        )
        .await;
        let case = walk(&app, &returns, case, &TO_SCHEDULED[..3]).await;
        let (s, e) = step(&app, &returns, &case, "schedule", None).await;
        assert_eq!(s, StatusCode::CONFLICT, "{e}");
        assert!(
            e["detail"]
                .as_str()
                .unwrap()
                .contains("an asylum claim is pending"),
            "{e}"
        );
    }
);

on_every_backend!(
    a_merge_bringing_a_risk_code_suspends_a_scheduled_return,
    |app: App| async move {
        let kept = person(&app, distinct_head()).await;
        let merged = person(&app, distinct_head()).await;
        let returns = app.token_of("a", Role::ReturnCaseworker);
        let case = open_case(
            &app,
            &returns,
            &kept,
            json!({"kind": "return", "voluntary": true, "reason": "wants to go home"}),
        )
        .await;
        let case = walk(&app, &returns, case, &TO_SCHEDULED).await;
        assert_eq!(case["state"], "scheduled");
        let officer = app.token_of("a", Role::ScreeningOfficer);
        let (s, need) = app
            .post_as(
                &officer,
                &format!("/api/v1/persons/{merged}/needs"),
                json!({"code": "LP-RR"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{need}");
        merge(&app, &kept, &merged).await;
        let path = format!("/api/v1/cases/{}", case["id"].as_str().unwrap());
        let (s, now) = app.get_as(&returns, &path).await;
        assert_eq!(s, StatusCode::OK, "{now}");
        assert_eq!(now["state"], "suspended", "{now}");
        assert_eq!(now["blocked_by"][0]["code"], "LP-RR", "{now}");
    }
);
