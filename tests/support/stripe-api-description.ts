import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * Stripe's own description of its API at the version the SDK is pinned to, as the SDK ships it: the
 * declarations under stripe/cjs/resources are generated from Stripe's OpenAPI specification (the SDK's
 * OPENAPI_VERSION), one interface per request's parameters (`TransferCreateParams`) and per object
 * (`Transfer`), nested ones in namespaces of the same name, enumerations as unions of string literals.
 * The Stripe double reads them to refuse what Stripe refuses on every call Guildhall makes (a parameter the
 * endpoint does not have, a required one missing, a value of the wrong type or outside its enumeration) and
 * to check that what it answers and sends as events has only the fields of the pinned version's objects.
 */
type Prop = { optional: boolean; type: string };
type Decl = {
  name: string;
  kind: "root" | "namespace" | "interface" | "type" | "block";
  parent: Decl | null;
  children: Decl[];
  props: Map<string, Prop>;
  /** An index signature (`[name: string]: string`): any key is allowed. */
  indexed: boolean;
  extendsName?: string;
  /** A type alias's text. */
  text?: string;
};

// The package's main module is cjs/stripe.cjs.node.js; its declarations sit beside it.
const sdkDir = path.dirname(path.dirname(createRequire(import.meta.url).resolve("stripe")));

function decl(name: string, kind: Decl["kind"], parent: Decl | null): Decl {
  const d: Decl = { name, kind, parent, children: [], props: new Map(), indexed: false };
  parent?.children.push(d);
  return d;
}

/** Reads one declaration file into a tree of namespaces, interfaces and type aliases (the SDK's layout). */
function parseDeclarations(file: string): Decl {
  const root = decl(file, "root", null);
  let scope = root;
  let pendingType: { name: string; text: string } | null = null;
  for (const raw of fs.readFileSync(path.join(sdkDir, "cjs", file), "utf8").split("\n")) {
    const line = raw.trim();
    if (pendingType) {
      pendingType.text += ` ${line}`;
      if (line.endsWith(";")) {
        decl(pendingType.name, "type", scope).text = pendingType.text.replace(/;$/, "");
        pendingType = null;
      }
      continue;
    }
    if (line.startsWith("/**") || line.startsWith("*") || line.startsWith("//") || line === "") continue;
    let m = line.match(/^(?:export )?(?:declare )?namespace (\w+) \{$/);
    if (m) {
      scope = decl(m[1], "namespace", scope);
      continue;
    }
    m = line.match(/^(?:export )?(?:declare )?interface (\w+)(?: extends ([\w.]+))?.*\{$/);
    if (m) {
      scope = decl(m[1], "interface", scope);
      scope.extendsName = m[2];
      continue;
    }
    m = line.match(/^(?:export )?(?:declare )?type (\w+)(?:<[^=]*>)? =\s*(.*)$/);
    if (m && scope.kind !== "interface" && scope.kind !== "block") {
      if (m[2].endsWith(";")) decl(m[1], "type", scope).text = m[2].replace(/;$/, "");
      else pendingType = { name: m[1], text: m[2] };
      continue;
    }
    if (/^\}/.test(line)) {
      // A block that closes and opens again on one line (`} | {`) stays a block.
      if (!line.endsWith("{")) scope = scope.parent ?? root;
      continue;
    }
    if (scope.kind === "interface") {
      if (/^\[\w+: string\]:/.test(line)) scope.indexed = true;
      m = line.match(/^(?:readonly )?(\w+)(\?)?: (.*?);?$/);
      if (m) scope.props.set(m[1], { optional: m[2] === "?", type: m[3].replace(/\{$/, "{}") });
    }
    if (line.endsWith("{")) scope = decl("", "block", scope);
  }
  return root;
}

const files = new Map<string, Decl>();
function declarations(file: string): Decl {
  let root = files.get(file);
  if (!root) {
    root = parseDeclarations(file);
    files.set(file, root);
  }
  return root;
}

function child(scope: Decl, name: string, wantNamespace: boolean): Decl | undefined {
  const named = scope.children.filter((c) => c.name === name);
  return wantNamespace
    ? named.find((c) => c.kind === "namespace")
    : (named.find((c) => c.kind === "interface" || c.kind === "type") ?? named[0]);
}

/** A dotted type name as TypeScript resolves it from `from`: the enclosing namespaces, innermost first, then shared.d.ts. */
function resolve(from: Decl, dotted: string): Decl | undefined {
  const parts = dotted.replace(/^Stripe\./, "").split(".");
  const roots: Decl[] = [];
  for (let scope = from.parent; scope; scope = scope.parent) roots.push(scope);
  roots.push(declarations("shared.d.ts"));
  for (const start of roots) {
    let node: Decl | undefined = start;
    for (let i = 0; i < parts.length && node; i++) node = child(node, parts[i], i < parts.length - 1);
    if (node) return node;
  }
  return undefined;
}

function find(file: string, dotted: string): Decl {
  const parts = dotted.split(".");
  const search = (scope: Decl, i: number): Decl | undefined => {
    for (const c of scope.children) {
      if (c.name === parts[i] && i === parts.length - 1 && (c.kind === "interface" || c.kind === "type")) return c;
      const deeper =
        c.kind === "namespace" ? search(c, c.name === parts[i] && i < parts.length - 1 ? i + 1 : i) : undefined;
      if (deeper) return deeper;
    }
    return undefined;
  };
  const found = search(declarations(file), 0);
  if (!found) throw new Error(`Stripe's description has no ${dotted} in ${file}`);
  return found;
}

export type StripeRefusal = { status: number; body: { error: Record<string, string> } };

function invalid(param: string, message: string, code: string): StripeRefusal {
  return { status: 400, body: { error: { type: "invalid_request_error", code, param, message } } };
}

type Value = unknown;
const isObject = (v: Value): v is Record<string, Value> => typeof v === "object" && v !== null;

/** Splits a union at its top level (not inside <...> or {...}). */
function unionMembers(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of text) {
    if (ch === "<" || ch === "{" || ch === "(") depth += 1;
    if (ch === ">" || ch === "}" || ch === ")") depth -= 1;
    if (ch === "|" && depth === 0) {
      out.push(current.trim());
      current = "";
    } else current += ch;
  }
  out.push(current.trim());
  return out.filter(Boolean);
}

/** Checks a value (as form-decoded: strings, objects, lists as objects keyed 0, 1, ...) against a type. */
function checkType(from: Decl, type: string, value: Value, param: string): StripeRefusal | null {
  const members = unionMembers(type.replace(/^Emptyable<(.*)>$/, "null | '' | $1"));
  if (members.length > 1) {
    const literals = members.filter((t) => /^'.*'$/.test(t)).map((t) => t.slice(1, -1));
    if (typeof value === "string" && literals.includes(value)) return null;
    const others = members.filter((t) => !/^'.*'$/.test(t) && t !== "null" && t !== "OtherString");
    if (others.length === 0)
      return invalid(param, `Invalid ${param}: must be one of ${literals.join(", ")}`, "parameter_invalid_string");
    const refusals = others.map((t) => checkType(from, t, value, param));
    return refusals.includes(null) ? null : (refusals[0] ?? null);
  }
  const t = members[0] ?? "unknown";
  if (/^'.*'$/.test(t)) return value === t.slice(1, -1) ? null : checkType(from, `${t} | OtherString`, value, param);
  if (t === "number")
    return typeof value === "string" && /^-?\d+$/.test(value)
      ? null
      : invalid(param, `Invalid integer: ${String(value)}`, "parameter_invalid_integer");
  if (t === "boolean")
    return value === "true" || value === "false"
      ? null
      : invalid(param, `Invalid boolean: ${String(value)}`, "parameter_invalid_boolean");
  if (t === "string")
    return typeof value === "string" ? null : invalid(param, `Invalid string: ${param}`, "parameter_invalid_string");
  const array = t.match(/^Array<(.*)>$/);
  if (array) {
    if (!isObject(value) || !Object.keys(value).every((k) => /^\d+$/.test(k)))
      return invalid(param, `Invalid array: ${param}`, "parameter_invalid_array");
    for (const [i, item] of Object.entries(value)) {
      const refused = checkType(from, array[1], item, `${param}[${i}]`);
      if (refused) return refused;
    }
    return null;
  }
  if (t === "MetadataParam") return checkMetadata(value, param);
  const named = resolve(from, t);
  if (named?.kind === "type" && named.text) return checkType(named, named.text, value, param);
  if (named?.kind === "interface") return checkObject(named, value, param);
  // A type the description does not spell out here (a Date, a type of another file): not checked.
  return null;
}

/** Stripe's metadata: at most 50 keys, keys up to 40 characters, values up to 500. */
function checkMetadata(value: Value, param: string): StripeRefusal | null {
  if (!isObject(value)) return invalid(param, `Invalid hash: ${param}`, "parameter_invalid_hash");
  const entries = Object.entries(value);
  if (entries.length > 50) return invalid(param, "Metadata can have at most 50 keys", "parameter_invalid_hash");
  for (const [k, v] of entries) {
    if (k.length > 40) return invalid(`${param}[${k}]`, "Metadata keys are at most 40 characters", "invalid_key");
    if (typeof v !== "string" || v.length > 500)
      return invalid(`${param}[${k}]`, "Metadata values are strings of at most 500 characters", "invalid_value");
  }
  return null;
}

function propsOf(d: Decl): Map<string, Prop> {
  const inherited = d.extendsName ? resolve(d, d.extendsName) : undefined;
  return inherited?.kind === "interface" ? new Map([...propsOf(inherited), ...d.props]) : d.props;
}

function checkObject(d: Decl, value: Value, prefix: string): StripeRefusal | null {
  const name = (k: string) => (prefix ? `${prefix}[${k}]` : k);
  if (!isObject(value)) return invalid(prefix, `Invalid object: ${prefix}`, "parameter_invalid_object");
  if (d.indexed) return null;
  const props = propsOf(d);
  for (const key of Object.keys(value))
    if (!props.has(key)) return invalid(name(key), `Received unknown parameter: ${name(key)}`, "parameter_unknown");
  for (const [key, prop] of props)
    if (!prop.optional && (value[key] === undefined || value[key] === ""))
      return invalid(name(key), `Missing required param: ${name(key)}.`, "parameter_missing");
  for (const [key, v] of Object.entries(value)) {
    const refused = checkType(d, defined(props.get(key)).type, v, name(key));
    if (refused) return refused;
  }
  return null;
}

function defined<T>(v: T | undefined): T {
  if (v === undefined) throw new Error("expected a value");
  return v;
}

/** A request's parameters against its parameters' interface (`Checkout.SessionCreateParams` in `resources/Checkout/Sessions.d.ts`). */
export function refuseByDescription(file: string, paramsInterface: string, params: object): StripeRefusal | null {
  return checkObject(find(`resources/${file}`, paramsInterface), params, "");
}

/** The fields an object has at the pinned API version (`Charge` in `resources/Charges.d.ts`). */
export function fieldsOf(file: string, objectInterface: string): Set<string> {
  return new Set(propsOf(find(`resources/${file}`, objectInterface)).keys());
}

/** Where each kind of object (its `object` field) is described. */
const objectInterfaces: Record<string, [file: string, name: string]> = {
  "checkout.session": ["Checkout/Sessions.d.ts", "Session"],
  payment_intent: ["PaymentIntents.d.ts", "PaymentIntent"],
  charge: ["Charges.d.ts", "Charge"],
  refund: ["Refunds.d.ts", "Refund"],
  transfer: ["Transfers.d.ts", "Transfer"],
  account: ["Accounts.d.ts", "Account"],
  account_link: ["AccountLinks.d.ts", "AccountLink"],
  invoice: ["Invoices.d.ts", "Invoice"],
  invoice_payment: ["InvoicePayments.d.ts", "InvoicePayment"],
  subscription: ["Subscriptions.d.ts", "Subscription"],
  balance_transaction: ["BalanceTransactions.d.ts", "BalanceTransaction"],
  dispute: ["Disputes.d.ts", "Dispute"],
  payout: ["Payouts.d.ts", "Payout"],
};

/**
 * Fields Stripe sends only when asked for (`expand[]=payments`; "includable" in its reference), though the
 * description lists them among the object's fields and Stripe's example objects show some of them.
 */
export const includable: Record<string, string[]> = { charge: ["refunds"], invoice: ["payments"] };

/**
 * How an object differs from its shape at the pinned API version: fields the version does not have (such as
 * `invoice.subscription`, moved under `parent` in 2025-03-31), includable fields sent without being asked
 * for (a charge's `refunds` list, not embedded since 2022-11-15) and, unless `partial`, fields the version
 * always sends that are missing. Objects of kinds not listed above are not checked.
 */
export function shapeProblems(
  object: Record<string, unknown>,
  opts: { expanded?: string[]; partial?: boolean } = {},
): string[] {
  const kind = String(object.object);
  const where = objectInterfaces[kind];
  if (!where) return [];
  const props = propsOf(find(`resources/${where[0]}`, where[1]));
  const problems: string[] = [];
  for (const key of Object.keys(object)) {
    if (!props.has(key)) problems.push(`${kind}.${key} is not a field at this API version`);
    else if (includable[kind]?.includes(key) && !opts.expanded?.includes(key))
      problems.push(`${kind}.${key} is sent only when asked for`);
  }
  if (!opts.partial)
    for (const [key, prop] of props) if (!prop.optional && !(key in object)) problems.push(`${kind}.${key} is missing`);
  return problems;
}

/** The event types the pinned API version sends (each `type: '...'` of resources/Events.d.ts). */
let types: Set<string> | undefined;
export function eventTypes(): Set<string> {
  const text = () => fs.readFileSync(path.join(sdkDir, "cjs", "resources", "Events.d.ts"), "utf8");
  types ??= new Set([...text().matchAll(/^\s*type: '([\w.]+)';$/gm)].map((m) => m[1]));
  return types;
}
