/** What one doctor run checks: everything, or narrowed to a stack, a compose service, a container, or one check. */
export interface DoctorSelection {
  stack?: string;
  service?: string;
  container?: string;
  /** One catalogue code (run one check). */
  code?: string;
}

/** The run's title: "everything", "stack test", "container netra-test-backend-1, check NC101". */
export function selectionText(selection: DoctorSelection): string {
  const parts = [
    selection.stack ? `stack ${selection.stack}` : null,
    selection.service ? `service ${selection.service}` : null,
    selection.container ? `container ${selection.container}` : null,
    selection.code ? `check ${selection.code}` : null,
  ].filter((part): part is string => part !== null);
  return parts.length ? parts.join(', ') : 'everything';
}
