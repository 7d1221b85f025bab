#!/usr/bin/env bash
# Mailbus benchmark suite (issue 6): one command from the repository root.
#   bash src/bench/run.sh            full run (~10-15 min on 2 cores)
#   bash src/bench/run.sh --quick    quick mode (1 s component runs; end to end still 6,000 messages a cell)
#   bash src/bench/run.sh --only=component[,scale,rtt,e2e,big]   a subset (rtt: 20 ms RTT through a delay proxy)
# Installs Postfix's smtp-sink/smtp-source when missing (no Postfix daemon is configured or left running),
# builds with Maven (-Pbench) and runs io.mailbus.bench.BenchMain, which writes target/bench/results.{md,json}.
# Extra JVM flags for the benchmark JVM: BENCH_JVM (default "-Xms1g -Xmx1g -XX:+UseParallelGC").
# A JFR recording of the whole run: BENCH_JFR=1 (target/bench/bench.jfr; src/bench/jfr-top.sh summarises it).
#   bash src/bench/run.sh --baseline=<commit> --quick --only=e2e   today's commit as a peer (issue 13 part 1): that
#   commit's own run.sh runs first in a temporary worktree (--quick kept, --only=e2e), its results.json becomes
#   target/bench/baseline.json, and this tree's report compares its end-to-end figures against it.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! [ -x /usr/sbin/smtp-sink ] || ! [ -x /usr/sbin/smtp-source ]; then
  echo "== installing postfix (for smtp-sink and smtp-source only; no mail daemon is configured)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
  $SUDO apt-get update -qq
  # policy-rc.d 101 keeps the package scripts from starting a daemon on port 25
  POLICY=/usr/sbin/policy-rc.d; CREATED_POLICY=0
  if [ ! -e "$POLICY" ]; then printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null; $SUDO chmod +x "$POLICY"; CREATED_POLICY=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends postfix >/dev/null
  [ "$CREATED_POLICY" = 1 ] && $SUDO rm -f "$POLICY"
  # whatever the package did: no Postfix daemon stays enabled or listening
  if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl disable --now postfix >/dev/null 2>&1 || true; fi
  if [ -f /var/spool/postfix/pid/master.pid ]; then $SUDO postfix stop >/dev/null 2>&1 || true; fi
fi
if [ -x /usr/sbin/smtp-sink ]; then echo "== sink: $(command -v smtp-sink || echo /usr/sbin/smtp-sink)"; else
  echo "== smtp-sink unavailable: the in-JVM fallback sink will be used and labelled as such"; fi

BASELINE=""; ARGS=""; BASE_ARGS="--only=e2e"
for a in "$@"; do
  case "$a" in
    --baseline=*) BASELINE="${a#--baseline=}" ;;
    --quick|quick) ARGS="$ARGS $a"; BASE_ARGS="--quick $BASE_ARGS" ;;
    *) ARGS="$ARGS $a" ;;
  esac
done
ARGS="${ARGS# }"
SYSPROPS="${BENCH_SYSPROPS:-}"
# end to end with 6,000 messages a cell in quick mode too (and in the baseline's run, which reads BENCH_SYSPROPS):
# 600 measured mostly the JIT's warm-up and swung ±40 % run to run; at 2,000 the third run of a cell was still
# ~30 % faster than the first (C2 still compiling through the runs); 6,000 is nearer what a server that stays up does
case "$SYSPROPS" in *bench.e2eMessages=*) ;; *) SYSPROPS="$SYSPROPS -Dbench.e2eMessages=6000" ;; esac
if [ -n "$BASELINE" ]; then
  case " $ARGS " in *" --only="*) case "$ARGS" in *e2e*) ;; *) echo "--baseline compares end to end: add e2e to --only" >&2; exit 2 ;; esac ;; esac
  BASE_COMMIT="$(git rev-parse --verify "$BASELINE^{commit}")"
  BASE_TMP="$(mktemp -d)"
  # a detached worktree of that commit, removed however this script ends
  trap 'git worktree remove --force "$BASE_TMP/tree" >/dev/null 2>&1 || true; rm -rf "$BASE_TMP"; git worktree prune' EXIT
  git worktree add --detach -q "$BASE_TMP/tree" "$BASE_COMMIT"
  echo "== baseline: commit $BASE_COMMIT, its own src/bench/run.sh $BASE_ARGS (in $BASE_TMP/tree)"
  # BENCH_OFFLINE, BENCH_SYSPROPS and BENCH_JVM reach it through the environment; an older bench ignores what it
  # does not know (e.g. -Dbench.e2eShapes), so its run may measure more cells than this one
  (cd "$BASE_TMP/tree" && BENCH_JFR=0 BENCH_SYSPROPS="$SYSPROPS" bash src/bench/run.sh $BASE_ARGS)
  mkdir -p target/bench
  cp "$BASE_TMP/tree/target/bench/results.json" target/bench/baseline.json
  echo "$BASE_COMMIT" > target/bench/baseline.commit
  SYSPROPS="$SYSPROPS -Dbench.baseline=target/bench/baseline.json"
  echo "== baseline done: target/bench/baseline.json; now this tree"
fi
COMMIT="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo -dirty)"
JVM="${BENCH_JVM:--Xms1g -Xmx1g -XX:+UseParallelGC}"
if [ "${BENCH_JFR:-0}" = 1 ]; then
  JVM="$JVM -XX:StartFlightRecording=filename=target/bench/bench.jfr,settings=profile,dumponexit=true"
fi
mkdir -p target/bench
OFFLINE=""; [ "${BENCH_OFFLINE:-0}" = 1 ] && OFFLINE="-o"
start=$(date +%s)
mvn -q -B $OFFLINE -Pbench test-compile exec:exec \
  -Dbench.jvm="$JVM" -Dbench.args="$ARGS" -Dbench.sysprops="-Dbench.commit=$COMMIT $SYSPROPS"
echo "== total wall time: $(( $(date +%s) - start )) s (build included)"
