import { Box, Text, useWindowSize } from 'ink';
import { useMemo } from 'react';
import type { AppState } from '../store/store';
import { useAppState, useAppStore } from './context';
import { hintLine, shownBindings } from './keys/bindings';
import { activeSets, setsBeneath } from './keys/modes';
import { CHROME_ROWS, layoutPanels } from './layout';
import { StatusBar } from './panels/StatusBar';
import { dialogOpen, overlaySpec, panelSpec } from './registry';
import { useKeyHandler } from './use-key-handler';

export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;

function TooSmall({ columns, rows }: { columns: number; rows: number }) {
  return (
    <Box flexDirection="column">
      <Text color="yellow" wrap="wrap">{`netra-console needs a window of at least ${MIN_COLUMNS}×${MIN_ROWS}; this one is ${columns}×${rows}.`}</Text>
      <Text wrap="wrap">Make the window larger (or the font smaller). Press q to quit.</Text>
    </Box>
  );
}

/** The footer: the hint words of the keys that work now, the global ones first. */
function footerText(state: AppState): string {
  const sets = activeSets(state).reverse();
  const hints = hintLine(sets.flatMap((set) => shownBindings(set, state.readOnly)), '  ');
  return state.readOnly ? `${hints}  READ-ONLY` : hints;
}

export function App() {
  useKeyHandler();
  const { columns, rows } = useWindowSize();
  const { overlay, notice, focus, zoom, dialog } = useAppState((s) => ({
    overlay: s.ui.overlay,
    notice: s.ui.notice,
    focus: s.ui.focus,
    zoom: s.ui.zoom,
    dialog: dialogOpen(s.ui.overlay),
  }));
  const store = useAppStore();
  // The footer depends on the mode only: recomputed when it changes, not on every stream flush.
  const mode = useAppState((s) => [s.ui.overlay, s.ui.focus, s.ui.filterEditing, s.readOnly, s.rollback, s.stacks.flow, s.stacks.rebuild]);
  const footer = useMemo(() => footerText(store.getState()), [store, ...mode]);
  if (columns < MIN_COLUMNS || rows < MIN_ROWS) return <TooSmall columns={columns} rows={rows} />;

  const width = columns;
  const body = rows - CHROME_ROWS;
  const spec = overlay ? overlaySpec(overlay) : undefined;
  return (
    <Box flexDirection="column" width={width} height={rows}>
      <StatusBar width={width} />
      {spec ? <spec.component width={width} height={body} beneath={setsBeneath(store.getState())} /> : null}
      {spec
        ? null
        : layoutPanels(body, focus, zoom).map(({ id, height }) => {
            const Panel = panelSpec(id).component;
            return <Panel key={id} width={width} height={height} />;
          })}
      {notice && !dialog ? (
        <Text color="yellow" wrap="truncate">{notice}</Text>
      ) : (
        <Text dimColor wrap="truncate">{footer}</Text>
      )}
    </Box>
  );
}
