//! Write stage, before anything is written: `--out DIR` and `--archive FILE` → the resolved
//! destinations, or the reason they would touch a source or a file briefing did not write.
//!
//! Every rule is checked on real paths (symlinks resolved, `..` applied), so that no spelling
//! of a path reaches around them.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The file briefing writes into every output folder, by which it recognises one it wrote.
pub const OUTPUT_MARKER: &str = ".briefing-output";

/// What the marker says to whoever finds it.
pub const OUTPUT_MARKER_TEXT: &str = "This folder is written by `briefing build`, which replaces \
it as a whole at each build: files kept here are lost.\n";

/// The comment of every zip briefing writes, by which it recognises one.
pub const ARCHIVE_COMMENT: &str = "briefing offline archive";

/// The folders of a project that hold its sources (and its history).
pub const SOURCE_FOLDERS: &[&str] = &["content", "locales", "themes", ".git"];

/// The single files of a project that are sources.
pub const SOURCE_FILES: &[&str] = &[crate::config::CONFIG_FILE];

/// Where a build may write, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destinations {
    pub out_dir: PathBuf,
    pub archive: Option<PathBuf>,
}

/// What `build` was asked to write, as given on the command line (relative to the project).
#[derive(Debug, Clone, Copy)]
pub struct Requested<'a> {
    pub root: &'a Path,
    pub out: &'a Path,
    pub archive: Option<&'a Path>,
    /// Allows replacing a folder or a file that briefing did not write.
    pub force: bool,
}

/// Why a destination is refused.
#[derive(Debug)]
pub enum DestinationError {
    /// The output would replace the project or a folder holding it.
    HoldsProject { path: PathBuf },
    /// The output or archive would be written inside a source folder, or over a source file.
    InsideSources { path: PathBuf, source: PathBuf },
    /// The output or archive would be written inside the project's cache folder, which
    /// builds rewrite (see `parse_store`).
    InsideCache { path: PathBuf, cache: PathBuf },
    /// The output folder exists and is a file.
    NotAFolder { path: PathBuf },
    /// The output folder holds files and has no marker.
    NotWrittenByBriefing { path: PathBuf },
    /// The archive would be written inside the output folder, which the build replaces.
    ArchiveInsideOutput { path: PathBuf, out_dir: PathBuf },
    /// The archive path is a folder.
    ArchiveIsAFolder { path: PathBuf },
    /// The archive path is a file that is not a zip briefing wrote.
    ArchiveNotWrittenByBriefing { path: PathBuf },
    /// A path could not be examined.
    Io { path: PathBuf, error: io::Error },
}

impl fmt::Display for DestinationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DestinationError::HoldsProject { path } => write!(
                f,
                "refusing to write the site into {}: it holds the project, whose files the \
                 build would replace",
                path.display()
            ),
            DestinationError::InsideSources { path, source } => write!(
                f,
                "refusing to write {}: it is inside the project's sources ({})",
                path.display(),
                source.display()
            ),
            DestinationError::InsideCache { path, cache } => write!(
                f,
                "refusing to write {}: it is inside the project's cache folder ({}), which \
                 every build rewrites",
                path.display(),
                cache.display()
            ),
            DestinationError::NotAFolder { path } => write!(
                f,
                "refusing to write the site into {}: it exists and is not a folder",
                path.display()
            ),
            DestinationError::NotWrittenByBriefing { path } => write!(
                f,
                "refusing to replace {}: it is not empty and was not written by briefing (no \
                 {OUTPUT_MARKER} in it); pass --force to replace it and everything in it",
                path.display()
            ),
            DestinationError::ArchiveInsideOutput { path, out_dir } => write!(
                f,
                "refusing to write the archive {}: it is inside the output folder {}, which \
                 each build replaces",
                path.display(),
                out_dir.display()
            ),
            DestinationError::ArchiveIsAFolder { path } => write!(
                f,
                "refusing to write the archive over {}: it is a folder",
                path.display()
            ),
            DestinationError::ArchiveNotWrittenByBriefing { path } => write!(
                f,
                "refusing to replace {}: it is not an archive briefing wrote; pass --force to \
                 replace it",
                path.display()
            ),
            DestinationError::Io { path, error } => {
                write!(f, "cannot examine {}: {error}", path.display())
            }
        }
    }
}

impl std::error::Error for DestinationError {}

/// Resolves and checks the destinations of a build; nothing is written or moved.
pub fn check_destinations(request: Requested<'_>) -> Result<Destinations, DestinationError> {
    let root = fs::canonicalize(request.root).map_err(|error| DestinationError::Io {
        path: request.root.to_path_buf(),
        error,
    })?;
    let out_dir = resolve(&root, request.out)?;
    if root.starts_with(&out_dir) {
        return Err(DestinationError::HoldsProject { path: out_dir });
    }
    refuse_sources(&root, &out_dir)?;
    check_out_dir(&out_dir, request.force)?;
    let archive = match request.archive {
        Some(archive) => {
            let archive = resolve(&root, archive)?;
            if root.starts_with(&archive) {
                return Err(DestinationError::ArchiveIsAFolder { path: archive });
            }
            refuse_sources(&root, &archive)?;
            if archive.starts_with(&out_dir) {
                return Err(DestinationError::ArchiveInsideOutput {
                    path: archive,
                    out_dir,
                });
            }
            check_archive(&archive, request.force)?;
            Some(archive)
        }
        None => None,
    };
    Ok(Destinations { out_dir, archive })
}

fn refuse_sources(root: &Path, path: &Path) -> Result<(), DestinationError> {
    let sources = SOURCE_FOLDERS.iter().chain(SOURCE_FILES);
    for source in sources.map(|name| root.join(name)) {
        if path.starts_with(&source) {
            return Err(DestinationError::InsideSources {
                path: path.to_path_buf(),
                source,
            });
        }
    }
    let cache = root.join(crate::parse_store::CACHE_DIR);
    if path.starts_with(&cache) {
        return Err(DestinationError::InsideCache {
            path: path.to_path_buf(),
            cache,
        });
    }
    Ok(())
}

fn check_out_dir(out_dir: &Path, force: bool) -> Result<(), DestinationError> {
    let io_error = |error| DestinationError::Io {
        path: out_dir.to_path_buf(),
        error,
    };
    let metadata = match fs::metadata(out_dir) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(io_error(error)),
    };
    if !metadata.is_dir() {
        return Err(DestinationError::NotAFolder {
            path: out_dir.to_path_buf(),
        });
    }
    if force || out_dir.join(OUTPUT_MARKER).is_file() {
        return Ok(());
    }
    let mut entries = fs::read_dir(out_dir).map_err(io_error)?;
    if entries.next().is_some() {
        return Err(DestinationError::NotWrittenByBriefing {
            path: out_dir.to_path_buf(),
        });
    }
    Ok(())
}

fn check_archive(archive: &Path, force: bool) -> Result<(), DestinationError> {
    let metadata = match fs::metadata(archive) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(error) => {
            return Err(DestinationError::Io {
                path: archive.to_path_buf(),
                error,
            });
        }
    };
    if metadata.is_dir() {
        return Err(DestinationError::ArchiveIsAFolder {
            path: archive.to_path_buf(),
        });
    }
    if force || is_briefing_archive(archive) {
        return Ok(());
    }
    Err(DestinationError::ArchiveNotWrittenByBriefing {
        path: archive.to_path_buf(),
    })
}

/// Whether `path` is a zip whose comment is briefing's.
pub fn is_briefing_archive(path: &Path) -> bool {
    let Ok(file) = fs::File::open(path) else {
        return false;
    };
    let Ok(archive) = zip::ZipArchive::new(io::BufReader::new(file)) else {
        return false;
    };
    archive.comment() == ARCHIVE_COMMENT.as_bytes()
}

/// `path` made absolute from the project folder with `..` applied and every symlink of the
/// part that exists resolved; the part that does not exist yet is kept as written.
fn resolve(root: &Path, path: &Path) -> Result<PathBuf, DestinationError> {
    let joined = root.join(path);
    let mut existing = PathBuf::new();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    for component in joined.components() {
        match component {
            Component::ParentDir if !rest.is_empty() => {
                rest.pop();
            }
            Component::ParentDir => {
                existing = fs::canonicalize(&existing)
                    .map_err(|error| DestinationError::Io {
                        path: joined.clone(),
                        error,
                    })?
                    .parent()
                    .map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
            }
            Component::CurDir => {}
            Component::Normal(name) if rest.is_empty() && existing.join(name).exists() => {
                existing.push(name);
            }
            Component::Normal(name) => rest.push(name.to_os_string()),
            Component::RootDir | Component::Prefix(_) => existing.push(component),
        }
    }
    let mut resolved = fs::canonicalize(&existing).map_err(|error| DestinationError::Io {
        path: joined.clone(),
        error,
    })?;
    resolved.extend(rest);
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_dot_and_symlinks_are_resolved_before_the_rules_apply() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("project");
        fs::create_dir_all(root.join("content/topic")).unwrap();
        let real_root = fs::canonicalize(&root).unwrap();
        assert_eq!(
            resolve(&root, Path::new("site/../content/x/../new")).unwrap(),
            real_root.join("content/new")
        );
        std::os::unix::fs::symlink(root.join("content"), root.join("link")).unwrap();
        assert_eq!(
            resolve(&root, Path::new("link/topic/out")).unwrap(),
            real_root.join("content/topic/out")
        );
        assert_eq!(
            resolve(&root, Path::new("..")).unwrap(),
            real_root.parent().unwrap()
        );
    }
}
