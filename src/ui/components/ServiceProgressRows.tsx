import { Box, Text } from 'ink';
import type { ServiceProgress } from '../../flows/switch-machine';
import { fit } from '../format';

const PROGRESS_ICON: Record<ServiceProgress['state'], { icon: string; color?: string }> = {
  waiting: { icon: '·' },
  starting: { icon: '◌', color: 'yellow' },
  ready: { icon: '✔', color: 'green' },
  failed: { icon: '✘', color: 'red' },
};

function progressElapsed(p: ServiceProgress, now: number): string {
  if (p.state === 'ready') return p.readySeconds === null ? 'ready' : `${p.readySeconds.toFixed(1)} s`;
  if (p.startedMs === null) return '';
  return `${Math.max(0, Math.floor((now - p.startedMs) / 1000))} s`;
}

/** A row per service being brought up (a switch, a rebuild's restart): its state, how long so far, what it waits for. */
export function ServiceProgressRows({ progress, now }: { progress: readonly ServiceProgress[]; now: number }) {
  const nameWidth = Math.min(16, Math.max(7, ...progress.map((p) => p.service.length)));
  return (
    <Box flexDirection="column">
      {progress.map((p) => {
        const { icon, color } = PROGRESS_ICON[p.state];
        return (
          <Text key={p.service} color={color} wrap="truncate">
            {`  ${icon} ${fit(p.service, nameWidth)} ${fit(progressElapsed(p, now), 8, 'right')}  ${p.detail ?? p.state}`}
          </Text>
        );
      })}
    </Box>
  );
}
