// Measures search on a built site (run by bench/search): per language, the index script's
// size against the plain text it indexes, the time to load it, and the time Chromium takes
// to answer queries (scoring and drawing the first results with their snippets).
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
    const script = readFileSync(join(site, searchPage.replace('index.html', 'search-index.js')), 'utf8');
    const encoded = script.slice(script.indexOf('"') + 1, script.lastIndexOf('"'));
    const index = JSON.parse(inflateSync(Buffer.from(encoded, 'base64')).toString('utf8'));
    const plain = index.docs.reduce((sum, doc) => sum + Buffer.byteLength(doc.t + doc.s + doc.g + doc.b), 0);
    const size = Buffer.byteLength(script);
    console.log(`${lang}: ${index.docs.length} topics, ${index.terms.length} terms; index ${(size / 1e6).toFixed(2)} MB, plain text ${(plain / 1e6).toFixed(2)} MB (${(100 * size / plain).toFixed(1)} %)`);
    assert.ok(size <= plain, `${lang}: the index is larger than the plain text`);

    const page = await browser.newPage();
    const errors = watchErrors(page);
    const started = Date.now();
    await page.goto(server.url + searchPage.replace(/index\.html$/, ''));
    await page.waitForSelector('form[data-ready]', { timeout: 120_000 });
    console.log(`${lang}: page opened and index ready in ${Date.now() - started} ms`);
    const timings = await page.evaluate(([queries, runs]) => {
      const input = document.getElementById('search-input');
      return queries.map((query) => {
        const times = [];
        let results = 0;
        for (let run = 0; run < runs; run++) {
          input.value = '';
          input.dispatchEvent(new Event('input'));
          const start = performance.now();
          input.value = query;
          input.dispatchEvent(new Event('input'));
          document.getElementById('search-results').getBoundingClientRect();
          times.push(performance.now() - start);
          results = document.getElementById('search-status').textContent;
        }
        return { query, times, status: results };
      });
    }, [QUERIES[lang], RUNS]);
    for (const { query, times, status } of timings) {
      const worst = Math.max(...times);
      console.log(`  ${JSON.stringify(query).padEnd(32)} median ${median(times).toFixed(1)} ms, worst ${worst.toFixed(1)} ms  (${status})`);
      assert.ok(worst < BUDGET_MS, `${lang} "${query}" took ${worst.toFixed(1)} ms`);
    }
    assert.deepEqual(errors, []);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
