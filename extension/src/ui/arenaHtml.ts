/**
 * The arena webview's page, in the shared shell (ui/webviewHtml.ts: the strict
 * Content-Security-Policy, the stylesheet and the bundled script, media/src/arena.ts): the two
 * sections, the battle and the leaderboard with its intent filter. Columns and rows are built
 * by the script.
 *
 * Pure module: unit-tested in plain Node.
 */
import { webviewHtml, type WebviewHtmlParts } from './webviewHtml';
import { INTENTS } from './arenaState';

function intentOption(intent: string): string {
  const words = intent.replace(/_/g, ' ');
  return `<option value="${intent}">${words.charAt(0).toUpperCase()}${words.slice(1)}</option>`;
}

export function arenaHtml(parts: WebviewHtmlParts): string {
  return webviewHtml(
    parts,
    'Smart Router Arena',
    `  <section id="battle" aria-label="Battle">
    <p id="empty" class="empty">Run <strong>Smart Router: Arena</strong> to let several models answer the same prompt side by side.</p>
    <header id="head" class="head" hidden>
      <div class="prompt" id="prompt"></div>
      <div class="summary-line">
        <span id="summary" class="summary"></span>
        <span class="spacer"></span>
        <button id="stop" type="button" class="secondary" title="Stop every contestant; the answers so far are judged">Stop</button>
      </div>
      <div id="dropped" class="dropped" hidden></div>
      <div id="battle-error" class="error" role="alert" hidden></div>
    </header>
    <div id="pick" class="pick-banner" role="status" hidden></div>
    <div id="columns" class="columns" aria-live="polite"></div>
    <div id="votes" class="votes" role="group" aria-label="Your vote" hidden>
      <span class="votes-title">Which answer is better?</span>
      <span id="vote-buttons" class="vote-buttons"></span>
      <span id="vote-status" class="vote-status" role="status"></span>
    </div>
    <section id="merged" class="merged" aria-label="Merged answer" aria-live="polite" hidden></section>
  </section>
  <section id="leaderboard" class="leaderboard" aria-labelledby="leaderboard-title">
    <div class="leaderboard-head">
      <h2 id="leaderboard-title">Your leaderboard</h2>
      <label class="intent-filter">Intent
        <select id="intent">
          <option value="">All intents</option>
          ${INTENTS.map(intentOption).join('\n          ')}
        </select>
      </label>
    </div>
    <p id="leaderboard-status" class="status" role="status"></p>
    <table id="leaderboard-table" hidden>
      <thead>
        <tr>
          <th scope="col" class="num">#</th>
          <th scope="col">Model</th>
          <th scope="col" class="num">Rating</th>
          <th scope="col">95 % interval</th>
          <th scope="col" class="num">Battles</th>
          <th scope="col" class="num" title="Wins / losses / ties">W / L / T</th>
        </tr>
      </thead>
      <tbody id="leaderboard-rows"></tbody>
    </table>
  </section>`,
  );
}
