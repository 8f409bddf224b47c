/**
 * A page's code as a chunk that can be fetched before the page renders.
 *
 * `React.lazy` alone fetches a page's chunk when the page first renders: on a first visit
 * that is only after `/auth/me` answered. `load()` starts it as soon as the URL is known,
 * in parallel with that and with the page's data; `loaded()` then hands the page over
 * without suspending (the app renders it directly; see `RoutedPage` in App.tsx).
 */
import { lazy, type ComponentType } from "react";

export type PageComponent = ComponentType<{ params: Record<string, string> }>;

export interface PageModule {
  /** Start fetching the chunk (once); resolves when it is in, rejects if it failed. */
  load: () => Promise<PageComponent>;
  /** The page itself once its chunk is in, else null. */
  loaded: () => PageComponent | null;
  /** The page behind `React.lazy`, under a Suspense boundary (the login pages; a page
   * whose chunk failed to load, where the boundary's error view shows). */
  Lazy: PageComponent;
}

export function pageModule(importer: () => Promise<{ default: PageComponent }>): PageModule {
  let component: PageComponent | null = null;
  let pending: Promise<PageComponent> | null = null;
  const load = () => {
    pending ??= importer().then(
      (module) => (component = module.default),
      (error: unknown) => {
        pending = null; // a failed fetch (server restarting) is tried again next time
        throw error;
      },
    );
    return pending;
  };
  return { load, loaded: () => component, Lazy: lazy(() => load().then((page) => ({ default: page }))) };
}
