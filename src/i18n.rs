//! Load stage for interface strings: `locales/<lang>/*.ftl` → one Fluent bundle per language,
//! and the lookups the rest of the pipeline makes (messages, dates, numbers). Fluent stays
//! behind this module.

use std::collections::BTreeMap;
use std::path::Path;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use intl_memoizer::Memoizable;
use unic_langid::LanguageIdentifier;

use crate::content::date::Date;
use crate::content::typography::Typography;
use crate::diagnostic::Diagnostic;
use crate::messages::{self, CodeMessage};
use crate::source::{Digest, SourceKind, Sources};

mod definitions;

pub use definitions::{MessageDefinition, PatternUses};
use definitions::{find_definition, record_definitions};

/// A message argument.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Number(f64),
}

/// A lookup that could not be made. The caller knows the template or file to name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupError {
    MissingMessage {
        id: String,
        lang: String,
    },
    Format {
        id: String,
        lang: String,
        problems: Vec<String>,
    },
}

impl std::fmt::Display for LookupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LookupError::MissingMessage { id, lang } => {
                write!(f, "missing Fluent message \"{id}\" in language \"{lang}\"")
            }
            LookupError::Format { id, lang, problems } => write!(
                f,
                "Fluent message \"{id}\" in language \"{lang}\" could not be formatted: {}",
                problems.join("; ")
            ),
        }
    }
}

struct Locale {
    bundle: FluentBundle<FluentResource>,
    typography: Typography,
    digest: Digest,
    /// Where each message is defined, for `check`.
    definitions: BTreeMap<String, MessageDefinition>,
    /// Messages without arguments and dates, as formatted once: every page of a site asks
    /// for the same few dozen labels, and its cards for the same dates.
    formatted: Memo<String>,
    dates: Memo<Date>,
}

/// Formatted texts by what they were formatted from, shared by the threads that render. Looked
/// up some forty times a page: with Fx rather than SipHash, and by a borrowed key.
struct Memo<K>(std::sync::RwLock<rustc_hash::FxHashMap<K, String>>);

impl<K: std::hash::Hash + Eq> Memo<K> {
    fn new() -> Memo<K> {
        Memo(std::sync::RwLock::new(rustc_hash::FxHashMap::default()))
    }

    fn get_or_format<Q>(
        &self,
        key: &Q,
        format: impl FnOnce() -> Result<String, LookupError>,
    ) -> Result<String, LookupError>
    where
        K: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ToOwned<Owned = K> + ?Sized,
    {
        use std::sync::PoisonError;
        if let Some(text) = self
            .0
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key)
        {
            return Ok(text.clone());
        }
        let text = format()?;
        let mut memo = self.0.write().unwrap_or_else(PoisonError::into_inner);
        memo.insert(key.to_owned(), text.clone());
        Ok(text)
    }
}

/// The interface strings of every language of the site.
pub struct Locales {
    locales: BTreeMap<String, Locale>,
}

impl Locales {
    /// Loads every language's tables; fails with every problem found.
    pub fn load(languages: &[String], sources: &Sources) -> Result<Locales, Vec<Diagnostic>> {
        let (locales, problems) = Locales::load_all(languages, sources);
        if problems.is_empty() {
            Ok(locales)
        } else {
            Err(problems)
        }
    }

    /// Loads what can be loaded, reporting every problem: a file with syntax errors still
    /// contributes the messages that parsed, so that `check` can go on comparing languages.
    pub fn load_all(languages: &[String], sources: &Sources) -> (Locales, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        let mut locales = BTreeMap::new();
        for lang in languages {
            let files =
                sources.of_kind(|kind| matches!(kind, SourceKind::Locale { lang: l } if l == lang));
            if let Some(locale) = load_locale(lang, files, &mut problems) {
                locales.insert(lang.clone(), locale);
            }
        }
        (Locales { locales }, problems)
    }

    fn locale(&self, lang: &str) -> Result<&Locale, LookupError> {
        self.locales
            .get(lang)
            .ok_or_else(|| LookupError::MissingMessage {
                id: String::new(),
                lang: lang.to_string(),
            })
    }

    /// A digest of everything a language's strings depend on.
    pub fn digest(&self, lang: &str) -> Digest {
        self.locales
            .get(lang)
            .map_or(crate::source::NO_DIGEST, |locale| locale.digest)
    }

    pub fn has_message(&self, lang: &str, id: &str) -> bool {
        self.locales
            .get(lang)
            .is_some_and(|locale| locale.bundle.has_message(id))
    }

    pub fn definitions(&self, lang: &str) -> Option<&BTreeMap<String, MessageDefinition>> {
        self.locales.get(lang).map(|locale| &locale.definitions)
    }

    /// Formats message `id` (or `id.attribute`) in `lang`, with the language's typography.
    pub fn message(
        &self,
        lang: &str,
        id: &str,
        args: &[(&str, Arg)],
    ) -> Result<String, LookupError> {
        let locale = self.locale(lang)?;
        if args.is_empty() {
            return locale
                .formatted
                .get_or_format(id, || self.format_message(locale, lang, id, args));
        }
        self.format_message(locale, lang, id, args)
    }

    fn format_message(
        &self,
        locale: &Locale,
        lang: &str,
        id: &str,
        args: &[(&str, Arg)],
    ) -> Result<String, LookupError> {
        let missing = || LookupError::MissingMessage {
            id: id.to_string(),
            lang: lang.to_string(),
        };
        let (message_id, attribute) = match id.split_once('.') {
            Some((message, attribute)) => (message, Some(attribute)),
            None => (id, None),
        };
        let message = locale.bundle.get_message(message_id).ok_or_else(missing)?;
        let pattern = match attribute {
            Some(attribute) => message.get_attribute(attribute).map(|a| a.value()),
            None => message.value(),
        }
        .ok_or_else(missing)?;
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Text(text) => fluent_args.set(*name, FluentValue::from(text.as_str())),
                Arg::Number(number) => fluent_args.set(*name, FluentValue::from(*number)),
            }
        }
        let mut errors = Vec::new();
        let text = locale
            .bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors);
        if !errors.is_empty() {
            return Err(LookupError::Format {
                id: id.to_string(),
                lang: lang.to_string(),
                problems: errors.iter().map(ToString::to_string).collect(),
            });
        }
        Ok(locale.typography.apply(&text))
    }

    /// Formats one of the messages the code itself uses (see `messages`), with the variables
    /// declared for it.
    pub fn code_message(
        &self,
        lang: &str,
        message: &CodeMessage,
        args: &[(&str, Arg)],
    ) -> Result<String, LookupError> {
        debug_assert!(
            args.len() == message.variables.len()
                && args
                    .iter()
                    .all(|(name, _)| message.variables.contains(name)),
            "message \"{}\" is declared with the variables {:?}",
            message.id,
            message.variables
        );
        self.message(lang, message.id, args)
    }

    /// A date the way the language writes it, from the tables' month names and patterns:
    /// `date-full`, `date-month`, `date-year` and `month-1` … `month-12`.
    pub fn format_date(&self, lang: &str, date: &Date) -> Result<String, LookupError> {
        self.locale(lang)?
            .dates
            .get_or_format(date, || self.format_date_anew(lang, date))
    }

    fn format_date_anew(&self, lang: &str, date: &Date) -> Result<String, LookupError> {
        let year = Arg::Text(date.year.to_string());
        match (date.month, date.day) {
            (Some(month), Some(day)) => {
                let month = self.month_name(lang, month)?;
                self.code_message(
                    lang,
                    &messages::DATE_FULL,
                    &[
                        ("day", Arg::Number(day.into())),
                        ("month", month),
                        ("year", year),
                    ],
                )
            }
            (Some(month), None) => {
                let month = self.month_name(lang, month)?;
                self.code_message(
                    lang,
                    &messages::DATE_MONTH,
                    &[("month", month), ("year", year)],
                )
            }
            _ => self.code_message(lang, &messages::DATE_YEAR, &[("year", year)]),
        }
    }

    /// A span of dates: `date-range-days` when both fall in one month, `date-range` otherwise.
    pub fn format_date_range(
        &self,
        lang: &str,
        start: &Date,
        end: &Date,
    ) -> Result<String, LookupError> {
        let same_month =
            start.year == end.year && start.month.is_some() && start.month == end.month;
        if let (true, Some(first), Some(last), Some(month)) =
            (same_month, start.day, end.day, start.month)
        {
            let month = self.month_name(lang, month)?;
            return self.code_message(
                lang,
                &messages::DATE_RANGE_DAYS,
                &[
                    ("first", Arg::Number(first.into())),
                    ("last", Arg::Number(last.into())),
                    ("month", month),
                    ("year", Arg::Text(start.year.to_string())),
                ],
            );
        }
        let start = self.format_date(lang, start)?;
        let end = self.format_date(lang, end)?;
        self.code_message(
            lang,
            &messages::DATE_RANGE,
            &[("start", Arg::Text(start)), ("end", Arg::Text(end))],
        )
    }

    fn month_name(&self, lang: &str, month: u8) -> Result<Arg, LookupError> {
        let missing = || LookupError::MissingMessage {
            id: format!("month-{month}"),
            lang: lang.to_string(),
        };
        let name = messages::MONTHS
            .get(usize::from(month).wrapping_sub(1))
            .ok_or_else(missing)?;
        self.code_message(lang, name, &[]).map(Arg::Text)
    }
}

fn load_locale<'s>(
    lang: &str,
    files: impl Iterator<Item = &'s crate::source::SourceFile>,
    problems: &mut Vec<Diagnostic>,
) -> Option<Locale> {
    let Ok(language) = lang.parse::<LanguageIdentifier>() else {
        problems.push(Diagnostic::error(
            "locale-language",
            Path::new("locales").join(lang),
            format!("\"{lang}\" is not a language identifier"),
        ));
        return None;
    };
    let mut bundle = FluentBundle::new_concurrent(vec![language]);
    bundle.set_use_isolating(false);
    bundle.set_formatter(Some(format_number));
    let mut hasher = crate::source::DigestHasher::default();
    let mut definitions = BTreeMap::new();
    let mut texts = BTreeMap::new();
    let mut count = 0;
    for file in files {
        count += 1;
        let text = file.text.as_deref().unwrap_or_default();
        texts.insert(file.path.clone(), text);
        hasher.add_bytes(file.path.to_string_lossy().as_bytes());
        hasher.add_bytes(&file.digest);
        let resource =
            FluentResource::try_new(text.to_string()).unwrap_or_else(|(resource, errors)| {
                problems.extend(errors.iter().map(|error| {
                    Diagnostic::error(
                        "fluent-syntax",
                        &file.path,
                        format!("Fluent syntax error: {}", error.kind),
                    )
                    .for_language(lang)
                    .at_span(text, error.pos.clone())
                }));
                // The entries that parsed are kept; the broken ones are junk Fluent skips.
                resource
            });
        record_definitions(&file.path, text, &resource, &mut definitions);
        if let Err(errors) = bundle.add_resource(resource) {
            problems.extend(
                errors
                    .iter()
                    .map(|error| duplicate_problem(error, &file.path, text, lang)),
            );
        }
    }
    for cycle in definitions::reference_cycles(&definitions) {
        let id = cycle[0].split('.').next().unwrap_or_default();
        let Some(definition) = definitions.get(id) else {
            continue;
        };
        let message = if cycle.len() == 1 {
            format!("Fluent message \"{}\" refers to itself", cycle[0])
        } else {
            let mut along: Vec<String> = cycle.iter().map(|key| format!("\"{key}\"")).collect();
            along.push(along[0].clone());
            format!(
                "Fluent messages refer to each other in a cycle: {}",
                along.join(" → ")
            )
        };
        problems.push(
            Diagnostic::error("fluent-cycle", &definition.path, message)
                .for_language(lang)
                .at_line_column(
                    texts.get(&definition.path).copied(),
                    definition.line,
                    definition.column,
                )
                .with_help("a message cannot be formatted while it waits for its own text"),
        );
    }
    if count == 0 {
        problems.push(
            Diagnostic::error(
                "locale-missing",
                Path::new("locales").join(lang),
                format!("no .ftl file for language \"{lang}\""),
            )
            .for_language(lang),
        );
    }
    Some(Locale {
        bundle,
        typography: Typography::for_language(lang),
        digest: hasher.digest(),
        definitions,
        formatted: Memo::new(),
        dates: Memo::new(),
    })
}

fn duplicate_problem(
    error: &fluent_bundle::FluentError,
    path: &Path,
    text: &str,
    lang: &str,
) -> Diagnostic {
    let id = match error {
        // The kind is not exported by name; its text is "term" for terms.
        fluent_bundle::FluentError::Overriding { kind, id } if kind.to_string() == "term" => {
            format!("-{id}")
        }
        fluent_bundle::FluentError::Overriding { id, .. } => id.clone(),
        _ => String::new(),
    };
    let mut diagnostic = Diagnostic::error(
        "fluent-duplicate",
        path,
        format!("message \"{id}\" is defined twice in language \"{lang}\" ({error})"),
    )
    .for_language(lang);
    if let Some(at) = find_definition(text, &id) {
        diagnostic = diagnostic.at_span(text, at..at + id.len());
    }
    diagnostic
}

/// Fluent's own number formatting ignores the language; this one uses CLDR's separators.
fn format_number(
    value: &FluentValue<'_>,
    memoizer: &intl_memoizer::concurrent::IntlLangMemoizer,
) -> Option<String> {
    let FluentValue::Number(number) = value else {
        return None;
    };
    let plain = number.as_string();
    let lang = memoizer
        .with_try_get::<BundleLanguage, _, _>((), |language| language.0.clone())
        .ok()?;
    NUMBER_FORMATTERS.with(|formatters| {
        let mut formatters = formatters.borrow_mut();
        let formatter = formatters.entry(lang.clone()).or_insert_with(|| {
            let locale = icu_locale_core::Locale::try_from_str(&lang).ok()?;
            icu_decimal::DecimalFormatter::try_new(locale.into(), Default::default()).ok()
        });
        let decimal = fixed_decimal::Decimal::try_from_str(&plain).ok()?;
        Some(formatter.as_ref()?.format(&decimal).to_string())
    })
}

thread_local! {
    // ICU formatters are not `Sync`; each rendering thread keeps its own, per language.
    static NUMBER_FORMATTERS: std::cell::RefCell<std::collections::HashMap<String, Option<icu_decimal::DecimalFormatter>>> =
        Default::default();
}

/// The memoizer handed to Fluent's formatter knows its language; this reads it out.
struct BundleLanguage(String);

impl Memoizable for BundleLanguage {
    type Args = ();
    type Error = ();

    fn construct(lang: LanguageIdentifier, _: ()) -> Result<Self, ()> {
        Ok(BundleLanguage(lang.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceFile, digest_bytes};
    use std::path::PathBuf;
    use std::sync::Arc;

    fn locales(files: &[(&str, &str, &str)]) -> Result<Locales, Vec<Diagnostic>> {
        let mut sources = Sources::default();
        for (lang, name, text) in files {
            let path = PathBuf::from(format!("locales/{lang}/{name}"));
            sources.files.insert(
                path.clone(),
                SourceFile {
                    path,
                    kind: SourceKind::Locale {
                        lang: lang.to_string(),
                    },
                    text: Some(Arc::from(*text)),
                    digest: digest_bytes(text.as_bytes()),
                },
            );
        }
        Locales::load(&["fr".into(), "en".into()], &sources)
    }

    const FR: &str = "month-5 = mai\nmonth-11 = novembre\ndate-full = { $day ->\n    [1] 1er\n   *[other] { $day }\n} { $month } { $year }\ndate-month = { $month } { $year }\ndate-year = { $year }\ndate-range-days = { $first }–{ $last } { $month } { $year }\ndate-range = du { $start } au { $end }\ntopics = { $count ->\n    [one] { $count } sujet\n   *[other] { $count } sujets\n}\nquestion = Pourquoi ?\n";
    const EN: &str = "month-5 = May\nmonth-11 = November\ndate-full = { $day } { $month } { $year }\ndate-month = { $month } { $year }\ndate-year = { $year }\ndate-range-days = { $first }–{ $last } { $month } { $year }\ndate-range = { $start } to { $end }\ntopics = { $count ->\n    [one] { $count } topic\n   *[other] { $count } topics\n}\n";

    #[test]
    fn dates_are_written_per_language() {
        let locales = locales(&[("fr", "main.ftl", FR), ("en", "main.ftl", EN)]).unwrap();
        let date = Date::full(2024, 5, 14);
        assert_eq!(locales.format_date("fr", &date).unwrap(), "14 mai 2024");
        assert_eq!(locales.format_date("en", &date).unwrap(), "14 May 2024");
        assert_eq!(
            locales.format_date("fr", &Date::full(2024, 11, 1)).unwrap(),
            "1er novembre 2024"
        );
        assert_eq!(
            locales
                .format_date("en", &Date::parse("2024-11").unwrap())
                .unwrap(),
            "November 2024"
        );
        let range = locales
            .format_date_range("fr", &Date::full(2024, 5, 13), &Date::full(2024, 5, 14))
            .unwrap();
        assert_eq!(range, "13–14 mai 2024");
    }

    #[test]
    fn plurals_follow_the_language_and_numbers_its_separators() {
        let locales = locales(&[("fr", "main.ftl", FR), ("en", "main.ftl", EN)]).unwrap();
        let count = |lang, n: f64| {
            locales
                .message(lang, "topics", &[("count", Arg::Number(n))])
                .unwrap()
        };
        assert_eq!(count("fr", 0.0), "0 sujet");
        assert_eq!(count("en", 0.0), "0 topics");
        assert_eq!(count("en", 1.0), "1 topic");
        assert_eq!(count("fr", 1234.0), "1\u{202F}234 sujets");
        assert_eq!(count("en", 1234.0), "1,234 topics");
    }

    #[test]
    fn french_strings_get_french_typography_and_no_isolation_marks() {
        let locales = locales(&[("fr", "main.ftl", FR), ("en", "main.ftl", EN)]).unwrap();
        assert_eq!(
            locales.message("fr", "question", &[]).unwrap(),
            "Pourquoi\u{202F}?"
        );
        let date = locales.format_date("en", &Date::full(2024, 5, 14)).unwrap();
        assert!(!date.contains('\u{2068}'));
    }

    #[test]
    fn a_missing_message_names_message_and_language() {
        let locales = locales(&[("fr", "main.ftl", FR), ("en", "main.ftl", EN)]).unwrap();
        let error = locales.message("en", "question", &[]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "missing Fluent message \"question\" in language \"en\""
        );
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let Err(problems) = locales(&[
            ("fr", "main.ftl", "ok = oui\nbad = { $\n"),
            ("en", "main.ftl", EN),
        ]) else {
            panic!("a syntax error must fail the load");
        };
        assert_eq!(problems[0].path, PathBuf::from("locales/fr/main.ftl"));
        assert_eq!(problems[0].line, Some(2));
    }
}
