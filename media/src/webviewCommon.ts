/**
 * Helpers shared by the webview scripts (chat.ts, arena.ts, usage.ts): the VS Code API, the
 * page's elements, new elements, the throttled render and the copy buttons of code blocks.
 */
import { Timing } from '../../extension/src/common/constants';

/** What a webview may send to the extension. */
export interface VsCodeApi<Message> {
  postMessage(message: Message): void;
}
declare function acquireVsCodeApi(): VsCodeApi<unknown>;

/** The webview's API (VS Code allows one call a page). */
export function vsCodeApi<Message>(): VsCodeApi<Message> {
  return acquireVsCodeApi();
}

/** The element of the page's HTML with `id`, of the given type. */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const node = document.getElementById(id);
  if (!(node instanceof type)) {
    throw new Error(`#${id} missing from the webview's HTML`);
  }
  return node;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = '', text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className !== '') {
    node.className = className;
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

/**
 * A function that renders soon: at once if the last render is old enough, else at the next
 * ~20 fps tick; calls while a render is pending do nothing more.
 */
export function throttledRender(render: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = 0;
  return () => {
    if (timer !== undefined) {
      return;
    }
    const wait = Math.max(0, Timing.RENDER_INTERVAL_MS - (Date.now() - last));
    timer = setTimeout(() => {
      timer = undefined;
      last = Date.now();
      render();
    }, wait);
  };
}

/** Copy buttons of code blocks (rendered by markdown.ts) in `container`, one delegated listener. */
export function onCopyCode(container: HTMLElement, copy: (text: string) => void): void {
  container.addEventListener('click', (event) => {
    const target = event.target;
    if (!(target instanceof HTMLElement) || !target.classList.contains('copy-code')) {
      return;
    }
    const text = target.closest('.code-block')?.querySelector('code')?.textContent;
    if (text === undefined) {
      return;
    }
    copy(text);
    target.textContent = 'Copied';
    setTimeout(() => {
      target.textContent = 'Copy';
    }, 1500);
  });
}
