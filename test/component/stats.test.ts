/** The Stats panel ([2]): rows, totals, ordering, threshold colours, selection and details, key → screen. */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupApps, container, dockerWith, highlightedRows, KEY, renderApp, rowsOf, sgrAt, stats, titleLine } from '../support/render-app';

afterEach(cleanupApps);

const STATS = '[2] Stats';
const CONTAINERS = '[1] Containers';
const MIB = 1_048_576;
const position = (frame: string, title = STATS) => / (\d+\/\d+)\s*│?$/.exec(titleLine(frame, title))?.[1];
const names = (frame: string) => rowsOf(frame, STATS).map((r) => r.split(/\s+/)[0]);

/** api (busy CPU), cache (85 % memory), db (92 %), queue (quiet), redis (97 %). */
function busy() {
  const ids = ['api', 'cache', 'db', 'queue', 'redis'];
  const mem: Record<string, number> = { api: 20, cache: 85, db: 92, queue: 5, redis: 97 };
  return dockerWith(
    ids.map((id) => container({ id })),
    Object.fromEntries(
      ids.map((id) => [
        id,
        stats({
          cpuPercent: id === 'api' ? 85 : 2,
          memPercent: mem[id]!,
          memUsageBytes: (mem[id]! / 100) * 512 * MIB,
          netRxBytes: 1024,
          netTxBytes: 2048,
          pids: 4,
        }),
      ]),
    ),
  );
}

describe('Stats panel', () => {
  it('shows CPU, memory, network, block I/O and pids per container, and a totals row', async () => {
    const app = await renderApp({ state: { docker: busy() }, rows: 50 });
    const frame = app.lastFrame();
    const lines = frame.split('\n');
    const header = lines[lines.findIndex((l) => l.includes(STATS)) + 1]!;
    for (const title of ['NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET RX / TX', 'BLOCK R / W', 'PIDS', 'CPU HISTORY']) expect(header).toContain(title);
    const redis = rowsOf(frame, STATS).find((r) => r.startsWith('netra-redis-1'))!;
    expect(redis).toMatch(/netra-redis-1\s+2\.0%\s+497MiB \/ 512MiB\s+97\.0%\s+1\.0KiB \/ 2\.0KiB\s+0B \/ 0B\s+4/);
    // Totals: CPU summed, memory summed over the summed limits, pids summed.
    const total = frame.split('\n').find((l) => l.includes('TOTAL (5)'))!;
    expect(total).toMatch(/TOTAL \(5\)\s+93\.0%\s+1\.5GiB \/ 2\.5GiB\s+59\.8%\s+5\.0KiB \/ 10\.0KiB\s+0B \/ 0B\s+20/);
  });

  it('puts the worst alert first by default; O cycles memory % → CPU % → name → severity', async () => {
    const app = await renderApp({ state: { docker: busy(), ui: { focus: 'stats' } }, rows: 50 });
    expect(titleLine(app.lastFrame(), STATS)).toContain('by severity');
    expect(names(app.lastFrame())[0]).toBe('netra-redis-1');
    await app.press('O');
    let frame = await app.waitFor((f) => titleLine(f, STATS).includes('by memory %'), 'by memory %');
    expect(names(frame)).toEqual(['netra-redis-1', 'netra-db-1', 'netra-cache-1', 'netra-api-1', 'netra-queue-1']);
    await app.press('O');
    frame = await app.waitFor((f) => titleLine(f, STATS).includes('by CPU %'), 'by CPU %');
    expect(names(frame)[0]).toBe('netra-api-1');
    await app.press('O');
    frame = await app.waitFor((f) => titleLine(f, STATS).includes('by name'), 'by name');
    expect(names(frame)).toEqual(['netra-api-1', 'netra-cache-1', 'netra-db-1', 'netra-queue-1', 'netra-redis-1']);
    // Only the focused list changed its order.
    expect(titleLine(frame, CONTAINERS)).toContain('by severity');
    await app.press('O');
    await app.waitFor((f) => titleLine(f, STATS).includes('by severity'), 'by severity again');
  });

  it('colours memory at the thresholds (≥80 % yellow, ≥90 % magenta, ≥95 % red) and CPU ≥80 % yellow', async () => {
    const app = await renderApp({ state: { docker: busy() }, rows: 50 });
    const colored = app.colorFrame();
    expect(sgrAt(colored, '97.0%')).toContain('31');
    expect(sgrAt(colored, '92.0%')).toContain('35');
    expect(sgrAt(colored, '85.0%')).toContain('33');
    expect(sgrAt(colored, '20.0%')).not.toEqual(expect.arrayContaining(['31']));
    expect(sgrAt(colored, '20.0%').some((c) => ['31', '33', '35'].includes(c))).toBe(false);
    expect(sgrAt(colored, '85.0%  ')).toContain('33');
  });

  it('rounds percentages down, so 94.99 % shows as 94.9 % in the high (not critical) colour', async () => {
    const docker = dockerWith([container({ id: 'redis' })], { redis: stats({ memPercent: 94.99 }) });
    const app = await renderApp({ state: { docker } });
    const colored = app.colorFrame();
    expect(app.lastFrame()).toContain('94.9%');
    expect(app.lastFrame()).not.toContain('95.0%');
    expect(sgrAt(colored, '94.9%')).toContain('35');
    expect(sgrAt(colored, '94.9%')).not.toContain('31');
  });

  it('2 focuses Stats; j moves its selection only; Enter opens the selected container', async () => {
    const app = await renderApp({ state: { docker: busy() }, rows: 50 });
    await app.press('2', 'j');
    let frame = await app.waitFor((f) => position(f) === '2/5', 'Stats on 2/5');
    expect(position(frame, CONTAINERS)).toBe('1/5');
    expect(highlightedRows(app.colorFrame())).toEqual([expect.stringMatching(/^netra-db-1 /)]);
    await app.press(KEY.enter);
    frame = await app.waitFor('netra-db-1 — press Esc to close');
    expect(frame).toMatch(/stats\s+CPU 2\.0%\s+MEM 471MiB \/ 512MiB \(92\.0%\)\s+PIDS 4/);
    await app.press(KEY.esc);
    await app.waitFor(STATS);
  });

  it('/ filters the Stats list; the totals follow the filter', async () => {
    const app = await renderApp({ state: { docker: busy(), ui: { focus: 'stats' } }, rows: 50 });
    await app.press('/');
    await app.type('red');
    const frame = await app.waitFor((f) => titleLine(f, STATS).includes('/red█') && position(f) === '1/1', 'one row');
    expect(names(frame)).toEqual(['netra-redis-1']);
    expect(frame).toContain('TOTAL (1)');
    expect(position(frame, CONTAINERS)).toBe('1/5');
  });

  it('draws a CPU history sparkline from the samples', async () => {
    const docker = dockerWith([container({ id: 'api' })], { api: [stats({ cpuPercent: 0 }), stats({ cpuPercent: 50 }), stats({ cpuPercent: 100 })] });
    const app = await renderApp({ state: { docker } });
    const row = rowsOf(app.lastFrame(), STATS).find((r) => r.startsWith('netra-api-1'))!;
    expect(row).toMatch(/100%.*[▁▂▃▄▅▆▇█]{3}\s*$/);
  });

  it('says when there are no stats yet', async () => {
    const app = await renderApp({ state: { docker: dockerWith([container({ id: 'api' })]) } });
    expect(app.lastFrame()).toContain('No running containers with stats yet');
    expect(app.lastFrame()).not.toContain('TOTAL (');
  });

  it('marks figures the engine stopped sending as stale, and says for how long; current ones show as before', async () => {
    const figures = { api: stats({ cpuPercent: 42 }), web: stats({ cpuPercent: 7 }) };
    const stale = dockerWith([container({ id: 'api' }), container({ id: 'web' })], figures, Date.now() - 12_000);
    const current = dockerWith([container({ id: 'api' }), container({ id: 'web' })], figures, Date.now() + 60_000);
    const docker = { ...stale, stats: { ...stale.stats, web: current.stats.web! } };
    const app = await renderApp({ state: { docker }, rows: 50 });
    const rows = rowsOf(app.lastFrame(), STATS);
    const api = rows.find((r) => r.startsWith('netra-api-1'))!;
    expect(api).toMatch(/\bstale\b/);
    expect(api).toMatch(/no stats \d+s/);
    expect(api).not.toContain('42.0%');
    const web = rows.find((r) => r.startsWith('netra-web-1'))!;
    expect(web).toContain('7.0%');
    expect(web).not.toContain('stale');
  });
});
