// (A) Sessions and context in the chat, as a person meets them: open a file of the project, ask about it
// in the chat and see the context that went in (expanded: the file and its lines); ask the same question
// in a new chat and get the Cached badge, then Ask afresh; the conversation list; New chat; reopen the
// first conversation, fork it, switch the model and continue; Clear Context (cached answers); restart the
// server, close the chat and open it again: the conversation is still there. Light and dark screenshots.
// Runs after ui/arena.mjs against the same code-server (or alone with SR_E2E_UI=sessions).
// usage: SR_FAKE_URL=http://127.0.0.1:PORT node ui/sessions.mjs <port> <workspaceFolder> <artifactsDir> [resultFile]
// Prints "N passed, N failed" last; writes the same line (+ details) to resultFile if given.
import fs from 'node:fs';
import path from 'node:path';
import { checker, findWebviewFrame, finish, openPage, runCommand } from './lib.mjs';

const [port, folder, artifacts, resultFile] = process.argv.slice(2);
const QUESTION = 'How does parse_retry_settings choose the backoff for retries?';
const FOLLOW_UP = 'And what is the default retry limit?';
const SOURCE = [
  '"""Retry settings of the scratch project (read by the end-to-end tests of Smart Router)."""',
  '',
  'DEFAULT_RETRY_LIMIT = 5',
  '',
  '',
  'def parse_retry_settings(config: dict) -> tuple[int, float]:',
  '    """The retry limit and the backoff: exponential backoff doubles from backoff_base seconds."""',
  '    limit = int(config.get("retry_limit", DEFAULT_RETRY_LIMIT))',
  '    backoff = float(config.get("backoff_base", 0.5)) * 2 ** min(limit, 6)',
  '    return limit, backoff',
  '',
].join('\n');
fs.mkdirSync(artifacts, { recursive: true });
const shot = (name) => path.join(artifacts, name);
const results = []; // [name, error|null]
const logLines = [];
const note = (t) => { logLines.push(t); };

const { ctx, page } = await openPage({ width: 1280, height: 860 }, note);
const check = checker(page, results, artifacts, 'sessions-');
const CHAT = /New chat/;
let chat;

const entries = (f) => f.evaluate(() => [...document.querySelectorAll('.entry')].map((e) => ({
  status: e.dataset.status,
  route: e.querySelector('.route')?.textContent ?? '',
  prompt: e.querySelector('.prompt')?.textContent ?? '',
  text: e.querySelector('.markdown')?.innerText ?? '',
  context: e.querySelector('.context-summary')?.textContent ?? '',
  cached: e.querySelector('.cached:not([hidden]) .cached-badge')?.textContent ?? '',
  footer: e.querySelector('.footer')?.textContent ?? '',
})));

/** Type in the chat's composer and wait until the new (last) answer is done. */
async function askInChat(f, prompt) {
  const before = (await entries(f)).length;
  await f.locator('#prompt').fill(prompt);
  await f.locator('#prompt').press('Enter');
  await f.waitForFunction((n) => {
    const all = document.querySelectorAll('.entry');
    return all.length > n && all[all.length - 1].dataset.status === 'done' && !!all[all.length - 1].querySelector('.footer:not([hidden])');
  }, before, { timeout: 60_000 }).catch(async (e) => {
    throw new Error(`no finished answer to "${prompt}": ${e.message}; entries ${JSON.stringify(await entries(f).catch(() => []))}`);
  });
  const all = await entries(f);
  note(`asked "${prompt}": ${JSON.stringify(all.at(-1))}`);
  return all.at(-1);
}

async function title(f) {
  return (await f.locator('#conversation-title').innerText()).trim();
}

async function openList(f) {
  if (await f.locator('#conversations').isHidden()) await f.locator('#conversations-toggle').click();
  await f.locator('#conversations').waitFor({ state: 'visible' });
}

async function overflow(f) {
  return f.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

let firstTitle;
try {
  await check('a question about an open file shows the answer and the context that went in', async () => {
    fs.mkdirSync(path.join(folder, 'src'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'src', 'retry_settings.py'), SOURCE);
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`, { timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: /\$\d/ }).first().waitFor({ timeout: 90_000 });
    // open the file: the server stores it as project context (document sync)
    await runCommand(page, 'Go to File');
    await page.keyboard.type('retry_settings.py', { delay: 5 });
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'retry_settings.py' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tab', { hasText: 'retry_settings.py' }).first().waitFor();
    await page.waitForTimeout(1500);

    await runCommand(page, 'Smart Router: Open Chat');
    chat = await findWebviewFrame(page, CHAT, 30_000, 'the chat panel');
    await chat.waitForFunction(() => document.getElementById('conversation-title')?.textContent === 'New chat', undefined, { timeout: 15_000 });
    const answer = await askInChat(chat, QUESTION);
    if (!answer.text.includes(`Answer to: ${QUESTION.slice(0, 40)}`)) throw new Error(`unexpected answer ${JSON.stringify(answer.text)}`);
    if (!/^Context: \d+ items? \([\d,]+ tokens, (embedding|lexical)\)/.test(answer.context)) throw new Error(`context line: ${JSON.stringify(answer.context)}`);
    await chat.locator('.entry .context-summary').last().click();
    const items = await chat.evaluate(() => [...document.querySelectorAll('.entry:last-child .context-item')].map((i) => i.innerText.replace(/\s+/g, ' ')));
    note('context items: ' + JSON.stringify(items));
    if (!items.some((t) => /retry_settings\.py:\d+/.test(t))) throw new Error(`no item links src/retry_settings.py: ${JSON.stringify(items)}`);
    firstTitle = await title(chat);
    if (firstTitle === 'New chat') throw new Error('the new chat did not take the conversation of its first answer');
    if ((await overflow(chat)) > 1) throw new Error('the chat scrolls sideways');
    await page.waitForTimeout(300);
    await page.screenshot({ path: shot('context-items.png') });
  });

  await check('a context item opens its file at its lines', async () => {
    if (!chat) throw new Error('no chat (previous step failed)');
    await runCommand(page, 'View: Close All Editors');
    await page.waitForTimeout(500);
    await runCommand(page, 'Smart Router: Open Chat');
    chat = await findWebviewFrame(page, CHAT, 30_000, 'the chat panel');
    await chat.locator('.entry .context-summary').last().click();
    await chat.locator('.entry .context-file', { hasText: 'retry_settings.py' }).first().click();
    await page.locator('.tab', { hasText: 'retry_settings.py' }).first().waitFor({ timeout: 15_000 });
  });

  await check('the same question in a new chat is answered from the cache, marked, at $0', async () => {
    if (!chat) throw new Error('no chat (previous step failed)');
    chat = await findWebviewFrame(page, CHAT, 30_000, 'the chat panel');
    await chat.locator('#new-chat').click();
    await chat.waitForFunction(() => document.querySelectorAll('.entry').length === 0 && document.getElementById('conversation-title')?.textContent === 'New chat');
    const again = await askInChat(chat, QUESTION);
    if (!/^Cached · (exact|\d+% similar)$/.test(again.cached)) throw new Error(`no Cached badge: ${JSON.stringify(again)}`);
    const detail = await chat.locator('.entry .cached .cached-detail').last().innerText();
    if (!/First answered by gpt-4o-mini on .* · \$0 — saved ~\$0\.\d+/.test(detail)) throw new Error(`cached detail: ${detail}`);
    if (!/from the cache · \$0 · /.test(again.footer)) throw new Error(`a cached answer's footer shows a cost: ${again.footer}`);
    await page.waitForTimeout(300);
    await page.screenshot({ path: shot('cached.png') });
  });

  await check('Ask afresh asks the model again, skipping the cache', async () => {
    await chat.locator('.entry .ask-afresh').last().click();
    await chat.waitForFunction(() => {
      const all = document.querySelectorAll('.entry');
      return all.length === 2 && all[1].dataset.status === 'done' && !!all[1].querySelector('.footer:not([hidden])');
    }, undefined, { timeout: 60_000 });
    const fresh = (await entries(chat)).at(-1);
    note('afresh: ' + JSON.stringify(fresh));
    if (fresh.cached !== '') throw new Error('the fresh answer is marked cached');
    if (!/\$0\.0*[1-9]/.test(fresh.footer)) throw new Error(`the fresh answer cost nothing: ${fresh.footer}`);
  });

  await check('the conversation list shows both conversations with time, model and cost', async () => {
    await openList(chat);
    await chat.waitForFunction(() => document.querySelectorAll('.conversation').length >= 2, undefined, { timeout: 15_000 });
    const rows = await chat.evaluate(() => [...document.querySelectorAll('.conversation')].map((r) => r.innerText.replace(/\s+/g, ' ')));
    note('conversations: ' + JSON.stringify(rows));
    if (!rows.every((r) => /ago|just now/.test(r) && /\$\d/.test(r) && /messages?/.test(r))) throw new Error(`rows lack time/cost/size: ${JSON.stringify(rows)}`);
    if (!rows.some((r) => r.includes('gpt-4o-mini'))) throw new Error('no row names its last model');
    await page.waitForTimeout(300);
    await page.screenshot({ path: shot('sessions-list.png') });
  });

  await check('New chat, then reopening the first conversation loads its messages', async () => {
    await chat.locator('#new-chat').click();
    await chat.waitForFunction(() => document.querySelectorAll('.entry').length === 0);
    await openList(chat);
    // the first conversation is the oldest of this scenario's: the last row with its question
    await chat.locator('.conversation', { hasText: QUESTION.slice(0, 30) }).last().locator('.conversation-open').click();
    await chat.waitForFunction(() => document.querySelectorAll('.entry').length === 1);
    const [restored] = await entries(chat);
    if (restored.prompt !== QUESTION || !restored.text.includes('Answer to:')) throw new Error(`restored ${JSON.stringify(restored)}`);
    if (!/^gpt-4o-mini · \$0\.\d+ · /.test(restored.footer)) throw new Error(`restored footer ${restored.footer}`);
    if ((await title(chat)) !== firstTitle) throw new Error(`title ${await title(chat)} != ${firstTitle}`);
  });

  await check('Fork from here opens the fork; a new model continues it', async () => {
    await chat.locator('.entry .fork').first().click();
    await chat.waitForFunction(() => /fork/.test([...document.querySelectorAll('.conversation.current')].map((r) => r.textContent).join('')), undefined, { timeout: 15_000 })
      .catch(() => { throw new Error('the open conversation is not marked as a fork in the list'); });
    const models = await chat.evaluate(() => [...document.querySelectorAll('#model option')].map((o) => o.value));
    note('model picker: ' + JSON.stringify(models));
    if (models[0] !== '' || !models.includes('gpt-4.1-mini')) throw new Error(`picker ${JSON.stringify(models)}`);
    await chat.selectOption('#model', 'gpt-4.1-mini');
    const next = await askInChat(chat, FOLLOW_UP);
    const all = await entries(chat);
    if (all.length !== 2) throw new Error(`the fork holds ${all.length} exchanges`);
    if (!next.route.startsWith('gpt-4.1-mini')) throw new Error(`the follow-up was answered by ${next.route}`);
    if (!all[0].route.startsWith('gpt-4o-mini')) throw new Error(`the first answer now says ${all[0].route}`);
    await openList(chat);
    await page.waitForTimeout(300);
    await page.screenshot({ path: shot('fork.png') });
    await page.keyboard.press('Escape');
  });

  await check('Clear Context: the scopes with counts, a confirmation, what was removed', async () => {
    await runCommand(page, 'Smart Router: Clear Context');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Cached answers' }).first();
    await row.waitFor({ timeout: 15_000 });
    const rows = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
    note('clear scopes: ' + JSON.stringify(rows));
    if (!rows.some((r) => /Cached answers.*\d+ answers?/s.test(r))) throw new Error(`no counts: ${JSON.stringify(rows)}`);
    await page.locator('.quick-input-widget .quick-input-box input').fill('Cached answers');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Cached answers' }).first().waitFor();
    await page.keyboard.press('Enter');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 15_000 });
    note('confirmation: ' + (await dialog.innerText()).replace(/\s+/g, ' '));
    await dialog.locator('a.monaco-button, button', { hasText: /^Clear$/ }).first().click();
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /Removed \d+ cached answers?/ }).first();
    await toast.waitFor({ timeout: 15_000 });
  });

  await check('after a server restart the first conversation reopens from the list', async () => {
    await runCommand(page, 'Smart Router: Restart Server');
    await page.waitForTimeout(1500);
    await page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: /\$\d/ }).first().waitFor({ timeout: 90_000 });
    chat = await findWebviewFrame(page, CHAT, 30_000, 'the chat panel');
    await openList(chat);
    await chat.waitForFunction(() => document.querySelectorAll('.conversation').length >= 3, undefined, { timeout: 20_000 });
    await chat.locator('.conversation', { hasText: QUESTION.slice(0, 30) }).last().locator('.conversation-open').click();
    await chat.waitForFunction(() => document.querySelectorAll('.entry').length === 1, undefined, { timeout: 15_000 });
    const [restored] = await entries(chat);
    if (restored.prompt !== QUESTION || (await title(chat)) !== firstTitle) throw new Error(`reopened ${JSON.stringify(restored)}`);
  });

  await check('after VS Code reloads, the chat reopens the conversation it had open', async () => {
    // open the fork again: it is what the panel remembers
    await openList(chat);
    await chat.locator('.conversation.current, .conversation', { hasText: 'fork' }).first().locator('.conversation-open').click();
    await chat.waitForFunction(() => document.querySelectorAll('.entry').length === 2, undefined, { timeout: 15_000 });
    const before = await entries(chat);
    await runCommand(page, 'Developer: Reload Window');
    await page.waitForTimeout(3000);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: /\$\d/ }).first().waitFor({ timeout: 90_000 });
    await runCommand(page, 'Smart Router: Open Chat');
    chat = await findWebviewFrame(page, CHAT, 30_000, 'the chat panel');
    await chat.waitForFunction(() => document.querySelectorAll('.entry').length === 2, undefined, { timeout: 20_000 })
      .catch(async () => { throw new Error(`reopened with ${JSON.stringify(await entries(chat))}`); });
    const after = await entries(chat);
    note('after reload: ' + JSON.stringify(after));
    if (after.map((e) => e.prompt).join('|') !== before.map((e) => e.prompt).join('|')) throw new Error(`other messages: ${JSON.stringify(after)}`);
    if (!after[1].route.startsWith('gpt-4.1-mini')) throw new Error(`the model is lost: ${after[1].route}`);
    if ((await chat.locator('#model').inputValue()) !== 'gpt-4.1-mini') throw new Error('the picked model is forgotten');
  });

  await check('sessions are legible in a dark theme', async () => {
    const quickInput = page.locator('.quick-input-widget .quick-input-box input');
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await quickInput.waitFor({ timeout: 30_000 });
    await quickInput.fill('>Preferences: Color Theme');
    await page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: /^Preferences: Color Theme$/ }) }).first().click();
    await page.waitForFunction(() => document.querySelector('.quick-input-widget .quick-input-box input')?.value === '', undefined, { timeout: 15_000 }).catch(() => {});
    await quickInput.fill('Dark Modern');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Dark Modern' }).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    chat = await findWebviewFrame(page, CHAT, 20_000, 'the chat panel');
    await chat.waitForFunction(() => document.body.classList.contains('vscode-dark'), undefined, { timeout: 15_000 });
    await chat.locator('.entry .context-summary').first().click().catch(() => {});
    await openList(chat);
    if ((await overflow(chat)) > 1) throw new Error('the chat scrolls sideways');
    await page.waitForTimeout(800);
    await page.screenshot({ path: shot('sessions-dark.png') });
  });
} finally {
  await ctx.close();
}

finish({ results, resultFile, artifacts, label: 'sessions ', logName: 'ui-sessions.log', logLines });
