/** Agent lifecycle documents: removing a stale agent (stopped, or unhealthy). */
import { graphql } from "../gql";
export const DELETE_AGENT = graphql(`mutation DeleteAgent($id: ID!) { deleteAgent(id: $id) }`);
