//! Render stage, structured data: schema.org JSON-LD (`BreadcrumbList`, `Article`) as text
//! safe to put inside `<script type="application/ld+json">`: `<`, `>` and `&` are written
//! as `\u003c`, `\u003e`, `\u0026`, so that no value can close the script element or open
//! a comment, whatever the pages' titles hold.

use serde::Serialize;

/// JSON text of `value` that cannot break out of a `<script>` element.
///
/// Written from typed structures rather than `serde_json::Value` trees (a map and its keys
/// allocated for every object of every page), with the object keys in the order a `Value`
/// writes them (sorted), so that the pages' bytes stay as they were.
pub fn script_text(value: &impl Serialize) -> String {
    let text = serde_json::to_string(value).expect("JSON values serialize");
    // Only `<`, `>`, `&` and U+2028/U+2029 (0xE2 0x80 0xA8/0xA9) need rewriting, and most
    // texts hold none of them.
    let bytes = text.as_bytes();
    let needs_escape = bytes.iter().enumerate().any(|(at, &byte)| {
        matches!(byte, b'<' | b'>' | b'&')
            || (byte == 0xE2 && matches!(bytes.get(at + 1..at + 3), Some([0x80, 0xA8 | 0xA9])))
    });
    if !needs_escape {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

const SCHEMA_ORG: &str = "https://schema.org";

#[derive(Serialize)]
struct BreadcrumbList<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "itemListElement")]
    items: Vec<ListItem<'a>>,
}

#[derive(Serialize)]
struct ListItem<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    item: &'a str,
    name: &'a str,
    position: usize,
}

/// A `BreadcrumbList` of (name, absolute URL), from the home page down.
pub fn breadcrumb_list(steps: &[(String, String)]) -> String {
    script_text(&BreadcrumbList {
        context: SCHEMA_ORG,
        kind: "BreadcrumbList",
        items: steps
            .iter()
            .enumerate()
            .map(|(index, (name, url))| ListItem {
                kind: "ListItem",
                item: url,
                name,
                position: index + 1,
            })
            .collect(),
    })
}

/// What an `Article` says of a topic or page.
pub struct Article<'a> {
    pub headline: &'a str,
    pub description: &'a str,
    pub url: &'a str,
    pub lang: &'a str,
    pub published: String,
    pub modified: String,
    pub publisher: &'a str,
    pub image: Option<String>,
}

/// An `Article` as JSON-LD writes it: keys in sorted order (see `script_text`).
#[derive(Serialize)]
struct ArticleObject<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    author: Organization<'a>,
    #[serde(rename = "dateModified")]
    date_modified: &'a str,
    #[serde(rename = "datePublished")]
    date_published: &'a str,
    description: &'a str,
    headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: &'a str,
    publisher: Organization<'a>,
    url: &'a str,
}

#[derive(Serialize)]
struct Organization<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

pub fn article(article: &Article<'_>) -> String {
    let organization = || Organization {
        kind: "Organization",
        name: article.publisher,
    };
    script_text(&ArticleObject {
        context: SCHEMA_ORG,
        kind: "Article",
        author: organization(),
        date_modified: &article.modified,
        date_published: &article.published,
        description: article.description,
        headline: article.headline,
        image: article.image.as_deref(),
        in_language: article.lang,
        main_entity_of_page: article.url,
        publisher: organization(),
        url: article.url,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_value_can_close_the_script_element() {
        let text = breadcrumb_list(&[(
            "</script><script>alert(1)</script> & <!--".into(),
            "https://example.org/fr/".into(),
        )]);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            back["itemListElement"][0]["name"],
            "</script><script>alert(1)</script> & <!--"
        );
        assert_eq!(back["itemListElement"][0]["position"], 1);
    }

    /// The typed objects write what `serde_json::Value` (sorted keys) wrote before them, so
    /// that no page's bytes changed.
    #[test]
    fn objects_are_written_as_the_json_values_they_replace() {
        let steps = [
            ("Accueil".to_string(), "https://example.org/fr/".to_string()),
            (
                "R&D <cyber>\u{2028}".to_string(),
                "https://example.org/fr/r-d/".to_string(),
            ),
        ];
        let expected = serde_json::json!({
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": 1, "name": "Accueil", "item": "https://example.org/fr/"},
                {"@type": "ListItem", "position": 2, "name": "R&D <cyber>\u{2028}", "item": "https://example.org/fr/r-d/"},
            ],
        });
        assert_eq!(breadcrumb_list(&steps), script_text(&expected));
        for image in [
            None,
            Some("https://example.org/fr/r-d/carte.png".to_string()),
        ] {
            let page = Article {
                headline: "L’OTAN & la Corée",
                description: "Un résumé",
                url: "https://example.org/fr/r-d/",
                lang: "fr",
                published: "2024-05-01".into(),
                modified: "2024-06-01".into(),
                publisher: "Affaires mondiales",
                image: image.clone(),
            };
            let mut expected = serde_json::json!({
                "@context": "https://schema.org",
                "@type": "Article",
                "headline": page.headline,
                "description": page.description,
                "url": page.url,
                "mainEntityOfPage": page.url,
                "inLanguage": page.lang,
                "datePublished": page.published,
                "dateModified": page.modified,
                "publisher": {"@type": "Organization", "name": page.publisher},
                "author": {"@type": "Organization", "name": page.publisher},
            });
            if let Some(image) = &image {
                expected["image"] = serde_json::json!(image);
            }
            assert_eq!(article(&page), script_text(&expected), "{image:?}");
        }
    }
}
