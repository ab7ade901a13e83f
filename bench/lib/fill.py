#!/usr/bin/env python3
"""Reads every mini program of the catalog once through POST /wallet/v1/mini-programs:batchGet (100 per request,
over a few keep-alive connections in parallel), so that the "cached" scenarios measure cache hits: Redis holds the
whole catalog and the near cache what fits, as on a node that has served traffic for a while.

    fill.py <port> <ids-file> <token-url> <client-id> <client-secret> [connections]
        prints: <ids> ids read in <seconds> s, <missing> missing

It fetches a wallet token (client credentials) itself and fetches a new one when the app answers 401: a 1M
catalog takes longer to read than a wallet token lives.
"""
import http.client
import json
import sys
import threading
import time
import urllib.parse
import urllib.request

port, ids_file, token_url, client_id, secret = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
connections = int(sys.argv[6]) if len(sys.argv) > 6 else 4
with open(ids_file) as f:
    ids = [line.strip() for line in f if line.strip()]
# the coldest first, the hottest last: what is read last is what the near cache most likely keeps when it is full
ids.reverse()
chunks = [ids[i:i + 100] for i in range(0, len(ids), 100)]

lock = threading.Lock()
state = {"next": 0, "missing": 0, "token": None, "failure": None}


def new_token():
    body = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": client_id,
                                   "client_secret": secret}).encode()
    with urllib.request.urlopen(token_url, data=body, timeout=30) as response:
        return json.load(response)["access_token"]


def take():
    with lock:
        if state["failure"] or state["next"] >= len(chunks):
            return None
        state["next"] += 1
        return chunks[state["next"] - 1]


def worker():
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    chunk = take()
    while chunk is not None:
        token = state["token"]
        connection.request("POST", "/wallet/v1/mini-programs:batchGet", body=json.dumps({"appIds": chunk}),
                           headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
        response = connection.getresponse()
        payload = response.read()
        if response.status == 401:
            with lock:
                if state["token"] == token:
                    state["token"] = new_token()
            continue  # the same chunk again, with the new token
        if response.status != 200:
            with lock:
                state["failure"] = f"batchGet answered {response.status}: {payload[:300]!r}"
            return
        with lock:
            state["missing"] += len(json.loads(payload)["missing"])
        chunk = take()


state["token"] = new_token()
started = time.time()
threads = [threading.Thread(target=worker) for _ in range(connections)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
if state["failure"]:
    sys.exit(state["failure"])
print(f"{len(ids)} ids read in {time.time() - started:.1f} s over {connections} connections, {state['missing']} missing")
