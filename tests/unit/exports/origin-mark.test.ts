import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ForkNotice, OriginMark } from "@/app/origin-mark";
import { originOfLogEntry, originOfRecord } from "@/lib/portability/list-fork-origins";

const first = {
  issuer: "https://first.example",
  host: "first.example",
  logOrigin: "first.example/log",
  rootHash: "00",
  treeSize: 10,
  exportedAt: new Date("2026-11-01T09:00:00Z"),
  importedAt: new Date("2026-11-01T10:00:00Z"),
};
const second = {
  ...first,
  issuer: "https://second.example",
  host: "second.example",
  treeSize: 25,
  exportedAt: new Date("2026-12-01T09:00:00Z"),
  importedAt: new Date("2026-12-01T10:00:00Z"),
};

describe("which records came from a fork's origin", () => {
  it("names the Guildhall that made a record, and none for one made here or on a Guildhall never forked", () => {
    expect(originOfRecord([first, second], new Date("2026-10-01T00:00:00Z"))?.host).toBe("first.example");
    expect(originOfRecord([first, second], "2026-11-15T00:00:00.000Z")?.host).toBe("second.example");
    expect(originOfRecord([first, second], new Date("2026-12-01T10:00:00Z"))).toBeNull();
    expect(originOfRecord([], new Date("2026-10-01T00:00:00Z"))).toBeNull();
    expect(originOfRecord([first], null)).toBeNull();
    expect(originOfLogEntry([first, second], 9)?.host).toBe("first.example");
    expect(originOfLogEntry([first, second], 24)?.host).toBe("second.example");
    expect(originOfLogEntry([first, second], 25)).toBeNull();
  });

  it("says so in words linked to the log's account of the fork, and says nothing on a Guildhall never forked", () => {
    const mark = renderToStaticMarkup(createElement(OriginMark, { origin: second }));
    expect(mark).toContain(">from second.example</a>");
    expect(mark).toContain('href="/log#fork-origins"');
    expect(mark).toContain("imported on 2026-12-01");
    expect(renderToStaticMarkup(createElement(OriginMark, { origin: null }))).toBe("");

    const notice = renderToStaticMarkup(createElement(ForkNotice, { forks: [first, second] }));
    expect(notice).toContain("This Guildhall is a fork of <strong>https://second.example</strong>");
    expect(notice).toContain("itself a fork of https://first.example");
    expect(notice).toContain('href="/log#fork-origins"');
    expect(renderToStaticMarkup(createElement(ForkNotice, { forks: [] }))).toBe("");
  });
});
