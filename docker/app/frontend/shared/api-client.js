// Stand-in for the Netra shared frontend library.
export const API_BASE = '/api';
