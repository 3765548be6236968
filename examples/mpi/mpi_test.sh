#!/usr/bin/env bash
# zkcnn-mpi on one machine: two ranks prove the shards of 12 Fashion-MNIST test images, and the
# single-process `zkcnn accuracy-verify` accepts what rank 0 wrote; the count equals the
# single-process prover's; a run that fails writes nothing.
#   mpi_test.sh MPIEXEC ZKCNN_MPI ZKCNN MODEL.onnx FASHION_MNIST_DIR WORK_DIR
set -u
mpiexec=$1 zkcnn_mpi=$2 zkcnn=$3 model=$4 data=$5 work=$6
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 2
failures=0
check() {
    local what=$1
    shift
    if "$@"; then echo "ok:   $what"; else echo "FAIL: $what"; failures=$((failures + 1)); fi
}
# As root (CI), OpenMPI runs only when told to; --oversubscribe lets 2 ranks share fewer cores.
not_() { ! "$@"; }
mpirun() { "$mpiexec" --allow-run-as-root --oversubscribe "$@"; }

"$zkcnn" commit --model "$model" --data "$data" --calibration 200 --out-commitment c --out-secret s --quiet || exit 2

check "two ranks prove 12 images in shards of at most 4" \
    mpirun -np 2 "$zkcnn_mpi" accuracy-prove --secret s --commitment c --images 12 --data "$data" --shard-size 4 \
    --threads 1 --out-proof p --out-statement t
check "zkcnn accuracy-verify accepts what rank 0 wrote" \
    "$zkcnn" accuracy-verify --commitment c --statement t --proof p --images 12 --data "$data" --quiet
"$zkcnn" accuracy-prove --secret s --commitment c --images 12 --data "$data" --shard-size 4 --out-proof p1 \
    --out-statement t1 --quiet >/dev/null || exit 2
check "the same statement as one process writes" cmp -s t t1
check "the other images are rejected" not_ "$zkcnn" accuracy-verify --commitment c --statement t --proof p --images 12 \
    --first 1 --data "$data" --quiet

check "a run whose ranks cannot read the secret fails" \
    not_ mpirun -np 2 "$zkcnn_mpi" accuracy-prove --secret missing --commitment c --images 12 --data "$data" \
    --shard-size 4 --out-proof p2 --out-statement t2
check "and writes nothing" test ! -e p2 -a ! -e t2
check "--help" mpirun -np 1 "$zkcnn_mpi" accuracy-prove --help

echo "$failures failures"
((failures == 0))
