/** Which compose projects the health panel shows: glob-like patterns where `*` matches any run of characters. */
export function matchesProjects(project: string | null, patterns: readonly string[]): boolean {
  if (!project) return false;
  return patterns.some((pattern) => globToRegExp(pattern).test(project));
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}
