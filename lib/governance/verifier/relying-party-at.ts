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

/** A relying party and the instant (null: always) from which ballots were signed for it, until the next one's. */
export type RelyingPartyPeriod = RelyingParty & { since: Date | null };

/**
 * What a proposal's export names (docs/GOVERNANCE.md): the relying party in force when it opened, then each
 * later one with the instant it took over. `periods` ascend by `since`; the first applies to all before it.
 */
export function relyingPartiesOpenedAt(
  periods: readonly RelyingPartyPeriod[],
  openedAt: Date,
): { relyingParty: RelyingParty; changes: RelyingPartyChange[] } {
  let opened = 0;
  periods.forEach((p, i) => {
    if (p.since !== null && p.since <= openedAt) opened = i;
  });
  const rp = ({ rpId, origin }: RelyingParty) => ({ rpId, origin });
  return {
    relyingParty: rp(periods[opened]),
    changes: periods.slice(opened + 1).map((p) => ({ ...rp(p), from: (p.since ?? new Date(0)).toISOString() })),
  };
}

/**
 * The relying parties of a Guildhall's history told by its forks alone, by period: each fork origin (oldest
 * first) signed ballots until its fork was imported, and this Guildhall (`current`) since the last import.
 * What an org archive without relying-party periods (or a database before they were recorded) implies.
 */
export function relyingPartiesOfForks(
  forks: readonly (RelyingParty & { importedAt: Date })[],
  current: RelyingParty,
): RelyingPartyPeriod[] {
  const periods: RelyingPartyPeriod[] = forks.map((f, i) => ({
    rpId: f.rpId,
    origin: f.origin,
    since: i === 0 ? null : forks[i - 1].importedAt,
  }));
  periods.push({ ...current, since: forks.at(-1)?.importedAt ?? null });
  return periods;
}

/**
 * A Guildhall's relying parties, by period (ascending): the recorded periods, completed with what is implied
 * but not recorded: `current` from the last fork's import on, when no period was recorded since; the forks'
 * periods alone when none was recorded at all. A period is recorded before any ballot is dated in it
 * (lib/governance/relying-party-history.ts), so what is implied can only be a period no ballot was signed in
 * since recording began, or one of a database from before it.
 */
export function completeRelyingPartyHistory(
  recorded: readonly (RelyingParty & { since: Date })[],
  forks: readonly (RelyingParty & { importedAt: Date })[],
  current: RelyingParty,
): RelyingPartyPeriod[] {
  if (recorded.length === 0) return relyingPartiesOfForks(forks, current);
  const lastImport = forks.at(-1)?.importedAt;
  const sorted = [...recorded].sort((a, b) => a.since.getTime() - b.since.getTime());
  if (lastImport && !sorted.some((r) => r.since >= lastImport)) return [...sorted, { ...current, since: lastImport }];
  return sorted;
}

/** relyingPartiesOpenedAt over relyingPartiesOfForks: the periods of a history told by its forks alone. */
export function relyingPartiesSince(
  forks: readonly (RelyingParty & { importedAt: Date })[],
  current: RelyingParty,
  openedAt: Date,
): { relyingParty: RelyingParty; changes: RelyingPartyChange[] } {
  return relyingPartiesOpenedAt(relyingPartiesOfForks(forks, current), openedAt);
}
