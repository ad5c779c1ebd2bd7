//! Render stage, structured data: schema.org JSON-LD (`BreadcrumbList`, `Article`) as text
//! safe to put inside `<script type="application/ld+json">`: `<`, `>` and `&` are written
//! as `\u003c`, `\u003e`, `\u0026`, so that no value can close the script element or open
//! a comment, whatever the pages' titles hold.

use serde_json::{Value, json};

/// JSON text that cannot break out of a `<script>` element.
pub fn script_text(value: &Value) -> String {
    let text = serde_json::to_string(value).expect("JSON values serialize");
    let mut out = String::with_capacity(text.len());
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

/// A `BreadcrumbList` of (name, absolute URL), from the home page down.
pub fn breadcrumb_list(steps: &[(String, String)]) -> String {
    let items: Vec<Value> = steps
        .iter()
        .enumerate()
        .map(|(index, (name, url))| {
            json!({
                "@type": "ListItem",
                "position": index + 1,
                "name": name,
                "item": url,
            })
        })
        .collect();
    script_text(&json!({
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": items,
    }))
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

pub fn article(article: &Article<'_>) -> String {
    let mut value = json!({
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.headline,
        "description": article.description,
        "url": article.url,
        "mainEntityOfPage": article.url,
        "inLanguage": article.lang,
        "datePublished": article.published,
        "dateModified": article.modified,
        "publisher": {"@type": "Organization", "name": article.publisher},
        "author": {"@type": "Organization", "name": article.publisher},
    });
    if let Some(image) = &article.image {
        value["image"] = json!(image);
    }
    script_text(&value)
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
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            back["itemListElement"][0]["name"],
            "</script><script>alert(1)</script> & <!--"
        );
        assert_eq!(back["itemListElement"][0]["position"], 1);
    }
}
