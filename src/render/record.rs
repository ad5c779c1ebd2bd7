//! Render stage, what a build leaves in its output folder for the next one: each output's
//! path with the digests the render cache reuses it by (inputs key, view, bytes). A build
//! seeded from it reads a previous file only when that output's key is unchanged, and uses
//! it only if its bytes still have the recorded digest; anything else is rendered anew.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Cached, RenderCache};
use crate::output::Content;
use crate::source::{Digest, digest_bytes};
use crate::urls::SitePath;

/// One rendered output as the record keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRender {
    pub path: SitePath,
    pub key: Digest,
    pub view: Digest,
    pub digest: Digest,
}

/// The bytes of a cached output.
#[derive(Debug, Clone)]
pub(super) enum Stored {
    Memory(Arc<[u8]>),
    /// The file the last build wrote, not read yet.
    Disk(PathBuf),
    /// Written into this build's staging folder as soon as rendered (`WriteThrough`).
    Placed {
        path: PathBuf,
        size: u64,
        linked: bool,
    },
}

impl Stored {
    /// The output's content, for outputs `Cached::loaded` made sure of or placed.
    pub(super) fn content(&self) -> Content {
        match self {
            Stored::Memory(bytes) => Content::Bytes(bytes.clone()),
            Stored::Placed { path, size, linked } => Content::Placed {
                path: path.clone(),
                size: *size,
                linked: *linked,
            },
            Stored::Disk(path) => unreachable!("{} is read before use", path.display()),
        }
    }
}

impl Cached {
    /// This entry with its bytes in memory; none when its file is gone or was changed.
    pub(super) fn loaded(&self) -> Option<Cached> {
        match &self.bytes {
            Stored::Memory(_) => Some(self.clone()),
            Stored::Disk(path) | Stored::Placed { path, .. } => {
                let bytes = std::fs::read(path).ok()?;
                (digest_bytes(&bytes) == self.digest).then(|| Cached {
                    bytes: Stored::Memory(bytes.into()),
                    ..self.clone()
                })
            }
        }
    }
}

impl RenderCache {
    /// What the record keeps of the outputs of the last render.
    pub fn recorded(&self) -> Vec<RecordedRender> {
        self.outputs
            .iter()
            .map(|(path, cached)| RecordedRender {
                path: path.clone(),
                key: cached.key,
                view: cached.view,
                digest: cached.digest,
            })
            .collect()
    }

    /// A cache whose entries are the files of the build that wrote `out_dir`.
    pub fn from_recorded(entries: Vec<RecordedRender>, out_dir: &Path) -> RenderCache {
        let outputs = entries
            .into_iter()
            .map(|entry| {
                let file = out_dir.join(entry.path.output_file());
                let cached = Cached {
                    key: entry.key,
                    view: entry.view,
                    bytes: Stored::Disk(file),
                    digest: entry.digest,
                };
                (entry.path, cached)
            })
            .collect();
        RenderCache {
            kinds: Vec::new(),
            outputs,
            made_from: None,
            generation: 0,
        }
    }
}
