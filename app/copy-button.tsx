"use client";
import { useState } from "react";
import { Button } from "@/app/button";

/**
 * Copies a secret shown once (an API token, a client secret) to the
 * clipboard, and says so. Where the browser refuses the clipboard (an
 * insecure origin, a denied permission) it says to select and copy by hand.
 */
export function CopyButton({ value, label = "Copy" }: { value: string; label?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        type="button"
        className="btn-secondary px-2 py-1 text-xs"
        onClick={() =>
          navigator.clipboard
            .writeText(value)
            .then(() => setState("copied"))
            .catch(() => setState("failed"))
        }
      >
        {label}
      </Button>
      <span aria-live="polite" className="text-xs text-stone-600">
        {state === "copied" ? "Copied." : state === "failed" ? "The browser refused: select it and copy." : ""}
      </span>
    </span>
  );
}
