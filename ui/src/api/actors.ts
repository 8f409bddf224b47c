/** Who "user:<id>" and "api_key:<id>" are: members' emails and keys' names, for display. */
import { useQuery } from "./hooks";
import { API_KEYS, MEMBERS } from "./teamDocuments";
import type { ApiKey, Member } from "./teamTypes";

export function actorName(actor: string | null | undefined, members: Member[], keys: ApiKey[]): string {
  if (!actor) return "—";
  const [kind, id] = actor.includes(":") ? actor.split(":", 2) : ["", actor];
  if (kind === "user" || kind === "") {
    const member = members.find((m) => m.userId === id);
    if (member) return member.email;
  }
  if (kind === "api_key" || kind === "") {
    const key = keys.find((k) => k.id === id);
    if (key) return `key ${key.name}`;
  }
  if (actor === "local") return "local (no login)";
  return actor;
}

/** A function naming actors from the team's members and the keys this person may see. */
export function useActorNames(): (actor: string | null | undefined) => string {
  const members = useQuery(MEMBERS);
  const keys = useQuery(API_KEYS);
  const m = members.data?.members ?? [];
  const k = keys.data?.apiKeys ?? [];
  return (actor) => actorName(actor, m, k);
}
