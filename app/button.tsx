"use client";
import { useSyncExternalStore, type ButtonHTMLAttributes } from "react";

const subscribe = () => () => {};

/**
 * A <button> for client-side actions. It stays disabled until React has
 * hydrated the page: before that its handlers do not exist, so a click on the
 * server-rendered HTML would be lost, or would submit its form natively.
 */
export function Button({ disabled, ...props }: ButtonHTMLAttributes<HTMLButtonElement>) {
  // False in the server's HTML and while hydrating, true once React runs in the browser.
  const hydrated = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  return <button {...props} disabled={disabled || !hydrated} />;
}
