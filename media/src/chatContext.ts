/**
 * Parts of a chat answer about where it came from: the context that went in (a summary line
 * that expands to the items: label, file and lines as a link, score, reasons), the Cached
 * badge with what it saved and **Ask afresh**, and **Fork from here**.
 *
 * Everything is set with `textContent`; opening a file goes through the extension, which
 * opens only files that the transcript's context names.
 */
import {
  cachedBadge,
  cachedDetail,
  contextModeNote,
  contextSummary,
  itemLocation,
  type ContextView,
} from '../../extension/src/ui/chatSession';
import type { FromWebview } from '../../extension/src/ui/chatMessages';
import type { ChatEntry } from '../../extension/src/ui/transcript';
import { el, type VsCodeApi } from './webviewCommon';

/** Fill `container` (a `<details>`) with the context of an answer; false when there is none to show. */
export function renderContext(container: HTMLDetailsElement, view: ContextView | undefined, vscode: VsCodeApi<FromWebview>): boolean {
  container.replaceChildren();
  if (view === undefined) {
    return false;
  }
  const summary = contextSummary(view);
  if (summary === '') {
    return false;
  }
  const head = el('summary', 'context-summary', summary);
  const modeNote = contextModeNote(view.mode);
  if (modeNote !== null) {
    head.append(el('span', 'context-mode', ` · ${modeNote}`));
  }
  container.append(head);
  if (view.items.length === 0) {
    container.classList.add('no-items');
    return true;
  }
  container.classList.remove('no-items');
  const list = el('ol', 'context-items');
  for (const item of view.items) {
    const li = el('li', 'context-item');
    const top = el('div', 'context-item-head');
    top.append(el('span', 'context-label', item.label));
    const where = itemLocation(item);
    if (where !== null && item.file !== null) {
      const file = item.file;
      const link = el('button', 'context-file link', where);
      link.type = 'button';
      link.title = `Open ${file}${item.startLine !== null ? ` at line ${item.startLine + 1}` : ''}`;
      link.addEventListener('click', () =>
        vscode.postMessage({ type: 'openFile', file, startLine: item.startLine, endLine: item.endLine }),
      );
      top.append(link);
    } else {
      top.append(el('span', 'context-kind', item.kind));
    }
    top.append(el('span', 'context-score', `score ${item.score.toFixed(2)} · ${item.tokens} tokens`));
    li.append(top);
    if (item.reasons.length > 0) {
      li.append(el('div', 'context-reasons', item.reasons.join(' · ')));
    }
    if (item.preview !== '') {
      li.append(el('div', 'context-preview', item.preview));
    }
    list.append(li);
  }
  container.append(list);
  return true;
}

/** Fill `container` with the Cached badge, what it saved, and Ask afresh; false when not cached. */
export function renderCached(container: HTMLElement, entry: ChatEntry, vscode: VsCodeApi<FromWebview>, model: () => string | null): boolean {
  container.replaceChildren();
  const cached = entry.cached;
  if (cached === undefined) {
    return false;
  }
  container.append(el('span', 'badge cached-badge', cachedBadge(cached)));
  container.append(el('span', 'cached-detail', cachedDetail(cached)));
  if (cached.kind === 'semantic' && cached.prompt !== '' && cached.prompt !== entry.prompt) {
    container.append(el('span', 'cached-prompt', `Matched: “${cached.prompt}”`));
  }
  const afresh = el('button', 'ask-afresh secondary', 'Ask afresh');
  afresh.type = 'button';
  afresh.title = 'Ask the model again, skipping the cache';
  afresh.disabled = entry.status !== 'done';
  afresh.addEventListener('click', () =>
    vscode.postMessage({ type: 'ask', prompt: entry.prompt, model: model(), noCache: true }),
  );
  container.append(afresh);
  return true;
}

/** Fill `container` with the answer's actions (Fork from here); false when none applies. */
export function renderAnswerActions(container: HTMLElement, entry: ChatEntry, vscode: VsCodeApi<FromWebview>): boolean {
  container.replaceChildren();
  if (entry.status !== 'done' || entry.conversationId === undefined) {
    return false;
  }
  const fork = el('button', 'fork link', 'Fork from here');
  fork.type = 'button';
  fork.title = 'Start a new conversation with the exchanges up to this answer';
  fork.addEventListener('click', () => vscode.postMessage({ type: 'fork', requestId: entry.requestId }));
  container.append(fork);
  return true;
}
