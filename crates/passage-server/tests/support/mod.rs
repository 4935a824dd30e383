//! A real router on a real database, with two organisations and one user of each role in
//! each, each holding an API token.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]

pub mod access;
pub mod data_protection;
pub mod openrosa;

use std::collections::HashMap;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use passage_domain::access::{OrganisationDetails, OrganisationKind, Principal, Role};
use passage_server::auth::{self, AuthConfig};
use passage_server::{AppState, Clock};
use passage_store::testing::TestDb;
use passage_store::{NewUser, Store};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::macros::datetime;
use tower::ServiceExt;

/// Runs `test` on every database.
macro_rules! on_every_backend {
    ($name:ident, $body:expr) => {
        #[tokio::test]
        async fn $name() {
            for db in passage_store::testing::all().await {
                let backend = db.backend;
                eprintln!("{}: {backend}", stringify!($name));
                let app = $crate::support::App::start(db).await;
                let run: fn(
                    $crate::support::App,
                )
                    -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> =
                    |app| Box::pin($body(app));
                run(app).await;
            }
        }
    };
}

/// The head of a household nobody registered before in this process: tests that
/// register many households need different people, since registering the same person
/// twice is a likely duplicate, refused until decided.
pub fn distinct_head() -> Value {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    const GIVEN: [&str; 8] = [
        "Rashida", "Zubair", "Aung", "Senait", "Farida", "Idris", "Halima", "Tariq",
    ];
    const SYLLABLES: [&str; 12] = [
        "ka", "ri", "mo", "su", "ne", "ta", "lo", "bi", "de", "fu", "ga", "ho",
    ];
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let family: String = [n / 8 % 12, n / 96 % 12, n / 1152 % 12]
        .iter()
        .map(|&i| SYLLABLES[i])
        .collect();
    json!({
        "given_name": GIVEN[n % 8], "family_name": family, "sex": "M",
        "date_of_birth": {"date": format!("{}-01-01", 1950 + n % 50), "precision": "year_only"},
        "nationalities": ["stateless"], "languages": ["rhg"]
    })
}

/// The ICAO 9303 TD3 specimen (Anna Maria Eriksson, Utopia).
pub const SPECIMEN_TD3: &str =
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";

/// A level-1 household of five headed by Mohammed Ayub, stateless, born 1988.
pub fn level_one(arrival_id: &str) -> Value {
    json!({
        "arrival_id": arrival_id,
        "size": 5,
        "breakdown": {"f_18_59": 1, "m_18_59": 1, "f_5_11": 1, "m_0_4": 2},
        "head": {"given_name": "Mohammed", "family_name": "Ayub", "sex": "M",
                 "original_name": {"text": "محمد ایوب", "script": "Arab"},
                 "date_of_birth": {"date": "1988-01-01", "precision": "year_only"},
                 "nationalities": ["stateless"], "languages": ["rhg"]}
    })
}

pub const NOW: OffsetDateTime = datetime!(2026-11-27 10:00 UTC);
pub const PASSWORD: &str = "a long test password";

pub struct App {
    pub router: Router,
    /// The state the router serves, for tests that call the server's functions directly.
    pub state: AppState,
    pub store: Store,
    pub matcher: std::sync::Arc<passage_server::matcher::Matcher>,
    /// API tokens by organisation ("a" or "b") and role.
    pub tokens: HashMap<(&'static str, Role), String>,
    pub organisations: HashMap<&'static str, uuid::Uuid>,
    /// The token every helper request carries unless told otherwise.
    pub token: String,
    _db: TestDb,
}

impl App {
    pub async fn start(db: TestDb) -> Self {
        Self::start_at(db, Clock::fixed(NOW)).await
    }

    pub async fn start_at(db: TestDb, clock: Clock) -> Self {
        let store = Store::open(&db.url).await.expect("open store");
        let operator = Principal::operator(NOW);
        let hash = auth::hash_password(PASSWORD).unwrap();
        let mut tokens = HashMap::new();
        let mut organisations = HashMap::new();
        for org in ["a", "b"] {
            let details = OrganisationDetails {
                name: format!("Organisation {org}"),
                kind: OrganisationKind::Ngo,
                country: None,
                country_of_origin_authority: false,
            };
            let o = store.create_organisation(&operator, details).await.unwrap();
            organisations.insert(org, o.meta.id);
            for role in Role::ALL {
                let username = format!("{}.{org}", role.code());
                let new = NewUser {
                    organisation_id: o.meta.id,
                    username: username.clone(),
                    display_name: username.clone(),
                    password_hash: hash.clone(),
                    roles: vec![role],
                };
                store.create_user(&operator, new).await.unwrap();
                let token = auth::new_secret("psg_").unwrap();
                store
                    .create_token(
                        &username,
                        "test",
                        auth::digest(&token),
                        None,
                        NOW + time::Duration::days(1),
                        NOW,
                    )
                    .await
                    .unwrap();
                tokens.insert((org, role), token);
            }
        }
        let matcher = std::sync::Arc::new(
            passage_server::matcher::Matcher::load(&store)
                .await
                .unwrap(),
        );
        let state = AppState {
            store: store.clone(),
            clock,
            auth: AuthConfig::default(),
            throttle: Default::default(),
            matcher: matcher.clone(),
            population: Default::default(),
        };
        let token = tokens[&("a", Role::Supervisor)].clone();
        Self {
            router: passage_server::router(state.clone()),
            state,
            store,
            matcher,
            tokens,
            organisations,
            token,
            _db: db,
        }
    }

    /// A token of a further user of `org` holding `role`, named `username`: for rules that
    /// need two different people with the same role (four eyes).
    pub async fn another_user(&self, org: &'static str, role: Role, username: &str) -> String {
        let operator = Principal::operator(NOW);
        let new = NewUser {
            organisation_id: self.organisations[org],
            username: username.to_owned(),
            display_name: username.to_owned(),
            password_hash: auth::hash_password(PASSWORD).unwrap(),
            roles: vec![role],
        };
        self.store.create_user(&operator, new).await.unwrap();
        let token = auth::new_secret("psg_").unwrap();
        self.store
            .create_token(
                username,
                "test",
                auth::digest(&token),
                None,
                NOW + time::Duration::days(1),
                NOW,
            )
            .await
            .unwrap();
        token
    }

    /// The same application acting as another user.
    pub fn token_of(&self, org: &'static str, role: Role) -> String {
        self.tokens[&(org, role)].clone()
    }

    pub async fn request(&self, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Value) {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            headers,
            // JSON as parsed; anything else (CSV, SVG) as its text.
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned())),
        )
    }

    pub async fn send_as(
        &self,
        token: Option<&str>,
        method: Method,
        path: &str,
        body: Option<String>,
        content_type: &str,
    ) -> (StatusCode, String, Value) {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        if body.is_some() {
            req = req.header(header::CONTENT_TYPE, content_type);
        }
        let req = req
            .body(body.map(Body::from).unwrap_or_else(Body::empty))
            .unwrap();
        let (status, headers, value) = self.request(req).await;
        let ctype = headers
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (status, ctype, value)
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
        content_type: &str,
    ) -> (StatusCode, String, Value) {
        self.send_as(Some(&self.token), method, path, body, content_type)
            .await
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        let (s, _, v) = self.send(Method::GET, path, None, "").await;
        (s, v)
    }

    pub async fn get_as(&self, token: &str, path: &str) -> (StatusCode, Value) {
        let (s, _, v) = self.send_as(Some(token), Method::GET, path, None, "").await;
        (s, v)
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let (s, _, v) = self
            .send(
                Method::POST,
                path,
                Some(body.to_string()),
                "application/json",
            )
            .await;
        (s, v)
    }

    pub async fn post_as(&self, token: &str, path: &str, body: Value) -> (StatusCode, Value) {
        let (s, _, v) = self
            .send_as(
                Some(token),
                Method::POST,
                path,
                Some(body.to_string()),
                "application/json",
            )
            .await;
        (s, v)
    }

    pub async fn patch(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let (s, _, v) = self
            .send(
                Method::PATCH,
                path,
                Some(body.to_string()),
                "application/json",
            )
            .await;
        (s, v)
    }

    /// A landing point and a sea arrival there; returns the arrival id.
    pub async fn arrival(&self) -> String {
        let (s, site) = self
            .post(
                "/api/v1/sites",
                json!({"code": "PDE", "name": "Ujong Pie beach", "kind": "landing_point", "country": "IDN",
                       "admin_pcode": "ID1107", "coordinates": {"latitude": 5.43, "longitude": 95.98}}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{site}");
        let (s, arrival) = self
            .post(
                "/api/v1/arrivals",
                json!({"site_id": site["id"], "mode": "sea", "arrived_at": "2026-11-26T02:40:00+07:00",
                       "route": "Andaman Sea", "origin_country": "BGD", "persons_reported": 612}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{arrival}");
        arrival["id"].as_str().unwrap().to_owned()
    }

    pub async fn count(&self, table: &str) -> i64 {
        let (_, page) = self.get(&format!("/api/v1/{table}?limit=500")).await;
        page["items"].as_array().unwrap().len() as i64
    }
}
