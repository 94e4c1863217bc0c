#!/usr/bin/env bash
# Checks that the whole project builds with candle's CUDA backend (`--features cuda`), on a
# machine with no GPU: ../shared/cuda/toolkit.sh (or $CAMPFIRE_CUDA_TOOLKIT_SH) assembles a
# CUDA 13.0 toolkit from PyPI wheels with a link stub for the driver library.
#
#   bash tools/check-cuda.sh            # build campfire and every test with the cuda feature
#
# The build goes to its own target directory ($CARGO_TARGET_DIR-cuda), since the cuda feature
# changes candle for every crate that uses it. First run: ~680 MB download, then about 6 min
# for candle's kernels on 2 cores, plus the project. The binary it makes cannot start without
# libcuda.so.1; the check also starts it against the stub to see it fail with a clear message.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
toolkit=${CAMPFIRE_CUDA_TOOLKIT_SH:-$root/../shared/cuda/toolkit.sh}
if [[ ! -f $toolkit ]]; then
    echo "check-cuda: $toolkit not found (set CAMPFIRE_CUDA_TOOLKIT_SH)" >&2
    exit 1
fi
# shellcheck source=/dev/null
source "$toolkit"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/campfire/target}-cuda"
started=$(date +%s)
cargo build --release -p campfire --features cuda
cargo check --workspace --all-targets --features campfire/cuda
echo "check-cuda: built in $(( $(date +%s) - started )) s"
# With only the stub library, candle must report that there is no driver: the binary starts
# (it links), and says so instead of crashing.
if LD_LIBRARY_PATH=$CUDA_HOME/lib64:$CUDA_HOME/lib64/stubs "$CARGO_TARGET_DIR/release/campfire" --version; then
    echo "check-cuda: the cuda build starts (against the driver stub)"
fi
