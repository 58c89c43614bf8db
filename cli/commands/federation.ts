import { cliActor } from "@/lib/access/actor";
import type { CliCommand } from "../command";
import { CliError, flag, output } from "../command";
import { cliIo } from "../io";
import { buildDnsZone } from "@/lib/governance/federation/build-dns-zone";
import {
  getServiceConfiguration,
  getServiceConfigurationVersionOrThrow,
  republishServiceConfiguration,
} from "@/lib/governance/federation/publish-service-configuration";
import { decodeJwt } from "jose";
import type { ServiceConfigurationPayload } from "@/lib/governance/federation/build-service-configuration";

function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9]{1,9}$/.test(value) || Number(value) < 1) throw new CliError(`--${name} must be a positive whole number`);
  return Number(value);
}

export const federationDnsZone: CliCommand = {
  name: "federation dns-zone",
  summary:
    "print the zone-file fragment (TXT records under _guildhall.<domain>) with the trust anchor's key fingerprints and the current service configuration's digest",
  usage: "federation dns-zone [--domain example.org] [--ttl SECONDS] [--json]",
  async run(args) {
    const zone = await buildDnsZone({
      domain: flag(args, "domain"),
      ttlSeconds: positiveInt(flag(args, "ttl"), "ttl"),
    });
    if (args.flags.json === true) output(args, zone, () => []);
    else cliIo().stdout(zone.zone);
  },
};

export const federationConfiguration: CliCommand = {
  name: "federation configuration",
  summary: "show the current (or a past) signed service configuration: version, digest, cause and payload",
  usage: "federation configuration [--version N] [--json]",
  async run(args) {
    const version = positiveInt(flag(args, "version"), "version");
    const c = version ? await getServiceConfigurationVersionOrThrow(version) : await getServiceConfiguration();
    const payload = decodeJwt<ServiceConfigurationPayload>(c.jws);
    output(args, { version: c.version, digest: c.digest, cause: c.cause, payload, jws: c.jws }, () => [
      `service configuration version ${c.version} (${c.cause}), sha256 ${c.digest}`,
      `quorum: ${JSON.stringify(payload.quorum)}`,
      ...payload.hosts.map((h) => `  host ${h.entityId} (${h.jurisdiction}, ${h.provider})`),
      `${payload.releaseLines.length} release line(s); release manifest ${payload.releaseManifest ? `#${payload.releaseManifest.seq}` : "none"}`,
    ]);
  },
};

export const federationRepublish: CliCommand = {
  name: "federation republish",
  summary:
    "sign the current service configuration again as a new version (after a key rotation), with a reason; audited, changes no fact",
  usage: "federation republish --reason TEXT [--json]",
  async run(args) {
    const c = await republishServiceConfiguration({
      reason: flag(args, "reason", true),
      actor: cliActor,
    });
    output(args, { version: c.version, digest: c.digest }, () => [
      `service configuration version ${c.version} signed (sha256 ${c.digest})`,
    ]);
  },
};

export const federationCommands = [federationDnsZone, federationConfiguration, federationRepublish];
