"""registerFlow refuses a schedule with a clock that can never fire: INVALID_INPUT naming
the clock, and nothing is stored."""

from __future__ import annotations

from tests.server.api.graphql_results import data_of, error_codes

from proctor.schedules import RRuleClock, Schedule

REGISTER = """mutation ($input: RegisterFlowInput!) {
  registerFlow(input: $input) { status flow { id } }
}"""


async def test_register_flow_refuses_a_clock_for_30_february(gql, flow_spec):
    spec = flow_spec()
    spec["schedule"] = Schedule([RRuleClock("RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30")]).to_dict()
    refused = await gql(REGISTER, {"input": {"project": "p", "spec": spec, "createProject": True}})
    assert error_codes(refused) == ["INVALID_INPUT"]
    message = refused["errors"][0]["message"]
    assert "clocks[0]" in message and "BYMONTHDAY=30" in message and "never fire" in message
    listed = data_of(await gql("{ flows { totalCount } projects { name } }"))
    assert listed == {"flows": {"totalCount": 0}, "projects": []}
