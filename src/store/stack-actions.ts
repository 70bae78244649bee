import { typeConfirmation, type SwitchFlow } from '../flows/switch-machine';
import type { StackMeasurements } from '../domain/stacks';
import type { RebuildFlow } from '../flows/rebuild-machine';
import type { AppStore } from './store';

export function setSwitchFlow(store: AppStore, flow: SwitchFlow | null): void {
  store.setState((s) => ({ stacks: { ...s.stacks, flow } }));
}

export function editSwitchConfirmation(store: AppStore, edit: (typed: string) => string): void {
  const flow = store.getState().stacks.flow;
  if (flow) setSwitchFlow(store, typeConfirmation(flow, edit));
}

export function setRebuildFlow(store: AppStore, rebuild: RebuildFlow | null): void {
  store.setState((s) => ({ stacks: { ...s.stacks, rebuild } }));
}

/** A pure change of the rebuild dialog (toggles, cursor, typed name). */
export function changeRebuild(store: AppStore, change: (flow: RebuildFlow) => RebuildFlow): void {
  const flow = store.getState().stacks.rebuild;
  if (flow) setRebuildFlow(store, change(flow));
}

export function setMeasurements(store: AppStore, measurements: StackMeasurements): void {
  store.setState((s) => ({ stacks: { ...s.stacks, measurements } }));
}
