import * as assert from 'node:assert/strict';
import { createRenderer } from '../../media/src/markdown';

const render = createRenderer();

describe('markdown rendering of model output', () => {
  it('renders ordinary Markdown', () => {
    const html = render('# Title\n\nSome **bold** and `code`.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n');
    assert.match(html, /<h1>Title<\/h1>/);
    assert.match(html, /<strong>bold<\/strong>/);
    assert.match(html, /<code>code<\/code>/);
    assert.match(html, /<table>/);
  });

  it('escapes raw HTML instead of injecting it', () => {
    for (const attack of [
      '<script>alert(1)</script>',
      '<img src=x onerror="alert(1)">',
      'text <iframe src="https://evil.example"></iframe>',
      '<div onclick="alert(1)">click</div>',
      '<style>body{display:none}</style>',
    ]) {
      const html = render(attack);
      assert.doesNotMatch(html, /<(script|img|iframe|div|style)\b/i, html);
      assert.match(html, /&lt;/, html);
    }
  });

  it('drops dangerous link targets', () => {
    for (const attack of ['[x](javascript:alert(1))', '[x](vbscript:msgbox(1))', '[x](data:text/html;base64,PHNjcmlwdD4=)', '<javascript:alert(1)>']) {
      const html = render(attack);
      assert.doesNotMatch(html, /href="(javascript|vbscript|data):/i, html);
    }
  });

  it('cannot break out of attributes', () => {
    const html = render('[x](https://example.com/"onmouseover="alert(1))');
    assert.doesNotMatch(html, /"\s*onmouseover=/i, html);
  });

  it('marks links and keeps safe ones', () => {
    const html = render('[docs](https://example.com/a?b=1&c=2)');
    assert.match(html, /<a href="https:\/\/example\.com\/a\?b=1&amp;c=2" title="https:\/\/example\.com\/a\?b=1&amp;c=2" rel="noopener noreferrer">docs<\/a>/);
  });

  it('gives fenced code blocks a language label and a copy button, with the code escaped', () => {
    const html = render('```ts\nconst a = "<b>" && 1 < 2;\n```\n');
    assert.match(html, /<div class="code-block">/);
    assert.match(html, /<span class="code-lang">ts<\/span>/);
    assert.match(html, /<button type="button" class="copy-code"[^>]*>Copy<\/button>/);
    assert.match(html, /<code class="language-ts">const a = &quot;&lt;b&gt;&quot; &amp;&amp; 1 &lt; 2;\n<\/code>/);
  });

  it('escapes a hostile language tag', () => {
    const html = render('```"><script>alert(1)</script>\nx\n```\n');
    assert.doesNotMatch(html, /<script/i);
  });

  it('gives indented code blocks a copy button too', () => {
    const html = render('Text:\n\n    indented code\n');
    assert.match(html, /class="copy-code"/);
    assert.match(html, /<code>indented code\n<\/code>/);
  });

  it('renders an unfinished stream (open fence) without throwing', () => {
    const html = render('Here you go:\n\n```python\ndef f(');
    assert.match(html, /<code class="language-python">def f\(/);
  });
});
