import type { Variant } from './types';

export const VARIANT_LABEL = 'com.netra.variant';
const COMPOSE_FILES_LABEL = 'com.docker.compose.project.config_files';

/**
 * Alpine or regular stack: an explicit image label wins, then the image name, then the compose file the
 * container came from (the platform's Alpine stacks use docker-compose*.alpine*.yml files).
 */
export function detectVariant(labels: Record<string, string>, image: string): Variant {
  const label = labels[VARIANT_LABEL]?.trim().toLowerCase();
  if (label === 'alpine' || label === 'regular') return label;
  const name = image.toLowerCase();
  if (name.includes('alpine')) return 'alpine';
  if (name.includes('regular')) return 'regular';
  const composeFiles = labels[COMPOSE_FILES_LABEL];
  if (composeFiles) {
    // Comma-separated absolute paths: judge the file names, not the directories they sit in.
    const fileNames = composeFiles.split(',').map((path) => path.trim().split('/').pop()!.toLowerCase());
    return fileNames.some((file) => file.includes('alpine')) ? 'alpine' : 'regular';
  }
  return '?';
}
