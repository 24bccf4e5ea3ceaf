/**
 * The chat webview's session bar and model picker: the open conversation's title, the
 * conversation list (title, when, last model, cost; open, rename, delete) that drops down
 * under the bar, New chat, and the model that answers the next question.
 *
 * Everything is set with `textContent`; rename and delete (with its confirmation) are done by
 * the extension, which owns the list.
 */
import { conversationLine, type SessionView } from '../../extension/src/ui/chatSession';
import type { FromWebview } from '../../extension/src/ui/chatMessages';
import { byId, el, type VsCodeApi } from './webviewCommon';

export interface SessionBar {
  /** Show a new session view (after `reset` or `session`). */
  update(session: SessionView): void;
  /** The model picked for the next ask (null: Auto). */
  model(): string | null;
}

export function sessionBar(vscode: VsCodeApi<FromWebview>): SessionBar {
  const toggle = byId('conversations-toggle', HTMLButtonElement);
  const titleEl = byId('conversation-title', HTMLElement);
  const newChat = byId('new-chat', HTMLButtonElement);
  const panel = byId('conversations', HTMLElement);
  const list = byId('conversation-list', HTMLUListElement);
  const note = byId('conversations-note', HTMLElement);
  const picker = byId('model', HTMLSelectElement);
  let current: SessionView | undefined;

  function setOpen(open: boolean): void {
    panel.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    toggle.classList.toggle('active', open);
    if (open) {
      vscode.postMessage({ type: 'listConversations' });
    }
  }

  function action(label: string, title: string, send: () => void): HTMLButtonElement {
    const b = el('button', 'conversation-action secondary', label);
    b.type = 'button';
    b.title = title;
    b.addEventListener('click', (event) => {
      event.stopPropagation();
      send();
    });
    return b;
  }

  function renderList(session: SessionView): void {
    const now = Date.now();
    list.replaceChildren(
      ...session.conversations.map((c) => {
        const row = el('li', 'conversation');
        row.dataset.id = c.id;
        row.classList.toggle('current', c.id === session.conversationId);
        const open = el('button', 'conversation-open');
        open.type = 'button';
        open.title = `Open “${c.title}”`;
        open.append(el('span', 'conversation-name', c.title), el('span', 'conversation-meta', conversationLine(c, now)));
        open.addEventListener('click', () => {
          setOpen(false);
          vscode.postMessage({ type: 'openConversation', id: c.id });
        });
        row.append(
          open,
          action('Rename', 'Rename this conversation', () => vscode.postMessage({ type: 'renameConversation', id: c.id })),
          action('Delete', 'Delete this conversation (asks first)', () =>
            vscode.postMessage({ type: 'deleteConversation', id: c.id }),
          ),
        );
        return row;
      }),
    );
    note.textContent =
      session.notice ?? (session.conversations.length === 0 ? 'No conversations yet: ask something to start one.' : '');
    note.hidden = note.textContent === '';
  }

  function renderPicker(session: SessionView): void {
    const choices = session.models.some((m) => m.id === session.model)
      ? session.models
      : [...session.models, { id: session.model, label: session.model ?? '' }];
    picker.replaceChildren(
      ...choices.map((m) => {
        const option = el('option', '', m.label);
        option.value = m.id ?? '';
        return option;
      }),
    );
    picker.value = session.model ?? '';
  }

  toggle.addEventListener('click', () => setOpen(panel.hidden));
  newChat.addEventListener('click', () => {
    setOpen(false);
    vscode.postMessage({ type: 'newChat' });
  });
  picker.addEventListener('change', () => {
    vscode.postMessage({ type: 'setModel', model: picker.value === '' ? null : picker.value });
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !panel.hidden) {
      setOpen(false);
      toggle.focus();
    }
  });

  return {
    update(session) {
      current = session;
      titleEl.textContent = session.conversationId === null ? 'New chat' : (session.title ?? 'Conversation');
      titleEl.title = titleEl.textContent;
      renderList(session);
      renderPicker(session);
    },
    model() {
      return current === undefined || picker.value === '' ? null : picker.value;
    },
  };
}
