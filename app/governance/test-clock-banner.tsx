/** Shown on every governance page while the test clock is on, so nobody mistakes a test portal for a real vote. */
export function TestClockBanner({ on, now }: { on: boolean; now: Date }) {
  if (!on) return null;
  return (
    <p
      className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
      data-testid="test-clock-banner"
    >
      Test clock on (GUILDHALL_TEST_CLOCK=1): governance time is {now.toISOString()}. Votes on this portal are not real.
    </p>
  );
}
