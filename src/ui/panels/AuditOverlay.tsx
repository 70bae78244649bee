import { Box, Text } from 'ink';
import stringWidth from 'string-width';
import { formatTraffic, type TrafficTarget } from '../../domain/cloud-run';
import { isSwitchEntry, type AnyAuditEntry, type AuditEntry, type SwitchAuditEntry } from '../../domain/audit';
import { isAlertAuditEntry, type AlertAuditEntry } from '../../domain/alert-audit';
import { useAppState } from '../context';
import { fit } from '../format';
import { closingKeys } from '../keys/overlay-keys';
import type { OverlaySpec } from '../keys/view-spec';

const RESULT_COLOR: Record<AnyAuditEntry['result'], string | undefined> = {
  succeeded: 'green',
  switched: 'green',
  built: 'green',
  stopped: 'green',
  pruned: 'green',
  unchanged: 'green',
  failed: 'red',
  conflicted: 'red',
  'timed-out': 'yellow',
  reverted: 'yellow',
  cancelled: 'yellow',
  confirmed: undefined,
  restarted: 'green',
};
/** Cells of a row before its text: `HH:MM:SS ` and the result column. */
const ROW_PREFIX = 9 + 10;
/** The overlay's border and padding. */
const FRAME = 4;

/** How much a row gives up to keep its target visible: the action first, then the service prefix of revision names. */
interface RowStyle {
  action: boolean;
  compact: boolean;
}
const ROW_STYLES: RowStyle[] = [
  { action: true, compact: false },
  { action: false, compact: false },
  { action: false, compact: true },
];

function traffic(targets: TrafficTarget[] | null, dropPrefix: string | null): string {
  if (!targets) return '-';
  const name = (t: TrafficTarget) => (t.revision && dropPrefix && t.revision.startsWith(dropPrefix) ? t.revision.slice(dropPrefix.length) : (t.revision ?? 'LATEST'));
  return formatTraffic(targets, name);
}

const cut = (text: string, width: number) => fit(text, Math.min(stringWidth(text), width));

function rowParts(entry: AuditEntry, style: RowStyle) {
  const prefix = style.compact ? `${entry.service}-` : null;
  return {
    head: ` ${entry.service}${style.action ? ` ${entry.action}` : ''}: `,
    before: traffic(entry.before, prefix),
    target: ` → ${traffic(entry.requested?.slice(0, 1) ?? null, prefix)}`,
    after: ` → ${traffic(entry.requested, prefix)}${entry.error ? ` — ${entry.error}` : ''}`,
  };
}

/**
 * ` service action: before → requested — error` in `width` cells, keeping the target (first of the requested
 * traffic) visible: the traffic before is shortened to make room for it, then the action and the service prefix
 * of revision names are left out; the rest of the line (tags kept at 0 %, the error) shows as far as it fits.
 */
function auditRowText(entry: AuditEntry, width: number): string {
  const fitsTarget = (style: RowStyle) => {
    const { head, target } = rowParts(entry, style);
    return head.length + 2 + target.length <= width;
  };
  const { head, before, target, after } = rowParts(entry, ROW_STYLES.find(fitsTarget) ?? ROW_STYLES.at(-1)!);
  const ellipsis = after.length > target.length ? 1 : 0; // the cut end of the line takes a cell
  return cut(`${head}${cut(before, Math.max(1, width - head.length - target.length - ellipsis))}${after}`, width);
}

/** ` stack action: from → to (12.3 s) — error`: a stack switch, compare, revert or build, cut to `width` cells. */
function switchRowText(entry: SwitchAuditEntry, width: number): string {
  const elapsed = entry.elapsedSeconds === null ? '' : ` (${entry.elapsedSeconds.toFixed(1)} s)`;
  return cut(` ${entry.stack} ${entry.action}: ${entry.from ?? 'nothing'} → ${entry.to}${elapsed}${entry.error ? ` — ${entry.error}` : ''}`, width);
}

/** ` ack netra-test-backend-1: note`, ` silence kind=memory (until 14:00) — comment`. */
function alertRowText(entry: AlertAuditEntry, width: number): string {
  const until = entry.expiresAt ? ` (until ${entry.expiresAt.slice(11, 16)} UTC)` : '';
  return cut(` ${entry.action} ${entry.target}${until}${entry.note ? ` — ${entry.note}` : ''}`, width);
}

function rowText(entry: AnyAuditEntry, width: number): string {
  if (isAlertAuditEntry(entry)) return alertRowText(entry, width);
  return isSwitchEntry(entry) ? switchRowText(entry, width) : auditRowText(entry, width);
}

/** What this session did (rollbacks and stack switches), newest last, as written to the audit log. */
export function AuditOverlay({ width, height }: { width: number; height: number }) {
  const { entries, path } = useAppState((s) => ({ entries: s.audit, path: s.auditPath }));
  const shown = entries.slice(-(height - 4));
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor="cyan" paddingX={1}>
      <Text bold color="cyan">{`Audit — this session (${entries.length}) · ${path} · ${OPEN_AUDIT.label} or Esc closes`}</Text>
      {shown.length === 0 ? <Text dimColor>Nothing changed yet this session.</Text> : null}
      {shown.map((e, i) => (
        <Text key={`${e.time}-${i}`} wrap="truncate">
          <Text dimColor>{`${e.time.slice(11, 19)} `}</Text>
          <Text color={RESULT_COLOR[e.result]}>{e.result.padEnd(10)}</Text>
          {rowText(e, width - FRAME - ROW_PREFIX)}
        </Text>
      ))}
    </Box>
  );
}

export const OPEN_AUDIT = { keys: [{ input: 'A' }], label: 'A', description: 'Audit view: the rollbacks, switches, builds, acks and silences of this session', hint: 'audit' };

export const AUDIT_OVERLAY: OverlaySpec = { id: 'audit', component: AuditOverlay, opener: OPEN_AUDIT, keys: closingKeys('Audit view', OPEN_AUDIT) };
