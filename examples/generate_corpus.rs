//! Writes a generated bilingual project for benchmarks: N topics in French and English with
//! front matter, tags, events, glossary terms and cross-links, using the repository's theme
//! and interface strings.
//!
//! cargo run --release --example generate_corpus -- <topics> <output-folder>

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

const TAGS: [&str; 8] = [
    "cyber-defence",
    "non-proliferation",
    "indo-pacific",
    "interoperability",
    "political-dialogue",
    "maritime-security",
    "technology",
    "operations",
];

const FRENCH_WORDS: [&str; 24] = [
    "coopération",
    "défense",
    "sécurité",
    "partenariat",
    "dialogue",
    "exercice",
    "cyberdéfense",
    "Alliance",
    "programme",
    "technologies",
    "interopérabilité",
    "résilience",
    "maritime",
    "sommet",
    "ministres",
    "désarmement",
    "non-prolifération",
    "région",
    "stabilité",
    "formation",
    "recherche",
    "menaces",
    "capacités",
    "opérations",
];
const ENGLISH_WORDS: [&str; 24] = [
    "cooperation",
    "defence",
    "security",
    "partnership",
    "dialogue",
    "exercise",
    "cyber",
    "Alliance",
    "programme",
    "technologies",
    "interoperability",
    "resilience",
    "maritime",
    "summit",
    "ministers",
    "disarmament",
    "non-proliferation",
    "region",
    "stability",
    "training",
    "research",
    "threats",
    "capabilities",
    "operations",
];

fn main() {
    let mut args = std::env::args().skip(1);
    let topics: usize = args
        .next()
        .and_then(|n| n.parse().ok())
        .expect("usage: generate_corpus <topics> <output-folder>");
    let out = PathBuf::from(
        args.next()
            .expect("usage: generate_corpus <topics> <output-folder>"),
    );
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    if out.exists() {
        fs::remove_dir_all(&out).expect("remove the previous corpus");
    }
    fs::create_dir_all(out.join("content")).unwrap();
    copy_tree(&repo.join("themes"), &out.join("themes"));
    for lang in ["fr", "en"] {
        fs::create_dir_all(out.join("locales").join(lang)).unwrap();
        fs::copy(
            repo.join("locales").join(lang).join("main.ftl"),
            out.join("locales").join(lang).join("main.ftl"),
        )
        .unwrap();
        let tags: String = TAGS
            .iter()
            .map(|tag| format!("tag-{tag} = {lang} {tag}\n"))
            .collect();
        fs::write(out.join("locales").join(lang).join("tags.ftl"), tags).unwrap();
    }
    fs::write(
        out.join("briefing.toml"),
        "base_url = \"https://example.org/corpus/\"\nlanguages = [\"fr\", \"en\"]\n",
    )
    .unwrap();
    fs::write(
        out.join("content/glossary.toml"),
        "[[terms]]\nfr = { short = \"OTAN\", expansion = \"Organisation du Traité de l’Atlantique Nord\" }\nen = { short = \"NATO\", expansion = \"North Atlantic Treaty Organization\" }\n",
    )
    .unwrap();
    for index in 0..topics {
        let folder = out.join("content").join(format!("topic-{index:05}"));
        fs::create_dir_all(&folder).unwrap();
        let french = page(index, topics, "fr", &FRENCH_WORDS);
        // The English pages are current translations, as `briefing translated` records them,
        // so that `check` has a clean corpus to measure.
        let english_path = folder.join("index.en.md");
        let english = briefing::translation::record_source_digest(
            &english_path,
            &page(index, topics, "en", &ENGLISH_WORDS),
            &briefing::translation::source_digest(&french),
            false,
        )
        .expect("generated front matter is valid");
        fs::write(folder.join("index.fr.md"), french).unwrap();
        fs::write(english_path, english).unwrap();
    }
    println!(
        "{topics} topics ({} pages) in {}",
        topics * 2,
        out.display()
    );
}

/// A page of about 600 words, deterministic for a given index.
fn page(index: usize, total: usize, lang: &str, words: &[&str]) -> String {
    let mut seed = index as u64 * 2_654_435_761 + 12_345;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let year = 2005 + (index % 20);
    let month = 1 + index % 12;
    let day = 1 + index % 28;
    let tag_a = TAGS[index % TAGS.len()];
    let tag_b = TAGS[(index / 3 + 1) % TAGS.len()];
    let mut text = String::new();
    let title = format!("{} {index}", words[index % words.len()]);
    let _ = writeln!(
        text,
        "+++\ntitle = \"{title}\"\ndate = {year}-{month:02}-{day:02}"
    );
    let _ = writeln!(
        text,
        "summary = \"{} {} {}.\"",
        words[(index + 1) % 24],
        words[(index + 5) % 24],
        words[(index + 9) % 24]
    );
    let _ = writeln!(text, "tags = [\"{tag_a}\", \"{tag_b}\"]");
    let _ = writeln!(
        text,
        "\n[[sources]]\npublisher = \"OTAN\"\ntitle = \"Source {index}\"\ndate = {year}-{month:02}-{day:02}"
    );
    let _ = writeln!(
        text,
        "\n[[events]]\ndate = {year}-{month:02}-{day:02}\ntext = \"{} {index}\"\n+++",
        words[(index + 3) % 24]
    );
    let _ = writeln!(
        text,
        "## {} {}\n",
        words[(index + 2) % 24],
        words[(index + 7) % 24]
    );
    for paragraph in 0..6 {
        for _ in 0..100 {
            text.push_str(words[(next() % 24) as usize]);
            text.push(' ');
        }
        if paragraph == 2 {
            let other = (index + 1) % total;
            let _ = write!(text, "[OTAN](@/topic-{other:05}) ");
            let _ = write!(text, "{} ", if lang == "fr" { "OTAN" } else { "NATO" });
        }
        text.push_str(".\n\n");
    }
    text
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}
