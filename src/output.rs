//! Write stage: `Output {path, content}` → files. A build goes into a temporary sibling of
//! the output folder and replaces it only once complete; files whose bytes did not change
//! keep their modification time (they are hard links to the previous files).

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::source::Digest;

/// The bytes of an output file: rendered, or copied from a source file.
#[derive(Debug, Clone)]
pub enum Content {
    Bytes(Arc<[u8]>),
    Copy(PathBuf),
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

    pub fn bytes(&self) -> io::Result<std::borrow::Cow<'_, [u8]>> {
        match &self.content {
            Content::Bytes(bytes) => Ok(std::borrow::Cow::Borrowed(bytes)),
            Content::Copy(source) => fs::read(source)
                .map(std::borrow::Cow::Owned)
                .map_err(|error| with_path(error, source)),
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

/// Writes the whole site to a temporary sibling of `out_dir`, then swaps it in. On any
/// failure `out_dir` is left as it was.
pub fn write_site(out_dir: &Path, outputs: &[Output]) -> io::Result<WriteStats> {
    let parent = match out_dir.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| with_path(e, &parent))?;
    let name = out_dir
        .file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.new-"))
        .tempdir_in(&parent)
        .map_err(|e| with_path(e, &parent))?;
    let mut stats = WriteStats::default();
    let mut folders = HashSet::new();
    for output in outputs {
        let target = staging.path().join(&output.path);
        if let Some(folder) = target.parent()
            && folders.insert(folder.to_path_buf())
        {
            fs::create_dir_all(folder).map_err(|e| with_path(e, folder))?;
        }
        let previous = out_dir.join(&output.path);
        if same_bytes(&previous, output)? && fs::hard_link(&previous, &target).is_ok() {
            stats.unchanged += 1;
            continue;
        }
        fs::write(&target, output.bytes()?).map_err(|e| with_path(e, &target))?;
        stats.written += 1;
    }
    swap_in(staging, out_dir)?;
    Ok(stats)
}

fn same_bytes(previous: &Path, output: &Output) -> io::Result<bool> {
    let Ok(metadata) = fs::symlink_metadata(previous) else {
        return Ok(false);
    };
    if !metadata.is_file() {
        return Ok(false);
    }
    let old = fs::read(previous).map_err(|e| with_path(e, previous))?;
    Ok(crate::source::digest_bytes(&old) == output.digest)
}

fn swap_in(staging: tempfile::TempDir, out_dir: &Path) -> io::Result<()> {
    let staging_path = staging.keep();
    if !out_dir.exists() {
        return fs::rename(&staging_path, out_dir).map_err(|e| with_path(e, out_dir));
    }
    let parent = staging_path.parent().unwrap_or(Path::new("."));
    let name = out_dir
        .file_name()
        .map_or_else(|| "site".into(), |n| n.to_string_lossy().into_owned());
    let retired = tempfile::Builder::new()
        .prefix(&format!(".{name}.old-"))
        .tempdir_in(parent)
        .map_err(|e| with_path(e, parent))?
        .keep();
    fs::remove_dir(&retired).map_err(|e| with_path(e, &retired))?;
    fs::rename(out_dir, &retired).map_err(|e| with_path(e, out_dir))?;
    if let Err(error) = fs::rename(&staging_path, out_dir) {
        // Put the previous site back before reporting.
        let _ = fs::rename(&retired, out_dir);
        let _ = fs::remove_dir_all(&staging_path);
        return Err(with_path(error, out_dir));
    }
    fs::remove_dir_all(&retired).map_err(|e| with_path(e, &retired))
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
}
