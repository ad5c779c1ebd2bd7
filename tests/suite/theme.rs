//! The shipped theme on the `basic` fixture: header and footer, "date modified", the topic
//! layout, the home's groups and cards, the tag index, planned events, the 404 page and the
//! typography of dates, asserted on the HTML that comes out.

use crate::common::{Project, SiteDir, attr, select, text_of};

fn built() -> (Project, SiteDir) {
    let project = Project::fixture("basic");
    let site = project.build(&[]);
    (project, site)
}

const NBSP: char = '\u{a0}';

#[test]
fn every_page_has_the_organisation_band_and_ends_with_its_date_modified() {
    let (project, site) = built();
    let organisation = project
        .read("locales/en/main.ftl")
        .lines()
        .find_map(|line| line.strip_prefix("organisation-name = "))
        .unwrap()
        .to_string();
    for page in site.html_files() {
        if !page.starts_with("en/") {
            continue;
        }
        let html = site.html(&page);
        let wordmark = select(&html, ".site-header .wordmark");
        assert_eq!(wordmark.len(), 1, "{page}");
        assert_eq!(text_of(&wordmark[0]), organisation, "{page}");
        let label = select(&html, "main > .date-modified dt");
        assert_eq!(label.len(), 1, "{page} has no date modified");
        assert_eq!(text_of(&label[0]), "Date modified:");
        assert!(select(&html, "footer.site-footer").len() == 1, "{page}");
    }
}

#[test]
fn a_topics_date_modified_is_its_update_and_other_pages_take_the_newest_date() {
    let (_project, site) = built();
    let modified = |page: &str| {
        let html = site.html(page);
        attr(&select(&html, ".date-modified time")[0], "datetime")
    };
    assert_eq!(modified("fr/relations-coree/index.html"), "2024-05-23");
    assert_eq!(modified("fr/cyberdefense/index.html"), "2024-05-14");
    // The newest date of the site is the home's `updated`.
    assert_eq!(modified("fr/themes/index.html"), "2024-11-01");
    assert_eq!(modified("en/index.html"), "2024-11-01");
}

#[test]
fn the_first_of_the_month_is_raised_and_unbreakable_in_display_only() {
    let (_project, site) = built();
    let page = site.read("fr/index.html");
    assert!(
        page.contains(
            r#"<time datetime="2024-11-01">1<sup>er</sup>&nbsp;novembre&nbsp;2024</time>"#
        ),
        "{page}"
    );
    let timeline = site.html("fr/chronologie/index.html");
    let first = text_of(&select(&timeline, ".timeline__event time")[0]);
    assert_eq!(first, format!("1er{NBSP}novembre"));
    // Feeds and attributes keep the plain text.
    assert!(!site.read("fr/atom.xml").contains("<sup>"));
    assert!(!site.read("fr/atom.xml").contains("&lt;sup"));
}

#[test]
fn dates_under_a_year_heading_leave_the_year_to_it() {
    let (_project, site) = built();
    let html = site.html("en/timeline/index.html");
    for year in select(&html, ".timeline__year") {
        let heading = text_of(&select_in(&year, "h2")[0]);
        for time in select_in(&year, ".timeline__event time") {
            let text = text_of(&time);
            let only_year = attr(&time, "datetime") == heading;
            assert!(
                only_year || !text.contains(&heading),
                "{text} under {heading}"
            );
        }
    }
}

fn select_in<'a>(
    element: &scraper::ElementRef<'a>,
    selector: &str,
) -> Vec<scraper::ElementRef<'a>> {
    let selector = scraper::Selector::parse(selector).unwrap();
    element.select(&selector).collect()
}

#[test]
fn events_after_the_newest_date_are_set_apart_as_planned() {
    let project = Project::fixture("basic");
    project.edit(
        "content/relations/index.en.md",
        "[[events]]\ndate = 2024-11-01",
        "[[events]]\ndate = \"2025-03\"\ntext = \"Next staff talks\"\n\n[[events]]\ndate = 2024-11-01",
    );
    let site = project.build(&[]);
    let html = site.html("en/timeline/index.html");
    let planned = select(&html, ".timeline__planned .timeline__event");
    assert_eq!(planned.len(), 1);
    let text = text_of(&planned[0]);
    assert!(
        text.contains("Planned") && text.contains("Next staff talks"),
        "{text}"
    );
    assert!(text.contains(&format!("March{NBSP}2025")), "{text}");
    let years: Vec<String> = select(&html, ".timeline__year h2")
        .iter()
        .map(text_of)
        .collect();
    assert!(!years.contains(&"2025".to_string()), "{years:?}");
    assert_eq!(
        select(&html, ".timeline__year .timeline__event--planned").len(),
        0
    );
    // Without a later event there is no planned section.
    let french = site.html("fr/chronologie/index.html");
    assert!(select(&french, ".timeline__planned").is_empty());
}

#[test]
fn the_tag_index_gives_counts_and_the_descriptions_the_tables_have() {
    let (_project, site) = built();
    let html = site.html("en/themes/index.html");
    let entries = select(&html, ".tag-index__entry");
    assert_eq!(entries.len(), 2);
    let cyber = entries
        .iter()
        .find(|entry| text_of(entry).contains("Cyber defence"))
        .unwrap();
    assert!(text_of(cyber).contains("2 topics"), "{}", text_of(cyber));
    let description = select_in(cyber, ".tag-index__description");
    assert_eq!(
        text_of(&description[0]),
        "Exercises, shared platforms and the defence of networks."
    );
    let dialogue = entries
        .iter()
        .find(|entry| text_of(entry).contains("Political dialogue"))
        .unwrap();
    assert!(select_in(dialogue, ".tag-index__description").is_empty());
}

#[test]
fn home_cards_show_three_tags_at_most() {
    let project = Project::fixture("basic");
    let tags = "tags = [\"cyber-defence\", \"dialogue\", \"a\", \"b\", \"c\"]";
    project.edit(
        "content/relations/index.en.md",
        "tags = [\"cyber-defence\", \"dialogue\"]",
        tags,
    );
    project.edit(
        "content/relations/index.fr.md",
        "tags = [\"cyber-defence\", \"dialogue\"]",
        tags,
    );
    for lang in ["fr", "en"] {
        let path = format!("locales/{lang}/tags.ftl");
        let text = project.read(&path) + "tag-a = A\ntag-b = B\ntag-c = C\n";
        project.write(&path, &text);
    }
    let site = project.build(&[]);
    let home = site.html("en/index.html");
    let counts: Vec<usize> = select(&home, ".card")
        .iter()
        .map(|card| select_in(card, ".tag-list li").len())
        .collect();
    assert!(counts.iter().all(|count| *count <= 3), "{counts:?}");
    assert!(counts.contains(&3), "{counts:?}");
    let topic = site.html("en/relations-korea/index.html");
    let header_tags = select(&topic, ".topic__header .tag-list li");
    assert_eq!(header_tags.len(), 5, "the topic itself lists all its tags");
}

#[test]
fn home_topics_fall_into_groups_by_the_hundreds_of_their_weight() {
    let (_project, site) = built();
    // One topic has weight 1, the others none: two groups, the weighted one first.
    let home = site.html("fr/index.html");
    let groups = select(&home, ".cards");
    assert_eq!(groups.len(), 2);
    assert_eq!(select_in(&groups[0], ".card").len(), 1);
    assert!(attr(&groups[0], "class").contains("cards--lead"));
    assert!(select(&home, ".summary .intro").len() == 1);
}

#[test]
fn a_topic_lists_its_contents_before_the_text_and_again_in_its_side_column() {
    let (_project, site) = built();
    let html = site.html("en/relations-korea/index.html");
    let layout = &select(&html, ".topic__layout--side")[0];
    let children: Vec<String> = layout
        .children()
        .filter_map(scraper::ElementRef::wrap)
        .map(|child| attr(&child, "class"))
        .collect();
    let order: Vec<&str> = children
        .iter()
        .map(|c| c.split(' ').next_back().unwrap())
        .collect();
    let body = order.iter().position(|c| *c == "topic__body").unwrap();
    let side = order.iter().position(|c| *c == "topic__side").unwrap();
    assert!(body < side, "{order:?}");
    let side = &select(&html, ".topic__side")[0];
    assert_eq!(select_in(side, "#events-heading").len(), 1);
    assert_eq!(select_in(side, "#sources-heading").len(), 1);
}

#[test]
fn the_404_page_has_the_header_and_a_search_form_per_language_from_the_sites_path() {
    let (_project, site) = built();
    let html = site.html("404.html");
    assert_eq!(select(&html, ".site-nav").len(), 1);
    let forms = select(&html, "form[role=search]");
    assert_eq!(forms.len(), 2);
    for form in &forms {
        let action = attr(form, "action");
        assert!(action.starts_with('/'), "{action}");
        assert!(
            action.ends_with("/search/") || action.ends_with("/recherche/"),
            "{action}"
        );
        assert_eq!(select_in(form, "input[name=q]").len(), 1);
    }
}
