/**
 * The leaderboard section of the arena webview: one row per model with its Bradley-Terry
 * rating, the 95 % interval (as numbers and as a bar on a common scale), battles and
 * wins / losses / ties. Text is set with `textContent` only; the bar is placed through the
 * CSS object model (allowed by the webview's Content-Security-Policy).
 */
import { leaderboardCells, type LeaderboardView } from '../../extension/src/ui/arenaMessages';

function cell(doc: Document, text: string, className = ''): HTMLTableCellElement {
  const td = doc.createElement('td');
  td.textContent = text;
  if (className !== '') {
    td.className = className;
  }
  return td;
}

function intentWords(intent: string): string {
  return intent.replace(/_/g, ' ');
}

/** Draw `board` into the page's leaderboard table and status line. */
export function renderLeaderboard(board: LeaderboardView, doc: Document): void {
  const table = doc.getElementById('leaderboard-table');
  const rows = doc.getElementById('leaderboard-rows');
  const status = doc.getElementById('leaderboard-status');
  if (table === null || rows === null || status === null) {
    return;
  }
  const entries = board.entries;
  const low = Math.min(...entries.map((e) => e.ciLow));
  const high = Math.max(...entries.map((e) => e.ciHigh));
  const span = Math.max(1, high - low);
  rows.replaceChildren(
    ...entries.map((e, i) => {
      const c = leaderboardCells(e);
      const tr = doc.createElement('tr');
      const interval = cell(doc, '', 'interval');
      const text = doc.createElement('span');
      text.className = 'interval-text';
      text.textContent = c.interval;
      const bar = doc.createElement('span');
      bar.className = 'ci-bar';
      bar.setAttribute('aria-hidden', 'true');
      const range = doc.createElement('span');
      range.className = 'ci-range';
      range.style.left = `${((e.ciLow - low) / span) * 100}%`;
      range.style.width = `${Math.max(1, ((e.ciHigh - e.ciLow) / span) * 100)}%`;
      const point = doc.createElement('span');
      point.className = 'ci-point';
      point.style.left = `${((e.rating - low) / span) * 100}%`;
      bar.append(range, point);
      interval.append(text, bar);
      tr.append(
        cell(doc, (e.rank ?? i + 1).toString(), 'num'),
        cell(doc, e.model, 'model'),
        cell(doc, c.rating, 'num rating'),
        interval,
        cell(doc, c.battles, 'num'),
        cell(doc, c.record, 'num'),
      );
      return tr;
    }),
  );
  table.hidden = entries.length === 0;
  const scope = board.intent === null ? '' : ` for ${intentWords(board.intent)}`;
  status.classList.toggle('failed', board.error !== null);
  status.textContent =
    board.error ??
    (board.loading && entries.length === 0
      ? 'Reading your votes…'
      : entries.length === 0
        ? `No votes${scope} yet: vote on a battle and the models you compared appear here.`
        : `Ratings from your votes${scope} (Bradley-Terry, as Chatbot Arena computes them; 1000 is average).`);
}
