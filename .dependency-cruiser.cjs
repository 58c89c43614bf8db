/**
 * The import rules of docs/ARCHITECTURE.md, checked by `npm run check:imports`
 * (part of `npm test`):
 * - no import cycles, between files or between rooms;
 * - only lib/ imports the database client (lib/db/client.ts);
 * - every import points down: a room (a folder of lib/, or one of the files
 *   named below) imports only rooms on lower floors, never one on its own
 *   floor or above.
 * The floors are written down here once, lowest first.
 */
const floors = [
  // foundations: no domain below them
  [
    "lib/config",
    "lib/errors",
    "lib/log.ts",
    "lib/crypto",
    "lib/merkle",
    "lib/money",
    "lib/process-state.ts",
    "lib/stale-while-revalidate.ts",
  ],
  ["lib/db", "lib/ids.ts", "emails"],
  // request plumbing and operations (metrics, readiness, background tasks)
  ["lib/http", "lib/ops"],
  // who acts and may they: the audit chain records an Actor, so this stands below it
  ["lib/access"],
  // services every domain uses
  ["lib/audit", "lib/ledger", "lib/outbox", "lib/payment-provider", "lib/rate-limit"],
  ["lib/keys", "lib/mail"],
  // outgoing webhooks: every domain below governance and licensing emits its events through them; finance
  // alerts (mailed), raised by payments and payouts alike
  ["lib/webhooks", "lib/finance-alerts"],
  // domains, each above what it calls
  ["lib/auth", "lib/orgs", "lib/release-lines", "lib/splits", "lib/payouts", "lib/transparency"],
  // funding of release lines and hosts: money in, split to the hosts (payments acts on its provider events)
  ["lib/oidc", "lib/seed", "lib/webhook-subscriptions", "lib/funding"],
  ["lib/payments", "lib/governance", "lib/protocol-fast-lane"],
  ["lib/licensing"],
  // app-store purchases become orders (payments) and licenses (licensing); the federation's trust anchor speaks
  // for admitted hosts (governance) and licensed theaters (licensing)
  // the demo's activity (orders, a refund, a client, a vote) is made through payments, oidc and governance
  ["lib/app-stores", "lib/federation", "lib/demo"],
  // what leaves Guildhall whole, and what is erased (issue 15): reads and writes across every domain below
  ["lib/portability"],
  // the composition root and the edges: routes and UI, the CLI, the start
  ["lib/composition", "app", "tools"],
  ["lib/start-portal.ts", "cli"],
  ["instrumentation-node.ts"],
  ["instrumentation.ts", "proxy.ts"],
];

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const roomPattern = (room) => (room.endsWith(".ts") ? `${escapeRegExp(room)}$` : `${escapeRegExp(room)}/`);
const anyOf = (rooms) => `^(${rooms.map(roomPattern).join("|")})`;

const floorRules = floors.map((rooms, i) => ({
  name: `floor-${i + 1}-imports-down`,
  comment: `${rooms.join(", ")} may import only rooms on the floors below theirs (.dependency-cruiser.cjs)`,
  severity: "error",
  from: { path: anyOf(rooms) },
  // The same floor or above, other than the importing room itself ($1).
  to: { path: anyOf(floors.slice(i).flat()), pathNot: "^$1" },
}));

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "files that import each other in a loop",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "database-client-only-in-lib",
      comment: "only lib/ (and prisma/) import the database client; app/ and cli/ call a domain operation",
      severity: "error",
      from: { pathNot: "^lib/" },
      to: { path: "^lib/db/client\\.ts$" },
    },
    {
      name: "every-room-has-a-floor",
      comment: "a new folder of lib/ gets a floor in .dependency-cruiser.cjs",
      severity: "error",
      from: {
        path: "^lib/",
        pathNot: `^(${floors
          .flat()
          .filter((r) => r.startsWith("lib/"))
          .map(roomPattern)
          .join("|")}|lib/generated/)`,
      },
      to: {},
    },
    ...floorRules,
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|lib/generated|\\.next)/" },
    // Type-only imports count: they tie rooms together as much as any other.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".tsx", ".mjs", ".js", ".json"] },
  },
};
