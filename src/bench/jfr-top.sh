#!/usr/bin/env bash
# Summarises a JFR recording's CPU samples: the top self frames, and the top frames of given packages anywhere on
# the stack (inclusive). Usage: bash src/bench/jfr-top.sh target/bench/bench.jfr [N] [package-regex]
set -euo pipefail
JFR_FILE="${1:?usage: jfr-top.sh file.jfr [N] [package-regex]}"; N="${2:-25}"; PKG="${3:-io\\.mailbus\\.}"
OUT="$(mktemp)"; trap 'rm -f "$OUT"' EXIT
jfr print --stack-depth 64 --events jdk.ExecutionSample "$JFR_FILE" > "$OUT"
total=$(grep -c 'jdk.ExecutionSample' "$OUT" || true)
echo "samples: $total"
echo "== top self frames (where CPU is spent)"
awk '/stackTrace = \[/{getline; sub(/^[ \t]+/,""); sub(/[ \t]+line:.*/,""); c[$0]++} END{for(k in c) printf "%6d %s\n", c[k], k}' "$OUT" \
  | sort -rn | head -n "$N" || true
echo "== inclusive: samples with a frame of $PKG on the stack, by frame"
awk -v pkg="$PKG" '
  /stackTrace = \[/{inst=1; delete seen; next}
  inst && /^[ \t]*\]/{inst=0; next}
  inst { f=$0; sub(/^[ \t]+/,"",f); sub(/[ \t]+line:.*/,"",f); if (f ~ pkg && !(f in seen)) {seen[f]=1; c[f]++} }
  END{for(k in c) printf "%6d %s\n", c[k], k}' "$OUT" | sort -rn | head -n "$N" || true
