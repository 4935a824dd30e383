//! `passage init`, `passage users …` and `passage roles`: people and machines that use
//! Passage, managed from the command line (which holds the database credentials).

use anyhow::{Context, bail};
use clap::Subcommand;
use passage_domain::access::{self, OrganisationDetails, OrganisationKind, Principal, Role};
use passage_server::auth;
use passage_store::{NewUser, Store};
use time::OffsetDateTime;

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Create a user; prints the first password.
    Add {
        username: String,
        /// Name of the user's organisation (see `passage users orgs`).
        #[arg(long)]
        organisation: String,
        /// Roles, comma-separated (see `passage roles`).
        #[arg(long, value_delimiter = ',', required = true)]
        roles: Vec<String>,
        #[arg(long)]
        display_name: Option<String>,
    },
    /// List users with their organisation, roles and state.
    List,
    /// List organisations.
    Orgs,
    /// Stop a user from logging in or using tokens.
    Disable { username: String },
    /// Let a disabled user in again.
    Enable { username: String },
    /// Set a new password (printed) and end the user's sessions.
    ResetPassword { username: String },
    /// Print a new API token for a user on standard output (shown once, stored hashed).
    Token {
        username: String,
        /// Narrow the token to some of the user's roles, comma-separated.
        #[arg(long, value_delimiter = ',')]
        roles: Option<Vec<String>>,
        /// Days until the token expires.
        #[arg(long, default_value_t = 90)]
        days: i64,
        /// A label to recognise the token by.
        #[arg(long, default_value = "cli")]
        name: String,
    },
    /// Revoke an API token by its id.
    RevokeToken { id: uuid::Uuid },
}

fn parse_roles(codes: &[String]) -> anyhow::Result<Vec<Role>> {
    codes
        .iter()
        .map(|c| {
            Role::from_code(c.trim())
                .with_context(|| format!("unknown role {c}; see `passage roles`"))
        })
        .collect()
}

/// A readable random password of 20 characters.
fn new_password() -> anyhow::Result<String> {
    let secret = auth::new_secret("")?;
    Ok(secret.chars().take(20).collect())
}

pub async fn run(store: &Store, command: UsersCommand) -> anyhow::Result<()> {
    let now = OffsetDateTime::now_utc();
    let operator = Principal::operator(now);
    match command {
        UsersCommand::Add {
            username,
            organisation,
            roles,
            display_name,
        } => {
            let org = store
                .organisation_by_name(&operator, &organisation)
                .await?
                .with_context(|| format!("no organisation named {organisation}"))?;
            let password = new_password()?;
            let new = NewUser {
                organisation_id: org.meta.id,
                display_name: display_name.unwrap_or_else(|| username.clone()),
                username,
                password_hash: auth::hash_password(&password)?,
                roles: parse_roles(&roles)?,
            };
            let user = store.create_user(&operator, new).await?;
            println!(
                "created {} in {}; password: {password}",
                user.username, org.details.name
            );
        }
        UsersCommand::List => {
            let orgs = store.organisations(&operator).await?;
            for u in store.users(&operator).await? {
                let org = orgs
                    .iter()
                    .find(|o| o.meta.id == u.organisation_id)
                    .map_or("?", |o| o.details.name.as_str());
                let state = if u.disabled { "disabled" } else { "active" };
                println!(
                    "{:<32} {:<9} {:<40} {}",
                    u.username,
                    state,
                    org,
                    access::roles_to_text(&u.roles)
                );
            }
        }
        UsersCommand::Orgs => {
            for o in store.organisations(&operator).await? {
                println!("{:<48} {}", o.details.name, o.details.kind.code());
            }
        }
        UsersCommand::Disable { username } => {
            store.set_user_disabled(&operator, &username, true).await?;
            println!("{username} disabled");
        }
        UsersCommand::Enable { username } => {
            store.set_user_disabled(&operator, &username, false).await?;
            println!("{username} enabled");
        }
        UsersCommand::ResetPassword { username } => {
            let password = new_password()?;
            store
                .set_password(&operator, &username, auth::hash_password(&password)?)
                .await?;
            println!("new password for {username}: {password}");
        }
        UsersCommand::Token {
            username,
            roles,
            days,
            name,
        } => {
            if days < 1 {
                bail!("--days must be at least 1");
            }
            let roles = roles.as_deref().map(parse_roles).transpose()?;
            let token = auth::new_secret("psg_")?;
            let id = store
                .create_token(
                    &username,
                    &name,
                    auth::digest(&token),
                    roles,
                    now + time::Duration::days(days),
                    now,
                )
                .await?;
            eprintln!("token {id} for {username}, expires in {days} days; it is shown only once:");
            println!("{token}");
        }
        UsersCommand::RevokeToken { id } => {
            store.revoke_token(id, now).await?;
            println!("token {id} revoked");
        }
    }
    Ok(())
}

/// `passage init`: the first organisation and its administrator, in an empty database.
pub async fn init(
    store: &Store,
    organisation: &str,
    kind: OrganisationKind,
    username: &str,
) -> anyhow::Result<()> {
    let operator = Principal::operator(OffsetDateTime::now_utc());
    if !store.users(&operator).await?.is_empty() {
        bail!("this database already has users; use `passage users add`");
    }
    let details = OrganisationDetails {
        name: organisation.to_owned(),
        kind,
        country: None,
        country_of_origin_authority: false,
    };
    let org = store.create_organisation(&operator, details).await?;
    let password = new_password()?;
    let new = NewUser {
        organisation_id: org.meta.id,
        username: username.to_owned(),
        display_name: username.to_owned(),
        password_hash: auth::hash_password(&password)?,
        roles: vec![Role::Administrator],
    };
    store.create_user(&operator, new).await?;
    println!("created {organisation} and its administrator {username}; password: {password}");
    Ok(())
}
