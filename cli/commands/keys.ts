import { cliActor } from "@/lib/access/actor";
import type { CliCommand } from "../command";
import { CliError, flag, output } from "../command";
import { rotateSigningKey } from "@/lib/keys/rotate-signing-key";
import { signingKeyPurposes, type SigningKeyPurpose } from "@/lib/keys/signing-key-purposes";

export const keysRotate: CliCommand = {
  name: "keys rotate",
  summary:
    "replace the active signing key of a purpose (all OIDC purposes by default); old keys stay published during their overlap",
  usage: `keys rotate [--purpose ${Object.keys(signingKeyPurposes).join("|")}] [--json]`,
  async run(args) {
    const purpose = flag(args, "purpose");
    if (purpose && !Object.hasOwn(signingKeyPurposes, purpose))
      throw new CliError(`unknown purpose "${purpose}"; one of ${Object.keys(signingKeyPurposes).join(", ")}`);
    const purposes: SigningKeyPurpose[] = purpose ? [purpose as SigningKeyPurpose] : ["oidc-rs256", "oidc-es256"];
    const made: Awaited<ReturnType<typeof rotateSigningKey>>[] = [];
    for (const p of purposes) made.push(await rotateSigningKey({ purpose: p, actor: cliActor }));
    output(args, { rotated: made.map((k) => ({ purpose: k.purpose, kid: k.kid, alg: k.alg })) }, () =>
      made.map((k) => `${k.purpose}: new key ${k.kid} (${k.alg})`),
    );
  },
};
