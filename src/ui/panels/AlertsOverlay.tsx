import { Box, Text } from 'ink';
import { useMemo } from 'react';
import { alertViews, matchersText, silencedCount } from '../../domain/alert-lifecycle';
import type { AlertBook, AlertView, Silence } from '../../domain/alert-lifecycle-types';
import { printable } from '../../domain/printable';
import type { Alert } from '../../domain/types';
import { useAppState } from '../context';
import { fit, formatDuration } from '../format';
import {
  ACK_KEYS,
  ACK_PROMPT,
  ALERT_KEYS,
  ALERTS_VIEW,
  activeSilences,
  alertView,
  OPEN_ALERTS,
  selectedAlert,
  selectedSilence,
  SILENCE_FIELDS,
  SILENCE_FORM,
  SILENCE_KEYS,
} from '../keys/alert-keys';
import type { OverlaySpec, ViewProps } from '../keys/view-spec';
import { LEVEL_COLOR } from '../theme';
import { useNow } from '../use-now';
import { alertRowId, displayState, STATE_COLOR, timeText, untrackedAlerts } from './alert-rows';

const STATE_CELLS = 10;
const LEVEL_CELLS = 9;
const TIME_CELLS = 20;
/** At most this many silences on screen: the alerts keep the room. */
const SILENCE_ROWS = 5;

/** The slice of `count` rows that keeps row `at` on screen. */
function windowAround(at: number, count: number, room: number): [number, number] {
  const start = Math.max(0, Math.min(at - Math.floor(room / 2), count - room));
  return [start, start + Math.max(1, room)];
}

function ackText(view: AlertView): string {
  if (!view.ack) return '';
  return ` · acked by ${printable(view.ack.by)}${view.ack.note ? `: ${printable(view.ack.note)}` : ''}`;
}

function AlertRow({ view, now, selected }: { view: AlertView; now: number; selected: boolean }) {
  const state = displayState(view);
  const quiet = state === 'SILENCED' || state === 'INHIBITED' || state === 'RESOLVED';
  return (
    <Text wrap="truncate" inverse={selected} dimColor={quiet && !selected}>
      <Text color={STATE_COLOR[state]} bold={state === 'FIRING'}>{fit(state, STATE_CELLS)}</Text>
      <Text color={LEVEL_COLOR[view.level]}>{fit(view.level.toUpperCase(), LEVEL_CELLS)}</Text>
      {`${fit(timeText(view, now), TIME_CELLS)}${view.flapping ? '⇅ FLAPPING ' : ''}${printable(view.alert.message)}${ackText(view)}`}
    </Text>
  );
}

/** Alerts the sources report that the book does not track yet: shown plainly, never dropped. */
function Untracked({ alerts }: { alerts: Alert[] }) {
  if (alerts.length === 0) return null;
  return (
    <>
      <Text bold wrap="truncate">{`Not tracked yet (${alerts.length}): no lifecycle, ack or silence until the console tracks them`}</Text>
      {alerts.map((alert, i) => (
        <Text key={i} wrap="truncate" dimColor={'stale' in alert && alert.stale === true}>
          <Text color="red">{fit('ACTIVE', STATE_CELLS)}</Text>
          <Text color={LEVEL_COLOR[alert.level]}>{fit(alert.level.toUpperCase(), LEVEL_CELLS)}</Text>
          {`${fit(alert.source, 9)}${printable(alert.message)}`}
        </Text>
      ))}
    </>
  );
}

function silenceText(silence: Silence, book: AlertBook, now: number): string {
  const hides = silencedCount(book, silence.id, now);
  const comment = silence.comment ? ` · "${printable(silence.comment)}"` : '';
  return `${printable(matchersText(silence.matchers))} · expires in ${formatDuration(silence.expiresAt - now)} · by ${printable(silence.author)} · hides ${hides} alert${hides === 1 ? '' : 's'}${comment}`;
}

function Silences({ book, now, focused, cursor }: { book: AlertBook; now: number; focused: boolean; cursor: string | null }) {
  const silences = activeSilences(book.silences, now);
  const chosen = focused ? selectedSilence(silences, cursor) : undefined;
  const [start, end] = windowAround(chosen ? silences.indexOf(chosen) : 0, silences.length, SILENCE_ROWS);
  return (
    <Box flexDirection="column" marginTop={1} flexShrink={0}>
      <Text bold wrap="truncate">{`Silences (${silences.length})${focused ? ' — x expires the selected one, S back to the alerts' : ' — S selects them'}`}</Text>
      {silences.length === 0 ? <Text dimColor>No silences in effect.</Text> : null}
      {silences.slice(start, end).map((s) => (
        <Text key={s.id} wrap="truncate" inverse={s === chosen}>
          {silenceText(s, book, now)}
        </Text>
      ))}
    </Box>
  );
}

function AckPrompt({ view, note }: { view: AlertView | undefined; note: string }) {
  return (
    <Box flexDirection="column" marginTop={1} flexShrink={0}>
      <Text bold color="yellow" wrap="truncate">{`Acknowledge: ${view ? printable(view.alert.message) : 'the alert has gone'}`}</Text>
      <Text wrap="truncate">
        {'Note (optional): '}
        <Text color="cyan">{`${printable(note)}█`}</Text>
      </Text>
    </Box>
  );
}

function SilenceForm({ values, field }: { values: Record<(typeof SILENCE_FIELDS)[number], string>; field: number }) {
  return (
    <Box flexDirection="column" marginTop={1} flexShrink={0}>
      <Text bold color="yellow">Silence what the matchers match (label=value, * globs) for a while:</Text>
      {SILENCE_FIELDS.map((name, i) => (
        <Text key={name} wrap="truncate">
          {`${i === field ? '▸' : ' '} ${fit(name, 10)}`}
          <Text color={i === field ? 'cyan' : undefined}>{`${printable(values[name])}${i === field ? '█' : ''}`}</Text>
        </Text>
      ))}
    </Box>
  );
}


/**
 * Every alert with its lifecycle: what needs the person on call first (firing, pending), then what someone acked or
 * silenced, then what resolved; the silences in effect under it. Ack, silence and expire from here.
 */
function AlertsOverlay({ width, height }: ViewProps) {
  const now = useNow();
  const { book, dockerAlerts, cloudAlerts, overlay, notice } = useAppState((s) => ({
    book: s.alertBook,
    dockerAlerts: s.docker.alerts,
    cloudAlerts: s.cloudRun.alerts,
    overlay: s.ui.overlay,
    notice: s.ui.notice,
  }));
  const local = alertView.use((v) => ({ section: v.section, alertCursor: v.alertCursor, silenceCursor: v.silenceCursor, ackKey: v.ackKey, note: v.note, form: v.form }));
  const views = useMemo(() => alertViews(book, now), [book, now]);
  const untracked = useMemo(() => untrackedAlerts(book, [...dockerAlerts, ...cloudAlerts]), [book, dockerAlerts, cloudAlerts]);
  const silenceCount = activeSilences(book.silences, now).length;
  const chosen = local.section === 'alerts' ? selectedAlert(views, local.alertCursor) : undefined;
  const promptRows = overlay === ACK_PROMPT ? 3 : overlay === SILENCE_FORM ? 5 : 0;
  const footerRows = promptRows > 0 && notice ? 1 : 0;
  const silenceRows = 2 + Math.max(1, Math.min(SILENCE_ROWS, silenceCount));
  const untrackedRows = untracked.length ? 1 + untracked.length : 0;
  const room = Math.max(1, height - 3 - promptRows - footerRows - silenceRows - untrackedRows);
  // Rows below the window are counted on a line of their own.
  const [start, end] = windowAround(chosen ? views.indexOf(chosen) : 0, views.length, views.length > room ? room - 1 : room);
  const total = views.length + untracked.length;
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor="cyan" paddingX={1}>
      <Text bold color="cyan" wrap="truncate">{`Alerts (${total}), most severe first within each state: firing, pending, acked, silenced, resolved — ${OPEN_ALERTS.label} or Esc closes`}</Text>
      <Box flexDirection="column" flexGrow={1} overflow="hidden">
        <Untracked alerts={untracked} />
        {total === 0 ? <Text color="green">No active alerts, and none resolved in the last hour.</Text> : null}
        {views.slice(start, end).map((view) => (
          <AlertRow key={alertRowId(view)} view={view} now={now} selected={view === chosen} />
        ))}
        {end < views.length ? <Text dimColor>{`… ${views.length - end} more below (j moves on)`}</Text> : null}
      </Box>
      <Silences book={book} now={now} focused={local.section === 'silences'} cursor={local.silenceCursor} />
      {overlay === ACK_PROMPT ? <AckPrompt view={views.find((v) => v.key === local.ackKey && v.state !== 'resolved')} note={local.note} /> : null}
      {overlay === SILENCE_FORM ? <SilenceForm values={local.form.values} field={local.form.field} /> : null}
      {/* A dialog's notices belong to it: the footer under it keeps its keys. */}
      {promptRows > 0 && notice ? <Text color="red" wrap="truncate">{notice}</Text> : null}
    </Box>
  );
}

/** The list, and the same view taking an ack's note or a silence (dialogs: they take every key, q and ? too). */
export const ALERTS_OVERLAYS: readonly OverlaySpec[] = [
  { id: ALERTS_VIEW, component: AlertsOverlay, opener: OPEN_ALERTS, keys: ALERT_KEYS },
  { id: ACK_PROMPT, component: AlertsOverlay, dialog: true, keys: ACK_KEYS },
  { id: SILENCE_FORM, component: AlertsOverlay, dialog: true, keys: SILENCE_KEYS },
];

export { OPEN_ALERTS };
