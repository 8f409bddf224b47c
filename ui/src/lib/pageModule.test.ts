import { describe, expect, it } from "vitest";
import { pageModule, type PageComponent } from "./pageModule";

const Page: PageComponent = () => null;

describe("pageModule", () => {
  it("fetches a page's chunk once, and has the page at hand once it is in", async () => {
    let imports = 0;
    const page = pageModule(async () => {
      imports += 1;
      return { default: Page };
    });
    expect(page.loaded()).toBeNull();
    const first = page.load();
    const second = page.load();
    expect(first).toBe(second);
    expect(await first).toBe(Page);
    expect(page.loaded()).toBe(Page);
    await page.load();
    expect(imports).toBe(1);
  });

  it("tries a chunk that failed to load again", async () => {
    let imports = 0;
    const page = pageModule(async () => {
      imports += 1;
      if (imports === 1) throw new TypeError("Failed to fetch dynamically imported module");
      return { default: Page };
    });
    await expect(page.load()).rejects.toThrow("Failed to fetch");
    expect(page.loaded()).toBeNull();
    expect(await page.load()).toBe(Page);
    expect(imports).toBe(2);
  });
});
