#!/usr/bin/env bash
# zkcnn-mpi on one machine: two ranks prove the shards of 12 Fashion-MNIST test images, and the
# single-process `zkcnn accuracy-verify` accepts what rank 0 wrote; the count equals the
# single-process prover's; a run that fails writes nothing; in the hash-based backend, the
# secret counts the shards' proofs.
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
# The hash-based backend: its commitment hides a fixed number of proofs, which rank 0 counts in
# the secret file.
"$zkcnn" commit --model "$model" --data "$data" --calibration 200 --backend goldilocks-hash --proofs 3 \
    --out-commitment h --out-secret hs --quiet || exit 2
check "goldilocks-hash: two ranks prove 6 images in 3 shards" \
    mpirun -np 2 "$zkcnn_mpi" accuracy-prove --secret hs --commitment h --images 6 --data "$data" --shard-size 2 \
    --threads 1 --out-proof hp --out-statement ht
check "zkcnn accuracy-verify accepts them" \
    "$zkcnn" accuracy-verify --commitment h --statement ht --proof hp --images 6 --data "$data" --quiet
check "the secret counts the 3 proofs: a fourth is refused" \
    not_ "$zkcnn" prove --secret hs --commitment h --image 0 --data "$data" --out-proof hp2 --out-statement ht2 --quiet
check "and every rank refuses a plan beyond what the commitment hides" \
    not_ mpirun -np 2 "$zkcnn_mpi" accuracy-prove --secret hs --commitment h --images 2 --data "$data" \
    --shard-size 2 --out-proof hp3 --out-statement ht3
check "writing nothing" test ! -e hp2 -a ! -e hp3

check "--help" mpirun -np 1 "$zkcnn_mpi" accuracy-prove --help

echo "$failures failures"
((failures == 0))
