//! Search stage, the term memo: each document of a language's last index with its terms and
//! their weights, by what the document was made from, so that an index made again after an
//! edit reads and stems the words of the documents that changed only. It is kept in memory
//! between runs (`serve`) and in the project's cache between builds (`.briefing-cache/
//! search/<lang>`), a cache like the parse store: headed by the binary that wrote it and
//! checked whole, never read by `build --fresh`, and any memo missing or damaged is an empty
//! one (every document read).

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::output::Cleanup;
use crate::source::Digest;

/// A language's terms and, for each of its documents (by `DocumentKey`), the numbers of its
/// terms in that list with their weights (summed over the document, not yet capped).
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermMemo {
    pub(super) terms: Vec<String>,
    pub(super) docs: Vec<(Digest, Vec<(u32, u32)>)>,
}

impl TermMemo {
    /// Whether every term number names a term: what a memo must be to be used.
    fn is_whole(&self) -> bool {
        let count = self.terms.len();
        self.docs
            .iter()
            .all(|(_, terms)| terms.iter().all(|(term, _)| (*term as usize) < count))
    }
}

/// The term memos of a project's languages, and where they are kept between builds.
#[derive(Debug, Default, Clone)]
pub struct TermMemos {
    memos: HashMap<String, Arc<TermMemo>>,
    /// Languages whose memo this process made and has not saved.
    unsaved: HashSet<String>,
    /// The folder of the memos kept between builds, and whether they may be read from it.
    store: Option<(PathBuf, bool)>,
}

impl TermMemos {
    /// Memos kept in the project at `root` (read from there only with `read`: a build that
    /// parses everything itself writes them without reading them).
    pub fn in_project(root: &Path, read: bool) -> TermMemos {
        TermMemos {
            store: Some((
                root.join(crate::parse_store::CACHE_DIR).join("search"),
                read,
            )),
            ..TermMemos::default()
        }
    }

    /// The memo of `lang`: this process's, else the one kept in the project, else an empty
    /// one.
    pub fn get(&self, lang: &str) -> Arc<TermMemo> {
        if let Some(memo) = self.memos.get(lang) {
            return memo.clone();
        }
        match &self.store {
            Some((folder, true)) => Arc::new(read(&memo_path(folder, lang)).unwrap_or_default()),
            _ => Arc::default(),
        }
    }

    /// Keeps `memo` as the memo of `lang`, to save.
    pub fn put(&mut self, lang: &str, memo: TermMemo) {
        self.memos.insert(lang.to_string(), Arc::new(memo));
        self.unsaved.insert(lang.to_string());
    }

    /// Forgets the memos of languages no longer built.
    pub fn retain(&mut self, languages: &HashSet<String>) {
        self.memos.retain(|lang, _| languages.contains(lang));
    }

    /// Writes the memos this process made into the project's cache, each replacing the one
    /// before whole (`replace_cache_file`). Languages whose code would not make a file name
    /// are not kept.
    pub fn save(&self, cleanup: &Cleanup) -> io::Result<()> {
        let Some((folder, _)) = &self.store else {
            return Ok(());
        };
        if self.unsaved.is_empty() {
            return Ok(());
        }
        crate::parse_store::make_cache_folder(folder)?;
        for lang in &self.unsaved {
            let Some(memo) = self.memos.get(lang) else {
                continue;
            };
            if !is_file_name(lang) {
                continue;
            }
            let payload = postcard::to_stdvec(memo.as_ref()).map_err(io::Error::other)?;
            let mut bytes = header().into_bytes();
            bytes.extend_from_slice(&crate::parse_store::checksum(&payload));
            bytes.extend_from_slice(&payload);
            crate::parse_store::replace_cache_file(&memo_path(folder, lang), &bytes, cleanup)?;
        }
        Ok(())
    }
}

fn is_file_name(lang: &str) -> bool {
    !lang.is_empty()
        && lang
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}

fn memo_path(folder: &Path, lang: &str) -> PathBuf {
    folder.join(lang)
}

/// The first bytes of a memo: the format, then the binary that wrote it (another binary may
/// cut words or stem them otherwise).
fn header() -> String {
    format!(
        "briefing-search-terms 2 {}\n",
        crate::output::record::binary_identity()
    )
}

/// The memo at `path`, if this binary wrote it and it reads whole.
fn read(path: &Path) -> Option<TermMemo> {
    if !is_file_name(path.file_name()?.to_str()?) {
        return None;
    }
    let bytes = fs::read(path).ok()?;
    let rest = bytes.strip_prefix(header().as_bytes())?;
    let (checksum, payload) = rest.split_first_chunk::<4>()?;
    if crate::parse_store::checksum(payload) != *checksum {
        return None;
    }
    let memo: TermMemo = postcard::from_bytes(payload).ok()?;
    memo.is_whole().then_some(memo)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn memo() -> TermMemo {
        TermMemo {
            terms: vec!["defenc".into(), "summit".into()],
            docs: vec![([1; 16], vec![(0, 12), (1, 10)]), ([2; 16], vec![(0, 1)])],
        }
    }

    #[test]
    fn a_saved_memo_is_read_back_and_a_damaged_or_fresh_one_is_empty() {
        let root = tempfile::tempdir().unwrap();
        let mut memos = TermMemos::in_project(root.path(), true);
        memos.put("en", memo());
        memos.save(&Cleanup::new()).unwrap();
        let again = TermMemos::in_project(root.path(), true);
        assert_eq!(*again.get("en"), memo());
        assert_eq!(*again.get("fr"), TermMemo::default());
        assert_eq!(
            *TermMemos::in_project(root.path(), false).get("en"),
            TermMemo::default(),
            "a build that reads no memo"
        );
        let path = root.path().join(".briefing-cache/search/en");
        let mut bytes = fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        fs::write(&path, bytes).unwrap();
        assert_eq!(*again.get("en"), TermMemo::default(), "damaged");
    }

    #[test]
    fn a_memo_naming_a_term_it_does_not_have_is_not_whole() {
        let mut broken = memo();
        broken.docs[1].1.push((2, 1));
        assert!(memo().is_whole());
        assert!(!broken.is_whole());
    }
}
