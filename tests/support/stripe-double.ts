import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import fixtures from "./stripe-fixtures.json";
import { defined } from "./defined";
import { eventTypes, includable, refuseByDescription, shapeProblems } from "./stripe-api-description";

/**
 * A local HTTP double of the parts of Stripe's API that Guildhall calls, so
 * the real `stripe` SDK is exercised end to end (its request encoding, its
 * error classes, its pagination) without a network. Responses are Stripe's
 * own example objects (shared/stripe/fixtures3.json, copied in
 * stripe-fixtures.json) with our values laid over them. It keeps Stripe's
 * idempotency semantics: a replayed Idempotency-Key answers the first
 * response; the same key with other parameters is an idempotency_error.
 * Every request is first held to Stripe's own description of the endpoint at
 * the SDK's pinned API version (stripe-api-description.ts): a parameter the
 * endpoint does not have, a required one missing, a value of the wrong type or
 * outside its enumeration is refused as Stripe refuses it, and so is an
 * `expand` of something the endpoint cannot expand. Then what Stripe refuses
 * beyond its description (amounts out of range, refunds beyond the charge,
 * transfers beyond the available balance or to an account not yet able to
 * receive them, expiring a session that is not open) and what the double does
 * not model (said so, never as Stripe's word). Every object it answers or
 * sends in an event has the fields of the pinned version and no others (a
 * charge does not embed its refunds since 2022-11-15: they are listed or
 * fetched), and events are only of the version's types.
 */
type Obj = Record<string, unknown>;
type Fixtures = Record<string, Obj>;
const base = fixtures as unknown as Fixtures;

/**
 * One of Stripe's example objects with our values laid over it, in the pinned version's shape: fields the
 * examples (a little older than the SDK) lack but the version always sends are there as null, includable
 * ones are left out until expanded.
 */
function clone(kind: string, over: Obj): Obj {
  const obj: Obj = { ...structuredClone(base[kind]), ...over };
  for (const field of includable[kind] ?? []) delete obj[field];
  for (const problem of shapeProblems(obj)) {
    const missing = problem.match(/^[\w.]+\.(\w+) is missing$/);
    if (missing) obj[missing[1]] = null;
  }
  return obj;
}

/**
 * A double's own mistake (an object not in the pinned version's shape) fails the test at once, with its
 * reason. `partial`: a test's hand-made object, which may leave fields out but not add ones Stripe no longer
 * sends.
 */
function assertPinnedShape(obj: Obj, opts: { expanded?: string[]; partial?: boolean } = {}): void {
  const kind = String(obj.object);
  const problems = shapeProblems(obj, opts);
  if (problems.length) throw new Error(`the Stripe double sent a ${kind} unlike Stripe's: ${problems.join("; ")}`);
}

/**
 * The endpoints Guildhall calls, each with its parameters' interface in Stripe's description and what it can
 * expand (what the double can expand: the paths Guildhall asks for).
 */
const endpoints: { method: string; path: RegExp; file: string; params: string; expandable: string[] }[] = [
  {
    method: "POST",
    path: /^\/v1\/checkout\/sessions$/,
    file: "Checkout/Sessions.d.ts",
    params: "SessionCreateParams",
    expandable: [],
  },
  {
    method: "GET",
    path: /^\/v1\/checkout\/sessions\/[^/]+$/,
    file: "Checkout/Sessions.d.ts",
    params: "SessionRetrieveParams",
    expandable: [],
  },
  {
    method: "POST",
    path: /^\/v1\/checkout\/sessions\/[^/]+\/expire$/,
    file: "Checkout/Sessions.d.ts",
    params: "SessionExpireParams",
    expandable: [],
  },
  {
    method: "GET",
    path: /^\/v1\/payment_intents\/[^/]+$/,
    file: "PaymentIntents.d.ts",
    params: "PaymentIntentRetrieveParams",
    expandable: ["latest_charge", "latest_charge.balance_transaction"],
  },
  { method: "POST", path: /^\/v1\/accounts$/, file: "Accounts.d.ts", params: "AccountCreateParams", expandable: [] },
  {
    method: "GET",
    path: /^\/v1\/accounts\/[^/]+$/,
    file: "Accounts.d.ts",
    params: "AccountRetrieveParams",
    expandable: [],
  },
  {
    method: "POST",
    path: /^\/v1\/account_links$/,
    file: "AccountLinks.d.ts",
    params: "AccountLinkCreateParams",
    expandable: [],
  },
  { method: "POST", path: /^\/v1\/transfers$/, file: "Transfers.d.ts", params: "TransferCreateParams", expandable: [] },
  { method: "POST", path: /^\/v1\/refunds$/, file: "Refunds.d.ts", params: "RefundCreateParams", expandable: [] },
  {
    method: "GET",
    path: /^\/v1\/refunds\/[^/]+$/,
    file: "Refunds.d.ts",
    params: "RefundRetrieveParams",
    expandable: [],
  },
  { method: "GET", path: /^\/v1\/refunds$/, file: "Refunds.d.ts", params: "RefundListParams", expandable: [] },
  {
    method: "GET",
    path: /^\/v1\/balance_transactions$/,
    file: "BalanceTransactions.d.ts",
    params: "BalanceTransactionListParams",
    expandable: ["data.source"],
  },
  {
    method: "GET",
    path: /^\/v1\/invoices\/[^/]+$/,
    file: "Invoices.d.ts",
    params: "InvoiceRetrieveParams",
    expandable: ["payments"],
  },
  {
    method: "GET",
    path: /^\/v1\/subscriptions\/[^/]+$/,
    file: "Subscriptions.d.ts",
    params: "SubscriptionRetrieveParams",
    expandable: [],
  },
  {
    method: "POST",
    path: /^\/v1\/subscriptions\/[^/]+$/,
    file: "Subscriptions.d.ts",
    params: "SubscriptionUpdateParams",
    expandable: [],
  },
];

/** Stripe's refusal of a request its description does not allow, or null. */
function refuseUndescribed(method: string, path: string, params: Obj): { status: number; body: Obj } | null {
  const endpoint = endpoints.find((e) => e.method === method && e.path.test(path));
  if (!endpoint) return null;
  const refused = refuseByDescription(endpoint.file, endpoint.params, params);
  if (refused) return refused;
  const notExpandable = list(params.expand)
    .map(String)
    .find((e) => !endpoint.expandable.includes(e));
  if (notExpandable)
    return {
      status: 400,
      body: {
        error: {
          type: "invalid_request_error",
          message: `This property cannot be expanded (${notExpandable}).`,
          param: "expand",
        },
      },
    };
  return null;
}

function rid(prefix: string): string {
  return `${prefix}_${crypto.randomBytes(12).toString("hex")}`;
}

/** Decodes Stripe's form encoding (`a[b][0][c]=v`) into nested objects and arrays. */
export function decodeForm(body: string): Obj {
  const out: Obj = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const path = rawKey.replace(/\]/g, "").split("[");
    let node: Obj = out;
    path.forEach((segment, i) => {
      const key = segment === "" ? String(Object.keys(node).length) : segment;
      if (i === path.length - 1) node[key] = value;
      else node = (node[key] ??= {}) as Obj;
    });
  }
  return out;
}

function list(o: unknown): Obj[] {
  return o && typeof o === "object" ? Object.values(o as Obj).map((v) => v as Obj) : [];
}

/** Stripe's minimum charge per currency (minor units), for the currencies the tests use; others: 50. */
const minimumChargeMinor: Record<string, number> = { usd: 50, eur: 50, gbp: 30, chf: 50, jpy: 50, sek: 300, dkk: 250 };

export type StripeDouble = Awaited<ReturnType<typeof startStripeDouble>>;

export async function startStripeDouble(
  opts: { feeBps?: number; feeFixedMinor?: number; fundsPendingSeconds?: number } = {},
) {
  const feeBps = opts.feeBps ?? 290;
  const feeFixed = opts.feeFixedMinor ?? 30;
  // How long a charge's funds stay pending before they can be transferred (Stripe: two to seven days; zero
  // here by default, as with Stripe's test card for an available balance, 4000 0000 0000 0077).
  let fundsPendingSeconds = opts.fundsPendingSeconds ?? 0;
  let settlement: { currency: string; rate: number } | null = null;
  const sessions = new Map<string, Obj>();
  const intents = new Map<string, Obj>();
  const charges = new Map<string, Obj>();
  const accounts = new Map<string, Obj>();
  const balanceTxns: Obj[] = [];
  const transfers: Obj[] = [];
  const sources = new Map<string, Obj>(); // charges, refunds and transfers by id, for expand[]=data.source
  const refunds = new Map<string, Obj>();
  const sessionParams = new Map<string, Obj>(); // what each session was created with (its subscription_data)
  const subscriptions = new Map<string, Obj>();
  const invoices = new Map<string, Obj>();
  const invoicePayments = new Map<string, Obj[]>();
  // The status the next refund is created with: card refunds succeed at once; some methods stay pending.
  let nextRefundStatus = "succeeded";
  const idempotency = new Map<string, { fingerprint: string; status: number; body: Obj }>();
  const requests: { method: string; path: string; idempotencyKey?: string }[] = [];
  const faults: { path: string; status: number; remaining: number; afterActing?: boolean }[] = [];
  // The double's clock: tests move it forward (advance) to let sessions reach their end.
  let clockOffsetSeconds = 0;
  const now = () => Math.floor(Date.now() / 1000) + clockOffsetSeconds;

  /** A session past its end is expired whenever it is read, as at Stripe (which expires them within the hour). */
  function sessionNow(session: Obj): Obj {
    if (session.status === "open" && Number(session.expires_at) <= now()) session.status = "expired";
    return session;
  }

  function balanceTxn(type: string, amount: number, fee: number, currency: string, source: string): string {
    const id = rid("txn");
    // Money coming in (a charge) is pending until available_on; money going out leaves the balance at once.
    const availableOn = now() + (amount > 0 && type === "charge" ? fundsPendingSeconds : 0);
    balanceTxns.push(
      clone("balance_transaction", {
        id,
        type,
        amount,
        fee,
        net: amount - fee,
        currency,
        source,
        created: now(),
        available_on: availableOn,
        status: availableOn > now() ? "pending" : "available",
        reporting_category: type,
        fee_details: [],
      }),
    );
    return id;
  }

  /** The platform's available balance in a currency: what has become available, less what went out. */
  function availableBalance(currency: string): number {
    return balanceTxns
      .filter((t) => t.currency === currency && Number(t.available_on) <= now())
      .reduce((sum, t) => sum + Number(t.net), 0);
  }

  function error(status: number, type: string, message: string, code?: string) {
    return { status, body: { error: { type, message, ...(code ? { code } : {}) } } };
  }

  /**
   * Beyond Stripe's description (checked before, in refuseUndescribed): parameters Stripe has that the double
   * does not act on are refused as such (never passed over in silence), and parameters the description calls
   * optional that Stripe's server requires on this call are required.
   */
  function refuseParams(params: Obj, allowed: string[], required: string[]) {
    const unknown = Object.keys(params).find((k) => k !== "expand" && !allowed.includes(k));
    if (unknown)
      return error(
        400,
        "invalid_request_error",
        `The Stripe double does not model the parameter ${unknown} (Stripe has it): model it before sending it`,
        "double_unmodelled_parameter",
      );
    const missing = required.find((k) => params[k] === undefined || params[k] === "");
    if (missing) return error(400, "invalid_request_error", `Missing required param: ${missing}.`, "parameter_missing");
    return null;
  }

  /** Amounts are positive integers in minor units, at most 99,999,999 (Stripe's eight digits). */
  function positiveInteger(value: unknown, name: string) {
    const n = Number(value);
    if (!/^\d+$/.test(String(value)) || n < 1)
      return error(400, "invalid_request_error", `Invalid positive integer: ${name}`, "parameter_invalid_integer");
    if (n > 99_999_999)
      return error(400, "invalid_request_error", `Amount must be no more than 99,999,999`, "amount_too_large");
    return null;
  }

  /**
   * What Stripe refuses of a Checkout Session's mode: a recurring price outside subscription mode, none in it,
   * payment_intent_data in subscription mode, subscription_data in payment mode, an unknown interval or
   * subscription_data parameter.
   */
  function refuseModeParams(params: Obj, items: Obj[]) {
    const mode = String(params.mode);
    if (!["payment", "subscription", "setup"].includes(mode))
      return error(400, "invalid_request_error", `Invalid mode: must be one of payment, setup, or subscription`);
    const recurring = items.map((li) => (li.price_data as Obj | undefined)?.recurring as Obj | undefined);
    for (const r of recurring)
      if (r && !["day", "week", "month", "year"].includes(String(r.interval)))
        return error(400, "invalid_request_error", "Invalid line_items[0][price_data][recurring][interval]");
    if (mode === "payment" && recurring.some(Boolean))
      return error(
        400,
        "invalid_request_error",
        "You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.",
      );
    if (mode === "payment" && params.subscription_data !== undefined)
      return error(400, "invalid_request_error", "You can not pass `subscription_data` in `payment` mode.");
    if (mode === "subscription") {
      if (!recurring.some(Boolean))
        return error(
          400,
          "invalid_request_error",
          "You must provide at least one recurring price in `subscription` mode when using prices.",
        );
      if (params.payment_intent_data !== undefined)
        return error(400, "invalid_request_error", "You can not pass `payment_intent_data` in `subscription` mode.");
      const unknown = Object.keys((params.subscription_data as Obj | undefined) ?? {}).find(
        (k) => !["metadata", "description", "trial_period_days", "billing_cycle_anchor"].includes(k),
      );
      if (unknown)
        return error(
          400,
          "invalid_request_error",
          `Received unknown parameter: subscription_data[${unknown}]`,
          "parameter_unknown",
        );
    }
    return null;
  }

  /** A payment intent and its charge with the fee, as a paid session or invoice makes them. */
  function takePayment(amount: number, currency: string, metadata: unknown): string {
    const piId = rid("pi");
    const chId = rid("ch");
    // The balance may be kept in another currency than the sale's: the charge's balance transaction is then
    // in that currency, converted at the rate, and so is its fee (Stripe's own way).
    const settle = settlement && settlement.currency !== currency ? settlement : null;
    const settledAmount = settle ? Math.round(amount * settle.rate) : amount;
    const settledCurrency = settle ? settle.currency : currency;
    const fee = Math.floor((settledAmount * feeBps) / 10_000) + feeFixed;
    charges.set(
      chId,
      clone("charge", {
        id: chId,
        amount,
        amount_captured: amount,
        amount_refunded: 0,
        currency,
        payment_intent: piId,
        paid: true,
        status: "succeeded",
        refunded: false,
        created: now(),
        balance_transaction: balanceTxn("charge", settledAmount, fee, settledCurrency, chId),
      }),
    );
    // Not embedded since API version 2022-11-15 (Stripe's example object still shows it).
    delete charges.get(chId)?.refunds;
    sources.set(chId, defined(charges.get(chId)));
    intents.set(
      piId,
      clone("payment_intent", {
        id: piId,
        amount,
        amount_received: amount,
        currency,
        status: "succeeded",
        latest_charge: chId,
        metadata,
        last_payment_error: null,
        canceled_at: null,
      }),
    );
    return piId;
  }

  const MONTH_SECONDS = 30 * 86_400;

  /**
   * An invoice of a subscription in the shapes of API version 2025-03-31 and later: its subscription and the
   * subscription's metadata under `parent.subscription_details`, its payments a separate list (shown only when
   * expanded), each naming its payment intent. Paid: a payment is taken; failed: open, attempted, unpaid.
   */
  function subscriptionInvoice(sub: Obj, reason: string, outcome: "paid" | "failed"): Obj {
    const item = (sub.items as { data: Obj[] }).data[0];
    const price = item.price as Obj;
    const amount = Number(price.unit_amount);
    const currency = String(price.currency);
    const id = rid("in");
    const start = Number(item.current_period_start);
    const end = Number(item.current_period_end);
    const paid = outcome === "paid";
    const piId = paid ? takePayment(amount, currency, {}) : null;
    const invoice = clone("invoice", {
      id,
      object: "invoice",
      customer: sub.customer,
      subscription: undefined,
      billing_reason: reason,
      collection_method: "charge_automatically",
      currency,
      amount_due: amount,
      amount_paid: paid ? amount : 0,
      amount_remaining: paid ? 0 : amount,
      subtotal: amount,
      total: amount,
      attempted: true,
      attempt_count: 1,
      status: paid ? "paid" : "open",
      created: now(),
      period_start: start,
      period_end: end,
      metadata: {},
      status_transitions: {
        finalized_at: now(),
        marked_uncollectible_at: null,
        paid_at: paid ? now() : null,
        voided_at: null,
      },
      parent: {
        type: "subscription_details",
        quote_details: null,
        subscription_details: { subscription: sub.id, metadata: sub.metadata },
      },
      lines: {
        object: "list",
        has_more: false,
        url: `/v1/invoices/${id}/lines`,
        data: [
          {
            ...structuredClone((base.invoice.lines as { data: Obj[] }).data[0]),
            id: rid("il"),
            invoice: id,
            amount,
            currency,
            period: { start, end },
            parent: {
              type: "subscription_item_details",
              invoice_item_details: null,
              subscription_item_details: {
                invoice_item: null,
                proration: false,
                proration_details: { credited_items: null },
                subscription: sub.id,
                subscription_item: item.id,
              },
            },
          },
        ],
      },
    });
    delete invoice.subscription;
    invoicePayments.set(id, [
      clone("invoice_payment", {
        id: rid("inpay"),
        invoice: id,
        amount_paid: paid ? amount : null,
        amount_requested: amount,
        currency,
        created: now(),
        is_default: true,
        livemode: false,
        payment: paid
          ? { type: "payment_intent", payment_intent: piId }
          : { type: "payment_intent", payment_intent: null },
        status: paid ? "paid" : "open",
        status_transitions: { canceled_at: null, paid_at: paid ? now() : null },
      }),
    ]);
    invoices.set(id, invoice);
    sub.latest_invoice = id;
    return invoice;
  }

  function route(method: string, path: string, params: Obj): { status: number; body: Obj } {
    const undescribed = refuseUndescribed(method, path, params);
    if (undescribed) return undescribed;
    let m: RegExpMatchArray | null;
    if (method === "POST" && path === "/v1/checkout/sessions") {
      const refused = refuseParams(
        params,
        [
          "mode",
          "client_reference_id",
          "success_url",
          "cancel_url",
          "line_items",
          "metadata",
          "payment_intent_data",
          "expires_at",
          "customer_email",
          "subscription_data",
        ],
        ["mode", "line_items"],
      );
      if (refused) return refused;
      const items = list(params.line_items);
      const modeRefused = refuseModeParams(params, items);
      if (modeRefused) return modeRefused;
      const currency = String((items[0]?.price_data as Obj | undefined)?.currency ?? "usd");
      for (const li of items) {
        const unit = (li.price_data as Obj | undefined)?.unit_amount;
        if (!/^\d+$/.test(String(unit)) || Number(unit) > 99_999_999)
          return error(400, "invalid_request_error", "Invalid integer: unit_amount", "parameter_invalid_integer");
      }
      const total = items.reduce((s, li) => s + Number(li.quantity) * Number((li.price_data as Obj).unit_amount), 0);
      const minimum = minimumChargeMinor[currency] ?? 50;
      if (total < minimum)
        return error(
          400,
          "invalid_request_error",
          `The Checkout Session's total amount due must add up to at least ${minimum} ${currency} minor units`,
          "amount_too_small",
        );
      const id = rid("cs_test");
      const session = clone("checkout.session", {
        id,
        object: "checkout.session",
        mode: params.mode,
        subscription: null,
        invoice: null,
        status: "open",
        payment_status: "unpaid",
        amount_total: total,
        amount_subtotal: total,
        currency,
        client_reference_id: params.client_reference_id ?? null,
        metadata: params.metadata ?? {},
        success_url: params.success_url,
        cancel_url: params.cancel_url,
        payment_intent: null,
        url: `https://checkout.stripe.test/c/pay/${id}`,
        created: now(),
        expires_at: now() + 86_400,
      });
      sessionParams.set(id, params);
      sessions.set(id, session);
      return { status: 200, body: session };
    }
    if (method === "GET" && (m = path.match(/^\/v1\/checkout\/sessions\/([^/]+)$/))) {
      const s = sessions.get(m[1]);
      return s
        ? { status: 200, body: sessionNow(s) }
        : error(404, "invalid_request_error", `No such checkout.session: '${m[1]}'`, "resource_missing");
    }
    if (method === "POST" && (m = path.match(/^\/v1\/checkout\/sessions\/([^/]+)\/expire$/))) {
      const s = sessions.get(m[1]);
      if (!s) return error(404, "invalid_request_error", `No such checkout.session: '${m[1]}'`, "resource_missing");
      if (sessionNow(s).status !== "open")
        return error(
          400,
          "invalid_request_error",
          'Only Checkout Sessions with a status in ["open"] can be expired.',
          "checkout_session_not_expirable",
        );
      s.status = "expired";
      return { status: 200, body: s };
    }
    if (method === "GET" && (m = path.match(/^\/v1\/invoices\/([^/]+)$/))) {
      const invoice = invoices.get(m[1]);
      if (!invoice) return error(404, "invalid_request_error", `No such invoice: '${m[1]}'`, "resource_missing");
      // `payments` is includable only: present when expanded, absent otherwise.
      if (!list(params.expand).map(String).includes("payments")) return { status: 200, body: invoice };
      const data = invoicePayments.get(m[1]) ?? [];
      return {
        status: 200,
        body: { ...invoice, payments: { object: "list", data, has_more: false, url: "/v1/invoice_payments" } },
      };
    }
    if (method === "GET" && (m = path.match(/^\/v1\/subscriptions\/([^/]+)$/))) {
      const sub = subscriptions.get(m[1]);
      return sub
        ? { status: 200, body: sub }
        : error(404, "invalid_request_error", `No such subscription: '${m[1]}'`, "resource_missing");
    }
    if (method === "POST" && (m = path.match(/^\/v1\/subscriptions\/([^/]+)$/))) {
      const sub = subscriptions.get(m[1]);
      if (!sub) return error(404, "invalid_request_error", `No such subscription: '${m[1]}'`, "resource_missing");
      const refused = refuseParams(
        params,
        ["cancel_at_period_end", "metadata", "cancellation_details", "description"],
        [],
      );
      if (refused) return refused;
      if (sub.status === "canceled" || sub.status === "incomplete_expired")
        return error(
          400,
          "invalid_request_error",
          `You cannot update a subscription that is \`${String(sub.status)}\`.`,
          "resource_missing",
        );
      if (params.cancel_at_period_end !== undefined) {
        if (!["true", "false"].includes(String(params.cancel_at_period_end)))
          return error(
            400,
            "invalid_request_error",
            "Invalid boolean: cancel_at_period_end",
            "parameter_invalid_boolean",
          );
        const at = params.cancel_at_period_end === "true";
        const end = Number((sub.items as { data: Obj[] }).data[0].current_period_end);
        Object.assign(sub, { cancel_at_period_end: at, cancel_at: at ? end : null, canceled_at: at ? now() : null });
      }
      if (params.metadata) sub.metadata = { ...(sub.metadata as Obj), ...(params.metadata as Obj) };
      return { status: 200, body: sub };
    }
    if (method === "GET" && (m = path.match(/^\/v1\/payment_intents\/([^/]+)$/))) {
      const pi = intents.get(m[1]);
      if (!pi) return error(404, "invalid_request_error", `No such payment_intent: '${m[1]}'`, "resource_missing");
      const expand = list(params.expand).map(String);
      const charge = defined(charges.get(String(pi.latest_charge)));
      if (!expand.some((e) => e.startsWith("latest_charge"))) return { status: 200, body: pi };
      const txn = balanceTxns.find((t) => t.id === charge.balance_transaction);
      const expandedCharge = expand.includes("latest_charge.balance_transaction")
        ? { ...charge, balance_transaction: txn }
        : charge;
      return { status: 200, body: { ...pi, latest_charge: expandedCharge } };
    }
    if (method === "POST" && path === "/v1/accounts") {
      const refused = refuseParams(params, ["type", "country", "email", "capabilities", "metadata"], ["type"]);
      if (refused) return refused;
      // Stripe would make it in the platform's country, which cannot be changed later: the double insists.
      if (!/^[A-Z]{2}$/.test(String(params.country ?? "")))
        return error(
          400,
          "invalid_request_error",
          "country: a two-letter country code is required here",
          "parameter_missing",
        );
      const id = rid("acct");
      const account = clone("account", {
        id,
        type: "express",
        email: params.email ?? null,
        country: params.country,
        metadata: params.metadata ?? {},
        payouts_enabled: false,
        charges_enabled: false,
        details_submitted: false,
        // Requested capabilities stay inactive until the account holder finishes onboarding.
        capabilities: { transfers: "inactive" },
      });
      accounts.set(id, account);
      return { status: 200, body: account };
    }
    if (method === "GET" && (m = path.match(/^\/v1\/accounts\/([^/]+)$/))) {
      const a = accounts.get(m[1]);
      return a
        ? { status: 200, body: a }
        : error(404, "invalid_request_error", `No such account: '${m[1]}'`, "resource_missing");
    }
    if (method === "POST" && path === "/v1/account_links") {
      if (!accounts.has(String(params.account)))
        return error(400, "invalid_request_error", `No such account: '${String(params.account)}'`, "resource_missing");
      return {
        status: 200,
        body: clone("account_link", {
          url: `https://connect.stripe.test/setup/e/${String(params.account)}/${rid("link")}`,
          created: now(),
          expires_at: now() + 300,
        }),
      };
    }
    if (method === "POST" && path === "/v1/transfers") {
      const refused = refuseParams(
        params,
        ["amount", "currency", "destination", "transfer_group", "description", "metadata", "source_transaction"],
        ["amount", "currency", "destination"],
      );
      if (refused) return refused;
      const badAmount = positiveInteger(params.amount, "amount");
      if (badAmount) return badAmount;
      const destination = String(params.destination);
      if (!accounts.has(destination))
        return error(400, "invalid_request_error", `No such destination: '${destination}'`, "resource_missing");
      if ((accounts.get(destination)?.capabilities as Obj | undefined)?.transfers !== "active")
        return error(
          400,
          "invalid_request_error",
          "Your destination account needs to have at least one of the following capabilities enabled: transfers, crypto_transfers, legacy_payments",
          "insufficient_capabilities_for_transfer",
        );
      const amount = Number(params.amount);
      if (!params.source_transaction && amount > availableBalance(String(params.currency)))
        return error(
          400,
          "invalid_request_error",
          "You have insufficient available funds in your Stripe account. Try adding funds directly to your available balance by creating Charges using the 4000000000000077 test card.",
          "balance_insufficient",
        );
      const id = rid("tr");
      const transfer = clone("transfer", {
        id,
        amount,
        currency: params.currency,
        destination,
        transfer_group: params.transfer_group ?? null,
        description: params.description ?? null,
        created: now(),
        metadata: {},
      });
      transfer.balance_transaction = balanceTxn("transfer", -amount, 0, String(params.currency), id);
      transfers.push(transfer);
      sources.set(id, transfer);
      return { status: 200, body: transfer };
    }
    if (method === "POST" && path === "/v1/refunds") {
      const refused = refuseParams(params, ["payment_intent", "charge", "amount", "metadata", "reason"], []);
      if (refused) return refused;
      if (
        params.reason !== undefined &&
        !["duplicate", "fraudulent", "requested_by_customer"].includes(String(params.reason))
      )
        return error(
          400,
          "invalid_request_error",
          `Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer`,
          "parameter_invalid_string",
        );
      const badAmount = params.amount === undefined ? null : positiveInteger(params.amount, "amount");
      if (badAmount) return badAmount;
      const pi = intents.get(String(params.payment_intent));
      if (!pi)
        return error(
          400,
          "invalid_request_error",
          `No such payment_intent: '${String(params.payment_intent)}'`,
          "resource_missing",
        );
      const charge = defined(charges.get(String(pi.latest_charge)));
      const amount = Number(params.amount ?? charge.amount);
      if (amount > Number(charge.amount) - Number(charge.amount_refunded))
        return error(
          400,
          "invalid_request_error",
          "Refund amount is greater than unrefunded amount on charge",
          "amount_too_large",
        );
      const id = rid("re");
      charge.amount_refunded = Number(charge.amount_refunded) + amount;
      const refund = clone("refund", {
        id,
        amount,
        charge: charge.id,
        payment_intent: pi.id,
        currency: charge.currency,
        status: nextRefundStatus,
        metadata: params.metadata ?? {},
        reason: params.reason ?? null,
        created: now(),
      });
      refund.balance_transaction = balanceTxn("refund", -amount, 0, String(charge.currency), id);
      sources.set(id, refund);
      refunds.set(id, refund);
      return { status: 200, body: refund };
    }
    if (method === "GET" && (m = path.match(/^\/v1\/refunds\/([^/]+)$/))) {
      const r = refunds.get(m[1]);
      return r
        ? { status: 200, body: r }
        : error(404, "invalid_request_error", `No such refund: '${m[1]}'`, "resource_missing");
    }
    if (method === "GET" && path === "/v1/refunds") {
      const refused = refuseParams(params, ["payment_intent", "charge", "limit", "starting_after", "created"], []);
      if (refused) return refused;
      const rows = [...refunds.values()]
        .filter((r) => (params.payment_intent ? r.payment_intent === params.payment_intent : true))
        .filter((r) => (params.charge ? r.charge === params.charge : true))
        .reverse();
      const after = params.starting_after ? rows.findIndex((r) => r.id === params.starting_after) + 1 : 0;
      const limit = Number(params.limit ?? 10);
      const data = rows.slice(after, after + limit);
      return { status: 200, body: { object: "list", url: "/v1/refunds", has_more: rows.length > after + limit, data } };
    }
    if (method === "GET" && path === "/v1/balance_transactions") {
      const created = (params.created ?? {}) as Obj;
      const gte = created.gte ? Number(created.gte) : -Infinity;
      const lt = created.lt ? Number(created.lt) : Infinity;
      const limit = Number(params.limit ?? 10);
      let rows = balanceTxns.filter((t) => Number(t.created) >= gte && Number(t.created) < lt);
      if (params.starting_after) rows = rows.slice(rows.findIndex((t) => t.id === params.starting_after) + 1);
      const expandSource = list(params.expand).map(String).includes("data.source");
      const data = rows
        .slice(0, limit)
        .map((t) => (expandSource ? { ...t, source: sources.get(String(t.source)) ?? t.source } : t));
      return {
        status: 200,
        body: { object: "list", url: "/v1/balance_transactions", has_more: rows.length > limit, data },
      };
    }
    return error(404, "invalid_request_error", `Unrecognized request URL (${method}: ${path})`);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://double");
      const body = Buffer.concat(chunks).toString("utf8");
      const params = req.method === "GET" ? decodeForm(url.search.slice(1)) : decodeForm(body);
      const key = req.headers["idempotency-key"] as string | undefined;
      requests.push({ method: req.method ?? "", path: url.pathname, idempotencyKey: key });
      const send = (answerStatus: number, answer: Obj) => {
        let status = answerStatus;
        let payload = answer;
        if (status === 200) {
          const expanded = list(params.expand).map(String);
          try {
            for (const obj of payload.object === "list" ? list(payload.data) : [payload])
              assertPinnedShape(obj, { expanded });
          } catch (e) {
            // The caller sees the double's mistake as a server error that names it.
            status = 500;
            payload = { error: { type: "api_error", message: e instanceof Error ? e.message : String(e) } };
          }
        }
        res.writeHead(status, { "content-type": "application/json", "request-id": rid("req") });
        res.end(JSON.stringify(payload));
      };
      if (!/^Bearer sk_(test|live)_/.test(req.headers.authorization ?? ""))
        return send(401, { error: { type: "invalid_request_error", message: "Invalid API Key provided" } });
      const fault = faults.find((f) => f.path === url.pathname && f.remaining > 0);
      if (fault?.afterActing && key && req.method === "POST") {
        // Stripe acted and kept the answer under the key, but the answer never reached the caller.
        fault.remaining -= 1;
        const result = route(req.method, url.pathname, params);
        idempotency.set(key, { fingerprint: `${url.pathname}?${body}`, status: result.status, body: result.body });
        return send(502, { error: { type: "api_error", message: "Injected lost answer" } });
      }
      if (fault) {
        fault.remaining -= 1;
        return send(fault.status, { error: { type: "api_error", message: "Injected failure" } });
      }
      if (key && req.method === "POST") {
        const fingerprint = `${url.pathname}?${body}`;
        const seen = idempotency.get(key);
        if (seen && seen.fingerprint !== fingerprint) {
          return send(400, {
            error: {
              type: "idempotency_error",
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with.`,
            },
          });
        }
        if (seen) return send(seen.status, seen.body);
        const result = route(req.method, url.pathname, params);
        // Stripe keeps a key's result once the endpoint began to act; a request refused by parameter
        // validation saves nothing, so the same key may be sent again, corrected.
        const code = String((result.body.error as Obj | undefined)?.code ?? "");
        if (result.status < 500 && !code.startsWith("parameter_"))
          idempotency.set(key, { fingerprint, status: result.status, body: result.body });
        return send(result.status, result.body);
      }
      const result = route(req.method ?? "GET", url.pathname, params);
      send(result.status, result.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    transfers,
    accounts,
    /**
     * The customer pays a session. Payment mode: a payment intent, a charge with its fee, and the completed
     * session. Subscription mode: a customer, an active subscription with the session's subscription_data
     * metadata and a month's period, and its first invoice paid (the session names both, and no payment intent).
     */
    paySession(sessionId: string): Obj {
      const session = sessions.get(sessionId);
      if (!session) throw new Error(`no session ${sessionId}`);
      if (sessionNow(session).status !== "open") throw new Error(`session ${sessionId} is ${String(session.status)}`);
      if (session.mode === "subscription") {
        const created = sessionParams.get(sessionId) ?? {};
        const li = list(created.line_items)[0];
        const priceData = li.price_data as Obj;
        const subId = rid("sub");
        const item = structuredClone((base.subscription.items as { data: Obj[] }).data[0]);
        Object.assign(item, {
          id: rid("si"),
          subscription: subId,
          quantity: 1,
          created: now(),
          current_period_start: now(),
          current_period_end: now() + MONTH_SECONDS,
          price: {
            ...(item.price as Obj),
            id: rid("price"),
            currency: priceData.currency,
            unit_amount: Number(priceData.unit_amount),
            unit_amount_decimal: String(priceData.unit_amount),
            recurring: {
              interval: (priceData.recurring as Obj).interval,
              interval_count: 1,
              meter: null,
              usage_type: "licensed",
              trial_period_days: null,
            },
          },
        });
        const sub = clone("subscription", {
          id: subId,
          customer: rid("cus"),
          status: "active",
          currency: priceData.currency,
          metadata: ((created.subscription_data as Obj | undefined)?.metadata as Obj | undefined) ?? {},
          cancel_at_period_end: false,
          cancel_at: null,
          canceled_at: null,
          ended_at: null,
          trial_end: null,
          trial_start: null,
          created: now(),
          start_date: now(),
          items: { object: "list", data: [item], has_more: false, url: `/v1/subscription_items?subscription=${subId}` },
        });
        subscriptions.set(subId, sub);
        const invoice = subscriptionInvoice(sub, "subscription_create", "paid");
        Object.assign(session, {
          status: "complete",
          payment_status: "paid",
          payment_intent: null,
          subscription: subId,
          invoice: invoice.id,
          customer: sub.customer,
        });
        return session;
      }
      const piId = takePayment(Number(session.amount_total), String(session.currency), session.metadata);
      Object.assign(session, { status: "complete", payment_status: "paid", payment_intent: piId });
      return session;
    },
    /**
     * A subscription's next period begins: its invoice is paid (a renewal), or its payment fails and the
     * subscription is past due (Stripe retries). Answers the invoice, for an `invoice.*` event.
     */
    renewSubscription(subscriptionId: string, outcome: "paid" | "failed" = "paid"): Obj {
      const sub = subscriptions.get(subscriptionId);
      if (!sub) throw new Error(`no subscription ${subscriptionId}`);
      const item = (sub.items as { data: Obj[] }).data[0];
      const start = Number(item.current_period_end);
      Object.assign(item, { current_period_start: start, current_period_end: start + MONTH_SECONDS });
      const invoice = subscriptionInvoice(sub, "subscription_cycle", outcome);
      sub.status = outcome === "paid" ? "active" : "past_due";
      return invoice;
    },
    /** The subscription ends (its canceled period ran out, or Stripe gave up retrying): status canceled. */
    endSubscription(subscriptionId: string): Obj {
      const sub = subscriptions.get(subscriptionId);
      if (!sub) throw new Error(`no subscription ${subscriptionId}`);
      Object.assign(sub, { status: "canceled", ended_at: now(), canceled_at: sub.canceled_at ?? now() });
      return sub;
    },
    subscription(subscriptionId: string): Obj | undefined {
      return subscriptions.get(subscriptionId);
    },
    /** An invoice as an `invoice.*` event carries it (its payments not included, as Stripe sends it). */
    invoiceOf(invoiceId: string): Obj {
      const invoice = invoices.get(invoiceId);
      if (!invoice) throw new Error(`no invoice ${invoiceId}`);
      return invoice;
    },
    /** Charges from now on settle into a balance in `currency` (lower case) at `rate`; null: in their own. */
    settleIn(to: { currency: string; rate: number } | null) {
      settlement = to;
    },
    /** Charges made from now on keep their funds pending this long before they can be transferred. */
    holdFunds(seconds: number) {
      fundsPendingSeconds = seconds;
    },
    /** Adds money to the available balance at once (Stripe's top-ups, or its 0077 test card). */
    topUp(currency: string, amount: number) {
      balanceTxn("topup", amount, 0, currency.toLowerCase(), rid("tu"));
    },
    /**
     * The account holder finishes onboarding: the account can take transfers and pay out (Stripe then sends
     * account.updated to the Connect endpoint). Answers the account.
     */
    completeOnboarding(accountId: string): Obj {
      const account = accounts.get(accountId);
      if (!account) throw new Error(`no account ${accountId}`);
      Object.assign(account, {
        payouts_enabled: true,
        charges_enabled: true,
        details_submitted: true,
        capabilities: { ...(account.capabilities as Obj), transfers: "active" },
      });
      return account;
    },
    /** Moves the double's clock forward: sessions whose end passes are expired from then on. */
    advance(seconds: number) {
      clockOffsetSeconds += seconds;
    },
    session(sessionId: string): Obj | undefined {
      const s = sessions.get(sessionId);
      return s && sessionNow(s);
    },
    charge(chargeId: string): Obj | undefined {
      return charges.get(chargeId);
    },
    chargeOfIntent(piId: string): Obj | undefined {
      return charges.get(String(intents.get(piId)?.latest_charge));
    },
    refund(refundId: string): Obj | undefined {
      return refunds.get(refundId);
    },
    /** Every refund of a payment intent, as the provider holds them (the truth a ledger must match). */
    refundsOfIntent(piId: string): Obj[] {
      return [...refunds.values()].filter((r) => r.payment_intent === piId);
    },
    /** A refund made outside Guildhall (in the Stripe Dashboard): no Guildhall metadata. */
    refundOutside(piId: string, amount: number): Obj {
      const result = route("POST", "/v1/refunds", { payment_intent: piId, amount: String(amount) });
      if (result.status !== 200) throw new Error(`refund refused: ${JSON.stringify(result.body)}`);
      return result.body;
    },
    /** A refund fails after it was accepted (a closed card account): the money comes back to the balance. */
    failRefund(refundId: string): Obj {
      const refund = refunds.get(refundId);
      if (!refund) throw new Error(`no refund ${refundId}`);
      const charge = charges.get(String(refund.charge));
      if (charge) charge.amount_refunded = Number(charge.amount_refunded) - Number(refund.amount);
      Object.assign(refund, { status: "failed", failure_reason: "expired_or_canceled_card" });
      refund.failure_balance_transaction = balanceTxn(
        "refund_failure",
        Number(refund.amount),
        0,
        String(refund.currency),
        refundId,
      );
      return refund;
    },
    /** The status refunds are created with from now on (`pending` for methods that settle later). */
    setNextRefundStatus(status: "succeeded" | "pending") {
      nextRefundStatus = status;
    },
    /** Makes the next `times` requests to `path` fail with `status` (a flaky network or a Stripe outage). */
    failNext(path: string, status = 500, times = 1) {
      faults.push({ path, status, remaining: times });
    },
    /** The next POST to `path` is carried out, but its answer is lost on the way back (a dropped connection). */
    loseNextAnswer(path: string) {
      faults.push({ path, status: 502, remaining: 1, afterActing: true });
    },
    /**
     * A Stripe event envelope around an object, as webhooks deliver it: only of a type the pinned version
     * sends, with an object that has no field the version does not send (a test's forgery may leave some out).
     */
    event(type: string, object: Obj): Obj {
      if (!eventTypes().has(type))
        throw new Error(`Stripe sends no ${type} event at API version ${Stripe.API_VERSION}`);
      assertPinnedShape(object, { partial: true });
      return clone("event", {
        id: rid("evt"),
        type,
        created: now(),
        data: { object },
        api_version: Stripe.API_VERSION,
        livemode: false,
        pending_webhooks: 1,
      });
    },
    transfersTo(destination: string): Obj[] {
      return transfers.filter((t) => t.destination === destination);
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
