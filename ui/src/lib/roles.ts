/**
 * What a role may do in the UI: the mirror of the server's permission table
 * (`proctor.server.auth.permissions.ROLE_ACTIONS`). The server decides; the UI only hides
 * what would be refused, so a read-only person sees no button that ends in FORBIDDEN.
 */

export type Role = "owner" | "admin" | "member" | "read_only" | "agent";

export const ROLE_LABELS: Record<Role, string> = {
  owner: "Owner",
  admin: "Admin",
  member: "Member",
  read_only: "Read-only",
  agent: "Agent",
};

/** People's roles, most powerful first. */
export const PERSON_ROLES: Role[] = ["owner", "admin", "member", "read_only"];
/** What a service account's key can be: an agent, or a person-like role for CI. */
export const SERVICE_ROLES: Role[] = ["agent", "member", "read_only"];

export interface Capabilities {
  /** Register flows, projects, schedule switches (flows:write). */
  editFlows: boolean;
  /** Start, cancel, restart, delete runs (runs:write). */
  runFlows: boolean;
  /** Set and delete secrets (secrets:write). */
  editSecrets: boolean;
  /** Automations and SLAs (alerts:write). */
  editAlerts: boolean;
  /** Concurrency limits (limits:write). */
  editConcurrencyLimits: boolean;
  /** Members, invitations, service accounts, everyone's keys (team:admin). */
  manageTeam: boolean;
  /** The audit log (audit:read). */
  readAudit: boolean;
  /** Grant or take away ownership (team:owner). */
  grantOwner: boolean;
  /** A person's own account: password, own keys, switching teams (self). */
  self: boolean;
}

const WRITERS: ReadonlySet<string> = new Set(["owner", "admin", "member"]);
const ADMINS: ReadonlySet<string> = new Set(["owner", "admin"]);
const PEOPLE: ReadonlySet<string> = new Set(PERSON_ROLES);

export function capabilitiesOf(role: string | null | undefined): Capabilities {
  const r = role ?? "";
  const write = WRITERS.has(r);
  const admin = ADMINS.has(r);
  return {
    editFlows: write,
    runFlows: write,
    editSecrets: admin,
    editAlerts: admin,
    editConcurrencyLimits: admin,
    manageTeam: admin,
    readAudit: admin,
    grantOwner: r === "owner",
    self: PEOPLE.has(r),
  };
}

/** Nothing allowed: what the UI assumes until it knows who is asking. */
export const NO_CAPABILITIES: Capabilities = capabilitiesOf(null);

const RANK: Record<string, number> = { owner: 4, admin: 3, member: 2, read_only: 1, agent: 0 };

/** The roles someone with `role` may give (to a member, a key, a service account): none
 * above their own, and only owners make owners. */
export function grantableRoles(role: string | null | undefined, choices: Role[] = PERSON_ROLES): Role[] {
  const mine = RANK[role ?? ""] ?? -1;
  if (mine <= 0) return [];
  return choices.filter((r) => (r === "owner" ? role === "owner" : RANK[r] <= mine));
}

/** Whether `actor` may change or remove a member who has `target` (admins never touch owners). */
export function canManageMember(actor: string | null | undefined, target: string): boolean {
  if (!ADMINS.has(actor ?? "")) return false;
  return target !== "owner" || actor === "owner";
}

export function roleLabel(role: string): string {
  return ROLE_LABELS[role as Role] ?? role;
}
