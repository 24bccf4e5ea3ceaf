/**
 * A webview script (media/src/<name>.ts), bundled as for the real webview and run in jsdom
 * against its real HTML, with a fake VS Code API that records what the script posts.
 */
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { JSDOM, VirtualConsole } from 'jsdom';
import type { WebviewHtmlParts } from '../../extension/src/ui/webviewHtml';

export interface WebviewPage<FromPage, ToPage> {
  dom: JSDOM;
  doc: Document;
  /** What the script posted, oldest first (copied as by structured clone). */
  posted: FromPage[];
  /** Post `message` to the script as the extension would. */
  send: (message: ToPage) => void;
  /** The errors jsdom reported (expected to stay empty). */
  errors: string[];
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Bundle the page's script now; the returned function opens a fresh page each call. `ignored`:
 * jsdom errors to leave out of `errors` (what jsdom does not implement).
 */
export function webviewLoader<FromPage, ToPage>(
  name: string,
  html: (parts: WebviewHtmlParts) => string,
  ignored?: RegExp,
): () => WebviewPage<FromPage, ToPage> {
  const bundle = buildSync({
    entryPoints: [path.resolve(__dirname, '..', '..', 'media', 'src', `${name}.ts`)],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
  }).outputFiles[0].text;
  return () => {
    const errors: string[] = [];
    const virtualConsole = new VirtualConsole();
    virtualConsole.on('jsdomError', (e) => {
      if (ignored === undefined || !ignored.test(e.message)) {
        errors.push(e.message);
      }
    });
    virtualConsole.on('error', (e: unknown) => errors.push(String(e)));
    const dom = new JSDOM(
      html({ cspSource: 'vscode-resource:', nonce: 'n0nce', scriptUri: `${name}.js`, styleUri: `${name}.css` }),
      { runScripts: 'outside-only', pretendToBeVisual: true, virtualConsole },
    );
    const posted: FromPage[] = [];
    Object.assign(dom.window, {
      acquireVsCodeApi: () => ({ postMessage: (m: FromPage) => posted.push(JSON.parse(JSON.stringify(m)) as FromPage) }),
    });
    dom.window.eval(bundle);
    return {
      dom,
      doc: dom.window.document,
      posted,
      send: (message) => {
        dom.window.dispatchEvent(new dom.window.MessageEvent('message', { data: message }));
      },
      errors,
    };
  };
}
