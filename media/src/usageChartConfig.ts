/**
 * The usage dashboard's colours, read from the VS Code theme's CSS variables, and the Chart.js
 * configurations of its two charts (spend per day stacked by model, spend per intent).
 *
 * Pure module (no DOM, types only from Chart.js): unit-tested in plain Node.
 */
import type { ChartConfiguration, TooltipItem } from 'chart.js' with { 'resolution-mode': 'import' };
import { formatUsd } from '../../extension/src/common/format';
import { dayLabel, formatAxisUsd, type DaySeries, type IntentBar } from './usageData';

/** The theme as the charts need it. */
export interface Palette {
  foreground: string;
  muted: string;
  grid: string;
  /** One colour per model series, in order. */
  series: string[];
  /** Colour of the "Other" series. */
  other: string;
  fontFamily: string;
  fontSize: number;
}

/** The part of `CSSStyleDeclaration` read here. */
export interface StyleReader {
  getPropertyValue(name: string): string;
}

/** VS Code's chart colours (`--vscode-charts-*`) in the order the series use them, with Dark+ fallbacks. */
const SERIES_VARIABLES: readonly [string, string][] = [
  ['--vscode-charts-blue', '#3794ff'],
  ['--vscode-charts-orange', '#d18616'],
  ['--vscode-charts-green', '#89d185'],
  ['--vscode-charts-purple', '#b180d7'],
  ['--vscode-charts-yellow', '#cca700'],
  ['--vscode-charts-red', '#f14c4c'],
];

/** Read the palette from the document's computed style (theme changes re-read it). */
export function readPalette(style: StyleReader): Palette {
  const read = (name: string, fallback: string): string => {
    const value = style.getPropertyValue(name).trim();
    return value === '' ? fallback : value;
  };
  const fontSize = Number.parseFloat(read('--vscode-font-size', '13'));
  return {
    foreground: read('--vscode-charts-foreground', read('--vscode-foreground', '#cccccc')),
    muted: read('--vscode-descriptionForeground', '#9d9d9d'),
    grid: read('--vscode-charts-lines', read('--vscode-widget-border', 'rgba(128, 128, 128, 0.35)')),
    series: SERIES_VARIABLES.map(([name, fallback]) => read(name, fallback)),
    other: read('--vscode-descriptionForeground', '#9d9d9d'),
    fontFamily: read('--vscode-font-family', 'sans-serif'),
    fontSize: Number.isFinite(fontSize) ? fontSize : 13,
  };
}

function usdTooltip(item: TooltipItem<'bar'>): string {
  const value = item.chart.options.indexAxis === 'y' ? item.parsed.x : item.parsed.y;
  return `${item.dataset.label ?? ''}: ${formatUsd(value ?? 0)}`;
}

function scales(p: Palette, stacked: boolean, valueAxis: 'x' | 'y'): ChartConfiguration<'bar'>['options'] {
  const categoryAxis = valueAxis === 'y' ? 'x' : 'y';
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    indexAxis: categoryAxis,
    color: p.foreground,
    font: { family: p.fontFamily, size: p.fontSize },
    scales: {
      [categoryAxis]: {
        stacked,
        grid: { display: false },
        border: { color: p.grid },
        ticks: { color: p.foreground, autoSkip: true, maxRotation: 0 },
      },
      [valueAxis]: {
        stacked,
        beginAtZero: true,
        grid: { color: p.grid },
        border: { display: false },
        ticks: { color: p.foreground, maxTicksLimit: 6, callback: (v) => formatAxisUsd(Number(v)) },
      },
    },
    plugins: {
      legend: {
        position: 'bottom',
        labels: { color: p.foreground, boxWidth: 12, boxHeight: 12, font: { family: p.fontFamily, size: p.fontSize } },
      },
      tooltip: { callbacks: { label: usdTooltip } },
    },
  };
}

/** Spend per day, one stacked bar per day, one series per model. */
export function spendPerDayConfig(data: DaySeries, p: Palette): ChartConfiguration<'bar'> {
  return {
    type: 'bar',
    data: {
      labels: data.days.map(dayLabel),
      datasets: data.series.map((s, i) => {
        const colour = i < p.series.length ? p.series[i] : p.other;
        return {
          label: s.label,
          data: s.values,
          backgroundColor: colour,
          borderColor: colour,
          borderWidth: 0,
          stack: 'day',
          maxBarThickness: 28,
        };
      }),
    },
    options: scales(p, true, 'y'),
  };
}

/** Spend per intent: horizontal bars, most expensive on top. */
export function spendPerIntentConfig(bars: readonly IntentBar[], p: Palette): ChartConfiguration<'bar'> {
  const options = scales(p, false, 'x');
  if (options?.plugins?.legend !== undefined) {
    options.plugins.legend.display = false;
  }
  return {
    type: 'bar',
    data: {
      labels: bars.map((b) => `${b.label} (${b.calls})`),
      datasets: [
        {
          label: 'Spend',
          data: bars.map((b) => b.usd),
          backgroundColor: p.series[0],
          borderWidth: 0,
          stack: 'intent',
          maxBarThickness: 22,
        },
      ],
    },
    options,
  };
}
