/**
 * Markdown rendering for model output in the chat webview.
 *
 * Model output is untrusted: `html: false` makes markdown-it escape every raw HTML tag, its
 * link validation drops `javascript:`/`vbscript:`/`file:` and non-image `data:` URLs, and the
 * webview's Content-Security-Policy blocks inline scripts and remote images on top. Code
 * blocks get a toolbar with the language and a copy button (handled in chat.ts).
 *
 * No DOM use here: unit-tested in plain Node.
 */
import MarkdownIt from 'markdown-it';

export type Render = (markdown: string) => string;

export function createRenderer(): Render {
  const md = new MarkdownIt({ html: false, linkify: true, breaks: false, typographer: false });
  const { escapeHtml, unescapeAll } = md.utils;

  const codeBlock = (content: string, info: string): string => {
    const lang = unescapeAll(info).trim().split(/\s+/)[0] ?? '';
    const langClass = lang === '' ? '' : ` class="language-${escapeHtml(lang)}"`;
    return (
      '<div class="code-block">' +
      '<div class="code-toolbar">' +
      `<span class="code-lang">${escapeHtml(lang)}</span>` +
      '<button type="button" class="copy-code" title="Copy to the clipboard">Copy</button>' +
      '</div>' +
      `<pre><code${langClass}>${escapeHtml(content)}</code></pre>` +
      '</div>\n'
    );
  };
  md.renderer.rules.fence = (tokens, idx) => codeBlock(tokens[idx].content, tokens[idx].info);
  md.renderer.rules.code_block = (tokens, idx) => codeBlock(tokens[idx].content, '');

  // Links open outside VS Code's webview; say where they go.
  md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
    const token = tokens[idx];
    const href = token.attrGet('href');
    if (href !== null && token.attrGet('title') === null) {
      token.attrSet('title', href);
    }
    token.attrSet('rel', 'noopener noreferrer');
    return self.renderToken(tokens, idx, options);
  };

  return (markdown) => md.render(markdown);
}
