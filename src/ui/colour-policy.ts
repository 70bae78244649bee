/**
 * Whether colour is off: NO_COLOR (no-color.org) set and non-empty, unless FORCE_COLOR asks for colour (as in Node,
 * FORCE_COLOR wins). Chalk, which Ink draws with, already reads FORCE_COLOR, the terminal and TERM, but not NO_COLOR.
 */
export function coloursOff(env: NodeJS.ProcessEnv): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '0' && force !== 'false') return false;
  return Boolean(env.NO_COLOR);
}

const isForeground = (code: number) => (code >= 30 && code <= 39) || (code >= 90 && code <= 97);
const isBackground = (code: number) => (code >= 40 && code <= 47) || (code >= 100 && code <= 107);

/**
 * One SGR's parameters without the colours. Bold, dim and inverse are not colour and carry meaning (the selection);
 * a background marks something (a search match, a badge), so it becomes inverse (7, ended by 27) to still stand out.
 */
function sgrWithoutColour(codes: number[]): number[] {
  const kept: number[] = [];
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    // 38/48/58 (extended foreground, background, underline colour) take 5;n or 2;r;g;b.
    if (code === 38 || code === 48 || code === 58) i += codes[i + 1] === 5 ? 2 : 4;
    if (code === 48 || isBackground(code)) kept.push(7);
    else if (code === 49) kept.push(27);
    else if (code !== 38 && code !== 58 && !isForeground(code)) kept.push(code);
  }
  return kept;
}

/** The text with every colour taken out of its SGR sequences; a sequence left with nothing to do is dropped. */
export function withoutColour(text: string): string {
  return text.replace(/\x1b\[([\d;]+)m/g, (_, params: string) => {
    const kept = sgrWithoutColour(params.split(';').map(Number));
    return kept.length === 0 ? '' : `\x1b[${kept.join(';')}m`;
  });
}

/**
 * The stream to give Ink: `stdout` itself, or, when colours are off, `stdout` with colour taken out of every write.
 * Chalk caches its styles once drawn, so the colour is taken out of what Ink writes rather than out of chalk.
 */
export function stdoutForColourPolicy<Stream extends NodeJS.WritableStream>(stdout: Stream, env: NodeJS.ProcessEnv): Stream {
  if (!coloursOff(env)) return stdout;
  const write = (chunk: unknown, ...rest: unknown[]) =>
    (stdout.write as (...args: unknown[]) => boolean).call(stdout, typeof chunk === 'string' ? withoutColour(chunk) : chunk, ...rest);
  return new Proxy(stdout, {
    get(target, key) {
      if (key === 'write') return write;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
