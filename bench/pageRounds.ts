/**
 * What the page-against-PyTorch benchmarks share: build the tool pages, serve them, open one in
 * Debian's chromium, wait until it says it is ready (`window[readyKey]`, or `{ error }`), hand the
 * PyTorch script its job, then alternate rounds — `repeats` timed runs of the page's
 * `window[roundKey]()`, then one run of the script — so that load from other work falls on both
 * sides alike and they never share the CPU.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../scripts/chromium.mjs';
import { buildSite, freePort, ROOT, startPreview } from './previewServer';
import { option } from './benchmarksDoc';

const PYTHON = '/usr/bin/python3';
const PAGE_TIMEOUT_MS = 20 * 60_000;

export interface PageRoundsSpec<Ready> {
  /** the tool page, e.g. "dfa-bench.html" */
  page: string;
  /** where it is built (not dist/, which the e2e tests build in the same checkout) */
  outDir: string;
  bundleDir: string;
  query: URLSearchParams;
  /** the globals the page sets: its ready report and its round function */
  readyKey: string;
  roundKey: string;
  /** the PyTorch script (relative to the repository) and the job file it reads, made from the page's ready report */
  torchScript: string;
  job(ready: Ready): unknown;
  rounds: number;
  repeats: number;
}

export interface PageRounds<Ready, Round, Torch> {
  ready: Ready;
  ours: Round[];
  torch: Torch[];
  /** 1-minute load average before and after, to say whether the machine was idle */
  loadBefore: number;
  loadAfter: number;
}

export async function runPageRounds<Ready, Round, Torch>(spec: PageRoundsSpec<Ready>): Promise<PageRounds<Ready, Round, Torch>> {
  buildSite('tools', spec.outDir, [spec.page, `models/${path.basename(spec.bundleDir)}/manifest.json`], process.argv.includes('--reuse-dist'));
  const threads = option('--threads');
  if (threads) spec.query.set('threads', threads);
  const loadBefore = loadavg()[0]!;
  const port = await freePort();
  const server = await startPreview('tools', spec.outDir, port, spec.page);
  const ours: Round[] = [];
  const torch: Torch[] = [];
  try {
    const browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${port}/${spec.page}?${spec.query}`);
      const global = (key: string) => page.evaluate((k) => (window as unknown as Record<string, unknown>)[k], key);
      await page.waitForFunction((k) => (window as unknown as Record<string, unknown>)[k] !== undefined, spec.readyKey, { timeout: PAGE_TIMEOUT_MS, polling: 1000 });
      const ready = (await global(spec.readyKey)) as Ready | { error: string };
      if (typeof ready === 'object' && ready !== null && 'error' in ready) throw new Error(`${spec.page} failed: ${ready.error}`);
      const job = path.join(ROOT, spec.outDir, 'torch-job.json');
      writeFileSync(job, JSON.stringify(spec.job(ready as Ready)));
      for (let i = 1; i <= spec.rounds; i++) {
        console.error(`[bench] round ${i}/${spec.rounds}: ours (${spec.repeats} runs)…`);
        for (let k = 0; k < spec.repeats; k++) {
          ours.push((await page.evaluate((key) => (window as unknown as Record<string, () => Promise<unknown>>)[key]!(), spec.roundKey)) as Round);
        }
        console.error(`[bench] round ${i}/${spec.rounds}: PyTorch…`);
        const t = spawnSync(PYTHON, [path.join(ROOT, spec.torchScript), spec.bundleDir, job, '--repeats', String(spec.repeats)], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 24 });
        if (t.status !== 0) throw new Error(`${spec.torchScript} failed (exit ${t.status}):\n${t.stderr}`);
        torch.push(JSON.parse(t.stdout) as Torch);
      }
      return { ready: ready as Ready, ours, torch, loadBefore, loadAfter: loadavg()[0]! };
    } finally {
      await browser.close();
    }
  } finally {
    server.kill();
  }
}
