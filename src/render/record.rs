//! Render stage, what a build leaves in its output folder for the next one: each output's
//! path with the digests the render cache reuses it by (inputs key, view, bytes). A build
//! seeded from it reads a previous file only when that output's key is unchanged, and uses
//! it only if its bytes still have the recorded digest; anything else is rendered anew. When
//! the folder is as the record says, a reused file is not read at all (`Stored::Kept`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Cached, RenderCache};
use crate::output::Content;
use crate::output::record::{OutputRecord, RecordedFile};
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
    /// The file the last build wrote, never read: the output folder was as that build left
    /// it (`OutputRecord::folder_is_as_written`), so its bytes are the recorded ones.
    Kept {
        path: PathBuf,
        size: u64,
    },
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
            Stored::Kept { path, size } => Content::Kept {
                path: path.clone(),
                size: *size,
            },
            Stored::Disk(path) => unreachable!("{} is read before use", path.display()),
        }
    }
}

impl Cached {
    /// This entry with its bytes in memory, or kept in a file known to hold them; none when
    /// its file is gone or was changed.
    pub(super) fn loaded(&self) -> Option<Cached> {
        match &self.bytes {
            Stored::Memory(_) | Stored::Kept { .. } => Some(self.clone()),
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
    /// Takes the outputs of `record`'s build as they are in their files, without reading
    /// them, for a run that found the output folder as that build left it: a warm build
    /// then reads only the outputs it writes anew. Only outputs whose file the record lists
    /// with the same digest are kept so; the others are read and checked when reused.
    pub fn trust_recorded_files(&mut self, record: &OutputRecord) {
        let files: HashMap<&str, &RecordedFile> = record
            .files
            .iter()
            .map(|file| (file.path.as_str(), file))
            .collect();
        for (path, cached) in &mut self.outputs {
            let Stored::Disk(file) = &cached.bytes else {
                continue;
            };
            if let Some(recorded) = files.get(path.output_file().as_str())
                && recorded.digest == cached.digest
            {
                cached.bytes = Stored::Kept {
                    path: file.clone(),
                    size: recorded.size,
                };
            }
        }
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, digest: Digest) -> RecordedRender {
        RecordedRender {
            path: SitePath::file(path),
            key: [1; 16],
            view: [2; 16],
            digest,
        }
    }

    #[test]
    fn only_outputs_the_record_lists_with_their_digest_are_kept_unread() {
        let record = OutputRecord {
            files: vec![
                RecordedFile {
                    path: "a.html".into(),
                    digest: [7; 16],
                    size: 12,
                },
                RecordedFile {
                    path: "b.html".into(),
                    digest: [8; 16],
                    size: 5,
                },
            ],
            ..OutputRecord::default()
        };
        let entries = vec![
            entry("a.html", [7; 16]),
            entry("b.html", [9; 16]),
            entry("c.html", [3; 16]),
        ];
        let mut cache = RenderCache::from_recorded(entries, Path::new("/site"));
        cache.trust_recorded_files(&record);
        let stored: Vec<&Stored> = cache.outputs.iter().map(|(_, c)| &c.bytes).collect();
        assert!(
            matches!(stored[0], Stored::Kept { path, size: 12 } if path == Path::new("/site/a.html"))
        );
        // Another digest than the file's, or no file: read and checked if reused.
        assert!(matches!(stored[1], Stored::Disk(_)));
        assert!(matches!(stored[2], Stored::Disk(_)));
    }
}
