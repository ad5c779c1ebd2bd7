//! Render stage, typography of dates: the HTML a date is displayed with (a superscript
//! ordinal, no-break spaces) and the shorter form shown under its own year's heading. The
//! plain text stays for attributes, feeds and search; only the displayed HTML gets markup.

/// The date as HTML: `1er` becomes `1<sup>er</sup>` and the spaces inside one date become
/// no-break spaces, so that "1er novembre 2024" never wraps; the spaces around the dash of a
/// range stay breakable so a long range can still fold on a narrow screen.
pub fn date_html(text: &str) -> String {
    // Every card of a listing shows a date: written straight into one string.
    let mut html = String::with_capacity(text.len() + 32);
    let mut previous: Option<&str> = None;
    for word in text.split(' ') {
        if let Some(previous) = previous {
            let around_dash = is_dash(previous) || is_dash(word);
            html.push_str(if around_dash { " " } else { "&nbsp;" });
        }
        push_ordinal_html(&mut html, word);
        previous = Some(word);
    }
    html
}

fn is_dash(word: &str) -> bool {
    matches!(word, "–" | "—" | "-")
}

/// `1er` (and `1er–3`) with the ordinal suffix raised; every other character escaped.
fn push_ordinal_html(html: &mut String, word: &str) {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &word[digits..];
    for suffix in ["er", "re"] {
        let Some(after) = rest.strip_prefix(suffix) else {
            continue;
        };
        let ends_word = after.chars().next().is_none_or(|c| !c.is_alphabetic());
        if digits > 0 && ends_word {
            html.push_str(&word[..digits]);
            html.push_str("<sup>");
            html.push_str(suffix);
            html.push_str("</sup>");
            push_escaped(html, after);
            return;
        }
    }
    push_escaped(html, word);
}

fn push_escaped(html: &mut String, text: &str) {
    for character in text.chars() {
        match character {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            other => html.push(other),
        }
    }
}

/// The date without its year, for a list under that year's heading: "14 mai 2024" gives
/// "14 mai". A date that is only its year, or names another year too (a range across
/// years), is kept whole.
pub fn without_year(text: &str, year: &str) -> String {
    if text.matches(year).count() != 1 {
        return text.to_string();
    }
    let Some(before) = text.trim_end().strip_suffix(year) else {
        return text.to_string();
    };
    let shortened = before.trim_end_matches([' ', ',', '\u{a0}']);
    if shortened.is_empty() {
        text.to_string()
    } else {
        shortened.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_of_the_month_gets_a_superscript_and_no_break_spaces() {
        assert_eq!(
            date_html("1er novembre 2024"),
            "1<sup>er</sup>&nbsp;novembre&nbsp;2024"
        );
        assert_eq!(date_html("14 May 2024"), "14&nbsp;May&nbsp;2024");
    }

    #[test]
    fn a_range_may_break_around_its_dash_only() {
        assert_eq!(
            date_html("1er–3 novembre 2024"),
            "1<sup>er</sup>–3&nbsp;novembre&nbsp;2024"
        );
        assert_eq!(
            date_html("décembre 2023 – janvier 2024"),
            "décembre&nbsp;2023 – janvier&nbsp;2024"
        );
    }

    #[test]
    fn words_that_merely_start_with_er_are_left_alone() {
        assert_eq!(date_html("error"), "error");
        assert_eq!(date_html("10e"), "10e");
        assert_eq!(date_html("<b>"), "&lt;b&gt;");
    }

    #[test]
    fn the_year_goes_only_when_the_heading_says_it() {
        assert_eq!(without_year("14 mai 2024", "2024"), "14 mai");
        assert_eq!(without_year("May 14, 2024", "2024"), "May 14");
        assert_eq!(without_year("2024", "2024"), "2024");
        assert_eq!(
            without_year("décembre 2023 – janvier 2024", "2023"),
            "décembre 2023 – janvier 2024"
        );
        assert_eq!(without_year("2024 – 2024", "2024"), "2024 – 2024");
    }
}
