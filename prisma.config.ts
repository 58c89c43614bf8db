import { defineConfig } from "prisma/config";

// Prisma's CLI is used here only for `prisma generate`; migrations are applied
// by lib/db/migrate.ts so that no native engine has to be downloaded.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/guildhall" },
});
