"use client";
import { useEffect } from "react";

/**
 * On a narrow screen a wide table scrolls sideways inside itself
 * (app/globals.css). Whoever uses a keyboard must reach that scrolling too,
 * so each table that overflows is made focusable (arrow keys then scroll it);
 * a table that fits is left alone. It
 * runs again when the page's content or the window's width changes, since
 * tables come and go with navigation and refreshes.
 */
export function ScrollableTables() {
  useEffect(() => {
    const main = document.getElementById("main");
    if (!main) return;
    let queued = false;
    const mark = () => {
      queued = false;
      for (const table of main.querySelectorAll<HTMLElement>("table.table")) {
        if (table.scrollWidth > table.clientWidth + 1) {
          if (table.tabIndex !== 0) table.tabIndex = 0;
        } else if (table.tabIndex === 0) {
          table.removeAttribute("tabindex");
        }
      }
    };
    const schedule = () => {
      if (!queued) {
        queued = true;
        requestAnimationFrame(mark);
      }
    };
    mark();
    const observer = new MutationObserver(schedule);
    observer.observe(main, { childList: true, subtree: true });
    window.addEventListener("resize", schedule);
    return () => {
      observer.disconnect();
      window.removeEventListener("resize", schedule);
    };
  }, []);
  return null;
}
