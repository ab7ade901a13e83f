#!/usr/bin/env python3
"""Turns the wrk outputs of one bench/run into a Markdown report with an SVG bar chart (no dependencies)."""
import argparse
import datetime
import glob
import os
import platform
import re
import statistics

TARGETS = {
    "wallet_vs_static": 0.5, "wallet_vs_401": 0.5, "cached_vs_uncached": 3.0,
    "wallet_p99_128_ms": 20.0, "console_rps": 3000.0, "console_p99_ms": 50.0, "recovery_s": 10.0,
}
LABELS = {
    "static": "static bytes, no auth (/bench/static)",
    "static128": "static bytes, no auth, 128 connections",
    "unauthenticated": "401: wallet path without a token",
    "wallet": "wallet single get, cached, authenticated",
    "wallet128": "wallet single get, cached, 128 connections",
    "wallet128paced": "wallet single get, cached, 128 connections, paced",
    "uncached": "wallet single get, cache disabled",
    "console": "console read of one mini program",
}
CONNECTIONS = {"static128": 128, "wallet128": 128, "wallet128paced": 128}


def ms(value, unit):
    factor = {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return float(value) * factor


def parse(path):
    text = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    pct = {}
    for p, value, unit in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", text, re.M):
        pct[p] = ms(value, unit)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    cpu = re.search(r"cpu_ticks (\d+) (\d+)", text)
    cpu_ms = 1000.0 * int(cpu.group(1)) / int(cpu.group(2)) / requests if cpu and requests else None
    return {"rps": rps, "cpu_ms": cpu_ms, "p50": pct.get("50"), "p99": pct.get("99"), "requests": requests,
            "non2xx": int(non2xx.group(1)) if non2xx else 0,
            "socket_errors": sum(int(x) for x in sock.groups()) if sock else 0}


def scenario(work, name):
    runs = [parse(f) for f in sorted(glob.glob(os.path.join(work, name + ".*.txt")))]
    if not runs:
        return None
    cpu = [r["cpu_ms"] for r in runs if r["cpu_ms"] is not None]
    return {"runs": runs, "rps": statistics.median(r["rps"] for r in runs),
            "cpu_ms": statistics.median(cpu) if cpu else None,
            "p50": statistics.median(r["p50"] for r in runs), "p99": statistics.median(r["p99"] for r in runs),
            "errors": sum(r["non2xx"] + r["socket_errors"] for r in runs), "requests": sum(r["requests"] for r in runs)}


def outage(work):
    path = os.path.join(work, "outage.txt")
    if not os.path.exists(path):
        return None
    text = open(path).read()
    stop, start = map(int, open(os.path.join(work, "outage.marks")).read().split())
    per_second = {}
    for part in glob.glob(os.path.join(work, "timeline.*")):
        for line in open(part):
            second, ok, failed = map(int, line.split())
            total = per_second.setdefault(second, [0, 0])
            total[0] += ok
            total[1] += failed
    timeline = [(second, ok, failed) for second, (ok, failed) in sorted(per_second.items())]
    before = [ok for second, ok, failed in timeline if second < stop - 1] or [0]
    baseline = statistics.median(before)
    recovered = next((second for second, ok, failed in timeline if second > start and ok >= 0.8 * baseline), None)
    summary = parse(path)
    return {"timeline": timeline, "stop": stop, "start": start, "baseline": baseline,
            "recovery_s": (recovered - start) if recovered else None,
            "failed": sum(failed for _, _, failed in timeline) + summary["socket_errors"], "summary": summary}


def verdict(ok):
    return "met" if ok else "**missed**"


def chart(results, path):
    rows = [(LABELS[name], results[name]["rps"]) for name in LABELS if results.get(name)]
    width, bar_h, gap, left = 860, 26, 10, 330
    top = max(v for _, v in rows) or 1
    height = len(rows) * (bar_h + gap) + 50
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="13">',
           f'<text x="10" y="20" font-weight="bold">Requests per second (median of runs, higher is better)</text>']
    for i, (label, value) in enumerate(rows):
        y = 35 + i * (bar_h + gap)
        w = (width - left - 90) * value / top
        out.append(f'<text x="10" y="{y + 17}">{label}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="#3b7dd8"/>')
        out.append(f'<text x="{left + w + 6:.1f}" y="{y + 17}">{value:,.0f}</text>')
    out.append("</svg>")
    open(path, "w").write("\n".join(out))


def near_cache_rows(args):
    """Bytes per near entry (heap after GC after the runs, less before the first wallet read, over the entries
    held) and the near cache's hit ratio over the measured wallet runs (Caffeine's counters)."""
    rows = []
    try:
        base = float(args.heap_base_mb)
        entries, hits, misses = (int(v) for v in args.near_after.split())
        _, hits_before, misses_before = (int(v) for v in args.near_before.split())
    except ValueError:
        return rows
    if entries:
        per_entry = (float(args.heap_mb) - base) * 1024 * 1024 / entries
        rows.append(f"| near cache: entries held, heap per entry | {entries:,} entries; ({args.heap_mb} − {base} MB before"
                    f" any wallet read) / entries = {per_entry:,.0f} B | — |")
    gets = (hits - hits_before) + (misses - misses_before)
    if gets:
        rows.append(f"| near cache hits during the measured wallet runs | {100 * (hits - hits_before) / gets:.1f} % of"
                    f" {gets:,} reads | — |")
    return rows


def main():
    a = argparse.ArgumentParser()
    for opt in ("work", "reps", "catalog", "duration", "seed-seconds", "heap-mb", "smoke", "have-wallet", "command", "out"):
        a.add_argument("--" + opt)
    for opt in ("heap-base-mb", "near-before", "near-after"):   # absent in reports of older scripts
        a.add_argument("--" + opt, default="")
    args = a.parse_args()
    results = {name: scenario(args.work, name) for name in LABELS}
    out = outage(args.work)
    svg = os.path.splitext(args.out)[0] + ".svg"
    chart(results, svg)
    r = results
    lines = [f"# Benchmark {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC", ""]
    if args.smoke == "1":
        lines += ["**Smoke run**: tiny catalog, short runs, one repetition — it checks the script, its figures mean nothing.", ""]
    lines += [f"Command: `{args.command.strip()}` — catalog {int(args.catalog):,} mini programs (seeded in {args.seed_seconds} s),"
              f" {args.duration} s per run, median of {args.reps} run(s) per scenario, wrk 2 threads over loopback;"
              " every path warmed up first, then the repetitions interleave the scenarios.",
              f"Machine: {os.cpu_count()} cores ({platform.machine()}), shared with other work while measuring (app,"
              " PostgreSQL, Redis, Keycloak and wrk all on the same cores).", "",
              f"![requests per second]({os.path.basename(svg)})", "",
              "| scenario | connections | req/s (median) | p50 ms | p99 ms | errors / requests | CPU ms per request (app + PostgreSQL) | 2-core capacity from CPU cost |",
              "|---|---|---|---|---|---|---|---|"]
    for name, label in LABELS.items():
        s = r.get(name)
        if s:
            errors = "expected 401s" if name == "unauthenticated" else f"{s['errors']} / {s['requests']}"
            cpu = f"{s['cpu_ms']:.3f}" if s["cpu_ms"] else "n/a"
            capacity = f"{2000 / s['cpu_ms']:,.0f} req/s" if s["cpu_ms"] else "n/a"
            lines.append(f"| {label} | {CONNECTIONS.get(name, 64)} | {s['rps']:,.0f} | {s['p50']:.2f} | {s['p99']:.2f} | {errors} | {cpu} | {capacity} |")
    if r.get("wallet128paced"):
        lines += ["", "The paced run's connections wait a random time before each request, so that together they offer"
                      " the rate given by `--paced-rate` (default 2,000 req/s): latency below saturation. The other runs"
                      " send as fast as answers come back; their mean latency is then connections / throughput"
                      " (Little's law), whatever the server does."]
    lines += ["", "CPU per request is the CPU time the app's JVM and the PostgreSQL backends of the bench database used"
                  " during the run, divided by the requests answered; the capacity column is 2 cores' worth of it"
                  " (2,000 ms per second / cost), an upper bound that leaves out wrk's own share. It stays meaningful"
                  " when other work shares the machine, which throughput does not.",
              "", "| target (DESIGN §5) | measured | verdict |", "|---|---|---|"]
    if r.get("wallet"):
        ratio = r["wallet"]["rps"] / r["static"]["rps"]
        lines.append(f"| wallet cached ≥ 0.5× static bytes | {ratio:.2f}× | {verdict(ratio >= 0.5)} |")
        ratio = r["wallet"]["rps"] / r["unauthenticated"]["rps"]
        lines.append(f"| wallet cached ≥ 0.5× the 401 answer | {ratio:.2f}× | {verdict(ratio >= 0.5)} |")
    if r.get("wallet") and r.get("uncached"):
        ratio = r["wallet"]["rps"] / r["uncached"]["rps"]
        lines.append(f"| wallet cached ≥ 3× cache disabled | {ratio:.2f}× | {verdict(ratio >= 3)} |")
    if r.get("wallet128"):
        p99 = r["wallet128"]["p99"]
        reference = f"; static bytes at 128: p99 {r['static128']['p99']:.2f}" if r.get("static128") else ""
        lines.append(f"| wallet p99 < 20 ms at 128 connections, at full speed | {p99:.2f} ms (p50 {r['wallet128']['p50']:.2f}"
                     f"{reference}) | {verdict(p99 < 20)} |")
    if r.get("wallet128paced"):
        s = r["wallet128paced"]
        lines.append(f"| wallet p99 < 20 ms at 128 connections, paced ({s['rps']:,.0f} req/s answered) |"
                     f" {s['p99']:.2f} ms (p50 {s['p50']:.2f}) | {verdict(s['p99'] < 20)} |")
    c = r["console"]
    lines.append(f"| console read ≥ 3,000 req/s at 64 connections | {c['rps']:,.0f} req/s | {verdict(c['rps'] >= 3000)} |")
    lines.append(f"| console read p99 < 50 ms | {c['p99']:.2f} ms | {verdict(c['p99'] < 50)} |")
    ratio = c["rps"] / r["unauthenticated"]["rps"]
    lines.append(f"| (console read / the 401 answer, for reference) | {ratio:.2f}× | — |")
    if out:
        lines.append(f"| Redis stop/start: zero failed wallet requests | {out['failed']} failed of {out['summary']['requests']} |"
                     f" {verdict(out['failed'] == 0)} |")
        rec = out["recovery_s"]
        lines.append(f"| throughput back (≥ 80% of before) within 10 s of Redis returning | "
                     f"{'%d s' % rec if rec is not None else 'not within the run'} | {verdict(rec is not None and rec <= 10)} |")
    lines.append(f"| heap after GC, catalog {int(args.catalog):,} (-Xmx1g) | {args.heap_mb} MB | bounded by the near cache's size |")
    lines += near_cache_rows(args)
    if args.have_wallet != "1":
        lines += ["", "The wallet single get did not answer 200 on this build, so its scenarios were skipped."]
    if out:
        lines += ["", f"Redis outage timeline (Redis stopped at second {out['stop'] - out['timeline'][0][0]},"
                      f" started at {out['start'] - out['timeline'][0][0]}; answers per second):", "",
                  "| second | ok | failed | |", "|---|---|---|---|"]
        t0 = out["timeline"][0][0]
        for second, ok, failed in out["timeline"]:
            mark = "Redis stopped" if second == out["stop"] else "Redis started" if second == out["start"] else ""
            lines.append(f"| {second - t0} | {ok} | {failed} | {mark} |")
    counters = os.path.join(args.work, "counters.txt")
    if os.path.exists(counters) and os.path.getsize(counters) > 0:
        lines += ["", "The app's counters after the measured runs (warm-up included): console cache reads by result,"
                      " Keycloak lookups of account standings, wallet cache figures. A console read that costs more than"
                      " usual with many misses here is a cache problem, with many lookups a Keycloak one.", "", "```"]
        lines += open(counters).read().splitlines()
        lines += ["```"]
    for name, label in LABELS.items():
        hot = os.path.join(args.work, f"{name}-hot-methods.txt")
        if os.path.exists(hot):
            lines += ["", f"JFR hot methods of the app during the first measured run of: {label} (`--profile`):", "", "```"]
            lines += open(hot).read().splitlines()[:30]
            lines += ["```"]
    lines += ["", "Raw wrk outputs of every run:", ""]
    for name in LABELS:
        for i, run in enumerate((r.get(name) or {}).get("runs", []), 1):
            lines.append(f"- {name} #{i}: {run['rps']:,.0f} req/s, p50 {run['p50']:.2f} ms, p99 {run['p99']:.2f} ms,"
                         f" {run['requests']} requests, {run['non2xx']} non-2xx, {run['socket_errors']} socket errors")
    open(args.out, "w").write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
