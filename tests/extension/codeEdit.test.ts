import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Commands } from '../../extension/src/common/constants';
import {
  ACTION_TITLES,
  applyPlan,
  buildPrompt,
  extractCode,
  fencedBlocks,
  parseCodeActionArgs,
  planEdit,
  reindent,
  relocate,
} from '../../extension/src/common/codeEdit';

describe('the code action argument', () => {
  const valid = {
    intent: 'debugging',
    uri: 'file:///w/calc.py',
    range: { start: { line: 3, character: 0 }, end: { line: 3, character: 26 } },
    languageId: 'python',
    diagnostics: ['line 4: division by zero', 7],
  };

  it('is read as the server sends it, non-strings dropped from the diagnostics', () => {
    assert.deepEqual(parseCodeActionArgs(valid), { ...valid, diagnostics: ['line 4: division by zero'] });
  });

  it('is refused with an unknown intent, no uri or a bad range', () => {
    assert.equal(parseCodeActionArgs({ ...valid, intent: 'general' }), undefined);
    assert.equal(parseCodeActionArgs({ ...valid, uri: '' }), undefined);
    assert.equal(parseCodeActionArgs({ ...valid, range: { start: { line: -1, character: 0 }, end: valid.range.end } }), undefined);
    assert.equal(parseCodeActionArgs({ ...valid, range: { start: { line: 1.5, character: 0 }, end: valid.range.end } }), undefined);
    assert.equal(parseCodeActionArgs(undefined), undefined);
    assert.equal(parseCodeActionArgs('debugging'), undefined);
  });

  it('has no language when the server knows none', () => {
    assert.equal(parseCodeActionArgs({ ...valid, languageId: '' })?.languageId, null);
    assert.equal(parseCodeActionArgs({ ...valid, languageId: undefined })?.languageId, null);
  });
});

describe('code taken from an answer', () => {
  it('finds ``` and ~~~ blocks with their language, and an unclosed last block', () => {
    const md = 'Text\n```Python title\nx = 1\n```\n\n~~~\nplain\n~~~\n```ts\nlet a = 1;';
    assert.deepEqual(fencedBlocks(md), [
      { lang: 'python', code: 'x = 1' },
      { lang: '', code: 'plain' },
      { lang: 'ts', code: 'let a = 1;' },
    ]);
  });

  it('keeps shorter fences inside a longer one', () => {
    assert.deepEqual(fencedBlocks('````md\n```py\nx\n```\n````'), [{ lang: 'md', code: '```py\nx\n```' }]);
  });

  it('takes the largest block in the file\'s language, not a larger one in another', () => {
    const answer = [
      'The bug:',
      '```python',
      'return sum(xs) / len(xs)',
      '```',
      'Fixed:',
      '```py',
      'if not xs:',
      '    return 0.0',
      'return sum(xs) / len(xs)',
      '```',
      'Run it with:',
      '```bash',
      'python -m pytest --verbose --capture=no tests/ && echo all good',
      '```',
    ].join('\n');
    assert.equal(extractCode(answer, 'python'), 'if not xs:\n    return 0.0\nreturn sum(xs) / len(xs)');
  });

  it('falls back to the largest block when none is in the language', () => {
    assert.equal(extractCode('```\na\n```\n```text\nlonger\n```', 'python'), 'longer');
    assert.equal(extractCode('```jsx\n<A/>\n```', 'javascriptreact'), '<A/>');
  });

  it('takes a whole answer that is code, and refuses one that is prose', () => {
    assert.equal(extractCode('\ndef f(x):\n    return x * 2\n\n', 'python'), 'def f(x):\n    return x * 2');
    assert.equal(extractCode('The function divides by the length of an empty list.', 'python'), undefined);
    assert.equal(extractCode('', 'python'), undefined);
    assert.equal(extractCode('```python\n   \n```', 'python'), undefined);
  });
});

describe('the prompt of a code action', () => {
  const base = {
    languageId: 'python',
    fileName: 'calc.py',
    startLine: 0,
    endLine: 1,
    code: 'def mean(xs):\n    return sum(xs) / len(xs)\n',
    diagnostics: [] as string[],
  };

  it('asks for a fix with the errors and one replacing block', () => {
    const p = buildPrompt({ ...base, intent: 'debugging', diagnostics: ['line 2: ZeroDivisionError'] });
    assert.match(p, /^Fix the problems in this python code from calc\.py \(lines 1-2\)\./);
    assert.match(p, /Problems reported there:\n- line 2: ZeroDivisionError/);
    assert.ok(p.includes('```python\ndef mean(xs):\n    return sum(xs) / len(xs)\n```'), p);
    assert.match(p, /one ```python block that replaces the code above as a whole/);
  });

  it('words each intent for what it wants', () => {
    assert.match(buildPrompt({ ...base, intent: 'code_explanation' }), /^Explain what this python code/);
    assert.match(buildPrompt({ ...base, intent: 'refactoring' }), /^Refactor .*without changing what it does/);
    assert.match(buildPrompt({ ...base, intent: 'documentation' }), /^Document .*docstrings/);
    assert.match(buildPrompt({ ...base, intent: 'test_generation' }), /appended to the end of calc\.py/);
    assert.match(buildPrompt({ ...base, intent: 'debugging', startLine: 4, endLine: 4 }), /\(line 5\)/);
  });

  it('fences code that holds backticks with a longer fence', () => {
    const p = buildPrompt({ ...base, intent: 'code_explanation', languageId: 'markdown', code: '```js\nx\n```' });
    assert.ok(p.includes('````markdown\n```js\nx\n```\n````'), p);
  });
});

describe('the edit an answer becomes', () => {
  const doc = 'class Stats:\n    def mean(self, xs):\n        return sum(xs) / len(xs)\n\nprint(1)\n';
  const start = doc.indexOf('    def mean');
  const end = doc.indexOf('\n\nprint') + 1;
  const fixed = 'def mean(self, xs):\n    if not xs:\n        return 0.0\n    return sum(xs) / len(xs)';

  it('replaces whole selected lines, re-indented to where they sit, keeping the final newline', () => {
    const plan = planEdit('debugging', doc, start, end, fixed);
    assert.deepEqual([plan.start, plan.end], [start, end]);
    assert.equal(
      applyPlan(doc, plan),
      'class Stats:\n    def mean(self, xs):\n        if not xs:\n            return 0.0\n        return sum(xs) / len(xs)\n\nprint(1)\n',
    );
  });

  it('keeps the indentation before a selection that starts after it', () => {
    const s = doc.indexOf('def mean');
    const e = doc.indexOf('len(xs)') + 'len(xs)'.length;
    const plan = planEdit('refactoring', doc, s, e, '    ' + fixed.replace(/\n/g, '\n    '));
    assert.equal(
      applyPlan(doc, plan),
      'class Stats:\n    def mean(self, xs):\n        if not xs:\n            return 0.0\n        return sum(xs) / len(xs)\n\nprint(1)\n',
    );
  });

  it('replaces part of a line in place', () => {
    const line = 'total = a+b  # sum\n';
    const plan = planEdit('refactoring', line, 8, 11, 'a + b\n');
    assert.equal(applyPlan(line, plan), 'total = a + b  # sum\n');
  });

  it('uses the document\'s CRLF line endings', () => {
    const crlf = doc.replace(/\n/g, '\r\n');
    const plan = planEdit('documentation', crlf, crlf.indexOf('    def'), crlf.indexOf('\r\n\r\nprint') + 2, fixed);
    assert.ok(!/[^\r]\n/.test(plan.text), JSON.stringify(plan.text));
    assert.ok(plan.text.endsWith('\r\n'));
  });

  it('appends tests at the end of the file, after a blank line', () => {
    const plan = planEdit('test_generation', 'x = 1', 0, 5, '\ndef test_x():\n    assert x == 1\n\n');
    assert.equal(applyPlan('x = 1', plan), 'x = 1\n\ndef test_x():\n    assert x == 1\n');
    const plan2 = planEdit('test_generation', 'x = 1\n', 0, 5, 'def test_x(): pass');
    assert.equal(applyPlan('x = 1\n', plan2), 'x = 1\n\ndef test_x(): pass\n');
  });

  it('re-indents: common indentation out, the new one in, blank lines empty', () => {
    assert.equal(reindent('    a\n\n      b', '\t', false), '\ta\n\n\t  b');
    assert.equal(reindent('  a\n  b', '  ', true), 'a\n  b');
  });

  it('finds the old code again after the document changed, nearest to where it was', () => {
    const now = 'import os\n' + 'x = 1\n' + 'y = 2\n' + 'x = 1\n';
    assert.equal(relocate(now, 'x = 1\n', 0), 10);
    assert.equal(relocate(now, 'x = 1\n', 20), 22);
    assert.equal(relocate(now, 'z = 3\n', 0), undefined);
    assert.equal(relocate(now, '', 0), undefined);
  });
});

describe('the server and the extension agree on the code actions', () => {
  const source = fs.readFileSync(path.resolve(__dirname, '../../server/smart_router/code_actions.py'), 'utf8');

  it('names the same command and offers the same intents', () => {
    assert.match(source, new RegExp(`^COMMAND = "${Commands.CODE_ACTION.replace('.', '\\.')}"$`, 'm'));
    const intents = [...source.matchAll(/ActionSpec\(\s*"(\w+)"/g)].map((m) => m[1]).sort();
    assert.deepEqual(intents, Object.keys(ACTION_TITLES).sort());
    for (const intent of intents) {
      assert.ok(parseCodeActionArgs({ intent, uri: 'file:///x', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } }));
    }
  });
});
