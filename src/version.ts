declare const __NETRA_VERSION__: string | undefined;

/** Injected by the build; tests that import sources directly see "dev". */
export const VERSION = typeof __NETRA_VERSION__ === 'string' ? __NETRA_VERSION__ : 'dev';
