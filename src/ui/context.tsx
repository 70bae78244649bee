import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { LogLine } from '../domain/log-line';
import type { StackVariant } from '../domain/stacks';
import type { DoctorSelection } from '../domain/checks/selection';
import type { LogRing } from '../store/log-ring';
import type { AppState, AppStore } from '../store/store';

/** What the views may ask of the outside world; wired to sources by the composition root. */
export interface AppActions {
  setShowAll(showAll: boolean): void;
  refreshCloudRun(): void;
  /** Runs the confirmed rollback in the store to its end (audited). */
  runRollback(): void;
  /** Closes a rollback that was not sent, auditing the cancellation. */
  cancelRollback(): void;
  /**
   * Opens the switch dialog for a stack and runs its preflight (`compare`: there and back, measuring both); `to`
   * defaults to the variant that does not run now. Refused (a notice) in --read-only.
   */
  startSwitch(stack: string, kind: 'switch' | 'compare', to?: StackVariant): void;
  /** Runs the confirmed switch in the store to its end (audited). */
  runSwitch(): void;
  /** Builds the plan's missing images, then runs preflight again. */
  buildMissing(): void;
  /** After a failed switch: back to the variant that ran before (audited). */
  revertSwitch(): void;
  /** Closes the switch dialog; a plan that was not confirmed is audited as cancelled. Nothing runs on. */
  closeSwitch(): void;
  /**
   * Opens the rebuild dialog for a stack (one service when given), reading its services and what a prune would
   * reclaim; `variant` defaults to the one running (else alpine). Refused (a notice) in --read-only.
   */
  startRebuild(stack: string, service?: string, variant?: StackVariant): void;
  /** Runs the confirmed rebuild in the store to its end (audited): prune, build, measure, restart as chosen. */
  runRebuild(): void;
  /** Closes the rebuild dialog; a confirmation that was not given is audited as cancelled. Nothing runs on. */
  closeRebuild(): void;
  /**
   * Runs the runbook checks (all of the selection, or one `code`) into the store's `doctor` slice, live. A run
   * already under way is not started twice.
   */
  runDoctor(selection: DoctorSelection): void;
  /** Restarts a container after the view confirmed it (audited; refused in --read-only with a notice). */
  restartContainer(name: string): void;
  /** Acknowledges an alert (who: the user; a note); it ends by itself when the alert resolves. Audited. */
  ackAlert(key: string, note: string): void;
  /** Silences what the matchers match (e.g. `kind=memory subject=netra-*`) for a duration (`2h`); audited. Resolves with a one-line notice. */
  silenceAlerts(matchers: string, duration: string, comment: string): Promise<string>;
  /** Ends a silence now (audited). */
  expireSilence(id: string): void;
  /** Writes the filtered log lines to a file; resolves with a one-line notice. */
  saveLogs(): Promise<string>;
  /** Fetches the whole Cloud Logging entry behind a line into the store's `logs.entry`. */
  loadLogEntry(line: LogLine): void;
}

interface AppContextValue {
  store: AppStore;
  actions: AppActions;
  /** Log lines live outside the store (a bounded ring); the store only says when new ones arrived. */
  logRing: LogRing;
}

const AppContext = createContext<AppContextValue | null>(null);

export function AppProvider({ store, actions, logRing, children }: AppContextValue & { children: ReactNode }) {
  return <AppContext.Provider value={{ store, actions, logRing }}>{children}</AppContext.Provider>;
}

function useAppContext(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('AppProvider is missing');
  return value;
}

export const useAppStore = (): AppStore => useAppContext().store;
export const useActions = (): AppActions => useAppContext().actions;
export const useLogRing = (): LogRing => useAppContext().logRing;

/** Selects from the store; shallow comparison keeps object and array selections stable between renders. */
export function useAppState<T>(selector: (state: AppState) => T): T {
  return useStore(useAppStore(), useShallow(selector));
}
