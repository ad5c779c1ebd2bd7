//! Search stage: the topics of each language → one index per language, written next to the
//! search page as scripts (`<lang>/<url-search>/search-index.js` and its shards, see
//! `shards`), because a page opened from disk may load a script but may not `fetch()` a file.
//!
//! The index holds, per language: each topic's title, address, summary, tag names and body
//! text (for the result snippets), the sorted list of terms, and for each term the topics
//! it occurs in with a weight (title and tags count more than the body). It is JSON,
//! compressed with zlib and written as base64, which the browser inflates with its own
//! `DecompressionStream`: that keeps the index smaller than the language's plain text while
//! the snippets still quote the text.

pub mod analyzer;
pub mod memo;
pub mod shards;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::content::lazy_text::LazyText;
use crate::model::{LanguageModel, SiteModel, TopicModel};
use crate::output::{Content, Output};
use crate::source::Digest;
use crate::urls::{LinkStyle, SitePath, relative};
use analyzer::Analyzer;
use memo::{TermMemo, TermMemos};
use shards::ShardMemo;

/// The file name of the index script, in the search page's folder.
pub const INDEX_FILE: &str = "search-index.js";

/// How much one occurrence weighs, by where it is.
const TITLE_WEIGHT: u32 = 10;
const TAG_WEIGHT: u32 = 6;
const SUMMARY_WEIGHT: u32 = 3;
const BODY_WEIGHT: u32 = 1;
/// Weights are capped so that a word repeated all over a long text does not drown a title.
const MAX_WEIGHT: u32 = 60;

/// Where a language's search page lives.
pub fn search_page_path(language: &LanguageModel) -> SitePath {
    language.section_path(&language.segments.search)
}

/// Where a language's index lives.
pub fn index_path(language: &LanguageModel) -> SitePath {
    SitePath::file(format!(
        "{}{INDEX_FILE}",
        search_page_path(language).as_str()
    ))
}

/// One topic as the search page shows it. Its texts are borrowed from the model where they
/// are its own: an index holds every body of its language.
#[derive(Debug, Clone, Serialize, PartialEq, Hash)]
pub struct SearchDocument<'a> {
    #[serde(rename = "t")]
    pub title: Cow<'a, str>,
    /// Relative to the search page.
    #[serde(rename = "u")]
    pub href: String,
    #[serde(rename = "s")]
    pub summary: Cow<'a, str>,
    #[serde(rename = "g")]
    pub tags: String,
    /// Read only when the document is written out: an index made again writes few.
    #[serde(rename = "b")]
    pub body: Cow<'a, LazyText>,
}

impl<'a> SearchDocument<'a> {
    fn from_topic(topic: &'a TopicModel, address: Address) -> Self {
        SearchDocument {
            title: Cow::Borrowed(&topic.page.title),
            href: address.href,
            summary: Cow::Borrowed(&topic.page.summary),
            tags: address.tags,
            body: Cow::Borrowed(&topic.page.body.plain_text),
        }
    }

    /// The bytes of plain text the document carries: what the index is measured against.
    pub fn plain_text_len(&self) -> usize {
        self.title.len() + self.summary.len() + self.tags.len() + self.body.len()
    }
}

/// What the browser receives, before compression.
#[derive(Debug, Serialize)]
pub struct SearchIndex<'a> {
    pub lang: String,
    /// `fr`, `en`, or none: the browser stems queries with the same algorithm.
    pub stemmer: Option<&'static str>,
    pub docs: Vec<SearchDocument<'a>>,
    /// Sorted, so that the browser finds a term, or the terms a prefix starts, by bisection.
    pub terms: Vec<String>,
    /// For each term: document number deltas and weights, interleaved: `[d0, w0, d1-d0, w1…]`.
    pub postings: Vec<Vec<u32>>,
    /// What each document is made from (`document_keys`), when the index was built with them:
    /// a document shard is then known unchanged from its documents' keys, without writing it.
    #[serde(skip)]
    pub doc_keys: Vec<Digest>,
}

impl<'a> SearchIndex<'a> {
    pub fn build(lang: &str, docs: Vec<SearchDocument<'a>>) -> SearchIndex<'a> {
        SearchIndex::build_with(lang, docs, &[], &TermMemo::default()).0
    }

    /// `build`, taking from `memo` the terms of each document whose key (`keys`: one per
    /// document, or none) it has; with the memo of the index made.
    pub fn build_with(
        lang: &str,
        docs: Vec<SearchDocument<'a>>,
        keys: &[Digest],
        memo: &TermMemo,
    ) -> (SearchIndex<'a>, TermMemo) {
        let analyzer = Analyzer::for_language(lang);
        let known: FxHashMap<&Digest, &[(u32, u32)]> = memo
            .docs
            .iter()
            .map(|(key, terms)| (key, terms.as_slice()))
            .collect();
        let remembered: Vec<Option<&[(u32, u32)]>> = (0..docs.len())
            .map(|at| keys.get(at).and_then(|key| known.get(key).copied()))
            .collect();
        // Words repeat across topics far more than they differ: weigh each topic's words,
        // then stem each distinct word once. Only the topics the memo does not have.
        let per_doc: Vec<Option<FxHashMap<&str, u32>>> = docs
            .par_iter()
            .zip(&remembered)
            .map(|(doc, remembered)| remembered.is_none().then(|| word_weights(doc)))
            .collect();
        let distinct: FxHashSet<&str> = per_doc
            .iter()
            .flatten()
            .flat_map(|weights| weights.keys().copied())
            .collect();
        let terms_of: FxHashMap<&str, (String, Option<String>)> = distinct
            .into_par_iter()
            .map(|word| (word, analyzer.word_terms(word)))
            .collect();
        let mut used = vec![false; memo.terms.len()];
        for terms in remembered.iter().flatten() {
            for (term, _) in *terms {
                used[*term as usize] = true;
            }
        }
        // Every term, sorted, numbered by its place: each topic's terms are then weighed on
        // every core, and only the postings are gathered in order, one push each.
        let mut terms: Vec<&str> = terms_of
            .values()
            .flat_map(|(first, second)| std::iter::once(first).chain(second))
            .map(String::as_str)
            .filter(|term| !term.is_empty())
            .chain(
                memo.terms
                    .iter()
                    .zip(&used)
                    .filter(|(_, used)| **used)
                    .map(|(term, _)| term.as_str()),
            )
            .collect::<FxHashSet<&str>>()
            .into_iter()
            .collect();
        terms.par_sort_unstable();
        let number_of: FxHashMap<&str, u32> = terms
            .iter()
            .enumerate()
            .map(|(number, term)| (*term, number as u32))
            .collect();
        let renumbered: Vec<u32> = memo
            .terms
            .iter()
            .zip(&used)
            .map(|(term, used)| if *used { number_of[term.as_str()] } else { 0 })
            .collect();
        let per_doc_terms: Vec<Vec<(u32, u32)>> = per_doc
            .par_iter()
            .zip(&remembered)
            .map(|(words, remembered)| {
                if let Some(terms) = remembered {
                    return terms
                        .iter()
                        .map(|(term, weight)| (renumbered[*term as usize], *weight))
                        .collect();
                }
                let mut weights: FxHashMap<u32, u32> = FxHashMap::default();
                weights.reserve(words.as_ref().map_or(0, |words| words.len()));
                for (word, weight) in words.iter().flatten() {
                    let (first, second) = &terms_of[word];
                    for term in std::iter::once(first)
                        .chain(second)
                        .filter(|t| !t.is_empty())
                    {
                        *weights.entry(number_of[term.as_str()]).or_default() += weight;
                    }
                }
                weights.into_iter().collect()
            })
            .collect();
        let mut by_term: Vec<Vec<(u32, u32)>> = vec![Vec::new(); terms.len()];
        // Documents in order: each term's list comes out sorted by document number.
        for (number, weights) in per_doc_terms.iter().enumerate() {
            for (term, weight) in weights {
                by_term[*term as usize].push((number as u32, (*weight).min(MAX_WEIGHT)));
            }
        }
        let postings: Vec<Vec<u32>> = by_term
            .into_par_iter()
            .map(|entries| {
                let mut encoded = Vec::with_capacity(entries.len() * 2);
                let mut previous = 0;
                for (number, weight) in entries {
                    encoded.push(number - previous);
                    encoded.push(weight);
                    previous = number;
                }
                encoded
            })
            .collect();
        let terms: Vec<String> = terms.into_iter().map(str::to_string).collect();
        let keyed = keys.len() == docs.len();
        let memo = if keyed {
            TermMemo {
                terms: terms.clone(),
                docs: keys.iter().copied().zip(per_doc_terms).collect(),
            }
        } else {
            TermMemo::default()
        };
        let index = SearchIndex {
            lang: lang.to_string(),
            stemmer: analyzer.stemmer_name,
            docs,
            terms,
            postings,
            doc_keys: if keyed { keys.to_vec() } else { Vec::new() },
        };
        (index, memo)
    }

    /// The scripts of the index: (file name in the search page's folder, bytes).
    pub fn to_scripts(&self) -> Vec<(String, Vec<u8>)> {
        shards::scripts(self, &shards::ShardMemo::new())
            .files
            .into_iter()
            .map(|(file, script)| match script {
                shards::Script::Bytes(bytes) => (file, bytes.to_vec()),
                shards::Script::Kept { .. } => unreachable!("an empty memo keeps no file"),
            })
            .collect()
    }

    pub fn plain_text_len(&self) -> usize {
        self.docs.iter().map(SearchDocument::plain_text_len).sum()
    }
}

/// Each word of a document with its weight, summed over title, tags, summary and body.
fn word_weights<'d>(doc: &'d SearchDocument<'_>) -> FxHashMap<&'d str, u32> {
    let mut weights: FxHashMap<&str, u32> = FxHashMap::default();
    for (text, weight) in [
        (&*doc.title, TITLE_WEIGHT),
        (&*doc.tags, TAG_WEIGHT),
        (&*doc.summary, SUMMARY_WEIGHT),
        (doc.body.as_str(), BODY_WEIGHT),
    ] {
        for word in analyzer::words(text) {
            *weights.entry(word).or_default() += weight;
        }
    }
    weights
}

/// The topics and standalone pages a language's index holds, in its documents' order.
fn indexed(language: &LanguageModel) -> impl Iterator<Item = &Arc<TopicModel>> {
    language.topics.iter().chain(&language.pages)
}

/// What a document says besides its page's texts: its address relative to the search page,
/// and its tags' names.
struct Address {
    href: String,
    tags: String,
}

/// The addresses of a language's documents, in their order.
fn addresses(language: &LanguageModel, style: LinkStyle) -> Vec<Address> {
    let from = search_page_path(language);
    indexed(language)
        .map(|topic| {
            let tags: Vec<&str> = topic
                .tags
                .iter()
                .map(|index| language.tags[*index].name.as_str())
                .collect();
            Address {
                href: relative(&from, &topic.path, style),
                tags: tags.join(", "),
            }
        })
        .collect()
}

/// The topics of a language as its search page lists them.
pub fn documents(language: &LanguageModel, style: LinkStyle) -> Vec<SearchDocument<'_>> {
    documents_at(language, addresses(language, style))
}

fn documents_at(language: &LanguageModel, addresses: Vec<Address>) -> Vec<SearchDocument<'_>> {
    indexed(language)
        .zip(addresses)
        .map(|(topic, address)| SearchDocument::from_topic(topic, address))
        .collect()
}

/// What each of a language's documents is made from: its page's digest (equal digests, equal
/// parses: its title, summary and text), its address and its tags' names. Its terms are kept
/// in the memo, and its document shard known unchanged, while its key holds; the language's
/// index is reused whole while all of them do. No body's text is read, let alone hashed.
fn document_keys(language: &LanguageModel, addresses: &[Address]) -> Vec<Digest> {
    indexed(language)
        .zip(addresses)
        .map(|(topic, address)| {
            crate::source::digest_of(&(
                &topic.page.digest,
                address.href.as_str(),
                address.tags.as_str(),
            ))
        })
        .collect()
}

/// Index outputs of earlier runs, by language, with the digest of what they were built from.
#[derive(Debug, Default, Clone)]
pub struct IndexCache {
    built: HashMap<String, (Digest, Vec<Output>)>,
    /// Each language's shards by their key (see `shards::ShardMemo`): an index made again after an
    /// edit compresses only the shards the edit changed.
    shards: HashMap<String, ShardMemo>,
    /// The indexes the last build left in its output folder, not read yet (`from_recorded`).
    unread: Option<Unread>,
}

#[derive(Debug, Clone)]
struct Unread {
    out_dir: std::path::PathBuf,
    entries: Vec<RecordedIndex>,
    /// The recorded digest and size of each index file, by its path, when the folder is as
    /// the record says (`trust_recorded_files`): a file with the index's digest there is not
    /// read.
    trusted: Option<HashMap<String, (Digest, u64)>>,
}

/// A language's index as the output record keeps it: the digest of its documents and its
/// files with their digests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedIndex {
    pub lang: String,
    pub inputs: Digest,
    pub files: Vec<(String, Digest)>,
    /// (key, path) of each shard among `files`.
    pub shards: Vec<(Digest, String)>,
}

impl IndexCache {
    /// What the record keeps of the indexes last made.
    pub fn recorded(&self) -> Vec<RecordedIndex> {
        let mut recorded: Vec<RecordedIndex> = self
            .built
            .iter()
            .map(|(lang, (inputs, outputs))| {
                let folder = outputs
                    .first()
                    .and_then(|entry| entry.path.strip_suffix(INDEX_FILE))
                    .unwrap_or_default();
                let mut shards: Vec<(Digest, String)> = self
                    .shards
                    .get(lang)
                    .into_iter()
                    .flatten()
                    .map(|(json, (file, _))| (*json, format!("{folder}{file}")))
                    .collect();
                shards.sort_by(|a, b| a.1.cmp(&b.1));
                RecordedIndex {
                    lang: lang.clone(),
                    inputs: *inputs,
                    files: outputs.iter().map(|o| (o.path.clone(), o.digest)).collect(),
                    shards,
                }
            })
            .collect();
        recorded.sort_by(|a, b| a.lang.cmp(&b.lang));
        recorded
    }

    /// The indexes the build that wrote `out_dir` left there, read when first needed
    /// (`read_recorded`): each language's kept only if every one of its files still has its
    /// recorded bytes.
    pub fn from_recorded(entries: Vec<RecordedIndex>, out_dir: &std::path::Path) -> IndexCache {
        IndexCache {
            unread: Some(Unread {
                out_dir: out_dir.to_path_buf(),
                entries,
                trusted: None,
            }),
            ..IndexCache::default()
        }
    }

    /// Takes the recorded indexes' files as the record says they are, unread: for a folder
    /// found as that record says (`OutputRecord::folder_is_as_written`).
    pub fn trust_recorded_files(&mut self, record: &crate::output::record::OutputRecord) {
        if let Some(unread) = &mut self.unread {
            // The index files only, of the site's ten thousand and more.
            let wanted: std::collections::HashSet<&str> = unread
                .entries
                .iter()
                .flat_map(|entry| entry.files.iter().map(|(path, _)| path.as_str()))
                .collect();
            unread.trusted = Some(
                record
                    .files
                    .iter()
                    .filter(|file| wanted.contains(file.path.as_str()))
                    .map(|file| (file.path.clone(), (file.digest, file.size)))
                    .collect(),
            );
        }
    }

    /// The recorded indexes, read (or trusted unread) now, on every core.
    fn read_recorded(&mut self) {
        let Some(unread) = self.unread.take() else {
            return;
        };
        let Unread {
            out_dir,
            entries,
            trusted,
        } = unread;
        let built = entries
            .into_par_iter()
            .filter_map(|entry| {
                let outputs = entry
                    .files
                    .iter()
                    .map(|(path, digest)| {
                        let file = out_dir.join(path);
                        match trusted.as_ref().and_then(|files| files.get(path)) {
                            Some((recorded, size)) if recorded == digest => Some(Output {
                                path: path.clone(),
                                digest: *digest,
                                content: Content::Kept {
                                    path: file,
                                    size: *size,
                                },
                            }),
                            _ => {
                                let bytes = std::fs::read(&file).ok()?;
                                Output::from_bytes_if(path.clone(), bytes, digest)
                            }
                        }
                    })
                    .collect::<Option<Vec<Output>>>()?;
                let memo: ShardMemo = entry
                    .shards
                    .iter()
                    .filter_map(|(json, path)| {
                        let output = outputs.iter().find(|output| output.path == *path)?;
                        let file = path.rsplit_once('/').map_or(path.as_str(), |(_, f)| f);
                        let script = shards::Script::of_output(output)?;
                        Some((*json, (file.to_string(), script)))
                    })
                    .collect();
                Some((entry.lang, (entry.inputs, outputs), memo))
            })
            .collect::<Vec<_>>();
        for (lang, built, memo) in built {
            self.shards.insert(lang.clone(), memo);
            self.built.insert(lang, built);
        }
    }
}

/// One index per language, rebuilt only for languages whose documents changed, from the terms
/// `memos` has of the documents that did not.
pub fn index_outputs(
    model: &SiteModel,
    style: LinkStyle,
    cache: &mut IndexCache,
    memos: &mut TermMemos,
) -> Vec<Output> {
    // A language's index: reused whole (no new shards), or made with the shards it kept and
    // the term memo it leaves.
    type Built = (String, Digest, Vec<Output>, Option<(ShardMemo, TermMemo)>);
    cache.read_recorded();
    let memos_now: &TermMemos = memos;
    let built: Vec<Built> = model
        .languages
        .par_iter()
        .map(|language| {
            let addresses = addresses(language, style);
            let keys = document_keys(language, &addresses);
            let inputs = crate::source::digest_of(&keys);
            if let Some((digest, output)) = cache.built.get(&language.lang)
                && *digest == inputs
            {
                return (language.lang.clone(), inputs, output.clone(), None);
            }
            let docs = documents_at(language, addresses);
            let folder = search_page_path(language);
            let empty = ShardMemo::new();
            let memo = cache.shards.get(&language.lang).unwrap_or(&empty);
            let terms = memos_now.get(&language.lang);
            let (index, terms) = SearchIndex::build_with(&language.lang, docs, &keys, &terms);
            let scripts = shards::scripts(&index, memo);
            let outputs = scripts
                .files
                .into_iter()
                .map(|(file, script)| script.output(format!("{}{file}", folder.as_str())))
                .collect();
            (
                language.lang.clone(),
                inputs,
                outputs,
                Some((scripts.shards, terms)),
            )
        })
        .collect();
    cache.built.clear();
    let mut all = Vec::new();
    let mut languages = std::collections::HashSet::new();
    for (lang, inputs, outputs, made) in built {
        if let Some((shards, terms)) = made {
            cache.shards.insert(lang.clone(), shards);
            memos.put(&lang, terms);
        }
        languages.insert(lang.clone());
        all.extend(outputs.iter().cloned());
        cache.built.insert(lang, (inputs, outputs));
    }
    cache.shards.retain(|lang, _| languages.contains(lang));
    memos.retain(&languages);
    all
}

/// Numbers to render a plural message with, one per plural category of the language, so
/// that the search script can show a count in the words Fluent would use (`1 résultat`,
/// `2 résultats`): (CLDR category name, a number of that category).
pub fn plural_samples(lang: &str) -> Vec<(&'static str, u32)> {
    use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
    let Ok(langid) = lang.parse::<unic_langid::LanguageIdentifier>() else {
        return vec![("other", 2)];
    };
    let Ok(rules) = PluralRules::create(langid, PluralRuleType::CARDINAL) else {
        return vec![("other", 2)];
    };
    let mut samples: Vec<(&'static str, u32)> = Vec::new();
    for number in [
        0u32, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 15, 20, 21, 22, 25, 100, 101,
    ] {
        let category = match rules.select(number) {
            Ok(PluralCategory::ZERO) => "zero",
            Ok(PluralCategory::ONE) => "one",
            Ok(PluralCategory::TWO) => "two",
            Ok(PluralCategory::FEW) => "few",
            Ok(PluralCategory::MANY) => "many",
            _ => "other",
        };
        if !samples.iter().any(|(known, _)| *known == category) {
            samples.push((category, number));
        }
    }
    samples
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::digest_bytes;

    fn doc<'a>(title: &'a str, tags: &str, body: &'a str) -> SearchDocument<'a> {
        SearchDocument {
            title: title.into(),
            href: format!("../{}/", title.to_lowercase()),
            summary: "".into(),
            tags: tags.into(),
            body: Cow::Owned(body.into()),
        }
    }

    #[test]
    fn postings_list_each_document_once_with_title_words_weighing_more() {
        let index = SearchIndex::build(
            "en",
            vec![
                doc("Defence", "", "Talks on defence and defence again."),
                doc("Summit", "", "The defence ministers met."),
            ],
        );
        let at = index.terms.binary_search(&"defenc".to_string()).unwrap();
        // Document 0: title (10) + body twice (2); document 1 (delta 1): body once.
        assert_eq!(index.postings[at], [0, 12, 1, 1]);
    }

    #[test]
    fn an_index_made_from_a_memo_is_the_one_made_without() {
        let before = vec![
            doc("Defence", "", "Talks on defence and cyber."),
            doc("Summit", "", "The ministers met in Vilnius."),
        ];
        let after = vec![
            doc("Defence", "", "Talks on defence and cyber."),
            doc("Summit", "", "The ministers met again, in Washington."),
        ];
        let keys = |docs: &[SearchDocument]| -> Vec<Digest> {
            docs.iter()
                .map(|doc| digest_bytes(doc.body.as_bytes()))
                .collect()
        };
        let (_, memo) =
            SearchIndex::build_with("en", before.clone(), &keys(&before), &TermMemo::default());
        assert_eq!(memo.docs.len(), 2);
        let (from_memo, _) = SearchIndex::build_with("en", after.clone(), &keys(&after), &memo);
        let without = SearchIndex::build("en", after);
        assert_eq!(from_memo.terms, without.terms);
        assert_eq!(from_memo.postings, without.postings);
        assert!(!from_memo.terms.contains(&"vilnius".to_string()));
    }

    #[test]
    fn terms_are_sorted_for_bisection() {
        let index = SearchIndex::build("fr", vec![doc("Zèbre", "Arctique", "bœuf, été")]);
        let mut sorted = index.terms.clone();
        sorted.sort();
        assert_eq!(index.terms, sorted);
        assert!(index.terms.contains(&"boeuf".to_string()));
    }

    #[test]
    fn the_entry_names_one_term_shard_and_one_document_shard_of_a_small_index() {
        let scripts = SearchIndex::build("en", vec![doc("Cyber", "", "text")]).to_scripts();
        assert_eq!(scripts.len(), 3);
        let (name, entry) = &scripts[0];
        assert_eq!(name, INDEX_FILE);
        let entry = String::from_utf8(entry.clone()).unwrap();
        assert!(
            entry.starts_with("window.briefingSearchIndex = {"),
            "{entry}"
        );
        for (file, script) in &scripts[1..] {
            assert!(entry.contains(&format!("\"{file}\"")), "{entry}");
            let script = String::from_utf8(script.clone()).unwrap();
            assert!(script.contains(&format!("[\"{file}\"] = \"")), "{script}");
        }
    }

    #[test]
    fn french_and_english_have_one_and_other_counts() {
        assert_eq!(plural_samples("fr"), [("one", 0), ("other", 2)]);
        assert_eq!(plural_samples("en"), [("other", 0), ("one", 1)]);
    }
}
