/**
 * The bundle patches some dependencies for start-up time (scripts/source-patches.mjs). A patch must not change what
 * the code does: string-width's must measure every text exactly as the original does.
 */
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript build script, no types
import { patchSource, patchSources } from '../../scripts/source-patches.mjs';

type Width = (text: string, options?: { ambiguousIsNarrow?: boolean }) => number;
const dir = mkdtempSync(join(tmpdir(), 'netra-patched-'));
let patchedWidth: Width;

/** `contents` bundled as the build bundles it (with the patches) or as the dependencies ship (without). */
async function bundled<T>(name: string, contents: string, patched: boolean): Promise<T> {
  const outdir = join(dir, `${name}-${patched ? 'patched' : 'original'}`);
  await build({
    stdin: { contents, resolveDir: process.cwd() },
    bundle: true,
    format: 'esm',
    platform: 'node',
    // Split as the build splits: Ink's devtools (an optional dependency) stay behind a dynamic import.
    splitting: true,
    outdir,
    entryNames: 'entry',
    outExtension: { '.js': '.mjs' },
    define: { 'process.env.NODE_ENV': '"production"' },
    external: ['react-devtools-core'],
    // Bundled CommonJS (React) requires Node's built-ins; an ES module has no require of its own.
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    plugins: patched ? [patchSources] : [],
    logLevel: 'silent',
  });
  return (await import(pathToFileURL(join(outdir, 'entry.mjs')).href)) as T;
}

beforeAll(async () => {
  patchedWidth = (await bundled<{ default: Width }>('string-width', "export { default } from 'string-width';", true)).default;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every emoji code point, alone, as emoji presentation, with a skin tone; keycaps, flags, tags and ZWJ sequences. */
function emojiCorpus(): string[] {
  const emoji = /\p{Emoji}/u;
  const texts: string[] = [];
  for (let cp = 0xa0; cp <= 0x1faff; cp++) {
    const char = String.fromCodePoint(cp);
    if (!emoji.test(char)) continue;
    texts.push(char, `${char}\u{FE0F}`, `${char}\u{1F3FD}`, `a ${char} │`);
  }
  for (const key of '0123456789#*') texts.push(`${key}\u{FE0F}\u{20E3}`, `${key}\u{20E3}`, `x${key}\u{FE0F}\u{20E3}y`);
  const indicators = Array.from({ length: 26 }, (_, i) => String.fromCodePoint(0x1f1e6 + i));
  for (const a of indicators) for (const b of indicators) texts.push(a + b);
  texts.push(
    '\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}',
    '👩‍👩‍👧',
    '❤️‍🔥',
    '❤‍🔥',
    '👁️‍🗨️',
    '👁‍🗨',
    '🧑🏽‍💻',
    '🏳️‍🌈',
    '🏳‍🌈',
  );
  return texts;
}

const otherText = [
  '│ bench-00  netra-bench  running  healthy  ▁▂▃▅▇ ● ✘ ✔ ⇄ … · — ↑↓ ⚠ ⚠️ ★ ☆ ▶ ▶️ ◀ ◻ ◽',
  '完了しました', '한국어 각', 'e\u0301te\u0301', 'a\u200Db', 'x\u{FE0F}', '\u001B[31mred\u001B[39m ✘', '\t\u0007', 'ｱｲｳ ＡＢＣ', '',
];

describe('source patches', () => {
  it('string-width, patched, measures every emoji sequence and other text as the original', () => {
    const texts = [...emojiCorpus(), ...otherText];
    expect(texts.length).toBeGreaterThan(4000);
    const differ = texts.filter((text) => patchedWidth(text) !== stringWidth(text));
    expect(differ.map((text) => [text, patchedWidth(text), stringWidth(text)])).toEqual([]);
  });

  it('string-width, patched, measures with options as the original, and the same text the same way twice', () => {
    for (const text of ['…·●', 'ｱｲｳ', '±×÷', '🚀']) {
      expect(patchedWidth(text, { ambiguousIsNarrow: false })).toBe(stringWidth(text, { ambiguousIsNarrow: false }));
      expect(patchedWidth(text)).toBe(patchedWidth(text));
    }
    expect(patchedWidth('±', { ambiguousIsNarrow: false })).toBe(2);
    expect(patchedWidth('±')).toBe(1);
  });

  it('string-width, patched, still counts an emoji as two cells and a box-drawing line as one a character', () => {
    expect(patchedWidth('🚀 ok')).toBe(5);
    expect(patchedWidth('│▁●✘│')).toBe(5);
  });

  it('Ink, patched (caches carried from frame to frame, rows kept when their writes are unchanged), draws every frame of a changing screen as the original', async () => {
    type InkModule = { frame(step: number, columns: number): string };
    // Rows that change and rows that do not, a clipped box (overflow hidden) whose text (its styles nested and running
    // across lines) runs past its edge, wide characters cut by that edge and overwritten by a later write, invisible
    // characters, and frames of different widths in turn.
    const source = `
      import { Box, Text, renderToString } from 'ink';
      import { createElement as h } from 'react';
      const words = ['netra-backend', '完了', '🚀 deploy', 'healthy', '│▁▂▃', 'e\\u0301te', '\\u001B[31mred\\u001B[39m', 'zero\\u200Bwidth', '\\u00ADsoft\\u200D'];
      const row = (step, i) => h(Box, { key: i }, h(Text, { color: i % 2 ? 'green' : undefined, bold: step % 3 === i % 3 }, words[(step + i) % words.length] + ' ' + ((step * i) % 7)), h(Text, { wrap: 'truncate' }, ' ' + words[(step * 3 + i) % words.length].repeat(1 + (i % 3))));
      const clipped = (step) => h(Box, { width: 9, height: 2, overflow: 'hidden' }, h(Text, { wrap: 'wrap', color: 'cyan' }, '完了完了完了 ', h(Text, { bold: true, backgroundColor: 'blue' }, words[step % words.length].repeat(3))));
      const overlay = (step) => h(Box, { position: 'absolute', marginLeft: 3 + (step % 2), marginTop: 1 }, h(Text, { inverse: true }, step % 4 ? 'ab' : '完'));
      export const frame = (step, columns) => renderToString(h(Box, { flexDirection: 'column', borderStyle: 'round', width: Math.min(30, columns - 2) }, [...Array.from({ length: 6 }, (_, i) => row(step % 5 === 4 && i < 3 ? 0 : step, i)), h(Box, { key: 'c' }, clipped(step)), h(Box, { key: 'o' }, overlay(step))]), { columns });
    `;
    const patched = await bundled<InkModule>('ink', source, true);
    const original = await bundled<InkModule>('ink', source, false);
    const steps = [0, 1, 1, 2, 3, 3, 3, 4, 5, 6, 7, 8, 9, 10, 2, 0, 4, 4, 9, 14];
    const columns = (i: number) => (i % 7 === 5 ? 24 : 40);
    const frames = steps.map((step, i) => patched.frame(step, columns(i)));
    expect(frames).toEqual(steps.map((step, i) => original.frame(step, columns(i))));
    expect(frames[0]).toContain('netra-backend');
    expect(frames[0]).toContain('完了');
  }, 30_000);

  it('Ink, patched (text nodes keep their squashed text until Ink marks them dirty), draws every update of a live tree as the original', async () => {
    type InkModule = { frames(): string[] };
    // One tree kept across updates, as the console's: texts that change, nested colours (transforms) that change,
    // children inserted, removed and moved inside a text, nested texts hidden by Suspense, rows that stay the same.
    const source = `
      import { Text, Box } from 'ink';
      import { render } from 'ink-testing-library';
      import { createElement as h, Suspense } from 'react';
      const never = new Promise(() => {});
      const Pending = () => { throw never; };
      const colours = ['green', 'red', undefined, 'cyan'];
      const row = (step, i) => h(Text, { key: i, wrap: 'truncate' },
        h(Text, { color: colours[(step + i) % 4] }, 'row ' + i + ' '),
        ...(step % 3 === i % 3 ? [h(Text, { key: 'x', bold: true }, '[' + step + ']')] : []),
        ...(i === 2 ? (step % 2 ? ['b', 'a'] : ['a', 'b']).map((t) => h(Text, { key: t, color: t === 'a' ? 'yellow' : undefined }, t)) : []),
        h(Text, { key: 'tail', dimColor: step % 4 === 0 }, i === 4 ? 'step ' + step : 'same'),
        i === 1 ? h(Suspense, { fallback: h(Text, { color: 'magenta' }, '…') }, step % 5 === 3 ? h(Pending) : h(Text, null, 'ready')) : null,
      );
      const tree = (step) => h(Box, { flexDirection: 'column', width: 40 }, Array.from({ length: 6 }, (_, i) => row(step, i)));
      export function frames() {
        const app = render(tree(0));
        const out = [app.lastFrame()];
        for (const step of [1, 2, 2, 3, 4, 5, 6, 3, 7, 8, 9, 10, 11, 12]) {
          app.rerender(tree(step));
          out.push(app.lastFrame());
        }
        app.unmount();
        return out;
      }
    `;
    const patched = (await bundled<InkModule>('ink-live', source, true)).frames();
    const original = (await bundled<InkModule>('ink-live', source, false)).frames();
    expect(patched).toEqual(original);
    expect(new Set(patched).size).toBeGreaterThan(10);
    expect(patched[1]).toContain('step 1');
  }, 30_000);

  it('Ink, patched, draws the frame a key press causes at once, even right after another frame (maxFps still holds the rest)', async () => {
    type InkModule = { run(): Promise<{ afterKey: string; afterTick: string }> };
    // maxFps 0.01: without the patch, every frame after the first waits 100 s for its turn.
    const source = `
      import { Text, render, useInput } from 'ink';
      import { createElement as h, useState, useEffect } from 'react';
      import { PassThrough } from 'node:stream';
      const settle = () => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
      export async function run() {
        const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 40, rows: 5 });
        const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode() { return stdin; }, ref() { return stdin; }, unref() { return stdin; } });
        let written = '';
        stdout.on('data', (chunk) => { written += chunk.toString(); });
        let tick;
        function App() {
          const [key, setKey] = useState('none');
          const [ticks, setTicks] = useState(0);
          useEffect(() => { tick = () => setTicks((t) => t + 1); }, []);
          useInput((input) => setKey(input));
          return h(Text, null, 'key ' + key + ' ticks ' + ticks);
        }
        const app = render(h(App), { stdout, stdin, maxFps: 0.01, interactive: true, exitOnCtrlC: false, patchConsole: false });
        await settle();
        tick();
        await settle();
        stdin.write('j');
        await settle();
        const afterKey = written;
        tick();
        await settle();
        const afterTick = written;
        app.unmount();
        return { afterKey, afterTick };
      }
    `;
    const { afterKey, afterTick } = await (await bundled<InkModule>('ink-input', source, true)).run();
    expect(afterKey).toContain('key j');
    // The tick after it is not a key press: it waits for its turn.
    expect(afterTick).not.toContain('ticks 2');
  }, 30_000);

  it('Ink, patched, writes a changed line with a non-ASCII character whole, and an ASCII one from its first change as before', async () => {
    type LineUpdate = { default(previous: string, next: string, columns: number): string };
    const source = "export { default } from './node_modules/ink/build/line-update.js';";
    const patched = (await bundled<LineUpdate>('line-update', source, true)).default;
    const original = (await bundled<LineUpdate>('line-update', source, false)).default;
    const whole = (next: string) => `\u001B[1G\u001B[K${next}`;
    const boxed = ['│ bench-s1-0  running  1m05s │', '│ bench-s1-0  running  1m06s │'] as const;
    expect(patched(...boxed, 140)).toBe(whole(boxed[1]));
    expect(original(...boxed, 140)).not.toBe(whole(boxed[1]));
    const ascii = ['| bench-s1-0  running  1m05s |', '| bench-s1-0  running  1m06s |'] as const;
    expect(patched(...ascii, 140)).toBe(original(...ascii, 140));
    expect(patched(...ascii, 140)).not.toBe(whole(ascii[1]));
  }, 30_000);

  it('refuses a dependency that no longer contains the text a patch replaces', () => {
    expect(() => patchSource('/x/node_modules/string-width/index.js', 'export default () => 1;')).toThrow(/contains .* 0 times, expected 1; the dependency changed/);
  });

  it('leaves the files it has no patch for alone', () => {
    expect(patchSource('/x/node_modules/left-pad/index.js', 'same')).toBe('same');
  });
});
