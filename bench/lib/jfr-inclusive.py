#!/usr/bin/env python3
# Inclusive CPU share per method from a JFR recording (bench/run --profile writes them to bench/results):
#   bench/lib/jfr-inclusive.py <file.jfr> [method regex] [how many]
# A method counts once per sample whose stack contains it, so callers include their callees.
import subprocess, sys, re, collections
f = sys.argv[1]; pat = sys.argv[2] if len(sys.argv) > 2 else None
out = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "1024", f], capture_output=True, text=True).stdout
samples = out.split("jdk.ExecutionSample")
incl = collections.Counter(); n = 0
for s in samples[1:]:
    frames = re.findall(r"^\s+([\w$.<>]+)\(.*?\)\s+line:", s, re.M)
    if not frames: continue
    n += 1
    seen = set()
    for fr in frames:
        m = fr
        if pat and not re.search(pat, m): continue
        if m in seen: continue
        seen.add(m); incl[m] += 1
print("samples", n)
for m, c in incl.most_common(int(sys.argv[3]) if len(sys.argv) > 3 else 60):
    print(f"{c*100.0/n:6.1f}% {m}")
