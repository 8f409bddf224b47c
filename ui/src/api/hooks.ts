/**
 * `useQuery`: a GraphQL query as React state, with a small cache so going back to a page
 * shows what it showed at once while it re-reads (stale-while-revalidate).
 *
 * Pages refresh from subscriptions; `refreshMs` exists for what no event announces (time
 * passing: "late" runs, agent heartbeats) and is clamped to at least 10 s. Every query
 * re-reads after the live link reconnects, since events may have been missed meanwhile.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { request, type TypedDocument, type Variables } from "./client";
import { onReconnect } from "./live";

export const MIN_REFRESH_MS = 10_000;

const cache = new Map<string, unknown>();
const CACHE_LIMIT = 200;
// Requests started during a render (first visit of a page), picked up by its effect: the
// data starts loading before React has even committed the page.
const inflight = new Map<string, Promise<unknown>>();

function fetchOnce<Result, Vars extends Variables>(key: string, document: TypedDocument<Result, Vars>, variables: Vars): Promise<Result> {
  // The key names the document and its variables: what is in flight for it has its type.
  let pending = inflight.get(key) as Promise<Result> | undefined;
  if (!pending) {
    pending = request(document, variables).finally(() => inflight.delete(key));
    inflight.set(key, pending);
  }
  return pending;
}

function keyOf(document: TypedDocument<unknown, never>, variables: Variables): string {
  return document.toString() + JSON.stringify(variables);
}

// Data a route asked for before its page's code was even loaded (`prefetch`): the page's
// first `useQuery` takes it as fresh instead of asking again.
const prefetched = new Map<string, number>();
const PREFETCH_FRESH_MS = 5000;

/**
 * Start reading what a page will ask for, in parallel with loading the page's code (the
 * router calls it when a URL is resolved). The page's `useQuery` with the same query and
 * variables joins the request, or takes its answer.
 */
export function prefetch<Result, Vars extends Variables>(document: TypedDocument<Result, Vars>, variables: NoInfer<Vars>): void {
  const key = keyOf(document, variables);
  if (cache.has(key) || inflight.has(key)) return;
  fetchOnce(key, document, variables).then(
    (data) => {
      remember(key, data);
      prefetched.set(key, Date.now());
    },
    () => undefined,
  );
}

function remember(key: string, value: unknown): void {
  cache.delete(key);
  cache.set(key, value);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
}

export interface QueryState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  refetch: () => Promise<void>;
}

export interface QueryOptions {
  refreshMs?: number;
  skip?: boolean;
}

/** The variables may be left out when the document requires none. */
type QueryArguments<Vars> = Record<string, never> extends Vars ? [variables?: Vars, options?: QueryOptions] : [variables: Vars, options?: QueryOptions];

export function useQuery<Result, Vars extends Variables>(
  document: TypedDocument<Result, Vars>,
  ...[given, options = {}]: QueryArguments<NoInfer<Vars>>
): QueryState<Result> {
  // The cache is keyed by the document's text and variables: what it holds under a key
  // is that document's result.
  // Left out only where the document requires no variable (QueryArguments).
  const variables = (given ?? {}) as Vars;
  const key = keyOf(document, variables);
  const [state, setState] = useState<{ key: string; data: Result | undefined; error: unknown; loading: boolean }>(() => ({
    key,
    data: cache.get(key) as Result | undefined,
    error: null,
    loading: !options.skip,
  }));
  if (!options.skip && !cache.has(key) && !inflight.has(key)) void fetchOnce(key, document, variables).catch(() => undefined);
  const latest = useRef({ document, variables, key });
  latest.current = { document, variables, key };
  const sequence = useRef(0);

  const run = useCallback(async () => {
    const { document: d, variables: v, key: k } = latest.current;
    const mine = ++sequence.current;
    setState((s) => (s.key === k ? { ...s, loading: true } : { key: k, data: (cache.get(k) as Result | undefined) ?? s.data, error: null, loading: true }));
    try {
      const data = await fetchOnce(k, d, v);
      remember(k, data);
      if (mine === sequence.current) setState({ key: k, data, error: null, loading: false });
    } catch (error) {
      if (mine === sequence.current) setState((s) => ({ key: k, data: s.data, error, loading: false }));
    }
  }, []);

  useEffect(() => {
    if (options.skip) return undefined;
    const early = prefetched.get(key);
    prefetched.delete(key);
    if (early !== undefined && Date.now() - early <= PREFETCH_FRESH_MS && cache.has(key)) {
      // Answered while the page's code loaded: take it, and do not ask again.
      setState({ key, data: cache.get(key) as Result, error: null, loading: false });
    } else {
      void run();
    }
    const off = onReconnect(() => void run());
    let timer: ReturnType<typeof setInterval> | undefined;
    if (options.refreshMs) timer = setInterval(() => void run(), Math.max(MIN_REFRESH_MS, options.refreshMs));
    return () => {
      off();
      if (timer) clearInterval(timer);
    };
  }, [key, options.skip, options.refreshMs, run]);

  // A new key shows its cached data, else the previous data, while it loads (no flash).
  const current = state.key === key ? state : { data: (cache.get(key) as Result | undefined) ?? state.data, error: null, loading: true };
  return { data: current.data, error: current.error, loading: current.loading, refetch: run };
}

/** A value that changes every `ms` milliseconds (relative times, running durations). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

/** Calls `fn` at most once per `ms` (trailing call kept): live events trigger re-reads. */
export function useThrottled(fn: () => void, ms: number): () => void {
  const ref = useRef(fn);
  ref.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const last = useRef(0);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  return useCallback(() => {
    if (timer.current) return;
    const wait = Math.max(0, last.current + ms - Date.now());
    timer.current = setTimeout(() => {
      timer.current = null;
      last.current = Date.now();
      ref.current();
    }, wait);
  }, [ms]);
}

export function clearQueryCache(): void {
  cache.clear();
  inflight.clear();
  prefetched.clear();
}
