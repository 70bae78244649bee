import type { PanelId } from '../store/store';

export interface PanelBox {
  id: PanelId;
  height: number;
}

/** Status bar (2 lines) and footer (1 line). */
export const CHROME_ROWS = 3;

/** Below this many body rows the logs panel is not in the stack; focusing it shows it zoomed. */
export const LOGS_IN_STACK_ROWS = 33;

/**
 * Heights of the stacked panels for a body of `body` rows; a zoomed panel takes it all. The Stacks panel shares
 * the Cloud Run row: it is there while it has the focus, Cloud Run the rest of the time.
 */
export function layoutPanels(body: number, focus: PanelId, zoom: boolean): PanelBox[] {
  if (zoom) return [{ id: focus, height: body }];
  const boxes = stackedPanels(body, focus);
  return focus === 'stacks' ? boxes.map((b): PanelBox => (b.id === 'cloudrun' ? { ...b, id: 'stacks' } : b)) : boxes;
}

function stackedPanels(body: number, focus: PanelId): PanelBox[] {
  if (body < LOGS_IN_STACK_ROWS) {
    if (focus === 'logs') return [{ id: 'logs', height: body }];
    const cloudrun = Math.max(8, Math.floor(body * 0.28));
    // Six rows at least: border, title, header, one row and the totals (at 80×24 the share alone gives five).
    const stats = Math.max(6, Math.floor((body - cloudrun) * 0.45));
    return [
      { id: 'health', height: body - cloudrun - stats },
      { id: 'stats', height: stats },
      { id: 'cloudrun', height: cloudrun },
    ];
  }
  const logs = Math.floor(body * 0.3);
  const cloudrun = Math.max(8, Math.floor(body * 0.2));
  const stats = Math.floor((body - logs - cloudrun) * 0.42);
  return [
    { id: 'health', height: body - logs - cloudrun - stats },
    { id: 'stats', height: stats },
    { id: 'cloudrun', height: cloudrun },
    { id: 'logs', height: logs },
  ];
}
