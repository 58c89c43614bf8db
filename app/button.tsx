"use client";
import type { ButtonHTMLAttributes } from "react";
import { useHydrated } from "@/app/use-hydrated";

/**
 * A <button> for client-side actions. It stays disabled until React has
 * hydrated the page: before that its handlers do not exist, so a click on the
 * server-rendered HTML would be lost, or would submit its form natively.
 */
export function Button({ disabled, ...props }: ButtonHTMLAttributes<HTMLButtonElement>) {
  const hydrated = useHydrated();
  return <button {...props} disabled={disabled || !hydrated} />;
}
