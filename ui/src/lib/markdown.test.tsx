// @vitest-environment jsdom
import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { Markdown, safeHref } from "./markdown";

function html(text: string): HTMLElement {
  const { container } = render(<Markdown text={text} />);
  return container;
}

describe("safeHref", () => {
  it("keeps absolute http(s) URLs only", () => {
    expect(safeHref("https://example.com/a?b=1")).toBe("https://example.com/a?b=1");
    expect(safeHref(" http://example.com ")).toBe("http://example.com/");
    for (const bad of ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>", "/relative", "//evil.example", "vbscript:x", "https//nope"]) {
      expect(safeHref(bad)).toBeNull();
    }
  });
});

describe("Markdown", () => {
  it("leaves underscores inside words alone", () => {
    const root = html("window.__pwned and snake_case_name and __real__ and _it_");
    expect(root.textContent).toBe("window.__pwned and snake_case_name and real and it");
    expect(root.querySelector("strong")?.textContent).toBe("real");
    expect(root.querySelector("em")?.textContent).toBe("it");
  });

  it("shows raw HTML as text and never makes elements from it", () => {
    const root = html('<script>window.x = 1</script>\n\n<img src="x" onerror="window.x = 2">\n\n<a href="javascript:1">a</a>');
    expect(root.querySelector("script")).toBeNull();
    expect(root.querySelector("img")).toBeNull();
    expect(root.querySelector("a")).toBeNull();
    expect(root.textContent).toContain("<script>window.x = 1</script>");
    expect(root.textContent).toContain('onerror="window.x = 2"');
  });

  it("opens only http(s) links, in a new tab without an opener", () => {
    const root = html("[safe](https://example.com/dash) and [bad](javascript:alert(1)) and ![pic](https://example.com/p.png)");
    const links = [...root.querySelectorAll("a")];
    expect(links.map((a) => [a.textContent, a.getAttribute("href")])).toEqual([
      ["safe", "https://example.com/dash"],
      ["pic", "https://example.com/p.png"],
    ]);
    expect(links.every((a) => a.getAttribute("rel")?.includes("noopener") && a.getAttribute("target") === "_blank")).toBe(true);
    expect(root.querySelector(".md-unsafe-link")?.textContent).toBe("bad");
    expect(root.querySelector("img")).toBeNull(); // images are links, never loaded
  });

  it("renders headings, emphasis, code, lists, quotes, rules and tables", () => {
    const root = html(
      [
        "# Title",
        "Some **bold**, *italic* and `code` text",
        "that continues.",
        "",
        "- one",
        "- two",
        "",
        "1. first",
        "2. second",
        "",
        "> quoted",
        "",
        "---",
        "",
        "```",
        "<b>not bold</b>",
        "```",
        "",
        "| a | b |",
        "|---|:-:|",
        "| 1 | 2 |",
      ].join("\n"),
    );
    expect(root.querySelector("h2")?.textContent).toBe("Title");
    expect(root.querySelector("p strong")?.textContent).toBe("bold");
    expect(root.querySelector("p em")?.textContent).toBe("italic");
    expect(root.querySelector("p code")?.textContent).toBe("code");
    expect(root.querySelector("p")?.textContent).toBe("Some bold, italic and code text that continues.");
    expect([...root.querySelectorAll("ul li")].map((li) => li.textContent)).toEqual(["one", "two"]);
    expect([...root.querySelectorAll("ol li")].map((li) => li.textContent)).toEqual(["first", "second"]);
    expect(root.querySelector("blockquote")?.textContent).toBe("quoted");
    expect(root.querySelector("hr")).not.toBeNull();
    expect(root.querySelector("pre code")?.textContent).toBe("<b>not bold</b>");
    expect(root.querySelector("pre b")).toBeNull();
    expect(root.querySelector("table th")?.textContent).toBe("a");
    expect([...root.querySelectorAll("table td")].map((td) => td.textContent)).toEqual(["1", "2"]);
  });
});
