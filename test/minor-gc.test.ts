import { describe, expect, it } from 'vitest';
import { minorGc } from '../src/http/minor-gc.js';

const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 0));
const MB = 1024 * 1024;

describe('minorGc', () => {
  it('frees spent socket-sized buffers at once, and leaves no gc in the global scope', async () => {
    minorGc();
    await nextTurn();
    const before = process.memoryUsage().arrayBuffers;
    (() => {
      // 32 MB as a body arrives: 64 KB buffers, each garbage once copied.
      for (let i = 0; i < 512; i++) Buffer.allocUnsafeSlow(64 * 1024).fill(i);
    })();
    const piled = process.memoryUsage().arrayBuffers - before;
    minorGc();
    await nextTurn();
    const left = process.memoryUsage().arrayBuffers - before;
    expect(piled).toBeGreaterThan(16 * MB);
    expect(left).toBeLessThan(4 * MB);
    expect('gc' in globalThis).toBe(false);
  });
});
