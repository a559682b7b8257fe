#!/usr/bin/env bash
# Fetch, into .whl/, the wheels of galip's dependencies that the device machine's image lacks (it has torch, torchvision,
# numpy, scipy, timm, safetensors, huggingface_hub, tqdm, matplotlib, tensorboard, regex, pyyaml; nothing can be
# downloaded there). Run here, where pip reaches the registry; then carry .whl in the device call (bench/gpu_train.py
# says how). Python 3.12, x86-64, as the device image is. PYTHON: a Python with pip (default python3).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf .whl && mkdir -p .whl
"${PYTHON:-python3}" -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
  --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 -d .whl \
  open_clip_torch==3.3.0 ftfy==6.3.1 wcwidth==0.9.4 fastcore==2.2.41 braceexpand==0.1.7 webdataset==1.0.2
ls -la .whl
