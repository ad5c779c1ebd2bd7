// The Nu Html Checker (npm vnu-jar, run with Java) over every page, stylesheet and SVG of
// this repository's own site, built by the real binary into a temporary copy. Any message,
// error or warning, fails; so does a checker that cannot run. Run by .ci/run:
//   BRIEFING_BIN=target/release/briefing node tests/browser/vnu.mjs
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { briefing, repositoryProject } from './harness.mjs';

const require = createRequire(import.meta.url);
const jar = require('vnu-jar');
const CHECKED = /\.(html|css|svg)$/;

function files(folder) {
  return readdirSync(folder).sort().flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return files(path);
    return CHECKED.test(name) ? [path] : [];
  });
}

const project = repositoryProject();
let failed = true;
try {
  briefing(project.root, ['build']);
  const site = join(project.root, 'site');
  const checked = files(site);
  const run = spawnSync('java', [
    '-jar', jar, '--format', 'json', '--also-check-css', '--also-check-svg', '--Werror', ...checked,
  ], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw new Error(`vnu could not run (is java installed?): ${run.error.message}`);
  let report;
  try {
    report = JSON.parse(run.stderr || run.stdout);
  } catch {
    throw new Error(`vnu gave no report (exit ${run.status}): ${run.stderr}${run.stdout}`);
  }
  for (const message of report.messages) {
    const file = message.url ? relative(site, new URL(message.url).pathname) : '?';
    const where = message.lastLine ? `:${message.lastLine}:${message.firstColumn ?? message.lastColumn}` : '';
    console.log(`${message.type}${message.subType ? `/${message.subType}` : ''}: ${file}${where}: ${message.message}`);
  }
  const counts = checked.reduce((count, path) => {
    const kind = path.slice(path.lastIndexOf('.') + 1);
    count[kind] = (count[kind] ?? 0) + 1;
    return count;
  }, {});
  console.log(`vnu: ${report.messages.length} messages on ${checked.length} files (${
    Object.entries(counts).map(([kind, n]) => `${n} ${kind}`).join(', ')})`);
  failed = report.messages.length > 0 || run.status !== 0 || checked.length === 0;
} finally {
  project.cleanup();
}
process.exit(failed ? 1 : 0);
