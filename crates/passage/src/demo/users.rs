//! The demo's organisations and people who use Passage: an administrator named `admin`,
//! and one user per role in each of two organisations, all with the same demo password.

use anyhow::Context;
use passage_domain::access::{OrganisationDetails, OrganisationKind, Principal, Role};
use passage_store::{NewUser, Store};
use time::OffsetDateTime;

use super::code;

/// The password of every demo user. A demo only: real users get their own.
pub(super) const DEMO_PASSWORD: &str = "passage-demo";

/// The two organisations: the task force receiving the sea landing in Aceh, and the
/// office receiving returned workers at Entikong.
pub(super) const ORGANISATIONS: [(&str, &str, OrganisationKind); 2] = [
    (
        "aceh",
        "Aceh Task Force for Foreign Refugees",
        OrganisationKind::GovernmentAuthority,
    ),
    (
        "kalbar",
        "West Kalimantan Migrant Worker Protection Office",
        OrganisationKind::GovernmentAuthority,
    ),
];

/// The users made, and the registration clerk of each organisation to act as.
pub(super) struct Staff {
    pub logins: Vec<String>,
    pub clerks: Vec<Principal>,
    /// Every single-role user, with the index of their organisation in [`ORGANISATIONS`].
    pub people: Vec<(usize, Principal)>,
}

impl Staff {
    /// The user holding `role` in organisation number `org`.
    pub fn of(&self, org: usize, role: Role) -> anyhow::Result<Principal> {
        self.people
            .iter()
            .find(|(o, p)| *o == org && p.roles == [role])
            .map(|(_, p)| p.clone())
            .with_context(|| format!("no {role} in organisation {org}"))
    }
}

/// Creates the organisations and users as the operator.
pub(super) async fn seed(store: &Store, now: OffsetDateTime) -> anyhow::Result<Staff> {
    let operator = Principal::operator(now);
    let hash = passage_server::auth::hash_password(DEMO_PASSWORD)?;
    let mut logins = Vec::new();
    let mut clerks = Vec::new();
    let mut people = Vec::new();
    for (i, (key, name, kind)) in ORGANISATIONS.iter().enumerate() {
        let details = OrganisationDetails {
            name: (*name).to_owned(),
            kind: *kind,
            country: Some(code("IDN")?),
            country_of_origin_authority: false,
        };
        let org = store
            .create_organisation(&operator, details)
            .await
            .context("cannot create an organisation")?;
        let mut staff: Vec<(String, Vec<Role>)> = Role::ALL
            .iter()
            .map(|r| (format!("{}.{key}", r.code()), vec![*r]))
            .collect();
        if i == 0 {
            staff.insert(0, ("admin".to_owned(), vec![Role::Administrator]));
        }
        for (username, roles) in staff {
            let user = store
                .create_user(
                    &operator,
                    NewUser {
                        organisation_id: org.meta.id,
                        username: username.clone(),
                        display_name: username.clone(),
                        password_hash: hash.clone(),
                        roles: roles.clone(),
                    },
                )
                .await
                .context("cannot create a user")?;
            let principal = Principal {
                user_id: Some(user.meta.id),
                at: now,
                name: username.clone(),
                organisation_id: Some(org.meta.id),
                roles: roles.clone(),
                context: Default::default(),
            };
            if roles == [Role::RegistrationClerk] {
                clerks.push(principal.clone());
            }
            people.push((i, principal));
            logins.push(format!("{username:<36} {name}"));
        }
    }
    Ok(Staff {
        logins,
        clerks,
        people,
    })
}
