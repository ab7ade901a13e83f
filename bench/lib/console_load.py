#!/usr/bin/env python3
"""Console load for bench/cluster-faults: console clients that each rename a mini program of their own (read the
revision, write with it, read back) and a login client that asks Keycloak for a token, all through the balancer.

A write that gets no answer (its node died under it) is retried as a careful client does: read again; if the name is
there the write was applied and only its answer was lost, otherwise write again with the revision just read (a stale
one is refused with 409, so nothing is applied twice). At the end every client's mini program must carry the last name
the platform acknowledged: anything else is a lost acknowledged write.

Prints one JSON object: totals, failures (first few) and a per-second timeline.
usage: console_load.py BASE KEYCLOAK_TOKEN_URL TENANT APP_IDS_FILE SECONDS [CLIENTS]
"""
import json
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

BASE, TOKEN_URL, TENANT, IDS_FILE, SECONDS = sys.argv[1:6]
CLIENTS = int(sys.argv[6]) if len(sys.argv) > 6 else 2
SECONDS = float(SECONDS)
APPS = [line.strip() for line in open(IDS_FILE) if line.strip()][:CLIENTS]

lock = threading.Lock()
totals = {k: 0 for k in ("reads_ok", "reads_failed", "writes_ok", "writes_failed", "writes_retried", "repeats_refused",
                         "writes_unresolved", "logins_ok", "logins_failed")}
failures = []
timeline = {}   # second -> [ok, failed]
last_acknowledged = {}


def count(key, ok=True, what=None):
    second = int(time.time())
    with lock:
        totals[key] += 1
        entry = timeline.setdefault(second, [0, 0])
        entry[0 if ok else 1] += 1
        if what and len(failures) < 20:
            failures.append("%s %s" % (time.strftime("%H:%M:%S"), " ".join(what.split())))


def call(method, url, token=None, body=None, form=None, timeout=15):
    data, headers = None, {}
    if token:
        headers["Authorization"] = "Bearer " + token
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, e.read()[:200].decode(errors="replace")
    except Exception as e:   # connection refused/reset, timeout
        return 0, repr(e)


def login():
    status, body = call("POST", TOKEN_URL, form={"grant_type": "password", "client_id": "platform-cli",
                                                 "username": "merchant-owner", "password": "demo-merchant"})
    return body["access_token"] if status == 200 else None


token = login()
if token is None:
    sys.exit("console_load: no token from " + TOKEN_URL)
deadline = time.time() + SECONDS


def path(app):
    return "%s/api/v1/tenants/%s/mini-programs/%s" % (BASE, TENANT, app)


def read(app):
    status, body = call("GET", path(app), token)
    count("reads_ok" if status == 200 else "reads_failed", status == 200,
          None if status == 200 else "console read %s: %s %s" % (app, status, str(body)[:120]))
    return body if status == 200 else None


def write(app, name):
    for attempt in range(20):
        current = read(app)
        if current is None:
            time.sleep(0.2)
            continue
        if attempt > 0 and current["localizations"]["en-US"]["name"] == name:
            last_acknowledged[app] = name   # applied; only its answer was lost
            return
        localizations = current["localizations"]
        localizations["en-US"] = dict(localizations["en-US"], name=name)
        body = {"defaultLanguage": current["defaultLanguage"], "releaseTo": current["releaseTo"],
                "industry": current["industry"], "localizations": localizations,
                "servicePhone": current.get("servicePhone"), "serviceEmail": current.get("serviceEmail"),
                "revision": current["revision"]}
        status, answer = call("PUT", path(app), token, body=body)
        if status == 200:
            count("writes_ok")
            last_acknowledged[app] = name
            return
        if attempt > 0 and status == 409:
            # a repeat refused: the earlier attempt was applied after our read; the next read shows it
            with lock:
                totals["repeats_refused"] += 1
            continue
        count("writes_failed", False, "console write %s: %s %s" % (app, status, str(answer)[:120]))
        with lock:
            totals["writes_retried"] += 1
        time.sleep(0.2)
    with lock:
        totals["writes_unresolved"] += 1


def console_client(number, app):
    sequence = 0
    while time.time() < deadline:
        sequence += 1
        write(app, "Bench Tea %d-%d" % (number, sequence))
        read(app)
        # about 6 requests a second per client: the demo owner's own bucket refills 20 a second (rate limits stay on)
        time.sleep(0.4)


def login_client():
    while time.time() < deadline:
        ok = login() is not None
        count("logins_ok" if ok else "logins_failed", ok, None if ok else "login through the balancer failed")
        time.sleep(0.2)


threads = [threading.Thread(target=console_client, args=(i, app)) for i, app in enumerate(APPS)]
threads.append(threading.Thread(target=login_client))
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()

lost = []
for app, name in last_acknowledged.items():
    current = read(app)
    if current is None or current["localizations"]["en-US"]["name"] != name:
        lost.append(app)
totals["lost_acknowledged_writes"] = len(lost)
print(json.dumps({"totals": totals, "failures": failures,
                  "timeline": {str(k): v for k, v in sorted(timeline.items())}}))
