//! The server under load: `passage serve` in a child process, so that its memory is its
//! own and can be read from /proc while clients drive it.

use std::process::Stdio;
use std::time::Duration;

use anyhow::Context;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub struct Server {
    child: Child,
    pid: u32,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
}

impl Server {
    /// Starts `passage serve` (this same binary) on a free loopback port over `database`
    /// and waits until it prints the address it listens on.
    pub async fn start(database: &str) -> anyhow::Result<Self> {
        let exe = std::env::current_exe().context("cannot find the passage binary")?;
        let mut child = Command::new(exe)
            .args(["serve", "--bind", "127.0.0.1:0", "--database", database])
            .env("PASSAGE_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .context("cannot start passage serve")?;
        let pid = child.id().context("the server exited at once")?;
        let stdout = child.stdout.take().context("no standard output")?;
        let mut lines = BufReader::new(stdout).lines();
        let first = tokio::time::timeout(Duration::from_secs(300), lines.next_line())
            .await
            .context("the server did not start within 5 minutes")??
            .context("the server exited before listening")?;
        let url = first
            .strip_prefix("passage listening on ")
            .with_context(|| format!("unexpected first line from the server: {first}"))?
            .to_owned();
        // Whatever else it prints is read and dropped, so that it never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(Self { child, pid, url })
    }

    /// The server's resident memory in bytes (VmRSS), on Linux.
    pub fn resident_bytes(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid)).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
        let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib * 1024)
    }

    /// Fails if the server died during the run; otherwise stops it.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        if let Some(status) = self.child.try_wait()? {
            anyhow::bail!("the server exited during the run ({status})");
        }
        self.child.kill().await?;
        Ok(())
    }
}
