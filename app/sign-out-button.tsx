"use client";
import { signOut } from "next-auth/react";
import { Button } from "@/app/button";

/** Signs out here and lands on the home page, which says it happened. */
export function SignOutButton() {
  return (
    <Button type="button" className="btn-secondary" onClick={() => signOut({ callbackUrl: "/?signed-out=1" })}>
      Sign out
    </Button>
  );
}
