-- AlterTable
ALTER TABLE "ReleaseLine" ADD COLUMN     "hostOrgIds" TEXT[] DEFAULT ARRAY[]::TEXT[];
