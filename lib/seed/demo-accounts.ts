/** The demo organization made on an empty database, and printed at start. */
export const demoAccounts = {
  admin: { email: "admin@guildhall.test", name: "Ada Admin" },
  members: [
    { email: "member1@guildhall.test", name: "Mira Member" },
    { email: "member2@guildhall.test", name: "Marco Member" },
    { email: "member3@guildhall.test", name: "Mei Member" },
  ],
  finance: { email: "finance@guildhall.test", name: "Fina Finance" },
  // Payout batches, split policies and large refunds take two different finance users.
  finance2: { email: "finance2@guildhall.test", name: "Fred Finance" },
  theaterAdmin: { email: "theater@guildhall.test", name: "Theo Theater" },
  hostOperator: { email: "host@guildhall.test", name: "Hana Host" },
  theater: { slug: "globe-theater", name: "The Globe Theater" },
  host: { slug: "north-host", name: "North Host" },
} as const;

/** The closed vote of the demo (lib/demo/seed-demo-closed-vote.ts), named here for the tests that look for it. */
export const demoClosedVoteTitle = "Keep each quarter's finance statements public for five years";
