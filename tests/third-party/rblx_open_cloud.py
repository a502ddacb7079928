#!/usr/bin/env python3
"""Contract test: rblx-open-cloud 2.3.0, a widely used Python Open Cloud client, against the emulator's
GET /cloud/v2/users/{userId}/inventory-items. Run by .ci/run through .ci/third-party-client.

Usage: rblx_open_cloud.py BASE_URL API_KEY USER_ID
Exits 0 when every check passes, 1 on any mismatch (each one printed as FAIL), 2 on bad usage.

The library hard-codes f"https://apis.roblox.com/{path}" (rblxopencloud/http.py, send_request) and sends it
through the module-level `rblxopencloud.http_session`. A transport adapter mounted on that session rewrites the
https://apis.roblox.com/ prefix to BASE_URL and refuses every other URL, so nothing can reach Roblox.

What each listing must return comes from an independent raw scan (plain requests, no filter); each listing's
result is compared, as a multiset, with the subset its filter selects.
"""

import collections
import datetime
import sys
import urllib.parse

import requests
from requests.adapters import HTTPAdapter

import rblxopencloud
from rblxopencloud import (
    HttpException,
    InventoryAsset,
    InventoryAssetType,
    InventoryBadge,
    InventoryGamePass,
    InventoryPrivateServer,
    User,
)

ROBLOX_PREFIX = "https://apis.roblox.com/"
FAILURES = []
SENT_FILTERS = []  # (label, filter value as decoded from the wire)
CURRENT_LABEL = [""]


def fail(label, message):
    FAILURES.append(f"{label}: {message}")
    print(f"FAIL {label}: {message}")


def ok(label, message):
    print(f"ok   {label}: {message}")


class LoopbackAdapter(HTTPAdapter):
    """Rewrites https://apis.roblox.com/... to the emulator; refuses anything else."""

    def __init__(self, base_url):
        super().__init__(max_retries=0)
        self.base_url = base_url.rstrip("/") + "/"

    def send(self, request, **kwargs):
        if request.url.startswith(self.base_url):
            pass  # already local (the raw ground-truth scan)
        elif request.url.startswith(ROBLOX_PREFIX):
            request.url = self.base_url + request.url[len(ROBLOX_PREFIX):]
        else:
            raise RuntimeError(f"refusing a request outside the emulator: {request.url}")
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(request.url).query, keep_blank_values=True)
        if "filter" in query and CURRENT_LABEL[0]:
            SENT_FILTERS.append((CURRENT_LABEL[0], query["filter"][0]))
        return super().send(request, **kwargs)


def patch_base_url(base_url):
    session = rblxopencloud.http.http_session
    assert session is rblxopencloud.http_session
    adapter = LoopbackAdapter(base_url)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


# ---------------------------------------------------------------------------------------------------------
# Ground truth: a raw scan of the whole inventory, filter-free, straight from the emulator.


def raw_scan(session, base_url, api_key, user_id, filter_text=None):
    items, token, pages = [], "", 0
    while True:
        params = {"maxPageSize": 100}
        if filter_text is not None:
            params["filter"] = filter_text
        if token:
            params["pageToken"] = token
        response = session.get(
            f"{base_url.rstrip('/')}/cloud/v2/users/{user_id}/inventory-items",
            params=params,
            headers={"x-api-key": api_key},
            timeout=15,
        )
        if response.status_code != 200:
            raise SystemExit(f"raw scan failed: HTTP {response.status_code}: {response.text}")
        body = response.json()
        items.extend(body.get("inventoryItems", []))
        token = body.get("nextPageToken", "")
        pages += 1
        if not token:
            return items, pages


def raw_key(entry):
    """The comparison key of a raw InventoryItem: (kind, id, instance id, addTime)."""
    add = entry.get("addTime")
    add = parse_time(add) if add else None
    if "assetDetails" in entry:
        d = entry["assetDetails"]
        return ("asset", int(d["assetId"]), int(d["instanceId"]), add)
    if "badgeDetails" in entry:
        return ("badge", int(entry["badgeDetails"]["badgeId"]), None, add)
    if "gamePassDetails" in entry:
        return ("gamePass", int(entry["gamePassDetails"]["gamePassId"]), None, add)
    if "privateServerDetails" in entry:
        return ("privateServer", int(entry["privateServerDetails"]["privateServerId"]), None, add)
    raise SystemExit(f"raw scan: an item without details: {entry}")


def parse_time(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def lib_key(item):
    kind = {
        InventoryAsset: "asset",
        InventoryBadge: "badge",
        InventoryGamePass: "gamePass",
        InventoryPrivateServer: "privateServer",
    }[type(item)]
    instance = int(item.instance_id) if kind == "asset" else None
    return (kind, int(item.id), instance, item.added_at)


# ---------------------------------------------------------------------------------------------------------
# Library-side checks.


def check_parsed(label, item, raw_by_key):
    """Every parsed item is well-formed and agrees with the raw item it came from."""
    problems = []
    if not isinstance(item, (InventoryAsset, InventoryBadge, InventoryGamePass, InventoryPrivateServer)):
        return [f"unexpected type {type(item).__name__}"]
    try:
        int(item.id)
    except (TypeError, ValueError):
        problems.append(f"id {item.id!r} is not numeric")
    if not isinstance(item, InventoryGamePass) and item.added_at is None:
        problems.append(f"{item!r} has no added_at")
    if isinstance(item, InventoryAsset):
        if item.type == InventoryAssetType.Unknown:
            problems.append(f"{item!r} has an unknown asset type")
        raw = raw_by_key.get(lib_key(item))
        if raw is not None:
            details = raw["assetDetails"]
            if item.type.name != enum_name(details["inventoryItemAssetType"]):
                problems.append(f"{item!r}: type {item.type} vs raw {details['inventoryItemAssetType']}")
            coll = details.get("collectibleDetails")
            if coll:
                if (item.collectable_item_id, item.collectable_instance_id) != (coll["itemId"], coll["instanceId"]):
                    problems.append(f"{item!r}: collectible ids differ from the raw item")
                if item.serial_number != coll.get("serialNumber"):
                    problems.append(f"{item!r}: serial {item.serial_number} vs raw {coll.get('serialNumber')}")
                if item.collectable_state is None or item.collectable_state.name.upper() != coll["instanceState"]:
                    problems.append(f"{item!r}: state {item.collectable_state} vs raw {coll['instanceState']}")
            elif item.collectable_item_id is not None or item.serial_number is not None:
                problems.append(f"{item!r}: collectible fields on a plain asset")
    return problems


def enum_name(wire_name):
    from rblxopencloud.user import ASSET_TYPE_STRINGS

    return ASSET_TYPE_STRINGS.get(wire_name, InventoryAssetType.Unknown).name


def run_listing(label, user, raw_by_key, expected_keys, **kwargs):
    """Lists through the library with kwargs; compares with expected_keys (a Counter)."""
    CURRENT_LABEL[0] = label
    try:
        items = list(user.list_inventory(**kwargs))
    except HttpException as error:
        fail(label, f"HTTP {error.status_code} {error.error_code}: {error.message} (filter sent: {last_filter(label)!r})")
        return
    except Exception as error:  # parsing errors inside the library
        fail(label, f"{type(error).__name__}: {error}")
        return
    finally:
        CURRENT_LABEL[0] = ""
    problems = [p for item in items for p in check_parsed(label, item, raw_by_key)]
    got = collections.Counter(lib_key(item) for item in items)
    if got != expected_keys:
        missing, extra = expected_keys - got, got - expected_keys
        problems.append(
            f"got {sum(got.values())} items, expected {sum(expected_keys.values())} "
            f"(missing {sum(missing.values())}, e.g. {list(missing)[:2]}; extra {sum(extra.values())}, e.g. {list(extra)[:2]})"
        )
    if problems:
        for problem in problems[:5]:
            fail(label, problem)
        if len(problems) > 5:
            fail(label, f"... and {len(problems) - 5} more problems")
    else:
        ok(label, f"{len(items)} items, filter sent {last_filter(label)!r}")


def run_refused(label, user, **kwargs):
    """A filter the emulator must refuse with 400 INVALID_ARGUMENT."""
    CURRENT_LABEL[0] = label
    try:
        items = list(user.list_inventory(**kwargs))
    except HttpException as error:
        if error.status_code == 400 and error.error_code == "INVALID_ARGUMENT":
            ok(label, f"refused: 400 INVALID_ARGUMENT {error.message!r} (filter sent {last_filter(label)!r})")
        else:
            fail(label, f"expected 400 INVALID_ARGUMENT, got HTTP {error.status_code} {error.error_code}: {error.message}")
        return
    except ValueError as error:
        fail(label, f"the library refused it client-side, so the emulator was not exercised: {error}")
        return
    finally:
        CURRENT_LABEL[0] = ""
    fail(label, f"expected 400 INVALID_ARGUMENT, got {len(items)} items (filter sent {last_filter(label)!r})")


def last_filter(label):
    sent = [f for l, f in SENT_FILTERS if l == label]
    return sent[-1] if sent else None


def main():
    if len(sys.argv) != 4:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    base_url, api_key, user_id = sys.argv[1:]
    user_id = int(user_id)
    if rblxopencloud.VERSION != "2.3.0":
        print(f"warning: rblx-open-cloud {rblxopencloud.VERSION}, this contract was written for 2.3.0")

    session = patch_base_url(base_url)
    raw, pages = raw_scan(session, base_url, api_key, user_id)
    keys = [raw_key(entry) for entry in raw]
    raw_by_key = dict(zip(keys, raw))
    print(f"raw scan: {len(raw)} Open Cloud items in {pages} pages (bundles are not Open Cloud items)")
    if not raw:
        print("FAIL: the user's inventory is empty; nothing to compare")
        return 1

    def subset(pred):
        return collections.Counter(k for k, e in zip(keys, raw) if pred(k, e))

    is_kind = lambda kind: (lambda k, e: k[0] == kind)
    is_collectible = lambda k, e: k[0] == "asset" and "collectibleDetails" in e["assetDetails"]
    user = User(user_id, api_key)

    # 1. The whole inventory (the library still sends an empty `filter=`).
    run_listing("everything", user, raw_by_key, subset(lambda k, e: True))
    # Paging with a limit: maxPageSize=100 and pageToken across pages, stopping at `limit`.
    limit = min(250, len(raw))
    run_listing(f"limit={limit}", user, raw_by_key, collections.Counter(keys[:limit]), limit=limit)

    # 2. One type field at a time.
    run_listing("assets=True", user, raw_by_key, subset(is_kind("asset")), assets=True)
    run_listing("badges=True", user, raw_by_key, subset(is_kind("badge")), badges=True)
    run_listing("game_passes=True", user, raw_by_key, subset(is_kind("gamePass")), game_passes=True)
    run_listing("private_servers=True", user, raw_by_key, subset(is_kind("privateServer")), private_servers=True)

    # Asset type filter: the two commonest types in the inventory plus one it lacks.
    type_counts = collections.Counter(e["assetDetails"]["inventoryItemAssetType"] for e in raw if "assetDetails" in e)
    from rblxopencloud.user import ASSET_TYPE_STRINGS

    chosen = [name for name, _ in type_counts.most_common(2)]
    absent = next(n for n in ASSET_TYPE_STRINGS if n not in type_counts and n != "INVENTORY_ITEM_ASSET_TYPE_UNSPECIFIED")
    enums = [ASSET_TYPE_STRINGS[n] for n in chosen + [absent]]
    run_listing(
        f"assets=[{', '.join(e.name for e in enums)}]",
        user,
        raw_by_key,
        subset(lambda k, e: k[0] == "asset" and e["assetDetails"]["inventoryItemAssetType"] in chosen),
        assets=enums,
    )
    # Types combined (allowed: all type fields).
    run_listing(
        "badges=True, game_passes=True",
        user,
        raw_by_key,
        subset(lambda k, e: k[0] in ("badge", "gamePass")),
        badges=True,
        game_passes=True,
    )

    # ID fields (allowed together): a few ids of each kind present.
    def some_ids(kind, n=3):
        return sorted({k[1] for k in keys if k[0] == kind})[:n]

    ids = {kind: some_ids(kind) for kind in ("asset", "badge", "gamePass", "privateServer")}
    wanted = {(kind, i) for kind, lst in ids.items() for i in lst}
    run_listing(
        "ID fields (assetIds, badgeIds, gamePassIds, privateServerIds)",
        user,
        raw_by_key,
        subset(lambda k, e: (k[0], k[1]) in wanted),
        assets=ids["asset"] or None,
        badges=ids["badge"] or False,
        game_passes=ids["gamePass"] or False,
        private_servers=ids["privateServer"] or False,
    )

    # 3. Collectibles: the library sends `onlyCollectibles=True;inventoryItemAssetTypes=*` (Python's str(True)).
    run_listing("only_collectibles=True", user, raw_by_key, subset(is_collectible), only_collectibles=True)

    # 4. A mixed filter the spec forbids ("You can't combine type and ID fields in the same filter").
    # rblx-open-cloud does not check this client-side; the emulator must answer 400 INVALID_ARGUMENT.
    run_refused("mixed: badges=True + assets=[ids] (type + ID fields)", user, badges=True, assets=ids["asset"][:1] or [1])

    print()
    if FAILURES:
        print(f"{len(FAILURES)} check(s) FAILED:")
        for failure in FAILURES:
            print(f"  - {failure}")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
