/**
 * GraphQL over HTTP: one `request()` for queries and mutations, same origin (`/graphql`).
 *
 * Errors are one class with a `kind`: "network" (the server did not answer: the UI shows
 * "API unreachable" with a retry), "http" (a non-GraphQL failure status), "graphql" (the
 * server answered with errors; `code` is the stable code, e.g. NOT_FOUND, INVALID_INPUT,
 * and `details` what the server attached, e.g. per-parameter messages).
 */

import type { TypedDocumentString } from "../gql/graphql";
import { csrfHeader, sessionRefused } from "./session";

export const GRAPHQL_PATH = "/graphql";

export type ErrorKind = "network" | "http" | "graphql";

export class ApiError extends Error {
  readonly kind: ErrorKind;
  readonly code: string | null;
  readonly details: Record<string, unknown> | null;
  readonly status: number | null;

  constructor(
    kind: ErrorKind,
    message: string,
    options: { code?: string | null; details?: Record<string, unknown> | null; status?: number | null } = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.kind = kind;
    this.code = options.code ?? null;
    this.details = options.details ?? null;
    this.status = options.status ?? null;
  }

  get isNotFound(): boolean {
    return this.code === "NOT_FOUND";
  }

  get isForbidden(): boolean {
    return this.code === "FORBIDDEN";
  }

  get isUnauthenticated(): boolean {
    return this.code === "UNAUTHENTICATED";
  }

  get isUnreachable(): boolean {
    return this.kind === "network" || (this.kind === "http" && (this.status ?? 0) >= 502);
  }
}

interface GraphQLErrorBody {
  message: string;
  extensions?: { code?: string; details?: Record<string, unknown> };
}

export type Variables = Record<string, unknown>;

/**
 * A document with the types of its result and variables, as `graphql()` returns it (the
 * types are generated from the schema by `npm run codegen`; the value is the query text).
 */
export type TypedDocument<Result, Vars> = TypedDocumentString<Result, Vars>;

/** Send a query or mutation; the answer has the document's result type. */
export async function request<Result, Vars extends Variables>(
  document: TypedDocument<Result, Vars>,
  variables: NoInfer<Vars>,
  signal?: AbortSignal,
): Promise<Result> {
  const query = document.toString();
  let response: Response;
  try {
    response = await fetch(GRAPHQL_PATH, {
      method: "POST",
      // A logged-in browser proves with its session's CSRF token that our page sent this.
      headers: { "content-type": "application/json", accept: "application/json", ...csrfHeader() },
      credentials: "same-origin",
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError("network", "The Proctor server did not answer.");
  }
  let body: { data?: Result | null; errors?: GraphQLErrorBody[] } | null = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (body?.errors?.length) {
    const [first] = body.errors;
    if (first.extensions?.code === "UNAUTHENTICATED") sessionRefused(first.message);
    throw new ApiError("graphql", first.message, {
      code: first.extensions?.code ?? null,
      details: first.extensions?.details ?? null,
      status: response.status,
    });
  }
  if (!response.ok || !body || body.data == null) {
    throw new ApiError("http", `The server answered ${response.status} ${response.statusText}`.trim(), {
      status: response.status,
    });
  }
  return body.data;
}

/** Per-parameter messages of an INVALID_INPUT error of createFlowRun, by parameter name. */
export function parameterErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || error.code !== "INVALID_INPUT") return {};
  const list = (error.details?.errors ?? []) as { parameter?: string; message?: string }[];
  const out: Record<string, string> = {};
  for (const item of Array.isArray(list) ? list : []) {
    if (item.parameter && item.message && !out[item.parameter]) out[item.parameter] = item.message;
  }
  return out;
}
