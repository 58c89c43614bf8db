import { getRequestingApp } from "@/lib/oidc/authorize/get-requesting-app";

/**
 * On the sign-in page, when an application sent the person here (an OpenID
 * authorization request waits for the sign-in): which one, so nobody signs in
 * without knowing what for.
 */
export async function RequestingAppContext({ callbackPath }: { callbackPath: string }) {
  const app = await getRequestingApp(callbackPath);
  if (!app) return null;
  return (
    <div className="rounded-md border border-stone-300 bg-white p-4 text-sm" data-testid="requesting-app">
      <p className="font-medium">
        {app.clientName}
        {app.hostName ? ` (run by ${app.hostName})` : ""} asks you to sign in with your Guildhall account.
      </p>
      <p className="mt-1 text-stone-700">
        After you sign in you go back to it; the first time, Guildhall asks you what it may see.
      </p>
    </div>
  );
}
