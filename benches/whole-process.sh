#!/usr/bin/env bash
# Whole-process speed and peak memory of `warta classify`, as a user's
# shell sees it, against the floor: `bare_pass` (benches/bare_pass.rs), a
# program built from this workspace that only parses each JSON line with
# serde_json and walks its text once with `unicode_words()`.
#
#   bash benches/whole-process.sh                     # RUNS=7 rounds
#   BASELINE=/path/to/old/warta bash benches/whole-process.sh
#       # also times an older build in every round, and checks that its
#       # output on the corpus and the gold sets is byte-identical
#
# Input: what examples/bench_corpus.rs writes ("1x": ../shared/corpus/
# real-news.jsonl when present, else our generated articles), and ten
# copies of it ("10x").
# Each round runs every command once, in an order that rotates from round
# to round, so that all of them see the same machine; the table gives the
# median wall time of the rounds (and MB/s of JSON Lines from it), and
# the largest peak RSS (GNU time's "Maximum resident set size"). Output
# goes to /dev/null. Prints a Markdown table and the ratios issue 15 sets
# targets for.
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=${RUNS:-7}
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (Debian: apt-get install time)" >&2; exit 1; }

cargo build --release --quiet -p warta-cli
cargo build --release --quiet --example bench_corpus
bare=$(cargo bench --bench bare_pass --no-run --message-format=json 2>/dev/null \
  | sed -n 's/.*"executable":"\([^"]*bare_pass[^"]*\)".*/\1/p' | tail -1)
[ -x "$bare" ] || { echo "cannot find the bare_pass bench binary" >&2; exit 1; }
warta=target/release/warta
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The shared corpus when present, else our generated articles; it says which.
target/release/examples/bench_corpus > "$tmp/1x.jsonl" 2> "$tmp/source"
source=$(cut -d: -f1 "$tmp/source")
for _ in $(seq 10); do cat "$tmp/1x.jsonl"; done > "$tmp/10x.jsonl"

# What is timed must be right: one line per record, the same on one
# thread and on all cores, and (with BASELINE) the same as before.
records=$(grep -c . "$tmp/10x.jsonl")
"$warta" classify --quiet --threads 1 "$tmp/10x.jsonl" > "$tmp/one.out"
"$warta" classify --quiet "$tmp/10x.jsonl" > "$tmp/all.out"
[ "$(wc -l < "$tmp/one.out")" -eq "$records" ] || { echo "wrong number of output lines" >&2; exit 1; }
cmp -s "$tmp/one.out" "$tmp/all.out" || { echo "--threads 1 and all cores differ" >&2; exit 1; }
[ "$("$bare" "$tmp/10x.jsonl" | wc -l)" -eq "$records" ] || { echo "bare_pass: wrong count" >&2; exit 1; }
if [ -n "${BASELINE:-}" ]; then
  "$BASELINE" classify --quiet --threads 1 "$tmp/10x.jsonl" | cmp -s - "$tmp/one.out" \
    || { echo "output differs from BASELINE on the 10x input" >&2; exit 1; }
  if [ -d ../shared/gold ]; then
    .ci/compare-output "$BASELINE" "$warta" >&2 || { echo "output differs from BASELINE" >&2; exit 1; }
  fi
fi

# name|command, for every program and input.
commands=()
for input in 1x 10x; do
  commands+=("bare_pass $input|$bare $tmp/$input.jsonl")
  commands+=("warta 1 thread $input|$warta classify --quiet --threads 1 $tmp/$input.jsonl")
  commands+=("warta all cores $input|$warta classify --quiet $tmp/$input.jsonl")
  if [ -n "${BASELINE:-}" ]; then
    commands+=("baseline 1 thread $input|$BASELINE classify --quiet --threads 1 $tmp/$input.jsonl")
    commands+=("baseline all cores $input|$BASELINE classify --quiet $tmp/$input.jsonl")
  fi
done

# Runs command $1 once; appends "name wall_seconds peak_kb" to $tmp/times.
run_once() {
  local name=${1%%|*} cmd=${1#*|} start end
  start=$(date +%s%N)
  # shellcheck disable=SC2086 # the command is split on purpose
  /usr/bin/time -f "%M" -o "$tmp/rss" $cmd > /dev/null 2> "$tmp/stderr" \
    || { cat "$tmp/stderr" >&2; exit 1; }
  end=$(date +%s%N)
  echo "$name|$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')|$(tail -1 "$tmp/rss")" >> "$tmp/times"
}

: > "$tmp/times"
n=${#commands[@]}
for round in $(seq "$RUNS"); do
  for k in $(seq 0 $((n - 1))); do
    run_once "${commands[$(((k + round) % n))]}"
  done
done

bytes1=$(stat -c %s "$tmp/1x.jsonl")
bytes10=$(stat -c %s "$tmp/10x.jsonl")
echo
echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GB; load average before: $(cut -d' ' -f1-3 /proc/loadavg); $RUNS alternating rounds; input: $source"
echo
awk -F'|' -v b1="$bytes1" -v b10="$bytes10" '
  { n[$1]++; t[$1, n[$1]] = $2; if ($3 > rss[$1]) rss[$1] = $3 }
  function median(name,   i, j, m, v, tmpv) {
    m = n[name]
    for (i = 1; i <= m; i++) v[i] = t[name, i]
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] < v[i]) { tmpv = v[i]; v[i] = v[j]; v[j] = tmpv }
    return m % 2 ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
  }
  END {
    print "| program | input | median wall s | MB/s | peak RSS MiB |"
    print "|---|---|---|---|---|"
    split("bare_pass|warta 1 thread|warta all cores|baseline 1 thread|baseline all cores", progs, "|")
    k = 0
    for (i = 1; i <= 2; i++) for (j = 1; j <= 5; j++) if ((progs[j] " " (i == 1 ? "1x" : "10x")) in n) order[++k] = progs[j] " " (i == 1 ? "1x" : "10x")
    for (i = 1; i <= k; i++) {
      name = order[i]; input = name; sub(/.* /, "", input); prog = name; sub(/ [^ ]*$/, "", prog)
      bytes = input == "1x" ? b1 : b10
      med[name] = median(name)
      printf "| %s | %s (%.1f MB) | %.3f | %.1f | %.1f |\n", prog, input, bytes / 1e6, med[name], bytes / 1e6 / med[name], rss[name] / 1024
    }
    print ""
    r1 = med["bare_pass 10x"] / med["warta 1 thread 10x"]
    ra = med["warta 1 thread 10x"] / med["warta all cores 10x"]
    printf "- warta one thread / bare pass, speed on 10x: %.2f× (target ≥ 1.0: %s)\n", r1, (r1 >= 1.0 ? "met" : "NOT met")
    printf "- warta all cores / one thread, speed on 10x: %.2f× (target ≥ 1.8: %s)\n", ra, (ra >= 1.8 ? "met" : "NOT met")
    m1 = rss["warta 1 thread 10x"] / rss["warta 1 thread 1x"]; ma = rss["warta all cores 10x"] / rss["warta all cores 1x"]
    printf "- peak RSS 10x / 1x: one thread %.2f×, all cores %.2f× (target ≤ 1.5: %s)\n", m1, ma, ((m1 <= 1.5 && ma <= 1.5) ? "met" : "NOT met")
    if (("baseline 1 thread 10x") in med) {
      printf "- against BASELINE on 10x: one thread %.2f×, all cores %.2f× the speed\n", med["baseline 1 thread 10x"] / med["warta 1 thread 10x"], med["baseline all cores 10x"] / med["warta all cores 10x"]
    }
  }' "$tmp/times"
