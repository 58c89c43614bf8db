"use client";
import { signOut } from "next-auth/react";
import { useHydrated } from "@/app/use-hydrated";

export function SignOutButton() {
  // Until hydrated the buttons have no handlers: disabled, so no click is lost.
  const hydrated = useHydrated();
  return (
    <button type="button" className="btn-secondary" disabled={!hydrated} onClick={() => signOut({ callbackUrl: "/" })}>
      Sign out
    </button>
  );
}
