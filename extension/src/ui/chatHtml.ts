/**
 * The chat webview's HTML shell: a strict Content-Security-Policy (no inline code, scripts
 * only with the nonce, styles, fonts and images only from the extension's media/ folder), the
 * stylesheet, the bundled script and the composer. Everything else is built by
 * `media/src/chat.ts`.
 *
 * Pure module: unit-tested in plain Node.
 */
import { randomBytes } from 'crypto';

export interface ChatHtmlParts {
  /** `webview.cspSource` */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

/** A fresh nonce: 32 hex digits from the OS's random source. */
export function makeNonce(): string {
  return randomBytes(16).toString('hex');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function chatHtml(parts: ChatHtmlParts): string {
  const csp = escapeAttribute(contentSecurityPolicy(parts.cspSource, parts.nonce));
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <link rel="stylesheet" href="${escapeAttribute(parts.styleUri)}">
  <title>Smart Router</title>
</head>
<body>
  <main id="transcript" aria-live="polite" aria-label="Conversation">
    <p id="empty" class="empty">Ask a question: Smart Router picks the cheapest model that can answer it and shows what it cost.</p>
  </main>
  <form id="composer" class="composer">
    <textarea id="prompt" rows="3" aria-label="Prompt" placeholder="Ask anything (Enter to send, Shift+Enter for a new line)"></textarea>
    <div class="composer-actions">
      <button id="clear" type="button" class="secondary" title="Remove finished answers">Clear</button>
      <button id="stop" type="button" class="secondary" title="Stop the answers in progress" disabled>Stop</button>
      <button id="send" type="submit">Ask</button>
    </div>
  </form>
  <script nonce="${escapeAttribute(parts.nonce)}" src="${escapeAttribute(parts.scriptUri)}"></script>
</body>
</html>`;
}
