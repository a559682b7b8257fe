#!/usr/bin/env bash
# The shipped shapes model (galip/weights/shapes), rebuilt from library code: galip's CLI and one library function.
#
#   bash recipes/shapes.sh [RUN_DIR]          # default RUN_DIR: runs/shapes-recipe
#
# Five stages, each resumable (run the script again after a stop). The step counts are the shipped model's; the
# STEPS_* variables override them (the test runs every stage for a step or two). The times are those of
# bench/recipe_times.py on a 2-core AMD EPYC (AVX2, 2 threads), each stage alone: about 8.5 hours in all.
set -euo pipefail
run=${1:-runs/shapes-recipe}
S1=${STEPS_1:-8586}  S2=${STEPS_2:-11211}  S3=${STEPS_3:-14000}  SJ=${STEPS_JUDGE:-2000}  S4=${STEPS_4:-3596}
until=${UNTIL:-5}                      # UNTIL=3: stop after stage 3 (the 14,000-step model the lab's experiments start from)
common=(--preset shapes --batch-size 16 --sample-every 0)

# 1. GALIP on the shapes world with a 10x noise gain and the diversity term, which keep the noise alive (8,586 steps, 3.2 h).
galip train "${common[@]}" --out "$run/base" --noise-gain 10 --extras '{"spread": {"weight": 5}}' --max-steps "$S1" --resume
# 2. Hard negatives that swap the shape word teach Mate-D shape (to 11,211 steps, 58 min).
galip train "${common[@]}" --out "$run/base" --extras '{"spread": {"weight": 5}, "hard_negatives": {"weight": 1, "words": "shape"}}' \
    --max-steps "$S2" --resume
# 3. ... and the colour word (to 14,000 steps, 63 min).
galip train "${common[@]}" --out "$run/base" --extras '{"spread": {"weight": 5}, "hard_negatives": {"weight": 1, "words": "shape,colour"}}' \
    --max-steps "$S3" --resume
[ "$until" -ge 4 ] || exit 0
# 4. A pixel judge taught shape alone, with the text encoder of stage 3's model (2,000 steps of 16 real scenes, 25 min).
[ -f "$run/judge.safetensors" ] || python -c "import sys; from galip.train import load_run; from galip.extras import pretrain_pixel_judge
pretrain_pixel_judge(load_run(sys.argv[1]), steps=int(sys.argv[2]), out=sys.argv[3])" "$run/base" "$SJ" "$run/judge.safetensors"
[ "$until" -ge 5 ] || exit 0
# 5. From the model of stage 3, with that judge kept choosing beside Mate-D (3,596 steps: 17,596 in all; 2.9 h).
galip train "${common[@]}" --init "$run/base" --out "$run/taught" --seed 1 --max-steps "$S4" --resume --extras \
    "{\"spread\": {\"weight\": 5}, \"hard_negatives\": {\"weight\": 1, \"words\": \"shape,colour\"},
      \"pixel_judge\": {\"weight\": 1, \"head\": \"projection\", \"init\": \"$run/judge.safetensors\", \"choice\": 1, \"words\": \"shape,colour\"}}"
# The shipped folder: the EMA model in fp16, without the CLIP (rebuilt from its own shipped file), with the vocabulary.
python -c "import sys, torch; from galip.train import load_run; from galip.shapes.world import shapes_vocabulary
m = load_run(sys.argv[1]); m.vocabulary = shapes_vocabulary()
m.save_pretrained(sys.argv[2], include_clip=False, dtype=torch.float16)" "$run/taught" "$run/shipped"
echo "wrote $run/shipped: config.json, model.safetensors and vocabulary.json are what galip/weights/shapes holds"
