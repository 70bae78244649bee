import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TricklePacer } from '../../src/store/trickle-pacer';

describe('pacing a trickle of log lines into frames', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('holds a few updates until the tick, at most maxDelayMs, then publishes them once', () => {
    let published = 0;
    const pacer = new TricklePacer(() => published++, { burstSize: 20, maxDelayMs: 1000 });
    pacer.add(1);
    vi.advanceTimersByTime(200);
    pacer.add(1);
    vi.advanceTimersByTime(200);
    expect(published).toBe(0);
    pacer.flush();
    expect(published).toBe(1);
    pacer.flush();
    expect(published).toBe(1);
    pacer.add(3);
    vi.advanceTimersByTime(999);
    expect(published).toBe(1);
    vi.advanceTimersByTime(1);
    expect(published).toBe(2);
  });

  it('publishes a burst at once', () => {
    let published = 0;
    const pacer = new TricklePacer(() => published++, { burstSize: 20, maxDelayMs: 1000 });
    pacer.add(5);
    pacer.add(15);
    expect(published).toBe(1);
    vi.advanceTimersByTime(2000);
    expect(published).toBe(1);
  });

  it('publishes nothing after dispose', () => {
    let published = 0;
    const pacer = new TricklePacer(() => published++, { burstSize: 20, maxDelayMs: 1000 });
    pacer.add(1);
    pacer.dispose();
    vi.advanceTimersByTime(2000);
    expect(published).toBe(0);
  });
});
