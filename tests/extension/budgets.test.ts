/**
 * Set Budget's data side (common/budgets.ts): reading amounts, the current limit, and the new
 * `smartRouter.budgets` value with every other key kept.
 */
import * as assert from 'node:assert/strict';
import {
  currentLimit,
  describeLimit,
  parseUsd,
  targetLabel,
  withBudget,
  type BudgetTarget,
} from '../../extension/src/common/budgets';
import { chatErrorFromResponse } from '../../extension/src/ui/transcript';

const daily: BudgetTarget = { scope: 'global', name: 'daily' };
const wsMonthly: BudgetTarget = { scope: 'workspace', name: 'monthly', workspace: 'app' };

describe('budget amounts typed by the user', () => {
  it('reads dollars in the usual spellings', () => {
    assert.deepEqual(parseUsd('5'), { usd: 5 });
    assert.deepEqual(parseUsd(' 12.50 '), { usd: 12.5 });
    assert.deepEqual(parseUsd('$0.25'), { usd: 0.25 });
    assert.deepEqual(parseUsd('.5'), { usd: 0.5 });
    assert.deepEqual(parseUsd('1,000'), { usd: 1000 });
    assert.deepEqual(parseUsd('3 USD'), { usd: 3 });
    assert.deepEqual(parseUsd('0'), { usd: 0 });
  });

  it('takes an empty input as "remove the budget"', () => {
    assert.deepEqual(parseUsd(''), { remove: true });
    assert.deepEqual(parseUsd('   '), { remove: true });
  });

  it('refuses anything else with a message that says what to type', () => {
    for (const bad of ['abc', '-5', '5,5', '1e3', '5.', '$', '5 euros', 'NaN', 'Infinity']) {
      const r = parseUsd(bad);
      assert.ok('error' in r, bad);
      assert.match(r.error, /US dollars, such as 5 or 12\.50.*empty to remove/, bad);
    }
    const tiny = parseUsd('0.0000001');
    assert.ok('error' in tiny && /one micro-dollar/.test(tiny.error));
    const huge = parseUsd('2000000');
    assert.ok('error' in huge && /largest budget is \$1,000,000/.test(huge.error));
  });
});

describe('the budgets setting', () => {
  const setting = {
    daily: { usd: 5, mode: 'soft' },
    perRequest: { usd: 0.5 },
    alertThresholds: [25, 90, 100],
    webhookUrl: 'https://hooks.example/x',
    workspaces: { other: { daily: { usd: 1 } }, app: { daily: { usd: 2, mode: 'hard' } } },
  };

  it('reads the current limit of a budget (mode hard unless soft)', () => {
    assert.deepEqual(currentLimit(setting, daily), { usd: 5, mode: 'soft' });
    assert.deepEqual(currentLimit(setting, { scope: 'global', name: 'perRequest' }), { usd: 0.5, mode: 'hard' });
    assert.equal(currentLimit(setting, { scope: 'global', name: 'monthly' }), undefined);
    assert.equal(currentLimit(setting, wsMonthly), undefined);
    assert.deepEqual(currentLimit(setting, { ...wsMonthly, name: 'daily' }), { usd: 2, mode: 'hard' });
    assert.equal(currentLimit(undefined, daily), undefined);
    assert.equal(currentLimit({ daily: { usd: 'x' } }, daily), undefined);
  });

  it('sets one global budget and keeps every other key', () => {
    const next = withBudget(setting, daily, { usd: 7.5, mode: 'hard' });
    assert.deepEqual(next, { ...setting, daily: { usd: 7.5, mode: 'hard' } });
    assert.deepEqual(setting.daily, { usd: 5, mode: 'soft' }, 'the old value is not changed in place');
  });

  it('removes one global budget', () => {
    const next = withBudget(setting, daily, undefined);
    assert.ok(!('daily' in next));
    assert.deepEqual(next.alertThresholds, [25, 90, 100]);
    assert.deepEqual(next.perRequest, { usd: 0.5 });
  });

  it("sets and removes a workspace's budget, keeping the other workspaces", () => {
    const set = withBudget(setting, wsMonthly, { usd: 30, mode: 'soft' });
    assert.deepEqual(set.workspaces, {
      other: { daily: { usd: 1 } },
      app: { daily: { usd: 2, mode: 'hard' }, monthly: { usd: 30, mode: 'soft' } },
    });
    const removed = withBudget(setting, { ...wsMonthly, name: 'daily' }, undefined);
    assert.deepEqual(removed.workspaces, { other: { daily: { usd: 1 } } }, 'a workspace without budgets is dropped');
    assert.deepEqual(removed.daily, setting.daily);
  });

  it('starts from nothing', () => {
    assert.deepEqual(withBudget(undefined, daily, { usd: 1, mode: 'hard' }), { daily: { usd: 1, mode: 'hard' } });
    assert.deepEqual(withBudget(undefined, wsMonthly, { usd: 1, mode: 'soft' }), {
      workspaces: { app: { monthly: { usd: 1, mode: 'soft' } } },
    });
    assert.deepEqual(withBudget('not an object', daily, undefined), {});
  });

  it('names budgets and limits for the quick pick', () => {
    assert.equal(targetLabel(daily), 'Daily budget');
    assert.equal(targetLabel({ scope: 'global', name: 'perRequest' }), 'Per-request cap');
    assert.equal(targetLabel(wsMonthly), "This workspace's monthly budget (app)");
    assert.equal(describeLimit(daily, { usd: 5, mode: 'hard' }), '$5.00 a day, hard');
    assert.equal(describeLimit(wsMonthly, { usd: 0.25, mode: 'soft' }), '$0.25 a month, soft');
    assert.equal(describeLimit({ scope: 'global', name: 'perRequest' }, { usd: 0.1, mode: 'hard' }), '$0.10 a request, hard');
    assert.equal(describeLimit(daily, undefined), 'not set');
  });
});

describe('a request refused by a budget', () => {
  it('keeps its kind, so that the notification offers Change Budget and Open Usage', () => {
    const error = chatErrorFromResponse(-32030, 'The daily budget ($5.00) is spent: $4.99 spent, $0.02 reserved; it resets at 00:00.', {
      kind: 'budget_exceeded',
      budget: 'daily',
      limitUsd: 5,
      spentUsd: 4.99,
      reservedUsd: 0.02,
      resetsAt: '2026-11-23T00:00:00+01:00',
    });
    assert.equal(error.kind, 'budget_exceeded');
    assert.equal(error.code, -32030);
  });
});
