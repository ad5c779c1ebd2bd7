// Shared by the browser tests: fixture sites built by the real binary, and Debian's
// Chromium driven by playwright-core (never a downloaded browser).
import { chromium } from 'playwright-core';
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import {
  cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

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
  page.on('requestfailed', (request) => {
    // A request the browser dropped because the page navigated away did not fail.
    if (request.failure()?.errorText !== 'net::ERR_ABORTED') {
      errors.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
    }
  });
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
/** A port that was free a moment ago on 127.0.0.1, for servers that cannot report theirs. */
export async function freePort() {
  const { createServer } = await import('node:net');
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** Sets `base_url` in a project's briefing.toml (for servers whose address is known late). */
export function setBaseUrl(root, baseUrl) {
  const path = join(root, 'briefing.toml');
  const text = readFileSync(path, 'utf8');
  if (!/^base_url\s*=/m.test(text)) throw new Error(`${path} has no base_url`);
  writeFileSync(path, text.replace(/^base_url\s*=.*$/m, `base_url = "${baseUrl}"`));
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.xml': 'application/xml', '.txt': 'text/plain',
};

/**
 * A static HTTP server for `folder` on 127.0.0.1 and an ephemeral port, answering folders
 * with their index.html and anything missing with 404.html and status 404, as static hosts
 * do. Returns { url, close }.
 */
export async function serveStatic(folder) {
  const { createServer } = await import('node:http');
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    let file = join(folder, path);
    if (!file.startsWith(folder)) file = join(folder, '404.html');
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    const found = existsSync(file);
    const served = found ? file : join(folder, '404.html');
    response.writeHead(found ? 200 : 404, {
      'content-type': TYPES[extname(served)] || 'application/octet-stream',
    });
    response.end(readFileSync(served));
  });
  await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((done) => server.close(done)),
  };
}

/**
 * One built page of each kind and language (`<body class="page-KIND">`), relative to the
 * site folder: { 'topic/fr': 'fr/cyberdefense/index.html', … }.
 */
export function pagesByKind(site) {
  const found = {};
  const walk = (folder) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.html')) {
        const html = readFileSync(path, 'utf8');
        const kind = /<body class="page-([\w-]+)"/.exec(html)?.[1];
        const lang = /<html lang="([\w-]+)"/.exec(html)?.[1];
        const key = `${kind}/${lang}`;
        if (kind && !(key in found)) found[key] = relative(site, path).split(sep).join('/');
      }
    }
  };
  walk(site);
  return found;
}

/** Runs axe-core (from npm) on the open page: WCAG 2.1 A and AA rules, and best practices. */
export async function axeViolations(page) {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  // No preload: axe would fetch the stylesheets with XHR, which file:// pages may not do.
  const results = await page.evaluate(() => window.axe.run(document, {
    preload: false,
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  return results.violations.map((violation) => ({
    rule: violation.id,
    help: violation.help,
    nodes: violation.nodes.map((node) => `${node.target.join(' ')}: ${node.failureSummary}`),
  }));
}

export const screenshotsFolder = join(repoRoot, 'tests/browser/screenshots');

/** A copy of this repository's own site (configuration, content, locales, theme). */
export function repositoryProject() {
  const root = mkdtempSync(join(tmpdir(), 'briefing-repository-'));
  for (const entry of ['briefing.toml', 'content', 'locales', 'themes']) {
    cpSync(join(repoRoot, entry), join(root, entry), { recursive: true });
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * Debian's nginx serving `site` under `/<subpath>/` on 127.0.0.1, with its own prefix and
 * configuration in a temporary folder, missing pages answered by the site's 404.html.
 * Returns { url, stop }; `stop()` ends that nginx and waits for it.
 */
export async function startNginx(site, subpath, port) {
  const { spawn } = await import('node:child_process');
  const nginx = '/usr/sbin/nginx';
  if (!existsSync(nginx)) throw new Error(`${nginx} is missing: install Debian's nginx package (.ci/run does)`);
  const prefix = mkdtempSync(join(tmpdir(), 'briefing-nginx-'));
  const config = join(prefix, 'nginx.conf');
  writeFileSync(config, `daemon off;
master_process off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 64; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  client_body_temp_path ${prefix}/client;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  server {
    listen 127.0.0.1:${port};
    location /${subpath}/ {
      alias ${site}/;
      error_page 404 /${subpath}/404.html;
    }
  }
}
`);
  const child = spawn(nginx, ['-p', prefix, '-c', config, '-e', join(prefix, 'error.log')], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise((done) => child.once('exit', done));
  const url = `http://127.0.0.1:${port}/${subpath}/`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${readFileSync(join(prefix, 'error.log'), 'utf8')}`);
    try {
      await fetch(url);
      break;
    } catch (notYet) {
      if (Date.now() > deadline) throw new Error(`nginx did not answer on ${url}`);
      await new Promise((wait) => setTimeout(wait, 50));
    }
  }
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}
