# bench/common.sh — sourced by the bench scripts (not run on its own): which binaries to run, smoke mode, and the
# check that a figure was measured.
#
#   BENCH_SMOKE=1 (or --smoke, which each script turns into BENCH_SMOKE=1): tiny sizes, about a second per run. The
#   bench then checks that it ran and that its figures are plausible, and exits non-zero otherwise.
#   ATRIUM_BINARY=path: the atrium binary to run (e.g. a debug build) instead of building the release one.
#   ATRIUM_BENCH_BINARY=path: the same for atrium-bench; by default the atrium-bench next to ATRIUM_BINARY when it
#   is set, else the release build.
# shellcheck shell=bash

BENCH_SMOKE=${BENCH_SMOKE:-0}

# The path of `product` (atrium or atrium-bench): the binary the environment names, else the release build (built now).
bench_binary() { # product
  local product=$1 path=""
  case $product in
    atrium) path=${ATRIUM_BINARY:-${ATRIUM_BIN:-}} ;;
    atrium-bench)
      path=${ATRIUM_BENCH_BINARY:-}
      if [[ -z $path && -n ${ATRIUM_BINARY:-} ]]; then path="$(dirname "$ATRIUM_BINARY")/atrium-bench"; fi ;;
    *) echo "bench_binary: unknown product $product" >&2; return 2 ;;
  esac
  if [[ -z $path ]]; then
    swift build -c release --product "$product" >&2 || return 1
    path="$(swift build -c release --show-bin-path)/$product"
  fi
  [[ -x $path ]] || { echo "bench: $path is not an executable $product" >&2; return 1; }
  echo "$path"
}

# Fails (status 1, naming the figure) unless every `label=value` pair (the value after the last `=`) holds a number
# greater than zero. A figure of 0 means nothing was measured (a broken bench), never that something is free.
bench_check() { # label=value …
  local pair label value bad=0
  for pair in "$@"; do
    label=${pair%=*}
    value=${pair##*=}
    if ! awk -v v="$value" 'BEGIN { exit !(v ~ /^[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?$/ && v + 0 > 0) }'; then
      echo "bench: implausible figure: $label = '${value}' (a figure must be measured and greater than 0)" >&2
      bad=1
    fi
  done
  return "$bad"
}
