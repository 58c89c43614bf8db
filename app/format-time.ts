/** One way to show a moment on every page, the same on server and browser (no hydration mismatch): "2026-11-24 12:30 UTC". */
export function formatTime(value: Date | string | null | undefined, never = "never"): string {
  if (!value) return never;
  const d = typeof value === "string" ? new Date(value) : value;
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
