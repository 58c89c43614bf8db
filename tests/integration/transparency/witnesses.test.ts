import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { userActor } from "@/lib/access/actor";
import { integrateLog } from "@/lib/transparency/integrate-log";
import { findLogVerifierKey } from "@/lib/transparency/log-signer";
import { setHostWitness, removeHostWitness } from "@/lib/transparency/witnesses/set-host-witness";
import { sendCheckpointToWitnesses } from "@/lib/transparency/witnesses/send-checkpoint-to-witnesses";
import { getPublishedCheckpoint } from "@/lib/transparency/witnesses/published-checkpoint";
import { SIGNATURE_TYPE, ed25519RawPublicKey, formatVerifierKey, parseVerifierKey } from "@/lib/merkle/signed-note";
import { GET as getCheckpoint } from "@/app/log/checkpoint/route";
import { GET as getProof } from "@/app/api/log/proof/route";
import { GET as getConsistency } from "@/app/api/log/consistency/route";
import { latestLogCheckpoint } from "@/lib/governance/federation/latest-log-checkpoint";
import { witnessServer } from "@/tools/witness/server";
import { verifyCheckpoint } from "@/tools/log-verify/verify-checkpoint";
import { seedOrg, seedUser } from "../../support/factories";

/**
 * The witnesses, in process (the three-process version with a forked portal is
 * `npm run test:witness`): admitted hosts' witnesses cosign each new checkpoint,
 * /log/checkpoint carries their cosignatures once the quorum (a majority: 2 of
 * 3) is reached and says "not witnessed" otherwise, and which witnesses count
 * follows the hosts' admission.
 */
type Running = { server: Server; url: string; vkey: string; dir: string };
const witnesses: Running[] = [];
let admin = "";
const hosts: string[] = [];

async function startWitness(i: number, logVkey: string): Promise<Running> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gh-witness-${i}-`));
  const privateKey = generateKeyPairSync("ed25519").privateKey;
  const name = `witness-${i}.test/w`;
  const server = witnessServer(
    { name, privateKey, logs: new Map([[parseVerifierKey(logVkey).name, parseVerifierKey(logVkey)]]) },
    { state: path.join(dir, "state.json"), evidence: path.join(dir, "evidence.jsonl") },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    server,
    dir,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    vkey: formatVerifierKey(name, SIGNATURE_TYPE.cosignatureV1, ed25519RawPublicKey(privateKey)),
  };
}

let n = 0;
const appendSome = (count: number) =>
  db().$transaction(async (tx) => {
    for (let i = 0; i < count; i++, n++)
      await appendAuditEvent(tx, {
        actor: { type: "system", id: "test" },
        action: "license.suspended",
        subject: { type: "license", id: `lic_w${n}` },
        state: { n },
        data: { reason: "test" },
        requestId: "req_witness_test",
      });
  });
const checkpoint = async () => {
  const res = await getCheckpoint(new Request("http://localhost:3999/log/checkpoint"), { params: Promise.resolve({}) });
  return { res, note: await res.text() };
};

beforeAll(async () => {
  await appendSome(3);
  await integrateLog();
  const logVkey = (await findLogVerifierKey()) as string;
  for (let i = 0; i < 3; i++) witnesses.push(await startWitness(i, logVkey));
  admin = (await seedUser({ roles: ["ORG_ADMIN"] })).user.id;
  for (let i = 0; i < 3; i++) hosts.push((await seedOrg({ kind: "HOST" })).org.id);
}, 60_000);

afterAll(async () => {
  for (const w of witnesses) {
    w.server.closeAllConnections();
    await new Promise((resolve) => w.server.close(resolve));
    fs.rmSync(w.dir, { recursive: true, force: true });
  }
});

describe("setting a host's witness", () => {
  it("is refused to anyone but an org admin, and to bad input, changing nothing", async () => {
    const { org, admin: operator } = await seedOrg({ kind: "HOST" });
    const input = { hostOrgId: org.id, verifierKey: witnesses[0].vkey, url: witnesses[0].url, reason: "our witness" };
    await expect(setHostWitness({ ...input, actor: userActor(operator.id) })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(setHostWitness({ ...input, verifierKey: "nope", actor: userActor(admin) })).rejects.toMatchObject({
      reason: "BAD_WITNESS",
    });
    await expect(
      setHostWitness({ ...input, url: "http://witness.example.org", actor: userActor(admin) }),
    ).rejects.toMatchObject({ reason: "BAD_WITNESS" });
    await expect(setHostWitness({ ...input, reason: "", actor: userActor(admin) })).rejects.toMatchObject({
      reason: "NO_REASON",
    });
    const theater = (await seedOrg({ kind: "THEATER" })).org.id;
    await expect(setHostWitness({ ...input, hostOrgId: theater, actor: userActor(admin) })).rejects.toMatchObject({
      reason: "NO_SUCH_HOST",
    });
    expect(await db().logWitness.count()).toBe(0);
  });

  it("records each host's witness, audited", async () => {
    for (const [i, w] of witnesses.entries())
      await setHostWitness({
        hostOrgId: hosts[i],
        verifierKey: w.vkey,
        url: w.url,
        reason: "declared by the host",
        actor: userActor(admin),
      });
    expect(await db().auditEvent.count({ where: { action: "log_witness.set" } })).toBe(3);
    await expect(
      setHostWitness({
        hostOrgId: hosts[0],
        verifierKey: witnesses[1].vkey,
        url: witnesses[1].url,
        reason: "a copy",
        actor: userActor(admin),
      }),
    ).rejects.toMatchObject({ reason: "WITNESS_KEY_TAKEN" });
  });
});

describe("witnessing checkpoints", () => {
  const vkeys = () => witnesses.map((w) => w.vkey);

  it("all three cosign; /log/checkpoint carries the cosignatures and says witnessed", async () => {
    await appendSome(5);
    await integrateLog();
    const round = await sendCheckpointToWitnesses();
    expect(round, JSON.stringify(round?.errors)).toMatchObject({ cosigned: 3, required: 2 });
    const { res, note } = await checkpoint();
    expect(res.headers.get("guildhall-log-witnessed")).toBe("yes; cosigned=3; required=2; witnesses=3");
    const checked = verifyCheckpoint(note, (await findLogVerifierKey()) as string, vkeys(), 3);
    expect(checked.cosigners).toHaveLength(3);
    // Revalidation is a 304 while nothing changed.
    const again = await getCheckpoint(
      new Request("http://localhost:3999/log/checkpoint", {
        headers: { "if-none-match": res.headers.get("etag") ?? "" },
      }),
      { params: Promise.resolve({}) },
    );
    expect(again.status).toBe(304);
    expect(res.headers.get("cache-control")).toBe("public, max-age=1, must-revalidate");
  });

  it("the proofs and the service configuration carry the same cosigned checkpoint", async () => {
    const logVkey = (await findLogVerifierKey()) as string;
    const api = async (handler: typeof getProof, url: string) =>
      (await (await handler(new Request(`http://localhost:3999${url}`), { params: Promise.resolve({}) })).json()) as {
        checkpoint: string;
      };
    const proof = await api(getProof, "/api/log/proof?index=1");
    const consistency = await api(getConsistency, "/api/log/consistency?from=3");
    const configured = await db().$transaction((tx) => latestLogCheckpoint(tx));
    for (const note of [proof.checkpoint, consistency.checkpoint, configured?.signedNote])
      expect(verifyCheckpoint(note as string, logVkey, vkeys(), 3).cosigners).toHaveLength(3);
  });

  it("a later checkpoint goes with a consistency proof from each witness's last size", async () => {
    await appendSome(30);
    await integrateLog();
    expect(await sendCheckpointToWitnesses()).toMatchObject({ cosigned: 3 });
    const sizes = await db().logWitness.findMany({ where: { retiredAt: null }, select: { cosignedSize: true } });
    const latest = await db().logCheckpoint.findFirstOrThrow({ orderBy: { size: "desc" } });
    expect(sizes.map((s) => s.cosignedSize)).toEqual([latest.size, latest.size, latest.size]);
  });

  it("with one witness stopped the quorum (2 of 3) is still reached", async () => {
    witnesses[2].server.closeAllConnections();
    await new Promise((resolve) => witnesses[2].server.close(resolve));
    await appendSome(2);
    await integrateLog();
    const round = await sendCheckpointToWitnesses();
    expect(round, JSON.stringify(round?.errors)).toMatchObject({ cosigned: 2, required: 2 });
    expect(Object.keys(round?.errors ?? {})).toEqual(["witness-2.test/w"]);
    const { res, note } = await checkpoint();
    expect(res.headers.get("guildhall-log-witnessed")).toMatch(/^yes; cosigned=2/);
    expect(verifyCheckpoint(note, (await findLogVerifierKey()) as string, vkeys(), 2).cosigners).toHaveLength(2);
  });

  it("with two stopped, the newest checkpoint is published but not witnessed", async () => {
    witnesses[1].server.closeAllConnections();
    await new Promise((resolve) => witnesses[1].server.close(resolve));
    await appendSome(2);
    const { size } = await integrateLog();
    // Before its round, the newest witnessed checkpoint is served.
    const before = await getPublishedCheckpoint();
    expect(before?.witnessed).toBe(true);
    expect(before?.size).toBeLessThan(size);
    const round = await sendCheckpointToWitnesses();
    expect(round, JSON.stringify(round?.errors)).toMatchObject({ cosigned: 1, required: 2 });
    const published = await getPublishedCheckpoint();
    expect(published).toMatchObject({ size, witnessed: false, required: 2 });
    const { res, note } = await checkpoint();
    expect(res.headers.get("guildhall-log-witnessed")).toBe("no; cosigned=1; required=2; witnesses=3");
    const logVkey = (await findLogVerifierKey()) as string;
    expect(() => verifyCheckpoint(note, logVkey, vkeys(), 2)).toThrow(/cosigned by 1/);
  });

  it("a removed host's witness stops counting; a removed witness too", async () => {
    await db().organization.update({ where: { id: hosts[2] }, data: { status: "SUSPENDED" } });
    await removeHostWitness({ hostOrgId: hosts[1], reason: "its key was lost", actor: userActor(admin) });
    await expect(
      removeHostWitness({ hostOrgId: hosts[1], reason: "again", actor: userActor(admin) }),
    ).rejects.toMatchObject({
      reason: "NO_SUCH_WITNESS",
    });
    // One witness counts: a majority of one is one, and it cosigns.
    await appendSome(1);
    await integrateLog();
    const round = await sendCheckpointToWitnesses();
    expect(round, JSON.stringify(round?.errors)).toMatchObject({ cosigned: 1, required: 1 });
    expect((await getPublishedCheckpoint())?.witnessed).toBe(true);
  });
});
