import { userActor } from "@/lib/access/actor";
import { beforeAll, describe, expect, it } from "vitest";
import { calculateJwkThumbprint, compactVerify, createLocalJWKSet, decodeJwt, decodeProtectedHeader } from "jose";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors/app-error";
import { canonicalJson } from "@/lib/crypto/canonical-json";
import { sha256Hex } from "@/lib/crypto/hash";
import { getPublicJwks } from "@/lib/keys/get-public-jwks";
import { createProposal } from "@/lib/governance/create-proposal";
import {
  getServiceConfiguration,
  getServiceConfigurationVersionOrThrow,
  republishServiceConfiguration,
} from "@/lib/governance/federation/publish-service-configuration";
import { buildDnsZone } from "@/lib/governance/federation/build-dns-zone";
import type { ServiceConfigurationPayload } from "@/lib/governance/federation/build-service-configuration";
import { GET as getVersion } from "@/app/.well-known/guildhall/service-configuration/[version]/route";
import { seedOrg, seedUser } from "@/tests/support/factories";
import { openRelease, seedVoter, useTestClock, vote, type Voter } from "@/tests/integration/governance/helpers";
import { admitHost, makeHostDeclaration, passProposal, system } from "./helpers";
import { advanceTestClock } from "@/lib/governance/clock";
import { closeProposal } from "@/lib/governance/close-proposal";
import { integrateLog } from "@/lib/transparency/integrate-log";
import { getLogSigner } from "@/lib/transparency/log-signer";
import { parseNote, parseVerifierKey, verifyNoteSignature } from "@/lib/merkle/signed-note";
import { parseCheckpointText } from "@/lib/merkle/checkpoint";

useTestClock();

async function verified(jws: string) {
  const jwks = createLocalJWKSet(await getPublicJwks(["federation"]));
  const { payload } = await compactVerify(jws, jwks);
  return JSON.parse(new TextDecoder().decode(payload));
}

/** A configuration's payload, unverified: for versions whose signature another test checks. */
const configurationOf = (jws: string) => decodeJwt<ServiceConfigurationPayload>(jws);

async function caught(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe("the signed service configuration", () => {
  let voters: Voter[];
  beforeAll(async () => {
    voters = [await seedVoter(), await seedVoter(), await seedVoter()];
  });

  it("an admission signs a version listing the host as declared, recorded in the audit chain", async () => {
    const before = await getServiceConfiguration();
    const host = await admitHost(voters);
    expect(host.closed.effect.effectNote).toMatch(/Service configuration version \d+ signed/);
    const current = await getServiceConfiguration();
    expect(current.version).toBeGreaterThan(before.version);
    expect(current.cause).toBe("host_admitted");
    expect(decodeProtectedHeader(current.jws)).toMatchObject({
      alg: "ES256",
      typ: "guildhall-service-configuration+jws",
    });
    const payload = await verified(current.jws);
    expect(sha256Hex(canonicalJson(payload))).toBe(current.digest);
    expect(payload.hosts).toContainEqual(
      expect.objectContaining({
        hostOrgId: host.org.id,
        entityId: host.entityId,
        jwks: { keys: [host.publicJwk] },
        jurisdiction: "DE",
        provider: "Hetzner",
        endpoints: [{ name: "api", url: `${host.entityId}/api` }],
      }),
    );
    expect(payload.quorum.hostsRequired).toBe(Math.floor(payload.hosts.length / 2) + 1);
    expect(payload.logCheckpoint).toBeNull();
    const event = await db().auditEvent.findFirstOrThrow({
      where: { action: "service_configuration.published", subjectId: String(current.version) },
    });
    expect(event.stateDigest).toBe(current.digest);
  });

  it("a removal signs a version without the host; the earlier version stays fetchable with it", async () => {
    const host = await admitHost(voters);
    const withHost = await getServiceConfiguration();
    await passProposal(voters, {
      kind: "host_removal",
      title: "Remove the host",
      content: { hostOrgId: host.org.id, reason: "Left" },
    });
    const after = await getServiceConfiguration();
    expect(after.cause).toBe("host_removed");
    expect((await verified(after.jws)).hosts.map((h: { entityId: string }) => h.entityId)).not.toContain(host.entityId);
    const old = await getServiceConfigurationVersionOrThrow(withHost.version);
    expect(old.jws).toBe(withHost.jws);
    expect(configurationOf(old.jws).hosts.map((h) => h.entityId)).toContain(host.entityId);
    const res = await getVersion(new Request(`http://localhost/x/${withHost.version}`), {
      params: Promise.resolve({ version: String(withHost.version) }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/jose");
    expect(await res.text()).toBe(withHost.jws);
  });

  it("a quorum vote and a release approval each sign a version", async () => {
    await passProposal(voters, {
      kind: "federation_quorum",
      title: "Two hosts suffice",
      content: { quorum: { type: "count", hosts: 2 }, reason: "Small federation" },
    });
    const quorum = await getServiceConfiguration();
    expect(quorum.cause).toBe("quorum_changed");
    expect(configurationOf(quorum.jws).quorum).toEqual({ type: "count", hosts: 2, hostsRequired: 2 });

    const release = await openRelease(voters[0]);
    for (const v of voters) await vote(v, release.id, 1);
    await advanceTestClock(72 * 3_600_000);
    await closeProposal({ proposalId: release.id, actor: system });
    const released = await getServiceConfiguration();
    expect(released.cause).toBe("release_approved");
    const payload = configurationOf(released.jws);
    const approved = await db().release.findUniqueOrThrow({ where: { proposalId: release.id } });
    const line = payload.releaseLines.find((l) => l.id === approved.releaseLineId);
    expect(line?.releases).toContainEqual(
      expect.objectContaining({ id: approved.id, sha256: approved.artifactSha256 }),
    );
    const manifest = await db().releaseManifest.findFirstOrThrow({ orderBy: { seq: "desc" } });
    expect(payload.releaseManifest).toEqual({ seq: manifest.seq, digest: manifest.digest });
    // The quorum rule carries over to versions made by other outcomes.
    expect(payload.quorum.type).toBe("count");
  });

  it("refuses a declaration with a private key, a forged key or another host's entity id, and changes nothing", async () => {
    const taken = await admitHost(voters);
    const { org } = await seedOrg({ kind: "HOST" });
    const fresh = await makeHostDeclaration();
    const count = await db().proposal.count();
    const propose = (federation: unknown) =>
      createProposal({
        kind: "host_admission",
        title: "Admit",
        content: { hostOrgId: org.id, reason: "r", federation },
        openNow: true,
        actor: userActor(voters[0].user.id),
      });
    await expect(
      propose({ ...fresh.declaration, jwks: { keys: [{ ...fresh.publicJwk, d: "secret" }] } }),
    ).rejects.toThrow(/public key only/);
    await expect(propose({ ...fresh.declaration, entityId: "https://host.example.test/?a=1" })).rejects.toThrow(
      /no query/,
    );
    await expect(propose({ ...fresh.declaration, entityId: "http://host.example.test" })).rejects.toThrow(/loopback/);
    const badKey = await caught(
      propose({ ...fresh.declaration, jwks: { keys: [{ kty: "EC", crv: "P-256", kid: "x", x: "AA", y: "AA" }] } }),
    );
    expect(badKey.reason).toBe("BAD_FEDERATION_KEY");
    const takenId = await caught(propose({ ...fresh.declaration, entityId: taken.entityId }));
    expect(takenId.reason).toBe("ENTITY_ID_TAKEN");
    expect(await db().proposal.count()).toBe(count);
  });

  it("only an org admin republishes, with a reason; the wrong user is refused and nothing is signed", async () => {
    const before = await getServiceConfiguration();
    const { user } = await seedUser({ roles: ["MEMBER"] });
    expect(
      (await caught(republishServiceConfiguration({ reason: "key rotated", actor: { type: "user", id: user.id } })))
        .code,
    ).toBe("FORBIDDEN");
    expect((await caught(republishServiceConfiguration({ reason: " ", actor: system }))).reason).toBe("NO_REASON");
    expect((await getServiceConfiguration()).version).toBe(before.version);
    const { user: admin } = await seedUser({ roles: ["ORG_ADMIN"] });
    const again = await republishServiceConfiguration({ reason: "key rotated", actor: { type: "user", id: admin.id } });
    expect(again.version).toBe(before.version + 1);
    const { cause, issuedAt: _a, version: _v, ...facts } = await verified(again.jws);
    const { issuedAt: _b, version: _w, cause: _c, ...previous } = await verified(before.jws);
    expect(cause).toEqual({ kind: "republished", reason: "key rotated" });
    expect(facts).toEqual(previous);
  });

  it("carries the transparency log's newest signed checkpoint, read when the version is signed", async () => {
    await integrateLog();
    const { user: admin } = await seedUser({ roles: ["ORG_ADMIN"] });
    const signed = await republishServiceConfiguration({
      reason: "log checkpoint",
      actor: { type: "user", id: admin.id },
    });
    const carried = (await verified(signed.jws)).logCheckpoint;
    const stored = await db().logCheckpoint.findFirstOrThrow({ orderBy: { size: "desc" } });
    expect(carried).toEqual({
      origin: (await getLogSigner()).name,
      treeSize: Number(stored.size),
      rootHash: Buffer.from(stored.rootHash).toString("base64"),
      signedNote: stored.note,
    });
    const checkpoint = parseCheckpointText(parseNote(carried.signedNote).text);
    expect(checkpoint.size).toBe(carried.treeSize);
    expect(checkpoint.rootHash.toString("base64")).toBe(carried.rootHash);
    expect(verifyNoteSignature(carried.signedNote, parseVerifierKey((await getLogSigner()).verifierKey))).toBe(true);
  });

  it("the DNS zone names the trust anchor's key thumbprints and the current digest", async () => {
    const zone = await buildDnsZone({ domain: "guildhall.example.org" });
    const current = await getServiceConfiguration();
    const { keys } = await getPublicJwks(["federation"]);
    for (const k of keys) expect(zone.zone).toContain(`kid=${k.kid} jkt=${await calculateJwkThumbprint(k, "sha256")}`);
    expect(zone.zone).toContain(`config=${current.version} sha256=${current.digest}`);
    expect(zone.zone).toMatch(/^_guildhall\.guildhall\.example\.org\.\t300\tIN\tTXT\t"v=guildhall1 /m);
    expect((await caught(buildDnsZone({ domain: "not a domain" }))).reason).toBe("BAD_DOMAIN");
  });

  it("answers 400 for a version that is not a number and 404 for one that does not exist", async () => {
    const call = (version: string) =>
      getVersion(new Request(`http://localhost/x/${version}`), { params: Promise.resolve({ version }) });
    expect((await call("abc")).status).toBe(400);
    const missing = await call("99999999");
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.reason).toBe("NO_SUCH_VERSION");
  });
});
