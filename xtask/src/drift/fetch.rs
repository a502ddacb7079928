//! Reading the documents: downloaded from Roblox (or from a base URL that stands in for it), or from a folder.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};

/// The largest document read: the whole docs source is a few MiB.
const MAX_BYTES: usize = 64 << 20;
const TIMEOUT: Duration = Duration::from_secs(60);

/// Where the documents come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// Each spec's URL in [`super::UPSTREAM`]; or, with a base, `BASE/NAME.json` for each spec (a mirror, or a
    /// loopback server in tests).
    Download { base: Option<String> },
    /// `DIR/NAME.json` for each spec (`legacy-v1.json`, `legacy-v2.json`, `cloud-v2.json`).
    Directory(PathBuf),
}

/// Downloads URLs one after another, on a runtime of its own.
pub(super) struct Downloader {
    runtime: tokio::runtime::Runtime,
    client: reqwest::Client,
}

impl Downloader {
    /// `direct`: connect without any proxy the environment names (for a base URL given on the command line).
    pub(super) fn new(direct: bool) -> anyhow::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("starting a runtime for downloads")?;
        let mut builder = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .user_agent(concat!(
                "roblox-inventory-xtask/",
                env!("CARGO_PKG_VERSION")
            ));
        if direct {
            builder = builder.no_proxy();
        }
        let client = builder.build().context("building the HTTP client")?;
        Ok(Downloader { runtime, client })
    }

    pub(super) fn get(&self, url: &str) -> anyhow::Result<String> {
        self.runtime
            .block_on(self.get_async(url))
            .with_context(|| format!("downloading {url}"))
    }

    async fn get_async(&self, url: &str) -> anyhow::Result<String> {
        let mut response = self.client.get(url).send().await?;
        let status = response.status();
        if !status.is_success() {
            bail!("HTTP {status}");
        }
        if response
            .content_length()
            .is_some_and(|length| length > MAX_BYTES as u64)
        {
            bail!("the document is larger than {} MiB", MAX_BYTES >> 20);
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await? {
            if body.len() + chunk.len() > MAX_BYTES {
                bail!("the document is larger than {} MiB", MAX_BYTES >> 20);
            }
            body.extend_from_slice(&chunk);
        }
        String::from_utf8(body).context("the document is not UTF-8")
    }
}

/// `DIR/NAME.json`, or `None` when there is no such file.
pub(super) fn read_local(dir: &Path, spec: &str) -> anyhow::Result<Option<(PathBuf, String)>> {
    let path = dir.join(format!("{spec}.json"));
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(Some((path, text))),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error).with_context(|| format!("reading {}", path.display())),
    }
}
