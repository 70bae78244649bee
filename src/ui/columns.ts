import type { Colour } from './theme';

export interface Column<Row> {
  title: string;
  width: number;
  /** Lower numbers are kept longest when the terminal is narrow. */
  priority: number;
  align?: 'left' | 'right';
  /** Takes the width left over after the fixed columns. */
  grow?: boolean;
  cell(row: Row): string;
  color?(row: Row): Colour | undefined;
}

/** Drops the least important columns until the rest fit, then gives spare width to the growing column. */
export function fitColumns<Row>(columns: readonly Column<Row>[], totalWidth: number): Column<Row>[] {
  const kept = [...columns];
  const needed = () => kept.reduce((sum, c) => sum + c.width + 1, -1);
  while (kept.length > 1 && needed() > totalWidth) {
    const leastImportant = kept.reduce((worst, c) => (c.priority > worst.priority ? c : worst));
    kept.splice(kept.indexOf(leastImportant), 1);
  }
  const spare = Math.max(0, totalWidth - needed());
  return kept.map((c) => (c.grow ? { ...c, width: c.width + spare } : c));
}
