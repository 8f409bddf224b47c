/**
 * Run configs as the UI shows and takes them: the flow page's summary of where its runs
 * start (`describeRunConfig`), and the run form's environment lines (`parseEnvLines`),
 * which the server lays over the flow's run config `env` for that run.
 */
import type { JsonValue } from "../api/types";

export interface RunConfigSummary {
  /** What starts the runs, in words: "Docker container", "Local process", ... */
  kind: string;
  /** One "name: value" line per setting given (env names only, never values). */
  lines: string[];
}

const KINDS: Record<string, string> = {
  universal: "Any agent",
  local: "Local process",
  docker: "Docker container",
  kubernetes: "Kubernetes job (specification only)",
  ecs: "ECS task (metadata only)",
  vertex: "Vertex AI job (metadata only)",
};

function show(value: JsonValue): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function describeRunConfig(config: { [key: string]: JsonValue } | null | undefined): RunConfigSummary {
  const type = config && typeof config.type === "string" && config.type ? config.type : "universal";
  const kind = KINDS[type] ?? type;
  const lines: string[] = [];
  for (const [key, value] of Object.entries(config ?? {})) {
    if (key === "type" || key === "labels" || value === null) continue;
    if (key === "env" && value && typeof value === "object" && !Array.isArray(value)) {
      // Names only: values may be sensitive and belong in the code that set them.
      const names = Object.keys(value);
      if (names.length) lines.push(`env: ${names.join(", ")}`);
      continue;
    }
    if (Array.isArray(value)) {
      if (value.length) lines.push(`${key}: ${value.map(show).join(", ")}`);
      continue;
    }
    lines.push(`${key}: ${show(value)}`);
  }
  return { kind, lines };
}

export type EnvLines = { ok: true; env: Record<string, string> | null } | { ok: false; error: string };

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `NAME=VALUE` per line (blank lines and `#` comments skipped) -> the run's env. */
export function parseEnvLines(text: string): EnvLines {
  const env: Record<string, string> = {};
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index].trim();
    if (!line || line.startsWith("#")) continue;
    const at = line.indexOf("=");
    const name = at < 0 ? line : line.slice(0, at).trim();
    if (at < 0 || !ENV_NAME.test(name)) {
      return { ok: false, error: `Line ${index + 1} is not NAME=VALUE (a name of letters, digits and _, not starting with a digit).` };
    }
    env[name] = line.slice(at + 1);
  }
  return { ok: true, env: Object.keys(env).length ? env : null };
}
