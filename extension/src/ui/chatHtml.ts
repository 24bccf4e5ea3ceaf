/**
 * The chat webview's page, in the shared shell (ui/webviewHtml.ts: the strict
 * Content-Security-Policy, the stylesheet and the bundled script): the session bar (the
 * conversation list and New chat), the transcript and the composer with the model picker.
 * Everything else is built by `media/src/chat.ts` and `media/src/chatSessions.ts`.
 *
 * Pure module: unit-tested in plain Node.
 */
import { webviewHtml, type WebviewHtmlParts } from './webviewHtml';

export function chatHtml(parts: WebviewHtmlParts): string {
  return webviewHtml(
    parts,
    'Smart Router',
    `  <header id="session-bar" class="session-bar">
    <button id="conversations-toggle" type="button" class="secondary" aria-expanded="false" aria-controls="conversations" title="Your stored conversations">Conversations</button>
    <span id="conversation-title" class="conversation-title">New chat</span>
    <button id="new-chat" type="button" class="secondary" title="Start a new conversation">New chat</button>
  </header>
  <nav id="conversations" class="conversations" aria-label="Conversations" hidden>
    <ul id="conversation-list" class="conversation-list"></ul>
    <p id="conversations-note" class="conversations-note"></p>
  </nav>
  <main id="transcript" aria-live="polite" aria-label="Conversation">
    <p id="empty" class="empty">Ask a question: Smart Router picks the cheapest model that can answer it and shows what it cost.</p>
  </main>
  <form id="composer" class="composer">
    <textarea id="prompt" rows="3" aria-label="Prompt" placeholder="Ask anything (Enter to send, Shift+Enter for a new line)"></textarea>
    <div class="composer-actions">
      <label class="model-picker">Model <select id="model" title="The model that answers the next question"><option value="">Auto (router decides)</option></select></label>
      <button id="clear" type="button" class="secondary" title="Remove finished answers">Clear</button>
      <button id="stop" type="button" class="secondary" title="Stop the answers in progress" disabled>Stop</button>
      <button id="send" type="submit">Ask</button>
    </div>
  </form>`,
  );
}
