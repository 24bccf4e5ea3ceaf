/**
 * The chat webview's script (bundled by esbuild to media/dist/chat.js).
 *
 * It keeps a copy of the transcript that the extension owns: `reset` replaces it, `action`
 * applies the same pure reducer the extension uses. Rendering is throttled (about 20 fps)
 * and only touches entries that changed; streamed Markdown is re-rendered as a whole.
 * Everything that does not come from the Markdown renderer is set with `textContent`.
 * The session bar and model picker are in chatSessions.ts, an answer's context, cache badge
 * and fork action in chatContext.ts.
 */
import { formatUsd, resultFooter, routedLine } from '../../extension/src/common/format';
import type { FromWebview, ToWebview } from '../../extension/src/ui/chatMessages';
import { restoredFooter, type ContextView } from '../../extension/src/ui/chatSession';
import { isInFlight, reduce, routingSummary, wantsApiKey, type ChatEntry } from '../../extension/src/ui/transcript';
import { renderAnswerActions, renderCached, renderContext } from './chatContext';
import { sessionBar } from './chatSessions';
import { createRenderer } from './markdown';
import { byId, el, onCopyCode, throttledRender, vsCodeApi } from './webviewCommon';

const vscode = vsCodeApi<FromWebview>();
const render = createRenderer();

const transcriptEl = byId('transcript', HTMLElement);
const emptyEl = byId('empty', HTMLElement);
const composer = byId('composer', HTMLFormElement);
const promptEl = byId('prompt', HTMLTextAreaElement);
const stopButton = byId('stop', HTMLButtonElement);
const clearButton = byId('clear', HTMLButtonElement);
const session = sessionBar(vscode);

/** The rendered parts of one entry. */
interface EntryView {
  root: HTMLElement;
  route: HTMLElement;
  routing: HTMLElement;
  context: HTMLDetailsElement;
  reason: HTMLElement;
  cached: HTMLElement;
  markdown: HTMLElement;
  status: HTMLElement;
  error: HTMLElement;
  footer: HTMLElement;
  actions: HTMLElement;
  stop: HTMLButtonElement;
  renderedText: string | undefined;
  /** The context last rendered (re-rendering would close the open list). */
  renderedContext: ContextView | undefined | null;
}

let entries: ChatEntry[] = [];
const views = new Map<string, EntryView>();
/** Entries to re-render; `all` after a reset or clear. */
const dirty = new Set<string>();
let allDirty = false;

function createView(entry: ChatEntry): EntryView {
  const root = el('section', 'entry');
  root.dataset.requestId = entry.requestId;
  const prompt = el('div', 'prompt', entry.prompt);
  const answer = el('div', 'answer');
  const header = el('div', 'route-line');
  const route = el('span', 'route');
  const stop = el('button', 'stop-one secondary', 'Stop');
  stop.type = 'button';
  stop.title = 'Stop this answer';
  stop.addEventListener('click', () => vscode.postMessage({ type: 'stop', requestId: entry.requestId }));
  header.append(route, stop);
  const routing = el('div', 'routing');
  const context = el('details', 'context');
  const reason = el('div', 'reason');
  const cached = el('div', 'cached');
  const markdown = el('div', 'markdown');
  const status = el('div', 'status');
  const error = el('div', 'error');
  error.setAttribute('role', 'alert');
  const footer = el('div', 'footer');
  const actions = el('div', 'answer-actions');
  answer.append(header, routing, context, reason, cached, markdown, status, error, footer, actions);
  root.append(prompt, answer);
  return {
    root,
    route,
    routing,
    context,
    reason,
    cached,
    markdown,
    status,
    error,
    footer,
    actions,
    stop,
    renderedText: undefined,
    renderedContext: null,
  };
}

function show(node: HTMLElement, visible: boolean): void {
  node.hidden = !visible;
}

function updateView(view: EntryView, entry: ChatEntry): void {
  const inFlight = isInFlight(entry);
  view.root.classList.toggle('in-flight', inFlight);
  view.root.dataset.status = entry.status;

  if (entry.model !== null) {
    view.route.textContent =
      // the estimate is only shown until the real cost is known (in the footer)
      inFlight && entry.cached === undefined && entry.estimatedCostUsd !== null && entry.maxCostUsd !== null
        ? routedLine({
            model: entry.model,
            provider: entry.provider ?? '?',
            estimatedCostUsd: entry.estimatedCostUsd,
            maxCostUsd: entry.maxCostUsd,
          })
        : entry.provider !== null
          ? `${entry.model} (${entry.provider})`
          : entry.model;
  } else {
    view.route.textContent = inFlight ? 'Choosing a model…' : '';
  }
  // under the model: intent, complexity, runner-up, savings; then why, in words
  const summary = entry.routing !== undefined ? routingSummary(entry.routing) : '';
  view.routing.textContent = summary;
  show(view.routing, summary !== '');
  if (view.renderedContext !== entry.context) {
    show(view.context, renderContext(view.context, entry.context, vscode));
    view.renderedContext = entry.context;
  }
  show(view.cached, renderCached(view.cached, entry, vscode, () => session.model()));
  view.root.classList.toggle('is-cached', entry.cached !== undefined);
  const why = entry.routing?.explanation ?? entry.reason;
  view.reason.textContent = why ?? '';
  show(view.reason, why !== null && why !== '');
  show(view.stop, inFlight);

  if (view.renderedText !== entry.text) {
    view.markdown.innerHTML = render(entry.text);
    view.renderedText = entry.text;
  }
  show(view.markdown, entry.text !== '');

  const statusText =
    entry.status === 'routing'
      ? 'Waiting for the first token…'
      : entry.status === 'cancelled'
        ? 'Stopped.'
        : '';
  view.status.textContent = statusText;
  view.status.classList.toggle('busy', entry.status === 'routing' || entry.status === 'streaming');
  show(view.status, statusText !== '' || entry.status === 'streaming');

  view.error.replaceChildren();
  if (entry.error !== undefined) {
    view.error.append(el('span', 'error-message', entry.error.message));
    if (wantsApiKey(entry.error)) {
      const button = el('button', 'set-key', 'Set API Key');
      button.type = 'button';
      const provider = entry.error.provider;
      button.addEventListener('click', () => vscode.postMessage({ type: 'setApiKey', provider }));
      view.error.append(button);
    }
  }
  show(view.error, entry.error !== undefined);

  view.footer.textContent =
    entry.result !== undefined
      ? resultFooter(entry.result)
      : entry.restored !== undefined
        ? restoredFooter(entry.model, entry.restored)
        : '';
  view.footer.title =
    entry.result !== undefined && entry.estimatedCostUsd !== null
      ? `Estimated before the call: ${formatUsd(entry.estimatedCostUsd)}`
      : '';
  show(view.footer, view.footer.textContent !== '');
  show(view.actions, renderAnswerActions(view.actions, entry, vscode));
}

function isNearBottom(): boolean {
  const scroller = document.scrollingElement ?? document.documentElement;
  return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
}

function renderNow(): void {
  const stick = isNearBottom();
  const ids = new Set(entries.map((e) => e.requestId));
  for (const [id, view] of views) {
    if (!ids.has(id)) {
      view.root.remove();
      views.delete(id);
    }
  }
  let previous: HTMLElement | null = null;
  for (const entry of entries) {
    let view = views.get(entry.requestId);
    if (view === undefined) {
      view = createView(entry);
      views.set(entry.requestId, view);
      updateView(view, entry);
    } else if (allDirty || dirty.has(entry.requestId)) {
      updateView(view, entry);
    }
    const expectedPosition: ChildNode | null = previous === null ? emptyEl.nextSibling : previous.nextSibling;
    if (expectedPosition !== view.root) {
      transcriptEl.insertBefore(view.root, expectedPosition);
    }
    previous = view.root;
  }
  dirty.clear();
  allDirty = false;
  show(emptyEl, entries.length === 0);
  stopButton.disabled = !entries.some(isInFlight);
  if (stick) {
    window.scrollTo({ top: document.body.scrollHeight });
  }
}

const scheduleRender = throttledRender(renderNow);

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case 'reset':
      entries = message.entries;
      session.update(message.session);
      allDirty = true;
      scheduleRender();
      break;
    case 'session':
      session.update(message.session);
      break;
    case 'action': {
      const next = reduce(entries, message.action);
      if (next !== entries) {
        entries = next;
        if (message.action.type === 'cleared' || message.action.type === 'loaded') {
          allDirty = true;
        } else if (message.action.type === 'routed') {
          dirty.add(message.action.routed.requestId);
        } else if (message.action.type === 'finished') {
          dirty.add(message.action.result.requestId);
        } else {
          dirty.add(message.action.requestId);
        }
        scheduleRender();
      }
      break;
    }
    case 'focusInput':
      promptEl.focus();
      break;
  }
});

function submit(): void {
  const prompt = promptEl.value.trim();
  if (prompt === '') {
    return;
  }
  vscode.postMessage({ type: 'ask', prompt, model: session.model(), noCache: false });
  promptEl.value = '';
}

composer.addEventListener('submit', (event) => {
  event.preventDefault();
  submit();
});

promptEl.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    submit();
  }
});

stopButton.addEventListener('click', () => vscode.postMessage({ type: 'stop', requestId: '*' }));
clearButton.addEventListener('click', () => vscode.postMessage({ type: 'clear' }));

onCopyCode(transcriptEl, (text) => vscode.postMessage({ type: 'copy', text }));

vscode.postMessage({ type: 'ready' });
