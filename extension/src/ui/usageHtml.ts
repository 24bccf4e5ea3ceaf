/**
 * The usage dashboard's HTML shell: the chat's strict Content-Security-Policy (no inline code,
 * scripts only with the nonce, styles only from the extension's media/ folder), the
 * stylesheet, the bundled script (media/src/usage.ts, with Chart.js inside: no CDN, works
 * offline) and the toolbar. The sections are built by the script.
 *
 * Pure module: unit-tested in plain Node.
 */
import { contentSecurityPolicy } from './chatHtml';
import { DEFAULT_RANGE, RANGES } from './usageMessages';

export interface UsageHtmlParts {
  /** `webview.cspSource` */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function usageHtml(parts: UsageHtmlParts): string {
  const csp = escapeAttribute(contentSecurityPolicy(parts.cspSource, parts.nonce));
  const ranges = RANGES.map(
    (days) =>
      `<button type="button" class="range" data-days="${days}" aria-pressed="${days === DEFAULT_RANGE}">${days} days</button>`,
  ).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${escapeAttribute(parts.styleUri)}">
  <title>Smart Router Usage</title>
</head>
<body>
  <header class="toolbar">
    <h1>Usage</h1>
    <div class="ranges" role="group" aria-label="Range">${ranges}</div>
    <span class="spacer"></span>
    <button id="refresh" type="button" class="secondary" title="Read the ledger again">Refresh</button>
    <button id="set-budget" type="button">Set Budget</button>
  </header>
  <p id="status" class="status" role="status">Reading the ledger…</p>
  <main id="dashboard" hidden></main>
  <script nonce="${escapeAttribute(parts.nonce)}" src="${escapeAttribute(parts.scriptUri)}"></script>
</body>
</html>`;
}
