// Where a profiled console spends its CPU: a V8 .cpuprofile (node --cpu-prof) cut to a time window, self time per
// function and per module, with dist/'s bundled chunks mapped back to their sources (src/…, node_modules/…) through
// the chunks' source maps.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface Profile {
  nodes: Array<{ id: number; callFrame: CallFrame }>;
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  /** Share of the busy time (everything but (idle)). */
  percent: number;
}

export interface ProfileSummary {
  windowSeconds: number;
  busyMs: number;
  functions: SelfTime[];
  modules: SelfTime[];
}

/** "src/sources/docker/watcher.ts", "node_modules/ink/build/output.js", "node:internal/…". */
function modulePath(file: string): string {
  const inModules = file.indexOf('node_modules/');
  if (inModules >= 0) return file.slice(inModules);
  const inSrc = file.lastIndexOf('src/');
  return inSrc >= 0 ? file.slice(inSrc) : file;
}

function sourceMapper() {
  const maps = new Map<string, SourceMap | null>();
  const mapOf = (file: string) => {
    if (!maps.has(file)) maps.set(file, existsSync(`${file}.map`) ? new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8'))) : null);
    return maps.get(file)!;
  };
  return (frame: CallFrame): { module: string; line: number } => {
    if (!frame.url.startsWith('file://')) return { module: frame.url || '(native)', line: frame.lineNumber + 1 };
    const file = fileURLToPath(frame.url);
    const entry = mapOf(file)?.findEntry(frame.lineNumber, frame.columnNumber);
    if (entry && 'originalSource' in entry) return { module: modulePath(entry.originalSource), line: entry.originalLine + 1 };
    return { module: modulePath(file), line: frame.lineNumber + 1 };
  };
}

function top(totals: Map<string, number>, busyMs: number, count: number): SelfTime[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, ms]) => ({ name, ms, percent: (ms / busyMs) * 100 }));
}

/** Self time of the samples from `fromMs` to `toMs` after the profile started. */
export function summariseProfile(path: string, fromMs: number, toMs: number, count = 10): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const mapFrame = sourceMapper();
  const labels = new Map<number, { fn: string; module: string }>();
  for (const node of profile.nodes) {
    const { functionName, url } = node.callFrame;
    // (garbage collector), (program), (idle), (root): V8's own entries, with no code behind them.
    if (url === '' && functionName.startsWith('(')) {
      labels.set(node.id, { fn: functionName, module: functionName });
      continue;
    }
    const { module, line } = mapFrame(node.callFrame);
    labels.set(node.id, { fn: `${functionName || '(anonymous)'} ${module}:${line}`, module });
  }
  const functions = new Map<string, number>();
  const modules = new Map<string, number>();
  let busyMs = 0;
  let at = 0;
  profile.samples.forEach((id, i) => {
    const ms = profile.timeDeltas[i]! / 1000;
    at += ms;
    const label = labels.get(id)!;
    if (at < fromMs || at > toMs || label.fn === '(idle)') return;
    busyMs += ms;
    functions.set(label.fn, (functions.get(label.fn) ?? 0) + ms);
    modules.set(label.module, (modules.get(label.module) ?? 0) + ms);
  });
  return { windowSeconds: (toMs - fromMs) / 1000, busyMs, functions: top(functions, busyMs, count), modules: top(modules, busyMs, count) };
}

export function profileReport(title: string, s: ProfileSummary): string {
  const lines = (rows: SelfTime[]) => rows.map((r, i) => `  ${String(i + 1).padStart(2)}. ${r.ms.toFixed(0).padStart(6)} ms ${r.percent.toFixed(1).padStart(5)} %  ${r.name}`);
  return [
    `${title}: ${s.busyMs.toFixed(0)} ms of CPU over ${s.windowSeconds.toFixed(0)} s (${((s.busyMs / s.windowSeconds / 1000) * 100).toFixed(2)} % of a core, profiler on)`,
    ' top self time by function (source via dist/ source maps):',
    ...lines(s.functions),
    ' top self time by module:',
    ...lines(s.modules),
  ].join('\n');
}
