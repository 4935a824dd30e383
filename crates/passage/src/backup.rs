//! `passage backup` and `passage restore`: a consistent copy of the database taken while
//! the server serves, and the way back, with the audit chain verified after restoring.
//!
//! SQLite: `VACUUM INTO` a new file (see `passage_store::backup`). PostgreSQL: `pg_dump`
//! in its custom format, reading a snapshot exported and counted by Passage; `pg_restore`
//! in one transaction. A backup is written beside its final name and renamed only once it
//! is complete and synced, so a file with the backup's name is always a whole backup.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Args;
use passage_store::Backend;
use passage_store::backup::{self, Contents, PgSnapshot};

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The file to write; it must not exist yet.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A file written by `passage backup`.
    #[arg(long)]
    from: PathBuf,
    /// Replace a database that already holds records.
    #[arg(long)]
    force: bool,
}

/// The first bytes of each kind of backup.
const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";
const PG_DUMP_MAGIC: &[u8] = b"PGDMP";

pub async fn backup(url: &str, args: BackupArgs) -> anyhow::Result<()> {
    let out = &args.out;
    if out.exists() {
        bail!(
            "{} already exists: a backup never overwrites a file; choose a new name",
            out.display()
        );
    }
    let partial = partial_name(out)?;
    if partial.exists() {
        // Left by a backup that was interrupted: never a whole backup.
        std::fs::remove_file(&partial)
            .with_context(|| format!("cannot remove {}", partial.display()))?;
    }
    let started = Instant::now();
    let (backend, _) = passage_store::parse_url(url)?;
    let contents = match backend {
        Backend::Sqlite => {
            eprintln!("copying the SQLite database as of its last commit (VACUUM INTO)…");
            backup::sqlite_snapshot(url, &partial)
                .await
                .map_err(Into::into)
        }
        Backend::Postgres => pg_backup(url, &partial).await,
    };
    let contents = match contents {
        Ok(c) => c,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e).context("backup failed");
        }
    };
    seal(&partial, out)?;
    let bytes = std::fs::metadata(out)?.len();
    println!(
        "backup written to {}: {} bytes, {} tables, {} rows, audit log up to entry {}, in {:.1} s",
        out.display(),
        bytes,
        contents.tables.len(),
        contents.rows(),
        contents.audit_seq.unwrap_or(0),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn pg_backup(url: &str, partial: &Path) -> anyhow::Result<Contents> {
    let pg_dump = pg_tool("pg_dump")?;
    let snapshot = PgSnapshot::export(url).await?;
    eprintln!(
        "dumping the PostgreSQL database as of snapshot {} ({})…",
        snapshot.id,
        pg_dump.display()
    );
    let mut args: Vec<OsString> = vec![
        "--format=custom".into(),
        "--no-password".into(),
        format!("--snapshot={}", snapshot.id).into(),
        "--file".into(),
        partial.into(),
    ];
    let env = libpq(url, &mut args)?;
    let ran = run(&pg_dump, &args, env).await;
    let contents = snapshot.contents.clone();
    snapshot.release().await?;
    ran?;
    Ok(contents)
}

pub async fn restore(url: &str, args: RestoreArgs) -> anyhow::Result<()> {
    let from = &args.from;
    let kind = kind_of(from)?;
    let (backend, _) = passage_store::parse_url(url)?;
    let started = Instant::now();
    match (kind, backend) {
        (Backend::Sqlite, Backend::Sqlite) => {
            refuse_records(url, args.force).await?;
            eprintln!("restoring {} in one transaction…", from.display());
            backup::sqlite_restore(url, from, args.force)
                .await
                .context("restore failed; the database is unchanged")?;
        }
        (Backend::Postgres, Backend::Postgres) => pg_restore(url, from, args.force).await?,
        (Backend::Sqlite, Backend::Postgres) => bail!(
            "{} is a backup of a SQLite database: restore it into a SQLite file",
            from.display()
        ),
        (Backend::Postgres, Backend::Sqlite) => bail!(
            "{} is a backup of a PostgreSQL database (pg_dump): restore it into a postgres:// database",
            from.display()
        ),
    }
    // Opening brings a backup made by an earlier version up to date.
    let store = passage_store::Store::open(url)
        .await
        .context("the restored database cannot be opened")?;
    let report = store.verify_audit().await?;
    store.close().await;
    let contents = backup::contents(url).await?;
    println!(
        "restored {}: {} tables, {} rows, in {:.1} s",
        from.display(),
        contents.tables.len(),
        contents.rows(),
        started.elapsed().as_secs_f64()
    );
    crate::report_audit(&report)
}

/// Refuses a database that holds records, unless told to replace them. (A SQLite restore
/// checks again inside its transaction.)
async fn refuse_records(url: &str, force: bool) -> anyhow::Result<()> {
    let held = backup::contents(url)
        .await
        .context("cannot read the database to restore into")?
        .records();
    if !held.is_empty() && !force {
        bail!(
            "the database is not empty ({}): restore into a new, empty database, or pass --force to replace what it holds",
            backup::described(&held)
        );
    }
    Ok(())
}

async fn pg_restore(url: &str, from: &Path, force: bool) -> anyhow::Result<()> {
    let pg_restore = pg_tool("pg_restore")?;
    refuse_records(url, force).await?;
    eprintln!(
        "restoring {} in one transaction ({})…",
        from.display(),
        pg_restore.display()
    );
    // --clean --if-exists: drops what a migrated but empty database (or, with --force, a
    // full one) already has of the backup's tables before creating them again.
    let mut args: Vec<OsString> = vec![
        "--no-password".into(),
        "--single-transaction".into(),
        "--exit-on-error".into(),
        "--clean".into(),
        "--if-exists".into(),
        "--no-owner".into(),
        "--no-privileges".into(),
    ];
    let env = libpq(url, &mut args)?;
    args.push(from.into());
    run(&pg_restore, &args, env).await
}

/// Which database a backup file is of, from its first bytes.
fn kind_of(path: &Path) -> anyhow::Result<Backend> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let n = file
        .read(&mut head)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let head = &head[..n];
    if head.starts_with(SQLITE_MAGIC) {
        Ok(Backend::Sqlite)
    } else if head.starts_with(PG_DUMP_MAGIC) {
        Ok(Backend::Postgres)
    } else {
        bail!(
            "{} is not a Passage backup: neither a SQLite database nor a pg_dump custom-format archive",
            path.display()
        )
    }
}

/// `FILE.partial` beside `FILE`.
fn partial_name(out: &Path) -> anyhow::Result<PathBuf> {
    let name = out
        .file_name()
        .with_context(|| format!("{} does not name a file", out.display()))?;
    let mut partial = name.to_owned();
    partial.push(".partial");
    Ok(out.with_file_name(partial))
}

/// Syncs the finished backup to disk, gives it its name, and syncs the folder, so that
/// after a power cut the name holds the whole backup or does not exist.
fn seal(partial: &Path, out: &Path) -> anyhow::Result<()> {
    std::fs::File::open(partial)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("cannot sync {}", partial.display()))?;
    std::fs::rename(partial, out)
        .with_context(|| format!("cannot rename {} to {}", partial.display(), out.display()))?;
    let folder = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    #[cfg(unix)]
    std::fs::File::open(folder)
        .and_then(|f| f.sync_all())
        .with_context(|| format!("cannot sync the folder {}", folder.display()))?;
    Ok(())
}

/// Adds the connection to a PostgreSQL client's arguments: the URL without its password,
/// which goes in the environment (where other users cannot read it, unlike arguments).
fn libpq(url: &str, args: &mut Vec<OsString>) -> anyhow::Result<Vec<(&'static str, String)>> {
    let mut parsed = reqwest::Url::parse(url.trim()).context("the PostgreSQL URL is malformed")?;
    let mut env = Vec::new();
    if let Some(password) = parsed.password() {
        let password = percent_encoding::percent_decode_str(password)
            .decode_utf8()
            .context("the password in the PostgreSQL URL is not valid UTF-8")?
            .into_owned();
        env.push(("PGPASSWORD", password));
        parsed
            .set_password(None)
            .map_err(|()| anyhow::anyhow!("the PostgreSQL URL has no host"))?;
    }
    args.push(format!("--dbname={parsed}").into());
    Ok(env)
}

/// Runs a PostgreSQL client to the end; its messages are passed on, and a failure says
/// what it said.
async fn run(
    program: &Path,
    args: &[OsString],
    env: Vec<(&'static str, String)>,
) -> anyhow::Result<()> {
    let out = tokio::process::Command::new(program)
        .args(args)
        .envs(env)
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .with_context(|| format!("cannot run {}", program.display()))?;
    let said = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        bail!(
            "{} failed ({}): {}",
            program.display(),
            out.status,
            said.trim()
        );
    }
    if !said.trim().is_empty() {
        eprintln!("{}", said.trim());
    }
    Ok(())
}

/// A PostgreSQL client program: on the PATH, else the newest in Debian's
/// /usr/lib/postgresql/VERSION/bin.
fn pg_tool(name: &str) -> anyhow::Result<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .unwrap_or_default();
    if let Some(found) = on_path.iter().map(|d| d.join(name)).find(|p| p.is_file()) {
        return Ok(found);
    }
    let newest = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version: u32 = e.file_name().to_str()?.parse().ok()?;
            let tool = e.path().join("bin").join(name);
            tool.is_file().then_some((version, tool))
        })
        .max_by_key(|(v, _)| *v);
    match newest {
        Some((_, tool)) => Ok(tool),
        None => bail!(
            "{name} was not found on the PATH or in /usr/lib/postgresql/*/bin: install the \
             PostgreSQL client programs of the server's major version or newer (Debian and \
             Ubuntu: apt install postgresql-client)"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_leaves_the_url_for_the_environment() {
        let mut args = Vec::new();
        let env = libpq("postgres://passage:s%40cret@db.example:5433/reg", &mut args).unwrap();
        assert_eq!(env, [("PGPASSWORD", "s@cret".to_owned())]);
        assert_eq!(
            args,
            [OsString::from(
                "--dbname=postgres://passage@db.example:5433/reg"
            )]
        );
        let mut args = Vec::new();
        assert!(
            libpq("postgres://passage@db/reg", &mut args)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn a_backup_is_written_beside_its_name() {
        assert_eq!(
            partial_name(Path::new("/var/backups/p.db")).unwrap(),
            Path::new("/var/backups/p.db.partial")
        );
    }
}
