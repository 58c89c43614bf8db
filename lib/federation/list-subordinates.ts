import "server-only";
import { listFederationMembers } from "@/lib/governance/federation/read-federation-hosts";
import { FederationError } from "@/lib/federation/federation-error";
import { trustMarkTypes } from "@/lib/federation/federation-constants";

const HOST_ENTITY_TYPES = new Set(["federation_entity", "openid_relying_party"]);
const known = new Set(["entity_type", "trust_marked", "trust_mark_type", "intermediate"]);

/**
 * The list endpoint (§8.2): the Entity Identifiers of the admitted hosts, the
 * anchor's only subordinates. Every host is a leaf (so `intermediate=true`
 * lists none), is a federation entity and a relying party, and holds the
 * admitted-host trust mark while admitted (so `trust_marked` and that
 * `trust_mark_type` keep them all; theaters are not subordinates).
 */
export async function listSubordinates(params: URLSearchParams): Promise<string[]> {
  for (const name of params.keys())
    if (!known.has(name)) throw new FederationError("unsupported_parameter", `Unknown parameter ${name}.`);
  const types = params.getAll("entity_type");
  const trustMarkType = params.get("trust_mark_type");
  const boolean = (name: string) => {
    const v = params.get(name);
    if (v !== null && v !== "true" && v !== "false")
      throw new FederationError("invalid_request", `${name} is true or false.`);
    return v === "true";
  };
  const intermediate = boolean("intermediate");
  boolean("trust_marked");
  if (intermediate) return [];
  if (types.length && !types.some((t) => HOST_ENTITY_TYPES.has(t))) return [];
  if (trustMarkType !== null && trustMarkType !== trustMarkTypes().admittedHost) return [];
  return (await listFederationMembers()).map((m) => m.entityId);
}
