/**
 * The page's `localStorage` (drafts, the pseudonymous token, reported marks), or nothing where
 * the page may not use it: reading the property throws in sandboxed frames and some privacy modes.
 */
export function pageStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
