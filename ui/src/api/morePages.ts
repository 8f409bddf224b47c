/**
 * "Load more" under a cursor-paged list: the first page comes from `useQuery` (and may
 * refresh), the pages after it are read on demand and appended. While there are some, the
 * caller stops refreshing the first page: newer items would shift the list under them.
 */
import { useEffect, useState } from "react";

export interface PageOf<T> {
  nodes: T[];
  pageInfo: { endCursor?: string | null; hasNextPage: boolean };
}

export interface MorePages<T> {
  /** The first page's items, then the loaded ones. */
  items: T[];
  /** Whether pages after the first were loaded (the first must then stay as read). */
  extended: boolean;
  hasMore: boolean;
  loading: boolean;
  error: string | null;
  loadMore: () => Promise<void>;
}

interface Loaded<T> {
  items: T[];
  after: string | null;
  loading: boolean;
  error: string | null;
}

/** The state once `page` arrived: its items after those loaded before, and its end. */
export function appendPage<T>(loaded: T[], page: PageOf<T>): Loaded<T> {
  return {
    items: [...loaded, ...page.nodes],
    after: page.pageInfo.hasNextPage ? (page.pageInfo.endCursor ?? null) : null,
    loading: false,
    error: null,
  };
}

/** `resetKey` names the list (its filters): a new one drops the loaded pages. */
export function useMorePages<T>(first: PageOf<T> | undefined, fetchAfter: (cursor: string) => Promise<PageOf<T>>, resetKey: string): MorePages<T> {
  const [more, setMore] = useState<Loaded<T> | null>(null);
  useEffect(() => setMore(null), [resetKey]);
  const after = more ? more.after : first?.pageInfo.hasNextPage ? (first.pageInfo.endCursor ?? null) : null;
  const loadMore = async () => {
    if (!after || more?.loading) return;
    const loaded = more?.items ?? [];
    setMore({ items: loaded, after, loading: true, error: null });
    try {
      setMore(appendPage(loaded, await fetchAfter(after)));
    } catch (error) {
      setMore({ items: loaded, after, loading: false, error: error instanceof Error ? error.message : String(error) });
    }
  };
  return {
    items: [...(first?.nodes ?? []), ...(more?.items ?? [])],
    extended: more !== null,
    hasMore: after !== null,
    loading: more?.loading ?? false,
    error: more?.error ?? null,
    loadMore,
  };
}
