// (A) A person fixes code with Smart Router: open calc.py, select a function, open the light bulb menu
// (Ctrl+.), choose "Fix with Smart Router", see the answer's edit as a diff, click Apply in the
// notification, see the file changed. Then Show Status. Screenshots go to the artifacts folder.
// usage: SR_FAKE_URL=http://127.0.0.1:PORT node ui/codeAction.mjs <port> <workspaceFolder> <artifactsDir> [resultFile]
import fs from 'node:fs';
import path from 'node:path';
import { lap } from '../driver/browser.mjs';
import { checker, finish, openPage, runCommand } from './lib.mjs';

const [port, folder, artifacts, resultFile] = process.argv.slice(2);
const FAKE = (process.env.SR_FAKE_URL || '').replace(/\/+$/, '');
const SOURCE = 'def mean(xs):\n    return sum(xs) / len(xs)\n\n\nprint(mean([]))\n';
const REPLY = 'The list can be empty.\n\n```python\ndef mean(xs):\n    if not xs:\n        return 0.0\n    return sum(xs) / len(xs)\n```\n\nAn empty list now gives 0.0.';
fs.mkdirSync(artifacts, { recursive: true });
fs.writeFileSync(path.join(folder, 'calc.py'), SOURCE);
const shot = (name) => path.join(artifacts, name);
const results = [];

const { ctx, page } = await openPage({ width: 1400, height: 860 });

const check = checker(page, results, artifacts);

/** The text of the editor group's active (non-diff) editor, as rendered. */
const editorText = async () =>
  (await page.locator('.editor-instance .monaco-editor:not(.original-in-monaco-diff-editor) .view-lines').first().innerText())
    .replace(/\u00a0/g, ' '); // the editor renders spaces as no-break spaces

try {
  await check('Fix from the light bulb previews the edit as a diff, and Apply changes the file', async () => {
    if (!FAKE) throw new Error('SR_FAKE_URL is not set');
    const put = await fetch(`${FAKE}/__fake__/scenarios/gpt-4o-mini`, {
      method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reply: REPLY }),
    });
    if (!put.ok) throw new Error(`fake scenario: HTTP ${put.status}`);

    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`, { timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('#workbench\\.parts\\.statusbar .statusbar-item', { hasText: 'today' }).first().waitFor({ timeout: 90_000 });
    lap('workbench and cost meter on screen');

    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill('calc.py');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'calc.py' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-lines', { hasText: 'def mean' }).first().waitFor();
    lap('calc.py open');

    // select the function (lines 1-2) and open the light bulb menu (Quick Fix..., Ctrl+.); the sidecar's
    // actions appear once it has the file, so try again a few times (Escape also drops the selection)
    const row = page.locator('.action-widget .monaco-list-row', { hasText: 'Fix with Smart Router' }).first();
    for (let i = 0; i < 10 && !(await row.isVisible().catch(() => false)); i++) {
      if (i > 0) await page.keyboard.press('Escape');
      await page.locator('.monaco-editor .view-lines', { hasText: 'def mean' }).first().click();
      await page.keyboard.press('Control+Home');
      await page.keyboard.press('Shift+ArrowDown');
      await page.keyboard.press('Shift+ArrowDown');
      await page.keyboard.press('Control+.');
      await row.waitFor({ timeout: 3_000 }).catch(() => {});
    }
    await row.waitFor({ timeout: 5_000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: shot('code-actions.png') });
    lap('light bulb menu with the Smart Router actions; screenshot code-actions.png');
    await row.click();

    const apply = page.locator('.notification-toast .monaco-button', { hasText: /^Apply$/ }).first();
    await apply.waitFor({ timeout: 60_000 }).catch((e) => { throw new Error('no Apply notification: ' + e.message); });
    await page.locator('.monaco-diff-editor').first().waitFor({ timeout: 10_000 });
    await page.locator('.monaco-diff-editor .modified-in-monaco-diff-editor .view-lines', { hasText: 'if not xs' }).first().waitFor({ timeout: 10_000 });
    // the chat shows the model and why before the answer: give the webview a moment to render
    await page.waitForTimeout(800);
    await page.screenshot({ path: shot('fix-diff.png') });
    lap('diff preview with Apply/Discard; screenshot fix-diff.png');

    await apply.click();
    await page.locator('.monaco-diff-editor').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
    await page.locator('.monaco-editor .view-lines', { hasText: 'if not xs' }).first().waitFor({ timeout: 10_000 });
    const text = await editorText();
    if (!/if not xs:/.test(text) || !/return 0\.0/.test(text)) throw new Error(`the editor does not show the fix: ${JSON.stringify(text)}`);
    await page.waitForTimeout(400);
    await page.screenshot({ path: shot('fix-applied.png') });
    lap('fix applied; screenshot fix-applied.png');
  });

  await check('Show Status lists the providers, their health and the embedding model', async () => {
    await runCommand(page, 'Smart Router: Show Status');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Embedding model' }).first().waitFor({ timeout: 20_000 });
    const body = await page.locator('.quick-input-widget').innerText();
    if (!/openai\s*key set/.test(body)) throw new Error(`status list: ${JSON.stringify(body.slice(0, 400))}`);
    await page.waitForTimeout(400);
    await page.screenshot({ path: shot('status.png') });
    // the list filters: the model used above is there with its provider and tier
    await page.keyboard.type('gpt-4o-mini');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'openai · fast' }).first().waitFor({ timeout: 10_000 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: shot('status-filtered.png') });
    lap('screenshots status.png, status-filtered.png');
    await page.keyboard.press('Escape');
  });
} finally {
  await ctx.close();
}

finish({ results, resultFile, artifacts, label: 'code actions: ' });
