"use client";
import { useEffect } from "react";
import { useRouter } from "next/navigation";

/**
 * Re-renders the page from the server every few seconds while `active`, so a
 * state that changes in the background (a batch executing) is shown as it
 * changes, without a reload. It stops once the page renders `active` false.
 */
export function RefreshWhile({ active, intervalMs = 2000 }: { active: boolean; intervalMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => router.refresh(), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, router]);
  return null;
}
