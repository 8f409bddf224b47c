import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { isStaleVersion } from "./staleVersion";

describe("isStaleVersion", () => {
  it("is the server's refusal of an edit made on an older version", () => {
    expect(isStaleVersion(new ApiError("graphql", "changed since you read it", { code: "STALE_VERSION" }))).toBe(true);
  });
  it("is no other failure", () => {
    expect(isStaleVersion(new ApiError("graphql", "bad cron", { code: "INVALID_INPUT" }))).toBe(false);
    expect(isStaleVersion(new ApiError("network", "The Proctor server did not answer."))).toBe(false);
    expect(isStaleVersion(new Error("STALE_VERSION"))).toBe(false);
    expect(isStaleVersion(null)).toBe(false);
  });
});
