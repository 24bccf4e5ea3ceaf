// (A) The arena, as a person meets it: "Smart Router: Arena" from the command palette, a prompt, the
// "OpenAI pair" group (from the user settings run.sh writes) in blind mode (the eye button), two columns
// streaming under a progress notification, the pick with its reason, a vote that reveals the names and
// puts the models on the leaderboard, then "Smart Router: Show Leaderboard" and its intent filter. The judge
// (smartRouter.arenaJudge = gpt-4.1 in the user settings run.sh writes) merges both answers under the
// columns: live, named "the judge" until the vote, then gpt-4.1, with its badges (arena-merged.png).
// Runs after ui/usage.mjs against the same code-server.
// usage: SR_FAKE_URL=http://127.0.0.1:PORT node ui/arena.mjs <port> <workspaceFolder> <artifactsDir> [resultFile]
// Prints "N passed, N failed" last; writes the same line (+ details) to resultFile if given.
import fs from 'node:fs';
import path from 'node:path';
import { lap } from '../driver/browser.mjs';
import { checker, findWebviewFrame, finish, openPage, runCommand } from './lib.mjs';

const [port, folder, artifacts, resultFile] = process.argv.slice(2);
const FAKE = (process.env.SR_FAKE_URL || '').replace(/\/+$/, '');
const PROMPT = 'How do I reverse a list in Python?';
const REPLIES = {
  'gpt-4o-mini': 'Use slicing, which returns a new list:\n\n```python\nitems = [1, 2, 3]\nreversed_items = items[::-1]\n```\n\nOr reverse in place with `items.reverse()`.',
  'gpt-4.1-mini': 'Call **`list.reverse()`** to reverse the list in place:\n\n```python\nitems.reverse()\n```\n\n`reversed(items)` gives an iterator instead, and `items[::-1]` a reversed copy.',
};
const JUDGE = 'gpt-4.1';
const MERGED = 'Both work. **Reverse in place** with `list.reverse()`, or get a reversed copy with slicing:\n\n```python\nitems = [1, 2, 3]\nitems.reverse()          # in place: [3, 2, 1]\nreversed_copy = items[::-1]\n```\n\n`reversed(items)` returns an iterator when you only need to loop backwards.';
fs.mkdirSync(artifacts, { recursive: true });
const shot = (name) => path.join(artifacts, name);
const results = []; // [name, error|null]
const logLines = [];
const note = (t) => { logLines.push(t); };

const { ctx, page } = await openPage({ width: 1280, height: 800 }, note);
const quickInput = page.locator('.quick-input-widget .quick-input-box input');

const check = checker(page, results, artifacts, 'arena-');

const headers = (f) => f.evaluate(() => [...document.querySelectorAll('#columns .column .column-title')].map((n) => n.textContent));
const mergedView = (f) => f.evaluate(() => {
  const s = document.getElementById('merged');
  const q = (sel) => s?.querySelector(sel)?.textContent ?? '';
  return { hidden: !s || s.hidden, title: q('.column-title'), state: q('.column-state'), sources: q('.merged-sources'), text: q('.markdown'), badges: [...(s?.querySelectorAll('.badge') ?? [])].map((b) => b.textContent) };
});

let arena;
try {
  await check('Arena: prompt, the OpenAI pair in blind mode; two columns stream under a progress notification', async () => {
    if (!FAKE) throw new Error('SR_FAKE_URL is not set');
    for (const [model, reply] of [...Object.entries(REPLIES), [JUDGE, MERGED]]) {
      const put = await fetch(`${FAKE}/__fake__/scenarios/${model}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ reply, ttft_ms: 300, tokens_per_second: model === JUDGE ? 12 : 8 }),
      });
      if (!put.ok) throw new Error(`fake scenario for ${model}: HTTP ${put.status}`);
    }
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`, { timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: /\$\d/ }).first().waitFor({ timeout: 90_000 });

    await runCommand(page, 'Smart Router: Arena');
    await page.waitForFunction(() => {
      const i = document.querySelector('.quick-input-widget .quick-input-box input');
      return !!i && i.value === '' && /Arena/.test(document.querySelector('.quick-input-widget')?.textContent ?? '');
    }, undefined, { timeout: 30_000 });
    await page.keyboard.type(PROMPT, { delay: 5 });
    await page.keyboard.press('Enter');

    // the group pick: built-in groups and the user's; the eye button turns blind mode on
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'OpenAI pair' }).first().waitFor();
    const eye = page.locator('.quick-input-widget .quick-input-titlebar .codicon-eye').first();
    await eye.click();
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'blind' }).waitFor({ timeout: 10_000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: shot('arena-group-pick.png') });
    const rows = await page.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts();
    note('group pick rows: ' + JSON.stringify(rows));
    for (const want of ['Hybrid', 'Frontier', 'Fast', 'OpenAI pair']) {
      if (!rows.some((r) => r.trim() === want)) throw new Error(`the group pick lacks ${want}: ${JSON.stringify(rows)}`);
    }
    await quickInput.fill('OpenAI pair');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'OpenAI pair' }).first().waitFor();
    await page.keyboard.press('Enter');

    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Smart Router arena' }).first();
    await toast.waitFor({ timeout: 30_000 }).catch(() => { throw new Error('no progress notification "Smart Router arena"'); });
    // read it while it is up: it goes away when the battle ends
    const toastHtml = await toast.innerHTML({ timeout: 5_000 });
    const toastText = (await toast.innerText({ timeout: 5_000 }).catch(() => '')).trim();
    arena = await findWebviewFrame(page, /Which answer|waiting for the first token|streaming/, 30_000, 'the arena panel');
    await arena.waitForFunction(() => [...document.querySelectorAll('.column')].some((c) => c.dataset.status === 'streaming'), undefined, { timeout: 20_000 });
    note('progress: ' + toastText);
    await page.waitForTimeout(400);
    await page.screenshot({ path: shot('arena-streaming.png') });
    if (!/Cancel/.test(toastHtml)) throw new Error('the progress notification has no Cancel');
    const h = await headers(arena);
    if (JSON.stringify(h) !== JSON.stringify(['Model A', 'Model B'])) throw new Error(`blind headers ${JSON.stringify(h)}`);
  });

  await check('the judge merges both answers under the columns, live, named "the judge" while blind', async () => {
    if (!arena) throw new Error('no arena panel (previous step failed)');
    // the section is there from the start, waits for the answers, then streams
    const first = await mergedView(arena);
    if (first.hidden || !['waiting for the answers', 'merging the best answers', 'streaming'].includes(first.state)) throw new Error(`merged section at the start: ${JSON.stringify(first)}`);
    await arena.waitForFunction(() => document.querySelector('#merged .merged-answer')?.dataset.status === 'streaming', undefined, { timeout: 60_000 });
    const live = await mergedView(arena);
    note('merged (live): ' + JSON.stringify(live));
    if (live.hidden) throw new Error('no merged section');
    if (live.title !== 'Merged answer (by the judge)') throw new Error(`blind merged title ${JSON.stringify(live.title)}`);
    if (!/^from Model [AB], Model [AB]$/.test(live.sources)) throw new Error(`blind sources ${JSON.stringify(live.sources)}`);
    await arena.waitForFunction(() => document.querySelector('#merged .merged-answer')?.dataset.status === 'ok', undefined, { timeout: 60_000 });
    const done = await mergedView(arena);
    if (!/Reverse in place/.test(done.text) || !/reversed_copy = items\[::-1\]/.test(done.text)) throw new Error(`merged text ${JSON.stringify(done.text)}`);
    if (!done.badges.some((b) => /^Cost\$0\.\d+/.test(b)) || !done.badges.some((b) => /^TTFT/.test(b))) throw new Error(`merged badges ${JSON.stringify(done.badges)}`);
    const buttons = await arena.evaluate(() => [...document.querySelectorAll('#merged .column-foot button')].filter((b) => !b.disabled).map((b) => b.textContent));
    if (JSON.stringify(buttons) !== JSON.stringify(['Copy', 'Insert at cursor'])) throw new Error(`merged buttons ${JSON.stringify(buttons)}`);
    const txt = await arena.evaluate(() => document.body.innerText);
    if (txt.includes(JUDGE)) throw new Error('blind mode shows the judge');
  });

  await check('the pick is highlighted with its reason; names stay hidden until the vote', async () => {
    if (!arena) throw new Error('no arena panel (previous step failed)');
    await arena.waitForFunction(() => !document.getElementById('pick')?.hidden && !document.getElementById('votes')?.hidden, undefined, { timeout: 60_000 });
    const txt = await arena.evaluate(() => document.body.innerText);
    note('arena text (blind):\n' + txt);
    for (const model of [...Object.keys(REPLIES), JUDGE]) {
      if (txt.includes(model)) throw new Error(`blind mode shows ${model}`);
    }
    if (!/Pick: Model [AB]/.test(txt)) throw new Error('no "Pick: Model A/B" banner');
    const picked = await arena.evaluate(() => document.querySelectorAll('.column.picked').length);
    if (picked !== 1) throw new Error(`${picked} columns highlighted as the pick`);
    for (const re of [/TTFT/, /Cost\s*\$0\.\d+/, /Model A is better/, /Tie/, /Both are bad/, /Model B is better/]) {
      if (!re.test(txt)) throw new Error(`the arena lacks ${re}`);
    }
    const overflow = await arena.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 1) throw new Error(`the arena scrolls sideways by ${overflow}px`);
    await page.keyboard.press('Escape');
    await page.waitForTimeout(500);
    await page.screenshot({ path: shot('arena-blind.png') });
  });

  await check('a vote reveals the names and puts both models on the leaderboard', async () => {
    if (!arena) throw new Error('no arena panel (previous step failed)');
    await arena.locator('button.vote', { hasText: 'Model A is better' }).click();
    await arena.waitForFunction(() => /Vote recorded/.test(document.getElementById('vote-status')?.textContent ?? ''), undefined, { timeout: 15_000 });
    const h = await headers(arena);
    if (!h.every((x) => x in REPLIES)) throw new Error(`names not revealed after the vote: ${JSON.stringify(h)}`);
    await arena.waitForFunction(() => document.querySelectorAll('#leaderboard-rows tr').length >= 2, undefined, { timeout: 15_000 });
    const board = await arena.evaluate(() => [...document.querySelectorAll('#leaderboard-rows tr')].map((tr) => tr.innerText.replace(/\s+/g, ' ').trim()));
    note('leaderboard: ' + JSON.stringify(board));
    if (!board[0].includes(h[0])) throw new Error(`the model voted better (${h[0]}) is not first: ${JSON.stringify(board)}`);
    if (!/1 \/ 0 \/ 0/.test(board[0])) throw new Error(`the winner's record is not 1 / 0 / 0: ${board[0]}`);
    await page.waitForTimeout(300);
    await page.screenshot({ path: shot('arena-voted.png') });
    const merged = await mergedView(arena);
    if (merged.title !== `Merged answer (by ${JUDGE})`) throw new Error(`the vote did not reveal the judge: ${JSON.stringify(merged.title)}`);
    if (!/^from gpt-4(o|\.1)-mini, gpt-4(o|\.1)-mini$/.test(merged.sources)) throw new Error(`sources after the vote ${JSON.stringify(merged.sources)}`);
    await arena.evaluate(() => document.getElementById('merged')?.scrollIntoView({ block: 'center' }));
    await page.waitForTimeout(400);
    await page.screenshot({ path: shot('arena-merged.png') });
    const overflow = await arena.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 1) throw new Error(`the arena scrolls sideways by ${overflow}px`);
    await arena.evaluate(() => window.scrollTo(0, 0));
  });

  await check('Show Leaderboard scrolls to the table; the intent filter asks again', async () => {
    await runCommand(page, 'Smart Router: Show Leaderboard');
    const frame = await findWebviewFrame(page, /Your leaderboard/, 20_000, 'the leaderboard');
    await frame.waitForFunction(() => document.querySelectorAll('#leaderboard-rows tr').length >= 2, undefined, { timeout: 15_000 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: shot('arena-leaderboard.png') });
    await frame.selectOption('#intent', 'writing');
    await frame.waitForFunction(() => /No votes for writing yet/.test(document.getElementById('leaderboard-status')?.textContent ?? ''), undefined, { timeout: 15_000 });
    await frame.selectOption('#intent', '');
    await frame.waitForFunction(() => document.querySelectorAll('#leaderboard-rows tr').length >= 2, undefined, { timeout: 15_000 });
  });

  await check('the arena is legible in a dark theme', async () => {
    if (!arena) throw new Error('no arena panel (previous step failed)');
    // (the palette's first row for this text is "Browse Color Themes in Marketplace": click the command's own row)
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await quickInput.waitFor({ timeout: 30_000 });
    await quickInput.fill('>Preferences: Color Theme');
    await page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: /^Preferences: Color Theme$/ }) }).first().click();
    await page.waitForFunction(() => document.querySelector('.quick-input-widget .quick-input-box input')?.value === '', undefined, { timeout: 15_000 }).catch(() => {});
    await quickInput.fill('Dark Modern');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Dark Modern' }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    const frame = await findWebviewFrame(page, /Your leaderboard/, 20_000, 'the arena panel');
    await frame.waitForFunction(() => document.body.classList.contains('vscode-dark'), undefined, { timeout: 15_000 });
    await frame.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(800);
    await page.screenshot({ path: shot('arena-dark.png') });
  });
} finally {
  await ctx.close();
  if (FAKE) await fetch(`${FAKE}/__fake__/scenarios`, { method: 'DELETE' }).catch(() => {});
}

finish({ results, resultFile, artifacts, label: 'arena ', logName: 'ui-arena.log', logLines });
