import { Box } from 'ink';
import { useMemo } from 'react';
import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';
import type { Alert, ConnectionState } from '../../domain/types';
import type { CloudRunState } from '../../store/cloud-run-state';
import { healthCounts } from '../../store/selectors';
import { useAppState } from '../context';
import { OPEN_ALERTS } from './AlertsOverlay';
import { StillText } from '../components/still';
import { usePaint, type Style } from '../styled';
import { LEVEL_COLOR, type Colour } from '../theme';
import { useNow } from '../use-now';
import { attention } from './alert-rows';

const CONNECTION_LABEL = { connected: ['● connected', 'green'], connecting: ['◌ connecting', 'yellow'], unreachable: ['✘ unreachable', 'red'] } as const;

/** Retrying after a failure is still unreachable until an attempt succeeds: the label does not blink back to connecting. */
const connectionShown = (c: ConnectionState): keyof typeof CONNECTION_LABEL => (c.state === 'connecting' && c.lastError ? 'unreachable' : c.state);

interface Segment extends Style {
  text: string;
  /** Dropped first when the line is too narrow: higher drops earlier; 0 is never dropped. */
  drop: number;
}

/** Where Cloud Run data comes from, always on screen: a sandbox must never pass for production. */
function cloudRunBadge(cr: Pick<CloudRunState, 'mode' | 'project' | 'endpoint'>): { text: string; color: Colour } {
  if (cr.mode === 'sandbox') return { text: ' SANDBOX ', color: 'yellow' };
  if (cr.mode === 'endpoint') return { text: ` ENDPOINT ${cr.endpoint} `, color: 'yellow' };
  return { text: ` GCP ${cr.project} `, color: 'cyan' };
}

/** Drops the least important segments until the line fits; what matters on call (alerts, unhealthy) stays. */
function fit(segments: Segment[], width: number): Segment[] {
  const kept = [...segments];
  const total = () => kept.reduce((sum, s) => sum + stringWidth(s.text), 0);
  while (total() > width) {
    const worst = kept.reduce((max, s) => (s.drop > max ? s.drop : max), 0);
    if (worst === 0) break;
    kept.splice(kept.findLastIndex((s) => s.drop === worst), 1);
  }
  return kept;
}

/** The worst alert, cut so that how many more there are (and the key that lists them) always shows. */
function banner(top: Alert, count: number, width: number): string {
  const head = `▲ ${top.level.toUpperCase()} `;
  const more = count > 1 ? ` (+${count - 1} more: ${OPEN_ALERTS.label} lists them)` : '';
  return `${head}${cliTruncate(top.message, Math.max(10, width - stringWidth(head) - stringWidth(more)))}${more}`;
}

/** The line under the counts when nothing needs attention: quiet alerts are still there, and ! lists them. */
function calmText(quiet: number): string {
  return quiet ? `  no alert needs attention · ${quiet} acked, silenced or inhibited (${OPEN_ALERTS.label} lists them)` : '  no active alerts';
}

/**
 * Counts what needs the person on call: firing and pending alerts of the book that nobody acked or silenced (and no
 * outage inhibits), plus what the sources report that the book does not track yet (so a state without a book still
 * counts the Docker and Cloud Run alerts).
 */
export function StatusBar({ width }: { width: number }) {
  const now = useNow();
  const paint = usePaint();
  const { host, connection, containers, book, dockerAlerts, cloudAlerts, showAll, mode, project, endpoint } = useAppState((s) => ({
    host: s.docker.host,
    connection: connectionShown(s.docker.connection),
    containers: s.docker.containers,
    book: s.alertBook,
    dockerAlerts: s.docker.alerts,
    cloudAlerts: s.cloudRun.alerts,
    showAll: s.ui.showAll,
    mode: s.cloudRun.mode,
    project: s.cloudRun.project,
    endpoint: s.cloudRun.endpoint,
  }));
  const { alerts, quiet } = useMemo(() => attention(book, [...dockerAlerts, ...cloudAlerts], now), [book, dockerAlerts, cloudAlerts, now]);
  const counts = healthCounts(containers);
  const [label, color] = CONNECTION_LABEL[connection];
  const total = Object.keys(containers).length;
  const badge = cloudRunBadge({ mode, project, endpoint });
  const top = alerts[0];
  const segments = fit(
    [
      { text: ' netra-console ', bold: true, inverse: true, drop: 3 },
      { text: badge.text, color: badge.color, bold: true, inverse: true, drop: 0 },
      { text: ` alerts: ${alerts.length} `, color: alerts.length ? 'red' : 'green', bold: alerts.length > 0, drop: 0 },
      { text: '│ docker ', drop: 4 },
      { text: label, color, drop: 0 },
      { text: ` │ ${total} ${showAll ? 'containers (all)' : 'containers'}: `, drop: 0 },
      { text: `${counts.healthy} healthy `, color: 'green', drop: 2 },
      { text: `${counts.unhealthy} unhealthy`, color: counts.unhealthy ? 'red' : undefined, drop: 0 },
      { text: ` ${counts.starting} starting`, color: counts.starting ? 'yellow' : undefined, drop: 1 },
      { text: ` ${counts.none} no check`, drop: 5 },
      { text: ` ${counts.exited} exited`, drop: 5 },
      { text: ` │ ${host}`, drop: 6 },
    ],
    width,
  );
  // One pre-styled string: drawn again only when it changes.
  const line = segments.map((s) => paint(s.text, s)).join('');
  return (
    <Box flexDirection="column" width={width}>
      <StillText wrap="truncate">{line}</StillText>
      <StillText wrap="truncate" color={top ? LEVEL_COLOR[top.level] : 'gray'}>
        {top ? banner(top, alerts.length, width) : calmText(quiet)}
      </StillText>
    </Box>
  );
}
