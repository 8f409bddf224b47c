/**
 * A small history-based router: real URLs (deep links, reloads), back/forward through the
 * browser's history, `<Link>` that keeps ctrl/cmd-click opening a new tab.
 *
 * Routes are patterns like `/flow-run/:id`; `matchPath` returns the named parts (decoded)
 * or null. The location is an external store read with `useSyncExternalStore`, so every
 * component sees the same location during a render.
 */
import { useCallback, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from "react";

type Listener = () => void;
const listeners = new Set<Listener>();
let current = snapshot();

function snapshot(): { pathname: string; search: string; key: string } {
  const { pathname, search } = window.location;
  return { pathname, search, key: pathname + search };
}

function emit(): void {
  const next = snapshot();
  if (next.key === current.key) return;
  current = next;
  for (const listener of listeners) listener();
}

if (typeof window !== "undefined") window.addEventListener("popstate", emit);

function subscribe(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useLocation(): { pathname: string; search: string } {
  return useSyncExternalStore(subscribe, () => current);
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  emit();
  if (!options.replace && typeof window.scrollTo === "function" && !/jsdom/.test(navigator.userAgent)) window.scrollTo(0, 0);
}

/** The named parts of `pathname` if it matches `pattern` (`/flows/:id`), else null. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const want = pattern.split("/").filter(Boolean);
  const have = pathname.split("/").filter(Boolean);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i += 1) {
    if (want[i].startsWith(":")) {
      try {
        params[want[i].slice(1)] = decodeURIComponent(have[i]);
      } catch {
        return null;
      }
    } else if (want[i] !== have[i]) {
      return null;
    }
  }
  return params;
}

/** Build a path from a pattern, encoding each part. */
export function pathTo(pattern: string, params: Record<string, string | number>): string {
  return pattern.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(String(params[name])));
}

/** One query-string parameter as state: setting it replaces (or pushes) the URL. */
export function useSearchParam(name: string): [string | null, (value: string | null, push?: boolean) => void] {
  const { pathname, search } = useLocation();
  const value = new URLSearchParams(search).get(name);
  const set = useCallback(
    (next: string | null, push = false) => {
      const params = new URLSearchParams(window.location.search);
      if (next == null || next === "") params.delete(name);
      else params.set(name, next);
      const query = params.toString();
      navigate(`${pathname}${query ? `?${query}` : ""}`, { replace: !push });
    },
    [name, pathname],
  );
  return [value, set];
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string; replace?: boolean };

export function Link({ to, replace, onClick, ...rest }: LinkProps) {
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey ||
      rest.target === "_blank"
    ) {
      return;
    }
    event.preventDefault();
    navigate(to, { replace });
  };
  return <a href={to} onClick={handle} {...rest} />;
}
