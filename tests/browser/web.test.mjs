// Browser tests of dixit-searchd's web page (run by run.sh, which starts the server): headless Debian
// chromium driven by playwright-core. Each test checks what the page shows against the JSON API's answers.
// DIXIT_URL: the server; DIXIT_CHROMIUM: the browser; DIXIT_SCREENSHOTS: a directory to save
// home.png, search.png and tag.png in (optional).
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';

const BASE = process.env.DIXIT_URL;
const SHOTS = process.env.DIXIT_SCREENSHOTS;
assert.ok(BASE, 'DIXIT_URL must name the running dixit-searchd (run.sh sets it)');

let browser;
let context;
let page;
let problems; // console errors, page errors, CSP violations and dialogs of the current test

async function api(path) {
  const response = await fetch(BASE + path);
  assert.equal(response.status, 200, `${path}: HTTP ${response.status}`);
  return response.json();
}

before(async () => {
  browser = await chromium.launch({ executablePath: process.env.DIXIT_CHROMIUM || '/usr/bin/chromium', headless: true });
});
after(async () => { await browser?.close(); });

beforeEach(async () => {
  context = await browser.newContext({ baseURL: BASE, viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
  context.setDefaultTimeout(20000);
  page = await context.newPage();
  problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss(); });
});
afterEach(async () => {
  await context?.close();
  assert.deepEqual(problems, [], 'no errors, CSP violations or dialogs in the page');
});

const hitIds = () => page.locator('#hits article.quote').evaluateAll((list) => list.map((a) => a.dataset.id));
const countText = () => page.locator('#result-count').textContent();
const number = (text) => Number(String(text).replace(/[^0-9]/g, ''));
async function waitForResults() {
  await page.locator('#hits:not([aria-busy])').waitFor();
  await page.locator('#result-count').filter({ hasText: /\d|No quotes/ }).waitFor();
}
const facetCounts = (field) => page.locator(`fieldset[data-field="${field}"] li`).evaluateAll((items) =>
  Object.fromEntries(items.map((li) => [li.querySelector('input').value, li.querySelector('.facet-count').textContent])));

test('the server sends the page and its files with their types and security headers', async () => {
  for (const path of ['/', '/tag/North%20Korean%20troops', '/quote/ipse%3Arubio-restore-embassies', '/authors']) {
    const r = await fetch(BASE + path);
    assert.equal(r.status, 200, path);
    assert.match(r.headers.get('content-type'), /^text\/html/);
    assert.match(r.headers.get('content-security-policy'), /default-src 'self'/);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  }
  const js = await fetch(BASE + '/static/app.js');
  assert.match(js.headers.get('content-type'), /^text\/javascript/);
  const again = await fetch(BASE + '/static/app.js', { headers: { 'If-None-Match': js.headers.get('etag') } });
  assert.equal(again.status, 304);
  assert.equal((await fetch(BASE + '/static/missing.js')).status, 404);
  assert.equal((await fetch(BASE + '/search?q=troops')).headers.get('cache-control'), 'no-store');
});

test('searching a phrase shows the hits with the phrase highlighted, as you type and on Enter', async () => {
  await page.goto('/');
  await page.locator('#latest-heading').waitFor();
  await page.locator('#q').fill('kursk');  // typing alone searches (debounced)
  await page.waitForURL(/\?q=kursk$/);
  await waitForResults();
  await page.locator('#q').fill('"north korean troops" kursk');
  await page.locator('#q').press('Enter');
  await page.waitForURL((url) => url.searchParams.get('q') === '"north korean troops" kursk');
  await waitForResults();
  const expected = await api('/search?exact_total=true&q=' + encodeURIComponent('"north korean troops" kursk'));
  assert.ok(expected.total > 0);
  assert.equal(number(await countText()), expected.total);
  assert.deepEqual(await hitIds(), expected.hits.map((h) => h.id));
  const marks = await page.locator('#hits article').first().locator('mark').allTextContents();
  assert.ok(marks.map((m) => m.toLowerCase()).includes('north korean troops'), `marks: ${marks}`);
  assert.ok(marks.map((m) => m.toLowerCase()).includes('kursk'), `marks: ${marks}`);
});

test('ticking two countries filters by either and keeps the disjunctive counts of the others', async () => {
  await page.goto('/?q=troops');
  await waitForResults();
  const before = await api('/search?q=troops&facets=country&facet_size=11');
  for (const code of ['UA', 'KP']) {
    await page.locator(`fieldset[data-field="country"] input[value="${code}"]`).check();
    await page.waitForURL(new RegExp(`country=${code}`));
    await waitForResults();
  }
  assert.match(page.url(), /country=UA&country=KP/);
  const after = await api('/search?q=troops&country=UA&country=KP&facets=country&facet_size=11');
  assert.equal(number(await countText()), after.total);
  const shown = await facetCounts('country');
  for (const { value, count } of after.facets.country) assert.equal(number(shown[value]), count, `country ${value}`);
  // Disjunctive: the country counts are those of the query without the country selection, so the other
  // countries (Russia...) still show what ticking them would add.
  assert.deepEqual(after.facets.country, before.facets.country);
  assert.ok(number(shown.RU) > 0, 'Russia keeps its count');
  assert.ok(after.total < before.total || before.total === after.total);
  // Each hit mentions one of the two.
  for (const hit of after.hits) assert.ok(hit.countries.some((c) => c === 'UA' || c === 'KP'));
  assert.ok(await page.locator('fieldset[data-field="country"] input[value="UA"]').isChecked());
});

test('picking a year on the timeline restricts the results to it, and dragging picks a range', async () => {
  await page.goto('/?q=troops');
  await waitForResults();
  await page.locator('.bar[data-value="2024"]').click();
  await page.waitForURL(/from=2024&to=2024/);
  await waitForResults();
  const expected = await api('/search?q=troops&from=2024&to=2024&histogram=month');
  assert.equal(number(await countText()), expected.total);
  for (const hit of expected.hits) assert.match(hit.said_on, /^2024/);
  const saidOn = await page.locator('#hits time').allTextContents();
  assert.ok(saidOn.length > 0 && saidOn.every((t) => t.endsWith('2024')), `dates: ${saidOn}`);
  // Inside a year the timeline shows months.
  assert.ok(await page.locator('.bar[data-value="2024-11"]').count(), 'month bars');
  assert.ok(await page.locator('.active-filters').getByText('said in 2024').isVisible());

  await page.goto('/?q=troops');
  await waitForResults();
  const from = await page.locator('.bar[data-value="2020"]').boundingBox();
  const to = await page.locator('.bar[data-value="2023"]').boundingBox();
  await page.mouse.move(from.x + from.width / 2, from.y + from.height - 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height - 2, { steps: 8 });
  await page.mouse.up();
  await page.waitForURL(/from=2020&to=2023/);
  await waitForResults();
  assert.equal(number(await countText()), (await api('/search?q=troops&from=2020&to=2023&exact_total=true')).total);
});

test('a tag page lists its quotes in chronological order, and back restores the previous state', async () => {
  await page.goto('/?q=troops&country=UA');
  await waitForResults();
  await page.locator('.site-nav').getByRole('link', { name: 'Tags' }).click();
  await page.waitForURL(/\/tags$/);
  await page.locator('.index-list a', { hasText: '#North Korean troops' }).click();
  await page.waitForURL(/\/tag\/North%20Korean%20troops$/);
  await waitForResults();
  assert.equal(await page.locator('h1').textContent(), '#North Korean troops');
  const expected = await api('/search?tag=North+Korean+troops&sort=newest&per_page=20');
  assert.deepEqual(await hitIds(), expected.hits.map((h) => h.id));
  const years = expected.hits.map((h) => Number((h.said_on || '0').slice(0, 4)));
  assert.deepEqual(years, [...years].sort((a, b) => b - a), 'newest said first');
  assert.ok(await page.locator('.sort input[value="newest"]').isChecked());

  // The oldest-first switch is part of the URL too.
  await page.locator('.sort input[value="oldest"]').check();
  await page.waitForURL(/\/tag\/North%20Korean%20troops\?sort=oldest$/);
  await waitForResults();
  const oldest = await api('/search?tag=North+Korean+troops&sort=oldest&per_page=20');
  assert.deepEqual(await hitIds(), oldest.hits.map((h) => h.id));

  await page.goBack();
  await page.waitForURL(/\/tag\/North%20Korean%20troops$/);
  await waitForResults();
  assert.deepEqual(await hitIds(), expected.hits.map((h) => h.id));
  await page.goBack();
  await page.waitForURL(/\/tags$/);
  await page.goBack();
  await page.waitForURL(/\/\?q=troops&country=UA$/);
  await waitForResults();
  assert.equal(await page.locator('#q').inputValue(), 'troops');
  assert.ok(await page.locator('fieldset[data-field="country"] input[value="UA"]').isChecked());
  assert.equal(number(await countText()), (await api('/search?q=troops&country=UA&exact_total=true')).total);

  // From the home page, a tag of a quote opens the tag's page.
  await page.goto('/');
  const chip = page.locator('.home-latest .chip-tag a').first();
  const tag = (await chip.textContent()).slice(1);
  await chip.click();
  await page.waitForURL(`/tag/${encodeURIComponent(tag)}`);
  await waitForResults();
  await page.goBack();
  await page.waitForURL(BASE + '/');
  await page.locator('#latest-heading').waitFor();
});

test('a permalink opens the quote on its own page, with citations', async () => {
  await page.goto('/?q=embassies');
  await waitForResults();
  const first = page.locator('#hits article').first();
  const id = await first.getAttribute('data-id');
  await first.getByRole('link', { name: 'Permalink' }).click();
  await page.waitForURL(`/quote/${encodeURIComponent(id)}`);
  const quote = await api('/quotes/' + encodeURIComponent(id));
  await page.locator('.quote-page article').waitFor();
  assert.equal(await page.locator('.quote-page .quote-text').textContent(), quote.text);
  assert.equal(await page.locator('h1').textContent(), `Quote by ${quote.author.name}`);

  // A shared link works on a fresh load, and the citation can be copied.
  const fresh = await context.newPage();
  await fresh.goto('/quote/ipse%3Arubio-restore-embassies');
  await fresh.locator('.quote-page article').waitFor();
  await fresh.getByRole('button', { name: 'Cite' }).click();
  const apa = await fresh.locator('#cite-apa').inputValue();
  assert.match(apa, /^Rubio, M\. \(2025, February 18\)\. “Russia and the United States/);
  assert.match(await fresh.locator('#cite-mla').inputValue(), /^Rubio, Marco\. “Russia/);
  assert.match(await fresh.locator('#cite-chicago').inputValue(), /^Marco Rubio, US Secretary of State, “Russia.*February 18, 2025/);
  await fresh.getByRole('button', { name: 'Copy APA' }).click();
  await fresh.locator('.cite-status', { hasText: 'copied' }).waitFor();
  assert.equal(await fresh.evaluate(() => navigator.clipboard.readText()), apa);
  await fresh.close();
});

test('a quote\'s panel says who said it first, who else it was attributed to, and its variants; searches have a feed', async () => {
  await page.goto('/quote/' + encodeURIComponent('test:variant-b'));
  const panel = page.locator('.quote-page .provenance');
  await panel.locator('.provenance-sentence').waitFor();
  const provenance = await api('/provenance?id=' + encodeURIComponent('test:variant-b'));
  assert.equal(provenance.first.id, 'test:variant-a');
  assert.equal(await panel.locator('.provenance-sentence').textContent(),
    'First said by Ann Variant on 4 Mar 2021; also attributed to Bob <b>Copy</b>.');
  const variants = panel.locator('li.variant');
  assert.equal(await variants.count(), 1);
  assert.equal(await variants.first().locator('mark').count(), 0);  // A lacks only B's "long": nothing added
  assert.match(await variants.first().locator('.removed').textContent(), /lacks: long/);

  // In the results: the attribution line, and the panel opened on demand.
  await page.goto('/?q=harbour+bridge&sort=oldest');
  await waitForResults();
  const card = page.locator('#hits article[data-id="test:variant-a"]');
  assert.equal(await card.locator('.attribution').textContent(), 'Attributed with 62% confidence; also: Joe <b>Other</b> (30%)');
  await card.getByRole('button', { name: /Who said it first/ }).click();
  await card.locator('.provenance li.variant mark').first().waitFor();
  assert.equal(await card.locator('.provenance li.variant mark').first().textContent(), 'long');

  // One per variant group: the two reports become one hit that says how many variants it has.
  await page.getByLabel('One per variant group').check();
  await page.waitForURL(/collapse=variants/);
  await waitForResults();
  assert.deepEqual(await hitIds(), ['test:variant-a']);
  assert.match(await countText(), /^2 quotes, 1 after grouping variants$/);
  assert.equal(await page.locator('#hits .provenance-toggle').first().textContent(), '1 variant · Who said it first?');
  await page.goBack();
  await waitForResults();

  const feed = await page.locator('a.feed-link').getAttribute('href');
  assert.equal(feed, '/search.atom?q=harbour+bridge');
  assert.equal(await page.locator('head link[type="application/atom+xml"]').getAttribute('href'), feed);
  const response = await fetch(BASE + feed);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /^application\/atom\+xml/);
  assert.match(await response.text(), /<id>urn:dixit:quote:test%3Avariant-b<\/id>/);
});

// A small RFC 4180 reader: rows of cells, quoted cells may hold commas, quotes and line breaks.
function parseCSV(text) {
  const rows = [[]];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { rows[rows.length - 1].push(cell); cell = ''; }
    else if (c === '\r') continue;
    else if (c === '\n') { rows[rows.length - 1].push(cell); cell = ''; rows.push([]); }
    else cell += c;
  }
  if (rows[rows.length - 1].length === 0 && cell === '') rows.pop();
  return rows;
}

test('"export these results" saves the current results as CSV and JSON', async () => {
  await page.goto('/tag/North%20Korean%20troops?country=UA');
  await waitForResults();
  const expected = await api('/search?tag=North+Korean+troops&country=UA&sort=newest&per_page=100');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  assert.match(csv.suggestedFilename(), /^dixit-quotes-.*\.csv$/);
  const rows = parseCSV((await readFile(await csv.path(), 'utf8')).replace(/^\ufeff/, ''));
  const header = rows[0];
  assert.deepEqual(header.slice(0, 5), ['id', 'text', 'author', 'author_role', 'said_on']);
  assert.equal(rows.length - 1, expected.total);
  assert.deepEqual(rows.slice(1).map((r) => r[0]), expected.hits.map((h) => h.id));
  const byId = new Map(expected.hits.map((h) => [h.id, h]));
  for (const row of rows.slice(1)) {
    const hit = byId.get(row[0]);
    assert.equal(row[header.indexOf('text')], hit.text);
    assert.equal(row[header.indexOf('author')], hit.author.name);
    assert.equal(row[header.indexOf('tags')], hit.tags.join('; '));
  }
  await page.locator('.export-bar', { hasText: 'Saved' }).waitFor();

  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
  const records = JSON.parse(await readFile(await json.path(), 'utf8'));
  assert.deepEqual(records.map((r) => r.id), expected.hits.map((h) => h.id));
  assert.equal(records[0].highlight, undefined);
});

test('a quote with HTML in it is shown as text, never as markup', async () => {
  const quote = await api('/quotes/test%3Ahtml-in-quote');
  for (const path of ['/?q=markup', '/quote/test%3Ahtml-in-quote']) {
    await page.goto(path);
    const article = page.locator('article[data-id="test:html-in-quote"]');
    await article.waitFor();
    const text = await article.locator('.quote-text').textContent();
    if (path.startsWith('/?')) {
      assert.ok(text.includes('<script>window.__dixitInjected = true;'), text);
      assert.equal(await article.locator('mark').first().textContent(), 'Markup');
    } else {
      assert.equal(text, quote.text);
    }
    assert.equal(await article.locator('script, img, b, i, em, u, svg').count(), 0, 'no element from the data');
    assert.equal(await article.locator('.author').textContent(), 'Mallory <i>Markup</i>');
    assert.ok(await article.getByText('#<b>HTML</b> tag').isVisible());
    assert.ok(await article.getByText('Escaping <script> in titles').isVisible());
    assert.equal(await article.locator('a[href^="javascript:"]').count(), 0, 'no javascript: link');
    assert.equal(await page.evaluate(() => window.__dixitInjected), undefined);
  }
});

// The vocabulary behind "did you mean" is read in the background at start: until it is, /search answers
// without a suggestion. Waits (up to 15 s) for the suggestion of q, then returns it (or null).
async function suggestionOf(q) {
  const deadline = Date.now() + 15000;
  for (;;) {
    const { suggestion } = await api('/search?per_page=1&q=' + encodeURIComponent(q));
    if (suggestion || Date.now() > deadline) return suggestion ?? null;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('a misspelt word shows its correction\'s results with a link to it, and a suggestion stays text', async () => {
  // "governmnet": "government" with two neighbouring letters swapped; no quote holds it.
  assert.equal(await suggestionOf('governmnet'), 'government');
  assert.equal((await api('/search?exact_total=true&q=governmnet')).total, 0);
  const expected = await api('/search?exact_total=true&q=government');
  assert.ok(expected.total > 0);
  assert.equal(expected.suggestion, undefined, 'a word that exists has no suggestion');
  const note = page.locator('p.suggestion');
  const link = note.locator('a.suggestion-link');

  // Nothing matches what was typed: the correction's results, and a note that says so.
  await page.goto('/');
  await page.locator('#latest-heading').waitFor();
  await page.locator('#q').fill('governmnet');
  await page.locator('#q').press('Enter');
  await page.waitForURL((url) => url.searchParams.get('q') === 'governmnet');
  await waitForResults();
  await note.filter({ hasText: 'Showing results for' }).waitFor();
  assert.equal(await note.textContent(), 'No quotes match “governmnet”. Showing results for government.');
  assert.equal(number(await countText()), expected.total);
  assert.deepEqual(await hitIds(), expected.hits.map((h) => h.id));
  const marks = await page.locator('#hits article').first().locator('mark').allTextContents();
  assert.ok(marks.some((m) => m.toLowerCase().startsWith('government')), `marks: ${marks}`);
  assert.equal(await link.textContent(), 'government');
  assert.equal(await link.getAttribute('href'), '/?q=government');

  // The link opens the corrected query: in the URL and the box, with no note.
  await link.click();
  await page.waitForURL((url) => url.searchParams.get('q') === 'government');
  await waitForResults();
  await note.waitFor({ state: 'hidden' });
  assert.equal(await page.locator('#q').inputValue(), 'government');
  assert.equal(number(await countText()), expected.total);
  assert.deepEqual(await hitIds(), expected.hits.map((h) => h.id));
  await page.waitForFunction(() => document.activeElement?.id === 'results-heading');
  // Back returns to what was typed, note and all.
  await page.goBack();
  await page.waitForURL((url) => url.searchParams.get('q') === 'governmnet');
  await note.filter({ hasText: 'Showing results for government' }).waitFor();
  assert.equal(await page.locator('#q').inputValue(), 'governmnet');

  // A correctly spelt word, typed or loaded, shows no suggestion.
  await page.locator('#q').fill('troops');
  await page.locator('#q').press('Enter');
  await page.waitForURL((url) => url.searchParams.get('q') === 'troops');
  await waitForResults();
  assert.equal(number(await countText()), (await api('/search?exact_total=true&q=troops')).total);
  assert.ok(await note.isHidden(), 'no suggestion for troops');
  assert.equal(await note.textContent(), '');

  // The typed query matches: its own results, and "Did you mean".
  const either = 'troops OR embsasies';
  assert.equal(await suggestionOf(either), 'troops OR embassies');
  const typed = await api('/search?exact_total=true&q=' + encodeURIComponent(either));
  assert.ok(typed.total > 0);
  await page.goto('/?q=' + encodeURIComponent(either));
  await waitForResults();
  await note.filter({ hasText: 'Did you mean' }).waitFor();
  assert.equal(await note.textContent(), 'Did you mean troops OR embassies?');
  assert.equal(number(await countText()), typed.total);
  assert.deepEqual(await hitIds(), typed.hits.map((h) => h.id));

  // A suggestion (and the typed query in the note) is text, never markup: in both forms of the note.
  const markup = [
    ['troops OR <b>embsasies</b>', 'troops OR <b>embassies</b>', 'Did you mean troops OR <b>embassies</b>?'],
    ['governmnet <i>', 'government <i>', 'No quotes match “governmnet <i>”. Showing results for government <i>.'],
  ];
  for (const [q, suggestion, text] of markup) {
    assert.equal(await suggestionOf(q), suggestion, q);
    await page.goto('/?q=' + encodeURIComponent(q));
    await note.filter({ hasText: suggestion }).waitFor();
    assert.equal(await note.textContent(), text, q);
    assert.equal(await link.textContent(), suggestion, q);
    assert.equal(await note.locator('*:not(a.suggestion-link)').count(), 0, `${q}: no element from the query`);
    assert.equal(await page.locator('main b, main i, main img').count(), 0, `${q}: no element from the query`);
    assert.equal(await page.evaluate(() => window.__dixitInjected), undefined);
  }
  // A correction that finds nothing either is not offered.
  assert.equal(await suggestionOf('<b>governmnet</b>'), '<b>government</b>');
  await page.goto('/?q=' + encodeURIComponent('<b>governmnet</b>'));
  await page.locator('#result-count').filter({ hasText: 'No quotes match.' }).waitFor();
  assert.equal(await note.isHidden(), true);
  await page.goto('/?q=' + encodeURIComponent('governmnet <i>'));
  await note.filter({ hasText: 'government <i>' }).waitFor();
  // The corrected query (HTML and all) is what the link opens.
  await link.click();
  await page.waitForURL((url) => url.searchParams.get('q') === 'government <i>');
  await waitForResults();
  await note.waitFor({ state: 'hidden' });
  assert.equal(await page.locator('#q').inputValue(), 'government <i>');
  assert.equal(number(await countText()), (await api('/search?exact_total=true&q=government+%3Ci%3E')).total);
});

const percent = (share) => `${Math.round(share * 100)}% match`;
const idsIn = (list) => page.locator(`${list} article.quote`).evaluateAll((all) => all.map((a) => a.dataset.id));
const similaritiesIn = (list) => page.locator(`${list} article.quote`).evaluateAll((all) =>
  all.map((a) => a.querySelector('.similarity')?.textContent ?? null));

test('a long query without operators shows the exact phrase first, then the quotes like it', async () => {
  // Seven words, said in one quote of the seed; like= finds it and more (two pages) that hold most of the words.
  const text = "of they don't know what to do";
  const filters = '&sort=relevance&facets=tag,author,country,entity,context,lang&histogram=year';
  const phrase = await api(`/search?per_page=50&q=${encodeURIComponent(`"${text}"`)}${filters}`);
  const like = await api(`/search?per_page=20&like=${encodeURIComponent(text)}${filters}`);
  const second = await api(`/search?per_page=20&page=2&like=${encodeURIComponent(text)}&sort=relevance`);
  assert.equal(phrase.hits.length, 1);
  assert.ok(like.total > 20 && like.total <= 40, `like total ${like.total}`);
  const phraseIds = new Set(phrase.hits.map((h) => h.id));
  for (const id of phraseIds) assert.ok(like.hits.some((h) => h.id === id), `like= holds the phrase hit ${id}`);

  await page.goto('/');
  await page.locator('#latest-heading').waitFor();
  await page.locator('#q').fill(text);
  await page.locator('#q').press('Enter');
  await page.waitForURL((url) => url.searchParams.get('q') === text && !url.searchParams.has('like'));
  await waitForResults();
  assert.equal(await page.locator('#phrase-heading').textContent(), 'With the exact phrase: 1 quote');
  assert.deepEqual(await idsIn('#phrase-hits'), phrase.hits.map((h) => h.id));
  const marks = await page.locator('#phrase-hits article').first().locator('mark').allTextContents();
  const words = (m) => m.toLowerCase().replace(/[^a-z']+/g, ' ');
  assert.ok(marks.map(words).includes(text.toLowerCase()), `marks: ${marks}`);
  // Then "Quotes like this": the like= hits without those, each with its similarity.
  assert.ok(await page.getByRole('heading', { name: 'Quotes like this' }).isVisible());
  const others = like.hits.filter((h) => !phraseIds.has(h.id));
  assert.deepEqual(await hitIds(), others.map((h) => h.id));
  assert.deepEqual(await similaritiesIn('#hits'), others.map((h) => percent(h.similarity)));
  assert.ok(others.some((h) => h.similarity < 1));
  // The count, facets and timeline follow like= (which holds the phrase hits).
  assert.equal(number(await countText()), like.total);
  const shown = await facetCounts('country');
  for (const { value, count } of like.facets.country.slice(0, 10)) assert.equal(number(shown[value]), count, `country ${value}`);
  assert.deepEqual(await page.locator('.timeline .bar:not(.empty)').evaluateAll((bars) => bars.map((b) => b.dataset.value)),
    like.histogram.map((h) => h.value));
  // More results: like='s next page, still without the phrase hits; then no more. A DOM click: scrolling the
  // button into view may already have loaded the page (the infinite scroll), and a second load is a no-op.
  await page.getByRole('button', { name: 'More results' }).evaluate((button) => button.click());
  await page.locator('#hits > li').nth(others.length).waitFor();
  await page.locator('.more-results').waitFor({ state: 'hidden' });
  const more = second.hits.filter((h) => !phraseIds.has(h.id));
  assert.deepEqual(await hitIds(), [...others, ...more].map((h) => h.id));
  assert.ok(await page.locator('#hits article').filter({ hasText: 'Find quotes like this' }).count() > 0);

  // A filter narrows both sections.
  await page.locator('fieldset[data-field="country"] input[value="RU"]').check();
  await page.waitForURL(/country=RU/);
  await waitForResults();
  const narrowed = await api(`/search?per_page=1&country=RU&like=${encodeURIComponent(text)}`);
  assert.equal(number(await countText()), narrowed.total);
  assert.ok(narrowed.total < like.total);

  // Six words, or an operator, is a query as usual: no sections.
  for (const q of ['to fight in the Russia Ukraine', 'to fight in the Russia OR Ukraine war', '"to fight in the Russia Ukraine war"']) {
    await page.goto('/?q=' + encodeURIComponent(q));
    await waitForResults();
    const expected = await api('/search?exact_total=true&q=' + encodeURIComponent(q));
    assert.deepEqual(await hitIds(), expected.hits.map((h) => h.id), q);
    assert.ok(await page.locator('.phrase-section').isHidden(), q);
    assert.ok(await page.locator('#like-heading').isHidden(), q);
    assert.equal(await page.locator('#hits .similarity').count(), 0, q);
  }
});

test('"Find quotes like this" lists the quotes like a quote\'s text, with their similarity, as a URL', async () => {
  // "If you don't know where you are going, any road will get you there": other quotes say it otherwise.
  await page.goto('/quote/quotable%3AlZ8sFKiGiC');
  await page.locator('.quote-page article').waitFor();
  const quote = await api('/quotes/quotable%3AlZ8sFKiGiC');
  const text = quote.text.replace(/\s+/g, ' ').trim();
  const expected = await api('/search?per_page=20&sort=relevance&like=' + encodeURIComponent(text));
  assert.ok(expected.total > 1 && expected.hits.some((h) => h.similarity < 1));
  await page.getByRole('link', { name: 'Find quotes like this' }).click();
  await page.waitForURL((url) => url.pathname === '/' && url.searchParams.get('like') === text && !url.searchParams.has('q'));
  await waitForResults();
  assert.equal(await page.locator('h1').textContent(), 'Quotes like this');
  const note = await page.locator('.intro').textContent();
  assert.ok(note.startsWith('Quotes like: “' + text.slice(0, 40)), note);
  assert.equal(await page.locator('#q').inputValue(), text);
  assert.equal(number(await countText()), expected.total);
  assert.deepEqual(await hitIds(), expected.hits.map((h) => h.id));
  assert.equal(expected.hits[0].id, quote.id);
  assert.equal(expected.hits[0].similarity, 1);
  assert.deepEqual(await similaritiesIn('#hits'), expected.hits.map((h) => percent(h.similarity)));
  assert.equal(await page.locator('#hits .similarity').first().textContent(), '100% match');
  assert.ok(await page.locator('.phrase-section').isHidden());
  assert.ok(await page.locator('.sort input[value="relevance"]').isChecked());

  // Enter on the text as it is keeps the search; reload and back/forward restore it.
  await page.locator('#q').press('Enter');
  await waitForResults();
  assert.equal(new URL(page.url()).searchParams.get('like'), text);
  await page.reload();
  await waitForResults();
  assert.deepEqual(await hitIds(), expected.hits.map((h) => h.id));
  assert.equal(await page.locator('#q').inputValue(), text);
  await page.goBack();
  await page.waitForURL(/\/quote\//);
  await page.locator('.quote-page article').waitFor();
  await page.goForward();
  await page.waitForURL((url) => url.searchParams.get('like') === text);
  await waitForResults();
  assert.deepEqual(await hitIds(), expected.hits.map((h) => h.id));

  // From a list of results too; the quote full of HTML stays text in the note, the box and the hits.
  await page.goto('/?q=markup');
  await waitForResults();
  const card = page.locator('article[data-id="test:html-in-quote"]');
  const html = (await api('/quotes/test%3Ahtml-in-quote')).text;
  await card.getByRole('link', { name: 'Find quotes like this' }).click();
  await page.waitForURL((url) => url.searchParams.get('like') === html);
  await waitForResults();
  assert.ok((await page.locator('.intro').textContent()).startsWith('Quotes like: “<script>window.__dixitInjected = true;'));
  assert.equal(await page.locator('#q').inputValue(), html);
  assert.equal(await page.locator('.intro *').count(), 0, 'no element in the note');
  assert.equal(await page.locator('main script, main img, main b, main i, main em, main u, main svg').count(), 0);
  assert.equal(await page.evaluate(() => window.__dixitInjected), undefined);
  assert.equal((await hitIds())[0], 'test:html-in-quote');

  // Punctuation alone finds nothing (and says so).
  await page.goto('/?like=' + encodeURIComponent('… !!! ?'));
  await page.locator('#result-count').filter({ hasText: 'No quotes match.' }).waitFor();
  assert.equal(await page.locator('#hits article').count(), 0);
});

test('screenshots of the home page, a search with facets and a tag page', { skip: !SHOTS }, async () => {
  await page.goto('/');
  await page.locator('.home-latest article').first().waitFor();
  await page.locator('.contexts:not([aria-busy])').waitFor();
  await page.screenshot({ path: `${SHOTS}/home.png` });
  await page.setViewportSize({ width: 1280, height: 1500 }); // down to the ticked countries
  await page.goto('/?q=troops&country=UA&country=KP');
  await waitForResults();
  await page.screenshot({ path: `${SHOTS}/search.png` });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/tag/North%20Korean%20troops');
  await waitForResults();
  await page.screenshot({ path: `${SHOTS}/tag.png` });
});
