"""A synthetic table with the character of scikit-learn's diabetes data (which tests may not download).

442 rows, ten features on very different scales (root mean squares from 1.6 to 192,
against 1 for the intercept's column of ones) with some strongly correlated pairs
(s1 and s2 at 0.99, s3 and s4 at -0.72, s4 and s5 at 0.44), and a noisy linear target.
Standardized, its Hessian has condition number 155; unscaled, gd at the default rate
diverges at once.
"""
import numpy as np

FEATURES = ("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6")


def diabetes_like(seed: int = 2024) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n = 442
    z = rng.standard_normal((n, 10))
    age = 48.5 + 13.1 * z[:, 0]
    sex = 1.0 + (rng.random(n) < 0.47)
    bmi = 26.4 + 4.4 * z[:, 1]
    bp = 94.6 + 13.8 * (0.4 * z[:, 1] + 0.92 * z[:, 2])
    s1 = 189.1 + 34.6 * z[:, 3]
    s2 = 115.4 + 30.4 * (0.985 * z[:, 3] + 0.173 * z[:, 4])
    s3 = 49.8 + 12.9 * z[:, 5]
    s4 = 4.07 + 1.29 * (-0.7 * z[:, 5] + 0.71 * z[:, 6])
    s5 = 4.64 + 0.52 * (0.6 * z[:, 6] + 0.8 * z[:, 7])
    s6 = 91.3 + 11.5 * (0.3 * z[:, 1] + 0.95 * z[:, 8])
    X = np.column_stack([age, sex, bmi, bp, s1, s2, s3, s4, s5, s6])
    w = np.array([0.1, -20.0, 5.5, 1.1, -0.8, 0.6, -0.5, 5.0, 60.0, 0.3])
    y = -300.0 + X @ w + 54.0 * z[:, 9]
    return X, y


def write_csv(path, X, y, names=FEATURES, target="progression", delimiter=","):
    lines = [delimiter.join([*names, target])]
    lines += [delimiter.join(repr(float(v)) for v in (*row, t)) for row, t in zip(X, y)]
    path.write_text("\n".join(lines) + "\n")
    return path
