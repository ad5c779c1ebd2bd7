//! Write stage: `Output {path, content}` → files. A build goes into a temporary sibling of
//! the output folder and replaces it only once complete; files whose bytes did not change
//! keep their modification time (they are hard links to the previous files). `guard` decides
//! beforehand where a build may write at all; `staging` keeps interruptions and concurrent
//! builds from leaving anything behind.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::source::Digest;

pub mod guard;
mod in_place;
pub mod record;
mod staging;
mod write_through;

pub use in_place::{FolderAtStart, update_in_place};
pub use staging::{Cleanup, Held, OutputLock};
pub use write_through::WriteThrough;

/// The bytes of an output file: rendered, or copied from a source file.
#[derive(Debug, Clone)]
pub enum Content {
    Bytes(Arc<[u8]>),
    Copy(PathBuf),
    /// Already written into the staging folder, at `path` (see `WriteThrough`), `size`
    /// bytes; `linked` when it is a hard link to the previous site's file.
    Placed {
        path: PathBuf,
        size: u64,
        linked: bool,
    },
    /// The file the previous build wrote at `path`, `size` bytes, not read: trusted to hold
    /// the output's bytes because the output folder was as that build left it. Read only if
    /// it must be copied, and then checked against the output's digest.
    Kept {
        path: PathBuf,
        size: u64,
    },
}

#[derive(Debug, Clone)]
pub struct Output {
    /// Relative to the output folder, with `/` separators.
    pub path: String,
    pub content: Content,
    /// Digest of the bytes, to compare with what is on disk.
    pub digest: Digest,
}

impl Output {
    /// An output of rendered bytes, digested.
    pub fn from_bytes(path: impl Into<String>, bytes: impl Into<Arc<[u8]>>) -> Output {
        let bytes = bytes.into();
        Output {
            path: path.into(),
            digest: crate::source::digest_bytes(&bytes),
            content: Content::Bytes(bytes),
        }
    }

    /// An output of bytes read back from a file, if they have the digest `expected`.
    pub fn from_bytes_if(
        path: impl Into<String>,
        bytes: impl Into<Arc<[u8]>>,
        expected: &Digest,
    ) -> Option<Output> {
        let output = Output::from_bytes(path, bytes);
        (output.digest == *expected).then_some(output)
    }

    /// The number of bytes (0 for a copy whose source cannot be read: it will fail to write).
    pub fn size(&self) -> u64 {
        match &self.content {
            Content::Bytes(bytes) => bytes.len() as u64,
            Content::Copy(source) => fs::metadata(source).map_or(0, |metadata| metadata.len()),
            Content::Placed { size, .. } | Content::Kept { size, .. } => *size,
        }
    }

    pub fn bytes(&self) -> io::Result<std::borrow::Cow<'_, [u8]>> {
        match &self.content {
            Content::Bytes(bytes) => Ok(std::borrow::Cow::Borrowed(bytes)),
            Content::Copy(source) | Content::Placed { path: source, .. } => fs::read(source)
                .map(std::borrow::Cow::Owned)
                .map_err(|error| with_path(error, source)),
            Content::Kept { path, .. } => {
                let bytes = fs::read(path).map_err(|error| with_path(error, path))?;
                if crate::source::digest_bytes(&bytes) != self.digest {
                    // Changed since the build began: its bytes are no longer this output's.
                    return Err(with_path(
                        io::Error::other("changed while the build ran; build again"),
                        path,
                    ));
                }
                Ok(std::borrow::Cow::Owned(bytes))
            }
        }
    }
}

/// What a write did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
}

/// An I/O error that names the file it is about.
pub(crate) fn with_path(error: io::Error, path: &Path) -> io::Error {
    io::Error::new(error.kind(), format!("{}: {error}", path.display()))
}

/// A site written in full into a staging folder beside the output folder, not yet in place.
/// Dropped without [`StagedSite::swap_in`], the staging folder is removed.
pub struct StagedSite {
    staging: PathBuf,
    out_dir: PathBuf,
    stats: WriteStats,
    cleanup: Cleanup,
    in_place: bool,
}

/// Writes the whole site, with its marker and `record` (the output record, not counted in
/// the stats: it is not part of the site), into a temporary sibling of `out_dir`; unchanged
/// files are hard links to the previous ones. `out_dir` is not touched. Each file is written
/// under the cleanup's hold, so that once interrupted nothing more is written.
pub fn stage_site(
    out_dir: &Path,
    outputs: &[Output],
    record: Option<&Output>,
    cleanup: &Cleanup,
    written_through: Option<&mut WriteThrough>,
) -> io::Result<StagedSite> {
    let staging = match written_through.and_then(WriteThrough::take_staging) {
        Some(begun) => begun,
        None => begin_staging(out_dir, cleanup)?,
    };
    let mut staged = StagedSite {
        staging: staging.clone(),
        out_dir: out_dir.to_path_buf(),
        stats: WriteStats::default(),
        cleanup: cleanup.clone(),
        in_place: false,
    };
    make_folders(outputs, &staging, cleanup)?;
    let previous_site = out_dir.is_dir().then_some(out_dir);
    let placed = outputs
        .par_iter()
        .map(|output| {
            let _running = cleanup.share()?;
            place(output, &staging, previous_site)
        })
        .collect::<io::Result<Vec<Placed>>>()?;
    for placed in placed {
        match placed {
            Placed::Written => staged.stats.written += 1,
            Placed::Linked => staged.stats.unchanged += 1,
        }
    }
    if let Some(record) = record {
        // Written anew, never linked, and last, once the clock has moved: every file and
        // folder of the site is older than the record (see `folder_is_as_written`).
        let _held = cleanup.hold()?;
        after_the_clock_moves(&staging)?;
        let target = staging.join(&record.path);
        fs::write(&target, record.bytes()?).map_err(|e| with_path(e, &target))?;
    }
    Ok(staged)
}

/// Returns once a file written in `folder` would be given a later modification time than
/// every file written before the call, so that the record written next is strictly newer
/// than each file and folder of the site it describes: file times come from a clock that
/// moves in ticks of a few milliseconds, and a change made by hand just after a build must
/// not have the record's time. Called with the cleanup held (nothing is interrupted between
/// the probe's writing and its removal). A file system whose times move less often than
/// every 50 ms is not waited for: the next build then finds the folder not as written (a
/// time equal to the record's) and stages it whole.
pub(crate) fn after_the_clock_moves(folder: &Path) -> io::Result<()> {
    let probe = folder.join(format!(".briefing-clock-{}", std::process::id()));
    let stamp = |probe: &Path| -> io::Result<std::time::SystemTime> {
        fs::write(probe, b"-")?;
        fs::symlink_metadata(probe)?.modified()
    };
    let waited = (|| {
        let before = stamp(&probe)?;
        for _ in 0..50 {
            std::thread::sleep(std::time::Duration::from_millis(1));
            if stamp(&probe)? > before {
                break;
            }
        }
        Ok(())
    })();
    let removed = fs::remove_file(&probe);
    waited.and(removed).map_err(|e| with_path(e, &probe))
}

/// A new staging folder beside `out_dir`, holding the marker: named, tracked, made and marked
/// under one hold, as an interruption in between would leave it behind; removed again if it
/// cannot be marked.
fn begin_staging(out_dir: &Path, cleanup: &Cleanup) -> io::Result<PathBuf> {
    let parent = parent_folder(out_dir);
    fs::create_dir_all(&parent).map_err(|e| with_path(e, &parent))?;
    let mut held = cleanup.hold()?;
    let staging = unique_sibling(out_dir, "new")?;
    held.track(&staging);
    fs::create_dir(&staging).map_err(|e| with_path(e, &staging))?;
    let marker = guard::OUTPUT_MARKER_TEXT.as_bytes();
    let digest = crate::source::digest_bytes(marker);
    let previous_site = out_dir.is_dir().then_some(out_dir);
    if let Err(error) = place_bytes(
        guard::OUTPUT_MARKER,
        marker,
        digest,
        &staging,
        previous_site,
    ) {
        let _ = fs::remove_dir_all(&staging);
        held.untrack(&staging);
        return Err(error);
    }
    Ok(staging)
}

/// Every folder the outputs still to be written go in, inside `staging`, made before any file
/// is written so that the files can be written in any order, on every core. The folders of
/// the pages the render wrote through exist already.
fn make_folders(outputs: &[Output], staging: &Path, cleanup: &Cleanup) -> io::Result<()> {
    let folders = folders_of(
        outputs
            .iter()
            .filter(|output| !matches!(output.content, Content::Placed { .. }))
            .map(|output| output.path.as_str()),
    );
    // Grouped by depth, so that each folder's parent exists before it is made.
    let mut by_depth: Vec<Vec<&str>> = Vec::new();
    for folder in folders {
        let depth = folder.matches('/').count();
        if by_depth.len() <= depth {
            by_depth.resize_with(depth + 1, Vec::new);
        }
        by_depth[depth].push(folder);
    }
    for level in by_depth {
        level.par_iter().try_for_each(|folder| {
            let _running = cleanup.share()?;
            let path = staging.join(folder);
            match fs::create_dir(&path) {
                Err(error) if error.kind() != io::ErrorKind::AlreadyExists => {
                    Err(with_path(error, &path))
                }
                _ => Ok(()),
            }
        })?;
    }
    Ok(())
}

/// Every folder the relative `/`-separated `paths` sit in, their parents included.
pub(crate) fn folders_of<'a>(paths: impl IntoIterator<Item = &'a str>) -> BTreeSet<&'a str> {
    let mut folders = BTreeSet::new();
    for mut path in paths {
        while let Some((folder, _)) = path.rsplit_once('/') {
            if !folders.insert(folder) {
                // Its parents are in already.
                break;
            }
            path = folder;
        }
    }
    folders
}

enum Placed {
    Written,
    /// A hard link to the previous site's file, which had the same bytes.
    Linked,
}

fn place(output: &Output, staging: &Path, previous_site: Option<&Path>) -> io::Result<Placed> {
    match &output.content {
        Content::Placed { linked: true, .. } => Ok(Placed::Linked),
        Content::Placed { linked: false, .. } => Ok(Placed::Written),
        _ => place_bytes(
            &output.path,
            &output.bytes()?,
            output.digest,
            staging,
            previous_site,
        ),
    }
}

/// Writes the file at `path` (relative, `/`-separated) of the staging folder, or links it to
/// the previous site's (the folder `previous_site`, when there is one) when that has the same
/// bytes (`digest`).
fn place_bytes(
    path: &str,
    bytes: &[u8],
    digest: Digest,
    staging: &Path,
    previous_site: Option<&Path>,
) -> io::Result<Placed> {
    let target = staging.join(path);
    if let Some(previous_site) = previous_site {
        let previous = previous_site.join(path);
        if same_bytes(&previous, digest)? && fs::hard_link(&previous, &target).is_ok() {
            return Ok(Placed::Linked);
        }
    }
    fs::write(&target, bytes).map_err(|e| with_path(e, &target))?;
    Ok(Placed::Written)
}

/// A free name beside `out_dir`, `.<name>.<what>-<pid>-<nanos>`, for a folder about to be made.
/// Nothing is created: a name reserved on disk would be debris if the build stopped there.
/// The folder's lock keeps other builds out, and the process id other processes' names.
fn unique_sibling(out_dir: &Path, what: &str) -> io::Result<PathBuf> {
    let parent = parent_folder(out_dir);
    let base = format!(".{}.{what}-{}", folder_name(out_dir), std::process::id());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.subsec_nanos());
    for attempt in 0..1000u32 {
        let candidate = parent.join(format!("{base}-{:08x}", nanos.wrapping_add(attempt)));
        if fs::symlink_metadata(&candidate).is_err() {
            return Ok(candidate);
        }
    }
    Err(with_path(
        io::Error::new(io::ErrorKind::AlreadyExists, "no free staging name"),
        &parent,
    ))
}

impl Drop for StagedSite {
    fn drop(&mut self) {
        if self.in_place {
            return;
        }
        // Under the hold when it can be had; when it cannot, the Ctrl-C cleanup holds it and
        // removes this folder itself (a failed swap removes its staging before dropping it).
        if let Some(mut held) = self.cleanup.try_hold() {
            let _ = fs::remove_dir_all(&self.staging);
            held.untrack(&self.staging);
        }
    }
}

impl StagedSite {
    /// Puts the staged site in place of the output folder. Both renames happen under `held`,
    /// so that an interruption leaves one site or the other, never neither.
    pub fn swap_in(mut self, held: &mut Held<'_>) -> io::Result<Swapped> {
        let swapped = self.renames(held);
        if swapped.is_err() {
            // The staged site is not in place: removed here, under the hold the caller has.
            let _ = fs::remove_dir_all(&self.staging);
        }
        held.untrack(&self.staging);
        self.in_place = true;
        Ok(Swapped {
            out_dir: self.out_dir.clone(),
            retired: swapped?,
            cleanup: self.cleanup.clone(),
            stats: self.stats,
        })
    }

    /// The previous site aside (if any), then the staged one in its place; the previous one
    /// is put back if the second rename fails.
    fn renames(&self, held: &mut Held<'_>) -> io::Result<Option<PathBuf>> {
        let retired = if self.out_dir.exists() {
            let retired = unique_sibling(&self.out_dir, "old")?;
            held.track(&retired);
            fs::rename(&self.out_dir, &retired).map_err(|e| with_path(e, &self.out_dir))?;
            Some(retired)
        } else {
            None
        };
        if let Err(error) = fs::rename(&self.staging, &self.out_dir) {
            if let Some(retired) = &retired {
                let _ = fs::rename(retired, &self.out_dir);
                held.untrack(retired);
            }
            return Err(with_path(error, &self.out_dir));
        }
        Ok(retired)
    }
}

/// A staged site swapped into place; the previous one is kept aside until [`Swapped::finish`]
/// removes it or [`Swapped::roll_back`] puts it back.
pub struct Swapped {
    out_dir: PathBuf,
    retired: Option<PathBuf>,
    cleanup: Cleanup,
    pub stats: WriteStats,
}

impl Swapped {
    /// Removes the previous site.
    pub fn finish(self) -> io::Result<WriteStats> {
        if let Some(retired) = &self.retired {
            // Under the hold, so that a Ctrl-C cleanup never removes it at the same time.
            let mut held = self.cleanup.hold()?;
            fs::remove_dir_all(retired).map_err(|e| with_path(e, retired))?;
            held.untrack(retired);
        }
        Ok(self.stats)
    }

    /// Puts the previous site back (or removes the new one if there was none), under `held`.
    pub fn roll_back(self, held: &mut Held<'_>) -> io::Result<()> {
        let failed = unique_sibling(&self.out_dir, "failed")?;
        held.track(&failed);
        fs::rename(&self.out_dir, &failed).map_err(|e| with_path(e, &self.out_dir))?;
        if let Some(retired) = &self.retired {
            fs::rename(retired, &self.out_dir).map_err(|e| with_path(e, retired))?;
            held.untrack(retired);
        }
        fs::remove_dir_all(&failed).map_err(|e| with_path(e, &failed))?;
        held.untrack(&failed);
        Ok(())
    }
}

/// Writes the whole site to a temporary sibling of `out_dir`, then swaps it in. On any
/// failure `out_dir` is left as it was.
pub fn write_site(out_dir: &Path, outputs: &[Output]) -> io::Result<WriteStats> {
    let cleanup = Cleanup::new();
    let staged = stage_site(out_dir, outputs, None, &cleanup, None)?;
    let swapped = staged.swap_in(&mut cleanup.hold()?)?;
    swapped.finish()
}

fn parent_folder(out_dir: &Path) -> PathBuf {
    match out_dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn folder_name(out_dir: &Path) -> String {
    out_dir
        .file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned())
}

fn same_bytes(previous: &Path, digest: Digest) -> io::Result<bool> {
    let Ok(metadata) = fs::symlink_metadata(previous) else {
        return Ok(false);
    };
    if !metadata.is_file() {
        return Ok(false);
    }
    let old = fs::read(previous).map_err(|e| with_path(e, previous))?;
    Ok(crate::source::digest_bytes(&old) == digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(path: &str, text: &str) -> Output {
        Output::from_bytes(path, text.as_bytes())
    }

    #[test]
    fn unchanged_files_keep_their_modification_time() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        write_site(&site, &[output("a/index.html", "A"), output("b.txt", "B")]).unwrap();
        let before = fs::metadata(site.join("a/index.html"))
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let stats =
            write_site(&site, &[output("a/index.html", "A"), output("b.txt", "B2")]).unwrap();
        assert_eq!(
            stats,
            WriteStats {
                written: 1,
                unchanged: 1
            }
        );
        let after = fs::metadata(site.join("a/index.html"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after);
        assert_eq!(fs::read_to_string(site.join("b.txt")).unwrap(), "B2");
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folder is left behind");
    }

    /// An output kept in the previous build's file, as a warm build takes it.
    fn kept(site: &Path, path: &str, text: &str) -> Output {
        Output {
            path: path.to_string(),
            content: Content::Kept {
                path: site.join(path),
                size: text.len() as u64,
            },
            digest: crate::source::digest_bytes(text.as_bytes()),
        }
    }

    #[test]
    fn a_kept_output_is_linked_when_staged_and_refused_once_its_file_changed() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        write_site(&site, &[output("a/index.html", "A"), output("b.txt", "B")]).unwrap();
        let inode = |path: &Path| fs::metadata(path).unwrap().ino();
        let before = inode(&site.join("a/index.html"));
        let outputs = [kept(&site, "a/index.html", "A"), output("b.txt", "B2")];
        let stats = write_site(&site, &outputs).unwrap();
        assert_eq!(stats.unchanged, 1);
        assert_eq!(inode(&site.join("a/index.html")), before, "the same file");

        // Changed after the build found the folder as it left it: not this output's bytes.
        fs::write(site.join("a/index.html"), "changed").unwrap();
        let error = write_site(&site, &[kept(&site, "a/index.html", "A")]).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("a/index.html"), "{message}");
        assert!(message.contains("changed while the build ran"), "{message}");
        assert_eq!(
            fs::read_to_string(site.join("a/index.html")).unwrap(),
            "changed"
        );
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folder is left behind");
    }
}
