/**
 * The arena webview's "Merged answer" section (under the columns): the judge's answer streaming
 * live, its badges, the answers it merged (named as their columns are, so hidden while the battle
 * is blind), copy and insert at cursor; or a line saying why there is no merge.
 * State: extension/src/ui/arenaMerge.ts. Everything but the Markdown is set with `textContent`.
 */
import { formatMicroUsd, formatMs, formatTokens } from '../../extension/src/common/format';
import type { FromArenaWebview } from '../../extension/src/ui/arenaMessages';
import { maskJudge, mergeSources, mergeTitle, type ArenaMergeView, type MergeStatus } from '../../extension/src/ui/arenaMerge';
import { columnTitle, isRevealed, maskNames, type ArenaBattle } from '../../extension/src/ui/arenaState';
import { el } from './webviewCommon';

const STATE_TEXT: Record<MergeStatus, string> = {
  planned: 'waiting for the answers',
  waiting: 'merging the best answers',
  streaming: 'streaming',
  ok: 'done',
  error: 'failed',
  cancelled: 'stopped',
  skipped: 'skipped',
};

function badge(label: string, value: string, title: string): HTMLElement {
  const b = el('span', 'badge');
  b.title = title;
  b.append(el('span', 'badge-label', label), el('span', 'badge-value', value));
  return b;
}

export class MergedSection {
  private readonly card = el('article', 'column merged-answer');
  private readonly title = el('h3', 'column-title');
  private readonly state = el('span', 'column-state');
  private readonly sources = el('div', 'merged-sources');
  private readonly badges = el('div', 'badges');
  private readonly markdown = el('div', 'markdown');
  private readonly error = el('div', 'error');
  private readonly copy: HTMLButtonElement;
  private readonly insert: HTMLButtonElement;
  private readonly skipped = el('p', 'merged-skipped');
  private renderedText: string | undefined;

  constructor(
    private readonly root: HTMLElement,
    post: (message: FromArenaWebview) => void,
    private readonly render: (markdown: string) => string,
  ) {
    const button = (text: string, title: string, type: 'copy' | 'insert'): HTMLButtonElement => {
      const b = el('button', 'secondary', text);
      b.type = 'button';
      b.title = title;
      b.addEventListener('click', () => post({ type, column: 'merged' }));
      return b;
    };
    this.copy = button('Copy', 'Copy the merged answer (Markdown) to the clipboard', 'copy');
    this.insert = button('Insert at cursor', "Insert the merged answer's code (or its text) at the cursor of the editor", 'insert');
    const header = el('header', 'column-head');
    header.append(this.title, el('span', 'spacer'), this.state);
    const footer = el('footer', 'column-foot');
    footer.append(this.copy, this.insert);
    this.error.setAttribute('role', 'alert');
    this.card.append(header, this.sources, this.badges, this.markdown, this.error, footer);
    root.append(this.card, this.skipped);
  }

  /** Draw the battle's merge section; hidden when the battle has none. */
  update(b: ArenaBattle | null): void {
    const m = b?.merge ?? null;
    this.root.hidden = b === null || m === null;
    if (b === null || m === null) {
      return;
    }
    const revealed = isRevealed(b);
    const skipped = m.status === 'skipped';
    this.card.hidden = skipped && m.text === '';
    this.skipped.hidden = !skipped;
    this.skipped.textContent = skipped ? `No merged answer: ${maskJudge(m, maskNames(b, m.skipped ?? ''), revealed)}` : '';
    this.card.dataset.status = m.status;
    this.title.textContent = mergeTitle(m, revealed);
    this.title.title = revealed ? `${m.judge} (${m.provider}) merged the best answers` : 'Hidden until you vote';
    this.state.textContent = STATE_TEXT[m.status];
    this.state.className = `column-state state-${m.status}`;
    const name = (model: string): string => {
      const column = b.columns.find((c) => c.model === model);
      return column === undefined ? (revealed ? model : 'a model') : columnTitle(b, column);
    };
    this.sources.textContent = mergeSources(m, name);
    this.sources.hidden = m.sources.length === 0;
    this.drawBadges(m);
    if (this.renderedText !== m.text) {
      this.markdown.innerHTML = this.render(m.text);
      this.renderedText = m.text;
    }
    const open = m.status === 'waiting' || m.status === 'streaming';
    this.markdown.classList.toggle('busy', open);
    this.markdown.hidden = m.text === '' && !open;
    this.error.textContent = m.error === null ? '' : maskJudge(m, maskNames(b, m.error.message), revealed);
    this.error.hidden = m.error === null;
    this.copy.disabled = m.text === '';
    this.insert.disabled = m.text === '';
  }

  /** The heading as shown, '' when the section is hidden (for the `rendered` summary). */
  heading(): string {
    return this.root.hidden || this.card.hidden ? '' : this.title.textContent;
  }

  private drawBadges(m: ArenaMergeView): void {
    this.badges.replaceChildren();
    const r = m.result;
    if (r !== null) {
      this.badges.append(
        badge('TTFT', formatMs(r.ttftMs), 'Time to the first token of the merged answer'),
        badge('Total', formatMs(r.totalMs), 'Time to the whole merged answer'),
        badge('Tokens', `${formatTokens(r.inputTokens)} → ${formatTokens(r.outputTokens)}`, 'Input (the prompt and the answers) → output tokens'),
        badge('Cost', formatMicroUsd(r.costMicroUsd), 'What the merge cost'),
      );
    }
    this.badges.hidden = r === null;
  }
}
