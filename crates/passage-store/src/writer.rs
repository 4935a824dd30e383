//! Group commit: every write goes through one writer task that gathers the writes waiting
//! at that moment into one transaction, each in its own savepoint, and commits them with
//! one sync to disk.
//!
//! A write that fails rolls back to its savepoint and leaves the others in the batch alone.
//! A write is acknowledged only after its batch has committed, so an acknowledged write is
//! on disk (SQLite runs with `synchronous = FULL`), and a failed one leaves nothing behind.

use futures_util::future::BoxFuture;
use sqlx::{AnyConnection, AnyPool, Connection};
use tokio::sync::{mpsc, oneshot};

use crate::error::StoreError;

/// Most writes committed together.
const MAX_BATCH: usize = 256;
/// Writes that may wait for the writer before callers are held back.
const QUEUE: usize = 4096;

/// A write: runs inside the batch transaction on the writer's connection.
pub type WriteFn<T> =
    Box<dyn for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Result<T, StoreError>> + Send>;

trait Job: Send {
    /// Runs the write; true when it succeeded and its savepoint should be kept.
    fn run<'c>(&'c mut self, conn: &'c mut AnyConnection) -> BoxFuture<'c, bool>;
    /// Answers the caller once the batch is committed or has failed.
    fn finish(self: Box<Self>, commit: Result<(), StoreError>);
}

struct Typed<T> {
    write: Option<WriteFn<T>>,
    outcome: Option<Result<T, StoreError>>,
    reply: oneshot::Sender<Result<T, StoreError>>,
}

impl<T: Send + 'static> Job for Typed<T> {
    fn run<'c>(&'c mut self, conn: &'c mut AnyConnection) -> BoxFuture<'c, bool> {
        Box::pin(async move {
            let outcome = match self.write.take() {
                Some(write) => write(conn).await,
                None => Err(StoreError::Database("write ran twice".into())),
            };
            let ok = outcome.is_ok();
            self.outcome = Some(outcome);
            ok
        })
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
    /// Starts the writer on a pool of one connection.
    pub fn start(pool: AnyPool) -> Self {
        let (tx, rx) = mpsc::channel(QUEUE);
        tokio::spawn(run(pool, rx));
        Self { tx }
    }

    /// Runs `write` in the next batch and waits until that batch is committed.
    pub async fn write<T, F>(&self, write: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, Result<T, StoreError>>
            + Send
            + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job = Typed {
            write: Some(Box::new(write) as WriteFn<T>),
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

async fn run(pool: AnyPool, mut rx: mpsc::Receiver<Box<dyn Job>>) {
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let commit = commit_batch(&pool, &mut batch).await;
        if let Err(e) = &commit {
            tracing::warn!(error = %e, writes = batch.len(), "batch failed");
        }
        for job in batch {
            job.finish(commit.clone());
        }
    }
}

async fn commit_batch(pool: &AnyPool, batch: &mut [Box<dyn Job>]) -> Result<(), StoreError> {
    let mut conn = pool.acquire().await?;
    let mut tx = conn.begin().await?;
    for job in batch.iter_mut() {
        let mut savepoint = tx.begin().await?;
        if job.run(&mut savepoint).await {
            savepoint.commit().await?;
        } else {
            savepoint.rollback().await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
