# Asks Cascade for a module compose with ODCS's own client (PyPI odcs 0.9.2), waits for it, and prints
# the finished compose and its repo file as JSON: what a tool built on ODCS would do.
#   usage: odcs-client-compose.py URL TOKEN "name:stream ..."
import json
import sys

import requests
from odcs.client.odcs import ODCS, AuthMech

url, token, source = sys.argv[1], sys.argv[2], sys.argv[3]
odcs = ODCS(url, auth_mech=AuthMech.OpenIDC, openidc_token=token)
requested = odcs.new_compose(source, "module", seconds_to_live=3600)
done = odcs.wait_for_compose(requested["id"], timeout=600)
listed = odcs.find_composes(state="done", per_page=5)
repofile = requests.get(done["result_repofile"], timeout=30)
repofile.raise_for_status()
renewed = odcs.renew_compose(done["id"], seconds_to_live=7200)
print(
    json.dumps(
        {
            "requested": requested,
            "done": done,
            "listed": [c["id"] for c in listed["items"]],
            "meta": listed["meta"],
            "repofile": repofile.text,
            "renewed_expiry": renewed["time_to_expire"],
        }
    )
)
