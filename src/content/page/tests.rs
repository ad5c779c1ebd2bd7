//! Tests of `content::page`.
use super::*;

fn parse(text: &str) -> Result<Page, Vec<Diagnostic>> {
    parse_page(&PageInput {
        path: Path::new("content/x/index.fr.md"),
        topic: "x",
        lang: "fr",
        text,
        glossary: &[],
    })
}

#[test]
fn front_matter_fields_are_read() {
    let page = parse(
        "+++\ntitle = \"Pourquoi ?\"\ndate = 2024-05-14\ntags = [\"cyber\"]\n\n[[events]]\ndate = \"2023-07\"\ntext = \"Programme approuvé\"\n+++\nCorps du texte.\n",
    )
    .unwrap();
    assert_eq!(page.title, "Pourquoi\u{202F}?");
    assert_eq!(page.date, Date::full(2024, 5, 14));
    assert_eq!(page.slug, "x");
    assert_eq!(page.summary, "Corps du texte.");
    assert_eq!(page.tags[0].spot, Spot { line: 4, column: 9 });
    assert_eq!(page.events[0].date.iso(), "2023-07");
}

#[test]
fn unknown_key_points_at_its_line_in_the_file() {
    let problems =
        parse("+++\ntitle = \"a\"\ndate = 2024-05-14\ntitel = \"b\"\n+++\n").unwrap_err();
    assert_eq!(problems[0].location(), "content/x/index.fr.md:4:1");
    assert!(problems[0].message.contains("did you mean \"title\""));
}

#[test]
fn bad_date_points_at_its_value() {
    let problems = parse("+++\ntitle = \"a\"\ndate = 2024-05-14\n[[events]]\ndate = \"2024-13\"\ntext = \"x\"\n+++\n").unwrap_err();
    assert_eq!(problems[0].location(), "content/x/index.fr.md:5:8");
}

#[test]
fn a_wrong_type_names_its_line() {
    let problems = parse("+++\ntitle = \"a\"\ndate = \"hier\"\n+++\n").unwrap_err();
    assert_eq!(problems[0].line, Some(3));
}

#[test]
fn unclosed_front_matter_is_an_error() {
    let problems = parse("+++\ntitle = \"a\"\n").unwrap_err();
    assert_eq!(problems[0].code, "front-matter-unclosed");
}
