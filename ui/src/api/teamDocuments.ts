/** The GraphQL documents of the team pages: members, keys, secrets, audit log. */
import { graphql } from "../gql";

export const SWITCH_TEAM = graphql(`mutation SwitchTeam($teamId: ID!) { switchTeam(teamId: $teamId) { currentTeam { id name } role } }`);
export const CREATE_TEAM = graphql(`mutation CreateTeam($name: String!) { createTeam(name: $name) { id name slug role } }`);
export const CHANGE_PASSWORD = graphql(`
mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
  changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
}`);

export const MEMBERS = graphql(`query Members { members { userId email name role joined } }`);
export const INVITATIONS = graphql(`query Invitations { invitations { id email role expires accepted } }`);
export const INVITE_MEMBER = graphql(`
mutation InviteMember($email: String!, $role: String!) {
  inviteMember(email: $email, role: $role) { url token invitation { id email role expires } }
}`);
export const ACCEPT_INVITATION = graphql(`
mutation AcceptInvitation($token: String!, $password: String, $name: String) {
  acceptInvitation(token: $token, password: $password, name: $name) { user { email } team { name } }
}`);
export const SET_MEMBER_ROLE = graphql(`
mutation SetMemberRole($userId: ID!, $role: String!) { setMemberRole(userId: $userId, role: $role) { userId role } }`);
export const REMOVE_MEMBER = graphql(`mutation RemoveMember($userId: ID!) { removeMember(userId: $userId) }`);

graphql(`
fragment ApiKeyFields on ApiKey {
  id name prefix role userId userEmail serviceAccount createdBy created expiresAt lastUsed revoked
}`);
export const API_KEYS = graphql(`query ApiKeys { apiKeys { ...ApiKeyFields } }`);
export const CREATE_API_KEY = graphql(`
mutation CreateApiKey($name: String!, $role: String, $expiresAt: DateTime) {
  createApiKey(name: $name, role: $role, expiresAt: $expiresAt) { key apiKey { ...ApiKeyFields } }
}`);
export const CREATE_SERVICE_ACCOUNT = graphql(`
mutation CreateServiceAccount($name: String!, $role: String!, $expiresAt: DateTime) {
  createServiceAccount(name: $name, role: $role, expiresAt: $expiresAt) { key apiKey { ...ApiKeyFields } }
}`);
export const REVOKE_API_KEY = graphql(`mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) { id revoked } }`);

export const SECRETS = graphql(`query Secrets { secrets { name created updated createdBy updatedBy } }`);
export const SET_SECRET = graphql(`mutation SetSecret($name: String!, $value: String!) { setSecret(name: $name, value: $value) { name updated } }`);
export const DELETE_SECRET = graphql(`mutation DeleteSecret($name: String!) { deleteSecret(name: $name) }`);

export const AUDIT_EVENTS = graphql(`
query AuditEvents($actor: String, $action: String, $objectType: String, $objectId: String,
                  $since: DateTime, $until: DateTime, $machine: Boolean, $first: Int!, $after: String) {
  auditEvents(actor: $actor, action: $action, objectType: $objectType, objectId: $objectId,
              since: $since, until: $until, machine: $machine, first: $first, after: $after) {
    totalCount pageInfo { endCursor hasNextPage }
    nodes { id occurred action actor actorKind actorUserId actorApiKeyId objectType objectId success details }
  }
}`);
