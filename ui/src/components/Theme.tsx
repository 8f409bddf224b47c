/** Light/dark/system theme: follows `prefers-color-scheme` until the user picks one. */
import { useState } from "react";
import { IconMonitor, IconMoon, IconSun } from "./icons";

export type ThemeChoice = "system" | "light" | "dark";
const KEY = "proctor.theme";

export function readTheme(): ThemeChoice {
  try {
    const value = localStorage.getItem(KEY);
    return value === "light" || value === "dark" ? value : "system";
  } catch {
    return "system";
  }
}

export function applyTheme(choice: ThemeChoice): void {
  const root = document.documentElement;
  if (choice === "system") delete root.dataset.theme;
  else root.dataset.theme = choice;
  try {
    if (choice === "system") localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, choice);
  } catch {
    /* private mode: the choice lasts for this page */
  }
}

/** The theme in effect now ("light" or "dark"), for code that needs literal colours. */
export function effectiveTheme(): "light" | "dark" {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === "light" || chosen === "dark") return chosen;
  return window.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

export function ThemeSwitch() {
  const [choice, setChoice] = useState<ThemeChoice>(readTheme);
  const pick = (next: ThemeChoice) => {
    setChoice(next);
    applyTheme(next);
  };
  const options: [ThemeChoice, string, typeof IconSun][] = [
    ["light", "Light theme", IconSun],
    ["system", "Follow the system", IconMonitor],
    ["dark", "Dark theme", IconMoon],
  ];
  return (
    <div className="theme-switch" role="group" aria-label="Theme">
      {options.map(([value, label, Icon]) => (
        <button key={value} type="button" aria-pressed={choice === value} title={label} aria-label={label} onClick={() => pick(value)}>
          <Icon size={15} />
        </button>
      ))}
    </div>
  );
}
