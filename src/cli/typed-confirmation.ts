import { createInterface } from 'node:readline/promises';

/** Asks on the terminal (stderr, so stdout stays the report) and says whether exactly `expected` was typed. */
export async function typedConfirmation(question: string, expected: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim() === expected;
  } finally {
    rl.close();
  }
}
