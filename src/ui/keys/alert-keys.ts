import { alertViews, parseDuration, parseSilenceMatchers } from '../../domain/alert-lifecycle';
import type { AlertView, Silence } from '../../domain/alert-lifecycle-types';
import { alertSubject } from '../../domain/alerts';
import type { DoctorSelection } from '../../domain/checks/selection';
import { printable } from '../../domain/printable';
import { selectedOf } from '../../store/selectors';
import type { AppStore } from '../../store/store';
import { setNotice, setOverlay } from '../../store/ui-actions';
import { alertRowId, matchersFor } from '../panels/alert-rows';
import type { Binding, BindingSet, KeyContext } from './bindings';
import { cancelKey, eraseKey, typedText, type EditTyped } from './dialog-keys';
import { runRunbooks } from './runbook-keys';
import { viewState } from './view-state';

export const ALERTS_VIEW = 'alerts';
/** The Alerts view taking an ack's note. */
export const ACK_PROMPT = 'alerts-ack';
/** The Alerts view taking a silence: matchers, duration, comment. */
export const SILENCE_FORM = 'alerts-silence';

export const SILENCE_FIELDS = ['matchers', 'duration', 'comment'] as const;
export const DEFAULT_SILENCE_DURATION = '2h';

interface AlertViewState {
  /** Which list j/k move in. */
  section: 'alerts' | 'silences';
  alertCursor: string | null;
  silenceCursor: string | null;
  /** The alert an ack is for (fixed when a was pressed), and its note so far. */
  ackKey: string | null;
  note: string;
  form: { values: Record<(typeof SILENCE_FIELDS)[number], string>; field: number };
}

export const alertView = viewState<AlertViewState>(() => ({
  section: 'alerts',
  alertCursor: null,
  silenceCursor: null,
  ackKey: null,
  note: '',
  form: { values: { matchers: '', duration: DEFAULT_SILENCE_DURATION, comment: '' }, field: 0 },
}));

/** Silences in effect at `now`, soonest to expire first. */
export function activeSilences(silences: readonly Silence[], now: number): Silence[] {
  return silences.filter((s) => s.createdAt <= now && now < s.expiresAt).sort((a, b) => a.expiresAt - b.expiresAt);
}

export function selectedAlert(views: readonly AlertView[], cursor: string | null): AlertView | undefined {
  return selectedOf(views, alertRowId, cursor);
}

export function selectedSilence(silences: readonly Silence[], cursor: string | null): Silence | undefined {
  return selectedOf(silences, (s) => s.id, cursor);
}

function views(store: AppStore): AlertView[] {
  return alertViews(store.getState().alertBook, Date.now());
}

function currentAlert(store: AppStore): AlertView | undefined {
  return selectedAlert(views(store), alertView.of(store).getState().alertCursor);
}

function currentSilence(store: AppStore): Silence | undefined {
  return selectedSilence(activeSilences(store.getState().alertBook.silences, Date.now()), alertView.of(store).getState().silenceCursor);
}

function move(store: AppStore, delta: number): void {
  const view = alertView.of(store);
  const silences = view.getState().section === 'silences';
  const ids = silences ? activeSilences(store.getState().alertBook.silences, Date.now()).map((s) => s.id) : views(store).map(alertRowId);
  if (ids.length === 0) return;
  const cursor = silences ? view.getState().silenceCursor : view.getState().alertCursor;
  const next = ids[Math.min(ids.length - 1, Math.max(0, Math.max(0, ids.indexOf(cursor ?? '')) + delta))]!;
  view.setState(silences ? { silenceCursor: next } : { alertCursor: next });
}

/** Runs the alert's check for what it is about and opens the Runbooks view on that result. */
function openRunbook({ store, actions }: KeyContext): void {
  const alert = currentAlert(store);
  if (!alert) return setNotice(store, 'no alert selected');
  if (!alert.check) return setNotice(store, `no runbook check behind this ${alert.alert.kind} alert: see the platform guides`);
  const subject = alertSubject(alert.alert);
  const container = alert.alert.source === 'docker' && alert.alert.kind !== 'engine-unreachable';
  const selection: DoctorSelection = container ? { code: alert.check, container: subject } : { code: alert.check };
  // A host check's target is `host`; the others are what the alert is about.
  const target = alert.alert.kind === 'engine-unreachable' ? 'host' : subject;
  runRunbooks(store, actions, selection, `${alert.check} ${target}`);
}

/** A key that needs the alerts list (not the silences) and a selected alert. */
function onAlert(run: (ctx: KeyContext, alert: AlertView) => void): Binding['run'] {
  return (ctx) => {
    if (alertView.of(ctx.store).getState().section !== 'alerts') return setNotice(ctx.store, 'S goes back to the alerts first');
    const alert = currentAlert(ctx.store);
    if (!alert) return setNotice(ctx.store, 'no alert selected');
    run(ctx, alert);
  };
}

const startAck = onAlert(({ store }, alert) => {
  if (alert.state === 'resolved') return setNotice(store, 'this alert has resolved: nothing to acknowledge');
  alertView.of(store).setState({ ackKey: alert.key, note: '' });
  setOverlay(store, ACK_PROMPT);
});

const startSilence = onAlert(({ store }, alert) => {
  alertView.of(store).setState({ form: { values: { matchers: matchersFor(alert.alert), duration: DEFAULT_SILENCE_DURATION, comment: '' }, field: 2 } });
  setOverlay(store, SILENCE_FORM);
});

function expire({ store, actions }: KeyContext): void {
  if (alertView.of(store).getState().section !== 'silences') return setNotice(store, 'x expires a silence: S selects the silences first');
  const silence = currentSilence(store);
  if (!silence) return setNotice(store, 'no silence in effect');
  actions.expireSilence(silence.id);
}

// ---------------------------------------------------------------------------------------------------------------
// Keys

export const OPEN_ALERTS = { keys: [{ input: '!' }], label: '!', description: 'Alerts view: firing, pending, acked, silenced and resolved alerts; ack and silence' };

const close: Binding['run'] = ({ store }) => setOverlay(store, null);

export const ALERT_KEYS: BindingSet = {
  title: 'Alerts view',
  bindings: [
    { keys: [{ input: 'j' }, { key: 'downArrow' }], label: 'j, ↓', description: 'Next alert (or silence)', hint: 'move', run: ({ store }) => move(store, 1) },
    { keys: [{ input: 'k' }, { key: 'upArrow' }], label: 'k, ↑', description: 'Previous alert (or silence)', run: ({ store }) => move(store, -1) },
    { keys: [{ input: 'g' }, { key: 'home' }], label: 'g, Home', description: 'First row', run: ({ store }) => move(store, -Infinity) },
    { keys: [{ input: 'G' }, { key: 'end' }], label: 'G, End', description: 'Last row', run: ({ store }) => move(store, Infinity) },
    { keys: [{ key: 'return' }], label: 'Enter', description: "Run the alert's runbook check and show it in the Runbooks view", hint: 'runbook', run: openRunbook },
    { keys: [{ input: 'a' }], label: 'a', description: 'Acknowledge the selected alert, with an optional note (until it resolves)', hint: 'ack', mutating: 'ack', run: startAck },
    { keys: [{ input: 's' }], label: 's', description: 'Silence alerts like the selected one: matchers, duration, comment', hint: 'silence', mutating: 'silence', run: startSilence },
    {
      keys: [{ input: 'S' }],
      label: 'S',
      description: 'Move between the alerts and the silences',
      hint: 'silences',
      run: ({ store }) => alertView.of(store).setState((v) => ({ section: v.section === 'alerts' ? 'silences' : 'alerts' })),
    },
    { keys: [{ input: 'x' }], label: 'x', description: 'Expire the selected silence now', hint: 'expire', mutating: 'expire silence', run: expire },
    { ...OPEN_ALERTS, description: 'Close', run: close },
    { keys: [{ key: 'escape' }], label: 'Esc', description: 'Close', hint: 'close', run: close },
  ],
};

const backToList = ({ store }: KeyContext) => setOverlay(store, ALERTS_VIEW);

const editNote: EditTyped = (store, change) => alertView.of(store).setState((v) => ({ note: change(v.note) }));

export const ACK_KEYS: BindingSet = {
  title: 'Acknowledge',
  modal: true,
  text: typedText(editNote),
  bindings: [
    {
      keys: [{ key: 'return' }],
      label: 'Enter',
      description: 'Acknowledge with the typed note (none is fine)',
      hint: 'ack',
      mutating: 'ack',
      run: (ctx) => {
        const { ackKey, note } = alertView.of(ctx.store).getState();
        backToList(ctx);
        if (ackKey) ctx.actions.ackAlert(ackKey, note.trim());
      },
    },
    eraseKey(editNote),
    cancelKey(backToList),
  ],
};

const editField: EditTyped = (store, change) =>
  alertView.of(store).setState(({ form }) => {
    const name = SILENCE_FIELDS[form.field]!;
    return { form: { ...form, values: { ...form.values, [name]: change(form.values[name]) } } };
  });

const toField = (delta: number): Binding['run'] => ({ store }) =>
  alertView.of(store).setState(({ form }) => ({ form: { ...form, field: (form.field + delta + SILENCE_FIELDS.length) % SILENCE_FIELDS.length } }));

/** Checks the form as the silence would read it; a mistake keeps the form open with its one-line reason. */
function submitSilence(ctx: KeyContext): void {
  const { store, actions } = ctx;
  const { matchers, duration, comment } = alertView.of(store).getState().form.values;
  try {
    parseSilenceMatchers(matchers);
    parseDuration(duration);
  } catch (error) {
    return setNotice(store, printable((error as Error).message));
  }
  backToList(ctx);
  actions.silenceAlerts(matchers.trim(), duration.trim(), comment.trim()).then(
    (notice) => setNotice(store, printable(notice)),
    (error: unknown) => setNotice(store, `silence not set: ${printable(error instanceof Error ? error.message : String(error))}`),
  );
}

export const SILENCE_KEYS: BindingSet = {
  title: 'Silence',
  modal: true,
  text: typedText(editField),
  bindings: [
    { keys: [{ key: 'return' }], label: 'Enter', description: 'Set the silence', hint: 'silence', mutating: 'silence', run: submitSilence },
    { keys: [{ key: 'tab', shift: true }, { key: 'upArrow' }], label: 'Shift-Tab, ↑', description: 'Previous field', run: toField(-1) },
    { keys: [{ key: 'tab', shift: false }, { key: 'downArrow' }], label: 'Tab, ↓', description: 'Next field', hint: 'next field', run: toField(1) },
    eraseKey(editField),
    cancelKey(backToList),
  ],
};
