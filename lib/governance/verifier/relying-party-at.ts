import "server-only";

/** A WebAuthn relying party: the id a passkey is bound to and the origin its browser signed from. */
export type RelyingParty = { rpId: string; origin: string };

/** From `from` (an ISO instant) on, ballots are signed for this relying party. */
export type RelyingPartyChange = RelyingParty & { from: string };

/**
 * The relying party a ballot cast at `castAt` must be signed for. A passkey is bound to one relying party, so
 * a proposal that a Guildhall left open when it was forked (`org import`) is voted on at the fork with the
 * fork's passkeys: ballots cast before the fork are signed for the origin (`first`), those cast from the fork
 * on for the fork (`changes`, ascending by `from`). `castAt` is part of what the passkey signed (the ballot's
 * challenge), so a ballot cannot pick its period: one signed at the origin after the fork, or at the fork
 * dated before it, fails. ISO instants of the same precision compare as strings.
 */
export function relyingPartyAt(first: RelyingParty, changes: readonly RelyingPartyChange[], castAt: string) {
  let current: RelyingParty = first;
  for (const change of changes) if (change.from <= castAt) current = { rpId: change.rpId, origin: change.origin };
  return current;
}

/**
 * The relying parties of a Guildhall's history, by period: each fork origin (oldest first) signed ballots
 * until its fork was imported, and this Guildhall (`current`) since the last import. `openedAt` picks where a
 * proposal starts: the relying party its first ballots were signed for, then each one after it.
 */
export function relyingPartiesSince(
  forks: readonly (RelyingParty & { importedAt: Date })[],
  current: RelyingParty,
  openedAt: Date,
): { relyingParty: RelyingParty; changes: RelyingPartyChange[] } {
  const periods: { rp: RelyingParty; from: Date | null }[] = forks.map((f, i) => ({
    rp: { rpId: f.rpId, origin: f.origin },
    from: i === 0 ? null : forks[i - 1].importedAt,
  }));
  periods.push({ rp: current, from: forks.at(-1)?.importedAt ?? null });
  let opened = 0;
  periods.forEach((p, i) => {
    if (p.from !== null && p.from <= openedAt) opened = i;
  });
  return {
    relyingParty: periods[opened].rp,
    changes: periods.slice(opened + 1).map((p) => ({ ...p.rp, from: (p.from as Date).toISOString() })),
  };
}
