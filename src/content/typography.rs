//! Parse stage helper: the typography each language's readers expect, applied to prose only
//! (titles, summaries, Markdown text, interface strings), never to code, URLs or identifiers.
//!
//! French: a narrow no-break space (U+202F) before `;` `:` `!` `?`, inside `«` `»`, and a
//! typographic apostrophe. The text may arrive in pieces (Markdown splits text around inline
//! markup), so the state carries the last character across pieces of one block.

use std::borrow::Cow;

pub const NARROW_NBSP: char = '\u{202F}';

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Typography {
    French,
    /// No change: English gets its curly quotes from the Markdown parser.
    Plain,
}

impl Typography {
    pub fn for_language(lang: &str) -> Typography {
        if lang == "fr" || lang.starts_with("fr-") {
            Typography::French
        } else {
            Typography::Plain
        }
    }

    /// Applies the rules to one complete piece of text.
    pub fn apply(self, text: &str) -> String {
        let mut block = self.block();
        block.push(text).into_owned()
    }

    /// Applies the rules to a piece of front matter prose (a title, a summary, an event's
    /// text): as `apply`, and English gets the curly quotes and apostrophes its bodies get
    /// from the Markdown parser.
    pub fn prose(self, text: &str) -> String {
        match self {
            Typography::French => self.apply(text),
            Typography::Plain => curly_quotes(text),
        }
    }

    /// A stateful applier for the pieces of one block of text.
    pub fn block(self) -> TextBlock {
        TextBlock {
            typography: self,
            previous: None,
        }
    }
}

pub struct TextBlock {
    typography: Typography,
    previous: Option<char>,
}

impl TextBlock {
    /// Applies the rules to the next piece of the block.
    pub fn push<'p>(&mut self, piece: &'p str) -> Cow<'p, str> {
        match self.typography {
            Typography::Plain => {
                self.previous = piece.chars().last().or(self.previous);
                Cow::Borrowed(piece)
            }
            Typography::French => self.push_french(piece),
        }
    }

    /// Something that is not text (an image, code) sits between pieces.
    pub fn interrupt(&mut self) {
        self.previous = Some('x');
    }

    fn push_french<'p>(&mut self, piece: &'p str) -> Cow<'p, str> {
        // Most pieces hold none of the characters the rules look at: they pass as they are.
        // Looked for as bytes, many at a time (memchr): `«` and `»` end in 0xAB and 0xBB (as
        // do a few other characters, which then merely take the longer way).
        let bytes = piece.as_bytes();
        let looked_at = memchr::memchr3(b';', b':', b'!', bytes).is_some()
            || memchr::memchr3(b'?', b'\'', 0xAB, bytes).is_some()
            || memchr::memchr(0xBB, bytes).is_some();
        if self.previous != Some('«') && !looked_at {
            self.previous = piece.chars().next_back().or(self.previous);
            return Cow::Borrowed(piece);
        }
        let chars: Vec<char> = piece.chars().collect();
        let mut out = String::with_capacity(piece.len() + 8);
        for (index, &c) in chars.iter().enumerate() {
            let next = chars.get(index + 1).copied();
            let previous = out.chars().last().or(self.previous);
            match c {
                ';' | ':' | '!' | '?' if takes_space_before(previous, next) => {
                    if out.ends_with(is_space) {
                        out.pop();
                    }
                    out.push(NARROW_NBSP);
                    out.push(c);
                }
                '»' if previous.is_some_and(|p| p != NARROW_NBSP && p != '\n') => {
                    if out.ends_with(is_space) {
                        out.pop();
                    }
                    if !out.ends_with(NARROW_NBSP) {
                        out.push(NARROW_NBSP);
                    }
                    out.push(c);
                }
                '«' => {
                    out.push(c);
                    if next.is_none_or(|n| n != NARROW_NBSP && !is_space(n)) {
                        out.push(NARROW_NBSP);
                    }
                }
                ' ' | '\u{A0}' if previous == Some('«') => {
                    // The narrow space already follows the guillemet.
                    if !out.ends_with(NARROW_NBSP) {
                        out.push(NARROW_NBSP);
                    }
                }
                '\'' if previous.is_some_and(char::is_alphabetic)
                    && next.is_some_and(char::is_alphabetic) =>
                {
                    out.push('’');
                }
                _ => out.push(c),
            }
        }
        if let Some(last) = out.chars().last() {
            self.previous = Some(last);
        }
        Cow::Owned(out)
    }
}

/// Straight quotes made curly, as the Markdown parser's smart punctuation does: a quote opens
/// after a space, an opening bracket or dash, or at the start; it closes everywhere else. An
/// apostrophe (`it's`, `'90s`) is a closing single quote.
fn curly_quotes(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (index, &c) in chars.iter().enumerate() {
        let previous = index.checked_sub(1).map(|at| chars[at]);
        let opens = previous.is_none_or(|p| {
            p.is_whitespace() || matches!(p, '(' | '[' | '{' | '—' | '–' | '-' | '“' | '‘' | '/')
        });
        let next_is_digit = chars.get(index + 1).is_some_and(char::is_ascii_digit);
        match c {
            '"' if opens => out.push('“'),
            '"' => out.push('”'),
            '\'' if opens && !next_is_digit => out.push('‘'),
            '\'' => out.push('’'),
            c => out.push(c),
        }
    }
    out
}

fn is_space(c: char) -> bool {
    c == ' ' || c == '\u{A0}'
}

/// A high punctuation mark gets its space when it ends a word: something precedes it, and
/// what follows is a space, the end, or closing punctuation (not `10:30`, `https://`, `?q=`).
fn takes_space_before(previous: Option<char>, next: Option<char>) -> bool {
    let Some(previous) = previous else {
        return false;
    };
    if matches!(
        previous,
        NARROW_NBSP | '\n' | ';' | ':' | '!' | '?' | '(' | '[' | '/'
    ) {
        return false;
    }
    match next {
        None => true,
        Some(next) => {
            next.is_whitespace()
                || matches!(
                    next,
                    '!' | '?' | ')' | ']' | '»' | '"' | '”' | '.' | ',' | '…'
                )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fr(text: &str) -> String {
        Typography::French.apply(text).replace(NARROW_NBSP, "_")
    }

    #[test]
    fn high_punctuation_gets_a_narrow_space() {
        assert_eq!(fr("Pourquoi ? Parce que !"), "Pourquoi_? Parce que_!");
        assert_eq!(fr("Note: ceci; cela"), "Note_: ceci_; cela");
        assert_eq!(fr("Quoi ?!"), "Quoi_?!");
    }

    #[test]
    fn guillemets_hold_narrow_spaces_inside() {
        assert_eq!(fr("« Bonjour »"), "«_Bonjour_»");
        assert_eq!(fr("«Bonjour»"), "«_Bonjour_»");
    }

    #[test]
    fn urls_times_and_repeats_are_left_alone() {
        assert_eq!(fr("https://example.org/?q=1"), "https://example.org/?q=1");
        assert_eq!(fr("à 10:30"), "à 10:30");
        let once = Typography::French.apply("Quoi ? « Oui » : non ;");
        assert_eq!(Typography::French.apply(&once), once);
    }

    #[test]
    fn pieces_of_one_block_share_their_context() {
        let mut block = Typography::French.block();
        let first = block.push("Attention");
        let second = block.push(": la suite");
        assert_eq!(format!("{first}{second}"), "Attention\u{202F}: la suite");
    }

    #[test]
    fn apostrophes_curl_between_letters() {
        assert_eq!(fr("l'OTAN"), "l’OTAN");
    }

    #[test]
    fn english_prose_gets_curly_quotes_and_apostrophes() {
        assert_eq!(
            Typography::Plain.prose("NATO's \"global\" partners ('partners') in the '90s"),
            "NATO’s “global” partners (‘partners’) in the ’90s"
        );
        let once = Typography::Plain.prose("\"Quote\" it's");
        assert_eq!(Typography::Plain.prose(&once), once);
    }

    #[test]
    fn english_is_untouched() {
        assert_eq!(
            Typography::Plain.apply("Why? Because: yes"),
            "Why? Because: yes"
        );
    }
}
