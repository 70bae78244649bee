import type { ComponentType } from 'react';
import type { AppState, PanelId } from '../../store/store';
import type { Binding, BindingSet } from './bindings';

export interface ViewProps {
  width: number;
  height: number;
}

/** A panel of the main screen, as the registry lists it. */
export interface PanelSpec {
  id: PanelId;
  /** The digit that focuses it. */
  number: number;
  title: string;
  component: ComponentType<ViewProps>;
  /** Its keys while it has the focus. */
  keys: BindingSet;
}

/** An overlay or dialog over the panels, as the registry lists it. */
export interface OverlaySpec {
  id: string;
  /** `beneath`: the key sets active under the overlay (what the help overlay lists). */
  component: ComponentType<ViewProps & { beneath: readonly BindingSet[] }>;
  /** Its keys while open; a function of the state when they change with it (a dialog's steps). */
  keys: BindingSet | ((state: AppState) => BindingSet);
  /** A dialog takes every key: not even the global ones work while it is open. */
  dialog?: boolean;
  /** It opens over another overlay and goes back to it when closed (the help, over a view with keys of its own). */
  opensOver?: true;
  /** The global key that opens it (and, pressed again, closes it). */
  opener?: Omit<Binding, 'run'>;
}

export function overlayKeys(spec: OverlaySpec, state: AppState): BindingSet {
  return typeof spec.keys === 'function' ? spec.keys(state) : spec.keys;
}
