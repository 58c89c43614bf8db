import "server-only";
import { AppError } from "@/lib/errors/app-error";
import { appStoresConfig, type GooglePlayConfig } from "@/lib/config/app-stores";

/** Google Play's configuration, or NOT_FOUND (reason GOOGLE_PLAY_NOT_CONFIGURED) on a portal that sells no Android app. */
export function googlePlayConfigOrThrow(): GooglePlayConfig {
  const google = appStoresConfig().google;
  if (!google)
    throw new AppError("NOT_FOUND", {
      reason: "GOOGLE_PLAY_NOT_CONFIGURED",
      userMessage: "This portal takes no Google Play purchases.",
    });
  return google;
}
