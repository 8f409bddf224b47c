/**
 * Live updates: one graphql-ws (graphql-transport-ws) connection to `/graphql` on the
 * page's own origin, shared by every subscription, opened lazily and closed when idle.
 *
 * After a server restart the client retries forever with a capped backoff and then
 * re-subscribes everything, so pages come back to life without a reload; `onStatus`
 * listeners learn whether the link is up (the header shows it) and every subscriber is
 * told to re-read after a reconnect (`onReconnect`), since events may have been missed.
 */
import { createClient, type Client } from "graphql-ws";
import { GRAPHQL_PATH, type TypedDocument, type Variables } from "./client";

export type LiveStatus = "connecting" | "live" | "offline";

let client: Client | null = null;
let status: LiveStatus = "connecting";
let everConnected = false;
const statusListeners = new Set<(s: LiveStatus) => void>();
const reconnectListeners = new Set<() => void>();

function setStatus(next: LiveStatus): void {
  if (next === status) return;
  status = next;
  for (const listener of statusListeners) listener(status);
}

function url(): string {
  const { protocol, host } = window.location;
  return `${protocol === "https:" ? "wss:" : "ws:"}//${host}${GRAPHQL_PATH}`;
}

function getClient(): Client {
  if (client) return client;
  client = createClient({
    url,
    lazy: false, // one connection for the page's life: the header shows whether it is up
    keepAlive: 15_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: async (retries) => {
      const ms = Math.min(5000, 300 * 2 ** Math.min(retries, 5)) * (0.75 + Math.random() / 2);
      await new Promise((resolve) => setTimeout(resolve, ms));
    },
    on: {
      connecting: () => setStatus(everConnected ? "offline" : "connecting"),
      connected: () => {
        const reconnect = everConnected;
        everConnected = true;
        setStatus("live");
        if (reconnect) for (const listener of reconnectListeners) listener();
      },
      closed: () => {
        if (everConnected) setStatus("offline");
      },
    },
  });
  return client;
}

/** Open the shared connection now (the app calls this once it knows who is asking). */
export function connectLive(): void {
  getClient();
}

/** Close the connection (logged out: nobody to subscribe as). */
export function closeLive(): void {
  if (!client) return;
  const old = client;
  client = null;
  everConnected = false;
  void old.dispose();
  setStatus("connecting");
}

/** Reconnect as whoever is asking now (after a login or a team switch: the websocket
 * carries the identity it was opened with). Pages remount and subscribe again. */
export function restartLive(): void {
  if (!client) return;
  closeLive();
  getClient();
}

export function liveStatus(): LiveStatus {
  return status;
}

export function onLiveStatus(listener: (s: LiveStatus) => void): () => void {
  statusListeners.add(listener);
  return () => statusListeners.delete(listener);
}

export function onReconnect(listener: () => void): () => void {
  reconnectListeners.add(listener);
  return () => reconnectListeners.delete(listener);
}

export interface SubscriptionHandlers<T> {
  next: (data: T) => void;
  error?: (error: unknown) => void;
  complete?: () => void;
}

/** Subscribe; returns the function that ends the subscription. Each message has the
 * document's result type. */
export function subscribe<Result, Vars extends Variables>(
  document: TypedDocument<Result, Vars>,
  variables: NoInfer<Vars>,
  handlers: SubscriptionHandlers<Result>,
): () => void {
  return getClient().subscribe<Result>(
    { query: document.toString(), variables },
    {
      next: (message) => {
        if (message.data) handlers.next(message.data);
        else if (message.errors?.length) handlers.error?.(new Error(message.errors[0].message));
      },
      error: (error) => handlers.error?.(error),
      complete: () => handlers.complete?.(),
    },
  );
}
