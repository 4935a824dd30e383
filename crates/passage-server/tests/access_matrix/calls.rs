//! The calls of the matrix that act on a record made for them: data protection,
//! protection and care routes, each with a fresh record so that no call changes the
//! fixture.

use super::*;

/// The path and body of a call to a data-protection route, with what it acts on made for
/// it (a consent, an agreement, a request, a person to erase) so that no call changes the
/// fixture; None for the other routes.
pub(super) async fn data_protection_call(
    app: &App,
    f: &Fixture,
    method: &str,
    template: &str,
    caller: (&str, Role),
    n: usize,
) -> Option<(String, Option<Value>)> {
    let focal_point = app.token_of("a", Role::DataProtectionFocalPoint);
    let (own, other) = if caller.0 == "b" {
        ("b", "a")
    } else {
        ("a", "b")
    };
    let call = match (method, template) {
        ("POST", "/api/v1/persons/{id}/consents") => (
            template.replace("{id}", &f.person),
            Some(json!({"recipient_id": app.organisations["b"], "scope": "tracing"})),
        ),
        ("POST", "/api/v1/consents/{id}/withdraw") => {
            let clerk = app.token_of("a", Role::RegistrationClerk);
            let (s, c) = app
                .post_as(
                    &clerk,
                    &format!("/api/v1/persons/{}/consents", f.person),
                    json!({"recipient_id": app.organisations["b"], "scope": "sgbv"}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{c}");
            (template.replace("{id}", c["id"].as_str().unwrap()), None)
        }
        ("POST", "/api/v1/sharing-agreements") => {
            (template.to_owned(), Some(agreement_body(app, own, other)))
        }
        ("POST", "/api/v1/sharing-agreements/{id}/end") => {
            let (s, a) = app
                .post_as(
                    &focal_point,
                    "/api/v1/sharing-agreements",
                    agreement_body(app, "a", "b"),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{a}");
            (template.replace("{id}", a["id"].as_str().unwrap()), None)
        }
        ("POST", "/api/v1/data-subject-requests") => {
            // About a person of the caller's own organisation.
            let person = if own == "a" {
                f.person.clone()
            } else {
                registered_person(app, f, "b").await
            };
            let body = json!({"person_id": person, "kind": "access"});
            (template.to_owned(), Some(body))
        }
        ("POST", "/api/v1/data-subject-requests/{id}/close") => {
            let (s, r) = app
                .post_as(
                    &focal_point,
                    "/api/v1/data-subject-requests",
                    json!({"person_id": f.person, "kind": "rectification"}),
                )
                .await;
            assert_eq!(s, StatusCode::CREATED, "{r}");
            let body = json!({"status": "completed", "outcome": format!("corrected ({n})")});
            (
                template.replace("{id}", r["id"].as_str().unwrap()),
                Some(body),
            )
        }
        ("POST", "/api/v1/persons/{id}/legal-hold") => (
            template.replace("{id}", &f.person),
            Some(json!({"reason": format!("proceedings {n}")})),
        ),
        ("POST", "/api/v1/persons/{id}/erase") => {
            let person = registered_person(app, f, "a").await;
            let body = json!({"reason": "the person asked"});
            (template.replace("{id}", &person), Some(body))
        }
        _ => return None,
    };
    Some(call)
}

pub(super) async fn created(app: &App, token: &str, path: &str, body: Value) -> Value {
    let (s, v) = app.post_as(token, path, body).await;
    assert_eq!(s, StatusCode::CREATED, "{path}: {v}");
    v
}

pub(super) fn id_of(v: &Value) -> &str {
    v["id"].as_str().unwrap()
}

/// The path and body of a call to a protection route, with what it acts on made for it
/// by organisation a's caseworkers; None for the other routes.
pub(super) async fn protection_call(
    app: &App,
    f: &Fixture,
    method: &str,
    template: &str,
    n: usize,
) -> Option<(String, Option<Value>)> {
    let officer = app.token_of("a", Role::ScreeningOfficer);
    let asylum = app.token_of("a", Role::AsylumCaseworker);
    let returns = app.token_of("a", Role::ReturnCaseworker);
    let person_path = |suffix: &str| format!("/api/v1/persons/{}/{suffix}", f.person);
    let screening = |fear: bool| {
        json!({"questionnaire": "screening", "questionnaire_version": 2, "answers": {
        "stated_age": 30, "reasons_for_leaving": ["work"], "fear_of_return": fear, "wants_asylum": false}})
    };
    let path = |id: &str| template.replace("{id}", id);
    let call = match (method, template) {
        ("GET", "/api/v1/questionnaires/{id}/{version}") => {
            ("/api/v1/questionnaires/screening/2".to_owned(), None)
        }
        ("POST", "/api/v1/persons/{id}/screenings") => (path(&f.person), Some(screening(false))),
        ("GET", "/api/v1/screenings/{id}") | ("POST", "/api/v1/screenings/{id}/confirm") => {
            let s = created(app, &officer, &person_path("screenings"), screening(false)).await;
            let body = json!({"version": s["version"], "population_type": null, "profile_flags": ["economic_migrant"]});
            (path(id_of(&s)), (method == "POST").then_some(body))
        }
        ("POST", "/api/v1/persons/{id}/needs") => (path(&f.person), Some(json!({"code": "SM-CI"}))),
        ("POST", "/api/v1/needs/{id}/close") => {
            let someone = registered_person(app, f, "a").await;
            let need = created(
                app,
                &officer,
                &format!("/api/v1/persons/{someone}/needs"),
                json!({"code": "DS-BD"}),
            )
            .await;
            (
                path(id_of(&need)),
                Some(
                    json!({"version": need["version"], "reason": format!("assessed again ({n})")}),
                ),
            )
        }
        ("POST", "/api/v1/persons/{id}/referrals") => (
            path(&f.person),
            Some(
                json!({"service": "health", "urgency": "normal", "reason": format!("check-up {n}")}),
            ),
        ),
        ("GET", "/api/v1/referrals/{id}")
        | ("GET", "/api/v1/referrals/{id}/person")
        | ("POST", "/api/v1/referrals/{id}/steps") => {
            let body = json!({"service": "health", "urgency": "normal", "reason": "check-up"});
            let r = created(app, &officer, &person_path("referrals"), body).await;
            let step =
                json!({"action": "cancel", "version": r["version"], "reason": "no longer needed"});
            (path(id_of(&r)), (method == "POST").then_some(step))
        }
        ("POST", "/api/v1/persons/{id}/cases") => (
            path(&f.person),
            Some(json!({"kind": "asylum", "reason": format!("claim {n}")})),
        ),
        ("GET", "/api/v1/cases/{id}") | ("POST", "/api/v1/cases/{id}/transitions") => {
            let body = json!({"kind": "asylum", "reason": "claim"});
            let c = created(app, &asylum, &person_path("cases"), body).await;
            let step =
                json!({"event": "schedule_interview", "version": c["version"], "reason": "matrix"});
            (path(id_of(&c)), (method == "POST").then_some(step))
        }
        ("GET", "/api/v1/cases/{id}/return-file")
        | ("POST", "/api/v1/cases/{id}/hold-lifts")
        | ("POST", "/api/v1/hold-lifts/{id}/decision") => {
            // A return held by a fear the person expressed.
            let someone = registered_person(app, f, "a").await;
            let s = created(
                app,
                &officer,
                &format!("/api/v1/persons/{someone}/screenings"),
                screening(true),
            )
            .await;
            let body = json!({"kind": "return", "voluntary": true, "reason": "wants to go home"});
            let c = created(
                app,
                &returns,
                &format!("/api/v1/persons/{someone}/cases"),
                body,
            )
            .await;
            let lift = json!({"condition": format!("fear:{}", id_of(&s)), "reason": format!("examined ({n})")});
            match template {
                "/api/v1/cases/{id}/return-file" => (path(id_of(&c)), None),
                "/api/v1/cases/{id}/hold-lifts" => (path(id_of(&c)), Some(lift)),
                _ => {
                    let supervisor = app.token_of("a", Role::Supervisor);
                    let l = created(
                        app,
                        &supervisor,
                        &format!("/api/v1/cases/{}/hold-lifts", id_of(&c)),
                        lift,
                    )
                    .await;
                    (
                        path(id_of(&l)),
                        Some(json!({"approve": false, "reason": "not examined yet"})),
                    )
                }
            }
        }
        _ => return None,
    };
    Some(call)
}

pub(super) fn incident_body(n: usize) -> Value {
    json!({"kind": "rescue", "occurred_on": "2026-11-20", "persons_aboard": 100 + n, "rescued": 90,
           "dead": 2, "missing": 3, "source": "coast guard", "source_quality": "official"})
}

pub(super) fn tracing_body() -> Value {
    json!({"sought": {"given_name": "Sought Person", "sex": "M"}, "relationship": "father",
           "requester_name": "Requester", "requester_contact": "at the desk", "consent_to_share": true})
}

/// The path and body of a call to a care route, with what it acts on made for it; None
/// for the other routes.
pub(super) async fn care_call(
    app: &App,
    f: &Fixture,
    method: &str,
    template: &str,
    caller: (&str, Role),
    n: usize,
) -> Option<(String, Option<Value>)> {
    let own = if caller.0 == "b" { "b" } else { "a" };
    let manager = app.token_of("a", Role::SiteManager);
    let assistance = app.token_of("a", Role::AssistanceOfficer);
    let incidents = app.token_of("a", Role::IncidentOfficer);
    let tracing = app.token_of("a", Role::ChildProtectionCaseworker);
    let path = |id: &str| template.replace("{id}", id);
    let new_unit = || json!({"site_id": f.site, "name": format!("Tent {n}"), "kind": "family_tent", "beds": 6});
    let hygiene = || {
        json!({"code": format!("KIT-{n}"), "name": "Hygiene kit", "item": "hygiene kit",
        "beneficiary": "person", "frequency": {"kind": "once"}, "entitlement": {}})
    };
    let call = match (method, template) {
        ("POST", "/api/v1/shelter-units") => (template.to_owned(), Some(new_unit())),
        ("PATCH", "/api/v1/shelter-units/{id}") => {
            let u = created(app, &manager, "/api/v1/shelter-units", new_unit()).await;
            let mut details = u["details"].clone();
            details["beds"] = json!(8);
            (
                path(id_of(&u)),
                Some(json!({"version": u["version"], "details": details})),
            )
        }
        ("GET", "/api/v1/stats/{table}") => ("/api/v1/stats/population".to_owned(), None),
        ("POST", "/api/v1/sharing-agreements/{id}/export") => {
            let focal_point = app.token_of("a", Role::DataProtectionFocalPoint);
            let a = created(
                app,
                &focal_point,
                "/api/v1/sharing-agreements",
                agreement_body(app, "a", "b"),
            )
            .await;
            (path(id_of(&a)), Some(json!({"purpose": "assistance"})))
        }
        ("GET", "/api/v1/sites/{id}/allocation-proposal") => {
            (format!("{}?arrival_id={}", path(&f.site), f.arrival), None)
        }
        ("POST", "/api/v1/stays") => {
            let u = created(app, &manager, "/api/v1/shelter-units", new_unit()).await;
            let someone = registered_person(app, f, own).await;
            (
                template.to_owned(),
                Some(json!({"placements": [{"person_id": someone, "unit_id": u["id"]}]})),
            )
        }
        ("POST", "/api/v1/stays/{id}/change") => {
            let u = created(app, &manager, "/api/v1/shelter-units", new_unit()).await;
            let someone = registered_person(app, f, "a").await;
            let stays = created(
                app,
                &manager,
                "/api/v1/stays",
                json!({"placements": [{"person_id": someone, "unit_id": u["id"]}]}),
            )
            .await;
            let stay = &stays[0];
            (
                path(id_of(stay)),
                Some(json!({"version": stay["version"], "reason": "left for Medan"})),
            )
        }
        ("POST", "/api/v1/programmes") => (template.to_owned(), Some(hygiene())),
        ("GET", "/api/v1/programmes/{id}/totals") => {
            let p = created(app, &assistance, "/api/v1/programmes", hygiene()).await;
            (path(id_of(&p)), None)
        }
        ("POST", "/api/v1/distributions") => {
            let p = created(app, &assistance, "/api/v1/programmes", hygiene()).await;
            let someone = registered_person(app, f, own).await;
            (
                template.to_owned(),
                Some(json!({"programme_id": p["id"], "person_id": someone, "site_id": f.site})),
            )
        }
        ("POST", "/api/v1/distributions/{id}/review") => {
            let p = created(app, &assistance, "/api/v1/programmes", hygiene()).await;
            let someone = registered_person(app, f, "a").await;
            let d = created(
                app,
                &assistance,
                "/api/v1/distributions",
                json!({"programme_id": p["id"], "person_id": someone, "site_id": f.site}),
            )
            .await;
            // Given, not held: the review is refused (409) for those allowed to review.
            (
                path(id_of(&d)),
                Some(json!({"version": d["version"], "release": true, "reason": "checked"})),
            )
        }
        ("POST", "/api/v1/incidents") => (template.to_owned(), Some(incident_body(n))),
        ("GET", "/api/v1/incidents/{id}") | ("PATCH", "/api/v1/incidents/{id}") => {
            let i = created(app, &incidents, "/api/v1/incidents", incident_body(n)).await;
            let body = json!({"version": i["version"], "details": incident_body(n + 1)});
            (path(id_of(&i)), (method == "PATCH").then_some(body))
        }
        ("POST", "/api/v1/flow-observations") => (
            template.to_owned(),
            Some(
                json!({"site_id": f.site, "observed_at": "2026-11-27T08:00:00Z", "direction": "incoming",
                        "transport": "boat", "counts": {"f_18_59": 2, "m_0_4": 1}}),
            ),
        ),
        ("POST", "/api/v1/tracing-requests") => (template.to_owned(), Some(tracing_body())),
        ("GET", "/api/v1/tracing-requests/{id}")
        | ("POST", "/api/v1/tracing-requests/{id}/outcome") => {
            let r = created(app, &tracing, "/api/v1/tracing-requests", tracing_body()).await;
            let body = json!({"version": r["version"], "status": "closed", "reason": "the family stopped looking"});
            (path(id_of(&r)), (method == "POST").then_some(body))
        }
        _ => return None,
    };
    Some(call)
}

/// The path and body of a call to a bulk import route, with what it reads made for the
/// caller's organisation (a job, a mapping); None for the other routes. An upload's body
/// is the CSV text, sent as `text/csv` by [`call`].
pub(super) async fn import_call(
    app: &App,
    f: &Fixture,
    method: &str,
    template: &str,
    caller: (&str, Role),
    n: usize,
) -> Option<(String, Option<Value>)> {
    let own = if caller.0 == "b" { "b" } else { "a" };
    let name = format!("matrix-{n}");
    let call = match (method, template) {
        ("POST", "/api/v1/imports") => {
            let head = support::distinct_head();
            let csv = format!(
                "given_name,family_name,sex,date_of_birth,dob_precision,nationality\n{},{},M,{},year_only,stateless\n",
                head["given_name"].as_str().unwrap(),
                head["family_name"].as_str().unwrap(),
                head["date_of_birth"]["date"].as_str().unwrap(),
            );
            (
                format!("{template}?arrival_id={}", f.arrival),
                Some(Value::String(csv)),
            )
        }
        ("GET", "/api/v1/imports") | ("GET", "/api/v1/import-mappings") => {
            (template.to_owned(), None)
        }
        ("GET", "/api/v1/imports/{id}") => {
            let p = Principal {
                user_id: Some(uuid::Uuid::now_v7()),
                at: support::NOW,
                name: "matrix".into(),
                organisation_id: Some(app.organisations[own]),
                roles: vec![Role::RegistrationClerk],
                context: Context::default(),
            };
            let job = app
                .store
                .start_import(&p, &name, f.arrival.parse().unwrap(), "valid_only")
                .await
                .unwrap();
            (template.replace("{id}", &job.id.to_string()), None)
        }
        ("GET", "/api/v1/import-mappings/{name}") => {
            // Saved from the command line: shared with every organisation.
            app.store
                .save_import_mapping(
                    &Principal::operator(support::NOW),
                    &name,
                    &json!({"columns": {"Sex": "sex"}}),
                )
                .await
                .unwrap();
            (template.replace("{name}", &name), None)
        }
        ("PUT", "/api/v1/import-mappings/{name}") => (
            template.replace("{name}", &name),
            Some(json!({"columns": {"Gender": "sex"}})),
        ),
        _ => return None,
    };
    Some(call)
}

/// Sends one call of the matrix: an upload's CSV as `text/csv`, any other body as JSON.
pub(super) async fn call(
    app: &App,
    method: Method,
    template: &str,
    path: &str,
    who: Auth<'_>,
    body: Option<&Value>,
) -> Answer {
    match body {
        Some(Value::String(csv)) if template == "/api/v1/imports" => {
            let body = Some(("text/csv", csv.clone().into_bytes()));
            send_bytes(app, method, path, who, body).await
        }
        _ => send(app, method, path, who, body).await,
    }
}
