//! The audit log: who read or changed which record, when, for what purpose, from where.
//!
//! Tamper-evident by a hash chain. Each entry stores the SHA-256 of its own content
//! together with the hash of the entry before it (`prev_hash`); the first entry's
//! `prev_hash` is the genesis hash, 64 zeros. The one-row table `audit_head` holds the last
//! seq handed out and the hash of that entry. Appenders take `audit_head` with an
//! `UPDATE … RETURNING` in their own transaction, so on PostgreSQL the row lock serialises
//! appenders of every process sharing the database until they commit, and the chain stays
//! one chain. Seqs are handed out by Passage, never by the database, so a gap is a deletion.
//!
//! [`Store::verify_audit`] walks the log in seq order and recomputes every hash. What it
//! can prove: an entry changed without its hash being recomputed (edited), a gap (deleted),
//! an entry that hashes correctly but is not linked where it stands (inserted or replaced),
//! a genuine entry moved to another seq (reordered), and a log whose end disagrees with its
//! head (entries deleted or added at the end). What it cannot: the hash is not keyed, so
//! someone who rewrites every entry from some point on *and* the head leaves a consistent
//! chain; publishing the head hash elsewhere from time to time closes that gap.
//!
//! # Hash
//!
//! `hash = lowercase hex of SHA-256(F("passage-audit-v1") ‖ F(seq) ‖ F(at) ‖ F(actor_id) ‖
//! F(actor) ‖ F(organisation_id) ‖ F(role) ‖ F(action) ‖ F(entity) ‖ F(entity_id) ‖
//! F(purpose) ‖ F(request_id) ‖ F(client) ‖ F(detail) ‖ F(prev_hash))`, where for a value
//! present `F(s) = 0x01 ‖ len(s) as 8 bytes big-endian ‖ UTF-8 bytes of s`, and for an
//! absent (NULL) value `F = 0x00`. Every value is hashed as the exact text stored in its
//! column: `seq` in decimal, `at` as [`crate::sql::ts`] writes it (UTC, microseconds), ids
//! as hyphenated lowercase UUIDs, `detail` as compact JSON, `prev_hash` as lowercase hex.
//! Each field announces its own length, so no two different entries encode alike.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::error::StoreError;
use crate::sql::{self, Arg, Builder};
use crate::{Backend, Store};

/// The `prev_hash` of the first entry, and the head's hash while the log is empty.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Marks the encoding, so that a later change of format cannot collide with this one.
const FORMAT: &str = "passage-audit-v1";

/// Rows per INSERT statement: 15 values each (see [`crate::sql::MAX_PARAMS`]).
const INSERT_ROWS: usize = crate::sql::rows_per_statement(15);

/// Rows per page while verifying, so that millions of entries never sit in memory at once.
const VERIFY_PAGE: i64 = 10_000;

/// Most problems a report lists.
pub const MAX_PROBLEMS: usize = 100;

/// Most suspect entries and broken links kept while walking, before telling them apart.
const MAX_SUSPECTS: usize = 1000;

const COLUMNS: &str = "seq, at, actor_id, actor, organisation_id, role, action, entity, \
     entity_id, purpose, request_id, client, detail, prev_hash, hash";

/// One audited event: someone read, created, changed, exported … something.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AuditEntry {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// The user, when a user acted.
    pub actor_id: Option<Uuid>,
    /// The user's name, or `system`.
    pub actor: String,
    pub organisation_id: Option<Uuid>,
    pub role: Option<String>,
    /// What was done: `read`, `create`, `update`, `login`, `export`, …
    pub action: String,
    /// What kind of record: `person`, `household`, …
    pub entity: String,
    pub entity_id: Option<String>,
    /// Why, when the actor had to say (e.g. for reading a protected record).
    pub purpose: Option<String>,
    pub request_id: Option<String>,
    /// The client's address.
    pub client: Option<String>,
    pub detail: serde_json::Value,
}

impl AuditEntry {
    /// What `p` did: `action` on the `entity` record `entity_id`, with the role that
    /// allowed it and the request's purpose, id and client address.
    pub fn by(
        p: &passage_domain::access::Principal,
        action: passage_domain::access::Action,
        resource: passage_domain::access::Resource,
        entity_id: Option<String>,
        detail: serde_json::Value,
    ) -> Self {
        Self {
            at: p.at,
            actor_id: p.user_id,
            actor: p.name.clone(),
            organisation_id: p.organisation_id,
            role: p.acting_role(action, resource).map(|r| r.code().to_owned()),
            action: action.code().to_owned(),
            entity: resource.code().to_owned(),
            entity_id,
            purpose: p.context.purpose.clone(),
            request_id: p.context.request_id.clone(),
            client: p.context.client.clone(),
            detail,
        }
    }

    /// The hash this entry gets at `seq` after the entry whose hash is `prev_hash`, as
    /// described in the module documentation. `at` counts to the microsecond, as stored.
    pub fn chain_hash(&self, seq: i64, prev_hash: &str) -> String {
        self.stored(seq, prev_hash.to_owned()).expected_hash(seq)
    }

    /// The entry as its row stores it, with `hash` computed.
    fn stored(&self, seq: i64, prev_hash: String) -> Stored {
        let mut row = Stored {
            seq,
            readable: true,
            at: sql::ts(self.at),
            actor_id: self.actor_id.map(|u| u.to_string()),
            actor: self.actor.clone(),
            organisation_id: self.organisation_id.map(|u| u.to_string()),
            role: self.role.clone(),
            action: self.action.clone(),
            entity: self.entity.clone(),
            entity_id: self.entity_id.clone(),
            purpose: self.purpose.clone(),
            request_id: self.request_id.clone(),
            client: self.client.clone(),
            detail: self.detail.to_string(),
            prev_hash,
            hash: String::new(),
        };
        row.hash = row.expected_hash(seq);
        row
    }
}

/// An audit row as stored: every value as the text of its column.
#[derive(Debug, Clone, Default)]
struct Stored {
    seq: i64,
    /// False when a column could not be read as text (changed outside Passage).
    readable: bool,
    at: String,
    actor_id: Option<String>,
    actor: String,
    organisation_id: Option<String>,
    role: Option<String>,
    action: String,
    entity: String,
    entity_id: Option<String>,
    purpose: Option<String>,
    request_id: Option<String>,
    client: Option<String>,
    detail: String,
    prev_hash: String,
    hash: String,
}

impl Stored {
    /// Reads a row; an error only when even its seq cannot be read.
    fn read(row: &AnyRow) -> Result<Self, StoreError> {
        let seq = sql::int(row, "seq")?;
        let text = |col: &str| row.try_get::<String, _>(col).ok();
        match Self::read_all(row, seq) {
            Some(s) => Ok(s),
            None => Ok(Self {
                seq,
                readable: false,
                prev_hash: text("prev_hash").unwrap_or_default(),
                hash: text("hash").unwrap_or_default(),
                ..Self::default()
            }),
        }
    }

    fn read_all(row: &AnyRow, seq: i64) -> Option<Self> {
        let text = |col: &str| row.try_get::<String, _>(col).ok();
        let opt = |col: &str| row.try_get::<Option<String>, _>(col).ok();
        Some(Self {
            seq,
            readable: true,
            at: text("at")?,
            actor_id: opt("actor_id")?,
            actor: text("actor")?,
            organisation_id: opt("organisation_id")?,
            role: opt("role")?,
            action: text("action")?,
            entity: text("entity")?,
            entity_id: opt("entity_id")?,
            purpose: opt("purpose")?,
            request_id: opt("request_id")?,
            client: opt("client")?,
            detail: text("detail")?,
            prev_hash: text("prev_hash")?,
            hash: text("hash")?,
        })
    }

    /// The hash of this content placed at `seq`.
    fn expected_hash(&self, seq: i64) -> String {
        let mut h = Sha256::new();
        let mut field = |v: Option<&str>| match v {
            None => h.update([0u8]),
            Some(s) => {
                h.update([1u8]);
                h.update((s.len() as u64).to_be_bytes());
                h.update(s.as_bytes());
            }
        };
        field(Some(FORMAT));
        field(Some(&seq.to_string()));
        field(Some(&self.at));
        field(self.actor_id.as_deref());
        field(Some(&self.actor));
        field(self.organisation_id.as_deref());
        field(self.role.as_deref());
        field(Some(&self.action));
        field(Some(&self.entity));
        field(self.entity_id.as_deref());
        field(self.purpose.as_deref());
        field(self.request_id.as_deref());
        field(self.client.as_deref());
        field(Some(&self.detail));
        field(Some(&self.prev_hash));
        hex(&h.finalize())
    }

    /// True when the content hashes to the stored hash at the stored seq.
    fn intact(&self) -> bool {
        self.readable && self.expected_hash(self.seq) == self.hash
    }

    fn args(self) -> [Arg; 15] {
        [
            Arg::Int(self.seq),
            Arg::Text(self.at),
            Arg::OptText(self.actor_id),
            Arg::Text(self.actor),
            Arg::OptText(self.organisation_id),
            Arg::OptText(self.role),
            Arg::Text(self.action),
            Arg::Text(self.entity),
            Arg::OptText(self.entity_id),
            Arg::OptText(self.purpose),
            Arg::OptText(self.request_id),
            Arg::OptText(self.client),
            Arg::Text(self.detail),
            Arg::Text(self.prev_hash),
            Arg::Text(self.hash),
        ]
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}

/// Appends entries in the caller's transaction, chaining each to the one before.
///
/// Takes the head first (`UPDATE … RETURNING`): on PostgreSQL its row lock holds every
/// other appender, in this process or another, until the caller's transaction ends.
pub(crate) async fn append(
    conn: &mut AnyConnection,
    entries: &[AuditEntry],
) -> Result<(), StoreError> {
    if entries.is_empty() {
        return Ok(());
    }
    let n = i64::try_from(entries.len())
        .map_err(|_| StoreError::Database("too many audit entries at once".into()))?;
    let head = sqlx::query("UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash")
        .bind(n)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::Corrupt("audit head (the row is missing)".into()))?;
    let last = sql::int(&head, "seq")?;
    let mut prev = sql::text(&head, "hash")?;
    let mut rows = Vec::with_capacity(entries.len());
    for (seq, entry) in (last - n + 1..).zip(entries) {
        let row = entry.stored(seq, prev);
        prev = row.hash.clone();
        rows.push(row);
    }
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut b = Builder::new(&format!("INSERT INTO audit ({COLUMNS}) VALUES "));
        for (i, row) in rows.by_ref().take(INSERT_ROWS).enumerate() {
            if i > 0 {
                b.raw(", ");
            }
            b.row(row.args());
        }
        b.query().execute(&mut *conn).await?;
    }
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(prev)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A way in which the audit log differs from what Passage wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Tamper {
    /// The entry's content no longer matches its hash.
    Edited { seq: i64 },
    /// `missing` entries after `after_seq` are gone.
    Deleted { after_seq: i64, missing: i64 },
    /// The entry hashes correctly but is not linked into the chain where it stands: it was
    /// added, or put in the place of a genuine entry, by someone who can compute hashes.
    Inserted { seq: i64 },
    /// A genuine entry that belongs at another place in the chain.
    Reordered { seq: i64 },
    /// The head (last seq handed out and its hash) disagrees with the last entry.
    HeadMismatch { head_seq: i64, last_seq: i64 },
}

impl Tamper {
    /// Where in the log the problem is, for ordering a report.
    fn position(&self) -> i64 {
        match self {
            Self::Edited { seq } | Self::Inserted { seq } | Self::Reordered { seq } => *seq,
            Self::Deleted { after_seq, .. } => after_seq.saturating_add(1),
            Self::HeadMismatch { .. } => i64::MAX,
        }
    }
}

impl fmt::Display for Tamper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Edited { seq } => write!(
                f,
                "entry {seq} was edited: its content no longer matches its hash"
            ),
            Self::Deleted { after_seq, missing } => {
                let next = after_seq + missing + 1;
                let gone = if missing == 1 {
                    format!("entry {} was deleted", after_seq + 1)
                } else {
                    format!("entries {} to {} were deleted", after_seq + 1, next - 1)
                };
                if after_seq == 0 {
                    write!(f, "{gone}: the log starts at entry {next}")
                } else {
                    write!(
                        f,
                        "{gone}: the log goes from entry {after_seq} straight to entry {next}"
                    )
                }
            }
            Self::Inserted { seq } => write!(
                f,
                "entry {seq} was inserted or replaced: it hashes correctly but is not linked \
                 into the chain where it stands"
            ),
            Self::Reordered { seq } => write!(
                f,
                "entry {seq} was moved: it is a genuine entry of another place in the chain"
            ),
            Self::HeadMismatch { head_seq, last_seq } if head_seq == last_seq => write!(
                f,
                "the last entry, {last_seq}, is not the one the head of the log recorded: it \
                 was replaced"
            ),
            Self::HeadMismatch { head_seq, last_seq } if head_seq > last_seq => write!(
                f,
                "the head of the log records entry {head_seq} but the log ends at entry \
                 {last_seq}: the entries after {last_seq} were deleted"
            ),
            Self::HeadMismatch { head_seq, last_seq } => write!(
                f,
                "the head of the log records entry {head_seq} but the log goes on to entry \
                 {last_seq}: the entries after {head_seq} were added outside Passage"
            ),
        }
    }
}

/// What verifying the audit log found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AuditReport {
    /// Entries read.
    pub entries: u64,
    /// Every problem found, in log order, at most 100; empty when the log is intact.
    pub problems: Vec<Tamper>,
}

/// A `prev_hash` that is not the stored hash of the entry before it, with no gap between.
#[derive(Debug)]
struct BrokenLink {
    seq: i64,
    prev_hash: String,
    /// The entry or the one before it does not hash correctly, which accounts for the link.
    explained: bool,
}

/// The state of the walk in seq order.
#[derive(Debug)]
struct Walk {
    entries: u64,
    /// The last entry of the chain seen so far: seq and stored hash.
    last: (i64, String),
    last_intact: bool,
    problems: Vec<Tamper>,
    /// Entries that do not hash correctly at their seq: edited, or moved.
    failing: Vec<Stored>,
    broken: Vec<BrokenLink>,
}

impl Walk {
    fn new() -> Self {
        Self {
            entries: 0,
            last: (0, GENESIS.to_owned()),
            last_intact: true,
            problems: Vec::new(),
            failing: Vec::new(),
            broken: Vec::new(),
        }
    }

    fn step(&mut self, s: Stored) {
        self.entries += 1;
        if s.seq < 1 {
            // Passage numbers from 1.
            push(
                &mut self.problems,
                Tamper::Inserted { seq: s.seq },
                MAX_PROBLEMS,
            );
            return;
        }
        let intact = s.intact();
        let (last_seq, last_hash) = &self.last;
        if s.seq > last_seq + 1 {
            let gap = Tamper::Deleted {
                after_seq: *last_seq,
                missing: s.seq - last_seq - 1,
            };
            push(&mut self.problems, gap, MAX_PROBLEMS);
        } else if s.prev_hash != *last_hash {
            let link = BrokenLink {
                seq: s.seq,
                prev_hash: s.prev_hash.clone(),
                explained: !intact || !self.last_intact,
            };
            push(&mut self.broken, link, MAX_SUSPECTS);
        }
        self.last_intact = intact;
        self.last = (s.seq, s.hash.clone());
        if !intact {
            push(&mut self.failing, s, MAX_SUSPECTS);
        }
    }

    /// Hashes to look up in a second pass, to tell moved entries from edited or forged
    /// ones: (stored hashes wanted, prev_hashes wanted). Empty when nothing is suspect.
    fn wanted(&self) -> (HashSet<String>, HashSet<String>) {
        let mut hashes: HashSet<String> = self
            .broken
            .iter()
            .filter(|l| !l.explained)
            .map(|l| l.prev_hash.clone())
            .collect();
        let mut prevs = HashSet::new();
        for f in self.failing.iter().filter(|f| f.readable) {
            hashes.insert(f.prev_hash.clone());
            prevs.insert(f.hash.clone());
        }
        (hashes, prevs)
    }

    /// Names every suspect entry, given where the wanted hashes were found.
    fn classify(mut self, found: &Found) -> Vec<Tamper> {
        let mut flagged = HashSet::new();
        for f in &self.failing {
            flagged.insert(f.seq);
            let moved = f.readable
                && found
                    .successors(&f.hash)
                    .map(|m| m - 1)
                    .chain(found.holders(&f.prev_hash).map(|p| p + 1))
                    .any(|seq| seq != f.seq && f.expected_hash(seq) == f.hash);
            let problem = if moved {
                Tamper::Reordered { seq: f.seq }
            } else {
                Tamper::Edited { seq: f.seq }
            };
            self.problems.push(problem);
        }
        let broken: HashSet<i64> = self.broken.iter().map(|l| l.seq).collect();
        for link in self.broken.iter().filter(|l| !l.explained) {
            if flagged.contains(&link.seq) || flagged.contains(&(link.seq - 1)) {
                continue;
            }
            let problem = if found.holders(&link.prev_hash).next().is_some() {
                // Chained to a genuine entry elsewhere: this entry was moved here.
                Tamper::Reordered { seq: link.seq }
            } else if link.seq == 1 || broken.contains(&(link.seq + 1)) {
                // Linked to neither neighbour: this entry is the stranger.
                Tamper::Inserted { seq: link.seq }
            } else {
                // Chained to an entry that no longer exists, while the one before it links
                // back correctly: that one took the place of the genuine entry.
                Tamper::Inserted { seq: link.seq - 1 }
            };
            flagged.insert(problem.position());
            self.problems.push(problem);
        }
        self.problems.sort_by_key(Tamper::position);
        self.problems
    }
}

fn push<T>(list: &mut Vec<T>, item: T, cap: usize) {
    if list.len() < cap {
        list.push(item);
    }
}

/// Where wanted hashes occur in the log.
#[derive(Debug, Default)]
struct Found {
    /// Stored hash → seqs of the entries that carry it.
    holders: HashMap<String, Vec<i64>>,
    /// Hash → seqs of the entries whose `prev_hash` it is.
    successors: HashMap<String, Vec<i64>>,
}

impl Found {
    fn holders(&self, hash: &str) -> impl Iterator<Item = i64> + '_ {
        self.holders.get(hash).into_iter().flatten().copied()
    }

    fn successors(&self, hash: &str) -> impl Iterator<Item = i64> + '_ {
        self.successors.get(hash).into_iter().flatten().copied()
    }
}

fn decode(row: &AnyRow) -> Result<(i64, AuditEntry), StoreError> {
    let opt = |col: &str| {
        row.try_get::<Option<String>, _>(col)
            .map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
    };
    let id = |col: &str| opt(col)?.as_deref().map(sql::uuid).transpose();
    Ok((
        sql::int(row, "seq")?,
        AuditEntry {
            at: sql::parse_ts(&sql::text(row, "at")?)?,
            actor_id: id("actor_id")?,
            actor: sql::text(row, "actor")?,
            organisation_id: id("organisation_id")?,
            role: opt("role")?,
            action: sql::text(row, "action")?,
            entity: sql::text(row, "entity")?,
            entity_id: opt("entity_id")?,
            purpose: opt("purpose")?,
            request_id: opt("request_id")?,
            client: opt("client")?,
            detail: sql::json(row, "detail")?,
        },
    ))
}

/// Every audit entry about any of the records `ids`, oldest first, on the caller's
/// connection; for the report of everything held about one person.
pub(crate) async fn of_records(
    conn: &mut AnyConnection,
    ids: &[String],
) -> Result<Vec<AuditEntry>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut b = Builder::new(&format!("SELECT {COLUMNS} FROM audit WHERE entity_id IN ("));
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            b.raw(", ");
        }
        b.push("?", Arg::Text(id.clone()));
    }
    b.raw(") ORDER BY seq");
    let rows = b.query().fetch_all(conn).await?;
    rows.iter().map(|r| decode(r).map(|(_, e)| e)).collect()
}

impl Store {
    /// Appends entries to the audit log through the group-commit writer; for reads that
    /// must be logged. Returns once the entries are committed.
    pub async fn record_audit(&self, entries: Vec<AuditEntry>) -> Result<(), StoreError> {
        if entries.is_empty() {
            return Ok(());
        }
        self.writer
            .write(entries, |c, entries| {
                Box::pin(async move { append(c, entries).await })
            })
            .await
    }

    /// Who saw or changed the record `entity_id`: its audit entries with their seqs,
    /// newest first, at most `limit`.
    pub async fn audit_of(
        &self,
        p: &passage_domain::access::Principal,
        entity_id: &str,
        limit: u32,
    ) -> Result<Vec<(i64, AuditEntry)>, StoreError> {
        crate::scope::require(
            p,
            passage_domain::access::Action::Read,
            passage_domain::access::Resource::AuditLog,
        )?;
        let sql =
            format!("SELECT {COLUMNS} FROM audit WHERE entity_id = $1 ORDER BY seq DESC LIMIT $2");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(entity_id.to_owned())
            .bind(i64::from(limit))
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(decode).collect()
    }

    /// Walks the whole audit log in seq order and recomputes the chain: reports every
    /// entry edited, deleted, inserted or moved, and an end that disagrees with the head.
    /// Reads one consistent snapshot, page by page, so appends may go on meanwhile.
    pub async fn verify_audit(&self) -> Result<AuditReport, StoreError> {
        let begin = match self.backend {
            Backend::Sqlite => "BEGIN",
            Backend::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
        };
        let mut tx = self.read.begin_with(begin).await?;
        let head = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::Corrupt("audit head (the row is missing)".into()))?;
        let (head_seq, head_hash) = (sql::int(&head, "seq")?, sql::text(&head, "hash")?);

        let mut walk = Walk::new();
        let page = format!("SELECT {COLUMNS} FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2");
        let mut after = i64::MIN;
        loop {
            let rows = sqlx::query(sqlx::AssertSqlSafe(page.clone()))
                .bind(after)
                .bind(VERIFY_PAGE)
                .fetch_all(&mut *tx)
                .await?;
            for row in &rows {
                let s = Stored::read(row)?;
                after = s.seq;
                walk.step(s);
            }
            if rows.len() < VERIFY_PAGE as usize {
                break;
            }
        }

        let (hashes, prevs) = walk.wanted();
        let mut found = Found::default();
        if !hashes.is_empty() || !prevs.is_empty() {
            let mut after = i64::MIN;
            loop {
                let rows = sqlx::query(
                    "SELECT seq, prev_hash, hash FROM audit WHERE seq > $1 ORDER BY seq LIMIT $2",
                )
                .bind(after)
                .bind(VERIFY_PAGE)
                .fetch_all(&mut *tx)
                .await?;
                for row in &rows {
                    after = sql::int(row, "seq")?;
                    let text = |col: &str| row.try_get::<String, _>(col).ok();
                    if let Some(h) = text("hash").filter(|h| hashes.contains(h)) {
                        push(found.holders.entry(h).or_default(), after, 16);
                    }
                    if let Some(p) = text("prev_hash").filter(|p| prevs.contains(p)) {
                        push(found.successors.entry(p).or_default(), after, 16);
                    }
                }
                if rows.len() < VERIFY_PAGE as usize {
                    break;
                }
            }
        }
        tx.rollback().await?;

        let entries = walk.entries;
        let (last_seq, last_hash) = walk.last.clone();
        let mut problems = walk.classify(&found);
        if (head_seq, head_hash.as_str()) != (last_seq, last_hash.as_str()) {
            problems.push(Tamper::HeadMismatch { head_seq, last_seq });
        }
        problems.truncate(MAX_PROBLEMS);
        Ok(AuditReport { entries, problems })
    }
}

#[cfg(test)]
mod tests;
