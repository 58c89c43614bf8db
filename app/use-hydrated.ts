"use client";
import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * False in the server's HTML and while React hydrates it, true once React runs
 * in the browser. A control whose state lives in React waits for it: before
 * then its handlers do not exist, so a click would be lost (or submit its form
 * natively) and a tick or a choice would show in the page without reaching
 * React's state.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
