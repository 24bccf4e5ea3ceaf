import * as assert from 'node:assert/strict';
import { chatHtml } from '../../extension/src/ui/chatHtml';
import { contentSecurityPolicy, makeNonce } from '../../extension/src/ui/webviewHtml';

describe('chat webview HTML', () => {
  const parts = {
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    nonce: makeNonce(),
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/dist/chat.js',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/chat.css',
  };

  it('makes fresh, well-formed nonces', () => {
    const a = makeNonce();
    assert.match(a, /^[0-9a-f]{32}$/);
    assert.notEqual(a, makeNonce());
  });

  it('has a strict Content-Security-Policy', () => {
    const csp = contentSecurityPolicy(parts.cspSource, parts.nonce);
    assert.match(csp, /^default-src 'none'/);
    assert.ok(csp.includes(`script-src 'nonce-${parts.nonce}'`));
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    assert.ok(chatHtml(parts).includes('http-equiv="Content-Security-Policy"'));
  });

  it('loads only the bundled script, with the nonce, and the stylesheet', () => {
    const html = chatHtml(parts);
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1);
    assert.ok(scripts[0].includes(`nonce="${parts.nonce}"`));
    assert.ok(scripts[0].includes(`src="${parts.scriptUri}"`));
    assert.ok(html.includes(`href="${parts.styleUri}"`));
    assert.doesNotMatch(html, /\son\w+=/i, 'no inline event handlers');
    assert.doesNotMatch(html, /style="/i, 'no inline styles');
  });

  it('has the transcript and the composer the script expects', () => {
    const html = chatHtml(parts);
    for (const id of ['transcript', 'empty', 'composer', 'prompt', 'stop', 'clear', 'send']) {
      assert.ok(html.includes(`id="${id}"`), id);
    }
  });
});
