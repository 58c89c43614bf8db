"use client";
import { signOut } from "next-auth/react";
import { Button } from "@/app/button";

export function SignOutButton() {
  return (
    <Button type="button" className="btn-secondary" onClick={() => signOut({ callbackUrl: "/" })}>
      Sign out
    </Button>
  );
}
