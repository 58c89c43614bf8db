import type { CliCommand } from "../command";
import { output } from "../command";
import { seedDemoIfEmpty } from "@/lib/seed/seed-demo-if-empty";
import { demoSignInLines } from "@/lib/seed/demo-sign-in-lines";

export const dbSeed: CliCommand = {
  name: "db seed",
  summary: "seed the demo organization if the database has no users yet",
  usage: "db seed [--json]",
  async run(args) {
    const seeded = await seedDemoIfEmpty();
    output(args, { seeded }, () => (seeded ? demoSignInLines() : ["the database already has users; nothing seeded"]));
  },
};
