//! Search stage, the split index: a language's index cut into scripts so that the search
//! page loads only what a query needs. `search-index.js` (the entry, loaded by the page)
//! names the shards; term shards hold the terms and postings of consecutive two-letter
//! groups (a group is never split, so a term and every term a typed prefix of two letters
//! or more may grow into sit in one shard); document shards hold consecutive documents.
//!
//! Each shard is a script setting `window.briefingSearchShards[<file name>]` to its
//! compressed JSON (zlib, base64), loaded by adding a `<script>` so that search works from
//! `file://` too. A shard's name carries the digest of its content, so that a browser never
//! mixes shards of two builds and the entry changes whenever a shard does.

use std::path::PathBuf;
use std::sync::Arc;

use base64::Engine;
use rayon::prelude::*;
use serde::Serialize;

use super::{SearchDocument, SearchIndex};
use crate::output::{Content, Output};
use crate::source::{Digest, digest_bytes};

/// Shard scripts made before, by their key (the digest of their JSON, or of the keys of the
/// documents they hold): (file name, script). A shard whose key is that of one made before is
/// that script, not compressed again.
pub type ShardMemo = std::collections::HashMap<Digest, (String, Script)>;

/// A script's bytes, or the file the last build wrote them to, not read: the output folder
/// was as that build left it, so the file holds the bytes of `digest`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Script {
    Bytes(Arc<[u8]>),
    Kept {
        path: PathBuf,
        size: u64,
        digest: Digest,
    },
}

impl Script {
    /// The script as an output at `path` in the site.
    pub fn output(self, path: String) -> Output {
        match self {
            Script::Bytes(bytes) => Output::from_bytes(path, bytes),
            Script::Kept {
                path: file,
                size,
                digest,
            } => Output {
                path,
                digest,
                content: Content::Kept { path: file, size },
            },
        }
    }

    /// The script of an output read back or kept from the last build.
    pub fn of_output(output: &Output) -> Option<Script> {
        match &output.content {
            Content::Bytes(bytes) => Some(Script::Bytes(bytes.clone())),
            Content::Kept { path, size } => Some(Script::Kept {
                path: path.clone(),
                size: *size,
                digest: output.digest,
            }),
            Content::Copy(_) | Content::Placed { .. } => None,
        }
    }
}

/// The scripts of an index, and its shards by their key (for the next memo).
pub struct Scripts {
    /// (file name, script), the entry first.
    pub files: Vec<(String, Script)>,
    pub shards: ShardMemo,
    /// How many shards were compressed anew (not found in the memo).
    pub compressed: usize,
}

/// Roughly how many bytes of JSON a shard holds before compression: small enough for a
/// query to load little, big enough that a small site has one shard of each kind.
const SHARD_BYTES: usize = 128 * 1024;

/// The global the entry script sets.
pub const ENTRY_GLOBAL: &str = "briefingSearchIndex";

/// What the entry script carries: where everything else is.
#[derive(Debug, Serialize)]
pub struct Entry {
    pub lang: String,
    pub stemmer: Option<&'static str>,
    /// How many documents the language has.
    pub count: usize,
    /// (first two-letter key, file) of each term shard, in term order.
    pub terms: Vec<(String, String)>,
    /// (first document number, file) of each document shard.
    pub docs: Vec<(usize, String)>,
}

#[derive(Serialize)]
struct TermShard<'a> {
    terms: &'a [String],
    postings: &'a [Vec<u32>],
}

/// A shard's key: the first two characters of a term (the term itself when shorter).
pub fn term_key(term: &str) -> &str {
    let end = term.char_indices().nth(2).map_or(term.len(), |(at, _)| at);
    &term[..end]
}

/// The scripts of a language's index, taking from `memo` the shards it already has.
pub fn scripts(index: &SearchIndex, memo: &ShardMemo) -> Scripts {
    let term_ranges = term_ranges(index);
    let doc_ranges = doc_ranges(&index.docs);
    let terms: Vec<Shard> = term_ranges
        .par_iter()
        .map(|range| {
            let shard = TermShard {
                terms: &index.terms[range.clone()],
                postings: &index.postings[range.clone()],
            };
            shard_script("t", &shard, memo)
        })
        .collect();
    let docs: Vec<Shard> = doc_ranges
        .par_iter()
        .map(|range| {
            let docs = &index.docs[range.clone()];
            match index.doc_keys.get(range.clone()) {
                Some(keys) => keyed_shard_script("d", crate::source::digest_of(&keys), docs, memo),
                None => shard_script("d", docs, memo),
            }
        })
        .collect();
    let entry = Entry {
        lang: index.lang.clone(),
        stemmer: index.stemmer,
        count: index.docs.len(),
        terms: term_ranges
            .iter()
            .zip(&terms)
            .map(|(range, shard)| {
                let file = &shard.file;
                let first = index.terms.get(range.start).map_or("", |t| term_key(t));
                (first.to_string(), file.clone())
            })
            .collect(),
        docs: doc_ranges
            .iter()
            .zip(&docs)
            .map(|(range, shard)| (range.start, shard.file.clone()))
            .collect(),
    };
    let json = serde_json::to_string(&entry).expect("the entry serializes");
    let script = format!("window.{ENTRY_GLOBAL} = {json};\n").into_bytes();
    let mut scripts = Scripts {
        files: vec![(super::INDEX_FILE.to_string(), Script::Bytes(script.into()))],
        shards: ShardMemo::new(),
        compressed: 0,
    };
    for shard in terms.into_iter().chain(docs) {
        scripts.compressed += usize::from(shard.compressed);
        scripts
            .files
            .push((shard.file.clone(), shard.script.clone()));
        scripts.shards.insert(shard.key, (shard.file, shard.script));
    }
    scripts
}

/// One shard's script, with its key: the digest of its JSON, or of the keys of the documents
/// it holds.
struct Shard {
    file: String,
    script: Script,
    key: Digest,
    compressed: bool,
}

/// Consecutive term ranges of about `SHARD_BYTES` of JSON, cut between two-letter groups
/// only; at least one range, so that an empty index still has its shard.
fn term_ranges(index: &SearchIndex) -> Vec<std::ops::Range<usize>> {
    let weight = |at: usize| index.terms[at].len() + 4 + index.postings[at].len() * 4;
    cut(index.terms.len(), weight, |at| {
        term_key(&index.terms[at - 1]) != term_key(&index.terms[at])
    })
}

fn doc_ranges(docs: &[SearchDocument]) -> Vec<std::ops::Range<usize>> {
    cut(docs.len(), |at| docs[at].plain_text_len() + 32, |_| true)
}

/// Cuts `0..count` into ranges of about `SHARD_BYTES` by `weight`, only where `may_cut(at)`
/// (between `at - 1` and `at`).
fn cut(
    count: usize,
    weight: impl Fn(usize) -> usize,
    may_cut: impl Fn(usize) -> bool,
) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let (mut start, mut size) = (0, 0);
    for at in 0..count {
        if size >= SHARD_BYTES && may_cut(at) {
            ranges.push(start..at);
            (start, size) = (at, 0);
        }
        size += weight(at);
    }
    ranges.push(start..count);
    ranges
}

/// A shard script named by its kind and the digest of its bytes; from `memo` when its JSON
/// is there.
fn shard_script(kind: &str, value: &(impl Serialize + ?Sized), memo: &ShardMemo) -> Shard {
    let json = serde_json::to_vec(value).expect("a shard serializes");
    let key = digest_bytes(&json);
    remembered(kind, key, memo).unwrap_or_else(|| new_shard(kind, key, &json))
}

/// `shard_script`, for a shard whose `key` says what it is made from: from `memo` when the key
/// is there, without writing its JSON.
fn keyed_shard_script(
    kind: &str,
    key: Digest,
    value: &(impl Serialize + ?Sized),
    memo: &ShardMemo,
) -> Shard {
    remembered(kind, key, memo).unwrap_or_else(|| {
        let json = serde_json::to_vec(value).expect("a shard serializes");
        new_shard(kind, key, &json)
    })
}

fn remembered(kind: &str, key: Digest, memo: &ShardMemo) -> Option<Shard> {
    let (file, script) = memo.get(&key)?;
    file.starts_with(&format!("search-{kind}-")).then(|| Shard {
        file: file.clone(),
        script: script.clone(),
        key,
        compressed: false,
    })
}

fn new_shard(kind: &str, key: Digest, json: &[u8]) -> Shard {
    let encoded = base64::engine::general_purpose::STANDARD.encode(compress(json));
    let digest = digest_bytes(encoded.as_bytes());
    let name: String = digest[..8]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let file = format!("search-{kind}-{name}.js");
    let script = format!(
        "(window.briefingSearchShards = window.briefingSearchShards || {{}})[\"{file}\"] = \"{encoded}\";\n"
    );
    Shard {
        file,
        script: Script::Bytes(script.into_bytes().into()),
        key,
        compressed: true,
    }
}

/// zlib (RFC 1950), which the browser's `DecompressionStream('deflate')` reads. libdeflate at
/// its first level: on the shards of a 5,000-topic site it took 44 % of zlib-rs's time at
/// level 3 for output 4 % larger (75 ms against 170 ms on one core).
fn compress(bytes: &[u8]) -> Vec<u8> {
    let mut compressor = libdeflater::Compressor::new(
        libdeflater::CompressionLvl::new(1).expect("level 1 is one of libdeflate's"),
    );
    let mut compressed = vec![0; compressor.zlib_compress_bound(bytes.len())];
    let size = compressor
        .zlib_compress(bytes, &mut compressed)
        .expect("the buffer is as large as libdeflate's bound");
    compressed.truncate(size);
    compressed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_the_first_two_characters() {
        assert_eq!(term_key("cooper"), "co");
        assert_eq!(term_key("été"), "ét");
        assert_eq!(term_key("a"), "a");
    }

    fn documents(edited: Option<usize>) -> Vec<SearchDocument<'static>> {
        let letters: Vec<char> = ('a'..='z').collect();
        (0..1500)
            .map(|number| {
                // Words of many two-letter groups, so that there are several term shards.
                let mut body: String = (0..60)
                    .map(|k| {
                        let first = letters[(number + k) % 26];
                        let second = letters[(number * 3 + k) % 26];
                        format!("{first}{second}w{} ", (number * 7 + k) % 500)
                    })
                    .collect();
                if edited == Some(number) {
                    body.push_str("edited once");
                }
                SearchDocument {
                    title: format!("Topic {number}").into(),
                    href: format!("../t{number}/"),
                    summary: "".into(),
                    tags: String::new(),
                    body: std::borrow::Cow::Owned(body.into()),
                }
            })
            .collect()
    }

    #[test]
    fn shards_whose_json_is_unchanged_are_not_compressed_again() {
        let before = SearchIndex::build("en", documents(None));
        let first = scripts(&before, &ShardMemo::new());
        let shards = first.files.len() - 1;
        assert!(shards > 4, "enough documents for several shards: {shards}");
        assert_eq!(first.compressed, shards);
        let again = scripts(&before, &first.shards);
        assert_eq!((again.files, again.compressed), (first.files.clone(), 0));
        // One document edited: its shard and those of the terms it adds; the others are taken.
        let after = SearchIndex::build("en", documents(Some(7)));
        let from_memo = scripts(&after, &first.shards);
        assert_eq!(
            from_memo.files,
            scripts(&after, &ShardMemo::new()).files,
            "the same scripts as without a memo"
        );
        assert!(
            (1..shards / 2).contains(&from_memo.compressed),
            "{} of {shards} compressed",
            from_memo.compressed
        );
    }

    #[test]
    fn ranges_cover_everything_and_cut_only_where_allowed() {
        let ranges = cut(10, |_| SHARD_BYTES / 2, |at| at % 3 == 0);
        assert_eq!(ranges, [0..3, 3..6, 6..9, 9..10]);
        let empty = cut(0, |_| 1, |_| true);
        assert_eq!((empty.len(), empty[0].is_empty()), (1, true));
    }
}
