//! The metadata of many files under one folder, each looked up from the folder's handle: the
//! kernel then walks the path below the folder only, not the whole path from `/` (a warm
//! build looks at some 38,000 files and folders at 5,000 topics, about 0.9 µs each this way
//! against 1.5 µs by absolute path).

use std::io;
use std::os::fd::OwnedFd;
use std::path::Path;

use rustix::fs::{AtFlags, FileType, Mode, OFlags};

/// An open handle on a folder, to look up what it holds.
pub struct Folder(OwnedFd);

/// What the metadata of one file or folder says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metadata {
    pub kind: Kind,
    pub size: u64,
    pub modified_ns: i128,
    pub changed_ns: i128,
    pub inode: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Folder,
    Link,
    Other,
}

impl Folder {
    /// The folder at `path` (followed if it is a link).
    pub fn open(path: &Path) -> io::Result<Folder> {
        let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
        Ok(Folder(rustix::fs::open(path, flags, Mode::empty())?))
    }

    /// The metadata of `relative` under this folder, of the link itself when it is one.
    pub fn metadata(&self, relative: &Path) -> io::Result<Metadata> {
        self.stat(relative, AtFlags::SYMLINK_NOFOLLOW)
    }

    /// The metadata of `relative` under this folder, of what it points to when it is a link.
    pub fn metadata_followed(&self, relative: &Path) -> io::Result<Metadata> {
        self.stat(relative, AtFlags::empty())
    }

    #[allow(
        clippy::useless_conversion,
        reason = "the field types differ by target"
    )]
    fn stat(&self, relative: &Path, flags: AtFlags) -> io::Result<Metadata> {
        let stat = rustix::fs::statat(&self.0, relative, flags)?;
        let nanos =
            |seconds: i64, nanos: u64| i128::from(seconds) * 1_000_000_000 + i128::from(nanos);
        let kind = match FileType::from_raw_mode(stat.st_mode) {
            FileType::RegularFile => Kind::File,
            FileType::Directory => Kind::Folder,
            FileType::Symlink => Kind::Link,
            _ => Kind::Other,
        };
        Ok(Metadata {
            kind,
            size: u64::try_from(stat.st_size).unwrap_or(0),
            modified_ns: nanos(i64::from(stat.st_mtime), u64::from(stat.st_mtime_nsec)),
            changed_ns: nanos(i64::from(stat.st_ctime), u64::from(stat.st_ctime_nsec)),
            inode: u64::from(stat.st_ino),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    #[test]
    fn a_lookup_from_the_folder_says_what_the_full_path_does() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("a/b.html"), "twelve bytes").unwrap();
        std::os::unix::fs::symlink("b.html", dir.path().join("a/link")).unwrap();
        let folder = Folder::open(dir.path()).unwrap();
        let file = folder.metadata(Path::new("a/b.html")).unwrap();
        let std = std::fs::metadata(dir.path().join("a/b.html")).unwrap();
        assert_eq!(
            (file.kind, file.size, file.inode),
            (Kind::File, 12, std.ino())
        );
        assert_eq!(
            file.modified_ns,
            i128::from(std.mtime()) * 1_000_000_000 + i128::from(std.mtime_nsec())
        );
        assert_eq!(folder.metadata(Path::new("a")).unwrap().kind, Kind::Folder);
        assert_eq!(
            folder.metadata(Path::new("a/link")).unwrap().kind,
            Kind::Link
        );
        assert_eq!(folder.metadata_followed(Path::new("a/link")).unwrap(), file);
        assert!(folder.metadata(Path::new("a/none")).is_err());
    }
}
