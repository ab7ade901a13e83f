#!/usr/bin/env python3
"""Reads every mini program of the catalog once through POST /wallet/v1/mini-programs:batchGet (100 per request,
one keep-alive connection), so that the "cached" scenarios measure cache hits: Redis holds the whole catalog and
the near cache what fits, as on a node that has served traffic for a while.

    fill.py <port> <ids-file> <wallet token>      prints: <ids> ids read in <seconds> s, <missing> missing
"""
import http.client
import json
import sys
import time

port, ids_file, token = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(ids_file) as f:
    ids = [line.strip() for line in f if line.strip()]
# the coldest first, the hottest last: the near cache keeps the most recently read when it is full
ids.reverse()
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
started, missing = time.time(), 0
for i in range(0, len(ids), 100):
    body = json.dumps({"appIds": ids[i:i + 100]})
    connection.request("POST", "/wallet/v1/mini-programs:batchGet", body=body,
                       headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    response = connection.getresponse()
    payload = response.read()
    if response.status != 200:
        sys.exit(f"batchGet answered {response.status}: {payload[:300]!r}")
    missing += len(json.loads(payload)["missing"])
print(f"{len(ids)} ids read in {time.time() - started:.1f} s, {missing} missing")
