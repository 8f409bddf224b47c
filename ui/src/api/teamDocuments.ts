/** The GraphQL documents of the team pages: members, keys, secrets, audit log. */

export const SWITCH_TEAM = `mutation SwitchTeam($teamId: ID!) { switchTeam(teamId: $teamId) { currentTeam { id name } role } }`;
export const CREATE_TEAM = `mutation CreateTeam($name: String!) { createTeam(name: $name) { id name slug role } }`;
export const CHANGE_PASSWORD = `
mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
  changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
}`;

export const MEMBERS = `query Members { members { userId email name role joined } }`;
export const INVITATIONS = `query Invitations { invitations { id email role expires accepted } }`;
export const INVITE_MEMBER = `
mutation InviteMember($email: String!, $role: String!) {
  inviteMember(email: $email, role: $role) { url token invitation { id email role expires } }
}`;
export const ACCEPT_INVITATION = `
mutation AcceptInvitation($token: String!, $password: String, $name: String) {
  acceptInvitation(token: $token, password: $password, name: $name) { user { email } team { name } }
}`;
export const SET_MEMBER_ROLE = `
mutation SetMemberRole($userId: ID!, $role: String!) { setMemberRole(userId: $userId, role: $role) { userId role } }`;
export const REMOVE_MEMBER = `mutation RemoveMember($userId: ID!) { removeMember(userId: $userId) }`;

const API_KEY_FIELDS = `id name prefix role userId userEmail serviceAccount createdBy created expiresAt lastUsed revoked`;
export const API_KEYS = `query ApiKeys { apiKeys { ${API_KEY_FIELDS} } }`;
export const CREATE_API_KEY = `
mutation CreateApiKey($name: String!, $role: String, $expiresAt: DateTime) {
  createApiKey(name: $name, role: $role, expiresAt: $expiresAt) { key apiKey { ${API_KEY_FIELDS} } }
}`;
export const CREATE_SERVICE_ACCOUNT = `
mutation CreateServiceAccount($name: String!, $role: String!, $expiresAt: DateTime) {
  createServiceAccount(name: $name, role: $role, expiresAt: $expiresAt) { key apiKey { ${API_KEY_FIELDS} } }
}`;
export const REVOKE_API_KEY = `mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) { id revoked } }`;

export const SECRETS = `query Secrets { secrets { name created updated createdBy updatedBy } }`;
export const SET_SECRET = `mutation SetSecret($name: String!, $value: String!) { setSecret(name: $name, value: $value) { name updated } }`;
export const DELETE_SECRET = `mutation DeleteSecret($name: String!) { deleteSecret(name: $name) }`;

export const AUDIT_EVENTS = `
query AuditEvents($actor: String, $action: String, $objectType: String, $objectId: String,
                  $since: DateTime, $until: DateTime, $machine: Boolean, $first: Int!, $after: String) {
  auditEvents(actor: $actor, action: $action, objectType: $objectType, objectId: $objectId,
              since: $since, until: $until, machine: $machine, first: $first, after: $after) {
    totalCount pageInfo { endCursor hasNextPage }
    nodes { id occurred action actor actorKind actorUserId actorApiKeyId objectType objectId success details }
  }
}`;
