#!/usr/bin/env bash
# Whole-process speed and peak memory of `warta classify`, as a user's
# shell sees it, against the floor: `bare_pass` (benches/bare_pass.rs), a
# program built from this workspace that only parses each JSON line with
# serde_json and walks its text once with `unicode_words()`. The one
# script for the CLI's speed (it replaced benches/cli-throughput.sh).
#
#   bash benches/whole-process.sh                     # RUNS=7 rounds
#   BASELINE=/path/to/old/warta bash benches/whole-process.sh
#       # also times an older build in every round, and checks that its
#       # output on the corpus and the gold sets is byte-identical
#   INPUTS="1x 10x 30x" bash benches/whole-process.sh # larger inputs too
#   PYTHON=/tmp/warta-pyenv/bin/python bash benches/whole-process.sh
#       # adds benches/python_baseline.py (spaCy + stemmer) on 1x
#   BENCH=1 bash benches/whole-process.sh             # adds `cargo bench --bench pipeline`
#   INSTRUCTIONS=1 bash benches/whole-process.sh
#       # adds instructions executed (valgrind's callgrind), one thread:
#       # the machine's noise does not move them, so they tell a 3% change
#       # that wall times cannot; per copy of the input = 2 copies - 1 copy
#
# Input: what examples/bench_corpus.rs writes ("1x": ../shared/corpus/
# real-news.jsonl when present, else our generated articles), and ten
# (and thirty) copies of it.
# Each round runs every command once, in an order that rotates from round
# to round, so that all of them see the same machine: bare_pass, warta on
# one thread and on all cores, and on 10x as many one-thread warta
# processes side by side as there are cores (they share nothing and each
# keeps to one core, so what they lose against one run alone is lost to
# the machine, not to warta's threads sharing work). The table gives the
# median wall time of the rounds (and MB/s of JSON Lines from it), the
# median CPU seconds (user + system), and the largest peak RSS (GNU
# time's "Maximum resident set size"). Output goes
# to /dev/null. Prints a Markdown table and the ratios issue 15 sets
# targets for: of the medians, and the median of the ratios of the two
# runs in each round (which the machine's drift between rounds moves less),
# with the middle half of those per-round ratios (how far the machine
# moves them).
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=${RUNS:-7}
INPUTS=${INPUTS:-1x 10x}
cores=$(nproc)
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
case " $INPUTS " in *" 30x "*) for _ in $(seq 3); do cat "$tmp/10x.jsonl"; done > "$tmp/30x.jsonl" ;; esac

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
for input in $INPUTS; do
  commands+=("bare_pass $input|$bare $tmp/$input.jsonl")
  commands+=("warta 1 thread $input|$warta classify --quiet --threads 1 $tmp/$input.jsonl")
  commands+=("warta all cores $input|$warta classify --quiet $tmp/$input.jsonl")
  if [ "$input" = 10x ]; then
    commands+=("side by side $input|$tmp/$input.jsonl")
  fi
  if [ -n "${BASELINE:-}" ]; then
    commands+=("baseline 1 thread $input|$BASELINE classify --quiet --threads 1 $tmp/$input.jsonl")
    commands+=("baseline all cores $input|$BASELINE classify --quiet $tmp/$input.jsonl")
  fi
done

# As many one-thread warta runs as there are cores, side by side, each on
# "$1"; prints their largest peak RSS (kB) and their CPU seconds.
side_by_side() {
  local pids=() pid k
  for k in $(seq "$cores"); do
    /usr/bin/time -f "%M %U %S" -o "$tmp/side.$k" \
      "$warta" classify --quiet --threads 1 "$1" > /dev/null 2> "$tmp/stderr.$k" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || { cat "$tmp"/stderr.* >&2; exit 1; }; done
  for k in $(seq "$cores"); do tail -1 "$tmp/side.$k"; done \
    | awk '{ if ($1 > m) m = $1; c += $2 + $3 } END { print m, c }'
}

# Runs command $1 once; appends "name|wall_seconds|peak_kb|cpu_seconds|round"
# to $tmp/times.
run_once() {
  local name=${1%%|*} cmd=${1#*|} start end usage
  start=$(date +%s%N)
  if [[ $name == "side by side"* ]]; then
    usage=$(side_by_side "$cmd")
  else
    # shellcheck disable=SC2086 # the command is split on purpose
    /usr/bin/time -f "%M %U %S" -o "$tmp/usage" $cmd > /dev/null 2> "$tmp/stderr" \
      || { cat "$tmp/stderr" >&2; exit 1; }
    usage=$(tail -1 "$tmp/usage" | awk '{ print $1, $2 + $3 }')
  fi
  end=$(date +%s%N)
  read -r rss cpu <<< "$usage"
  echo "$name|$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')|$rss|$cpu|$round" >> "$tmp/times"
}

: > "$tmp/times"
n=${#commands[@]}
for round in $(seq "$RUNS"); do
  for k in $(seq 0 $((n - 1))); do
    run_once "${commands[$(((k + round) % n))]}"
  done
done

sizes=""
for input in $INPUTS; do sizes+="$input=$(stat -c %s "$tmp/$input.jsonl") "; done
echo
echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $cores cores, $(free -g | awk '/^Mem:/ { print $2 }') GB; load average before: $(cut -d' ' -f1-3 /proc/loadavg); $RUNS alternating rounds; input: $source"
echo
awk -F'|' -v sizes="$sizes" -v inputs="$INPUTS" -v cores="$cores" '
  BEGIN { n_sizes = split(sizes, kv, " "); for (i = 1; i <= n_sizes; i++) { split(kv[i], p, "="); bytes[p[1]] = p[2] } }
  { n[$1]++; t[$1, n[$1]] = $2; c[$1, n[$1]] = $4; if ($3 > rss[$1]) rss[$1] = $3; w[$1, $5] = $2; rounds[$5] = 1 }
  # The median over the rounds of a ratio of two runs in the same round:
  # both saw the same machine, so this moves less than a ratio of medians
  # when the machine speeds up or slows down between rounds. Also sets
  # q_lo and q_hi to the quartiles of those ratios (the middle half of
  # the rounds), so that a reader sees how far the machine moves them.
  function paired(num, den,   r, k, v) {
    k = 0
    for (r in rounds) if ((num, r) in w && (den, r) in w) v[++k] = w[num, r] / w[den, r]
    sort(v, k)
    q_lo = v[int(k / 4) + 1]; q_hi = v[k - int(k / 4)]
    return middle(v, k)
  }
  function median(a, name,   i, m, v) {
    m = n[name]
    for (i = 1; i <= m; i++) v[i] = a[name, i]
    sort(v, m)
    return middle(v, m)
  }
  # Sorts v[1..k] in place.
  function sort(v, k,   i, j, tmpv) {
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] < v[i]) { tmpv = v[i]; v[i] = v[j]; v[j] = tmpv }
  }
  # The median of v[1..k], once sorted.
  function middle(v, k) {
    return k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
  }
  END {
    print "| program | input | median wall s | MB/s | CPU s | peak RSS MiB |"
    print "|---|---|---|---|---|---|"
    n_progs = split("bare_pass|warta 1 thread|warta all cores|side by side|baseline 1 thread|baseline all cores", progs, "|")
    n_in = split(inputs, ins, " ")
    for (i = 1; i <= n_in; i++) for (j = 1; j <= n_progs; j++) {
      name = progs[j] " " ins[i]
      if (!(name in n)) continue
      med[name] = median(t, name)
      b = bytes[ins[i]]; label = progs[j]
      # Side by side, every process reads the whole input.
      if (progs[j] == "side by side") { b *= cores; label = cores " × warta 1 thread, side by side" }
      printf "| %s | %s (%.1f MB) | %.3f | %.1f | %.2f | %.1f |\n", label, ins[i], bytes[ins[i]] / 1e6, med[name], b / 1e6 / med[name], median(c, name), rss[name] / 1024
    }
    print ""
    r1 = med["bare_pass 10x"] / med["warta 1 thread 10x"]
    ra = med["warta 1 thread 10x"] / med["warta all cores 10x"]
    p1 = paired("bare_pass 10x", "warta 1 thread 10x"); lo1 = q_lo; hi1 = q_hi
    pa = paired("warta 1 thread 10x", "warta all cores 10x"); loa = q_lo; hia = q_hi
    printf "- warta one thread / bare pass, speed on 10x: %.2f× (target ≥ 1.0: %s); per round: %.2f× (middle half of the rounds: %.2f–%.2f×)\n", r1, (r1 >= 1.0 ? "met" : "NOT met"), p1, lo1, hi1
    printf "- warta all cores / one thread, speed on 10x: %.2f× (target ≥ 1.8: %s); per round: %.2f× (middle half of the rounds: %.2f–%.2f×)\n", ra, (ra >= 1.8 ? "met" : "NOT met"), pa, loa, hia
    printf "- %d one-thread runs side by side / one run alone, speed on 10x: %.2f× (processes that share nothing, one core each: what the machine loses)\n", cores, cores * med["warta 1 thread 10x"] / med["side by side 10x"]
    m1 = rss["warta 1 thread 10x"] / rss["warta 1 thread 1x"]; ma = rss["warta all cores 10x"] / rss["warta all cores 1x"]
    printf "- peak RSS 10x / 1x: one thread %.2f×, all cores %.2f× (target ≤ 1.5: %s)\n", m1, ma, ((m1 <= 1.5 && ma <= 1.5) ? "met" : "NOT met")
    if (("warta 1 thread 30x") in n) printf "- peak RSS 30x / 1x: one thread %.2f×, all cores %.2f×\n", rss["warta 1 thread 30x"] / rss["warta 1 thread 1x"], rss["warta all cores 30x"] / rss["warta all cores 1x"]
    if (("baseline 1 thread 10x") in med) {
      printf "- against BASELINE on 10x: one thread %.2f×, all cores %.2f× the speed; per round: %.2f× and %.2f×\n", med["baseline 1 thread 10x"] / med["warta 1 thread 10x"], med["baseline all cores 10x"] / med["warta all cores 10x"], paired("baseline 1 thread 10x", "warta 1 thread 10x"), paired("baseline all cores 10x", "warta all cores 10x")
    }
  }' "$tmp/times"

if [ -n "${INSTRUCTIONS:-}" ]; then
  command -v valgrind > /dev/null || { echo "INSTRUCTIONS needs valgrind (Debian: apt-get install valgrind)" >&2; exit 1; }
  cat "$tmp/1x.jsonl" "$tmp/1x.jsonl" > "$tmp/2x.jsonl"
  # Instructions of one run of "$@" (callgrind counts every thread's).
  instructions() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 > /dev/null \
      | sed -n 's/.*refs: *//p' | tr -d ,
  }
  echo
  echo "Instructions executed, one thread (callgrind; per copy = 2 copies less 1 copy):"
  echo
  echo "| program | 1x | 2 copies | per copy | per copy / bare_pass |"
  echo "|---|---|---|---|---|"
  programs=("bare_pass|$bare" "warta|$warta classify --quiet --threads 1")
  [ -n "${BASELINE:-}" ] && programs+=("baseline|$BASELINE classify --quiet --threads 1")
  bare_copy=""
  for entry in "${programs[@]}"; do
    name=${entry%%|*} cmd=${entry#*|}
    # shellcheck disable=SC2086 # the command is split on purpose
    one=$(instructions $cmd "$tmp/1x.jsonl")
    # shellcheck disable=SC2086
    two=$(instructions $cmd "$tmp/2x.jsonl")
    copy=$((two - one))
    [ -z "$bare_copy" ] && bare_copy=$copy
    awk -v n="$name" -v a="$one" -v b="$two" -v c="$copy" -v r="$bare_copy" \
      'BEGIN { printf "| %s | %.1fM | %.1fM | %.1fM | %.2f |\n", n, a / 1e6, b / 1e6, c / 1e6, c / r }'
  done
fi

if [ -n "${PYTHON:-}" ]; then
  "$PYTHON" benches/python_baseline.py "$tmp/1x.jsonl" > /dev/null 2> "$tmp/python" \
    || { cat "$tmp/python" >&2; exit 1; }
  python_mbs=$(sed -n 's/.* = \([0-9.]*\) MB\/s.*/\1/p' "$tmp/python")
  warta_mbs=$(awk -F'|' '$1 == "warta all cores 1x" { print $2 }' "$tmp/times" | sort -n \
    | awk -v b="$(stat -c %s "$tmp/1x.jsonl")" '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f", b / 1e6 / m }')
  echo "- benches/python_baseline.py (spaCy + stemmer) on 1x: $python_mbs MB/s; warta all cores: $warta_mbs MB/s ($(awk -v a="$warta_mbs" -v b="$python_mbs" 'BEGIN { printf "%.0f", a / b }')×)"
fi

if [ -n "${BENCH:-}" ]; then
  cargo bench --bench pipeline > "$tmp/bench" 2>&1 || { cat "$tmp/bench" >&2; exit 1; }
  echo
  echo "\`cargo bench --bench pipeline\` (stages: MB/s of article text; jsonl: MB/s of JSON Lines):"
  echo
  echo "| bench | MB/s |"
  echo "|---|---|"
  # criterion prints the name, then `thrpt: [low estimate high]`; keep the
  # estimate, in MB/s.
  awk '
    /^[a-z_]+\/[a-z_]+/ { name = $1 }
    /thrpt:/ && name != "" {
      v = $4; u = $5; if (u ~ /^GB/) v *= 1000; else if (u ~ /^kB/) v /= 1000
      printf "| `%s` | %.1f |\n", name, v; name = ""
    }' "$tmp/bench"
fi
