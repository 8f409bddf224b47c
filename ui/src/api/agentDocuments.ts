/** Agent lifecycle documents: removing a stale agent (stopped, or unhealthy). */
export const DELETE_AGENT = `mutation DeleteAgent($id: ID!) { deleteAgent(id: $id) }`;
