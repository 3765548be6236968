"""Primality testing shared by the independent Python references that generate the known-answer
vectors (tests/field/generate_field_vectors.py, tests/ec/generate_curve_vectors.py)."""
import random

SMALL_PRIMES = [q for q in range(2, 400) if all(q % d for d in range(2, int(q ** 0.5) + 1))]


def is_probable_prime(n: int) -> bool:
    """Miller-Rabin with all primes < 400 as bases plus 32 pseudo-random bases."""
    if n < 2:
        return False
    for q in SMALL_PRIMES:
        if n % q == 0:
            return n == q
    d, r = n - 1, 0
    while d % 2 == 0:
        d //= 2
        r += 1
    rng = random.Random(n)
    for a in SMALL_PRIMES + [rng.randrange(2, n - 1) for _ in range(32)]:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True
