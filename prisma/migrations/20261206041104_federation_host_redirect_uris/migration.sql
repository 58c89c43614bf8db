-- AlterTable
ALTER TABLE "FederationHost" ADD COLUMN     "redirectUris" TEXT[] DEFAULT ARRAY[]::TEXT[];
