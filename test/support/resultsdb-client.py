"""Reads a ResultsDB 2.0 API with ResultsDB's own client (resultsdb_api 2.1.6) and prints what it got.

usage: resultsdb-client.py <api url> <item> <testcase> <campaign group uuid>

Prints one JSON object: the results of the item filtered by test case, every result of the item, one
result read by id, the test cases, the groups, the campaign group's results (by group and through
the client's `_like` spelling), and the error the client raises for a bad outcome filter.
"""

import json
import sys

from resultsdb_api import ResultsDBapi, ResultsDBapiException


def main(url, item, testcase, campaign_group):
    api = ResultsDBapi(url, max_retries=0)
    filtered = api.get_results(item=item, testcases=testcase)
    of_item = api.get_results(item=item, limit=100)
    first = of_item["data"][0]
    out = {
        "filtered": filtered,
        "of_item": of_item,
        "by_id": api.get_result(first["id"]),
        "testcases": api.get_testcases(),
        "testcase": api.get_testcase(testcase),
        "groups": api.get_groups(),
        "group": api.get_group(campaign_group),
        "in_campaign": api.get_results(groups=[campaign_group], limit=100),
        "item_like": api.get_results(item_like=item.split(":")[0] + ":*", testcases_like="rpm.*"),
        "paged": api.get_results(item=item, limit=1, page=1),
    }
    try:
        api.get_results(outcome="BOGUS")
        out["bad_outcome"] = None
    except ResultsDBapiException as err:
        out["bad_outcome"] = {"message": err.message, "status": err.response.status_code}
    print(json.dumps(out))


if __name__ == "__main__":
    main(*sys.argv[1:5])
