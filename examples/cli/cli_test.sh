#!/usr/bin/env bash
# The `zkcnn` command line end to end (ctest: example.cli), on the shipped LeNet-5 and real
# Fashion-MNIST test images: commit, prove, verify, and an accuracy proof over 8 images; every
# tampered statement, proof and commitment rejected (exit 1); truncated, garbage and mistaken
# files and bad usage refused (exit 2), never a crash.
#
#   cli_test.sh ZKCNN_BINARY MODEL.onnx FASHION_MNIST_DIR WORK_DIR
set -uo pipefail

if (($# != 4)); then
    echo "usage: $0 ZKCNN_BINARY MODEL.onnx FASHION_MNIST_DIR WORK_DIR" >&2
    exit 2
fi
zkcnn=$(realpath "$1") model=$(realpath "$2") data=$(realpath "$3") work=$4
script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 2

source "$script_dir/test_helpers.sh"

header=13 # magic (8) + version (1) + payload length (4)

echo "== commit, prove, verify"
expect 0 "commit" "$zkcnn" commit --model "$model" --data "$data" --out-commitment c1 --out-secret s1 --quiet
expect 0 "secret file readable by its owner only" test "$(stat -c %a s1)" = 600
expect 0 "prove test image 0" "$zkcnn" prove --secret s1 --commitment c1 --image 0 --data "$data" \
    --out-proof p --out-statement t --threads 1
expect 0 "verify" "$zkcnn" verify --commitment c1 --statement t --proof p
expect 0 "verify --json says verified" grep -q '"verified":true' \
    <("$zkcnn" verify --commitment c1 --statement t --proof p --json --quiet)
if ((failures > 0)); then
    echo "the round trip failed: nothing else to check"
    exit 1
fi
expect 0 "inspect the commitment" "$zkcnn" inspect --commitment c1
expect 0 "inspect --json" grep -q '"multiply_accumulates"' <("$zkcnn" inspect --commitment c1 --json --quiet)

echo "== hostile commitment files: refused before any work (exit 2, within a second)"
# The key size is the architecture's: a file claiming a larger key is not this model's.
for key_size in 10 12 16; do
    cp c1 c1.key && set_u32 c1.key $((header + 1)) "$key_size" # after the backend
    expect 2 "commitment whose key size field says 2^$key_size" "$zkcnn" verify --commitment c1.key --statement t \
        --proof p
    grep -q "key size" err.txt || fail "the refusal does not name the key size"
done
# expect_quick_refusal DESCRIPTION COMMAND...: exit 2 within a second of CPU time, naming a
# verifier limit. CPU time (bash's `times`: the children's user and system time), not wall
# time: a loaded machine delays a quick refusal, it does not make it work more.
children_cpu_ms() {
    awk 'FNR == 2 {
        total = 0
        for (i = 1; i <= 2; ++i) { split($i, part, "m"); total += part[1] * 60 + substr(part[2], 1, length(part[2]) - 1) }
        ms[FILENAME] = total * 1000
    }
    END { printf "%d\n", ms[ARGV[2]] - ms[ARGV[1]] }' "$1" "$2"
}
expect_quick_refusal() {
    local what=$1 cpu_ms
    shift
    times >times.before
    expect 2 "$what" "$@"
    times >times.after
    cpu_ms=$(children_cpu_ms times.before times.after)
    if ! grep -q "beyond" err.txt || ((cpu_ms > 1000)); then
        fail "$what: refused in $cpu_ms ms of CPU time, expected a named limit within 1000 ms"
    fi
}
hostile() { /usr/bin/python3 "$script_dir/hostile_commitment.py" "$1" c1 "c1.$1"; }
hostile fft-padding && expect_quick_refusal "FFT convolution with padding 2048" \
    "$zkcnn" verify --commitment c1.fft-padding --statement t --proof p
hostile huge-window && expect_quick_refusal "max pooling over 256x256 windows" \
    "$zkcnn" verify --commitment c1.huge-window --statement t --proof p
expect 0 "a raised limit lets the padded convolution's cost through (then its proof is checked)" \
    not grep -q beyond <("$zkcnn" verify --commitment c1.fft-padding --statement t --proof p --max-memory 4096 2>&1)

echo "== rejections (exit 1)"
size=$(stat -c %s p)
for offset in $((header)) $((header + 100)) $((size / 2)) $((size - 1)); do
    flipped p p.bad "$offset"
    expect 1 "proof with byte $offset of $size changed" "$zkcnn" verify --commitment c1 --statement t --proof p.bad
done
# The statement: input count (4) and 32x32 inputs (8 bytes each), output count (4), 10 logits.
first_logit=$((header + 4 + 1024 * 8 + 4))
flipped t t.output "$first_logit"
expect 1 "statement with a changed logit" "$zkcnn" verify --commitment c1 --statement t.output --proof p
flipped t t.input $((header + 4 + 8 * 500))
expect 1 "statement with a changed input pixel" "$zkcnn" verify --commitment c1 --statement t.input --proof p
cp t t.class
set_byte t.class $((first_logit + 80)) $((($(byte t $((first_logit + 80))) + 1) % 10))
expect 1 "statement with another predicted class" "$zkcnn" verify --commitment c1 --statement t.class --proof p
expect 0 "prove test image 1" "$zkcnn" prove --secret s1 --commitment c1 --image 1 --out-proof p1 --out-statement t1 \
    --data "$data" --quiet
expect 1 "another image's statement" "$zkcnn" verify --commitment c1 --statement t1 --proof p
expect 0 "prove without zero knowledge" "$zkcnn" prove --secret s1 --commitment c1 --image 1 --no-zero-knowledge \
    --out-proof p1.plain --out-statement t1.plain --data "$data" --quiet
expect 0 "verify a proof without zero knowledge" "$zkcnn" verify --commitment c1 --statement t1.plain --proof p1.plain
expect 0 "verify --json: the default proof is zero-knowledge" grep -q '"zero_knowledge":true' \
    <("$zkcnn" verify --commitment c1 --statement t --proof p --json --quiet)
expect 0 "verify --json: the other is not" grep -q '"zero_knowledge":false' \
    <("$zkcnn" verify --commitment c1 --statement t1.plain --proof p1.plain --json --quiet)
expect 0 "the two modes prove the same statement" cmp -s t1 t1.plain
expect 0 "commit again" "$zkcnn" commit --model "$model" --data "$data" --out-commitment c2 --out-secret s2 --quiet
expect 0 "committing again gives another commitment (fresh blinds)" not cmp -s c1 c2
expect 1 "another commitment of the same model" "$zkcnn" verify --commitment c2 --statement t --proof p

echo "== bad input and bad usage (exit 2)"
expect 2 "a secret with another model's commitment" "$zkcnn" prove --secret s2 --commitment c1 --image 0 \
    --data "$data" --out-proof x --out-statement y
head -c 5000 c1 >c1.short
expect 2 "truncated commitment" "$zkcnn" verify --commitment c1.short --statement t --proof p
head -c $((size - 1)) p >p.short
expect 2 "truncated proof" "$zkcnn" verify --commitment c1 --statement t --proof p.short
head -c 100 t >t.short
expect 2 "truncated statement" "$zkcnn" verify --commitment c1 --statement t.short --proof p
head -c 300000 s1 >s1.short
expect 2 "truncated secret" "$zkcnn" prove --secret s1.short --commitment c1 --image 0 --data "$data" \
    --out-proof x --out-statement y
head -c 4096 /dev/urandom >garbage
: >empty
expect 2 "garbage commitment" "$zkcnn" verify --commitment garbage --statement t --proof p
expect 2 "garbage proof" "$zkcnn" verify --commitment c1 --statement t --proof garbage
expect 2 "empty statement" "$zkcnn" verify --commitment c1 --statement empty --proof p
expect 2 "garbage secret" "$zkcnn" prove --secret garbage --commitment c1 --image 0 --out-proof x --out-statement y
expect 2 "a statement given as the proof" "$zkcnn" verify --commitment c1 --statement t --proof t
cp c1 c1.version && set_byte c1.version 8 9
expect 2 "unknown commitment format version" "$zkcnn" verify --commitment c1.version --statement t --proof p
# The commitment's payload: backend (1), key size (4), architecture length (4), the
# architecture, ...
cp c1 c1.backend && set_byte c1.backend "$header" 9
expect 2 "a commitment of an unknown backend" "$zkcnn" verify --commitment c1.backend --statement t --proof p
said "the error names the backends" "backend 9 is none this tool knows \\(bn254-hyrax or goldilocks-hash\\)"
cp c1 c1.key && set_byte c1.key $((header + 4)) 1
expect 2 "a commitment asking for a huge key" "$zkcnn" verify --commitment c1.key --statement t --proof p
cp c1 c1.architecture && set_byte c1.architecture $((header + 9)) 7 # the architecture's format version
expect 2 "a corrupt architecture" "$zkcnn" inspect --commitment c1.architecture
# The last byte of the last row's point: its flags, set to "infinity" with more bits set.
cp c1 c1.point && set_byte c1.point $(($(stat -c %s c1) - 1)) 255
expect 2 "a commitment point that is no point" "$zkcnn" verify --commitment c1.point --statement t --proof p
expect 2 "the secret and the commitment written to one file" "$zkcnn" commit --model "$model" \
    --out-commitment same --out-secret ./same
expect 2 "missing file" "$zkcnn" verify --commitment nowhere --statement t --proof p
expect 2 "a directory" "$zkcnn" verify --commitment . --statement t --proof p
expect 2 "no command" "$zkcnn"
expect 2 "unknown command" "$zkcnn" accuracy
expect 2 "unknown option" "$zkcnn" verify --commitment c1 --statement t --proof p --fast
expect 2 "missing option" "$zkcnn" verify --commitment c1 --statement t
expect 2 "option without its value" "$zkcnn" verify --commitment c1 --statement t --proof
expect 2 "option given twice" "$zkcnn" verify --commitment c1 --commitment c1 --statement t --proof p
expect 2 "--threads 0" "$zkcnn" verify --commitment c1 --statement t --proof p --threads 0
expect 2 "--image and --input both" "$zkcnn" prove --secret s1 --commitment c1 --image 0 --input t \
    --out-proof x --out-statement y
expect 2 "an image past the test set" "$zkcnn" prove --secret s1 --commitment c1 --image 10000 --data "$data" \
    --out-proof x --out-statement y
echo "1 2 3" >short_input.txt
expect 2 "an input file of the wrong size" "$zkcnn" prove --secret s1 --commitment c1 --input short_input.txt \
    --out-proof x --out-statement y
expect 2 "an input file that is not integers" "$zkcnn" prove --secret s1 --commitment c1 --input t \
    --out-proof x --out-statement y
expect 2 "a model that is not ONNX" "$zkcnn" inspect --model c1 --data "$data"

echo "== accuracy over 8 test images"
expect 0 "accuracy-prove" "$zkcnn" accuracy-prove --secret s1 --commitment c1 --images 8 --first 0 --data "$data" \
    --out-proof ap --out-statement at --threads 1
expect 0 "accuracy-verify" "$zkcnn" accuracy-verify --commitment c1 --statement at --proof ap
expect 0 "accuracy-verify --json says verified" grep -q '"verified":true' \
    <("$zkcnn" accuracy-verify --commitment c1 --statement at --proof ap --json --quiet)
hostile wide-argmax && expect_quick_refusal "accuracy over 2^24 classes, from a hostile commitment" \
    "$zkcnn" accuracy-verify --commitment c1.wide-argmax --statement at --proof ap
# The accuracy statement: sample count (4), 8 samples of a count (4) and 32x32 inputs (8 bytes
# each), label count (4), 8 labels (4 bytes each), the count k of correct samples (4).
sample_bytes=$((4 + 1024 * 8))
first_label=$((header + 4 + 8 * sample_bytes + 4))
count_offset=$((first_label + 8 * 4))
correct=$(byte at "$count_offset")
cp at at.count && set_byte at.count "$count_offset" $((correct < 8 ? correct + 1 : correct - 1))
expect 1 "accuracy statement claiming another count k" "$zkcnn" accuracy-verify --commitment c1 --statement at.count \
    --proof ap
cp at at.label && set_byte at.label "$first_label" $((($(byte at "$first_label") + 1) % 10))
expect 1 "accuracy statement with a changed label" "$zkcnn" accuracy-verify --commitment c1 --statement at.label \
    --proof ap
flipped at at.sample $((header + 4 + 3 * sample_bytes + 4 + 8 * 500))
expect 1 "accuracy statement with a changed sample pixel" "$zkcnn" accuracy-verify --commitment c1 \
    --statement at.sample --proof ap
size=$(stat -c %s ap)
for offset in $((header + 50)) $((size / 2)) $((size - 1)); do
    flipped ap ap.bad "$offset"
    expect 1 "accuracy proof with byte $offset of $size changed" "$zkcnn" accuracy-verify --commitment c1 \
        --statement at --proof ap.bad
done
expect 1 "accuracy proof against another commitment" "$zkcnn" accuracy-verify --commitment c2 --statement at --proof ap
expect 1 "a prediction proof as the accuracy proof" "$zkcnn" accuracy-verify --commitment c1 --statement at --proof p
head -c 1000 at >at.short
expect 2 "truncated accuracy statement" "$zkcnn" accuracy-verify --commitment c1 --statement at.short --proof ap
expect 2 "empty accuracy statement" "$zkcnn" accuracy-verify --commitment c1 --statement empty --proof ap
expect 2 "garbage accuracy statement" "$zkcnn" accuracy-verify --commitment c1 --statement garbage --proof ap
expect 2 "a prediction statement as the accuracy statement" "$zkcnn" accuracy-verify --commitment c1 --statement t \
    --proof ap
expect 2 "an accuracy statement as the prediction statement" "$zkcnn" verify --commitment c1 --statement at --proof p
cp at at.none && set_byte at.none "$header" 0
expect 2 "accuracy statement of no samples" "$zkcnn" accuracy-verify --commitment c1 --statement at.none --proof ap
cp at at.many && set_u32 at.many "$header" 4294967295
expect 2 "accuracy statement claiming 2^32-1 samples" "$zkcnn" accuracy-verify --commitment c1 --statement at.many \
    --proof ap

echo "== accuracy over 10 test images in shards"
expect 0 "accuracy-prove in shards of at most 4" "$zkcnn" accuracy-prove --secret s1 --commitment c1 --images 10 \
    --data "$data" --shard-size 4 --out-proof sp --out-statement st --threads 1
said "three shards of 4, 3 and 3 samples" "3 shard proofs"
expect 0 "accuracy-verify of the shards on the same images" "$zkcnn" accuracy-verify --commitment c1 --statement st \
    --proof sp --images 10 --data "$data"
said "it counts over the 10 samples" "classifies [0-9]+ of these 10 samples"
expect 1 "shards verified on other images" "$zkcnn" accuracy-verify --commitment c1 --statement st --proof sp \
    --images 10 --first 1 --data "$data"
expect 2 "shards verified without their data" "$zkcnn" accuracy-verify --commitment c1 --statement st --proof sp
said "the error asks for the data" "names its data by digest only"
expect 2 "shards verified on more images than they cover" "$zkcnn" accuracy-verify --commitment c1 --statement st \
    --proof sp --images 11 --data "$data"
said "the error gives both counts" "about 10 samples, the data given holds 11"
# The sharded statement: digest (32), N (8), shard count (4), per shard first, count and correct
# (8 each), the total k (8).
shards_at=$((header + 32 + 8 + 4))
total_at=$((shards_at + 3 * 24))
k=$(byte st "$total_at")
k0=$(byte st $((shards_at + 16)))
cp st st.total && set_byte st.total "$total_at" $((k < 10 ? k + 1 : k - 1))
expect 1 "sharded statement with another total" "$zkcnn" accuracy-verify --commitment c1 --statement st.total \
    --proof sp --images 10 --data "$data"
cp st st.count && set_byte st.count $((shards_at + 16)) $((k0 < 4 ? k0 + 1 : k0 - 1)) &&
    set_byte st.count "$total_at" $((k0 < 4 ? k + 1 : k - 1))
expect 1 "sharded statement with a shard's count and the total changed together" "$zkcnn" accuracy-verify \
    --commitment c1 --statement st.count --proof sp --images 10 --data "$data"
cp st st.gap && set_byte st.gap $((shards_at + 24)) 5
expect 1 "sharded statement whose second shard starts late" "$zkcnn" accuracy-verify --commitment c1 \
    --statement st.gap --proof sp --images 10 --data "$data"
said "the reason names the gap" "shard 1 starts at sample 5, not 4"
flipped st st.digest $((header + 3))
expect 1 "sharded statement with another data digest" "$zkcnn" accuracy-verify --commitment c1 --statement st.digest \
    --proof sp --images 10 --data "$data"
size=$(stat -c %s sp)
flipped sp sp.bad $((size / 2))
expect 1 "sharded proof with a byte changed" "$zkcnn" accuracy-verify --commitment c1 --statement st --proof sp.bad \
    --images 10 --data "$data"
expect 2 "one accuracy proof as the sharded proof" "$zkcnn" accuracy-verify --commitment c1 --statement st --proof ap \
    --images 10 --data "$data"
head -c 60 st >st.short
expect 2 "truncated sharded statement" "$zkcnn" accuracy-verify --commitment c1 --statement st.short --proof sp \
    --images 10 --data "$data"
expect 0 "a memory budget asks for shards" "$zkcnn" accuracy-prove --secret s1 --commitment c1 --images 3 \
    --data "$data" --memory-budget 1 --out-proof sp1 --out-statement st1 --threads 1
said "one shard fits 1 GiB" "1 shard proof,"
cp at at.labels && set_byte at.labels $((first_label - 4)) 7
expect 2 "accuracy statement of 7 labels for 8 samples" "$zkcnn" accuracy-verify --commitment c1 \
    --statement at.labels --proof ap
cp at at.k && set_byte at.k "$count_offset" 9
expect 2 "accuracy statement of 9 correct of 8" "$zkcnn" accuracy-verify --commitment c1 --statement at.k --proof ap
cp at at.class && set_byte at.class "$first_label" 10
expect 2 "accuracy statement with label 10 of 10 classes" "$zkcnn" accuracy-verify --commitment c1 \
    --statement at.class --proof ap
# The last sample without its last value: its count and the payload length say so.
{ head -c $((first_label - 4 - 8)) at && tail -c +$((first_label - 4 + 1)) at; } >at.width
set_u32 at.width $((header + 4 + 7 * sample_bytes)) 1023
set_u32 at.width $((header - 4)) $(($(u32 at $((header - 4))) - 8))
expect 2 "accuracy statement with a sample of the wrong size" "$zkcnn" accuracy-verify --commitment c1 \
    --statement at.width --proof ap
cp at at.trailing && printf x >>at.trailing
expect 2 "accuracy statement with a trailing byte" "$zkcnn" accuracy-verify --commitment c1 --statement at.trailing \
    --proof ap
expect 2 "accuracy-prove without --images" "$zkcnn" accuracy-prove --secret s1 --commitment c1 --data "$data" \
    --out-proof x --out-statement y
expect 2 "accuracy-prove on 0 images" "$zkcnn" accuracy-prove --secret s1 --commitment c1 --images 0 --data "$data" \
    --out-proof x --out-statement y
expect 2 "accuracy-prove past the test set" "$zkcnn" accuracy-prove --secret s1 --commitment c1 --images 2 \
    --first 9999 --data "$data" --out-proof x --out-statement y
expect 2 "accuracy-prove in shards larger than the largest key allows" "$zkcnn" accuracy-prove --secret s1 \
    --commitment c1 --images 5000 --shard-size 5000 --data "$data" --out-proof x --out-statement y
said "the error names the key" "generators, more than the 2\\^16"
expect 2 "accuracy-prove with another commitment's secret" "$zkcnn" accuracy-prove --secret s2 --commitment c1 \
    --images 2 --data "$data" --out-proof x --out-statement y

echo "== the hash-based backend (goldilocks-hash)"
expect 0 "commit with --backend goldilocks-hash --proofs 4" "$zkcnn" commit --model "$model" --data "$data" \
    --backend goldilocks-hash --proofs 4 --out-commitment h1 --out-secret hs1 --quiet
said "it hides 4 proofs" "goldilocks-hash: transparent, hides 4 proofs"
# The secret ends with the last salt, the proof count (8) and the commitment's digest (32).
flipped hs1 hs1.salt $(($(stat -c %s hs1) - 41))
expect 2 "a secret whose randomness does not make the commitment" "$zkcnn" prove --secret hs1.salt --commitment h1 \
    --image 0 --data "$data" --out-proof x --out-statement y
said "the error says why" "its randomness and weights encode to another Merkle root"
expect 0 "inspect names the backend" grep -q "goldilocks-hash, transparent (no key), hides 4 proofs" \
    <("$zkcnn" inspect --commitment h1)
expect 0 "prove test image 0" "$zkcnn" prove --secret hs1 --commitment h1 --image 0 --data "$data" \
    --out-proof hp --out-statement ht --threads 1
expect 0 "the same statement as with bn254-hyrax" cmp t ht
expect 0 "verify" "$zkcnn" verify --commitment h1 --statement ht --proof hp
size=$(stat -c %s hp)
for offset in $((header + 100)) $((size / 2)) $((size - 1)); do
    flipped hp hp.bad "$offset"
    expect 1 "proof with byte $offset of $size changed" "$zkcnn" verify --commitment h1 --statement ht --proof hp.bad
done
expect 1 "statement with a changed logit" "$zkcnn" verify --commitment h1 --statement t.output --proof hp
expect 1 "a bn254-hyrax proof against the goldilocks-hash commitment" "$zkcnn" verify --commitment h1 --statement t \
    --proof p
expect 1 "the goldilocks-hash proof against a bn254-hyrax commitment" "$zkcnn" verify --commitment c1 --statement ht \
    --proof hp
expect 2 "a bn254-hyrax secret with the goldilocks-hash commitment" "$zkcnn" prove --secret s1 --commitment h1 \
    --image 0 --data "$data" --out-proof x --out-statement y
said "the error says why" "the secret file does not belong to this commitment: it was made for another backend"
expect 0 "accuracy-prove over 4 images in 2 shards" "$zkcnn" accuracy-prove --secret hs1 --commitment h1 --images 4 \
    --data "$data" --shard-size 2 --out-proof hsp --out-statement hst --threads 1
expect 0 "accuracy-verify them" "$zkcnn" accuracy-verify --commitment h1 --statement hst --proof hsp --images 4 \
    --data "$data"
expect 2 "a fourth proof would exceed what the commitment hides" "$zkcnn" accuracy-prove --secret hs1 --commitment h1 \
    --images 4 --data "$data" --shard-size 2 --out-proof x --out-statement y
said "the error gives the count" "the commitment hides 4 proofs .*, 3 made so far: 2 more would reveal weights"
expect 0 "the last one" "$zkcnn" prove --secret hs1 --commitment h1 --image 1 --data "$data" --out-proof hp1 \
    --out-statement ht1 --quiet
expect 2 "then none" "$zkcnn" prove --secret hs1 --commitment h1 --image 2 --data "$data" --out-proof x \
    --out-statement y
said "commit again for more" "commit again, for more proofs"
expect 0 "nothing written by the refused proofs" not test -e x
expect 0 "a commitment for one proof" "$zkcnn" commit --model "$model" --data "$data" --backend goldilocks-hash \
    --proofs 1 --out-commitment h2 --out-secret hs2 --quiet
# Two provers at once on one secret take turns (a lock on the secret): one proves, one is refused.
for i in 1 2; do
    "$zkcnn" prove --secret hs2 --commitment h2 --image "$i" --data "$data" --out-proof "hp.race$i" \
        --out-statement "ht.race$i" --quiet >/dev/null 2>&1 &
done
wait
expect 0 "of two provers at once with one proof left, exactly one proves" test "$(ls hp.race* | wc -l)" = 1
expect 2 "--proofs beyond what the widest code hides" "$zkcnn" commit --model "$model" --data "$data" \
    --backend goldilocks-hash --proofs 100000 --out-commitment x --out-secret y
said "the error gives the range" "100000 proofs; a commitment hides 1 to [0-9]+"
expect 2 "--proofs with bn254-hyrax" "$zkcnn" commit --model "$model" --data "$data" --proofs 4 --out-commitment x \
    --out-secret y
expect 2 "an unknown backend" "$zkcnn" commit --model "$model" --data "$data" --backend bn254-ligero \
    --out-commitment x --out-secret y
said "the error lists the backends" "is none of bn254-hyrax or goldilocks-hash"

echo "== input from a file; help"
for ((i = 0; i < 1024; ++i)); do echo $((i % 7 * 40)); done >input.txt
expect 0 "prove on an input file" "$zkcnn" prove --secret s1 --commitment c1 --input input.txt \
    --out-proof p.file --out-statement t.file --quiet
expect 0 "verify it" "$zkcnn" verify --commitment c1 --statement t.file --proof p.file
expect 0 "prove, showing progress" "$zkcnn" prove --secret s1 --commitment c1 --input input.txt \
    --out-proof p.file --out-statement t.file
said "progress as plain lines when stderr is no terminal" "^proving: 100% \\([0-9.]+ s\\)$"
said "with the time left on the way" "^proving: [0-9]+% \\([0-9.]+ s, about [0-9]+ s left\\)$"

echo "== readable statements and logits"
predicted=$("$zkcnn" verify --commitment c1 --statement t --proof p --json --quiet | grep -o '"predicted_class":[0-9]*')
expect 0 "inspect a prediction statement" "$zkcnn" inspect --statement t --commitment c1 --proof p
said "it shows the logits as real numbers, with their scale" '^logits: .*\(integers at scale 2\^-?[0-9]+\)'
said "and the predicted class" "^predicted class: ${predicted#*:}\$"
expect 0 "inspect --json gives the logits and their scale" grep -q '"output_scale_bits":.*"logits":\[' \
    <("$zkcnn" inspect --statement t --commitment c1 --json --quiet)
expect 0 "without the commitment, the integers" grep -q "^output: .*--commitment gives their scale" \
    <("$zkcnn" inspect --statement t)
expect 0 "verify --json shows the logits" grep -q '"logits":\[' \
    <("$zkcnn" verify --commitment c1 --statement t --proof p --json --quiet)
expect 0 "inspect an accuracy statement" grep -q "classified as labelled" <("$zkcnn" inspect --statement at)
expect 0 "inspect a sharded accuracy statement with its proof" "$zkcnn" inspect --statement st --proof sp
said "it lists the shards" "samples 4 to 6: [0-9] of 3"
said "and the proofs' mode" "zero-knowledge proof"
expect 2 "inspect a sharded statement with one accuracy proof" "$zkcnn" inspect --statement st --proof ap
expect 2 "inspect a file that is no statement" "$zkcnn" inspect --statement c1
said "the error says so" "neither a prediction nor an accuracy statement"

echo "== data from NumPy .npy and IDX files"
npy() { /usr/bin/python3 "$script_dir/idx_to_npy.py" "$@"; }
npy "$data/t10k-images-idx3-ubyte.gz" image0.npy --first 0 --count 1 --border 2 --float --one
expect 0 "prove on a float .npy input" "$zkcnn" prove --secret s1 --commitment c1 --input image0.npy \
    --out-proof p.npy --out-statement t.npy --quiet
expect 0 "it quantizes as the data set path does: the statement of test image 0" cmp t t.npy
expect 0 "verify it" "$zkcnn" verify --commitment c1 --statement t.npy --proof p.npy
tail -c 4096 image0.npy >image0.f32  # the 1024 float32 values after the header
expect 0 "prove on a raw float32 input" "$zkcnn" prove --secret s1 --commitment c1 --input image0.f32 \
    --out-proof p.f32 --out-statement t.f32 --quiet
expect 0 "the same statement" cmp t t.f32
head -c 4000 image0.f32 >short.f32
expect 2 "a raw float32 input of the wrong size" "$zkcnn" prove --secret s1 --commitment c1 --input short.f32 \
    --out-proof x --out-statement y
said "the error gives the sizes" "4000 bytes are not a whole number of 1x32x32 float32 inputs \\(4096 bytes each\\)"
npy "$data/t10k-images-idx3-ubyte.gz" image0.u8.npy --first 0 --count 1 --border 2
expect 0 "a uint8 .npy input is pixels, divided by 255" "$zkcnn" prove --secret s1 --commitment c1 \
    --input image0.u8.npy --out-proof p.u8 --out-statement t.u8 --quiet
expect 0 "the same statement" cmp t t.u8
npy "$data/t10k-images-idx3-ubyte.gz" image0.unpadded.npy --first 0 --count 1 --float --one
expect 2 "a .npy input of the wrong shape" "$zkcnn" prove --secret s1 --commitment c1 \
    --input image0.unpadded.npy --out-proof x --out-statement y
said "the error gives both shapes" "shape is 1x28x28; the model takes 1x32x32"
printf '0.0 0.5\n' >input.floats.txt
expect 2 "a text input of floats" "$zkcnn" prove --secret s1 --commitment c1 --input input.floats.txt \
    --out-proof x --out-statement y
said "the error says where floats go" "give float inputs as a .npy or .f32 file"
for ((i = 0; i < 1024; ++i)); do echo $((i % 7 * 40 * 256)); done >input.scaled.txt
expect 2 "an input file at 256 times the model's scale" "$zkcnn" prove --secret s1 --commitment c1 \
    --input input.scaled.txt --out-proof x --out-statement y
said "the error asks about the input's scale" "is --input at the model's input scale\\?"
npy "$data/t10k-images-idx3-ubyte.gz" two.npy --first 0 --count 2 --border 2 --float
expect 2 "a .npy batch where one input is expected" "$zkcnn" prove --secret s1 --commitment c1 \
    --input two.npy --out-proof x --out-statement y
npy "$data/train-images-idx3-ubyte.gz" calibration.npy --first 0 --count 1000 --border 2
expect 0 "commit, calibrated on a .npy file" "$zkcnn" commit --model "$model" --calibration-data calibration.npy \
    --out-commitment c.npy --out-secret s.npy
said "calibration shows its progress" "^calibrating: 100% \\([0-9.]+ s\\)$"
expect 0 "the same quantization as on Fashion-MNIST's first 1000 training images" cmp \
    <("$zkcnn" inspect --commitment c1 --json --quiet | grep -o '"layers".*') \
    <("$zkcnn" inspect --commitment c.npy --json --quiet | grep -o '"layers".*')
expect 0 "commit, calibrated on 100 IDX images" "$zkcnn" commit --model "$model" --calibration 100 \
    --calibration-data "$data/train-images-idx3-ubyte.gz" --out-commitment c.idx --out-secret s.idx --quiet
expect 0 "prove and verify with it" "$zkcnn" prove --secret s.idx --commitment c.idx --input image0.npy \
    --out-proof p.idx --out-statement t.idx --quiet
expect 0 "verify it" "$zkcnn" verify --commitment c.idx --statement t.idx --proof p.idx
npy "$data/t10k-images-idx3-ubyte.gz" eight.npy --first 0 --count 8 --border 2 --float
npy "$data/t10k-labels-idx1-ubyte.gz" eight.labels.npy --first 0 --count 8
expect 0 "accuracy-prove on .npy samples and labels" "$zkcnn" accuracy-prove --secret s1 --commitment c1 \
    --samples eight.npy --labels eight.labels.npy --out-proof ap.npy --out-statement at.npy --quiet
expect 0 "the statement of test images 0 to 7" cmp at at.npy
expect 0 "accuracy-verify it" "$zkcnn" accuracy-verify --commitment c1 --statement at.npy --proof ap.npy
expect 2 "the whole test set's labels for 8 samples" "$zkcnn" accuracy-prove --secret s1 --commitment c1 \
    --samples eight.npy --labels "$data/t10k-labels-idx1-ubyte.gz" --out-proof x --out-statement y
said "the error counts both" "10000 labels for 8 samples"
head -c 100 calibration.npy >truncated.npy
expect 2 "a truncated calibration file" "$zkcnn" commit --model "$model" --calibration-data truncated.npy \
    --out-commitment x --out-secret y
said "the error says why" "truncated header|needs .* bytes"

for command in commit prove verify accuracy-prove accuracy-verify inspect; do
    expect 0 "$command --help" "$zkcnn" "$command" --help
done
expect 0 "--help" "$zkcnn" --help

summary
