//! What a briefing's Markdown adds: call-outs from GitHub-style alerts, figures with
//! captions, image sizes and lazy loading, the error for an image without alternative text,
//! and English curly quotes in front matter text. On the `basic` fixture with the `markdown`
//! overlay, built by the real binary.

use crate::common::{Project, attr, select, text_of};

#[test]
fn alerts_become_call_outs_labelled_in_the_page_language() {
    let project = Project::fixture_with("markdown");
    let site = project.build(&[]);
    let page = site.html("fr/figures/index.html");
    let callouts: Vec<(String, String, String)> = select(&page, ".prose .callout")
        .iter()
        .map(|callout| {
            (
                attr(callout, "class"),
                text_of(&select_in(callout, ".callout__label")[0]),
                attr(callout, "role"),
            )
        })
        .collect();
    assert_eq!(
        callouts,
        [
            (
                "callout callout--note".into(),
                "Remarque".into(),
                "note".into()
            ),
            (
                "callout callout--warning".into(),
                "Avertissement".into(),
                "note".into()
            ),
            (
                "callout callout--important".into(),
                "Important".into(),
                "note".into()
            ),
        ]
    );
    assert!(text_of(&select(&page, ".callout--note")[0]).contains("Les chiffres datent de 2024."));
    assert_eq!(
        select(&page, ".prose blockquote").len(),
        1,
        "a plain quotation stays one"
    );
    let english = site.html("en/figures/index.html");
    assert_eq!(
        text_of(&select(&english, ".callout__label")[0]),
        "Note",
        "the label follows the page's language"
    );
}

fn select_in<'a>(
    element: &scraper::ElementRef<'a>,
    selector: &str,
) -> Vec<scraper::ElementRef<'a>> {
    let selector = scraper::Selector::parse(selector).unwrap();
    element.select(&selector).collect()
}

#[test]
fn a_lone_image_with_a_title_is_a_figure_and_every_image_has_its_size() {
    let project = Project::fixture_with("markdown");
    let site = project.build(&[]);
    let page = site.html("fr/figures/index.html");
    let figures = select(&page, ".prose figure");
    assert_eq!(figures.len(), 1);
    let img = &select_in(&figures[0], "img")[0];
    assert_eq!(attr(img, "alt"), "Carte de la péninsule");
    assert_eq!(
        (attr(img, "width"), attr(img, "height")),
        ("12".into(), "8".into())
    );
    assert_eq!(attr(img, "loading"), "lazy");
    assert_eq!(
        text_of(&select_in(&figures[0], "figcaption")[0]),
        "La péninsule coréenne"
    );
    assert!(
        select(&page, ".prose p > figure").is_empty(),
        "the figure is not inside a paragraph"
    );
    // An image within text stays inline, sized from its SVG view box.
    let inline = &select(&page, ".prose p img")[0];
    assert_eq!(attr(inline, "src"), "schema.svg");
    assert_eq!(
        (attr(inline, "width"), attr(inline, "height")),
        ("300".into(), "150".into())
    );
    assert_eq!(attr(inline, "loading"), "lazy");
    assert_eq!(
        site.resolve("fr/figures/index.html", "carte.png")
            .as_deref(),
        Some("fr/figures/carte.png")
    );
    assert!(site.exists("fr/figures/carte.png"));
}

#[test]
fn an_image_without_alternative_text_is_an_error_at_its_place() {
    let project = Project::fixture_with("markdown");
    project.edit(
        "content/figures/index.fr.md",
        "Un schéma dans le texte : ![Schéma des échanges](schema.svg)",
        "Un schéma dans le texte : ![](schema.svg)",
    );
    let stderr = project.build_fails(&[]);
    assert!(
        stderr.contains("content/figures/index.fr.md:11:27"),
        "the error names file:line:col:\n{stderr}"
    );
    assert!(
        stderr.contains("image \"schema.svg\" has no alternative text"),
        "{stderr}"
    );
    let check = project.run(&["check"]);
    assert_eq!(check.code, Some(1));
    assert!(
        check.stdout.contains("content/figures/index.fr.md:11:27"),
        "{}",
        check.stdout
    );
}

#[test]
fn english_titles_summaries_and_events_get_curly_quotes() {
    let project = Project::fixture_with("markdown");
    let site = project.build(&[]);
    let page = site.html("en/figures/index.html");
    assert_eq!(text_of(&select(&page, "h1")[0]), "Figures and “call-outs”");
    assert_eq!(
        text_of(&select(&page, ".lead")[0]),
        "Maps, diagrams and the briefing’s warnings."
    );
    let timeline = site
        .html_files()
        .into_iter()
        .find(|p| p.starts_with("en/timeline/"))
        .unwrap();
    let timeline_text = text_of(&select(&site.html(&timeline), "main")[0]);
    assert!(
        timeline_text.contains("The “figures” topic’s first version"),
        "{timeline_text}"
    );
    assert!(
        !site
            .read("en/figures/index.html")
            .contains("&quot;call-outs&quot;")
    );
}
