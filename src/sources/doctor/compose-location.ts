/** Where a compose service is declared: the file and the 1-based line of its key under `services:`. */
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { SourceLocation } from '../../domain/checks/types';

const CONFIG_FILES_LABEL = 'com.docker.compose.project.config_files';
const WORKING_DIR_LABEL = 'com.docker.compose.project.working_dir';

/** The line of `services.<service>:` in one compose file; null when the file cannot be read or does not declare it. */
async function serviceLine(file: string, service: string): Promise<number | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  const lineCounter = new LineCounter();
  // A file with YAML errors still yields what parsed; compose's own verdict on it is the stack check's business.
  const document = parseDocument(text, { lineCounter });
  const services = document.get('services', true);
  if (!isMap(services)) return null;
  const pair = services.items.find((item) => isScalar(item.key) && String(item.key.value) === service);
  const offset = pair && isScalar(pair.key) ? pair.key.range?.[0] : undefined;
  return offset === undefined ? null : lineCounter.linePos(offset).line;
}

/** The first of `files` that declares the service (the base file, not an override that only amends it). */
export async function serviceLocation(files: readonly string[], service: string): Promise<SourceLocation | null> {
  for (const file of files) {
    const line = await serviceLine(file, service);
    if (line !== null) return { file, line };
  }
  return null;
}

/** The compose files a container was created from (its compose labels), as absolute paths. */
export function composeFilesOf(labels: Record<string, string>): string[] {
  const workingDir = labels[WORKING_DIR_LABEL] ?? '';
  return (labels[CONFIG_FILES_LABEL] ?? '')
    .split(',')
    .map((file) => file.trim())
    .filter(Boolean)
    .map((file) => (isAbsolute(file) || !workingDir ? file : resolve(workingDir, file)));
}
