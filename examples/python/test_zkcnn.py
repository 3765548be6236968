"""The Python module on the shipped LeNet-5 and Fashion-MNIST: import, commit, prove, verify,
the tool's files both ways, rejections, bad input, and the GIL released while proving; the
shipped residual network's predictions and accuracy.

Run by ctest (python.pytest) with PYTHONPATH at the built module, ZKCNN_MODELS_DIR at
examples/models and ZKCNN_CLI at the command-line tool.
"""

import os
import platform
import stat
import subprocess
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import zkcnn

MODEL = Path(os.environ.get("ZKCNN_MODELS_DIR", "examples/models")) / "lenet5_fashion_mnist.onnx"
RESIDUAL_MODEL = MODEL.with_name("resnet_fashion_mnist.onnx")
RGB_MODEL = Path(os.environ.get("ZKCNN_OPERATOR_MODELS_DIR", "tests/onnx/data/operators")) / "rgb_classifier.onnx"
DATA = Path("/usr/share/datasets/fashion-mnist")

pytestmark = pytest.mark.skipif(not (DATA / "t10k-images-idx3-ubyte.gz").exists(),
                                reason="Fashion-MNIST (Debian's dataset-fashion-mnist) is not installed")


@pytest.fixture(scope="module")
def committed():
    calibration, _ = zkcnn.fashion_mnist("train", (1, 32, 32), count=200)
    model = zkcnn.import_onnx(MODEL, calibration)
    commitment, secret = zkcnn.commit(model)
    return model, commitment, secret


@pytest.fixture(scope="module")
def test_images():
    return zkcnn.fashion_mnist("test", (1, 32, 32), count=4)


@pytest.fixture(scope="module")
def prediction(committed, test_images):
    _, commitment, secret = committed
    images, _ = test_images
    return zkcnn.prove(secret, commitment, images[0])


def test_model_and_commitment_describe_the_import(committed):
    model, commitment, _ = committed
    assert model.name == commitment.model_name == "lenet5_fashion_mnist"
    assert model.input_shape == commitment.input_shape == (1, 32, 32)
    assert model.input_scale_bits == commitment.input_scale_bits == 8
    assert any(layer.startswith("conv2d") for layer in model.layers)
    assert len(commitment.digest) == 64


def test_a_prediction_verifies_and_reads_as_logits(committed, prediction):
    _, commitment, _ = committed
    assert prediction.proof.zero_knowledge
    assert prediction.predicted_class == int(np.argmax(prediction.output))
    np.testing.assert_allclose(prediction.logits, prediction.output / 2.0 ** commitment.output_scale_bits)
    np.testing.assert_allclose(commitment.logits(prediction.statement), prediction.logits)
    verdict = zkcnn.verify(commitment, prediction.statement, prediction.proof)
    assert verdict and verdict.accepted and verdict.reason == ""


def test_the_input_is_quantized_at_the_input_scale(committed, test_images, prediction):
    _, commitment, _ = committed
    images, _ = test_images
    quantized = zkcnn.quantize_input(commitment, images[0])
    np.testing.assert_array_equal(quantized, np.round(images[0].astype(np.float64).ravel() * 256).astype(np.int64))
    np.testing.assert_array_equal(prediction.statement.input, quantized)
    # Integers are taken as quantized already; uint8 pixels are divided by 255 first.
    np.testing.assert_array_equal(zkcnn.quantize_input(commitment, quantized), quantized)
    pixels = np.full((1, 32, 32), 255, dtype=np.uint8)
    assert (zkcnn.quantize_input(commitment, pixels) == 256).all()


def test_a_changed_output_or_proof_is_rejected(committed, prediction):
    _, commitment, _ = committed
    statement = prediction.statement
    output = statement.output.copy()
    output[prediction.predicted_class] += 1
    verdict = zkcnn.verify(commitment, zkcnn.Statement(statement.input, output, prediction.predicted_class),
                           prediction.proof)
    assert not verdict and verdict.reason
    other_input = statement.input.copy()
    other_input[500] += 1
    assert not zkcnn.verify(commitment, zkcnn.Statement(other_input, statement.output, prediction.predicted_class),
                            prediction.proof)
    other_class = (prediction.predicted_class + 1) % 10
    verdict = zkcnn.verify(commitment, zkcnn.Statement(statement.input, statement.output, other_class), prediction.proof)
    assert not verdict and "is not its largest output" in verdict.reason

    proof = bytearray(prediction.proof.to_bytes())
    proof[len(proof) // 2] ^= 1
    try:
        tampered = zkcnn.Proof.from_bytes(bytes(proof))
    except zkcnn.Error:
        return  # the flipped bit made the proof undecodable: rejected too
    assert not zkcnn.verify(commitment, statement, tampered)


def test_files_are_the_command_line_tools(committed, prediction, tmp_path):
    _, commitment, secret = committed
    commitment.save(tmp_path / "model.commitment")
    secret.save(tmp_path / "model.secret")
    prediction.statement.save(tmp_path / "prediction.statement")
    prediction.proof.save(tmp_path / "prediction.proof")
    assert stat.S_IMODE(os.stat(tmp_path / "model.secret").st_mode) == 0o600
    assert zkcnn.Commitment.load(tmp_path / "model.commitment").digest == commitment.digest
    assert zkcnn.Secret.load(tmp_path / "model.secret").model.name == "lenet5_fashion_mnist"
    assert zkcnn.Proof.load(tmp_path / "prediction.proof").to_bytes() == prediction.proof.to_bytes()

    cli = os.environ.get("ZKCNN_CLI")
    if cli:
        verified = subprocess.run([cli, "verify", "--commitment", tmp_path / "model.commitment", "--statement",
                                   tmp_path / "prediction.statement", "--proof", tmp_path / "prediction.proof"],
                                  capture_output=True, text=True)
        assert verified.returncode == 0, verified.stderr
        # And the other way: the tool proves with the module's secret, the module verifies.
        image = tmp_path / "image.npy"
        np.save(image, zkcnn.fashion_mnist("test", (1, 32, 32), first=7, count=1)[0][0])
        proved = subprocess.run([cli, "prove", "--quiet", "--secret", tmp_path / "model.secret", "--commitment",
                                 tmp_path / "model.commitment", "--input", image, "--out-proof", tmp_path / "cli.proof",
                                 "--out-statement", tmp_path / "cli.statement"], capture_output=True, text=True)
        assert proved.returncode == 0, proved.stderr
        assert zkcnn.verify(commitment, zkcnn.Statement.load(tmp_path / "cli.statement"),
                            zkcnn.Proof.load(tmp_path / "cli.proof"))


def test_accuracy_counts_the_predictions_that_match(committed, test_images):
    _, commitment, secret = committed
    images, labels = test_images
    proven = zkcnn.prove_accuracy(secret, commitment, images, labels)
    matches = sum(zkcnn.prove(secret, commitment, image).predicted_class == label
                  for image, label in zip(images, labels))
    assert matches == (secret.model.predict(images) == labels).sum()
    assert proven.samples == len(labels) and proven.correct == matches
    assert proven.accuracy == matches / len(labels)
    np.testing.assert_array_equal(proven.statement.labels, labels)
    assert proven.statement.samples.shape == (len(labels), 32 * 32)
    assert zkcnn.verify_accuracy(commitment, proven.statement, proven.proof)

    statement = proven.statement
    for changed in (zkcnn.AccuracyStatement(statement.samples, statement.labels, statement.correct + 1),
                    zkcnn.AccuracyStatement(statement.samples, (statement.labels + 1) % 10, statement.correct)):
        assert not zkcnn.verify_accuracy(commitment, changed, proven.proof)


def test_a_residual_network_proves_its_predictions_and_accuracy(test_images):
    calibration, _ = zkcnn.fashion_mnist("train", (1, 32, 32), count=200)
    model = zkcnn.import_onnx(RESIDUAL_MODEL, calibration)
    assert "add, reads layer 4 and layer 1" in model.layers
    commitment, secret = zkcnn.commit(model)
    images, labels = test_images
    prediction = zkcnn.prove(secret, commitment, images[0])
    assert prediction.predicted_class == secret.model.predict(images[:1])[0]
    assert zkcnn.verify(commitment, prediction.statement, prediction.proof)
    proven = zkcnn.prove_accuracy(secret, commitment, images, labels)
    assert proven.correct == (secret.model.predict(images) == labels).sum()
    assert zkcnn.verify_accuracy(commitment, proven.statement, proven.proof)


def test_bad_input_raises_an_error_that_names_it(committed):
    _, commitment, secret = committed
    with pytest.raises(zkcnn.Error, match=r"the array's shape is 28x28; the model takes 1x32x32"):
        zkcnn.prove(secret, commitment, np.zeros((28, 28), dtype=np.float32))
    with pytest.raises(zkcnn.Error, match=r"3 labels for 2 samples"):
        zkcnn.prove_accuracy(secret, commitment, np.zeros((2, 1, 32, 32)), np.array([1, 2, 3]))
    with pytest.raises(zkcnn.Error, match=r"dtype"):
        zkcnn.quantize_input(commitment, np.array(["a"] * 1024))
    with pytest.raises(zkcnn.Error, match=r"not a whole number of magnitude|exceed|finite"):
        zkcnn.quantize_input(commitment, np.full((1, 32, 32), np.inf))
    with pytest.raises(zkcnn.Error):
        zkcnn.Proof.from_bytes(b"not a proof")
    with pytest.raises(zkcnn.Error):
        zkcnn.Commitment.from_bytes(commitment.to_bytes()[:-1])
    assert isinstance(zkcnn.Error("x"), ValueError)


def test_proving_releases_the_gil(committed, test_images):
    _, commitment, secret = committed
    images, labels = test_images
    done = threading.Event()
    proven = []

    def prove():
        proven.append(zkcnn.prove_accuracy(secret, commitment, images, labels))
        done.set()

    # This thread runs Python all along: while the prover holds the GIL it cannot, and the
    # longest pause between two of its steps would be the whole proof.
    worker = threading.Thread(target=prove)
    longest_pause, last = 0.0, time.perf_counter()
    worker.start()
    while not done.is_set():
        now = time.perf_counter()
        longest_pause, last = max(longest_pause, now - last), now
    worker.join()
    assert longest_pause < proven[0].seconds / 2, (longest_pause, proven[0].seconds)


def test_a_three_channel_model_commits_and_proves_from_npy_files(tmp_path):
    """A 3x32x32 classifier, which Fashion-MNIST does not fit: calibration and input from .npy
    files with the tool, and from arrays with the module; each side verifies the other's proof."""
    rng = np.random.default_rng(3)
    calibration = rng.uniform(0, 1, size=(16, 3, 32, 32)).astype(np.float32)
    image = rng.uniform(0, 1, size=(3, 32, 32)).astype(np.float32)
    model = zkcnn.import_onnx(RGB_MODEL, calibration)
    assert model.input_shape == (3, 32, 32)
    commitment, secret = zkcnn.commit(model)
    prediction = zkcnn.prove(secret, commitment, image)
    assert zkcnn.verify(commitment, prediction.statement, prediction.proof)

    cli = os.environ.get("ZKCNN_CLI")
    if not cli:
        pytest.skip("ZKCNN_CLI does not name the command-line tool")
    np.save(tmp_path / "calibration.npy", calibration)
    np.save(tmp_path / "image.npy", image)
    files = {name: tmp_path / name for name in ("C", "S", "P", "T")}

    def run(*arguments):
        done = subprocess.run([cli, *map(str, arguments), "--quiet"], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    run("commit", "--model", RGB_MODEL, "--calibration-data", tmp_path / "calibration.npy",
        "--out-commitment", files["C"], "--out-secret", files["S"])
    run("prove", "--secret", files["S"], "--commitment", files["C"], "--input", tmp_path / "image.npy",
        "--out-proof", files["P"], "--out-statement", files["T"])
    run("verify", "--commitment", files["C"], "--statement", files["T"], "--proof", files["P"])
    shown = run("inspect", "--statement", files["T"], "--commitment", files["C"])
    assert "rgb_classifier" in shown
    # The tool quantized the same image as the module does, under its own commitment.
    tool_commitment = zkcnn.Commitment.load(files["C"])
    tool_statement = zkcnn.Statement.load(files["T"])
    np.testing.assert_array_equal(tool_statement.input, zkcnn.quantize_input(tool_commitment, image))
    assert zkcnn.verify(tool_commitment, tool_statement, zkcnn.Proof.load(files["P"]))
    assert not zkcnn.verify(commitment, tool_statement, zkcnn.Proof.load(files["P"]))


def test_the_hash_based_backend_counts_the_proofs_its_commitment_hides(committed, test_images, tmp_path):
    model, bn254_commitment, _ = committed
    images, labels = test_images
    commitment, secret = zkcnn.commit(model, backend="goldilocks-hash", proofs=2)
    assert commitment.backend == "goldilocks-hash" and bn254_commitment.backend == "bn254-hyrax"
    assert commitment.proof_budget == 2 and bn254_commitment.proof_budget is None
    prediction = zkcnn.prove(secret, commitment, images[0])
    assert zkcnn.verify(commitment, prediction.statement, prediction.proof)
    assert not zkcnn.verify(bn254_commitment, prediction.statement, prediction.proof)
    assert (secret.proofs_made, secret.proofs_left(commitment)) == (1, 1)
    secret.save(tmp_path / "model.secret")
    accuracy = zkcnn.prove_accuracy(secret, commitment, images, labels)
    assert zkcnn.verify_accuracy(commitment, accuracy.statement, accuracy.proof)
    with pytest.raises(zkcnn.Error, match="the commitment hides 2 proofs"):
        zkcnn.prove(secret, commitment, images[1])
    # A saved secret keeps its count.
    assert zkcnn.Secret.load(tmp_path / "model.secret").proofs_made == 1


def test_the_allocator_setting_is_taken_where_the_c_library_is_glibc():
    assert zkcnn.reuse_freed_memory() == (platform.libc_ver()[0] == "glibc")
