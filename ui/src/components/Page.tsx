import { Fragment, type ReactNode } from "react";
import { Link } from "../lib/router";

export interface Crumb {
  label: string;
  to?: string;
}

export function PageHead({ crumbs = [], title, subtitle, actions }: { crumbs?: Crumb[]; title: ReactNode; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="page-head">
      <div className="titles">
        {crumbs.length > 0 && (
          <nav className="crumbs" aria-label="Breadcrumb">
            {crumbs.map((crumb, i) => (
              <Fragment key={`${crumb.label}-${i}`}>
                {i > 0 && <span>/</span>}
                {crumb.to ? <Link to={crumb.to}>{crumb.label}</Link> : <span>{crumb.label}</span>}
              </Fragment>
            ))}
          </nav>
        )}
        <h1>{title}</h1>
        {subtitle && <div className="subtitle">{subtitle}</div>}
      </div>
      {actions && <div className="actions">{actions}</div>}
    </header>
  );
}

export function Card({ title, hint, actions, children, flush, className, testId }: { title?: ReactNode; hint?: ReactNode; actions?: ReactNode; children: ReactNode; flush?: boolean; className?: string; testId?: string }) {
  return (
    <section className={`card${className ? ` ${className}` : ""}`} data-testid={testId}>
      {(title || actions) && (
        <div className="card-head">
          <h2>{title}</h2>
          {hint && <span className="hint">{hint}</span>}
          {actions}
        </div>
      )}
      <div className={flush ? "card-body flush" : "card-body"}>{children}</div>
    </section>
  );
}

export interface TabDef {
  id: string;
  label: string;
  count?: number | null;
}

export function Tabs({ tabs, active, hrefFor }: { tabs: TabDef[]; active: string; hrefFor: (id: string) => string }) {
  return (
    <div className="tabs" role="tablist">
      {tabs.map((tab) => (
        <Link key={tab.id} to={hrefFor(tab.id)} replace className="tab" role="tab" aria-selected={tab.id === active}>
          {tab.label}
          {tab.count != null && <span className="count">{tab.count.toLocaleString()}</span>}
        </Link>
      ))}
    </div>
  );
}
