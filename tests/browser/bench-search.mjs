// Measures search on a built site (run by bench/search): per language, the index scripts'
// size (entry and shards) against the plain text they index, the time for the page to be
// ready, and the time Chromium takes to answer queries (loading the shards a query needs the
// first time, scoring, drawing the first results with their snippets).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { launchChromium, pagesByKind, serveStatic, watchErrors } from './harness.mjs';

const QUERIES = {
  fr: ['coopération', 'defense', 'securite', 'cooperer', 'partenariat dialogue', 'cyberdef',
    'interoperabilite resilience', 'ministres sommet maritime', 'otan', 'zzyzx'],
  en: ['cooperation', 'defence', 'security', 'cooperate', 'partnership dialogue', 'cyb',
    'interoperability resilience', 'ministers summit maritime', 'nato', 'zzyzx'],
};
const RUNS = 5;
const BUDGET_MS = 50;

const site = process.argv[2];
const pages = pagesByKind(site);
const server = await serveStatic(site);
const browser = await launchChromium();
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
try {
  for (const lang of ['fr', 'en']) {
    const searchPage = pages[`search/${lang}`];
    const folder = join(site, searchPage.replace('index.html', ''));
    const entryScript = readFileSync(join(folder, 'search-index.js'), 'utf8');
    const entry = JSON.parse(entryScript.slice(entryScript.indexOf('{'), entryScript.lastIndexOf('}') + 1));
    const shard = (file) => {
      const script = readFileSync(join(folder, file), 'utf8');
      const encoded = script.slice(script.lastIndexOf('= "') + 3, script.lastIndexOf('"'));
      return { bytes: Buffer.byteLength(script), value: JSON.parse(inflateSync(Buffer.from(encoded, 'base64')).toString('utf8')) };
    };
    const termShards = entry.terms.map(([, file]) => shard(file));
    const docShards = entry.docs.map(([, file]) => shard(file));
    const docs = docShards.flatMap((s) => s.value);
    const terms = termShards.reduce((sum, s) => sum + s.value.terms.length, 0);
    const plain = docs.reduce((sum, doc) => sum + Buffer.byteLength(doc.t + doc.s + doc.g + doc.b), 0);
    const shards = [...termShards, ...docShards].map((s) => s.bytes);
    const size = Buffer.byteLength(entryScript) + shards.reduce((sum, bytes) => sum + bytes, 0);
    console.log(`${lang}: ${docs.length} topics, ${terms} terms; entry ${(Buffer.byteLength(entryScript) / 1e3).toFixed(1)} kB, ${termShards.length} term and ${docShards.length} document shards (largest ${(Math.max(...shards) / 1e6).toFixed(2)} MB), all ${(size / 1e6).toFixed(2)} MB, plain text ${(plain / 1e6).toFixed(2)} MB (${(100 * size / plain).toFixed(1)} %)`);
    assert.ok(size <= plain, `${lang}: the index is larger than the plain text`);

    const page = await browser.newPage();
    const errors = watchErrors(page);
    const started = Date.now();
    await page.goto(server.url + searchPage.replace(/index\.html$/, ''));
    await page.waitForSelector('form[data-ready]', { timeout: 120_000 });
    console.log(`${lang}: page opened and index ready in ${Date.now() - started} ms`);
    // Each query waits for the shards it needs (loaded once per page, so the first run of a
    // query is the one that loads them) and answers when the form says so.
    const timings = await page.evaluate(async ([queries, runs]) => {
      const form = document.querySelector('form[data-search]');
      const input = document.getElementById('search-input');
      const answered = () => new Promise((resolve) => {
        const observer = new MutationObserver(() => { observer.disconnect(); resolve(); });
        observer.observe(form, { attributes: true, attributeFilter: ['data-answered'] });
      });
      const out = [];
      for (const query of queries) {
        const times = [];
        let results = 0;
        for (let run = 0; run < runs; run++) {
          input.value = '';
          input.dispatchEvent(new Event('input'));
          const done = answered();
          const start = performance.now();
          input.value = query;
          input.dispatchEvent(new Event('input'));
          await done;
          document.getElementById('search-results').getBoundingClientRect();
          times.push(performance.now() - start);
          results = document.getElementById('search-status').textContent;
        }
        out.push({ query, times, status: results });
      }
      return out;
    }, [QUERIES[lang], RUNS]);
    for (const { query, times, status } of timings) {
      const worst = Math.max(...times);
      console.log(`  ${JSON.stringify(query).padEnd(32)} median ${median(times).toFixed(1)} ms, worst ${worst.toFixed(1)} ms  (${status})`);
      // The first run loads the query's shards; the budget is for the answers after it.
      const answering = Math.max(...times.slice(1));
      assert.ok(answering < BUDGET_MS, `${lang} "${query}" took ${answering.toFixed(1)} ms`);
    }
    assert.deepEqual(errors, []);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
