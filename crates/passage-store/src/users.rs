//! Organisations, users, sessions and API tokens. Secrets are stored only as hashes:
//! argon2id for passwords (hashed by the caller), SHA-256 for session and API tokens.

use passage_domain::access::{
    self, Action, Organisation, OrganisationDetails, Principal, Resource, Role, Scope, User,
};
use passage_domain::error::ValidationErrors;
use passage_domain::record::Meta;
use sqlx::any::AnyRow;
// SQL built at run time is assembled from constant text only; values are always bound.
use sqlx::{AssertSqlSafe, Row};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::Store;
use crate::audit::AuditEntry;
use crate::error::StoreError;
use crate::history;
use crate::scope::require;
use crate::sites::meta;
use crate::sql::{self, ts};

/// What login needs to know about a user.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
    pub failed_logins: i64,
}

/// A live session: who is logged in, the token their forms carry, and the language they
/// picked for the pages (a BCP 47 tag), if they picked one.
#[derive(Debug, Clone)]
pub struct Session {
    pub principal: Principal,
    pub csrf: String,
    pub language: Option<String>,
}

/// A new user: the password already hashed.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub organisation_id: Uuid,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub roles: Vec<Role>,
}

const USER_COLUMNS: &str = "id, organisation_id, username, display_name, password_hash, roles, disabled, \
     failed_logins, locked_until, language, version, created_at, updated_at";

/// The user columns qualified by a table alias, for queries that join `users`.
fn user_columns_of(alias: &str) -> String {
    USER_COLUMNS
        .split(", ")
        .map(|c| format!("{alias}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn decode_user(row: &AnyRow) -> Result<Credentials, StoreError> {
    let locked: Option<String> = row.try_get("locked_until")?;
    Ok(Credentials {
        user: User {
            meta: meta(row)?,
            organisation_id: sql::uuid(&sql::text(row, "organisation_id")?)?,
            username: sql::text(row, "username")?,
            display_name: sql::text(row, "display_name")?,
            roles: access::roles_from_text(&sql::text(row, "roles")?),
            disabled: sql::int(row, "disabled")? != 0,
            locked_until: locked.as_deref().map(sql::parse_ts).transpose()?,
            language: row.try_get("language")?,
        },
        password_hash: sql::text(row, "password_hash")?,
        failed_logins: sql::int(row, "failed_logins")?,
    })
}

fn decode_organisation(row: &AnyRow) -> Result<Organisation, StoreError> {
    let kind = sql::text(row, "kind")?;
    let country: Option<String> = row.try_get("country")?;
    Ok(Organisation {
        meta: meta(row)?,
        details: OrganisationDetails {
            name: sql::text(row, "name")?,
            kind: access::OrganisationKind::from_code(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("organisation kind {kind}")))?,
            country: country
                .map(passage_domain::codes::Country::try_from)
                .transpose()
                .map_err(StoreError::Corrupt)?,
            country_of_origin_authority: sql::int(row, "country_of_origin_authority")? != 0,
        },
    })
}

/// How long a lock lasts, by the number of failures in a row.
fn lock_for(failures: i64) -> Option<time::Duration> {
    match failures {
        ..=4 => None,
        5..=9 => Some(time::Duration::seconds(2 << (failures - 5).min(4))),
        _ => Some(time::Duration::minutes(15)),
    }
}

impl Store {
    pub async fn create_organisation(
        &self,
        p: &Principal,
        details: OrganisationDetails,
    ) -> Result<Organisation, StoreError> {
        require(p, Action::Create, Resource::Organisation)?;
        let org = Organisation {
            meta: Meta {
                id: Uuid::now_v7(),
                version: 1,
                created_at: p.at,
                updated_at: p.at,
            },
            details,
        };
        let audit = vec![AuditEntry::by(
            p,
            Action::Create,
            Resource::Organisation,
            Some(org.meta.id.to_string()),
            serde_json::json!({"name": org.details.name}),
        )];
        self.writer
            .write_audited(org, audit, |c, org| {
                Box::pin(async move {
                    let d = &org.details;
                    let taken = sqlx::query("SELECT id FROM organisations WHERE name = $1")
                        .bind(d.name.clone())
                        .fetch_optional(&mut *c)
                        .await?;
                    if taken.is_some() {
                        return Err(ValidationErrors::one("name", "another organisation has this name").into());
                    }
                    sqlx::query(
                        "INSERT INTO organisations (id, name, kind, country, country_of_origin_authority, version, \
                         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $6)",
                    )
                    .bind(org.meta.id.to_string())
                    .bind(d.name.clone())
                    .bind(d.kind.code().to_owned())
                    .bind(d.country.as_ref().map(|c| c.as_str().to_owned()))
                    .bind(i64::from(d.country_of_origin_authority))
                    .bind(ts(org.meta.created_at))
                    .execute(&mut *c)
                    .await?;
                    history::record(c, "organisation", org.meta.id, "created", 1, org.meta.created_at, &serde_json::to_value(d)?).await?;
                    Ok(org.clone())
                })
            })
            .await
    }

    pub async fn organisations(&self, p: &Principal) -> Result<Vec<Organisation>, StoreError> {
        require(p, Action::Read, Resource::Organisation)?;
        let rows = sqlx::query(
            "SELECT id, name, kind, country, country_of_origin_authority, version, created_at, updated_at \
             FROM organisations ORDER BY name",
        )
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(decode_organisation).collect()
    }

    /// The names of the organisations, for those who record consents: a consent receipt
    /// and a referral name the organisation a person's data goes to.
    pub async fn recipient_names(
        &self,
        p: &Principal,
    ) -> Result<std::collections::HashMap<Uuid, String>, StoreError> {
        require(p, Action::Read, Resource::Consent)?;
        let rows = sqlx::query("SELECT id, name FROM organisations")
            .fetch_all(&self.read)
            .await?;
        rows.iter()
            .map(|r| Ok((sql::uuid(&sql::text(r, "id")?)?, sql::text(r, "name")?)))
            .collect()
    }

    pub async fn organisation_by_name(
        &self,
        p: &Principal,
        name: &str,
    ) -> Result<Option<Organisation>, StoreError> {
        Ok(self
            .organisations(p)
            .await?
            .into_iter()
            .find(|o| o.details.name == name))
    }

    pub async fn create_user(&self, p: &Principal, new: NewUser) -> Result<User, StoreError> {
        // An administrator manages the users of their own organisation only; the operator any.
        if let Scope::Organisation(own) = require(p, Action::Create, Resource::User)?
            && own != new.organisation_id
        {
            return Err(ValidationErrors::one(
                "organisation_id",
                "you may create users in your own organisation only",
            )
            .into());
        }
        let id = Uuid::now_v7();
        let at = p.at;
        let audit = vec![AuditEntry::by(
            p,
            Action::Create,
            Resource::User,
            Some(id.to_string()),
            serde_json::json!({"username": new.username, "roles": new.roles}),
        )];
        self.writer
            .write_audited((id, at, new), audit, |c, (id, at, new)| {
                Box::pin(async move {
                    let org = sqlx::query("SELECT id FROM organisations WHERE id = $1")
                        .bind(new.organisation_id.to_string())
                        .fetch_optional(&mut *c)
                        .await?;
                    if org.is_none() {
                        return Err(ValidationErrors::one("organisation_id", "no such organisation").into());
                    }
                    let taken = sqlx::query("SELECT id FROM users WHERE username = $1")
                        .bind(new.username.clone())
                        .fetch_optional(&mut *c)
                        .await?;
                    if taken.is_some() {
                        return Err(ValidationErrors::one("username", format!("{} is taken", new.username)).into());
                    }
                    sqlx::query(
                        "INSERT INTO users (id, organisation_id, username, display_name, password_hash, roles, disabled, \
                         failed_logins, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 0, 0, 1, $7, $7)",
                    )
                    .bind(id.to_string())
                    .bind(new.organisation_id.to_string())
                    .bind(new.username.clone())
                    .bind(new.display_name.clone())
                    .bind(new.password_hash.clone())
                    .bind(access::roles_to_text(&new.roles))
                    .bind(ts(*at))
                    .execute(&mut *c)
                    .await?;
                    let detail = serde_json::json!({ "username": new.username, "roles": new.roles, "organisation_id": new.organisation_id });
                    history::record(c, "user", *id, "created", 1, *at, &detail).await?;
                    Ok(User {
                        meta: Meta { id: *id, version: 1, created_at: *at, updated_at: *at },
                        organisation_id: new.organisation_id,
                        username: new.username.clone(),
                        display_name: new.display_name.clone(),
                        roles: new.roles.clone(),
                        disabled: false,
                        locked_until: None,
                        language: None,
                    })
                })
            })
            .await
    }

    pub async fn users(&self, p: &Principal) -> Result<Vec<User>, StoreError> {
        let scope = require(p, Action::Read, Resource::User)?;
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY username");
        let rows = sqlx::query(AssertSqlSafe(sql))
            .fetch_all(&self.read)
            .await?;
        let users = rows.iter().map(|r| decode_user(r).map(|c| c.user));
        // Users of other organisations are not listed: their names and roles are theirs.
        users
            .filter(|u| match (scope, u) {
                (Scope::Organisation(own), Ok(u)) => u.organisation_id == own,
                _ => true,
            })
            .collect()
    }

    /// The credentials of a user, for login only.
    pub async fn credentials(&self, username: &str) -> Result<Option<Credentials>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE username = $1");
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(username.to_owned())
            .fetch_optional(&self.read)
            .await?;
        row.as_ref().map(decode_user).transpose()
    }

    /// Counts a failed login; after five in a row the account locks for a growing while,
    /// after ten for fifteen minutes. Returns the lock's end, if any.
    pub async fn login_failed(
        &self,
        user_id: Uuid,
        at: OffsetDateTime,
    ) -> Result<Option<OffsetDateTime>, StoreError> {
        self.writer
            .write((user_id, at), |c, (user_id, at)| {
                Box::pin(async move {
                    let failures: i64 = sqlx::query_scalar(
                        "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins",
                    )
                    .bind(user_id.to_string())
                    .fetch_one(&mut *c)
                    .await?;
                    let until = lock_for(failures).map(|d| *at + d);
                    sqlx::query("UPDATE users SET locked_until = $1 WHERE id = $2")
                        .bind(until.map(ts))
                        .bind(user_id.to_string())
                        .execute(&mut *c)
                        .await?;
                    Ok(until)
                })
            })
            .await
    }

    /// Clears the failure count after a correct password sent without a session (a
    /// device's Basic authentication).
    pub async fn password_accepted(&self, user_id: Uuid) -> Result<(), StoreError> {
        self.writer
            .write(user_id, |c, user_id| {
                Box::pin(async move {
                    sqlx::query(
                        "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1",
                    )
                    .bind(user_id.to_string())
                    .execute(&mut *c)
                    .await?;
                    Ok(())
                })
            })
            .await
    }

    /// Clears the failure count after a successful login and opens a session.
    pub async fn login_succeeded(
        &self,
        user_id: Uuid,
        token_hash: String,
        csrf_token: String,
        at: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        self.writer
            .write((user_id, token_hash, csrf_token, at, expires_at), |c, (user_id, token_hash, csrf, at, expires)| {
                Box::pin(async move {
                    sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
                        .bind(user_id.to_string())
                        .execute(&mut *c)
                        .await?;
                    sqlx::query(
                        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) \
                         VALUES ($1, $2, $3, $4, $4, $5)",
                    )
                    .bind(token_hash.clone())
                    .bind(user_id.to_string())
                    .bind(csrf.clone())
                    .bind(ts(*at))
                    .bind(ts(*expires))
                    .execute(&mut *c)
                    .await?;
                    Ok(())
                })
            })
            .await
    }

    /// The principal of a live session, its CSRF token and the user's language. A session
    /// ends at its absolute expiry or after `idle` without use; seeing it refreshes its
    /// idle clock.
    pub async fn session(
        &self,
        token_hash: &str,
        at: OffsetDateTime,
        idle: time::Duration,
    ) -> Result<Option<Session>, StoreError> {
        let sql = format!(
            "SELECT s.csrf_token, s.last_seen_at, s.expires_at, {} FROM sessions s \
             JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
            user_columns_of("u")
        );
        let Some(row) = sqlx::query(AssertSqlSafe(sql))
            .bind(token_hash.to_owned())
            .fetch_optional(&self.read)
            .await?
        else {
            return Ok(None);
        };
        let last_seen = sql::parse_ts(&sql::text(&row, "last_seen_at")?)?;
        let expires = sql::parse_ts(&sql::text(&row, "expires_at")?)?;
        let creds = decode_user(&row)?;
        if at >= expires || at - last_seen > idle || creds.user.disabled {
            return Ok(None);
        }
        if at - last_seen > time::Duration::minutes(1) {
            self.writer
                .write((token_hash.to_owned(), at), |c, (hash, at)| {
                    Box::pin(async move {
                        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                            .bind(ts(*at))
                            .bind(hash.clone())
                            .execute(&mut *c)
                            .await?;
                        Ok(())
                    })
                })
                .await?;
        }
        Ok(Some(Session {
            principal: principal(&creds.user, creds.user.roles.clone(), at),
            csrf: sql::text(&row, "csrf_token")?,
            language: creds.user.language.clone(),
        }))
    }

    /// Keeps the language `p` picked for the pages (a BCP 47 tag such as `zh-CN`) with
    /// their user, so that it follows them to any browser. A user sets only their own;
    /// the local operator has none.
    pub async fn set_user_language(&self, p: &Principal, tag: &str) -> Result<(), StoreError> {
        let Some(user_id) = p.user_id else {
            return Err(StoreError::Refused(
                "only a user has a language of the pages".into(),
            ));
        };
        let tag = tag.trim();
        let well_formed = !tag.is_empty()
            && tag.len() <= 35
            && tag.split('-').all(|part| {
                (1..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric())
            });
        if !well_formed {
            return Err(ValidationErrors::one(
                "language",
                "a language tag such as en, zh-CN or ar",
            )
            .into());
        }
        self.writer
            .write((user_id, tag.to_owned()), |c, (user_id, tag)| {
                Box::pin(async move {
                    sqlx::query("UPDATE users SET language = $1 WHERE id = $2")
                        .bind(tag.clone())
                        .bind(user_id.to_string())
                        .execute(&mut *c)
                        .await?;
                    Ok(())
                })
            })
            .await
    }

    pub async fn end_session(&self, token_hash: &str) -> Result<(), StoreError> {
        self.writer
            .write(token_hash.to_owned(), |c, hash| {
                Box::pin(async move {
                    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                        .bind(hash.clone())
                        .execute(&mut *c)
                        .await?;
                    Ok(())
                })
            })
            .await
    }

    /// Records an API token for a user, scoped to `roles` (which must be the user's own).
    pub async fn create_token(
        &self,
        username: &str,
        name: &str,
        token_hash: String,
        roles: Option<Vec<Role>>,
        expires_at: OffsetDateTime,
        at: OffsetDateTime,
    ) -> Result<Uuid, StoreError> {
        let creds = self
            .credentials(username)
            .await?
            .ok_or_else(|| ValidationErrors::one("username", format!("no user {username}")))?;
        let roles = roles.unwrap_or_else(|| creds.user.roles.clone());
        if let Some(r) = roles.iter().find(|r| !creds.user.roles.contains(r)) {
            return Err(ValidationErrors::one(
                "roles",
                format!("{username} does not hold the role {r}"),
            )
            .into());
        }
        let id = Uuid::now_v7();
        let input = (
            id,
            creds.user.meta.id,
            name.to_owned(),
            token_hash,
            access::roles_to_text(&roles),
            expires_at,
            at,
        );
        self.writer
            .write(input, |c, (id, user, name, hash, roles, expires, at)| {
                Box::pin(async move {
                    sqlx::query(
                        "INSERT INTO api_tokens (id, user_id, name, token_hash, roles, expires_at, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(id.to_string())
                    .bind(user.to_string())
                    .bind(name.clone())
                    .bind(hash.clone())
                    .bind(roles.clone())
                    .bind(ts(*expires))
                    .bind(ts(*at))
                    .execute(&mut *c)
                    .await?;
                    Ok(*id)
                })
            })
            .await
    }

    /// The principal of a live API token: the user's roles narrowed to the token's scope.
    pub async fn token(
        &self,
        token_hash: &str,
        at: OffsetDateTime,
    ) -> Result<Option<Principal>, StoreError> {
        let sql = format!(
            "SELECT t.roles AS token_roles, t.expires_at, t.revoked_at, {} FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1",
            user_columns_of("u")
        );
        let Some(row) = sqlx::query(AssertSqlSafe(sql))
            .bind(token_hash.to_owned())
            .fetch_optional(&self.read)
            .await?
        else {
            return Ok(None);
        };
        let revoked: Option<String> = row.try_get("revoked_at")?;
        let expires = sql::parse_ts(&sql::text(&row, "expires_at")?)?;
        let creds = decode_user(&row)?;
        if revoked.is_some() || at >= expires || creds.user.disabled {
            return Ok(None);
        }
        let scope = access::roles_from_text(&sql::text(&row, "token_roles")?);
        let roles = creds
            .user
            .roles
            .iter()
            .copied()
            .filter(|r| scope.contains(r))
            .collect();
        Ok(Some(principal(&creds.user, roles, at)))
    }

    pub async fn revoke_token(&self, id: Uuid, at: OffsetDateTime) -> Result<(), StoreError> {
        self.writer
            .write((id, at), |c, (id, at)| {
                Box::pin(async move {
                    let done = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                        .bind(ts(*at))
                        .bind(id.to_string())
                        .execute(&mut *c)
                        .await?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound { entity: "api token", id: *id });
                    }
                    Ok(())
                })
            })
            .await
    }

    /// Disables or re-enables a user; a disabled user's sessions and tokens stop working.
    pub async fn set_user_disabled(
        &self,
        p: &Principal,
        username: &str,
        disabled: bool,
    ) -> Result<(), StoreError> {
        let scope = require(p, Action::Update, Resource::User)?;
        self.update_user(username, p.at, scope, UserChange::Disabled(disabled))
            .await
    }

    /// Sets a new password hash and ends the user's sessions.
    pub async fn set_password(
        &self,
        p: &Principal,
        username: &str,
        password_hash: String,
    ) -> Result<(), StoreError> {
        let scope = require(p, Action::Update, Resource::User)?;
        self.update_user(username, p.at, scope, UserChange::Password(password_hash))
            .await
    }

    async fn update_user(
        &self,
        username: &str,
        at: OffsetDateTime,
        scope: Scope,
        change: UserChange,
    ) -> Result<(), StoreError> {
        self.writer
            .write((username.to_owned(), at, scope, change), |c, (username, at, scope, change)| {
                Box::pin(async move {
                    let row = sqlx::query("SELECT id, organisation_id FROM users WHERE username = $1")
                        .bind(username.clone())
                        .fetch_optional(&mut *c)
                        .await?;
                    let no_user = || ValidationErrors::one("username", format!("no user {username}"));
                    let row = row.ok_or_else(no_user)?;
                    let id = sql::text(&row, "id")?;
                    // Users of another organisation answer as unknown ones.
                    if let Scope::Organisation(own) = scope
                        && sql::text(&row, "organisation_id")? != own.to_string()
                    {
                        return Err(no_user().into());
                    }
                    let action = match change {
                        UserChange::Disabled(d) => {
                            sqlx::query("UPDATE users SET disabled = $1, version = version + 1, updated_at = $2 WHERE id = $3")
                                .bind(i64::from(*d))
                                .bind(ts(*at))
                                .bind(id.clone())
                                .execute(&mut *c)
                                .await?;
                            if *d { "disabled" } else { "enabled" }
                        }
                        UserChange::Password(h) => {
                            sqlx::query(
                                "UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = NULL, \
                                 version = version + 1, updated_at = $2 WHERE id = $3",
                            )
                            .bind(h.clone())
                            .bind(ts(*at))
                            .bind(id.clone())
                            .execute(&mut *c)
                            .await?;
                            "password_reset"
                        }
                    };
                    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id.clone()).execute(&mut *c).await?;
                    history::record(c, "user", sql::uuid(&id)?, action, 0, *at, &serde_json::json!({})).await?;
                    Ok(())
                })
            })
            .await
    }
}

#[derive(Debug, Clone)]
enum UserChange {
    Disabled(bool),
    Password(String),
}

fn principal(user: &User, roles: Vec<Role>, at: OffsetDateTime) -> Principal {
    Principal {
        user_id: Some(user.meta.id),
        at,
        name: user.username.clone(),
        organisation_id: Some(user.organisation_id),
        roles,
        context: Default::default(),
    }
}
