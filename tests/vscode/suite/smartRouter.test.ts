// Smart Router inside the real VS Code extension host, against the fake OpenAI-compatible provider.
// The tests run in order and share the sidecar, its ledger (a fresh SQLite file per run) and the fake.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as vscode from 'vscode';
import {
  API_KEY,
  AskResult,
  BudgetStatus,
  SmartRouterApi,
  api,
  ask,
  fake,
  fakeRequests,
  gpt4oMiniMicroUsd,
  tooltipText,
  waitUntil,
  withTimeout,
} from './helpers';

const PROMPT = 'Explain what a closure is';
/** Every successful ask of this suite, to compare the ledger and the meter with. */
const asked: AskResult[] = [];

/** "$(graph) $0.000123 today" -> 123 (micro-dollars shown), with how many decimals were shown. */
function shownMicroUsd(text: string): { micro: number; decimals: number } {
  const m = text.match(/\$\s?(\d[\d,]*)(?:\.(\d+))?\s+today/);
  assert.ok(m, `no "$<amount> today" in status bar text ${JSON.stringify(text)}`);
  const decimals = (m[2] ?? '').length;
  const micro = Math.round(Number(m[1].replace(/,/g, '') + '.' + (m[2] ?? '0')) * 1e6);
  return { micro, decimals };
}
const METER = /\$\d[\d,]*\.\d{2,6} today/;

/** The ask's result, or a failure that says what the chat shows instead (e.g. the error). */
async function askOk(sr: SmartRouterApi, prompt: string): Promise<AskResult> {
  const r = await ask(prompt);
  if (!r) {
    const last = sr.transcript().at(-1);
    const why = last?.error ? `error shown: ${JSON.stringify(last.error)}` : `last entry: ${JSON.stringify(last)?.slice(0, 400)}`;
    assert.fail(`smartRouter.ask returned nothing; ${why}`);
  }
  return r;
}

function assertAskResult(r: AskResult): void {
  assert.strictEqual(r.model, 'gpt-4o-mini', 'model');
  assert.strictEqual(r.provider, 'openai', 'provider');
  assert.ok(r.inputTokens > 0, `inputTokens ${r.inputTokens} > 0`);
  assert.ok(r.outputTokens > 0, `outputTokens ${r.outputTokens} > 0`);
  const expected = gpt4oMiniMicroUsd(r.inputTokens, r.outputTokens);
  assert.ok(
    Math.abs(r.costMicroUsd - Math.round(expected)) <= 1,
    `costMicroUsd ${r.costMicroUsd} vs catalog price ${expected.toFixed(2)} (in ${r.inputTokens}, out ${r.outputTokens})`,
  );
  assert.ok(Math.abs(r.costUsd * 1e6 - r.costMicroUsd) <= 1, `costUsd ${r.costUsd} vs costMicroUsd ${r.costMicroUsd}`);
  assert.ok(r.ttftMs !== null && r.ttftMs > 0, `ttftMs ${r.ttftMs} > 0`);
  assert.ok(r.totalMs > 0, `totalMs ${r.totalMs} > 0`);
  assert.ok(r.totalMs >= r.ttftMs, `totalMs ${r.totalMs} >= ttftMs ${r.ttftMs}`);
}

suite('Smart Router in the real VS Code extension host', () => {
  let sr: SmartRouterApi;

  suiteSetup(async function () {
    this.timeout(120_000);
    sr = await api();
    await fake('DELETE', '/__fake__/scenarios');
  });

  test('the sidecar starts and the status bar shows today\'s spend', async () => {
    const client = sr.client();
    assert.ok(client, 'api.client() is undefined after ready');
    assert.ok(client.isRunning(), 'language client is not running');
    const text = await waitUntil(
      () => (METER.test(sr.statusBar().text) ? sr.statusBar().text : undefined),
      20_000,
      'status bar text like "$0.00 today"',
    );
    assert.strictEqual(shownMicroUsd(text).micro, 0, `fresh ledger, nothing spent yet: ${JSON.stringify(text)}`);
    assert.ok(vscode.workspace.workspaceFolders?.length, 'no workspace folder open');
  });

  test('smartRouter.ask answers through gpt-4o-mini, with catalog-priced cost, into the chat', async () => {
    const before = sr.transcript().length;
    const r = await askOk(sr, PROMPT);
    assertAskResult(r);
    asked.push(r);
    assert.ok(r.text.startsWith(`Answer to: ${PROMPT}`), `answer text ${JSON.stringify(r.text.slice(0, 120))}`);

    const entry = await waitUntil(
      () => sr.transcript().slice(before).find((e) => e.requestId === r.requestId && e.status === 'done'),
      10_000,
      `a finished transcript entry for request ${r.requestId}`,
    );
    assert.strictEqual(entry.text, r.text, 'transcript text = result text');
    assert.strictEqual(entry.prompt, PROMPT);
    assert.strictEqual(entry.model, 'gpt-4o-mini');
    assert.strictEqual(entry.result?.costMicroUsd, r.costMicroUsd);
    await waitUntil(() => sr.chatHtmlReady(), 15_000, 'the chat webview to exist and have its HTML');
  });

  test('the provider got a streamed request with usage and the key as a Bearer token', async () => {
    const reqs = (await fakeRequests()).filter((q) => /chat\/completions/.test(q.path));
    assert.ok(reqs.length >= 1, `no chat/completions request recorded by the fake (${reqs.length})`);
    const q = reqs[reqs.length - 1];
    const body = typeof q.body === 'string' ? JSON.parse(q.body) : q.body;
    assert.strictEqual(body.model, 'gpt-4o-mini', 'model sent to the provider');
    assert.strictEqual(body.stream, true, 'stream: true');
    assert.strictEqual(body.stream_options?.include_usage, true, 'stream_options.include_usage: true');
    const headers = Object.fromEntries(Object.entries(q.headers).map(([k, v]) => [k.toLowerCase(), v]));
    assert.strictEqual(headers['authorization'], `Bearer ${API_KEY}`, 'Authorization header');
    assert.ok(
      JSON.stringify(body.messages ?? body).includes(PROMPT),
      'the prompt is in the request body',
    );
  });

  test('the cost meter matches the ledger and names the model', async function () {
    this.timeout(90_000);
    // A long reply: many streamed chunks, and a spend that is not a round number.
    const reply = `Answer to: ${PROMPT}. ` + 'A closure is a function together with the variables it captured. '.repeat(60);
    await fake('PUT', '/__fake__/scenarios/gpt-4o-mini', { reply });
    try {
      const r = await askOk(sr, PROMPT);
      assertAskResult(r);
      asked.push(r);
      assert.ok(r.outputTokens > 300, `long reply gives many output tokens (${r.outputTokens})`);
    } finally {
      await fake('DELETE', '/__fake__/scenarios');
    }
    const client = sr.client();
    assert.ok(client, 'no language client');
    const status = await withTimeout(
      client.sendRequest<BudgetStatus>('smartRouter/budgetStatus', {}),
      10_000,
      'smartRouter/budgetStatus',
    );
    const sum = asked.reduce((s, a) => s + a.costMicroUsd, 0);
    assert.strictEqual(status.todayMicroUsd, sum, `ledger today ${status.todayMicroUsd} µ$ vs sum of asks ${sum} µ$`);
    assert.strictEqual(status.todayCalls, asked.length, 'calls today');
    assert.ok(Math.abs(status.todayUsd * 1e6 - status.todayMicroUsd) <= 1, 'todayUsd vs todayMicroUsd');

    // the meter is updated by the budgetChanged notification: give it a moment. Below $1 it shows
    // every micro-dollar, so it must equal the ledger exactly (from $1 on: to the cent).
    const shown = await waitUntil(
      () => {
        const { micro, decimals } = shownMicroUsd(sr.statusBar().text);
        const tolerance = decimals >= 6 || status.todayMicroUsd < 1_000_000 ? 0 : 5_000;
        return Math.abs(micro - status.todayMicroUsd) <= tolerance ? sr.statusBar().text : undefined;
      },
      10_000,
      `status bar showing today's spend ${status.todayMicroUsd} µ$ (ledger); it shows ${JSON.stringify(sr.statusBar().text)}`,
    );
    assert.match(shown, METER);
    const tip = tooltipText(sr.statusBar().tooltip);
    assert.match(tip, /gpt-4o-mini/, `tooltip names the model: ${JSON.stringify(tip)}`);
  });

  test('a rate-limited provider shows an error in the chat, without the key', async function () {
    this.timeout(90_000);
    await fake('PUT', '/__fake__/scenarios/gpt-4o-mini', { fail: 'rate_limit' });
    const before = sr.transcript().length;
    let thrown: unknown;
    let r: AskResult | undefined;
    try {
      r = await ask('This one will be rate limited');
    } catch (e) {
      thrown = e;
    } finally {
      await fake('DELETE', '/__fake__/scenarios');
    }
    assert.ok(!r || !r.text, `the ask should not succeed: ${JSON.stringify(r)}`);
    if (thrown) assert.doesNotMatch(String(thrown), /timeout after/, 'the command hung');
    const entry = await waitUntil(
      () => sr.transcript().slice(before).find((e) => e.status === 'error'),
      15_000,
      'an error entry in the transcript',
    ).catch((e: Error) => {
      throw new Error(`${e.message}; new entries: ${JSON.stringify(sr.transcript().slice(before)).slice(0, 800)}`);
    });
    assert.ok(entry.error, 'error entry without error details');
    assert.match(entry.error.message, /rate.?limit/i, `the message names the rate limit: ${JSON.stringify(entry.error)}`);
    assert.ok(!JSON.stringify(entry).includes(API_KEY), 'the error entry contains the API key');
    assert.ok(!JSON.stringify(sr.transcript()).includes(API_KEY), 'the transcript contains the API key');
    if (thrown) assert.ok(!String(thrown).includes(API_KEY), 'the thrown error contains the API key');
  });

  test('Restart Server: a new ask works afterwards', async function () {
    this.timeout(120_000);
    const old = sr.client();
    await withTimeout(vscode.commands.executeCommand('smartRouter.restartServer'), 60_000, 'smartRouter.restartServer');
    const client = await waitUntil(
      () => {
        const c = sr.client();
        return c && c.isRunning() ? c : undefined;
      },
      60_000,
      'a running language client after restart',
    );
    assert.notStrictEqual(client, old, 'Restart Server should start a new server (a new language client)');
    assert.ok(old && !old.isRunning(), 'the old language client still runs after Restart Server');
    const r = await askOk(sr, PROMPT);
    assertAskResult(r);
    asked.push(r);
    assert.ok(r.text.startsWith(`Answer to: ${PROMPT}`), 'answer after restart');
    // the ledger survived the restart
    const status = await withTimeout(
      sr.client()!.sendRequest<BudgetStatus>('smartRouter/budgetStatus', {}),
      10_000,
      'smartRouter/budgetStatus after restart',
    );
    assert.strictEqual(status.todayMicroUsd, asked.reduce((s, a) => s + a.costMicroUsd, 0), 'ledger after restart');
  });
  test('a crashed sidecar is restarted and the next ask works', async function () {
    this.timeout(120_000);
    /** The sidecar: the extension host's child running `-m smart_router`. */
    const sidecarPid = (): number | undefined => {
      try {
        const out = execFileSync('pgrep', ['-P', String(process.pid), '-f', 'smart_router'], { encoding: 'utf8' });
        return Number(out.trim().split('\n')[0]) || undefined;
      } catch {
        return undefined;
      }
    };
    const pid = await waitUntil(sidecarPid, 10_000, 'the sidecar process');
    process.kill(pid, 'SIGKILL');
    await waitUntil(() => {
      const next = sidecarPid();
      return next !== undefined && next !== pid && sr.client()?.isRunning() ? next : undefined;
    }, 60_000, 'a new sidecar process after the crash');
    const r = await askOk(sr, PROMPT);
    assertAskResult(r);
    asked.push(r);
    const status = await withTimeout(
      sr.client()!.sendRequest<BudgetStatus>('smartRouter/budgetStatus', {}),
      10_000,
      'smartRouter/budgetStatus after the crash',
    );
    assert.strictEqual(status.todayMicroUsd, asked.reduce((s, a) => s + a.costMicroUsd, 0), 'no settled row lost');
  });
});
