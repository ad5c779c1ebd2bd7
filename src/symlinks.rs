//! Symbolic links in a project, one rule for build, check and serve: a symbolic link is never
//! read, wherever it points (inside the project or not), and each one is named in a warning.
//! Following links only when they stay inside the project would make a preview depend on
//! files the watcher does not see change; skipping them keeps both simple and equal.
//! `serve` also reads a file it is about to serve through its real path, which must be inside
//! the project, so that a file swapped for a link after it was read is not served either.

use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, display_path};

/// Whether `path` itself (not what it points to) is a symbolic link.
pub fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|metadata| metadata.file_type().is_symlink())
}

/// Whether `relative` (to `root`) is reached through a symbolic link: is one, or sits in a
/// folder that is one (a link to a folder elsewhere, watched through the link).
pub fn through_symlink(root: &Path, relative: &Path) -> bool {
    let path = root.join(relative);
    if is_symlink(&path) {
        return true;
    }
    match (root.canonicalize(), path.canonicalize()) {
        (Ok(root), Ok(real)) => real != root.join(relative),
        // Gone meanwhile: reading it will say so.
        _ => false,
    }
}

/// The warning naming a symbolic link left out of the site; `relative` to the project root.
pub fn skipped_warning(relative: &Path) -> Diagnostic {
    Diagnostic::warning(
        "symlink-skipped",
        relative,
        format!(
            "{} is a symbolic link: it is left out of the site",
            display_path(relative)
        ),
    )
    .with_help(
        "briefing publishes only regular files (build and serve alike): copy the file here instead",
    )
}

/// Reads `path` (absolute) if its real path, resolved now, is inside `root`; refuses it
/// otherwise, naming it.
pub fn read_inside(root: &Path, path: &Path) -> io::Result<Vec<u8>> {
    let real = real_path_inside(root, path)?;
    std::fs::read(real)
}

/// The real path of `path`, if it is inside `root` (itself resolved).
pub fn real_path_inside(root: &Path, path: &Path) -> io::Result<PathBuf> {
    let root = root.canonicalize()?;
    let real = path.canonicalize()?;
    if real.starts_with(&root) && !is_symlink(path) {
        Ok(real)
    } else {
        Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "{} is a symbolic link or leads outside the project: not served",
                path.display()
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn only_regular_files_inside_the_root_are_read() {
        let project = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(project.path().join("kept.txt"), "kept").unwrap();
        std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
        let link = project.path().join("link.txt");
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), &link).unwrap();
        let inner = project.path().join("inner.txt");
        std::os::unix::fs::symlink(project.path().join("kept.txt"), &inner).unwrap();

        assert_eq!(
            read_inside(project.path(), &project.path().join("kept.txt")).unwrap(),
            b"kept"
        );
        assert!(read_inside(project.path(), &link).is_err());
        assert!(read_inside(project.path(), &inner).is_err());
        assert!(is_symlink(&link));
        std::fs::create_dir(outside.path().join("folder")).unwrap();
        std::fs::write(outside.path().join("folder/secret.txt"), "secret").unwrap();
        std::os::unix::fs::symlink(outside.path().join("folder"), project.path().join("folder"))
            .unwrap();
        assert!(through_symlink(
            project.path(),
            Path::new("folder/secret.txt")
        ));
        assert!(through_symlink(project.path(), Path::new("link.txt")));
        assert!(!through_symlink(project.path(), Path::new("kept.txt")));
        assert!(!is_symlink(&project.path().join("kept.txt")));
    }
}
