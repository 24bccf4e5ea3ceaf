/**
 * The arena webview's script (bundled by esbuild to media/dist/arena.js).
 *
 * It keeps a copy of the battle the extension owns: `reset` replaces it, `action` applies the
 * same pure reducer (extension/src/ui/arenaState.ts). Rendering is throttled (about 20 fps);
 * a column's Markdown is re-rendered only when its text changed. Everything that does not come
 * from the Markdown renderer is set with `textContent`. After each render it tells the
 * extension what it shows (`rendered`), for tests in a real VS Code.
 */
import { Timing } from '../../extension/src/common/constants';
import { formatMicroUsd, formatMs, formatTokens, formatUsd } from '../../extension/src/common/format';
import {
  EMPTY_LEADERBOARD,
  type ArenaSection,
  type FromArenaWebview,
  type LeaderboardView,
  type RenderedArena,
  type ToArenaWebview,
} from '../../extension/src/ui/arenaMessages';
import {
  battleSummary,
  canVote,
  columnTitle,
  isRevealed,
  isRunning,
  maskNames,
  pickedColumn,
  reduceBattle,
  sameChoice,
  type ArenaBattle,
  type ArenaColumn,
  type VoteChoice,
} from '../../extension/src/ui/arenaState';
import { renderLeaderboard } from './arenaLeaderboard';
import { MergedSection } from './arenaMerged';
import { createRenderer } from './markdown';
import { byId, el, onCopyCode, throttledRender, vsCodeApi } from './webviewCommon';

const vscode = vsCodeApi<FromArenaWebview>();
const render = createRenderer();

const emptyEl = byId('empty', HTMLElement);
const headEl = byId('head', HTMLElement);
const promptEl = byId('prompt', HTMLElement);
const summaryEl = byId('summary', HTMLElement);
const stopButton = byId('stop', HTMLButtonElement);
const droppedEl = byId('dropped', HTMLElement);
const battleErrorEl = byId('battle-error', HTMLElement);
const pickEl = byId('pick', HTMLElement);
const columnsEl = byId('columns', HTMLElement);
const votesEl = byId('votes', HTMLElement);
const voteButtonsEl = byId('vote-buttons', HTMLElement);
const voteStatusEl = byId('vote-status', HTMLElement);
const leaderboardEl = byId('leaderboard', HTMLElement);
const intentSelect = byId('intent', HTMLSelectElement);
const merged = new MergedSection(byId('merged', HTMLElement), (m) => vscode.postMessage(m), render);

interface ColumnView {
  root: HTMLElement;
  title: HTMLElement;
  provider: HTMLElement;
  state: HTMLElement;
  badges: HTMLElement;
  markdown: HTMLElement;
  error: HTMLElement;
  copy: HTMLButtonElement;
  insert: HTMLButtonElement;
  best: HTMLButtonElement;
  renderedText: string | undefined;
}

let battle: ArenaBattle | null = null;
let board: LeaderboardView = EMPTY_LEADERBOARD;
let views: ColumnView[] = [];
/** The battle the column views were built for. */
let viewsFor = '';
let lastSummary = '';

function button(text: string, className: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', className, text);
  b.type = 'button';
  b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

function show(node: HTMLElement, visible: boolean): void {
  node.hidden = !visible;
}

function vote(choice: VoteChoice): void {
  vscode.postMessage({ type: 'vote', choice });
}

function createColumn(index: number): ColumnView {
  const root = el('article', 'column');
  root.dataset.index = index.toString();
  const header = el('header', 'column-head');
  const title = el('h3', 'column-title');
  const provider = el('span', 'column-provider');
  const state = el('span', 'column-state');
  header.append(title, provider, el('span', 'spacer'), state);
  const badges = el('div', 'badges');
  const markdown = el('div', 'markdown');
  const error = el('div', 'error');
  error.setAttribute('role', 'alert');
  const footer = el('footer', 'column-foot');
  const copy = button('Copy', 'secondary', 'Copy this answer (Markdown) to the clipboard', () =>
    vscode.postMessage({ type: 'copy', column: index }),
  );
  const insert = button('Insert at cursor', 'secondary', "Insert this answer's code (or its text) at the cursor of the editor", () =>
    vscode.postMessage({ type: 'insert', column: index }),
  );
  const best = button('This one is best', 'best', 'Vote for this answer', () => vote({ kind: 'better', column: index }));
  footer.append(copy, insert, el('span', 'spacer'), best);
  root.append(header, badges, markdown, error, footer);
  columnsEl.append(root);
  return { root, title, provider, state, badges, markdown, error, copy, insert, best, renderedText: undefined };
}

function badge(label: string, value: string, title: string): HTMLElement {
  const b = el('span', 'badge');
  b.title = title;
  b.append(el('span', 'badge-label', label), el('span', 'badge-value', value));
  return b;
}

const STATE_TEXT: Record<ArenaColumn['status'], string> = {
  waiting: 'waiting for the first token',
  streaming: 'streaming',
  ok: 'done',
  error: 'failed',
  cancelled: 'stopped',
};

function updateColumn(view: ColumnView, b: ArenaBattle, c: ArenaColumn, index: number, picked: boolean): void {
  const revealed = isRevealed(b);
  view.root.dataset.status = c.status;
  view.root.classList.toggle('picked', picked);
  view.root.classList.toggle('voted', b.vote !== null && b.vote.winner === c.model);
  view.title.textContent = columnTitle(b, c);
  view.title.title = revealed ? `${c.model} (${c.provider})` : 'Hidden until you vote';
  view.provider.textContent = revealed ? c.provider : '';
  view.state.textContent = picked ? '★ Pick' : STATE_TEXT[c.status];
  view.state.className = `column-state state-${picked ? 'pick' : c.status}`;

  view.badges.replaceChildren();
  const r = c.result;
  if (r !== null) {
    view.badges.append(
      badge('TTFT', formatMs(r.ttftMs), 'Time to the first token'),
      badge('Total', formatMs(r.totalMs), 'Time to the whole answer'),
      badge('Tokens', `${formatTokens(r.inputTokens)} → ${formatTokens(r.outputTokens)}`, 'Input → output tokens'),
      badge('Cost', formatMicroUsd(r.costMicroUsd), 'What this answer cost'),
    );
  }
  const score = b.pick?.scores[c.model];
  if (score !== undefined) {
    view.badges.append(badge('Score', score.toFixed(2), 'Convergence score (agreement, prior strength, relevance), 0-1'));
  }
  show(view.badges, view.badges.childElementCount > 0);

  if (view.renderedText !== c.text) {
    view.markdown.innerHTML = render(c.text);
    view.renderedText = c.text;
  }
  view.markdown.classList.toggle('busy', c.status === 'streaming' || c.status === 'waiting');
  show(view.markdown, c.text !== '' || c.status === 'waiting' || c.status === 'streaming');

  view.error.textContent = c.error === null ? '' : maskNames(b, c.error.message);
  show(view.error, c.error !== null);

  const hasText = c.text !== '';
  view.copy.disabled = !hasText;
  view.insert.disabled = !hasText;
  const many = b.columns.length > 2;
  show(view.best, many && b.battleId !== null && b.phase === 'done' && hasText);
  view.best.disabled = !canVote(b);
  const chosen = sameChoice(b, b.vote, { kind: 'better', column: index });
  view.best.setAttribute('aria-pressed', String(chosen));
  view.best.textContent = chosen ? '✓ Your pick' : 'This one is best';
}

function layoutClass(n: number): string {
  if (n <= 1) {
    return 'cols-1';
  }
  if (n === 2 || n === 3) {
    return `cols-${n}`;
  }
  return n === 4 ? 'cols-2x' : 'cols-3x';
}

function voteButtons(b: ArenaBattle): HTMLButtonElement[] {
  const two = b.columns.length === 2;
  const [left, right] = two ? b.columns.map((c) => columnTitle(b, c)) : ['', ''];
  const choices: [string, string, VoteChoice][] = two
    ? [
        [`◀ ${left} is better`, 'The left answer is better', { kind: 'better', column: 0 }],
        ['Tie', 'Both answers are about as good', { kind: 'tie' }],
        ['Both are bad', 'Neither answer is good', { kind: 'all_bad' }],
        [`${right} is better ▶`, 'The right answer is better', { kind: 'better', column: 1 }],
      ]
    : [['All are bad', 'None of the answers is good', { kind: 'all_bad' }]];
  return choices.map(([text, title, choice]) => {
    const node = button(text, 'vote', title, () => vote(choice));
    node.disabled = !canVote(b);
    node.setAttribute('aria-pressed', String(sameChoice(b, b.vote, choice)));
    return node;
  });
}

function renderBattle(b: ArenaBattle | null): void {
  show(emptyEl, b === null);
  show(headEl, b !== null);
  if (b === null) {
    columnsEl.replaceChildren();
    views = [];
    viewsFor = '';
    show(pickEl, false);
    show(votesEl, false);
    merged.update(null);
    return;
  }
  promptEl.textContent = b.prompt;
  summaryEl.textContent = battleSummary(b, formatUsd, formatMs);
  show(stopButton, isRunning(b));
  stopButton.disabled = b.phase === 'stopping';
  stopButton.textContent = b.phase === 'stopping' ? 'Stopping…' : 'Stop';

  droppedEl.replaceChildren();
  if (b.dropped.length > 0) {
    droppedEl.append(el('span', 'dropped-title', 'Left out: '));
    b.dropped.forEach((d, i) => {
      const item = el('span', 'dropped-item', `${isRevealed(b) ? d.model : 'a model'}: ${maskNames(b, d.reason)}`);
      droppedEl.append(item, document.createTextNode(i < b.dropped.length - 1 ? '; ' : ''));
    });
  }
  show(droppedEl, b.dropped.length > 0);
  battleErrorEl.textContent = b.error?.message ?? '';
  show(battleErrorEl, b.error !== null);

  const key = `${b.requestId}:${b.columns.map((c) => c.model).join(',')}`;
  if (key !== viewsFor) {
    columnsEl.replaceChildren();
    views = b.columns.map((_, i) => createColumn(i));
    viewsFor = key;
  }
  columnsEl.className = `columns ${layoutClass(b.columns.length)}`;
  const picked = pickedColumn(b);
  b.columns.forEach((c, i) => updateColumn(views[i], b, c, i, i === picked));

  pickEl.replaceChildren();
  if (b.pick !== null && picked >= 0) {
    pickEl.append(
      el('span', 'pick-star', '★'),
      el('span', 'pick-title', `Pick: ${columnTitle(b, b.columns[picked])}`),
      el('span', 'pick-reason', maskNames(b, b.pick.reason)),
    );
  } else if (b.phase === 'done') {
    pickEl.append(el('span', 'pick-reason', 'No usable answer to pick.'));
  }
  show(pickEl, pickEl.childElementCount > 0);

  const votable = b.phase === 'done' && b.battleId !== null && b.columns.length >= 2;
  voteButtonsEl.replaceChildren(...(votable ? voteButtons(b) : []));
  voteStatusEl.textContent =
    b.voteError ??
    (b.votePending !== null
      ? 'Recording your vote…'
      : b.vote !== null
        ? 'Vote recorded; vote again to change it.'
        : b.blind
          ? 'Model names are hidden until you vote.'
          : b.columns.length > 2
            ? 'Or pick the best answer in its column.'
            : '');
  voteStatusEl.classList.toggle('failed', b.voteError !== null);
  show(votesEl, votable);
  merged.update(b);
}

function summary(): RenderedArena {
  const b = battle;
  return {
    headers: views.map((v) => v.title.textContent),
    picked: b === null ? -1 : pickedColumn(b),
    reason: pickEl.hidden ? '' : (pickEl.querySelector('.pick-reason')?.textContent ?? ''),
    errors: views.filter((v) => !v.error.hidden).length,
    voteButtons: [...document.querySelectorAll<HTMLButtonElement>('button.vote, button.best')]
      .filter((x) => !x.disabled && !x.hidden)
      .map((x) => x.textContent),
    voted: [...document.querySelectorAll<HTMLButtonElement>('button.vote, button.best')].find(
      (x) => x.getAttribute('aria-pressed') === 'true' && !x.hidden,
    )?.textContent ?? '',
    leaderboardRows: document.querySelectorAll('#leaderboard-rows tr').length,
    merged: merged.heading(),
  };
}

function renderNow(): void {
  renderBattle(battle);
  renderLeaderboard(board, document);
  intentSelect.value = board.intent ?? '';
  const s = summary();
  const text = JSON.stringify(s);
  if (text !== lastSummary) {
    lastSummary = text;
    vscode.postMessage({ type: 'rendered', summary: s });
  }
}

const scheduleRender = throttledRender(renderNow);

function reveal(section: ArenaSection): void {
  const target = section === 'leaderboard' ? leaderboardEl : document.body;
  // jsdom has no scrollIntoView
  if (typeof target.scrollIntoView === 'function') {
    target.scrollIntoView({ block: 'start' });
  }
}

window.addEventListener('message', (event: MessageEvent<ToArenaWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'reset':
      battle = message.battle;
      board = message.leaderboard;
      scheduleRender();
      break;
    case 'action': {
      const next = reduceBattle(battle, message.action);
      if (next !== battle) {
        battle = next;
        scheduleRender();
      }
      break;
    }
    case 'leaderboard':
      board = message.leaderboard;
      scheduleRender();
      break;
    case 'reveal':
      setTimeout(() => reveal(message.section), Timing.RENDER_INTERVAL_MS + 10);
      break;
  }
});

stopButton.addEventListener('click', () => vscode.postMessage({ type: 'stop' }));
intentSelect.addEventListener('change', () =>
  vscode.postMessage({ type: 'leaderboard', intent: intentSelect.value === '' ? null : intentSelect.value }),
);

onCopyCode(columnsEl, (text) => vscode.postMessage({ type: 'copyCode', text }));
onCopyCode(byId('merged', HTMLElement), (text) => vscode.postMessage({ type: 'copyCode', text }));

vscode.postMessage({ type: 'ready' });
