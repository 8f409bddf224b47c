import { canManageMember, capabilitiesOf, grantableRoles, NO_CAPABILITIES, SERVICE_ROLES } from "./roles";

describe("capabilitiesOf mirrors the server's permission table", () => {
  it("gives owners everything", () => {
    expect(Object.values(capabilitiesOf("owner")).every(Boolean)).toBe(true);
  });

  it("gives admins everything but ownership", () => {
    const can = capabilitiesOf("admin");
    expect(can).toMatchObject({ runFlows: true, editSecrets: true, editAlerts: true, editConcurrencyLimits: true, manageTeam: true, readAudit: true });
    expect(can.grantOwner).toBe(false);
  });

  it("lets members run and edit flows, not manage the team", () => {
    const can = capabilitiesOf("member");
    expect(can).toMatchObject({ runFlows: true, editFlows: true, self: true });
    expect(can).toMatchObject({ editSecrets: false, editAlerts: false, editConcurrencyLimits: false, manageTeam: false, readAudit: false, grantOwner: false });
  });

  it("lets read-only people change nothing but their own account", () => {
    const can = capabilitiesOf("read_only");
    const { self, ...rest } = can;
    expect(self).toBe(true);
    expect(Object.values(rest).some(Boolean)).toBe(false);
  });

  it("gives agents, unknown roles and nobody nothing", () => {
    for (const role of ["agent", "anonymous", "", null, undefined]) {
      expect(Object.values(capabilitiesOf(role)).some(Boolean)).toBe(false);
    }
    expect(NO_CAPABILITIES.runFlows).toBe(false);
  });
});

describe("grantableRoles", () => {
  it("never goes above one's own role, and only owners make owners", () => {
    expect(grantableRoles("owner")).toEqual(["owner", "admin", "member", "read_only"]);
    expect(grantableRoles("admin")).toEqual(["admin", "member", "read_only"]);
    expect(grantableRoles("member")).toEqual(["member", "read_only"]);
    expect(grantableRoles("read_only")).toEqual(["read_only"]);
    expect(grantableRoles("agent")).toEqual([]);
    expect(grantableRoles(null)).toEqual([]);
  });

  it("offers service-account roles by the same rule", () => {
    expect(grantableRoles("admin", SERVICE_ROLES)).toEqual(["agent", "member", "read_only"]);
    expect(grantableRoles("member", SERVICE_ROLES)).toEqual(["agent", "member", "read_only"]);
  });
});

describe("canManageMember", () => {
  it("lets admins manage everyone but owners, and owners everyone", () => {
    expect(canManageMember("owner", "owner")).toBe(true);
    expect(canManageMember("admin", "owner")).toBe(false);
    expect(canManageMember("admin", "member")).toBe(true);
    expect(canManageMember("member", "read_only")).toBe(false);
    expect(canManageMember("read_only", "read_only")).toBe(false);
  });
});
