# Reads Cascade's MBS API with requests the way fedpkg (rpkg 1.67's module_build_info and module_overview)
# does: one build with ?verbose=true, its components from tasks.rpms, and the newest ready builds of an
# owner through the list's filters and paging; prints what fedpkg would show, as JSON.
#   usage: mbs-module-build-info.py MBS_URL BUILD_ID OWNER
import json
import sys

import requests

mbs_url, build_id, owner = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
api = mbs_url + "/module-build-service/2/"

session = requests.Session()
about = session.get(api + "about/", timeout=30)
about.raise_for_status()

build = session.get("{0}module-builds/{1}?verbose=true".format(api, build_id), timeout=30)
build.raise_for_status()
data = build.json()
components = [
    {
        "package": package,
        "nvr": info["nvr"],
        "state": info["state"],
        "state_reason": info["state_reason"],
        "task_id": info["task_id"],
    }
    for package, info in sorted(data["tasks"].get("rpms", {}).items())
]

overview = []
url = api + "module-builds/"
params = {"owner": owner, "state": ["ready", "done"], "order_desc_by": "id", "per_page": 1}
while url:
    page = session.get(url, params=params, timeout=30)
    page.raise_for_status()
    body = page.json()
    overview.extend("{name}:{stream}:{version}:{context} ({state_name})".format(**item) for item in body["items"])
    # the next link carries every argument (MBS's pagination_metadata), so it is followed as it is
    url, params = body["meta"]["next"], None

missing = session.get("{0}module-builds/{1}".format(api, 999999), timeout=30)
print(
    json.dumps(
        {
            "api_version": about.json()["api_version"],
            "nsvc": "{name}:{stream}:{version}:{context}".format(**data),
            "state": data["state"],
            "state_name": data["state_name"],
            "koji_tag": data["koji_tag"],
            "owner": data["owner"],
            "scmurl": data["scmurl"],
            "time_submitted": data["time_submitted"],
            "time_completed": data["time_completed"],
            "trace": [t["state_name"] for t in data["state_trace"]],
            "components": components,
            "overview": overview,
            "missing": {"status": missing.status_code, "message": missing.json()["message"]},
        }
    )
)
