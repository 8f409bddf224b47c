import { Component, Suspense, useEffect, useState, type ReactNode } from "react";
import { FLOW, FLOW_RUN, TASK_RUN } from "./api/documents";
import { prefetch } from "./api/hooks";
import { closeLive, connectLive, liveStatus, onLiveStatus, type LiveStatus } from "./api/live";
import { loadSession, useSession, useSessionEpoch, type Identity } from "./api/session";
import { Toasts } from "./components/Feedback";
import { NotFound, Unreachable } from "./components/ErrorView";
import {
  IconAgents, IconBell, IconCode, IconDashboard, IconFlows, IconGauge, IconInbox, IconList, IconLock, IconProjects, IconRuns, IconUsers,
} from "./components/icons";
import { TeamSwitcher, UserBox } from "./components/SessionBar";
import { ThemeSwitch } from "./components/Theme";
import { pageModule, type PageComponent, type PageModule } from "./lib/pageModule";
import { capabilitiesOf } from "./lib/roles";
import { Link, matchPath, navigate, useLocation } from "./lib/router";
import { ROUTES } from "./routes";

// Every page is its own chunk: the first load fetches the shell and the page it shows.
const Dashboard = pageModule(() => import("./pages/Dashboard"));
const Flows = pageModule(() => import("./pages/Flows"));
const FlowPage = pageModule(() => import("./pages/Flow"));
const FlowRunPage = pageModule(() => import("./pages/FlowRun"));
const RunsPage = pageModule(() => import("./pages/Runs"));
const BackfillPage = pageModule(() => import("./pages/Backfill"));
const TaskRunPage = pageModule(() => import("./pages/TaskRun"));
const Agents = pageModule(() => import("./pages/Agents"));
const Projects = pageModule(() => import("./pages/Projects"));
const Login = pageModule(() => import("./pages/Login")).Lazy;
const AcceptInvitation = pageModule(() => import("./pages/AcceptInvitation"));
const Account = pageModule(() => import("./pages/Account"));
const Team = pageModule(() => import("./pages/Team"));
const Secrets = pageModule(() => import("./pages/Secrets"));
const Audit = pageModule(() => import("./pages/Audit"));
const Automations = pageModule(() => import("./pages/Automations"));
const AutomationEdit = pageModule(() => import("./pages/AutomationEdit"));
const Notifications = pageModule(() => import("./pages/Notifications"));
const ConcurrencyLimits = pageModule(() => import("./pages/ConcurrencyLimits"));
const ArtifactsPage = pageModule(() => import("./pages/Artifacts"));
const Compare = pageModule(() => import("./pages/Compare"));
const ActivityPage = pageModule(() => import("./pages/Activity"));

const TABLE: [string, PageModule][] = [
  [ROUTES.dashboard, Dashboard],
  [ROUTES.flows, Flows],
  [ROUTES.flow, FlowPage],
  [ROUTES.runs, RunsPage],
  [ROUTES.flowRun, FlowRunPage],
  [ROUTES.backfill, BackfillPage],
  [ROUTES.taskRun, TaskRunPage],
  [ROUTES.mappedTaskRun, TaskRunPage],
  [ROUTES.agents, Agents],
  [ROUTES.projects, Projects],
  [ROUTES.account, Account],
  [ROUTES.team, Team],
  [ROUTES.secrets, Secrets],
  [ROUTES.audit, Audit],
  [ROUTES.automations, Automations],
  [ROUTES.newAutomation, AutomationEdit],
  [ROUTES.automation, AutomationEdit],
  [ROUTES.notifications, Notifications],
  [ROUTES.concurrencyLimits, ConcurrencyLimits],
  [ROUTES.artifacts, ArtifactsPage],
  [ROUTES.compare, Compare],
  [ROUTES.activity, ActivityPage],
  [ROUTES.acceptInvitation, AcceptInvitation],
];

// What a page reads first, started as soon as its URL is known: in parallel with
// fetching the page's code instead of after it.
const PREFETCH: Record<string, (params: Record<string, string>) => void> = {
  [ROUTES.flow]: ({ id }) => prefetch(FLOW, { id }),
  [ROUTES.flowRun]: ({ id }) => prefetch(FLOW_RUN, { id }),
  [ROUTES.taskRun]: ({ id, slug }) => prefetch(TASK_RUN, { flowRunId: id, taskSlug: slug, mapIndex: -1 }),
  [ROUTES.mappedTaskRun]: ({ id, slug, index }) => {
    if (/^\d+$/.test(index)) prefetch(TASK_RUN, { flowRunId: id, taskSlug: slug, mapIndex: Number(index) });
  },
};

function resolve(pathname: string): { Page: PageModule | null; params: Record<string, string>; pattern: string } {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  for (const [pattern, Page] of TABLE) {
    const params = matchPath(pattern, path);
    if (params) return { Page, params, pattern };
  }
  return { Page: null, params: {}, pattern: "" };
}

/**
 * A route's page once its chunk is in. Until then a skeleton, and not a Suspense fallback:
 * React holds content back for 300 ms after a fallback showed, even when the chunk and the
 * data come sooner. A chunk that fails to load goes through `React.lazy`, whose error the
 * page boundary shows.
 */
function RoutedPage({ page, params }: { page: PageModule; params: Record<string, string> }) {
  const [Loaded, setLoaded] = useState<PageComponent | null>(() => page.loaded());
  useEffect(() => {
    if (Loaded) return undefined;
    let alive = true;
    page.load().then(
      (component) => alive && setLoaded(() => component),
      () => alive && setLoaded(() => page.Lazy),
    );
    return () => {
      alive = false;
    };
  }, [page, Loaded]);
  if (!Loaded) return <div className="skeleton" style={{ height: 220 }} />;
  return <Loaded params={params} />;
}

function NavLink({ to, label, icon, active }: { to: string; label: string; icon: React.ReactNode; active: boolean }) {
  return (
    <Link to={to} className={`nav-link${active ? " active" : ""}`} aria-current={active ? "page" : undefined}>
      {icon}
      {label}
    </Link>
  );
}

function LiveIndicator() {
  const [status, setStatus] = useState<LiveStatus>(liveStatus);
  useEffect(() => onLiveStatus(setStatus), []);
  const text = { connecting: "Connecting…", live: "Live", offline: "Reconnecting…" }[status];
  return (
    <div className={`live live-${status}`} data-testid="live-status" data-status={status} title="Live updates over a GraphQL subscription">
      <span className="pulse" />
      {text}
    </div>
  );
}

/** A page that failed to load (its chunk, while the server restarts) or crashed. */
class PageBoundary extends Component<{ children: ReactNode; resetKey: string }, { error: Error | null; key: string }> {
  state = { error: null as Error | null, key: this.props.resetKey };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  static getDerivedStateFromProps(props: { resetKey: string }, state: { error: Error | null; key: string }) {
    return props.resetKey === state.key ? null : { error: null, key: props.resetKey };
  }

  render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    if (/dynamically imported module|Importing a module script failed|Failed to fetch/i.test(error.message)) {
      return <Unreachable onRetry={() => window.location.reload()} />;
    }
    return (
      <div className="error-page" role="alert">
        <div className="big">!</div>
        <h1>This page hit an error</h1>
        <p className="muted mono small">{error.message}</p>
        <button type="button" className="btn btn-primary" onClick={() => window.location.reload()}>Reload</button>
      </div>
    );
  }
}

// A run's pages (/runs/:id) are in the Runs section, with the list of every run.
const SECTIONS: Record<string, string> = { "": "dashboard" };

function Sidebar({ identity, section }: { identity: Identity; section: string }) {
  const can = capabilitiesOf(identity.role);
  // On a narrow screen the sidebar is a top bar whose menu opens on demand (see app.css);
  // it folds again once a page is chosen.
  const [open, setOpen] = useState(false);
  const { pathname } = useLocation();
  useEffect(() => setOpen(false), [pathname]);
  const link = (to: string, label: string, icon: ReactNode, name = to.slice(1)) => (
    <NavLink to={to} label={label} icon={icon} active={section === name} />
  );
  return (
    <aside className={`sidebar${open ? " open" : ""}`} data-testid="sidebar">
      <Link to="/" className="brand" aria-label="Proctor home">
        <img src="/favicon.svg" width={26} height={26} alt="" />
        Proctor
      </Link>
      <button type="button" className="btn btn-sm menu-toggle" aria-expanded={open} aria-controls="main-menu" aria-label={open ? "Close the menu" : "Open the menu"}
        onClick={() => setOpen(!open)} data-testid="menu-toggle">
        <svg width={18} height={18} viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" aria-hidden="true">
          {open ? <path d="M5 5l10 10M15 5L5 15" /> : <path d="M3 5.5h14M3 10h14M3 14.5h14" />}
        </svg>
      </button>
      <div className="sidebar-menu" id="main-menu">
      <TeamSwitcher identity={identity} />
      <nav aria-label="Main">
        {link("/", "Dashboard", <IconDashboard />, "dashboard")}
        {link("/flows", "Flows", <IconFlows />)}
        {link("/runs", "Runs", <IconRuns />)}
        {link("/activity", "Activity", <IconInbox />)}
        {link("/artifacts", "Artifacts", <IconList />)}
        {link("/agents", "Agents", <IconAgents />)}
        {link("/projects", "Projects", <IconProjects />)}
        <div className="nav-section">Alerting</div>
        {link("/automations", "Automations", <IconBell />)}
        {link("/notifications", "Delivery log", <IconInbox />)}
        {link("/limits", "Concurrency", <IconGauge />)}
        <div className="nav-section">Team</div>
        {link("/secrets", "Secrets", <IconLock />)}
        {can.readAudit && link("/audit", "Audit log", <IconList />)}
        {link("/team", "Team settings", <IconUsers />)}
        <a className="nav-link" href="/graphql" target="_blank" rel="noreferrer">
          <IconCode />
          GraphQL API
        </a>
      </nav>
      <div className="sidebar-foot">
        <UserBox identity={identity} />
        <LiveIndicator />
        <ThemeSwitch />
      </div>
      </div>
    </aside>
  );
}

/** Before the shell: who is asking, the login page, or the invitation page. */
function Gate({ children }: { children: ReactNode }) {
  const session = useSession();
  const { pathname } = useLocation();
  const signedIn = session.status === "signed-in";
  useEffect(() => {
    // The websocket carries an identity: open it only once there is one.
    if (signedIn) connectLive();
    else closeLive();
  }, [signedIn]);
  useEffect(() => {
    if (signedIn && pathname === ROUTES.login) {
      const next = new URLSearchParams(window.location.search).get("next");
      navigate(next && next.startsWith("/") && !next.startsWith("//") ? next : "/", { replace: true });
    }
  }, [signedIn, pathname]);
  if (session.status === "loading") return <div className="gate-loading"><div className="skeleton" style={{ height: 220 }} /></div>;
  if (session.status === "unreachable") return <Unreachable onRetry={() => void loadSession()} />;
  if (session.status === "anonymous" || pathname === ROUTES.acceptInvitation) {
    const Standalone = pathname === ROUTES.acceptInvitation ? AcceptInvitation.Lazy : Login;
    return (
      <PageBoundary resetKey={pathname}>
        <Suspense fallback={<div className="gate-loading"><div className="skeleton" style={{ height: 220 }} /></div>}>
          <Standalone params={{}} />
        </Suspense>
        <Toasts />
      </PageBoundary>
    );
  }
  return <>{children}</>;
}

/**
 * Start loading what the page at `pathname` needs, its code and its first data, in
 * parallel with `/auth/me` (the app calls it before its first render, and on every
 * render for the page shown; it asks for each thing once).
 */
export function startRoute(pathname: string): void {
  const { Page, params, pattern } = resolve(pathname);
  PREFETCH[pattern]?.(params);
  void Page?.load().catch(() => undefined);
}

export function App() {
  const { pathname } = useLocation();
  const { Page, params, pattern } = resolve(pathname);
  startRoute(pathname);
  const session = useSession();
  const epoch = useSessionEpoch();
  const first = pathname.split("/")[1] ?? "";
  const section = SECTIONS[first] ?? first;
  useEffect(() => {
    document.title = Page || pathname === ROUTES.login ? "Proctor" : "Not found · Proctor";
  }, [Page, pathname]);
  return (
    <Gate>
      {session.status === "signed-in" && (
        <div className="shell">
          <Sidebar identity={session.identity} section={section} />
          <main className="main">
            <PageBoundary resetKey={pathname}>
              <Suspense fallback={<div className="skeleton" style={{ height: 220 }} />}>
                {Page ? <RoutedPage key={`${epoch}:${pattern}${params.id ?? ""}`} page={Page} params={params} /> : pathname === ROUTES.login ? null : <NotFound />}
              </Suspense>
            </PageBoundary>
          </main>
          <Toasts />
        </div>
      )}
    </Gate>
  );
}
