/**
 * The console's runbooks and alert lifecycle: runs doctor into the store, restarts a container as a runbook's fix,
 * steps the alert book each second (holds, resolves, silence expiry) and keeps it in the state directory, and records
 * acks and silences. Every change a person makes here is audited; --read-only refuses them.
 */
import type Docker from 'dockerode';
import { alertConditions } from '../domain/alert-conditions';
import { ackAlert, expireSilence, lifecycleChanged, parseDuration, parseSilenceMatchers, silence, stepAlerts } from '../domain/alert-lifecycle';
import { alertAuditFields, type AlertAuditEntry, type AlertAuditFields } from '../domain/alert-audit';
import type { AlertBook } from '../domain/alert-lifecycle-types';
import { CATALOGUE } from '../domain/checks/catalogue';
import { selectionText, type DoctorSelection } from '../domain/checks/selection';
import type { CheckResult, CheckScope } from '../domain/checks/types';
import { errorLine, printable } from '../domain/printable';
import { evaluateChecks } from '../flows/doctor-run';
import { defaultAlertStatePath, loadAlertBook, saveAlertBook } from '../sources/alert-state';
import { appendAudit, osUser } from '../sources/audit-log';
import { gatherDoctorFacts } from '../sources/doctor/gather';
import { beginDoctorRun, finishDoctorRun, setAlertBook } from '../store/doctor-actions';
import type { AppStore } from '../store/store';
import { setNotice } from '../store/ui-actions';
import type { AppActions } from '../ui/context';
import type { CloudRunRuntime } from './cloud-run-runtime';
import type { Settings } from './settings';

const STEP_MS = 1_000;

export interface RunbookDeps {
  docker: Docker;
  cloud: () => CloudRunRuntime | null;
}

type RunbookActions = Pick<AppActions, 'runDoctor' | 'restartContainer' | 'ackAlert' | 'silenceAlerts' | 'expireSilence'>;

export function runbookControl(store: AppStore, settings: Settings, deps: RunbookDeps, env: NodeJS.ProcessEnv = process.env) {
  const alertsPath = defaultAlertStatePath(env);
  let timer: NodeJS.Timeout | null = null;
  let saveProblem: string | null = null;

  const audited = (fields: AlertAuditFields): boolean => {
    try {
      const entry = appendAudit<AlertAuditEntry>(settings.dockerAuditPath, fields);
      store.setState((s) => ({ audit: [...s.audit, entry] }));
      return true;
    } catch (error) {
      setNotice(store, `not done: ${errorLine(error)}`);
      return false;
    }
  };

  const save = (book: AlertBook, now: number) => {
    try {
      saveAlertBook(alertsPath, book, now);
      saveProblem = null;
    } catch (error) {
      // Said once, not every second: the alerts still work, only their memory across restarts is lost.
      const problem = errorLine(error);
      if (problem !== saveProblem) setNotice(store, problem);
      saveProblem = problem;
    }
  };

  /** One step of the lifecycle with what the sources say now; saved when something a person would see changed. */
  const step = (now = Date.now()) => {
    const s = store.getState();
    const conditions = alertConditions([...s.docker.alerts, ...s.cloudRun.alerts], Object.values(s.docker.containers));
    const before = s.alertBook;
    const after = stepAlerts(before, conditions, now);
    setAlertBook(store, after);
    if (after !== before && lifecycleChanged(before, after)) save(after, now);
  };

  const changeBook = (change: (book: AlertBook, now: number) => AlertBook, audit: (book: AlertBook) => AlertAuditFields): string | null => {
    if (store.getState().readOnly) return 'refused: the console runs --read-only';
    const now = Date.now();
    let next: AlertBook;
    try {
      next = change(store.getState().alertBook, now);
    } catch (error) {
      return errorLine(error);
    }
    if (!audited(audit(next))) return store.getState().ui.notice;
    setAlertBook(store, next);
    save(next, now);
    return null;
  };

  const refuseReadOnly = (what: string): boolean => {
    if (!store.getState().readOnly) return false;
    setNotice(store, `${what} refused: the console runs --read-only`);
    return true;
  };

  const runDoctor = (selection: DoctorSelection) => {
    if (store.getState().doctor.running) return setNotice(store, 'a doctor run is under way; wait for it to finish');
    const narrowed = narrowForScope(store, selection);
    // A run of one check (r, Enter on an alert) updates that check's results among the others; any other run is a new
    // run of its own scope (D: everything, d: a container or a stack).
    const whole = !selection.code;
    const scope = selectionText(narrowed);
    beginDoctorRun(store, scope, whole, (r) => redoes(r, narrowed), Date.now());
    const cloud = deps.cloud();
    gatherDoctorFacts(
      {
        docker: deps.docker,
        endpoint: settings.endpoint,
        dockerCli: settings.config.docker.cli,
        stacks: settings.stacks,
        projects: settings.config.docker.projects,
        cloudRun: cloud ? { target: cloud.target, services: settings.cloudRun.services } : null,
        measurements: store.getState().stacks.measurements,
      },
      narrowed,
    ).then(
      (facts) => {
        // Cloud Run starts after the engine answers: a run before that says so instead of leaving its checks out.
        if (!cloud && !narrowed.container && !narrowed.stack && !narrowed.service) facts.failures.push({ scope: 'cloudrun', message: 'Cloud Run is not connected yet (it starts after the engine answers); press R to run again' });
        finishDoctorRun(store, evaluateChecks(facts, narrowed, settings.config.doctor.exclude), whole, scope, Date.now());
      },
      (error: unknown) => {
        finishDoctorRun(store, [], false, scope, Date.now());
        setNotice(store, `doctor could not run: ${errorLine(error)}`);
      },
    );
  };

  const restartContainer = (name: string) => {
    if (refuseReadOnly('restart')) return;
    setNotice(store, `restarting ${printable(name)}…`);
    deps.docker
      .getContainer(name)
      .restart()
      .then(
        () => {
          audited({ action: 'restart', target: name, note: 'runbook fix', expiresAt: null, result: 'restarted' });
          setNotice(store, `restarted ${printable(name)}; its checks run again`);
          runDoctor({ container: name });
        },
        (error: unknown) => {
          audited({ action: 'restart', target: name, note: errorLine(error), expiresAt: null, result: 'failed' });
          setNotice(store, `restart of ${printable(name)} failed: ${errorLine(error)}`);
        },
      );
  };

  const actions: RunbookActions = {
    runDoctor,
    restartContainer,
    ackAlert(key, note) {
      const by = osUser();
      const problem = changeBook(
        (book, now) => ackAlert(book, key, { by, note, at: now }),
        (book) => alertAuditFields('ack', key, book.active[key]!.ack!),
      );
      setNotice(store, problem ?? `acknowledged ${printable(key)}`);
    },
    async silenceAlerts(matchersText, duration, comment) {
      let created: string | null = null;
      const problem = changeBook(
        (book, now) => {
          const matchers = parseSilenceMatchers(matchersText);
          const id = `s-${now.toString(36)}`;
          created = id;
          return silence(book, { id, matchers, createdAt: now, expiresAt: now + parseDuration(duration), author: osUser(), comment });
        },
        (book) => alertAuditFields('silence', book.silences.find((s) => s.id === created)!),
      );
      return problem ?? `silenced ${printable(matchersText)} for ${printable(duration)}`;
    },
    expireSilence(id) {
      const problem = changeBook(
        (book, now) => expireSilence(book, id, now),
        (book) => alertAuditFields('unsilence', book.silences.find((s) => s.id === id)!),
      );
      setNotice(store, problem ?? 'silence ended');
    },
  };

  return {
    actions,
    /** After the first frame: the saved book, then a step each second. */
    start() {
      const loaded = loadAlertBook(alertsPath);
      setAlertBook(store, loaded.book);
      if (loaded.problem) setNotice(store, loaded.problem);
      step();
      timer = setInterval(step, STEP_MS);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}

/**
 * A check of one scope asked for a container (Enter on an alert): a service-image check runs for the container's
 * stack and service, since a container's run reads no stack facts.
 */
function narrowForScope(store: AppStore, selection: DoctorSelection): DoctorSelection {
  if (!selection.code || !selection.container) return selection;
  const scope = scopeOfCode(selection.code);
  if (scope === 'container' || scope === null) return selection;
  const s = store.getState();
  const container = Object.values(s.docker.containers).find((c) => c.name === selection.container);
  const stack = s.stacks.definitions.find((d) => d.project === container?.project);
  return stack && container?.service ? { code: selection.code, stack: stack.name, service: container.service } : selection;
}

function scopeOfCode(code: string): CheckScope | null {
  for (const [scope, checks] of Object.entries(CATALOGUE)) if (checks.some((c) => c.code === code)) return scope as CheckScope;
  return null;
}

/** Whether a re-run of `selection` redoes this earlier result. */
function redoes(r: CheckResult, selection: DoctorSelection): boolean {
  if (selection.code && r.code !== selection.code) return false;
  if (selection.container && r.subject.container !== selection.container) return false;
  if (selection.stack && r.subject.stack !== selection.stack) return false;
  if (selection.service && r.subject.service !== selection.service && r.subject.cloudRunService !== selection.service) return false;
  return true;
}
