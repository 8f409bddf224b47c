/**
 * Who is using the UI: `/auth/me` as a small store.
 *
 * In local mode (no `--auth`) the server answers with the owner of the default team and
 * nobody logs in. In auth mode an answer of 401 (or any UNAUTHENTICATED error from the
 * API, e.g. a session that ended) makes the state "anonymous" and the app shows the login
 * page. The CSRF token of the session goes with every POST (`csrfHeader`).
 */
import { useSyncExternalStore } from "react";
import { capabilitiesOf, NO_CAPABILITIES, type Capabilities } from "../lib/roles";

export interface TeamRef {
  id: string;
  name: string;
  slug: string;
  role: string;
}

export interface Identity {
  authEnabled: boolean;
  kind: string;
  role: string;
  user: { id: string; email: string; name: string | null } | null;
  currentTeam: TeamRef;
  teams: TeamRef[];
  apiKey: { id: string; name: string | null; serviceAccount: boolean } | null;
  csrfToken: string | null;
}

export type SessionState =
  | { status: "loading" }
  | { status: "unreachable" }
  | { status: "anonymous"; message: string | null }
  | { status: "signed-in"; identity: Identity };

let state: SessionState = { status: "loading" };
// Bumped whenever who is asking changes (login, logout, team switch): pages remount and
// read again, and nothing cached for the previous identity is shown.
let epoch = 0;
const listeners = new Set<() => void>();
const changeListeners = new Set<() => void>();

function set(next: SessionState, identityChanged = false): void {
  state = next;
  if (identityChanged) {
    epoch += 1;
    for (const listener of changeListeners) listener();
  }
  for (const listener of listeners) listener();
}

export function sessionState(): SessionState {
  return state;
}

export function sessionEpoch(): number {
  return epoch;
}

/** Called when who is asking changed (the API layer clears caches, the live link reconnects). */
export function onIdentityChange(listener: () => void): () => void {
  changeListeners.add(listener);
  return () => changeListeners.delete(listener);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): SessionState {
  return useSyncExternalStore(subscribe, () => state);
}

export function useSessionEpoch(): number {
  return useSyncExternalStore(subscribe, () => epoch);
}

/** What the person may do here (local mode: the owner; nothing until it is known). */
export function useCan(): Capabilities {
  const session = useSession();
  return session.status === "signed-in" ? capabilitiesOf(session.identity.role) : NO_CAPABILITIES;
}

/** The role in the current team (null until known). */
export function useRole(): string | null {
  const session = useSession();
  return session.status === "signed-in" ? session.identity.role : null;
}

function readCookie(name: string): string | null {
  if (typeof document === "undefined") return null;
  for (const part of document.cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

/** The header a cookie-authenticated POST must carry (empty in local mode). */
export function csrfHeader(): Record<string, string> {
  const token = (state.status === "signed-in" ? state.identity.csrfToken : null) ?? readCookie("proctor_csrf");
  return token ? { "X-CSRF-Token": token } : {};
}

interface AuthErrorBody {
  error?: { code?: string; message?: string };
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

/** Ask the server who we are (at start-up, and after anything that may change it). */
export async function loadSession(): Promise<SessionState> {
  let response: Response;
  try {
    response = await fetch("/auth/me", { headers: { accept: "application/json" }, credentials: "same-origin" });
  } catch {
    set({ status: "unreachable" });
    return state;
  }
  const body = await readJson(response);
  if (response.ok && body && typeof body === "object" && "currentTeam" in body) {
    const before = state.status === "signed-in" ? identityKey(state.identity) : null;
    const identity = body as Identity;
    set({ status: "signed-in", identity }, before !== null && before !== identityKey(identity));
  } else if (response.status === 401) {
    set({ status: "anonymous", message: null }, state.status === "signed-in");
  } else {
    set({ status: "unreachable" });
  }
  return state;
}

function identityKey(identity: Identity): string {
  return `${identity.user?.id ?? identity.kind}:${identity.currentTeam.id}:${identity.role}`;
}

export class LoginError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

export async function login(email: string, password: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch("/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ email, password }),
    });
  } catch {
    throw new LoginError("UNREACHABLE", "The Proctor server did not answer. Is it running?");
  }
  const body = (await readJson(response)) as (Identity & AuthErrorBody) | null;
  if (!response.ok || !body || !("currentTeam" in body)) {
    throw new LoginError(body?.error?.code ?? "ERROR", body?.error?.message ?? `The server answered ${response.status}.`);
  }
  set({ status: "signed-in", identity: body }, true);
}

export async function logout(): Promise<void> {
  try {
    await fetch("/auth/logout", { method: "POST", headers: { ...csrfHeader() }, credentials: "same-origin" });
  } finally {
    set({ status: "anonymous", message: null }, true);
  }
}

/** The API said UNAUTHENTICATED: in auth mode, back to the login page (with why). */
export function sessionRefused(message: string): void {
  if (state.status === "anonymous") return;
  if (state.status === "signed-in" && !state.identity.authEnabled) return;
  set({ status: "anonymous", message }, state.status === "signed-in");
}

/** After switchTeam (or anything else that changes the identity): re-read `/auth/me`. */
export async function identityChanged(): Promise<void> {
  const before = state.status === "signed-in" ? identityKey(state.identity) : null;
  await loadSession();
  if (state.status === "signed-in" && before === identityKey(state.identity)) {
    set(state, true); // same key (e.g. role unchanged) but the caller knows data changed
  }
}
