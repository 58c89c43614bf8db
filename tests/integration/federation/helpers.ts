import { userActor } from "@/lib/access/actor";
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type CryptoKey } from "jose";
import { createProposal } from "@/lib/governance/create-proposal";
import { closeProposal } from "@/lib/governance/close-proposal";
import { advanceTestClock } from "@/lib/governance/clock";
import { servePlainAnswerLikeNext } from "@/lib/http/serve-plain-answer-like-next";
import { POST as trustMarkStatusEndpoint } from "@/lib/federation/http/trust-mark-status-endpoint";
import { seedOrg } from "@/tests/support/factories";
import { HOUR_MS, vote, type Voter } from "@/tests/integration/governance/helpers";

export const system = { type: "system" as const, id: "test" };

/** A host's federation key pair and the declaration its admission proposal carries. */
export async function makeHostDeclaration(label = crypto.randomBytes(4).toString("hex")) {
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
  const kid = `host-${label}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" };
  const entityId = `https://host-${label}.example.test`;
  return {
    entityId,
    kid,
    privateKey: privateKey as CryptoKey,
    publicJwk,
    declaration: {
      entityId,
      endpoints: [{ name: "api", url: `${entityId}/api` }],
      jwks: { keys: [publicJwk] },
      jurisdiction: "de",
      provider: "Hetzner",
    },
  };
}

/** Opens a proposal, has every voter approve it, moves the clock past its window and closes it. */
export async function passProposal(
  voters: Voter[],
  input: { kind: Parameters<typeof createProposal>[0]["kind"]; title: string; content: unknown },
) {
  const p = await createProposal({ ...input, openNow: true, actor: userActor(voters[0].user.id) });
  for (const v of voters) await vote(v, p.id, 1);
  await advanceTestClock(72 * HOUR_MS);
  return closeProposal({ proposalId: p.id, actor: system });
}

/** A host organization admitted by vote with a fresh federation declaration. */
export async function admitHost(voters: Voter[]) {
  const host = await makeHostDeclaration();
  const { org, admin } = await seedOrg({ kind: "HOST" });
  const closed = await passProposal(voters, {
    kind: "host_admission",
    title: "Admit a host",
    content: { hostOrgId: org.id, reason: "Runs the service well", federation: host.declaration },
  });
  return { ...host, org, operator: admin, closed };
}

/**
 * POSTs a body to the trust mark status endpoint as the production server
 * serves it, through the protocol fast lane's plain-answer serving (its
 * fast path included) on a loopback server of its own.
 */
export async function postToTrustMarkStatusLane(body: string, contentType = "application/x-www-form-urlencoded") {
  const server = http.createServer((req, res) => {
    void servePlainAnswerLikeNext(req, res, trustMarkStatusEndpoint, "http://localhost");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/federation/trust-mark-status`, {
      method: "POST",
      headers: { "content-type": contentType },
      body,
    });
    return { status: res.status, contentType: res.headers.get("content-type"), text: await res.text() };
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
}
