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

type Width = (text: string) => number;
const dir = mkdtempSync(join(tmpdir(), 'netra-patched-'));
let patchedWidth: Width;

beforeAll(async () => {
  const outfile = join(dir, 'string-width.mjs');
  await build({ stdin: { contents: "export { default } from 'string-width';", resolveDir: process.cwd() }, bundle: true, format: 'esm', platform: 'node', outfile, plugins: [patchSources], logLevel: 'silent' });
  patchedWidth = ((await import(pathToFileURL(outfile).href)) as { default: Width }).default;
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

  it('string-width, patched, still counts an emoji as two cells and a box-drawing line as one a character', () => {
    expect(patchedWidth('🚀 ok')).toBe(5);
    expect(patchedWidth('│▁●✘│')).toBe(5);
  });

  it('refuses a dependency that no longer contains the text a patch replaces', () => {
    expect(() => patchSource('/x/node_modules/string-width/index.js', 'export default () => 1;')).toThrow(/contains .* 0 times, expected 1; the dependency changed/);
  });

  it('leaves the files it has no patch for alone', () => {
    expect(patchSource('/x/node_modules/left-pad/index.js', 'same')).toBe('same');
  });
});
