import { Component, lazy, Suspense, useEffect, useState, type ComponentType, type ReactNode } from "react";
import { liveStatus, onLiveStatus, type LiveStatus } from "./api/live";
import { Toasts } from "./components/Feedback";
import { NotFound, Unreachable } from "./components/ErrorView";
import { IconAgents, IconCode, IconDashboard, IconFlows, IconProjects } from "./components/icons";
import { ThemeSwitch } from "./components/Theme";
import { Link, matchPath, useLocation } from "./lib/router";
import { ROUTES } from "./routes";

// Every page is its own chunk: the first load fetches the shell and the page it shows.
const Dashboard = lazy(() => import("./pages/Dashboard"));
const Flows = lazy(() => import("./pages/Flows"));
const FlowPage = lazy(() => import("./pages/Flow"));
const FlowRunPage = lazy(() => import("./pages/FlowRun"));
const TaskRunPage = lazy(() => import("./pages/TaskRun"));
const Agents = lazy(() => import("./pages/Agents"));
const Projects = lazy(() => import("./pages/Projects"));

type Page = ComponentType<{ params: Record<string, string> }>;
const TABLE: [string, Page][] = [
  [ROUTES.dashboard, Dashboard],
  [ROUTES.flows, Flows],
  [ROUTES.flow, FlowPage],
  [ROUTES.flowRun, FlowRunPage],
  [ROUTES.taskRun, TaskRunPage],
  [ROUTES.mappedTaskRun, TaskRunPage],
  [ROUTES.agents, Agents],
  [ROUTES.projects, Projects],
];

function resolve(pathname: string): { Page: Page | null; params: Record<string, string>; pattern: string } {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  for (const [pattern, Page] of TABLE) {
    const params = matchPath(pattern, path);
    if (params) return { Page, params, pattern };
  }
  return { Page: null, params: {}, pattern: "" };
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

export function App() {
  const { pathname } = useLocation();
  const { Page, params, pattern } = resolve(pathname);
  const section = pathname === "/" ? "dashboard" : pathname.split("/")[1];
  useEffect(() => {
    document.title = Page ? "Proctor" : "Not found · Proctor";
  }, [Page]);
  return (
    <div className="shell">
      <aside className="sidebar">
        <Link to="/" className="brand" aria-label="Proctor home">
          <img src="/favicon.svg" width={26} height={26} alt="" />
          Proctor
        </Link>
        <nav aria-label="Main">
          <NavLink to="/" label="Dashboard" icon={<IconDashboard />} active={section === "dashboard"} />
          <NavLink to="/flows" label="Flows" icon={<IconFlows />} active={section === "flows" || section === "runs"} />
          <NavLink to="/agents" label="Agents" icon={<IconAgents />} active={section === "agents"} />
          <NavLink to="/projects" label="Projects" icon={<IconProjects />} active={section === "projects"} />
          <a className="nav-link" href="/graphql" target="_blank" rel="noreferrer">
            <IconCode />
            GraphQL API
          </a>
        </nav>
        <div className="sidebar-foot">
          <LiveIndicator />
          <ThemeSwitch />
        </div>
      </aside>
      <main className="main">
        <PageBoundary resetKey={pathname}>
          <Suspense fallback={<div className="skeleton" style={{ height: 220 }} />}>
            {Page ? <Page key={pattern + (params.id ?? "")} params={params} /> : <NotFound />}
          </Suspense>
        </PageBoundary>
      </main>
      <Toasts />
    </div>
  );
}
