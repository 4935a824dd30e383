//! Group commit: every write goes through one writer task that gathers the writes waiting
//! at that moment into one transaction and commits them with one sync to disk.
//!
//! The audit entries of every write in a batch are appended once, after the writes, in
//! the same transaction.
//!
//! A write is a function of its input that can run again: when one write of a batch fails,
//! the whole transaction is rolled back and the batch runs again without it, so the failed
//! write leaves nothing behind and the others are not affected. (Savepoints would do the
//! same at two more statements per write; failures are rare because input is validated
//! before it reaches the writer.) A write is acknowledged only after its batch has
//! committed, so an acknowledged write is on disk (SQLite runs with `synchronous = FULL`).

use futures_util::future::BoxFuture;
use sqlx::{AnyConnection, AnyPool, Connection};
use tokio::sync::{mpsc, oneshot};

use crate::audit::AuditEntry;
use crate::error::StoreError;

/// Most writes committed together.
const MAX_BATCH: usize = 256;
/// Writes that may wait for the writer before callers are held back.
const QUEUE: usize = 4096;

/// A write: runs inside the batch transaction on the writer's connection, as often as the
/// batch is attempted.
pub type WriteFn<I, T> =
    for<'c> fn(&'c mut AnyConnection, &'c I) -> BoxFuture<'c, Result<T, StoreError>>;

trait Job: Send {
    /// Runs the write; true when it succeeded.
    fn run<'c>(&'c mut self, conn: &'c mut AnyConnection) -> BoxFuture<'c, bool>;
    /// Answers the caller once the batch is committed or has failed.
    fn finish(self: Box<Self>, commit: Result<(), StoreError>);
    /// The audit entries to append when the write succeeds.
    fn audit(&self) -> &[AuditEntry];
}

struct Typed<I, T> {
    input: I,
    /// Appended to the audit log in the write's transaction when the write succeeds.
    audit: Vec<AuditEntry>,
    write: WriteFn<I, T>,
    outcome: Option<Result<T, StoreError>>,
    reply: oneshot::Sender<Result<T, StoreError>>,
}

impl<I: Send + Sync + 'static, T: Send + 'static> Job for Typed<I, T> {
    fn run<'c>(&'c mut self, conn: &'c mut AnyConnection) -> BoxFuture<'c, bool> {
        Box::pin(async move {
            let outcome = (self.write)(conn, &self.input).await;
            let ok = outcome.is_ok();
            self.outcome = Some(outcome);
            ok
        })
    }

    fn audit(&self) -> &[AuditEntry] {
        &self.audit
    }

    fn finish(self: Box<Self>, commit: Result<(), StoreError>) {
        let answer = match (self.outcome, commit) {
            (Some(Err(e)), _) => Err(e),
            (Some(Ok(v)), Ok(())) => Ok(v),
            (_, Err(e)) => Err(e),
            (None, Ok(())) => Err(StoreError::Database("write was not run".into())),
        };
        // The caller may have gone away (client disconnected); the write stands regardless.
        let _ = self.reply.send(answer);
    }
}

/// Handle to the writer task.
#[derive(Clone)]
pub struct Writer {
    tx: mpsc::Sender<Box<dyn Job>>,
}

impl Writer {
    /// Starts the writer on a pool of one connection. `begin` opens each transaction: on
    /// SQLite `BEGIN IMMEDIATE`, which takes the write lock at once (waiting up to the busy
    /// timeout) so that another process writing the same file makes this one wait rather
    /// than fail when a transaction that began by reading comes to write.
    pub fn start(pool: AnyPool, begin: &'static str) -> Self {
        let (tx, rx) = mpsc::channel(QUEUE);
        tokio::spawn(run(pool, begin, rx));
        Self { tx }
    }

    /// Runs `write` on `input` in the next batch and waits until that batch is committed.
    pub async fn write<I, T>(&self, input: I, write: WriteFn<I, T>) -> Result<T, StoreError>
    where
        I: Send + Sync + 'static,
        T: Send + 'static,
    {
        self.write_audited(input, Vec::new(), write).await
    }

    /// Like [`Writer::write`], and appends `audit` to the audit log in the same
    /// transaction: the change and its audit entries commit together or not at all.
    pub async fn write_audited<I, T>(
        &self,
        input: I,
        audit: Vec<AuditEntry>,
        write: WriteFn<I, T>,
    ) -> Result<T, StoreError>
    where
        I: Send + Sync + 'static,
        T: Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job = Typed {
            input,
            audit,
            write,
            outcome: None,
            reply,
        };
        self.tx
            .send(Box::new(job))
            .await
            .map_err(|_| StoreError::Database("the writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| StoreError::Database("the writer stopped before answering".into()))?
    }
}

async fn run(pool: AnyPool, begin: &'static str, mut rx: mpsc::Receiver<Box<dyn Job>>) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let commit = commit_batch(&pool, begin, &mut batch).await;
        if let Err(e) = &commit {
            tracing::warn!(error = %e, writes = batch.len(), "batch failed");
        }
        for job in batch {
            job.finish(commit.clone());
        }
    }
}

/// Runs the batch in one transaction; when a write fails, rolls back and runs the batch
/// again without it, until the rest commits.
async fn commit_batch(
    pool: &AnyPool,
    begin: &'static str,
    batch: &mut [Box<dyn Job>],
) -> Result<(), StoreError> {
    let mut excluded = vec![false; batch.len()];
    loop {
        let mut conn = pool.acquire().await?;
        let mut tx = conn.begin_with(begin).await?;
        let mut failed = None;
        for (i, job) in batch.iter_mut().enumerate() {
            if !excluded[i] && !job.run(&mut tx).await {
                failed = Some(i);
                break;
            }
        }
        match failed {
            None => {
                // The audit entries of the whole batch, in batch order, in one append:
                // they commit with the writes they record, or not at all.
                let entries: Vec<AuditEntry> = batch
                    .iter()
                    .zip(&excluded)
                    .filter(|(_, out)| !**out)
                    .flat_map(|(job, _)| job.audit().iter().cloned())
                    .collect();
                if !entries.is_empty() {
                    crate::audit::append(&mut tx, &entries).await?;
                }
                return Ok(tx.commit().await?);
            }
            Some(i) => {
                tx.rollback().await?;
                excluded[i] = true;
            }
        }
    }
}
