//! Write stage, offline archive: the site's outputs → one zip file whose root `index.html` is
//! the language chooser. Entries are sorted and dated 1980-01-01 (zip's earliest date), so
//! that the same site gives the same archive byte for byte; its comment says briefing wrote
//! it, so that a later build may replace it.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

use crate::output::guard::ARCHIVE_COMMENT;
use crate::output::{Cleanup, Held, Output, with_path};

/// What the archive holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArchiveStats {
    pub files: usize,
    pub bytes: u64,
}

/// An archive written in full to a temporary file beside its destination, not yet in place.
/// Dropped without [`StagedArchive::persist`], the temporary file is removed.
pub struct StagedArchive {
    staging: tempfile::NamedTempFile,
    archive: PathBuf,
    files: usize,
}

/// Writes `outputs` into a zip in a temporary file in the folder of `archive`, which is not
/// touched until [`StagedArchive::persist`].
pub fn stage_archive(
    archive: &Path,
    outputs: &[Output],
    cleanup: &Cleanup,
) -> io::Result<StagedArchive> {
    let folder = match archive.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    fs::create_dir_all(folder).map_err(|e| with_path(e, folder))?;
    // Made and tracked under one hold, so that an interruption cannot fall between the two.
    let mut held = cleanup.hold()?;
    let staging = tempfile::Builder::new()
        .prefix(".briefing-archive-")
        .suffix(".zip")
        .tempfile_in(folder)
        .map_err(|e| with_path(e, folder))?;
    held.track(staging.path());
    drop(held);
    let staged = StagedArchive {
        staging,
        archive: archive.to_path_buf(),
        files: outputs.len(),
    };
    let mut zip = ZipWriter::new(io::BufWriter::new(staged.staging.as_file()));
    zip.set_comment(ARCHIVE_COMMENT)
        .map_err(|e| zip_error(e, archive))?;
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let mut sorted: Vec<&Output> = outputs.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    for output in sorted {
        let _running = cleanup.hold()?;
        zip.start_file(output.path.as_str(), options)
            .map_err(|e| zip_error(e, archive))?;
        zip.write_all(&output.bytes()?)
            .map_err(|e| with_path(e, archive))?;
    }
    zip.finish()
        .map_err(|e| zip_error(e, archive))?
        .flush()
        .map_err(|e| with_path(e, archive))?;
    Ok(staged)
}

impl StagedArchive {
    /// Renames the temporary file over the destination, under `held`.
    pub fn persist(self, held: &mut Held<'_>) -> io::Result<ArchiveStats> {
        let staging_path = self.staging.path().to_path_buf();
        self.staging
            .persist(&self.archive)
            .map_err(|e| with_path(e.error, &self.archive))?;
        held.untrack(&staging_path);
        let bytes = fs::metadata(&self.archive)
            .map_err(|e| with_path(e, &self.archive))?
            .len();
        Ok(ArchiveStats {
            files: self.files,
            bytes,
        })
    }
}

/// Writes `outputs` into the zip at `archive`, through a temporary file in the same folder
/// that replaces it only once complete: a failure leaves any previous archive as it was.
pub fn write_archive(archive: &Path, outputs: &[Output]) -> io::Result<ArchiveStats> {
    let cleanup = Cleanup::new();
    let staged = stage_archive(archive, outputs, &cleanup)?;
    staged.persist(&mut cleanup.hold()?)
}

fn zip_error(error: zip::result::ZipError, path: &Path) -> io::Error {
    io::Error::other(format!("{}: {error}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn output(path: &str, text: &str) -> Output {
        Output::from_bytes(path, text.as_bytes())
    }

    #[test]
    fn the_archive_holds_every_output_at_its_path_and_is_reproducible() {
        let dir = tempfile::tempdir().unwrap();
        let outputs = [
            output("index.html", "chooser"),
            output("fr/index.html", "accueil"),
        ];
        let first = dir.path().join("site.zip");
        write_archive(&first, &outputs).unwrap();
        let second = dir.path().join("again.zip");
        write_archive(&second, &[outputs[1].clone(), outputs[0].clone()]).unwrap();
        assert_eq!(fs::read(&first).unwrap(), fs::read(&second).unwrap());
        let mut zip = zip::ZipArchive::new(fs::File::open(&first).unwrap()).unwrap();
        let mut text = String::new();
        zip.by_name("index.html")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "chooser");
    }
}
