//! The `briefing` command: parses arguments, calls the library, prints diagnostics once and
//! chooses the exit code.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
        /// Output folder.
        #[arg(long, default_value = "site")]
        out: PathBuf,
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
        /// The topic's id (`_index` for the home page texts).
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
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

/// `check` exits with 2 when it could not run at all.
const COULD_NOT_RUN: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            drafts,
            offline,
            archive,
            out,
        } => build(
            &cli.root,
            &BuildRequest {
                drafts,
                offline: offline || archive.is_some(),
                archive,
                out,
            },
        ),
        Command::Serve { port, bind, open } => serve(&cli.root, port, bind, open),
        Command::New { topic_id } => new_topic(&cli.root, &topic_id),
        Command::Check { format } => check(&cli.root, format),
        Command::Translated { topic_id, lang } => translated(&cli.root, &topic_id, lang.as_deref()),
        Command::Diff { topic_id, lang } => diff(&cli.root, &topic_id, lang.as_deref()),
    }
}

/// What `briefing build` was asked to do.
struct BuildRequest {
    drafts: bool,
    offline: bool,
    archive: Option<PathBuf>,
    out: PathBuf,
}

fn build(root: &std::path::Path, request: &BuildRequest) -> ExitCode {
    let options = BuildOptions {
        drafts: request.drafts,
        link_style: if request.offline {
            LinkStyle::Offline
        } else {
            LinkStyle::Server
        },
        base_url: None,
    };
    let started = std::time::Instant::now();
    let mut pipeline = Pipeline::new(root, options);
    let site = match pipeline.run_full() {
        Ok(site) => site,
        Err(failure) => return report_failure("build", &failure.diagnostics),
    };
    let styled = std::io::stderr().is_terminal();
    for warning in &site.warnings {
        eprintln!("{}\n", warning.render(styled));
    }
    let out_dir = root.join(&request.out);
    if let Err(error) = briefing::output::write_site(&out_dir, &site.outputs) {
        eprintln!("error: cannot write the site: {error}");
        return ExitCode::FAILURE;
    }
    let per_language: Vec<String> = site
        .pages_per_language
        .iter()
        .map(|(lang, count)| format!("{lang} {count}"))
        .collect();
    println!(
        "Built {} ({} pages: {}) in {:.2} s",
        out_dir.display(),
        site.pages_per_language
            .iter()
            .map(|(_, n)| n)
            .sum::<usize>(),
        per_language.join(", "),
        started.elapsed().as_secs_f64()
    );
    if let Some(archive) = &request.archive {
        let archive = root.join(archive);
        match briefing::archive::write_archive(&archive, &site.outputs) {
            Ok(stats) => println!(
                "Packed {} ({} files, {} kB)",
                archive.display(),
                stats.files,
                stats.bytes.div_ceil(1000)
            ),
            Err(error) => {
                eprintln!("error: cannot write the archive: {error}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}

fn serve(
    root: &std::path::Path,
    port: Option<u16>,
    bind: std::net::IpAddr,
    open: bool,
) -> ExitCode {
    let options = briefing::serve::ServeOptions {
        port,
        bind,
        open,
        styled: std::io::stderr().is_terminal(),
        ..briefing::serve::ServeOptions::new(root)
    };
    match briefing::serve::serve(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
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
