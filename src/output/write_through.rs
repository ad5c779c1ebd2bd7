//! Write stage, begun during the render: a build that stages its whole site (`--fresh`, an
//! archive, a folder without a record) writes each page into the staging folder as soon as it
//! is rendered, and keeps only where it is and its digest, rather than holding every page's
//! bytes until all are rendered. The staging folder is the one `stage_site` then completes
//! (the other outputs, the record) and swaps in, made at the first page, under the same rules:
//! tracked by the cleanup before it exists, each file written under its share, a file whose
//! bytes did not change a hard link to the previous one. Dropped before `stage_site` took
//! it (a failed build), it is removed: the previous site stays as it was.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

use super::{Cleanup, Placed, begin_staging, place_bytes, with_path};
use crate::source::Digest;

pub struct WriteThrough {
    out_dir: PathBuf,
    cleanup: Cleanup,
    staging: OnceLock<PathBuf>,
    /// Taken by the first page while it makes the staging folder.
    making: Mutex<()>,
    /// Whether `out_dir` held a site when the build began, whose files a page with the same
    /// bytes is linked to (a cold build into a new folder looks for none of them).
    previous_site: bool,
}

impl WriteThrough {
    /// Pages of a build into `out_dir`, to be written into its staging folder.
    pub fn new(out_dir: &Path, cleanup: &Cleanup) -> WriteThrough {
        WriteThrough {
            out_dir: out_dir.to_path_buf(),
            cleanup: cleanup.clone(),
            staging: OnceLock::new(),
            making: Mutex::new(()),
            previous_site: out_dir.is_dir(),
        }
    }

    /// Writes one output (`path` relative to the site, `/`-separated) into the staging
    /// folder; says where it is, and whether it is a hard link to the previous site's file.
    pub fn place(&self, path: &str, bytes: &[u8], digest: Digest) -> io::Result<(PathBuf, bool)> {
        let staging = self.staging()?;
        let target = staging.join(path);
        if let Some(folder) = target.parent() {
            let _running = self.cleanup.share()?;
            fs::create_dir_all(folder).map_err(|e| with_path(e, folder))?;
        }
        let _running = self.cleanup.share()?;
        let previous_site = self.previous_site.then_some(self.out_dir.as_path());
        let placed = place_bytes(path, bytes, digest, staging, previous_site)?;
        Ok((target, matches!(placed, Placed::Linked)))
    }

    /// The staging folder, made (and given its marker) by the first caller.
    fn staging(&self) -> io::Result<&Path> {
        if let Some(staging) = self.staging.get() {
            return Ok(staging);
        }
        let _making = self.making.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(staging) = self.staging.get() {
            return Ok(staging);
        }
        let _ = self
            .staging
            .set(begin_staging(&self.out_dir, &self.cleanup)?);
        Ok(self.staging.get().expect("just set"))
    }

    /// Whether a page was written (the site must then be staged in that folder).
    pub fn has_begun(&self) -> bool {
        self.staging.get().is_some()
    }

    /// The staging folder, if a page was written: from now on the caller's to swap in or
    /// remove.
    pub(super) fn take_staging(&mut self) -> Option<PathBuf> {
        self.staging.take()
    }
}

impl Drop for WriteThrough {
    fn drop(&mut self) {
        let Some(staging) = self.staging.take() else {
            return;
        };
        // As `StagedSite`'s drop: under the hold when it can be had, else the Ctrl-C cleanup
        // holds it and removes the folder itself.
        if let Some(mut held) = self.cleanup.try_hold() {
            let _ = fs::remove_dir_all(&staging);
            held.untrack(&staging);
        }
    }
}
