import { actorName } from "../api/actors";
import { durationProblem, formatSeconds, isEmail, isHttpUrl, limitProblem, parseDuration, secretNameProblem } from "./validation";

describe("durations", () => {
  it("reads what people type", () => {
    expect(parseDuration("")).toBeNull();
    expect(parseDuration("  ")).toBeNull();
    expect(parseDuration("300")).toBe(300);
    expect(parseDuration("45s")).toBe(45);
    expect(parseDuration("10m")).toBe(600);
    expect(parseDuration("1h30m")).toBe(5400);
    expect(parseDuration("1h 30m")).toBe(5400);
    expect(parseDuration("2d")).toBe(172800);
    expect(parseDuration("1.5h")).toBe(5400);
    expect(parseDuration("soon")).toBeNaN();
    expect(parseDuration("10x")).toBeNaN();
    expect(parseDuration("m10")).toBeNaN();
  });

  it("writes seconds back as the shortest text it reads again", () => {
    for (const seconds of [1, 59, 60, 90, 3600, 5400, 86400, 90061]) {
      expect(parseDuration(formatSeconds(seconds))).toBe(seconds);
    }
    expect(formatSeconds(5400)).toBe("1h30m");
    expect(formatSeconds(null)).toBe("");
    expect(formatSeconds(1.5)).toBe("1.5");
  });

  it("says what is wrong with a threshold", () => {
    expect(durationProblem("")).toBeNull();
    expect(durationProblem("5m")).toBeNull();
    expect(durationProblem("0")).toMatch(/more than zero/);
    expect(durationProblem("later")).toMatch(/duration like/);
  });
});

describe("small checks", () => {
  it("checks secret names like the server", () => {
    expect(secretNameProblem("API_TOKEN")).toBeNull();
    expect(secretNameProblem("_x1")).toBeNull();
    expect(secretNameProblem("")).toMatch(/Name the secret/);
    expect(secretNameProblem("1ABC")).toMatch(/letters, digits/);
    expect(secretNameProblem("has space")).toMatch(/letters, digits/);
    expect(secretNameProblem("A".repeat(201))).toMatch(/at most 200/);
  });

  it("checks limits, emails and URLs", () => {
    expect(limitProblem("0")).toBeNull();
    expect(limitProblem("3")).toBeNull();
    expect(limitProblem("-1")).toMatch(/whole number/);
    expect(limitProblem("2.5")).toMatch(/whole number/);
    expect(limitProblem("100001")).toMatch(/100,000/);
    expect(isEmail("a@b.io")).toBe(true);
    expect(isEmail("a@b")).toBe(false);
    expect(isHttpUrl("https://hooks.example.com/x")).toBe(true);
    expect(isHttpUrl("http://127.0.0.1:8080/")).toBe(true);
    expect(isHttpUrl("ftp://example.com")).toBe(false);
    expect(isHttpUrl("example.com")).toBe(false);
  });

  it("names actors from members and keys", () => {
    const members = [{ userId: "u1", email: "ada@example.com", name: null, role: "owner", joined: "" }];
    const keys = [{ id: "k1", name: "ci", prefix: "p", role: "member", userId: null, userEmail: null, serviceAccount: true, createdBy: null, created: "", expiresAt: null, lastUsed: null, revoked: false }];
    expect(actorName("user:u1", members, keys)).toBe("ada@example.com");
    expect(actorName("api_key:k1", members, keys)).toBe("key ci");
    expect(actorName("user:u9", members, keys)).toBe("user:u9");
    expect(actorName("local", members, keys)).toBe("local (no login)");
    expect(actorName(null, members, keys)).toBe("—");
  });
});
