import { describe, expect, it } from 'vitest';
import { EngineTurns } from './engineTurns';

describe('EngineTurns', () => {
  it('lets a long job give its turn to one that arrived meanwhile, then continue', async () => {
    const turns = new EngineTurns();
    const log: string[] = [];
    let end = await turns.take();
    log.push('pass: batch 1');
    const analysis = turns.run(async () => {
      log.push('analysis');
    });
    // Between batches the pass gives its turn back and queues for the next one.
    end();
    end = await turns.take();
    log.push('pass: batch 2');
    end();
    await analysis;
    expect(log).toEqual(['pass: batch 1', 'analysis', 'pass: batch 2']);
  });

  it('ends a turn only once, and frees the engine after a failed job', async () => {
    const turns = new EngineTurns();
    await expect(turns.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const end = await turns.take();
    end();
    end();
    const order: number[] = [];
    const a = turns.run(async () => void order.push(1));
    const b = turns.run(async () => void order.push(2));
    await Promise.all([a, b]);
    expect(order).toEqual([1, 2]);
  });
});
