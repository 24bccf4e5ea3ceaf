// Headless Debian chromium via playwright-core (installed by install-tools.sh under the tools folder,
// not in the repo's node_modules), with a fresh throw-away profile.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const tools = process.env.SR_E2E_TOOLS || path.join(os.homedir(), '.cache', 'smart-router-tools');
const require = createRequire(path.join(tools, 'driver', 'package.json'));
export const { chromium } = require('playwright-core');

export const t0 = Date.now();
export const lap = (what) => console.log(`[${((Date.now() - t0) / 1000).toFixed(2)}s] ${what}`);

/** Launch chromium with a fresh profile; returns the persistent context (close it when done). */
export async function launch({ width = 1280, height = 800 } = {}) {
  const profile = fs.mkdtempSync(path.join(process.env.TMPDIR || os.tmpdir(), 'chrome-profile-'));
  process.on('exit', () => fs.rmSync(profile, { recursive: true, force: true }));
  // launchPersistentContext = a --user-data-dir we choose (plain launch() refuses --user-data-dir)
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width, height },
    timeout: 60_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage'],
  });
  const close = ctx.close.bind(ctx);
  ctx.close = async () => {
    // never hang on close
    await Promise.race([close().catch(() => {}), new Promise((r) => setTimeout(r, 10_000))]);
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return ctx;
}

/** Reject after ms with a message naming what we waited for. */
export function deadline(ms, what) {
  let timer;
  const p = new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`timeout after ${ms / 1000}s waiting for ${what}`)), ms); });
  p.cancel = () => clearTimeout(timer);
  return p;
}
