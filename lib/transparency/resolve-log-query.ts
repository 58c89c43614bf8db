import "server-only";
import type { LoggedThingKind } from "@/lib/transparency/logged-things";

/**
 * What a person typed in the log page's look-up box: an entry number, or the id
 * of something the log has entries about, recognised by its prefix (ids are
 * prefixed where people read them: `lic_`, `prop_`, `po_`...). A ballot or a
 * certificate is recorded on another subject (its proposal, its license), so it
 * is found as a handed-out thing instead.
 */
export type LogQuery =
  | { kind: "entry"; index: number }
  | { kind: "subject"; subjectType: string; subjectId: string }
  | { kind: "thing"; thing: LoggedThingKind; id: string }
  | { kind: "unknown"; text: string };

const SUBJECT_BY_PREFIX: Readonly<Record<string, string>> = {
  lic: "license",
  lpl: "license_plan",
  prop: "proposal",
  po: "payout_batch",
  poi: "payout_item",
  spl: "split_policy",
  ghc: "oidc_client",
  org: "organization",
  rel: "release",
  rl: "release_line",
  ca: "certificate_authority",
  crl: "crl",
};

const THING_BY_PREFIX: Readonly<Record<string, LoggedThingKind>> = { bal: "ballot", crt: "certificate" };

export function resolveLogQuery(raw: string): LogQuery {
  const text = raw.trim();
  if (/^(0|[1-9][0-9]{0,15})$/.test(text)) return { kind: "entry", index: Number(text) };
  const match = /^([a-z]{2,5})_[A-Za-z0-9_-]{1,80}$/.exec(text);
  if (match && THING_BY_PREFIX[match[1]]) return { kind: "thing", thing: THING_BY_PREFIX[match[1]], id: text };
  if (match && SUBJECT_BY_PREFIX[match[1]])
    return { kind: "subject", subjectType: SUBJECT_BY_PREFIX[match[1]], subjectId: text };
  return { kind: "unknown", text: text.slice(0, 100) };
}
