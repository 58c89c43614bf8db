import { diffMigrationsToSchema } from "./migration-engine";

/**
 * `npm run db:check`: fails when prisma/schema.prisma has changes that no
 * committed migration carries (or a migration does what the schema does not).
 */
async function main(): Promise<number> {
  const missing = await diffMigrationsToSchema();
  if (!missing) {
    console.log("migrations match schema.prisma");
    return 0;
  }
  console.error("prisma/schema.prisma and prisma/migrations disagree. Run `npm run db:new-migration -- NAME`.");
  console.error("SQL the migrations are missing:\n");
  console.error(missing);
  return 1;
}

// process.exit: the wasm engine keeps the event loop alive for a while otherwise.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
