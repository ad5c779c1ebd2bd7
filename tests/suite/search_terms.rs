//! Index-time terms agree with what the browser computes at query time: the words of
//! tests/fixtures/stemming/<lang>.tsv with their expected terms, checked here against the
//! index's analyzer (rust-stemmers) and in Chromium against search.js (tests/browser).
//!
//! `BRIEFING_BLESS=1 cargo test --release --test suite search_terms` rewrites the expected terms after a
//! deliberate change of the analyzer (then the browser test says whether search.js follows).

use std::fs;
use std::path::PathBuf;

use briefing::search::analyzer::Analyzer;

fn table(lang: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/stemming/{lang}.tsv"))
}

fn expected_terms(analyzer: &Analyzer, word: &str) -> String {
    let (first, second) = analyzer.word_terms(word);
    std::iter::once(first)
        .chain(second)
        .collect::<Vec<_>>()
        .join(" ")
}

fn check_language(lang: &str) {
    let analyzer = Analyzer::for_language(lang);
    let text = fs::read_to_string(table(lang)).expect("the table of expected terms");
    let mut mismatches = Vec::new();
    let mut blessed = String::new();
    for line in text.lines() {
        let (word, expected) = line.split_once('\t').expect("word<TAB>terms");
        let actual = expected_terms(&analyzer, word);
        if actual != expected {
            mismatches.push(format!("{word}: expected {expected:?}, got {actual:?}"));
        }
        blessed.push_str(&format!("{word}\t{actual}\n"));
    }
    if std::env::var_os("BRIEFING_BLESS").is_some() {
        fs::write(table(lang), blessed).unwrap();
        return;
    }
    assert!(
        text.lines().count() > 1000,
        "the {lang} table is too small to mean much"
    );
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn french_words_have_the_terms_the_browser_expects() {
    check_language("fr");
}

#[test]
fn english_words_have_the_terms_the_browser_expects() {
    check_language("en");
}
