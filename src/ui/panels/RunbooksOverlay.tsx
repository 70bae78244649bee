import { Box, Text } from 'ink';
import { useEffect } from 'react';
import { printable } from '../../domain/printable';
import type { CheckResult, CheckScope } from '../../domain/checks/types';
import type { DoctorState } from '../../store/store';
import { useActions, useAppState, useAppStore } from '../context';
import { fit } from '../format';
import { FIX_WORDS, OPEN_RUNBOOKS, RESTART_CONFIRM, RESTART_KEYS, RUNBOOK_KEYS, RUNBOOKS_VIEW, runbookView, runRunbooks, selectedResult } from '../keys/runbook-keys';
import type { OverlaySpec, ViewProps } from '../keys/view-spec';
import { fixable, resultKey, runbookRows, SCOPE_TITLE, STATUS_LOOK, statusCounts } from './runbook-rows';

/** The border and the title line, and the line under the list (a fix, or the restart question). */
const CHROME = 4;
const STATUS_CELLS = 11;
const SEVERITY_CELLS = 9;
const CODE_CELLS = 7;

const clock = (ms: number) => new Date(ms).toTimeString().slice(0, 8);

/** `stack test · finished at 12:04:05 · pass 7 · fail 2 · skip 1 · error 0`: what ran and how it went, in one line. */
function runText(doctor: DoctorState): string {
  const counts = statusCounts(doctor.results);
  const done = counts.pass + counts.fail + counts.skip + counts.error;
  const state = doctor.running ? `running: ${done}/${doctor.results.length} done` : doctor.finishedAt !== null ? `finished at ${clock(doctor.finishedAt)}` : 'not run yet';
  return `${doctor.scope || 'nothing run yet'} · ${state} · pass ${counts.pass} · fail ${counts.fail} · skip ${counts.skip} · error ${counts.error}`;
}

function Status({ result }: { result: CheckResult }) {
  const look = STATUS_LOOK[result.status];
  return <Text color={look.color}>{fit(`${look.glyph} ${result.status}`, STATUS_CELLS)}</Text>;
}

type Line = { kind: 'group'; scope: CheckScope; failing: number; total: number } | { kind: 'row'; result: CheckResult };

/** The rows under a heading per scope (`Containers — 2 of 9 failing`). */
function listLines(rows: readonly CheckResult[]): Line[] {
  const lines: Line[] = [];
  for (const [i, result] of rows.entries()) {
    if (rows[i - 1]?.scope !== result.scope) {
      const group = rows.filter((r) => r.scope === result.scope);
      lines.push({ kind: 'group', scope: result.scope, failing: group.filter((r) => r.status === 'fail' || r.status === 'error').length, total: group.length });
    }
    lines.push({ kind: 'row', result });
  }
  return lines;
}

/** The slice of `count` lines that keeps line `at` on screen, near the middle. */
function windowAround(at: number, count: number, room: number): [number, number] {
  const start = Math.max(0, Math.min(at - Math.floor(room / 2), count - room));
  return [start, start + room];
}

/** Rows are keyed with the variant too: a stack's two compose variants share a check's code and target. */
function ResultList({ rows, cursor, width, room }: { rows: CheckResult[]; cursor: string | null; width: number; room: number }) {
  const lines = listLines(rows);
  const chosen = selectedResult(rows, cursor);
  const at = Math.max(0, lines.findIndex((l) => l.kind === 'row' && l.result === chosen));
  const [start, end] = windowAround(at, lines.length, room);
  const targetCells = Math.min(32, Math.max(12, Math.floor((width - STATUS_CELLS - SEVERITY_CELLS - CODE_CELLS) / 3)));
  return (
    <>
      {lines.slice(start, end).map((line) =>
        line.kind === 'group' ? (
          <Text key={`g ${line.scope}`} bold wrap="truncate">{`${SCOPE_TITLE[line.scope]} — ${line.failing} of ${line.total} failing`}</Text>
        ) : (
          <Text key={`${resultKey(line.result)} ${line.result.subject.variant ?? ''}`} inverse={line.result === chosen} wrap="truncate">
            <Status result={line.result} />
            {`${fit(line.result.severity, SEVERITY_CELLS)}${fit(line.result.code, CODE_CELLS)}${fit(printable(line.result.target), targetCells)} ${printable(line.result.title)}`}
          </Text>
        ),
      )}
    </>
  );
}

function Detail({ result }: { result: CheckResult }) {
  const look = STATUS_LOOK[result.status];
  const where = result.location ? `${result.location.file}${result.location.line === null ? '' : `:${result.location.line}`}` : 'not known';
  return (
    <Box flexDirection="column" overflow="hidden" flexGrow={1}>
      <Text wrap="truncate">
        <Text color={look.color} bold>{`${look.glyph} ${result.status.toUpperCase()}`}</Text>
        {` · ${result.severity} · ${result.code} · ${printable(result.target)}`}
      </Text>
      <Text bold wrap="wrap">{printable(result.title)}</Text>
      {result.skipReason ? <Text color="yellow" wrap="wrap">{`Skipped: ${printable(result.skipReason)}`}</Text> : null}
      <Text bold>{`Evidence (${result.evidence.length}):`}</Text>
      {result.evidence.length === 0 ? <Text dimColor>  none recorded</Text> : null}
      {result.evidence.map((line, i) => (
        <Text key={i} wrap="wrap">{`  ${printable(line)}`}</Text>
      ))}
      <Text wrap="wrap">
        <Text bold>Fix: </Text>
        {printable(result.fix)}
      </Text>
      <Text wrap="wrap">
        <Text bold>See it yourself: </Text>
        <Text color="cyan">{`$ ${printable(result.command)}`}</Text>
      </Text>
      <Text wrap="wrap">
        <Text bold>Where: </Text>
        {printable(where)}
      </Text>
    </Box>
  );
}

/** The line under the list: the restart question, or what f would do for the selected failed check. */
function BottomLine({ result, confirming, restart, readOnly }: { result: CheckResult | undefined; confirming: boolean; restart: string | null; readOnly: boolean }) {
  if (confirming && restart) {
    return <Text color="yellow" bold wrap="truncate">{`Restart container ${printable(restart)}? y restart · n or Esc cancel (nothing changes)`}</Text>;
  }
  if (!readOnly && fixable(result)) return <Text color="yellow" wrap="truncate">{`f fix: ${FIX_WORDS[result.safeFix]}`}</Text>;
  return <Text> </Text>;
}

/** The runbook checks of the last run: grouped by what they are about, failures first; Enter shows one in full. */
function RunbooksOverlay({ width, height }: ViewProps) {
  const store = useAppStore();
  const actions = useActions();
  const { doctor, overlay, readOnly } = useAppState((s) => ({ doctor: s.doctor, overlay: s.ui.overlay, readOnly: s.readOnly }));
  const { cursor, restart } = runbookView.use((v) => ({ cursor: v.cursor, restart: v.restart }));
  // Opened with nothing run yet (and no run asked by the key that opened it): run everything.
  useEffect(() => {
    const { results, running } = store.getState().doctor;
    if (runbookView.of(store).getState().lastSelection === null && results.length === 0 && !running) runRunbooks(store, actions, {});
  }, [store, actions]);
  const rows = runbookRows(doctor.results);
  const chosen = selectedResult(rows, cursor);
  const open = doctor.openKey === null ? undefined : rows.find((r) => resultKey(r) === doctor.openKey);
  const room = Math.max(1, height - CHROME - 1);
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor="cyan" paddingX={1}>
      <Text bold color="cyan" wrap="truncate">{`Runbooks — ${runText(doctor)} · ${OPEN_RUNBOOKS.label} or Esc closes`}</Text>
      <Box flexDirection="column" height={room + 1} overflow="hidden">
        {open ? <Detail result={open} /> : null}
        {!open && rows.length === 0 ? <Text dimColor>{doctor.running ? 'Gathering facts…' : 'No checks run yet: R runs them all.'}</Text> : null}
        {!open && rows.length > 0 ? <ResultList rows={rows} cursor={cursor} width={width - 4} room={room + 1} /> : null}
      </Box>
      <BottomLine result={open ?? chosen} confirming={overlay === RESTART_CONFIRM} restart={restart} readOnly={readOnly} />
    </Box>
  );
}

const RUNBOOKS_OVERLAY: OverlaySpec = { id: RUNBOOKS_VIEW, component: RunbooksOverlay, opener: OPEN_RUNBOOKS, keys: RUNBOOK_KEYS };

/** The same view asking y/n before a restart: a dialog, so only y, n and Esc work. */
const RESTART_CONFIRM_OVERLAY: OverlaySpec = { id: RESTART_CONFIRM, component: RunbooksOverlay, dialog: true, keys: RESTART_KEYS };

/** The view and its restart question, for the registry. */
export const RUNBOOKS_OVERLAYS: readonly OverlaySpec[] = [RUNBOOKS_OVERLAY, RESTART_CONFIRM_OVERLAY];
