import type { PrunePlan } from '../domain/build';
import type { RebuildReport, ServiceBuildReport } from '../flows/rebuild-machine';
import { runningText } from '../flows/switch-machine';

/** Sizes as docker prints them (decimal MB), since the guides' budgets are written that way. */
export function megabytes(bytes: number | null): string {
  return bytes === null ? '-' : `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`;
}

function ratioText(s: ServiceBuildReport): string {
  return s.cacheHitRatio === null ? 'no cacheable steps' : `${s.cachedSteps}/${s.cacheableSteps} cached (${Math.round(s.cacheHitRatio * 100)} %)`;
}

function signed(value: number, unit: string, digits = 1): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(digits)}${unit}`;
}

function serviceLines(s: ServiceBuildReport): string[] {
  if (s.notBuilt) return [`- ${s.service}: not built (compose stopped before it; its image is unchanged)`];
  const mark = s.failure ? '✘' : s.level === 'over' ? '!' : '✔';
  const budget = s.level === 'over' ? ` OVER its ${megabytes(s.budgetBytes)} budget` : s.level === 'warning' ? ` (over the warning size; budget ${megabytes(s.budgetBytes)})` : '';
  const seconds = s.seconds === null ? '' : ` in ${s.seconds.toFixed(1)} s`;
  const lines = [`${mark} ${s.service}: ${s.image} ${megabytes(s.imageSizeBytes)}${budget}${seconds}, ${ratioText(s)}`];
  const p = s.previous;
  if (p) {
    const deltas = [p.secondsDelta === null ? null : signed(p.secondsDelta, ' s'), p.sizeDeltaBytes === null ? null : signed(p.sizeDeltaBytes / 1e6, ' MB'), p.ratioDelta === null ? null : signed(p.ratioDelta * 100, ' % cache hits', 0)].filter(Boolean);
    lines.push(`    since the last build: ${deltas.join(', ') || 'no change'}${p.firstBroken ? `; cache broke at ${p.firstBroken.name} (${p.firstBroken.reason})` : ''}`);
  }
  for (const layer of s.largestLayers) lines.push(`    ${megabytes(layer.sizeBytes).padStart(9)}  ${layer.createdBy}`);
  if (s.failure) {
    lines.push(`    failed at ${s.failure.step}:`, ...s.failure.lines.slice(-8).map((l) => `      ${l}`), ...s.failure.hints.map((h) => `    hint: ${h}`));
  }
  return lines;
}

/** What a scoped prune would remove, before it is confirmed. */
export function describePrunePlan(plan: PrunePlan): string {
  const images = plan.danglingImages.reduce((sum, i) => sum + i.sizeBytes, 0);
  return [
    `the prune first removes (images and containers of ${plan.project} only):`,
    `  ${plan.danglingImages.length} dangling image(s), up to ${megabytes(images)} (layers other images share stay)`,
    `  ${plan.stoppedContainers.length} stopped container(s)${plan.stoppedContainers.length ? `: ${plan.stoppedContainers.map((c) => c.name).join(', ')}` : ''}`,
    `  builder cache older than ${plan.cacheOlderThanHours} h (the engine's, of every project)`,
    '  images of other projects and every volume stay',
  ].join('\n');
}

/** The rebuild in words: per service the image against its budget, cache hits, what changed, where the size is. */
export function describeRebuild(report: RebuildReport): string {
  const head = report.result === 'built' ? `✔ ${report.stack} (${report.variant}) built in ${report.elapsedSeconds.toFixed(1)} s${report.noCache ? ', clean' : ''}` : `✘ ${report.stack} (${report.variant}): ${report.error ?? 'the build failed'}`;
  const lines = [head, ...report.services.flatMap(serviceLines)];
  if (report.pruned) {
    lines.push(`pruned: ${megabytes(report.pruned.reclaimedBytes)} reclaimed (this stack's dangling images and stopped containers, old builder cache)`);
    lines.push(...report.pruned.errors.map((e) => `  not pruned: ${e}`));
  }
  if (report.slowestSteps.length) lines.push('slowest:', ...report.slowestSteps.map((s) => `  ${s.seconds.toFixed(1).padStart(6)} s  ${s.service}  ${s.name}`));
  if (report.restart) {
    const r = report.restart;
    lines.push(r.result === 'switched' ? `restarted: every service healthy in ${r.elapsedSeconds.toFixed(1)} s` : `restart failed: ${r.error}; runs now: ${runningText(r.runningNow)}`);
  }
  return lines.join('\n');
}
