/** See ensure-portal-build.mjs. */
export function ensurePortalBuild(): void;
