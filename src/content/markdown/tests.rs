//! Tests of `content::markdown`.
use super::*;

fn render(markdown: &str, lang: &str, glossary: &[Term]) -> Body {
    let lines = LineIndex::new(markdown);
    let source = BodySource {
        file_text: markdown,
        offset: 0,
        lines: &lines,
    };
    render_markdown(markdown, &source, lang, glossary)
}

fn nato() -> Vec<Term> {
    vec![Term {
        short: "OTAN".into(),
        expansion: "Organisation du Traité de l’Atlantique Nord".into(),
    }]
}

#[test]
fn headings_get_unique_ids_from_their_text() {
    let body = render(
        "## Défense et sécurité\n\n## Défense et sécurité\n\n## Autre {#mon-id}\n",
        "fr",
        &[],
    );
    let ids: Vec<_> = body.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(
        ids,
        ["defense-et-securite", "defense-et-securite-1", "mon-id"]
    );
    assert!(body.html.contains("<h2 id=\"defense-et-securite\">"));
}

#[test]
fn first_use_of_a_short_form_is_an_abbr() {
    let body = render("L’OTAN et l’OTAN.\n\n`OTAN` NOTANT\n", "fr", &nato());
    assert_eq!(body.html.matches("<abbr").count(), 1, "{}", body.html);
    assert!(body.html.contains(
        "L’<abbr title=\"Organisation du Traité de l’Atlantique Nord\">OTAN</abbr> et l’OTAN."
    ));
    assert!(body.html.contains("<code>OTAN</code>"));
}

#[test]
fn several_short_forms_in_one_sentence_are_each_marked_once() {
    let mut glossary = nato();
    glossary.push(Term {
        short: "ROK".into(),
        expansion: "République de Corée".into(),
    });
    let body = render(
        "La ROK, l’OTAN, la ROK et l’OTAN.
",
        "fr",
        &glossary,
    );
    assert!(
        body.html.contains(
            "La <abbr title=\"République de Corée\">ROK</abbr>, \
             l’<abbr title=\"Organisation du Traité de l’Atlantique Nord\">OTAN</abbr>, \
             la ROK et l’OTAN."
        ),
        "{}",
        body.html
    );
}

#[test]
fn french_prose_gets_narrow_spaces_but_code_does_not() {
    let body = render(
        "Pourquoi ? **Attention**: voir `a ? b`\n\n```\nx ? y : z\n```\n",
        "fr",
        &[],
    );
    assert!(body.html.contains("Pourquoi\u{202F}?"));
    assert!(body.html.contains("</strong>\u{202F}:"));
    assert!(body.html.contains("<code>a ? b</code>"));
    assert!(body.html.contains("x ? y : z"));
}

#[test]
fn topic_links_become_placeholders_with_their_position() {
    let body = render(
        "Voir\n[la cyber](@/cyber-defence#locked-shields).\n",
        "fr",
        &[],
    );
    assert_eq!(
        body.topic_links,
        vec![TopicLink {
            topic: "cyber-defence".into(),
            anchor: Some("locked-shields".into()),
            spot: Spot { line: 2, column: 1 }
        }]
    );
    assert!(body.html.contains("href=\"briefing-topic-link:0\""));
}

#[test]
fn links_are_sorted_by_kind() {
    let body = render(
        "[a](https://x.org) [b](#top) [c](doc.pdf) ![d](map.png) <mail@x.org>\n",
        "en",
        &[],
    );
    assert_eq!(body.external_links.len(), 1);
    assert_eq!(body.anchor_links.len(), 1);
    assert_eq!(body.file_links.len(), 2);
    assert!(body.file_links[1].is_image);
}

#[test]
fn the_first_paragraph_is_kept_for_summaries() {
    let body = render("# Title\n\nFirst *para*.\n\nSecond.\n", "en", &[]);
    assert_eq!(&*body.first_paragraph, "First para.");
    assert_eq!(body.word_count, 4);
}
