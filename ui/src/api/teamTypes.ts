/** The shapes of the team pages' data (as the API sends them). */
import type { JsonObject } from "./types";

export interface Member {
  userId: string;
  email: string;
  name: string | null;
  role: string;
  joined: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: string;
  expires: string;
  accepted: string | null;
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  role: string;
  userId: string | null;
  userEmail: string | null;
  serviceAccount: boolean;
  createdBy: string | null;
  created: string;
  expiresAt: string | null;
  lastUsed: string | null;
  revoked: boolean;
}

export interface NewApiKey {
  key: string;
  apiKey: ApiKey;
}

export interface Secret {
  name: string;
  created: string;
  updated: string;
  createdBy: string | null;
  updatedBy: string | null;
}

export interface AuditEvent {
  id: string;
  occurred: string;
  action: string;
  actor: string;
  actorKind: string | null;
  actorUserId: string | null;
  actorApiKeyId: string | null;
  objectType: string | null;
  objectId: string | null;
  success: boolean;
  details: JsonObject;
}
