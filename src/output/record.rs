//! Write stage, the output record: `.briefing-record`, written with each build beside the
//! marker, lists every output the build rendered with the digests it was reused by (see
//! `render::RecordedRender`) and each language's search index with the digest of the
//! documents it was made from. The next build into the folder starts from it, so that it
//! renders and writes only what changed; `--fresh` ignores it.
//!
//! The record holds for the binary that wrote it only (its version, size and modification
//! time head the file): another binary may render the same inputs differently.

use std::fmt::Write as _;
use std::path::Path;

use crate::render::RecordedRender;
use crate::search::RecordedIndex;
use crate::source::Digest;
use crate::urls::SitePath;

use super::Output;

/// The record's file name, in the output folder.
pub const RECORD_FILE: &str = ".briefing-record";

/// What the record says of the build that wrote the folder.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct OutputRecord {
    pub renders: Vec<RecordedRender>,
    pub indexes: Vec<RecordedIndex>,
}

/// The first line: which binary wrote the record.
fn stamp() -> String {
    let binary = std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|metadata| {
            let modified = metadata
                .modified()
                .ok()
                .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |since| since.as_nanos());
            format!("{} {modified}", metadata.len())
        })
        .unwrap_or_else(|_| "unknown".into());
    format!(
        "briefing-output-record 1 {} {binary}",
        env!("CARGO_PKG_VERSION")
    )
}

impl OutputRecord {
    /// The record of `out_dir`, if the folder has one this binary wrote and it reads whole.
    pub fn read(out_dir: &Path) -> Option<OutputRecord> {
        let text = std::fs::read_to_string(out_dir.join(RECORD_FILE)).ok()?;
        let mut lines = text.lines();
        if lines.next()? != stamp() {
            return None;
        }
        let mut record = OutputRecord::default();
        for line in lines {
            let mut fields = line.splitn(5, ' ');
            match fields.next()? {
                "r" => {
                    let key = hex_digest(fields.next()?)?;
                    let view = hex_digest(fields.next()?)?;
                    let digest = hex_digest(fields.next()?)?;
                    let path = SitePath::file(fields.next()?);
                    record.renders.push(RecordedRender {
                        path,
                        key,
                        view,
                        digest,
                    });
                }
                "i" => {
                    let lang = fields.next()?.to_string();
                    let inputs = hex_digest(fields.next()?)?;
                    let digest = hex_digest(fields.next()?)?;
                    let path = fields.next()?.to_string();
                    match record.indexes.last_mut() {
                        Some(index) if index.lang == lang && index.inputs == inputs => {
                            index.files.push((path, digest));
                        }
                        _ => record.indexes.push(RecordedIndex {
                            lang,
                            inputs,
                            files: vec![(path, digest)],
                        }),
                    }
                }
                _ => return None,
            }
        }
        Some(record)
    }

    /// The record as an output of the site.
    pub fn to_output(&self) -> Output {
        let mut text = stamp();
        text.push('\n');
        for render in &self.renders {
            let _ = writeln!(
                text,
                "r {} {} {} {}",
                hex(&render.key),
                hex(&render.view),
                hex(&render.digest),
                render.path.as_str()
            );
        }
        for index in &self.indexes {
            for (path, digest) in &index.files {
                let _ = writeln!(
                    text,
                    "i {} {} {} {path}",
                    index.lang,
                    hex(&index.inputs),
                    hex(digest)
                );
            }
        }
        Output::from_bytes(RECORD_FILE, text.into_bytes())
    }
}

fn hex(digest: &Digest) -> String {
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn hex_digest(text: &str) -> Option<Digest> {
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    let mut digest = [0u8; 32];
    for (at, byte) in digest.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[at * 2..at * 2 + 2], 16).ok()?;
    }
    Some(digest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_reads_back_as_written_and_a_damaged_one_not_at_all() {
        let record = OutputRecord {
            renders: vec![RecordedRender {
                path: SitePath::folder(&["fr", "a b"]),
                key: [1; 32],
                view: [2; 32],
                digest: [3; 32],
            }],
            indexes: vec![RecordedIndex {
                lang: "fr".into(),
                inputs: [4; 32],
                files: vec![("fr/recherche/search-index.js".into(), [5; 32])],
            }],
        };
        let dir = tempfile::tempdir().unwrap();
        let output = record.to_output();
        std::fs::write(dir.path().join(RECORD_FILE), output.bytes().unwrap()).unwrap();
        assert_eq!(OutputRecord::read(dir.path()), Some(record));
        let text = String::from_utf8(output.bytes().unwrap().to_vec()).unwrap();
        std::fs::write(dir.path().join(RECORD_FILE), text.replace("r 01", "r 0g")).unwrap();
        assert_eq!(OutputRecord::read(dir.path()), None);
        std::fs::write(
            dir.path().join(RECORD_FILE),
            text.replacen("record 1", "record 0", 1),
        )
        .unwrap();
        assert_eq!(OutputRecord::read(dir.path()), None);
    }
}
