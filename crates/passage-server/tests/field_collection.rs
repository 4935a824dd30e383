//! Field collection over OpenRosa through the real router on a real database, with the
//! requests replayed as ODK Collect sends them: HEAD then a multipart POST with Basic
//! authentication. SQLite always, PostgreSQL when `PASSAGE_TEST_PG_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use passage_domain::access::Role;
use serde_json::{Value, json};
use tower::ServiceExt;

#[macro_use]
mod support;

use support::openrosa::{
    BOUNDARY, Part, USER_AGENT, basic, clerk, level_one_xml, multipart, with_document,
};
use support::{App, PASSWORD, level_one};

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

async fn send(
    app: &App,
    method: Method,
    path: &str,
    auth: Option<&str>,
    body: Option<Vec<u8>>,
) -> Answer {
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, "passage.test")
        .header("X-OpenRosa-Version", "1.0")
        .header(header::USER_AGENT, USER_AGENT)
        .header(header::DATE, "Fri, 27 Nov 2026 10:00:00 GMT")
        .header(header::ACCEPT_ENCODING, "gzip");
    if let Some(a) = auth {
        req = req.header(header::AUTHORIZATION, a);
    }
    if let Some(b) = &body {
        req = req
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .header(header::CONTENT_LENGTH, b.len());
    }
    let req = req
        .body(body.map(Body::from).unwrap_or_else(Body::empty))
        .unwrap();
    let res = app.router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn submit(app: &App, auth: &str, parts: &[Part<'_>]) -> Answer {
    send(
        app,
        Method::POST,
        "/submission",
        Some(auth),
        Some(multipart(parts)),
    )
    .await
}

fn xml_part(instance: &str, xml: &str) -> (String, Vec<u8>) {
    (
        format!("{}.xml", instance.trim_start_matches("uuid:")),
        xml.as_bytes().to_vec(),
    )
}

fn assert_openrosa(a: &Answer) {
    assert_eq!(a.headers["x-openrosa-version"], "1.0", "{:?}", a.headers);
    assert!(a.headers.contains_key(header::DATE), "{:?}", a.headers);
}

async fn submissions(app: &App, org: &'static str) -> Vec<Value> {
    let token = app.token_of(org, Role::RegistrationClerk);
    let (s, list) = app.get_as(&token, "/api/v1/submissions?status=all").await;
    assert_eq!(s, StatusCode::OK, "{list}");
    list["items"].as_array().unwrap().clone()
}

on_every_backend!(
    collect_lists_downloads_and_submits_as_openrosa_says,
    |app: App| async move {
        let arrival = app.arrival().await;
        let auth = clerk("a");

        // HEAD first, without credentials: a Basic challenge; then with them: 204.
        let a = send(&app, Method::HEAD, "/submission", None, None).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        assert!(
            a.headers[header::WWW_AUTHENTICATE]
                .to_str()
                .unwrap()
                .starts_with("Basic realm=")
        );
        assert_openrosa(&a);
        let a = send(
            &app,
            Method::HEAD,
            "/submission",
            Some(&basic("registration_clerk.a", "wrong")),
            None,
        )
        .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        assert!(a.headers.contains_key(header::WWW_AUTHENTICATE));
        let a = send(&app, Method::HEAD, "/submission", Some(&auth), None).await;
        assert_eq!(a.status, StatusCode::NO_CONTENT);
        assert_openrosa(&a);
        assert_eq!(a.headers["x-openrosa-accept-content-length"], "10485760");
        // An API token as the password works too.
        let token = app.token_of("a", Role::RegistrationClerk);
        let a = send(
            &app,
            Method::HEAD,
            "/submission",
            Some(&basic("registration_clerk.a", &token)),
            None,
        )
        .await;
        assert_eq!(a.status, StatusCode::NO_CONTENT);

        // The form list, the form (its hash as listed), the manifest and its media file.
        let list = send(&app, Method::GET, "/formList", Some(&auth), None).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert_openrosa(&list);
        assert!(
            list.body
                .contains(r#"<xforms xmlns="http://openrosa.org/xforms/xformsList">"#)
        );
        assert!(
            list.body
                .contains("<formID>passage_registration_l1</formID>"),
            "{}",
            list.body
        );
        assert!(list.body.contains(
            "<downloadUrl>http://passage.test/forms/passage_registration_l1/form.xml</downloadUrl>"
        ));
        let form = send(
            &app,
            Method::GET,
            "/forms/passage_registration_l1/form.xml",
            Some(&auth),
            None,
        )
        .await;
        assert_eq!(form.status, StatusCode::OK);
        let hash = passage_server::openrosa::forms::md5_hash(form.body.as_bytes());
        assert!(
            list.body.contains(&format!("<hash>{hash}</hash>")),
            "{}",
            list.body
        );
        let manifest = send(
            &app,
            Method::GET,
            "/forms/passage_registration_l1/manifest",
            Some(&auth),
            None,
        )
        .await;
        assert_eq!(manifest.status, StatusCode::OK, "{}", manifest.body);
        assert!(
            manifest.body.contains("<filename>arrivals.csv</filename>"),
            "{}",
            manifest.body
        );
        let csv = send(
            &app,
            Method::GET,
            "/forms/passage_registration_l1/arrivals.csv",
            Some(&auth),
            None,
        )
        .await;
        assert!(
            csv.body.starts_with("name,label\n") && csv.body.contains(&arrival),
            "{}",
            csv.body
        );
        assert!(
            manifest
                .body
                .contains(&passage_server::openrosa::forms::md5_hash(
                    csv.body.as_bytes()
                ))
        );
        // A data analyst fills no form.
        let analyst = basic("data_analyst.a", PASSWORD);
        let list = send(&app, Method::GET, "/formList", Some(&analyst), None).await;
        assert!(!list.body.contains("<xform>"), "{}", list.body);

        // A submission with a photo: 201 with an OpenRosaResponse, and a registration.
        let instance = "uuid:0b7c4a52-5d0e-4c36-a8f1-2b9d1c7e6f01";
        let xml = with_document(
            &level_one_xml(instance, &arrival, "Rashida", "Kamal", "MMR"),
            "national_id_card",
            "mm 1234567",
        );
        let (file, bytes) = xml_part(instance, &xml);
        let photo: &[u8] = b"\xff\xd8\xff\xe0 not much of a JPEG";
        let parts: [Part; 2] = [
            ("xml_submission_file", Some(&file), "text/xml", &bytes),
            (
                "1764237600000.jpg",
                Some("1764237600000.jpg"),
                "image/jpeg",
                photo,
            ),
        ];
        let a = submit(&app, &auth, &parts).await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
        assert_openrosa(&a);
        assert!(
            a.body
                .contains(r#"<OpenRosaResponse xmlns="http://openrosa.org/http/response">"#),
            "{}",
            a.body
        );
        assert!(a.body.contains("registered"), "{}", a.body);
        assert_eq!(app.count("households").await, 1);
        let (_, households) = app.get("/api/v1/households").await;
        let head = households["items"][0]["head_person_id"].as_str().unwrap();
        let (_, documents) = app
            .get(&format!("/api/v1/documents?person_id={head}"))
            .await;
        assert_eq!(
            documents["items"][0]["details"]["number"], "MM 1234567",
            "{documents}"
        );

        // Sent again (Collect did not see the answer): 201, nothing stored twice.
        let a = submit(&app, &auth, &parts).await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
        assert_eq!(app.count("households").await, 1);
        let stored = submissions(&app, "a").await;
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0]["status"], "registered");
        assert_eq!(stored[0]["attachments"][0]["size"], photo.len());
        let (_, one) = app
            .get_as(
                &token,
                &format!("/api/v1/submissions/{}", stored[0]["id"].as_str().unwrap()),
            )
            .await;
        assert_eq!(one["xml"], xml, "the XML is kept exactly as received");
        let req = Request::get(format!(
            "/api/v1/submissions/{}/attachments/1764237600000.jpg",
            stored[0]["id"].as_str().unwrap()
        ))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
        let res = app.router.clone().oneshot(req).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()[header::CONTENT_TYPE], "image/jpeg");
        let got = res.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(&got[..], photo, "the photo is kept exactly as received");

        // The same instance id with other content is a conflict.
        let changed = xml.replace("Rashida", "Rashid");
        let (file2, bytes2) = xml_part(instance, &changed);
        let a = submit(
            &app,
            &auth,
            &[("xml_submission_file", Some(&file2), "text/xml", &bytes2)],
        )
        .await;
        assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);
        assert!(a.body.contains("different content"), "{}", a.body);

        // Split over two requests, each with the XML: one submission, both attachments.
        let split = "uuid:4f1d2a6b-9c3e-4b7a-8e5d-1a2b3c4d5e6f";
        let xml = level_one_xml(split, &arrival, "Idris", "Halabi", "SYR");
        let (file, bytes) = xml_part(split, &xml);
        let a = submit(
            &app,
            &auth,
            &[
                ("xml_submission_file", Some(&file), "text/xml", &bytes),
                ("a.jpg", Some("a.jpg"), "image/jpeg", b"first"),
                ("*isIncomplete*", None, "text/plain", b"yes"),
            ],
        )
        .await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
        let a = submit(
            &app,
            &auth,
            &[
                ("xml_submission_file", Some(&file), "text/xml", &bytes),
                ("b.jpg", Some("b.jpg"), "image/jpeg", b"second"),
            ],
        )
        .await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
        assert_eq!(app.count("households").await, 2);
        let stored = submissions(&app, "a").await;
        assert_eq!(stored.len(), 2);
        let names: Vec<&str> = stored[0]["attachments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["a.jpg", "b.jpg"]);

        // No xml_submission_file part: 400 saying so.
        let a = submit(
            &app,
            &auth,
            &[("photo.jpg", Some("photo.jpg"), "image/jpeg", b"x")],
        )
        .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.body);
        assert!(a.body.contains("xml_submission_file"), "{}", a.body);
        assert_openrosa(&a);

        // An unknown form: 404; another version: 409; each with a message for the device.
        let other = "uuid:9d8c7b6a-5f4e-4d3c-8b2a-190817161514";
        let xml = level_one_xml(other, &arrival, "Aung", "Min", "MMR");
        let unknown = xml.replace("passage_registration_l1", "someone_elses_form");
        let (file, bytes) = xml_part(other, &unknown);
        let a = submit(
            &app,
            &auth,
            &[("xml_submission_file", Some(&file), "text/xml", &bytes)],
        )
        .await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{}", a.body);
        assert!(a.body.contains("no form someone_elses_form"), "{}", a.body);
        let old = xml.replace("2026112702", "2026112701");
        let (file, bytes) = xml_part(other, &old);
        let a = submit(
            &app,
            &auth,
            &[("xml_submission_file", Some(&file), "text/xml", &bytes)],
        )
        .await;
        assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);
        assert!(a.body.contains("version"), "{}", a.body);

        // A screening officer may not register households: kept, nothing registered,
        // waiting for someone who may, with the reason.
        let (file, bytes) = xml_part(other, &xml);
        let a = submit(
            &app,
            &basic("screening_officer.a", PASSWORD),
            &[("xml_submission_file", Some(&file), "text/xml", &bytes)],
        )
        .await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
        assert!(a.body.contains("waits for a reviewer"), "{}", a.body);
        assert_eq!(app.count("households").await, 2);
        let held = submissions(&app, "a").await;
        let held = held.iter().find(|s| s["instance_id"] == other).unwrap();
        assert_eq!(held["status"], "review");
        assert_eq!(held["reasons"][0]["field"], "submitted_by");
    }
);

on_every_backend!(
    a_likely_duplicate_waits_for_review_and_a_reviewer_registers_it,
    |app: App| async move {
        let arrival = app.arrival().await;
        let (s, first) = app.post("/api/v1/households", level_one(&arrival)).await;
        assert_eq!(s, StatusCode::CREATED, "{first}");
        let existing = first["head_person_id"].as_str().unwrap().to_owned();

        // The same head from the field: stored, told it arrived, queued with the candidate.
        let instance = "uuid:11111111-2222-4333-8444-555555555555";
        let xml = level_one_xml(instance, &arrival, "Mohammed", "Ayub", "stateless");
        let (file, bytes) = xml_part(instance, &xml);
        let a = submit(
            &app,
            &clerk("a"),
            &[("xml_submission_file", Some(&file), "text/xml", &bytes)],
        )
        .await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
        assert!(a.body.contains("waits for a reviewer"), "{}", a.body);
        assert_eq!(app.count("households").await, 1);
        let queue = submissions(&app, "a").await;
        assert_eq!(queue.len(), 1);
        let item = &queue[0];
        assert_eq!(item["status"], "review");
        assert_eq!(item["reasons"][0]["field"], "not_duplicates");
        assert_eq!(item["candidates"][0]["person_id"], existing.as_str());
        // Another organisation's reviewer does not see it.
        assert!(submissions(&app, "b").await.is_empty());
        let id = item["id"].as_str().unwrap();
        let (s, _) = app
            .get_as(
                &app.token_of("b", Role::RegistrationClerk),
                &format!("/api/v1/submissions/{id}"),
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);

        // The reviewer checks: another person. Registered through the same guard.
        let reviewer = app.token_of("a", Role::Supervisor);
        let mut registration = item["draft"].clone();
        registration["not_duplicates"] = json!({"person_ids": [existing], "reason": "different father's name and village, checked with him"});
        let (s, accepted) = app.post_as(&reviewer, &format!("/api/v1/submissions/{id}/accept"), json!({
        "version": item["version"], "reason": "checked at the desk", "registration": registration
    })).await;
        assert_eq!(s, StatusCode::OK, "{accepted}");
        assert_eq!(accepted["submission"]["status"], "accepted");
        assert_eq!(accepted["household"]["size"], 5);
        assert_eq!(app.count("households").await, 2);
        // Accepted once: a second accept is a conflict.
        let (s, again) = app
            .post_as(
                &reviewer,
                &format!("/api/v1/submissions/{id}/accept"),
                json!({
                    "version": item["version"], "reason": "again"
                }),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{again}");
        assert_eq!(app.count("households").await, 2);

        // An invalid submission waits with the field at fault; a reviewer rejects it, kept.
        let bad = "uuid:66666666-7777-4888-8999-aaaaaaaaaaaa";
        let xml = with_document(
            &level_one_xml(bad, &arrival, "Senait", "Tesfaye", "XYZ"),
            "driving_licence",
            "D-1",
        );
        let (file, bytes) = xml_part(bad, &xml);
        let a = submit(
            &app,
            &clerk("a"),
            &[("xml_submission_file", Some(&file), "text/xml", &bytes)],
        )
        .await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.body);
        assert!(a.body.contains("head.nationalities[0]"), "{}", a.body);
        assert!(a.body.contains("head_document.kind"), "{}", a.body);
        let waiting = {
            let (_, l) = app
                .get_as(
                    &app.token_of("a", Role::RegistrationClerk),
                    "/api/v1/submissions",
                )
                .await;
            l["items"].as_array().unwrap().clone()
        };
        assert_eq!(waiting.len(), 1);
        assert_eq!(waiting[0]["reasons"][0]["field"], "head.nationalities[0]");
        let id = waiting[0]["id"].as_str().unwrap();
        let (s, rejected) = app
            .post_as(
                &reviewer,
                &format!("/api/v1/submissions/{id}/reject"),
                json!({
                    "version": waiting[0]["version"], "reason": "test entry made during training"
                }),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{rejected}");
        assert_eq!(rejected["status"], "rejected");
        assert_eq!(submissions(&app, "a").await.len(), 2);
    }
);
