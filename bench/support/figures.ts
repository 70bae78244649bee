// The bench's closing table: one row per figure of the issue, the console next to its baseline measured in the same
// run, the ratio and the goal. Printed as Markdown so it can go into the README as it is.

export type Unit = 'ms' | '%' | 'MiB';

export interface Figure {
  case: string;
  value: number;
  unit: Unit;
  baseline?: { what: string; value: number };
  /** A ratio to the baseline, or a plain bound on the value; none for a figure shown for context. */
  goal: { ratioAtMost: number } | { atMost: number } | null;
}

const amount = (value: number, unit: Unit) => (unit === '%' ? `${value.toFixed(2)} % of a core` : `${value.toFixed(unit === 'ms' ? 1 : 0)} ${unit}`);

function ratio(figure: Figure): number | null {
  return figure.baseline && figure.baseline.value > 0 ? figure.value / figure.baseline.value : null;
}

function goalText(figure: Figure): string {
  if (!figure.goal) return '—';
  return 'ratioAtMost' in figure.goal ? `≤ ${figure.goal.ratioAtMost}×` : `≤ ${amount(figure.goal.atMost, figure.unit)}`;
}

/** A ratio goal with no usable baseline (e.g. a baseline that took no CPU at all) is not met: never a false pass. */
function met(figure: Figure): string {
  if (!figure.goal) return '—';
  if ('atMost' in figure.goal) return figure.value <= figure.goal.atMost ? 'yes' : 'NO';
  const r = ratio(figure);
  return r !== null && r <= figure.goal.ratioAtMost ? 'yes' : 'NO';
}

function row(figure: Figure): string[] {
  const r = ratio(figure);
  return [
    figure.case,
    amount(figure.value, figure.unit),
    figure.baseline ? `${amount(figure.baseline.value, figure.unit)} (${figure.baseline.what})` : '—',
    r === null ? '—' : `${r.toFixed(2)}×`,
    goalText(figure),
    met(figure),
  ];
}

export function figuresTable(figures: readonly Figure[]): string {
  const rows = [['case', 'netra-console', 'baseline (what)', 'ratio', 'goal', 'met?'], ['---', '---:', '---', '---:', '---', '---'], ...figures.map(row)];
  return rows.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** How many figures with a goal missed it. */
export const missed = (figures: readonly Figure[]): number => figures.filter((f) => met(f) === 'NO').length;
