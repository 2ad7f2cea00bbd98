#!/usr/bin/env bash
# Throughput and peak memory of `warta classify` on one thread and on all
# cores, on the bench corpus (../shared/corpus/real-news.jsonl when present,
# else our generated articles) and on ten and thirty copies of it: a run
# pays a fixed cost (start-up, ~18 ms, and each thread's first look-ups)
# that the larger inputs spread thinner, as a long batch does.
#
#   bash benches/cli-throughput.sh            # RUNS=5: best of 5 rounds
#   PYTHON=/tmp/warta-pyenv/bin/python bash benches/cli-throughput.sh
#                                              # adds benches/python_baseline.py
#   BENCH=1 bash benches/cli-throughput.sh     # adds `cargo bench --bench pipeline`
#
# MB/s are megabytes (10^6) of JSON Lines input per second of wall time,
# output to /dev/null; CPU s is user + system time of that run (when it
# barely grows with the threads, a poor speed-up comes from a busy machine,
# not from the code); peak RSS is GNU time's "Maximum resident set size".
# It also runs one-thread processes side by side, one per core, to show
# the speed-up the machine itself allows for work that shares nothing.
# Prints a Markdown table for the README's Performance section.
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time" >&2; exit 1; }

cargo build --release --quiet -p warta-cli
cargo build --release --quiet --example bench_corpus
warta=target/release/warta
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

target/release/examples/bench_corpus > "$tmp/1x.jsonl"
for _ in $(seq 10); do cat "$tmp/1x.jsonl"; done > "$tmp/10x.jsonl"
for _ in $(seq 3); do cat "$tmp/10x.jsonl"; done > "$tmp/30x.jsonl"

# Every non-blank line gives one output line, and the thread count changes nothing.
records=$(grep -c . "$tmp/1x.jsonl")
"$warta" classify --quiet --threads 1 "$tmp/1x.jsonl" > "$tmp/one.out"
"$warta" classify --quiet "$tmp/1x.jsonl" > "$tmp/all.out"
[ "$(wc -l < "$tmp/one.out")" -eq "$records" ] || { echo "wrong number of output lines" >&2; exit 1; }
cmp -s "$tmp/one.out" "$tmp/all.out" || { echo "--threads 1 and all cores differ" >&2; exit 1; }

# Runs "$@" once; prints the wall time in seconds, the CPU seconds (user +
# system) and the peak RSS in kB.
run_once() {
  local start end
  start=$(date +%s%N)
  /usr/bin/time -v -o "$tmp/time" "$@" > /dev/null 2> "$tmp/stderr" \
    || { cat "$tmp/stderr" >&2; exit 1; }
  end=$(date +%s%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f ", (b - a) / 1e9 }'
  awk -F': ' '/(User|System) time/ { s += $2 } END { printf "%.2f ", s }' "$tmp/time"
  awk -F': ' '/Maximum resident set size/ { print $2 }' "$tmp/time"
}

# As many one-thread runs as there are cores, side by side, each on "$1".
# They share nothing, so what they lose against one run alone is lost to
# the machine (a shared virtual machine's cores, memory and caches), not
# to warta's threads. Prints the wall time in seconds.
side_by_side() {
  local start end pids=() pid
  start=$(date +%s%N)
  for _ in $(seq "$cores"); do
    "$warta" classify --quiet --threads 1 "$1" > /dev/null &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || exit 1; done
  end=$(date +%s%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f\n", (b - a) / 1e9 }'
}

mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.2f", b / 1e6 }'; }
rate() { awk -v b="$(stat -c %s "$1")" -v t="$2" 'BEGIN { printf "%.1f", b / 1e6 / t }'; }
shorter() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(b == "" || a < b) }'; }

# Best of RUNS rounds; each round runs one thread, all cores and (on 10x)
# the side-by-side pair in turn, so that all three see the same machine.
declare -A secs cpu rss
side=""
cores=$(nproc)
for input in 1x 10x 30x; do
  for _ in $(seq "$RUNS"); do
    for threads in 1 all; do
      if [ "$threads" = 1 ]; then flag=(--threads 1); else flag=(); fi
      read -r t c r < <(run_once "$warta" classify --quiet "${flag[@]}" "$tmp/$input.jsonl")
      if shorter "$t" "${secs[$input,$threads]:-}"; then
        secs[$input,$threads]=$t
        cpu[$input,$threads]=$c
      fi
      [ "$r" -gt "${rss[$input,$threads]:-0}" ] && rss[$input,$threads]=$r
    done
    if [ "$input" = 10x ]; then
      t=$(side_by_side "$tmp/10x.jsonl")
      shorter "$t" "$side" && side=$t
    fi
  done
done
rows=""
for input in 1x 10x 30x; do
  for threads in 1 all; do
    label=$threads; [ "$threads" = all ] && label="all ($cores)"
    rows+="| \`warta classify\` | $input ($(mb "$tmp/$input.jsonl") MB) | $label | $(rate "$tmp/$input.jsonl" "${secs[$input,$threads]}") | ${cpu[$input,$threads]} | $((${rss[$input,$threads]} / 1024)) |"$'\n'
  done
done

python_row=""
if [ -n "${PYTHON:-}" ]; then
  "$PYTHON" benches/python_baseline.py "$tmp/1x.jsonl" > /dev/null 2> "$tmp/python"
  cat "$tmp/python" >&2
  python_mbs=$(sed -n 's/.* = \([0-9.]*\) MB\/s.*/\1/p' "$tmp/python")
  python_row="| \`python_baseline.py\` (spaCy + stemmer) | 1x ($(mb "$tmp/1x.jsonl") MB) | 1 | $python_mbs | | |"$'\n'
fi

bench_rows=""
if [ -n "${BENCH:-}" ]; then
  cargo bench --bench pipeline > "$tmp/bench" 2>&1 || { cat "$tmp/bench" >&2; exit 1; }
  # criterion prints the name, then `thrpt: [low estimate high]`; keep the
  # estimate, in MB/s.
  bench_rows=$(awk '
    /^[a-z_]+\/[a-z_]+/ { name = $1 }
    /thrpt:/ && name != "" {
      v = $4; u = $5; if (u ~ /^GB/) v *= 1000; else if (u ~ /^kB/) v /= 1000
      printf "| `%s` | %.1f |\n", name, v; name = ""
    }' "$tmp/bench")
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $cores cores, $(free -g | awk '/^Mem:/ { print $2 }') GB; load average $(cut -d' ' -f1-3 /proc/loadavg); best of $RUNS runs"
echo
echo "| program | input | threads | MB/s | CPU s | peak RSS (MiB) |"
echo "|---|---|---|---|---|---|"
printf '%s%s' "$rows" "$python_row"
echo
echo "- all cores / one thread, speed: 1x $(ratio "${secs[1x,1]}" "${secs[1x,all]}")×, 10x $(ratio "${secs[10x,1]}" "${secs[10x,all]}")×, 30x $(ratio "${secs[30x,1]}" "${secs[30x,all]}")×"
echo "- $cores one-thread runs side by side, 10x each: $(awk -v c="$cores" -v one="${secs[10x,1]}" -v t="$side" 'BEGIN { printf "%.2f", c * one / t }')× the speed of one run alone (processes that share nothing: what this machine gives $cores cores of work)"
echo "- 10x / 1x, peak RSS: one thread $(ratio "${rss[10x,1]}" "${rss[1x,1]}")×, all cores $(ratio "${rss[10x,all]}" "${rss[1x,all]}")×; 30x / 1x: $(ratio "${rss[30x,1]}" "${rss[1x,1]}")×, $(ratio "${rss[30x,all]}" "${rss[1x,all]}")×"
if [ -n "$bench_rows" ]; then
  mbs() { awk -v n="$1" -F'|' '$2 ~ "`" n "`" { print $3 + 0 }' <<< "$bench_rows"; }
  echo
  echo "\`cargo bench --bench pipeline\` (stages: MB/s of article text; jsonl: MB/s of JSON Lines):"
  echo
  echo "| bench | MB/s |"
  echo "|---|---|"
  echo "$bench_rows"
  echo
  echo "- one thread, warta classify / bare serde_json + unicode_words pass: $(ratio "$(mbs jsonl/warta_classify_one_thread)" "$(mbs jsonl/naive_serde_unicode_words)")×"
  echo "- classify_batch all cores / classify one thread: $(ratio "$(mbs stages/classify_batch_all_cores)" "$(mbs stages/classify)")×"
fi
if [ -n "$python_row" ]; then
  echo "- warta all cores / Python, speed (1x): $(awk -v b="$(stat -c %s "$tmp/1x.jsonl")" -v t="${secs[1x,all]}" -v p="$python_mbs" 'BEGIN { printf "%.0f", b / 1e6 / t / p }')×"
fi
