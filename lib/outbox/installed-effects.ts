import "server-only";
import type { EffectDefinition } from "@/lib/outbox/define-effect";
import { processSlot, requireSlot } from "@/lib/process-state";

const slot = processSlot<readonly EffectDefinition[]>("outboxEffects");

/** The effects this process delivers, from the composition it was started with (lib/composition). */
export function installEffects(effects: readonly EffectDefinition[]): void {
  const kinds = effects.map((e) => e.kind);
  const twice = kinds.find((k, i) => kinds.indexOf(k) !== i);
  if (twice) throw new Error(`two outbox effects are defined with kind "${twice}"`);
  slot.set(effects);
}

export function installedEffects(): readonly EffectDefinition[] {
  return requireSlot(
    slot,
    "no outbox effects are installed: start the process through startPortal, the CLI or the test setup (lib/composition)",
  );
}
