import * as assert from 'node:assert/strict';
import type { LogOutputChannel } from 'vscode';
import { ServerLogLines, describeError, redactSecrets, redactingChannel } from '../../extension/src/common/log';

describe('secret redaction', () => {
  it('blanks apiKey values in JSON, however formatted', () => {
    assert.equal(redactSecrets('{"provider":"openai","apiKey":"sk-abc123"}'), '{"provider":"openai","apiKey":"***"}');
    const pretty = JSON.stringify({ provider: 'openai', apiKey: 'sk-"quoted"\\x' }, null, 4);
    const out = redactSecrets(pretty);
    assert.ok(!out.includes('sk-'), out);
    assert.ok(out.includes('"apiKey": "***"'));
    assert.ok(out.includes('"provider": "openai"'));
  });

  it('blanks key=value forms', () => {
    assert.equal(redactSecrets('apiKey=sk-abc, next'), 'apiKey=***, next');
    assert.equal(redactSecrets('api_key: sk-abc'), 'api_key: ***');
  });

  it('blanks Python reprs (the server\'s stderr goes to the same channel)', () => {
    assert.equal(
      redactSecrets("SetApiKeyParams(provider='openai', api_key='sk-a\\'b')"),
      "SetApiKeyParams(provider='openai', api_key='***')",
    );
    assert.equal(redactSecrets("{'provider': 'openai', 'apiKey': 'sk-abc'}"), "{'provider': 'openai', 'apiKey': '***'}");
  });

  it('leaves other text alone', () => {
    assert.equal(redactSecrets('Sending request smartRouter/ask'), 'Sending request smartRouter/ask');
  });

  it('the wrapped channel never passes a key through', () => {
    const written: string[] = [];
    const record = (...args: unknown[]): void => {
      written.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    };
    const fake = {
      name: 'Smart Router',
      logLevel: 1,
      onDidChangeLogLevel: () => ({ dispose: () => undefined }),
      trace: record,
      debug: record,
      info: record,
      warn: record,
      error: record,
      append: record,
      appendLine: record,
      replace: record,
      clear: () => undefined,
      show: () => undefined,
      hide: () => undefined,
      dispose: () => undefined,
    } as unknown as LogOutputChannel;
    const channel = redactingChannel(fake);
    const params = { provider: 'openai', apiKey: 'sk-secret' };
    channel.trace(`Sending request 'smartRouter/setApiKey - (3)'.\nParams: ${JSON.stringify(params, null, 4)}`);
    channel.trace('Params:', params);
    channel.appendLine(JSON.stringify(params));
    channel.info('apiKey: sk-secret');
    assert.equal(written.length, 4);
    for (const line of written) {
      assert.ok(!line.includes('sk-secret'), line);
    }
    assert.equal(channel.name, 'Smart Router');
  });
});

describe('describeError', () => {
  it('describes anything thrown', () => {
    assert.equal(describeError(new Error('boom')), 'boom');
    assert.equal(describeError('text'), 'text');
    assert.equal(describeError({ code: 1 }), '{"code":1}');
  });
});

describe('server stderr lines', () => {
  it('takes the level from Python logging lines and drops their timestamp', () => {
    const lines = new ServerLogLines();
    assert.deepEqual(lines.classify('2026-11-22 03:57:42,335 INFO pygls.server: Starting'), { level: 'info', text: 'pygls.server: Starting' });
    assert.deepEqual(lines.classify('DEBUG smart_router.router: picked x'), { level: 'debug', text: 'smart_router.router: picked x' });
    assert.deepEqual(lines.classify('2026-11-22 03:57:44,154 ERROR pygls.protocol.json_rpc: Exception'), { level: 'error', text: 'pygls.protocol.json_rpc: Exception' });
    assert.deepEqual(lines.classify('Traceback (most recent call last):'), { level: 'error', text: 'Traceback (most recent call last):' });
    assert.deepEqual(lines.classify('WARNING: careful'), { level: 'warn', text: 'careful' });
    assert.deepEqual(lines.classify('  continuation'), { level: 'warn', text: '  continuation' });
  });

  it('treats unknown output before any log line as an error', () => {
    assert.deepEqual(new ServerLogLines().classify('/usr/bin/python: No module named smart_router'), {
      level: 'error',
      text: '/usr/bin/python: No module named smart_router',
    });
  });
});
