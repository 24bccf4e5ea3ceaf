// What the (A) scripts share: the browser page, named checks (a screenshot on failure), running a
// command from the palette, finding a webview's frame, and the result line run.sh reads.
import fs from 'node:fs';
import path from 'node:path';
import { launch, lap } from '../driver/browser.mjs';

/** A browser page (30 s default timeout); with `note`, page errors and console errors go to it. */
export async function openPage({ width = 1280, height = 800 } = {}, note = undefined) {
  const ctx = await launch({ width, height });
  const page = ctx.pages()[0] || (await ctx.newPage());
  page.setDefaultTimeout(30_000);
  if (note) {
    page.on('pageerror', (e) => note('pageerror: ' + e.message));
    page.on('console', (m) => { if (m.type() === 'error') note(`console.error: ${m.text()}`); });
  }
  return { ctx, page };
}

/** `check(name, fn)`: run `fn`, record [name, error|null] in `results`; on failure a screenshot `<prefix><name>-fail.png`. */
export function checker(page, results, artifacts, prefix = '') {
  return async function check(name, fn) {
    const t = Date.now();
    try {
      await fn();
      results.push([name, null]);
      lap(`ok   ${name} (${((Date.now() - t) / 1000).toFixed(1)}s)`);
    } catch (e) {
      results.push([name, e]);
      lap(`FAIL ${name}: ${e.message}`);
      const fail = path.join(artifacts, prefix + name.replace(/\W+/g, '-').toLowerCase().replace(/^-|-$/g, '').slice(0, 60) + '-fail.png');
      await page.screenshot({ path: fail }).catch(() => {});
      console.log(`     screenshot of the failure: ${fail}`);
    }
  };
}

/** Escape, F1, type the command, wait until it is the focused row (the list filters asynchronously), Enter. */
export async function runCommand(page, title) {
  const quickInput = page.locator('.quick-input-widget .quick-input-box input');
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  await quickInput.waitFor({ timeout: 30_000 });
  await quickInput.fill('>' + title);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).first().waitFor({ timeout: 30_000 })
    .catch(async () => {
      const rows = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts().catch(() => []);
      throw new Error(`command "${title}" never became the focused row; rows: ${JSON.stringify(rows.slice(0, 8))}`);
    });
  await page.keyboard.press('Enter');
}

/** The webview frame (not the workbench) whose body text matches `re`. */
export async function findWebviewFrame(page, re, ms, what) {
  const end = Date.now() + ms;
  let seen = [];
  while (Date.now() < end) {
    seen = [];
    for (const f of page.frames()) {
      if (f === page.mainFrame()) continue;
      try {
        const txt = await f.evaluate(() => document.body?.innerText ?? '', undefined);
        seen.push(`${f.url().slice(0, 80)}: ${JSON.stringify(txt.slice(0, 80))}`);
        if (re.test(txt)) return f;
      } catch { /* frame navigating or detached */ }
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`timeout after ${ms / 1000}s waiting for ${what}; frames seen:\n  ${seen.join('\n  ')}`);
}

/**
 * Write "N passed, N failed" (+ a line a check) to `resultFile`, the notes to artifacts/logs/`logName`
 * (when given), print `(A) <label>N passed, N failed` and exit 1 if anything failed.
 */
export function finish({ results, resultFile, artifacts, label, logName = undefined, logLines = [] }) {
  const failed = results.filter(([, e]) => e).length;
  const line = `${results.length - failed} passed, ${failed} failed`;
  if (resultFile) {
    fs.writeFileSync(resultFile, [line, ...results.map(([n, e]) => (e ? `FAIL ${n}: ${e.message}` : `ok   ${n}`))].join('\n') + '\n');
  }
  if (logName) {
    fs.mkdirSync(path.join(artifacts, 'logs'), { recursive: true });
    fs.writeFileSync(path.join(artifacts, 'logs', logName), logLines.join('\n') + '\n');
  }
  console.log(`(A) ${label}${line}`);
  process.exit(failed ? 1 : 0);
}
