import { Box, Text } from 'ink';
import { useEffect, useMemo } from 'react';
import type { LogLine, Severity } from '../../domain/log-line';
import { setLogRows } from '../../store/log-actions';
import { compileSearch, windowLines } from '../../store/log-view';
import type { CloudTailStatus } from '../../store/logs-state';
import { useAppState, useAppStore, useLogRing } from '../context';
import { useNow } from '../use-now';

export const SEVERITY_COLOR: Record<Severity, string | undefined> = {
  DEFAULT: undefined,
  DEBUG: 'gray',
  INFO: undefined,
  NOTICE: 'cyan',
  WARNING: 'yellow',
  ERROR: 'red',
  CRITICAL: 'redBright',
  ALERT: 'redBright',
  EMERGENCY: 'redBright',
};

const SOURCE_WIDTH = 28;

/** Message split into plain and matching parts, for highlighting. */
function highlight(text: string, regex: RegExp | null): Array<{ text: string; match: boolean }> {
  if (!regex) return [{ text, match: false }];
  const parts: Array<{ text: string; match: boolean }> = [];
  let last = 0;
  regex.lastIndex = 0;
  for (let m = regex.exec(text); m; m = regex.exec(text)) {
    if (m[0] === '') {
      regex.lastIndex++;
      continue;
    }
    if (m.index > last) parts.push({ text: text.slice(last, m.index), match: false });
    parts.push({ text: m[0], match: true });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), match: false });
  return parts;
}

function LogRow({ line, showTime, wrap, regex, selected }: { line: LogLine; showTime: boolean; wrap: boolean; regex: RegExp | null; selected: boolean }) {
  const time = showTime ? `${line.timestamp.slice(11, 23)} ` : '';
  const source = line.source.length > SOURCE_WIDTH ? `${line.source.slice(0, SOURCE_WIDTH - 1)}…` : line.source.padEnd(SOURCE_WIDTH);
  const marked = line.origin === 'notice';
  return (
    <Text wrap={wrap ? 'wrap' : 'truncate'} inverse={selected}>
      <Text dimColor>{time}</Text>
      <Text color={marked ? 'magenta' : 'blue'}>{`${source} `}</Text>
      <Text color={SEVERITY_COLOR[line.severity]}>{`${line.severity.slice(0, 7).padEnd(7)} `}</Text>
      {marked ? <Text color="magenta">{`⚑ ${line.message}`}</Text> : null}
      {marked
        ? null
        : highlight(line.message.replace(/\s*\n\s*/g, ' ⏎ '), regex).map((part, i) => (
            <Text key={i} backgroundColor={part.match ? 'yellow' : undefined} color={part.match ? 'black' : SEVERITY_COLOR[line.severity]}>
              {part.text}
            </Text>
          ))}
    </Text>
  );
}

function cloudLabel(cloud: CloudTailStatus, now: number): { text: string; color: string } {
  if (cloud.state === 'live') return { text: '● cloud live', color: 'green' };
  if (cloud.state === 'connecting') return { text: '◌ cloud connecting', color: 'yellow' };
  if (cloud.state === 'off') return { text: '○ cloud off', color: 'gray' };
  return { text: `✘ cloud reconnecting in ${Math.max(0, Math.ceil((cloud.retryAt - now) / 1000))}s (${cloud.reason})`, color: 'red' };
}

export function LogsPanel({ width, height, number }: { width: number; height: number; number: number }) {
  const ring = useLogRing();
  const store = useAppStore();
  const now = useNow();
  const { logs, search, focused, filterEditing } = useAppState((s) => ({
    logs: s.logs,
    search: s.ui.filters.logs,
    focused: s.ui.focus === 'logs' && s.ui.overlay === null,
    filterEditing: s.ui.filterEditing && s.ui.focus === 'logs',
  }));
  const rows = Math.max(1, height - 3);
  useEffect(() => setLogRows(store, rows), [store, rows]);
  const filter = useMemo(() => ({ ...logs.filter, search }), [logs.filter, search]);
  const regex = useMemo(() => compileSearch(search), [search]);
  // lastSeq is what changes when lines arrive; the ring itself is mutated in place.
  const lines = useMemo(
    () => windowLines(ring, filter, logs.paused ? logs.anchorSeq : null, rows),
    [ring, filter, logs.paused, logs.anchorSeq, rows, logs.lastSeq],
  );
  const shown = logs.wrap ? fitWrapped(lines, rows, width - 4) : lines;
  const cursor = logs.cursorSeq;
  const cloud = cloudLabel(logs.cloud, now);
  const arrived = logs.paused && logs.pausedAtSeq !== null ? logs.lastSeq - logs.pausedAtSeq : 0;
  const filters = [
    logs.filter.minSeverity !== 'DEFAULT' ? `≥${logs.filter.minSeverity}` : null,
    logs.filter.origin !== 'all' ? (logs.filter.origin === 'cloud' ? 'Cloud Run only' : 'containers only') : null,
    search || filterEditing ? `/${search}${filterEditing ? '█' : ''}${logs.filter.onlyMatches ? ' (only matches)' : ''}` : null,
  ].filter(Boolean);
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor={focused ? 'cyan' : 'gray'} paddingX={1}>
      <Box width={width - 4}>
        <Text bold color={focused ? 'cyan' : undefined}>{`[${number}] Logs `}</Text>
        <Text color={cloud.color}>{cloud.text}</Text>
        <Text>{` · ${logs.containers} containers · ${logs.lastSeq.toLocaleString('en-US')} lines`}</Text>
        <Text color="yellow">{filters.length ? ` · ${filters.join(' · ')}` : ''}</Text>
        <Box flexGrow={1} />
        {logs.paused ? <Text inverse color="yellow">{` PAUSED +${arrived} new · End follows `}</Text> : <Text dimColor>following</Text>}
      </Box>
      {shown.length === 0 ? <Text dimColor>{ring.size === 0 ? 'Waiting for log lines…' : 'No lines pass the filters'}</Text> : null}
      {shown.map((line) => (
        <LogRow key={line.seq} line={line} showTime={logs.showTime} wrap={logs.wrap} regex={regex} selected={focused && logs.paused && line.seq === cursor} />
      ))}
    </Box>
  );
}

/** With wrapping on, keeps the newest lines whose wrapped rows fit. */
function fitWrapped(lines: LogLine[], rows: number, width: number): LogLine[] {
  let used = 0;
  let start = lines.length;
  while (start > 0) {
    const line = lines[start - 1]!;
    const cells = 13 + SOURCE_WIDTH + 9 + line.message.length;
    const needed = Math.max(1, Math.ceil(cells / Math.max(1, width)));
    if (used + needed > rows) break;
    used += needed;
    start--;
  }
  return lines.slice(start);
}
