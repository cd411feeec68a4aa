/** Where the history database lives unless --state says otherwise (its own module: no SQLite to load). */
export const DEFAULT_STATE_PATH = '.hygiene/history.db';
