import { describe, expect, it } from 'vitest';
import { LatestOnly } from './latestOnly';

/** A job that finishes when the test says so. */
function controllableRunner() {
  const started: string[] = [];
  const finishers = new Map<string, () => void>();
  const run = (job: string) =>
    new Promise<void>((resolve) => {
      started.push(job);
      finishers.set(job, resolve);
    });
  const finish = async (job: string) => {
    finishers.get(job)?.();
    // let the runner's finally-block start the next job
    await new Promise((r) => setTimeout(r, 0));
  };
  return { started, run, finish };
}

describe('LatestOnly', () => {
  it('runs a job at once when idle', () => {
    const { started, run } = controllableRunner();
    const runner = new LatestOnly(run, () => {}, () => {});
    runner.submit('a');
    expect(started).toEqual(['a']);
  });

  it('runs only the newest of the jobs submitted while one was running, dropping the rest', async () => {
    const { started, run, finish } = controllableRunner();
    const dropped: string[] = [];
    const runner = new LatestOnly(run, (job) => dropped.push(job), () => {});
    runner.submit('a');
    runner.submit('b');
    runner.submit('c');
    runner.submit('d');
    expect(started).toEqual(['a']);
    expect(dropped).toEqual(['b', 'c']);
    await finish('a');
    expect(started).toEqual(['a', 'd']);
    await finish('d');
    expect(started).toEqual(['a', 'd']);
  });

  it('reports a failing job and still runs the next one', async () => {
    const started: string[] = [];
    const failures: string[] = [];
    const runner = new LatestOnly(
      async (job: string) => {
        started.push(job);
        await Promise.resolve();
        if (job === 'bad') throw new Error('boom');
      },
      () => {},
      (job, err) => failures.push(`${job}: ${(err as Error).message}`),
    );
    runner.submit('bad');
    runner.submit('good');
    await new Promise((r) => setTimeout(r, 10));
    expect(started).toEqual(['bad', 'good']);
    expect(failures).toEqual(['bad: boom']);
  });

  it('clear() drops the waiting job', async () => {
    const { started, run, finish } = controllableRunner();
    const dropped: string[] = [];
    const runner = new LatestOnly(run, (job) => dropped.push(job), () => {});
    runner.submit('a');
    runner.submit('b');
    runner.clear();
    await finish('a');
    expect(started).toEqual(['a']);
    expect(dropped).toEqual(['b']);
  });

  it('never lets a job of one lane drop a waiting job of another', async () => {
    const { started, run, finish } = controllableRunner();
    const dropped: string[] = [];
    const runner = new LatestOnly(run, (job) => dropped.push(job), () => {}, (job: string) => job[0]!);
    runner.submit('p1');
    runner.submit('p2');
    runner.submit('f1');
    runner.submit('f2');
    expect(dropped).toEqual(['f1']);
    await finish('p1');
    await finish('p2');
    expect(started).toEqual(['p1', 'p2', 'f2']);
  });
});
