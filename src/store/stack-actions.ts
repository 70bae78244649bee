import { typeConfirmation, type SwitchFlow } from '../flows/switch-machine';
import type { StackMeasurements } from '../domain/stacks';
import type { AppStore } from './store';

export function setSwitchFlow(store: AppStore, flow: SwitchFlow | null): void {
  store.setState((s) => ({ stacks: { ...s.stacks, flow } }));
}

export function editSwitchConfirmation(store: AppStore, edit: (typed: string) => string): void {
  const flow = store.getState().stacks.flow;
  if (flow) setSwitchFlow(store, typeConfirmation(flow, edit));
}

export function setMeasurements(store: AppStore, measurements: StackMeasurements): void {
  store.setState((s) => ({ stacks: { ...s.stacks, measurements } }));
}
