/**
 * The cost meter's text, colour and tooltip (ui/meterView.ts) from budget statuses as the
 * server sends them.
 */
import * as assert from 'node:assert/strict';
import {
  LEVEL_BACKGROUND,
  dailyBudget,
  formatPercent,
  forWorkspace,
  formatReset,
  meterLevel,
  meterText,
  meterTooltip,
} from '../../extension/src/ui/meterView';
import { budgetState, budgetStatus } from './budgetFixtures';

const NOW = new Date('2026-11-22T18:48:00+01:00');

describe('cost meter text', () => {
  it("shows today's spend without a daily budget", () => {
    assert.equal(meterText(budgetStatus()), '$(graph) $0.42 today');
    assert.equal(meterText(budgetStatus({ todayMicroUsd: 0 })), '$(graph) $0.00 today');
    assert.equal(meterText(budgetStatus({ todayMicroUsd: 37 })), '$(graph) $0.000037 today');
  });

  it("shows today's spend against the global daily budget", () => {
    const status = budgetStatus({ budgets: [budgetState({ name: 'monthly', limitUsd: 50 }), budgetState()] });
    assert.equal(meterText(status), '$(graph) $0.42 / $5.00');
    assert.equal(dailyBudget(status)?.name, 'daily');
  });

  it("prefers the global daily budget to this workspace's, and uses the workspace's spend when alone", () => {
    const ws = budgetState({ scope: 'workspace', workspace: 'app', limitUsd: 1, spentUsd: 0.25 });
    assert.equal(meterText(budgetStatus({ budgets: [ws, budgetState({ limitUsd: 10 })] })), '$(graph) $0.42 / $10.00');
    assert.equal(meterText(budgetStatus({ budgets: [ws] })), '$(graph) $0.25 / $1.00');
  });

  it('ignores a per-request cap for the text', () => {
    assert.equal(meterText(budgetStatus({ budgets: [budgetState({ name: 'perRequest', limitUsd: 0.5 })] })), '$(graph) $0.42 today');
  });
});

describe('cost meter budgets', () => {
  it("keeps the global budgets and this workspace's, by folder name or path", () => {
    const status = budgetStatus({
      budgets: [
        budgetState(),
        budgetState({ scope: 'workspace', workspace: 'app', level: 'warning' }),
        budgetState({ scope: 'workspace', workspace: '/home/me/app/', name: 'monthly' }),
        budgetState({ scope: 'workspace', workspace: 'other', level: 'exceeded' }),
      ],
    });
    const here = forWorkspace(status, { name: 'app', path: '/home/me/app' });
    assert.deepEqual(here.budgets.map((b) => [b.name, b.workspace]), [['daily', null], ['daily', 'app'], ['monthly', '/home/me/app/']]);
    assert.equal(meterLevel(here), 'warning', "another workspace's exceeded budget does not colour this meter");
    assert.deepEqual(forWorkspace(status, undefined).budgets.map((b) => b.scope), ['global']);
  });
});

describe('cost meter colour', () => {
  it('is the status bar’s own colour while every budget is ok or none is set', () => {
    assert.equal(meterLevel(budgetStatus()), 'ok');
    assert.equal(meterLevel(budgetStatus({ budgets: [budgetState()] })), 'ok');
    assert.equal(LEVEL_BACKGROUND.ok, undefined);
  });

  it('takes the worst level of the daily and monthly budgets', () => {
    const warning = budgetState({ name: 'monthly', level: 'warning', percent: 82 });
    const exceeded = budgetState({ scope: 'workspace', workspace: 'app', level: 'exceeded', percent: 100 });
    assert.equal(meterLevel(budgetStatus({ budgets: [budgetState(), warning] })), 'warning');
    assert.equal(meterLevel(budgetStatus({ budgets: [warning, exceeded, budgetState()] })), 'exceeded');
    assert.equal(LEVEL_BACKGROUND.warning, 'statusBarItem.warningBackground');
    assert.equal(LEVEL_BACKGROUND.exceeded, 'statusBarItem.errorBackground');
  });

  it('does not colour the meter for the per-request cap', () => {
    assert.equal(meterLevel(budgetStatus({ budgets: [budgetState({ name: 'perRequest', level: 'exceeded' })] })), 'ok');
  });
});

describe('cost meter tooltip', () => {
  it('lists the top models, the day and month totals', () => {
    const md = meterTooltip(budgetStatus(), NOW);
    assert.match(md, /\*\*Smart Router: spend on 2026-11-22\*\*/);
    assert.match(md, /\| gpt-4o \| 1 \| 1,200 \/ 700 \| \$0\.40 \|/);
    assert.match(md, /\| gpt-4o-mini \| 3 \| 300 \/ 900 \| \$0\.02 \|/);
    assert.match(md, /\| \*\*Today\*\* \| \*\*4\*\* \| \| \*\*\$0\.42\*\* \|/);
    assert.match(md, /This month: \*\*\$3\.51\*\*/);
    assert.match(md, /No budget set\./);
    assert.match(md, /Click to open the usage dashboard\./);
  });

  it('sums the models beyond the top five', () => {
    const model = (i: number) => ({ model: `m${i}`, provider: 'p', costUsd: 0.01, costMicroUsd: 10_000 - i, calls: 2, inputTokens: 1, outputTokens: 1 });
    const md = meterTooltip(budgetStatus({ byModel: [0, 1, 2, 3, 4, 5, 6].map(model) }), NOW);
    assert.match(md, /\| m4 \|/);
    assert.doesNotMatch(md, /\| m5 \|/);
    assert.match(md, /\| 2 other models \| 4 \| \| \$0\.019989 \|/);
  });

  it('shows every budget with spent, reserved, limit, use and reset', () => {
    const md = meterTooltip(
      budgetStatus({
        budgets: [
          budgetState(),
          budgetState({ name: 'monthly', spentUsd: 41, reservedUsd: 0, limitUsd: 50, percent: 82, level: 'warning', mode: 'soft', resetsAt: '2026-12-01T00:00:00+01:00' }),
          budgetState({ name: 'daily', scope: 'workspace', workspace: 'app', spentUsd: 1.2, limitUsd: 1, percent: 120, level: 'exceeded' }),
          budgetState({ name: 'perRequest', spentUsd: 0, reservedUsd: 0, limitUsd: 0.5, percent: 0, resetsAt: null }),
        ],
      }),
      NOW,
    );
    assert.match(md, /\*\*Budgets\*\*/);
    assert.match(md, /^- Daily, hard: \*\*\$0\.42\*\* spent \+ \$0\.01 reserved of \*\*\$5\.00\*\* \(9 %\), resets in 5 h 12 min \(23 Nov 00:00\)$/m);
    assert.match(md, /^- Monthly, soft \$\(warning\): \*\*\$41\.00\*\* spent \+ \$0\.00 reserved of \*\*\$50\.00\*\* \(82 %\), resets in 8 d 5 h \(1 Dec 00:00\)$/m);
    assert.match(md, /^- Daily \(workspace app\), hard \$\(error\): \*\*\$1\.20\*\* spent .* \(120 %\)/m);
    assert.match(md, /^- Per request, hard: at most \*\*\$0\.50\*\* a request$/m);
  });

  it('shows the forecast for the day and the month', () => {
    const md = meterTooltip(budgetStatus(), NOW);
    assert.match(md, /Forecast at the current rate: \*\*\$1\.10\*\* today, \*\*\$12\.40\*\* this month \(Europe\/Amsterdam\)\./);
  });

  it('escapes names so that they cannot break a table or inject links', () => {
    const md = meterTooltip(
      budgetStatus({
        byModel: [{ ...budgetStatus().byModel[0], model: 'evil|[x](command:y)' }],
        budgets: [budgetState({ scope: 'workspace', workspace: 'a|b' })],
      }),
      NOW,
    );
    assert.ok(md.includes('evil\\|\\[x\\](command:y)'));
    assert.ok(md.includes('workspace a\\|b'));
  });

  it('says so when nothing was spent today', () => {
    const md = meterTooltip(budgetStatus({ byModel: [], todayCalls: 0, todayMicroUsd: 0 }), NOW);
    assert.match(md, /No calls today\./);
    assert.doesNotMatch(md, /\| Model \|/);
  });
});

describe('meter helpers', () => {
  it('formats percentages', () => {
    assert.equal(formatPercent(0), '0 %');
    assert.equal(formatPercent(0.2), '< 1 %');
    assert.equal(formatPercent(79.6), '80 %');
    assert.equal(formatPercent(Number.NaN), '-');
  });

  it('reads the reset time as the budget zone’s wall clock and counts down from now', () => {
    assert.equal(formatReset('2026-11-23T00:00:00+01:00', NOW), 'in 5 h 12 min (23 Nov 00:00)');
    assert.equal(formatReset('2026-11-22T19:00:00+01:00', NOW), 'in 12 min (22 Nov 19:00)');
    // a past reset (a stale status) never counts negative
    assert.equal(formatReset('2026-11-22T00:00:00+01:00', NOW), 'in 0 min (22 Nov 00:00)');
    assert.equal(formatReset(null, NOW), 'every request');
    assert.equal(formatReset('soon', NOW), 'soon');
  });
});
