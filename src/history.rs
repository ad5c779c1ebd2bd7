//! The project's git history, read with gix: the version of a file whose `source_digest`
//! (SHA-256 of its text, line endings normalized) a translation records, so that what changed
//! in the source since the translation can be shown. Read only; never guesses: a digest that
//! no committed version of the file has is reported as not found.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::translation::source_digest;

/// Commits looked at, newest first, before giving up: bounds the time of a lookup in a long
/// history (a translation older than that is reported as not found).
const MAX_COMMITS: usize = 5_000;

/// A committed version of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileVersion {
    /// The commit that made the file this text (hex): the oldest of the run of commits,
    /// newest first from HEAD, that have it.
    pub commit: String,
    /// Its first line.
    pub summary: String,
    pub text: String,
}

/// Why no version was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoVersion {
    /// The project is not in a git repository (or it cannot be read).
    NoRepository(String),
    /// No commit reachable from HEAD has the file with that digest.
    NoMatch,
}

impl std::fmt::Display for NoVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoVersion::NoRepository(why) => write!(
                f,
                "what changed is unknown: the project's git history cannot be read ({why})"
            ),
            NoVersion::NoMatch => f.write_str(
                "what changed is unknown: no committed version of the source has the digest the translation records",
            ),
        }
    }
}

/// The project's repository, opened once for many lookups.
pub struct History {
    repo: gix::Repository,
    /// The project root relative to the repository's work tree.
    prefix: PathBuf,
}

impl History {
    /// Opens the repository holding the project at `root`.
    pub fn open(root: &Path) -> Result<History, NoVersion> {
        let no_repo = |error: &dyn std::fmt::Display| NoVersion::NoRepository(error.to_string());
        let root = root.canonicalize().map_err(|e| no_repo(&e))?;
        let repo = gix::discover(&root).map_err(|e| no_repo(&e))?;
        let workdir = repo
            .workdir()
            .ok_or_else(|| no_repo(&"a bare repository has no work tree"))?
            .canonicalize()
            .map_err(|e| no_repo(&e))?;
        let prefix = root
            .strip_prefix(&workdir)
            .map_err(|e| no_repo(&e))?
            .to_path_buf();
        Ok(History { repo, prefix })
    }

    /// The newest committed version of `path` (relative to the project root) whose source
    /// digest is `digest`, named by the commit that made it.
    pub fn find_version(&self, path: &Path, digest: &str) -> Result<FileVersion, NoVersion> {
        let no_repo = |error: &dyn std::fmt::Display| NoVersion::NoRepository(error.to_string());
        let in_repo = self.prefix.join(path);
        let head = match self.repo.head_commit() {
            Ok(head) => head,
            // A repository without commits has no history to find a version in.
            Err(_) => return Err(NoVersion::NoMatch),
        };
        let walk = head.ancestors().all().map_err(|e| no_repo(&e))?;
        let mut seen = HashSet::new();
        let mut found: Option<(gix::ObjectId, FileVersion)> = None;
        for info in walk.take(MAX_COMMITS) {
            let info = info.map_err(|e| no_repo(&e))?;
            let commit = info.object().map_err(|e| no_repo(&e))?;
            let tree = commit.tree().map_err(|e| no_repo(&e))?;
            let entry = tree
                .lookup_entry_by_path(&in_repo)
                .map_err(|e| no_repo(&e))?;
            let blob_id = entry.map(|entry| entry.object_id());
            if let Some((found_blob, version)) = &mut found {
                // Older commits with the same text: the version was made earlier.
                if blob_id != Some(*found_blob) {
                    break;
                }
                version.commit = info.id.to_string();
                version.summary = summary(&commit);
                continue;
            }
            // The same text in many commits is hashed once.
            let Some(blob_id) = blob_id.filter(|id| seen.insert(*id)) else {
                continue;
            };
            let blob = self.repo.find_blob(blob_id).map_err(|e| no_repo(&e))?;
            let Ok(text) = std::str::from_utf8(&blob.data) else {
                continue;
            };
            if source_digest(text) == digest {
                let version = FileVersion {
                    commit: info.id.to_string(),
                    summary: summary(&commit),
                    text: text.to_string(),
                };
                found = Some((blob_id, version));
            }
        }
        if let Some((_, version)) = found {
            return Ok(version);
        }
        Err(NoVersion::NoMatch)
    }
}

fn summary(commit: &gix::Commit<'_>) -> String {
    commit
        .message()
        .map(|message| message.summary().to_string())
        .unwrap_or_default()
}

/// `History::open` then `find_version`, for a single lookup.
pub fn find_version(root: &Path, path: &Path, digest: &str) -> Result<FileVersion, NoVersion> {
    History::open(root)?.find_version(path, digest)
}
