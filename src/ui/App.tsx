import { Box, Text, useWindowSize } from 'ink';
import { useAppState } from './context';
import { activeBindings } from './keymap';
import { DetailsOverlay } from './panels/DetailsOverlay';
import { HealthPanel } from './panels/HealthPanel';
import { HelpOverlay } from './panels/HelpOverlay';
import { StatsPanel } from './panels/StatsPanel';
import { CloudRunPanel } from './panels/CloudRunPanel';
import { RevisionsOverlay } from './panels/RevisionsOverlay';
import { RollbackDialog } from './panels/RollbackDialog';
import { AuditOverlay } from './panels/AuditOverlay';
import { AlertsOverlay } from './panels/AlertsOverlay';
import { StatusBar } from './panels/StatusBar';
import { useKeyHandler } from './use-key-handler';
import { layoutPanels } from './layout';
import { LogsPanel } from './panels/LogsPanel';
import { LogEntryOverlay } from './panels/LogEntryOverlay';
import type { PanelId } from '../store/store';

export const MIN_COLUMNS = 80;
export const MIN_ROWS = 24;
/** Status bar (2 lines) and footer (1 line). */
const CHROME_ROWS = 3;

function footer(readOnly: boolean): string {
  const hints = activeBindings(readOnly)
    .filter((b) => b.hint)
    .map((b) => `${b.label.split(',')[0]} ${b.hint}`);
  return [...hints, ...(readOnly ? ['READ-ONLY'] : [])].join('  ');
}

function TooSmall({ columns, rows }: { columns: number; rows: number }) {
  return (
    <Box flexDirection="column">
      <Text color="yellow" wrap="wrap">{`netra-console needs a window of at least ${MIN_COLUMNS}×${MIN_ROWS}; this one is ${columns}×${rows}.`}</Text>
      <Text wrap="wrap">Make the window larger (or the font smaller). Press q to quit.</Text>
    </Box>
  );
}

function Panel({ id, width, height }: { id: PanelId; width: number; height: number }) {
  switch (id) {
    case 'health':
      return <HealthPanel width={width} height={height} />;
    case 'stats':
      return <StatsPanel width={width} height={height} />;
    case 'cloudrun':
      return <CloudRunPanel width={width} height={height} number={3} />;
    case 'logs':
      return <LogsPanel width={width} height={height} number={4} />;
  }
}

export function App() {
  useKeyHandler();
  const { columns, rows } = useWindowSize();
  const { overlay, notice, readOnly, focus, zoom } = useAppState((s) => ({
    overlay: s.ui.overlay,
    notice: s.ui.notice,
    readOnly: s.readOnly,
    focus: s.ui.focus,
    zoom: s.ui.zoom,
  }));
  if (columns < MIN_COLUMNS || rows < MIN_ROWS) return <TooSmall columns={columns} rows={rows} />;

  const width = columns;
  const body = rows - CHROME_ROWS;
  return (
    <Box flexDirection="column" width={width} height={rows}>
      <StatusBar width={width} />
      {overlay === 'help' ? <HelpOverlay width={width} height={body} /> : null}
      {overlay === 'details' ? <DetailsOverlay width={width} height={body} /> : null}
      {overlay === 'revisions' ? <RevisionsOverlay width={width} height={body} /> : null}
      {overlay === 'rollback' ? <RollbackDialog width={width} height={body} /> : null}
      {overlay === 'audit' ? <AuditOverlay width={width} height={body} /> : null}
      {overlay === 'logEntry' ? <LogEntryOverlay width={width} height={body} /> : null}
      {overlay === 'alerts' ? <AlertsOverlay width={width} height={body} /> : null}
      {overlay === null ? layoutPanels(body, focus, zoom).map(({ id, height }) => <Panel key={id} id={id} width={width} height={height} />) : null}
      {notice && overlay !== 'rollback' ? (
        <Text color="yellow" wrap="truncate">{notice}</Text>
      ) : (
        <Text dimColor wrap="truncate">{footer(readOnly)}</Text>
      )}
    </Box>
  );
}
