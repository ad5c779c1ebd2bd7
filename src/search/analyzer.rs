//! Search terms of a text: words → lowercase → Snowball stem → accents folded.
//!
//! The browser does the same to a query (themes/briefing/static/search.js), so both sides must
//! agree word for word: tests/fixtures/stemming/ holds words with the terms expected of them,
//! checked here against rust-stemmers and in Chromium against the script.

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Words shorter than this (French elisions `l’`, `d’`, English `a`) are not indexed.
pub const MIN_WORD_CHARS: usize = 2;

/// How one language's words become terms.
pub struct Analyzer {
    stemmer: Option<Stemmer>,
    /// The stemmer's name for the browser, which knows only the stemmers it ships.
    pub stemmer_name: Option<&'static str>,
}

impl Analyzer {
    /// French and English are stemmed (the browser ships both stemmers); words of other
    /// languages are only lowercased and folded, the same in the browser.
    pub fn for_language(lang: &str) -> Analyzer {
        let (algorithm, name) = match primary_subtag(lang) {
            "fr" => (Some(Algorithm::French), Some("fr")),
            "en" => (Some(Algorithm::English), Some("en")),
            _ => (None, None),
        };
        Analyzer {
            stemmer: algorithm.map(Stemmer::create),
            stemmer_name: name,
        }
    }

    /// The terms of one word (already split out of a text): its stem folded, and the stem
    /// of the folded word where that differs (`sécurité` → `secur`, `securite` →
    /// `securit`), so that a query typed without accents still finds it.
    pub fn word_terms(&self, word: &str) -> (String, Option<String>) {
        let lower = word.to_lowercase();
        let stemmed = fold(&self.stem(&lower));
        let folded_first = self.stem(&fold(&lower)).into_owned();
        if folded_first == stemmed {
            (stemmed, None)
        } else {
            (stemmed, Some(folded_first))
        }
    }

    fn stem<'a>(&self, word: &'a str) -> std::borrow::Cow<'a, str> {
        match &self.stemmer {
            Some(stemmer) => stemmer.stem(word),
            None => std::borrow::Cow::Borrowed(word),
        }
    }
}

fn primary_subtag(lang: &str) -> &str {
    lang.split(['-', '_']).next().unwrap_or(lang)
}

/// The words of a text: runs of letters and digits (Unicode Alphabetic and Numeric, as the
/// browser's `[\p{Alphabetic}\p{N}]+`), of at least `MIN_WORD_CHARS` characters.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    Words { rest: text }.filter(|word| word.chars().nth(MIN_WORD_CHARS - 1).is_some())
}

/// The runs of alphanumeric characters of a text, as `split(|c| !c.is_alphanumeric())` gives
/// them less its empty pieces. An index reads every body of its language (some 35 MB at
/// 5,000 topics): ASCII bytes, most of any text, are told apart without decoding them.
struct Words<'t> {
    rest: &'t str,
}

impl<'t> Iterator for Words<'t> {
    type Item = &'t str;

    fn next(&mut self) -> Option<&'t str> {
        let text = self.rest;
        let bytes = text.as_bytes();
        let mut start = None;
        let mut at = 0;
        while at < bytes.len() {
            let (in_word, width) = if bytes[at].is_ascii() {
                (bytes[at].is_ascii_alphanumeric(), 1)
            } else {
                let c = text[at..].chars().next().expect("at a character's start");
                (c.is_alphanumeric(), c.len_utf8())
            };
            match start {
                None if in_word => start = Some(at),
                Some(from) if !in_word => {
                    self.rest = &text[at + width..];
                    return Some(&text[from..at]);
                }
                _ => {}
            }
            at += width;
        }
        self.rest = "";
        start.map(|from| &text[from..])
    }
}

/// Accents off (canonical decomposition without its combining marks) and the ligatures
/// French writes (`œ`, `æ`) spelled out, as the browser's `normalize('NFD')` does.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.nfd() {
        match c {
            'œ' => folded.push_str("oe"),
            'æ' => folded.push_str("ae"),
            c if is_combining_mark(c) => {}
            c => folded.push(c),
        }
    }
    folded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_the_runs_of_letters_and_digits() {
        for text in [
            "",
            "a",
            "l’OTAN et la République de Corée, 2024 : «\u{a0}cyberdéfense\u{202f}» !",
            "Œuvre  ÉTÉ—été…x y zz 12 ab-cd_ef",
            "日本語のテキスト と 한국어 텍스트",
            "🙂ab🙂🙂cd🙂",
            "ends with a word",
            " \t\nlead and trail\n ",
        ] {
            let expected: Vec<&str> = text
                .split(|c: char| !c.is_alphanumeric())
                .filter(|word| word.chars().nth(MIN_WORD_CHARS - 1).is_some())
                .collect();
            assert_eq!(words(text).collect::<Vec<_>>(), expected, "{text:?}");
        }
    }

    fn terms(lang: &str, text: &str) -> Vec<String> {
        let analyzer = Analyzer::for_language(lang);
        words(text)
            .flat_map(|word| {
                let (first, second) = analyzer.word_terms(word);
                std::iter::once(first).chain(second)
            })
            .collect()
    }

    #[test]
    fn accents_are_folded_after_stemming() {
        assert_eq!(terms("fr", "défense"), ["defens"]);
        assert_eq!(terms("fr", "defense"), ["defens"]);
    }

    #[test]
    fn a_verb_and_its_noun_share_a_french_stem() {
        assert_eq!(terms("fr", "coopérer"), terms("fr", "coopération"));
    }

    #[test]
    fn a_word_typed_without_accents_shares_a_term_with_the_accented_word() {
        let accented = terms("fr", "sécurité");
        let plain = terms("fr", "securite");
        assert!(
            plain.iter().any(|term| accented.contains(term)),
            "{accented:?} {plain:?}"
        );
    }

    #[test]
    fn english_words_are_stemmed_with_porter2() {
        assert_eq!(terms("en", "cooperation cooperate"), ["cooper", "cooper"]);
        assert_eq!(terms("en", "Defence"), ["defenc"]);
    }

    #[test]
    fn elisions_and_short_words_are_not_terms() {
        assert_eq!(terms("fr", "l’Alliance d’été"), ["allianc", "ete"]);
    }

    #[test]
    fn other_languages_are_folded_but_not_stemmed() {
        assert_eq!(terms("de", "Übungen"), ["ubungen"]);
    }
}
