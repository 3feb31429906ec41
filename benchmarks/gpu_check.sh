#!/usr/bin/env bash
# mavis_train on one GPU at realistic shapes: the four stages of the bench-1b preset
# (CLIP ViT-L/14-336 and a 1.1B LM with random weights, bf16) on engine data, printing per
# stage the steps, samples/s, tokens/s, peak GPU memory and the held-out figures, then a
# JSON line of them all. Only the final model is kept (bf16, in OUT). Sized for one
# 80-140 GB GPU and under 8 minutes.
#
#   bash benchmarks/gpu_check.sh [OUT] [CONFIG] [STEPS]     # defaults: gpu_check bench-1b 60
#   bash benchmarks/gpu_check.sh /tmp/check tiny 3         # the same path on a CPU, in a minute
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-gpu_check}
config=${2:-bench-1b}
steps=${3:-60}
python - <<'PY'
import torch
if torch.cuda.is_available():
    print("GPU:", torch.cuda.get_device_name(), f"{torch.cuda.get_device_properties(0).total_memory / 2**30:.0f} GiB")
else:
    print("no GPU: running on the CPU")
PY
python benchmarks/bench_train.py --config "$config" --steps "$steps" --samples 600 \
    --workers "$(( $(nproc) > 8 ? 8 : $(nproc) ))" --keep "$out"
