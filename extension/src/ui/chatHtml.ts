/**
 * The chat webview's page, in the shared shell (ui/webviewHtml.ts: the strict
 * Content-Security-Policy, the stylesheet and the bundled script): the composer. Everything
 * else is built by `media/src/chat.ts`.
 *
 * Pure module: unit-tested in plain Node.
 */
import { webviewHtml, type WebviewHtmlParts } from './webviewHtml';

export function chatHtml(parts: WebviewHtmlParts): string {
  return webviewHtml(
    parts,
    'Smart Router',
    `  <main id="transcript" aria-live="polite" aria-label="Conversation">
    <p id="empty" class="empty">Ask a question: Smart Router picks the cheapest model that can answer it and shows what it cost.</p>
  </main>
  <form id="composer" class="composer">
    <textarea id="prompt" rows="3" aria-label="Prompt" placeholder="Ask anything (Enter to send, Shift+Enter for a new line)"></textarea>
    <div class="composer-actions">
      <button id="clear" type="button" class="secondary" title="Remove finished answers">Clear</button>
      <button id="stop" type="button" class="secondary" title="Stop the answers in progress" disabled>Stop</button>
      <button id="send" type="submit">Ask</button>
    </div>
  </form>`,
  );
}
