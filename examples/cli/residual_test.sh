#!/usr/bin/env bash
# The `zkcnn` command line on the shipped residual network (ctest: example.cli.residual), on
# real Fashion-MNIST test images: commit, a prediction proven and verified whose class is
# PyTorch's, and an accuracy proof over 100 images whose count is the quantized model's (the
# importer's plain inference, examples/onnx's import_onnx); tampered proofs rejected.
#
#   residual_test.sh ZKCNN_BINARY IMPORT_ONNX_BINARY MODEL.onnx REFERENCE.txt FASHION_MNIST_DIR WORK_DIR
set -uo pipefail

if (($# != 6)); then
    echo "usage: $0 ZKCNN_BINARY IMPORT_ONNX_BINARY MODEL.onnx REFERENCE.txt FASHION_MNIST_DIR WORK_DIR" >&2
    exit 2
fi
zkcnn=$(realpath "$1") import_onnx=$(realpath "$2") model=$(realpath "$3") reference=$(realpath "$4") data=$(realpath "$5")
work=$6
script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 2
source "$script_dir/test_helpers.sh"

# PyTorch's class of test image N (make_resnet_reference.py's "classes" line).
pytorch_class() { awk -v n="$1" '$1 == "classes" { print $(n + 2) }' "$reference"; }

echo "== commit, prove, verify"
expect 0 "commit the residual network" "$zkcnn" commit --model "$model" --data "$data" --out-commitment c --out-secret s \
    --quiet
expect 0 "inspect shows what each layer reads" "$zkcnn" inspect --commitment c
said "an addition and its two terms" "add, reads layer 4 and layer 1"
for image in 0 1 2; do
    expect 0 "prove test image $image" "$zkcnn" prove --secret s --commitment c --image "$image" --data "$data" \
        --out-proof "p$image" --out-statement "t$image" --quiet
    expect 0 "verify it" "$zkcnn" verify --commitment c --statement "t$image" --proof "p$image" --json --quiet
    said "the proven class is PyTorch's" "\"predicted_class\":$(pytorch_class "$image"),"
done
flipped p0 p0.bad $(($(stat -c %s p0) / 2))
expect 1 "a proof with one bit changed" "$zkcnn" verify --commitment c --statement t0 --proof p0.bad
expect 1 "another image's statement" "$zkcnn" verify --commitment c --statement t1 --proof p0

echo "== accuracy on 100 test images"
expect 0 "the quantized model's accuracy by plain inference" "$import_onnx" "$model" --data "$data" --calibration 200 \
    --limit 100
quantized=$(awk '/^quantized accuracy:/ { printf "%d", $3 * 100 + 0.5 }' out.txt)
expect 0 "accuracy-prove" "$zkcnn" accuracy-prove --secret s --commitment c --images 100 --first 0 --data "$data" \
    --out-proof ap --out-statement at --quiet
expect 0 "accuracy-verify" "$zkcnn" accuracy-verify --commitment c --statement at --proof ap --json --quiet
said "the proven count is the quantized model's ($quantized of 100)" "\"correct\":$quantized,"
flipped ap ap.bad $(($(stat -c %s ap) / 3))
expect 1 "an accuracy proof with one bit changed" "$zkcnn" accuracy-verify --commitment c --statement at --proof ap.bad

summary
