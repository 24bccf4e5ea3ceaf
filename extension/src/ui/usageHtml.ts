/**
 * The usage dashboard's page, in the shared shell (ui/webviewHtml.ts: the strict
 * Content-Security-Policy, the stylesheet and the bundled script, media/src/usage.ts, with
 * Chart.js inside: no CDN, works offline): the toolbar. The sections are built by the script.
 *
 * Pure module: unit-tested in plain Node.
 */
import { webviewHtml, type WebviewHtmlParts } from './webviewHtml';
import { DEFAULT_RANGE, RANGES } from './usageMessages';

export function usageHtml(parts: WebviewHtmlParts): string {
  const ranges = RANGES.map(
    (days) =>
      `<button type="button" class="range" data-days="${days}" aria-pressed="${days === DEFAULT_RANGE}">${days} days</button>`,
  ).join('');
  return webviewHtml(
    parts,
    'Smart Router Usage',
    `  <header class="toolbar">
    <h1>Usage</h1>
    <div class="ranges" role="group" aria-label="Range">${ranges}</div>
    <span class="spacer"></span>
    <button id="refresh" type="button" class="secondary" title="Read the ledger again">Refresh</button>
    <button id="set-budget" type="button">Set Budget</button>
  </header>
  <p id="status" class="status" role="status">Reading the ledger…</p>
  <main id="dashboard" hidden></main>`,
  );
}
