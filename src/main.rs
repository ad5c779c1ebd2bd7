//! The `briefing` command: parses arguments, calls the library, prints diagnostics once and
//! chooses the exit code.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};

use briefing::config::{checked_base_url, placeholder_host};
use briefing::output::guard::Requested;
use briefing::output::{Cleanup, WriteThrough};
use briefing::publish::{InPlace, Turn, publish};
use briefing::urls::LinkStyle;
use briefing::{BuildOptions, Diagnostic, Pipeline};

#[derive(Parser)]
#[command(
    name = "briefing",
    version,
    about = "Static site generator for bilingual briefing sites"
)]
struct Cli {
    /// The project folder (holding briefing.toml).
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into site/ (or --out).
    Build {
        /// Include pages marked `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Make every link name its file, so that the site works opened from disk.
        #[arg(long)]
        offline: bool,
        /// Also pack the site into this zip file (implies --offline).
        #[arg(long, value_name = "FILE.zip")]
        archive: Option<PathBuf>,
        /// Output folder (relative to the project folder). Never the project, a folder above
        /// it or one inside its sources.
        #[arg(long, default_value = "site")]
        out: PathBuf,
        /// Replace an output folder or archive that briefing did not write.
        #[arg(long)]
        force: bool,
        /// The site's address for this build, instead of `base_url` in briefing.toml.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Print errors only.
        #[arg(long, short, conflicts_with = "verbose")]
        quiet: bool,
        /// Also print how long each stage took.
        #[arg(long, short)]
        verbose: bool,
        /// Render everything, ignoring what the last build into the folder recorded.
        #[arg(long)]
        fresh: bool,
    },
    /// Build with drafts, serve on 127.0.0.1, rebuild on every change and reload open pages.
    Serve {
        /// Port to listen on (0: any free port). Default: 1111, or the next free one.
        #[arg(long)]
        port: Option<u16>,
        /// Address to listen on. Default: 127.0.0.1, this machine only.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Also answer requests naming this host (for a proxy); repeatable. By default only
        /// localhost, 127.0.0.1, [::1] and the --bind address, with the port, are answered.
        #[arg(long = "allowed-host", value_name = "NAME", value_parser = briefing::serve::hosts::parse_allowed_host)]
        allowed_host: Vec<String>,
    },
    /// Start a new site in DIR (default: the current folder): briefing.toml, the shipped
    /// theme and locale tables, a home text, an example topic and an About page.
    Init {
        /// The folder of the new project (created if missing).
        dir: Option<PathBuf>,
        /// The site's languages, the source language first.
        #[arg(long, value_delimiter = ',', default_value = "fr,en")]
        languages: Vec<String>,
    },
    /// Create a topic with one file per language.
    New {
        /// The topic's id, which is also its folder name.
        topic_id: String,
    },
    /// Report missing and outdated translations, locale, link and front-matter problems,
    /// without writing a site. Exits 0 when clean (warnings allowed), 1 when errors were
    /// found, 2 when the project could not be read.
    Check {
        /// `human`, or `json` for an array of findings.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Record that a translation is current: write the source file's digest into its
    /// `source_digest`, changing nothing else.
    Translated {
        /// The topic's id (`_index` for the home page texts; a page of content/_pages/ by its id).
        topic_id: String,
        /// The translation's language (default: every translation of the topic).
        #[arg(long)]
        lang: Option<String>,
    },
    /// Show what changed in a topic's source file since each translation was made (from the
    /// project's git history), block by block.
    Diff {
        /// The topic's id (`_index` for the home page texts).
        topic_id: String,
        /// The translation's language (default: every translation language).
        #[arg(long)]
        lang: Option<String>,
    },
    /// Hand the translatable text to a translation tool as XLIFF 1.2, and take it back.
    Xliff {
        #[command(subcommand)]
        action: XliffAction,
    },
}

#[derive(Subcommand)]
enum XliffAction {
    /// Write one .xlf file per topic and target language, one for the Fluent tables and one
    /// for the glossary.
    Export {
        /// The target language (default: every language but the source).
        #[arg(long)]
        lang: Option<String>,
        /// Which translations to include.
        #[arg(long, value_enum, default_value_t = OnlyArg::All)]
        only: OnlyArg,
        /// Output folder.
        #[arg(long, default_value = "xliff")]
        out: PathBuf,
    },
    /// Write the translations from the targets of these .xlf files. Exits 0 when every file
    /// was written or left as it was, 1 when one was refused.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Import even when a source file changed since the export.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum OnlyArg {
    Untranslated,
    Outdated,
    All,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

/// `check` exits with 2 when it could not run at all.
const COULD_NOT_RUN: u8 = 2;

// jemalloc rather than glibc's malloc: a build allocates and frees millions of strings on
// every core, and glibc's arenas fragment as the site grows (BENCHMARKS.md, issue 13,
// eleventh session: 10-18 % faster cold builds, 10-12 % less memory at 20,000-40,000 topics).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            drafts,
            offline,
            archive,
            out,
            force,
            base_url,
            quiet,
            verbose,
            fresh,
        } => build(
            &cli.root,
            &BuildRequest {
                drafts,
                offline: offline || archive.is_some(),
                archive,
                out,
                force,
                base_url,
                output: if quiet {
                    Verbosity::Quiet
                } else if verbose {
                    Verbosity::Verbose
                } else {
                    Verbosity::Normal
                },
                fresh,
            },
        ),
        Command::Serve {
            port,
            bind,
            open,
            allowed_host,
        } => serve(briefing::serve::ServeOptions {
            port,
            bind,
            open,
            allowed_hosts: allowed_host,
            styled: std::io::stderr().is_terminal(),
            ..briefing::serve::ServeOptions::new(&cli.root)
        }),
        Command::Init { dir, languages } => {
            let languages: Vec<String> = languages.iter().map(|l| l.trim().to_string()).collect();
            init(&dir.unwrap_or(cli.root), &languages)
        }
        Command::New { topic_id } => new_topic(&cli.root, &topic_id),
        Command::Check { format } => check(&cli.root, format),
        Command::Translated { topic_id, lang } => translated(&cli.root, &topic_id, lang.as_deref()),
        Command::Xliff { action } => xliff(&cli.root, action),
        Command::Diff { topic_id, lang } => diff(&cli.root, &topic_id, lang.as_deref()),
    }
}

/// How much `briefing build` prints besides errors.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// What `briefing build` was asked to do.
struct BuildRequest {
    output: Verbosity,
    drafts: bool,
    offline: bool,
    archive: Option<PathBuf>,
    out: PathBuf,
    force: bool,
    base_url: Option<String>,
    fresh: bool,
}

fn build(root: &std::path::Path, request: &BuildRequest) -> ExitCode {
    let destinations = match briefing::output::guard::check_destinations(Requested {
        root,
        out: &request.out,
        archive: request.archive.as_deref(),
        force: request.force,
    }) {
        Ok(destinations) => destinations,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(COULD_NOT_RUN);
        }
    };
    let base_url = match request
        .base_url
        .as_deref()
        .map(checked_base_url)
        .transpose()
    {
        Ok(base_url) => base_url,
        Err(problem) => {
            eprintln!("error: --base-url {problem}");
            return ExitCode::from(COULD_NOT_RUN);
        }
    };
    let cleanup = Cleanup::new();
    let on_interrupt = cleanup.clone();
    // An interrupted build removes its staging folder and temporary archive before it exits;
    // the previous site stays in place.
    let _ = ctrlc::set_handler(move || {
        on_interrupt.remove_all();
        std::process::exit(130);
    });
    let options = BuildOptions {
        drafts: request.drafts,
        link_style: if request.offline {
            LinkStyle::Offline
        } else {
            LinkStyle::Server
        },
        base_url,
    };
    let started = std::time::Instant::now();
    // Never dropped: the process ends with the command, and freeing every page's bytes and
    // the caches one by one only delays that.
    let mut pipeline = std::mem::ManuallyDrop::new(Pipeline::new(root, options));
    pipeline.run_once();
    pipeline.keep_parses(!request.fresh);
    let out_dir = &destinations.out_dir;
    let waiting = || {
        eprintln!(
            "waiting for another build into {} to finish",
            out_dir.display()
        )
    };
    let mut turn_held = None;
    if !request.fresh
        && out_dir
            .join(briefing::output::guard::OUTPUT_MARKER)
            .is_file()
    {
        // Held until the site is published: what the build finds of the folder now is what
        // it will write over.
        turn_held = match Turn::before_reading(out_dir, waiting) {
            Ok(turn) => turn,
            Err(error) => {
                eprintln!("error: cannot lock the output folder: {error}");
                return ExitCode::from(COULD_NOT_RUN);
            }
        };
        // An archive is packed from the outputs: a build asked for one always makes them.
        pipeline.start_from_record(out_dir, destinations.archive.is_none());
    }
    // A site staged whole has its pages written as they are rendered, not held until the end.
    let staged_whole = request.fresh || destinations.archive.is_some() || !pipeline.has_record();
    let through = staged_whole.then(|| Arc::new(WriteThrough::new(out_dir, &cleanup)));
    if let Some(through) = &through {
        pipeline.write_through(through.clone());
    }
    let run = pipeline.run_full();
    pipeline.stop_writing_through();
    // Dropped on any way out before the site is swapped in: it removes what it staged.
    let mut through = through.map(|through| {
        Arc::try_unwrap(through).unwrap_or_else(|_| unreachable!("the pipeline let go of it"))
    });
    let site = match run {
        Ok(site) => std::mem::ManuallyDrop::new(site),
        Err(failure) => {
            let problems = briefing::check::failed_build_problems(root, failure.diagnostics);
            return report_failure("build", &problems);
        }
    };
    let quiet = request.output == Verbosity::Quiet;
    if !quiet {
        print_warnings(&site.warnings);
    }
    let mut warnings = site.warnings.len();
    // The record is made while the site is checked, as it reads the same run: a build that
    // fails its checks drops it unwritten.
    fn timed<T>(work: impl FnOnce() -> T) -> (T, std::time::Duration) {
        let clock = std::time::Instant::now();
        (work(), clock.elapsed())
    }
    let ((problems, checks), (record, recorded)) = rayon::join(
        || {
            timed(|| match site.unchanged_files {
                None => briefing::check::publication_problems(&pipeline),
                Some(_) => Vec::new(),
            })
        },
        || {
            site.unchanged_files
                .is_none()
                .then(|| timed(|| pipeline.output_record(&site).to_output()))
                .unzip()
        },
    );
    if !problems.is_empty() {
        return report_failure("build", &problems);
    }
    let checks = ("checks", checks);
    if let Some(host) = placeholder_host(&site.base_url) {
        warnings += 1;
        if !quiet {
            eprintln!(
                "warning: the site's address is {} ({host}): its canonical links, sitemap, \
                 feeds and 404 page point there; set base_url in {} or pass --base-url",
                site.base_url,
                briefing::config::CONFIG_FILE
            );
        }
    }
    if let Some(files) = site.unchanged_files {
        if request.output == Verbosity::Verbose {
            for (stage, time) in site.timings.iter().chain([&checks]) {
                eprintln!("{stage:>14}: {:>8.1} ms", time.as_secs_f64() * 1000.0);
            }
        }
        if !quiet {
            println!(
                "Built {} ({} pages: {}; {files} files, 0 written) in {:.2} s, nothing changed \
                 since the last build, {warnings} warning{}",
                request.out.display(),
                site.html_pages,
                languages_summary(&site),
                started.elapsed().as_secs_f64(),
                if warnings == 1 { "" } else { "s" }
            );
        }
        return ExitCode::SUCCESS;
    }
    let (Some(record), Some(recorded)) = (record, recorded) else {
        unreachable!("a record is made for every site that changed")
    };
    let recorded = ("record", recorded);
    let writing = std::time::Instant::now();
    // The parses are kept for the next build while the site is written.
    let (published, kept) = std::thread::scope(|scope| {
        let keeping = scope.spawn(|| pipeline.save_parses(&cleanup));
        let turn = match turn_held {
            Some(turn) => Ok(turn),
            None => Turn::before_writing(out_dir, waiting),
        };
        let published = turn.and_then(|turn| {
            publish(
                &destinations,
                &site.outputs,
                Some(&record),
                if request.fresh {
                    InPlace::Never
                } else {
                    InPlace::Allowed {
                        record_at_start: pipeline.record_at_start(),
                        found_as_written: pipeline.found_as_written(),
                    }
                },
                &cleanup,
                through.as_mut(),
                turn,
            )
        });
        (published, keeping.join())
    });
    if let Ok(Err(error)) = kept
        && !quiet
    {
        // Only the next build's speed depends on it.
        eprintln!(
            "warning: cannot keep the pages' parses in {} for the next build: {error}",
            briefing::parse_store::CACHE_DIR
        );
    }
    let published = match published {
        Ok(published) => published,
        Err(error) => {
            eprintln!("error: cannot write the site: {error}");
            return ExitCode::FAILURE;
        }
    };
    if quiet {
        return ExitCode::SUCCESS;
    }
    if request.output == Verbosity::Verbose {
        let write = ("write", writing.elapsed());
        for (stage, time) in site.timings.iter().chain([&checks, &recorded, &write]) {
            eprintln!("{stage:>14}: {:>8.1} ms", time.as_secs_f64() * 1000.0);
        }
        let (parsed, files) = pipeline.pages_parsed();
        eprintln!("parsed {parsed} of {files} page files, the others' parses kept");
    }
    let rendered_outputs = site.render_outputs;
    let reused = match rendered_outputs - site.rendered {
        0 => String::new(),
        reused => format!(", reusing {reused} of {rendered_outputs} outputs of the last build"),
    };
    // HTML pages, then every file of the folder and how many of them this build wrote; the
    // time is the whole command's, the archive's packing included.
    let files = published.site.written + published.site.unchanged;
    println!(
        "Built {} ({} pages: {}; {files} files, {} written) in {:.2} s{reused}, {warnings} warning{}",
        request.out.display(),
        site.html_pages,
        languages_summary(&site),
        published.site.written,
        started.elapsed().as_secs_f64(),
        if warnings == 1 { "" } else { "s" }
    );
    if let (Some(archive), Some(stats)) = (&request.archive, published.archive) {
        println!(
            "Packed {} ({} files, {} kB)",
            archive.display(),
            stats.files,
            stats.bytes.div_ceil(1000)
        );
    }
    ExitCode::SUCCESS
}

/// `fr 5298, en 5298`: the HTML pages of each language.
fn languages_summary(site: &briefing::build::Site) -> String {
    let per_language: Vec<String> = site
        .pages_per_language
        .iter()
        .map(|(lang, count)| format!("{lang} {count}"))
        .collect();
    per_language.join(", ")
}

fn serve(options: briefing::serve::ServeOptions) -> ExitCode {
    match briefing::serve::serve(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn init(dir: &std::path::Path, languages: &[String]) -> ExitCode {
    let today = jiff::ZonedDateTime::now().date().to_string();
    match briefing::init::init(dir, languages, &today) {
        Ok(files) => {
            println!(
                "Created a briefing in {} ({} files). Next: cd {} && briefing serve",
                dir.display(),
                files.len(),
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(diagnostics) => report_failure("init", &diagnostics),
    }
}

fn new_topic(root: &std::path::Path, id: &str) -> ExitCode {
    let today = jiff::ZonedDateTime::now().date().to_string();
    match briefing::new_topic::new_topic(root, id, &today) {
        Ok(files) => {
            for file in files {
                println!("Created {}", file.display());
            }
            ExitCode::SUCCESS
        }
        Err(diagnostics) => report_failure("new", &diagnostics),
    }
}

fn check(root: &std::path::Path, format: Format) -> ExitCode {
    use std::io::Write as _;
    let (text, code) = match (briefing::check::check(root), format) {
        (Ok(report), Format::Human) => (
            briefing::check::report::human(&report),
            u8::from(report.has_errors()),
        ),
        (Ok(report), Format::Json) => (
            briefing::check::report::json_report(&report),
            u8::from(report.has_errors()),
        ),
        (Err(problems), Format::Json) => (briefing::check::report::json(&problems), COULD_NOT_RUN),
        (Err(problems), Format::Human) => {
            report_failure("check", &problems);
            return ExitCode::from(COULD_NOT_RUN);
        }
    };
    // anstream drops the colours when stdout is not a terminal, or NO_COLOR is set.
    let mut out = anstream::stdout();
    if let Err(error) = out.write_all(text.as_bytes()) {
        eprintln!("error: cannot write the report: {error}");
        return ExitCode::from(COULD_NOT_RUN);
    }
    ExitCode::from(code)
}

fn translated(root: &std::path::Path, topic: &str, lang: Option<&str>) -> ExitCode {
    match briefing::translation::mark_translated(root, topic, lang) {
        Ok(recorded) => {
            for file in recorded {
                let path = briefing::diagnostic::display_path(&file.path);
                if file.changed {
                    println!("Recorded the current source digest in {path}");
                } else {
                    println!("{path} already records the current source digest");
                }
            }
            ExitCode::SUCCESS
        }
        Err(diagnostics) => report_failure("translated", &diagnostics),
    }
}

fn print_warnings(warnings: &[Diagnostic]) {
    let styled = std::io::stderr().is_terminal();
    for warning in warnings {
        eprintln!("{}\n", warning.render(styled));
    }
}

fn xliff(root: &std::path::Path, action: XliffAction) -> ExitCode {
    use briefing::diagnostic::display_path;
    use briefing::xliff::{ImportOutcome, Only};
    match action {
        XliffAction::Export { lang, only, out } => {
            let options = briefing::xliff::ExportOptions {
                lang,
                only: match only {
                    OnlyArg::Untranslated => Only::Untranslated,
                    OnlyArg::Outdated => Only::Outdated,
                    OnlyArg::All => Only::All,
                },
                out,
            };
            match briefing::xliff::export(root, &options) {
                Ok(files) => {
                    for file in &files {
                        println!("Wrote {} ({} units)", display_path(&file.path), file.units);
                    }
                    println!("Exported {} XLIFF files", files.len());
                    ExitCode::SUCCESS
                }
                Err(diagnostics) => report_failure("xliff export", &diagnostics),
            }
        }
        XliffAction::Import { files, force } => {
            let reports = match briefing::xliff::import(root, &files, force) {
                Ok(reports) => reports,
                Err(diagnostics) => return report_failure("xliff import", &diagnostics),
            };
            let styled = std::io::stderr().is_terminal();
            let mut refused = 0;
            for report in reports {
                let file = report.file.display();
                match report.outcome {
                    ImportOutcome::Written(paths) => {
                        for path in paths {
                            println!("Wrote {} from {file}", display_path(&path));
                        }
                    }
                    ImportOutcome::Unchanged => println!("{file}: nothing changed"),
                    ImportOutcome::Incomplete { lacking } => eprintln!(
                        "warning: {file}: {lacking} unit{} still without a target; left as it is",
                        if lacking == 1 { "" } else { "s" }
                    ),
                    ImportOutcome::Refused(diagnostic) => {
                        refused += 1;
                        eprintln!("{}\n", diagnostic.render(styled));
                    }
                }
            }
            if refused > 0 {
                eprintln!(
                    "error: xliff import refused {refused} file{}",
                    if refused == 1 { "" } else { "s" }
                );
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}

fn diff(root: &std::path::Path, topic: &str, lang: Option<&str>) -> ExitCode {
    match briefing::since_translation::topic_diff(root, topic, lang) {
        Ok((source_lang, diffs)) => {
            print!(
                "{}",
                briefing::since_translation::describe_diff(topic, &source_lang, &diffs)
            );
            ExitCode::SUCCESS
        }
        Err(diagnostics) => report_failure("diff", &diagnostics),
    }
}

fn report_failure(command: &str, diagnostics: &[Diagnostic]) -> ExitCode {
    let styled = std::io::stderr().is_terminal();
    for diagnostic in diagnostics {
        eprintln!("{}\n", diagnostic.render(styled));
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    eprintln!(
        "error: {command} failed with {errors} error{}",
        if errors == 1 { "" } else { "s" }
    );
    ExitCode::FAILURE
}
