#!/usr/bin/env bash
# Benchmark of `briefing check` on generated corpora (1000 and 5000 bilingual topics), next to
# a fresh `briefing build` of the same corpora (its time includes removing the previous output):
# median wall time of 5 runs and peak memory (GNU time).
# Usage: bash scripts/bench-check.sh [topics...]      Results go into BENCHMARKS.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! /usr/bin/time -f "" true 2>/dev/null; then
  echo "needs GNU time at /usr/bin/time (Debian: apt-get install time)" >&2
  exit 2
fi
cargo build --locked --release --bin briefing --example generate_corpus
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 5000)

# Runs a command 5 times; prints the median wall time (s) and the largest peak RSS (MiB).
measure() {
  local times=() peak=0 stats file
  file=$(mktemp)
  for _ in 1 2 3 4 5; do
    /usr/bin/time -f "%e %M" -o "$file" "$@" >/dev/null 2>&1
    stats=$(tail -1 "$file")
    times+=("${stats% *}")
    (( ${stats#* } > peak )) && peak=${stats#* }
  done
  rm -f "$file"
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
  printf '%6.2f s  %5d MiB' "$median" $((peak / 1024))
}

printf '%-8s %-22s %-22s\n' topics check build
for n in "${sizes[@]}"; do
  corpus="target/corpus-$n"
  target/release/examples/generate_corpus "$n" "$corpus" >/dev/null
  target/release/briefing --root "$corpus" check >/dev/null \
    || { echo "the generated corpus of $n topics is not clean" >&2; exit 1; }
  printf '%-8s %-22s %-22s\n' "$n" \
    "$(measure target/release/briefing --root "$corpus" check)" \
    "$(measure sh -c "rm -rf '$corpus-site' && target/release/briefing --root '$corpus' build --out '$PWD/$corpus-site'")"
done
