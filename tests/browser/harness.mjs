// Shared by the browser tests: fixture sites built by the real binary, and Debian's
// Chromium driven by playwright-core (never a downloaded browser).
import { chromium } from 'playwright-core';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The briefing binary: $BRIEFING_BIN, or the release build, or the debug build. */
export function briefingBinary() {
  const candidates = [
    process.env.BRIEFING_BIN,
    join(repoRoot, 'target/release/briefing'),
    join(repoRoot, 'target/debug/briefing'),
  ].filter(Boolean);
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`no briefing binary; build it first (looked in ${candidates.join(', ')})`);
  return found;
}

/**
 * Copies tests/fixtures/<name> into a temporary folder with the shipped theme and, for each
 * language folder without its own main.ftl, the shipped interface strings (as the Rust
 * harness does). Returns { root, cleanup }.
 */
export function fixtureProject(name) {
  const root = mkdtempSync(join(tmpdir(), `briefing-${name}-`));
  cpSync(join(repoRoot, 'tests/fixtures', name), root, { recursive: true });
  if (!existsSync(join(root, 'themes'))) {
    cpSync(join(repoRoot, 'themes'), join(root, 'themes'), { recursive: true });
  }
  for (const lang of ['fr', 'en']) {
    const locale = join(root, 'locales', lang);
    if (existsSync(locale) && !existsSync(join(locale, 'main.ftl'))) {
      cpSync(join(repoRoot, 'locales', lang, 'main.ftl'), join(locale, 'main.ftl'));
    }
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Runs `briefing <args>` in `root`; throws with its stderr on failure. */
export function briefing(root, args) {
  return execFileSync(briefingBinary(), args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export const CHROMIUM = '/usr/bin/chromium';

/** Debian's Chromium, headless, with a fresh profile and no background network. */
export async function launchChromium() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (.ci/run does)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Collects console errors and failed requests of a page, to assert there are none. */
export function watchErrors(page) {
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()}`));
  return errors;
}

/**
 * Starts `briefing serve --port 0` in `root`; resolves once it prints its URL.
 * Returns { url, output, stop } where stop() sends Ctrl-C and waits for the exit.
 */
export function serve(root) {
  const child = spawn(briefingBinary(), ['serve', '--port', '0'], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const stop = () =>
    new Promise((resolvePromise) => {
      if (child.exitCode !== null) return resolvePromise(child.exitCode);
      child.once('exit', (code) => resolvePromise(code));
      child.kill('SIGINT');
    });
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL from briefing serve:\n${output}`)), 60_000);
    const collect = (chunk) => {
      output += chunk;
      const match = output.match(/^Serving .*?(http:\/\/\S+)/m);
      if (match) {
        clearTimeout(timer);
        resolvePromise({ url: match[1], output: () => output, stop });
      }
    };
    child.stdout.setEncoding('utf8').on('data', collect);
    child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`briefing serve exited (${code}):\n${output}`));
    });
  });
}
