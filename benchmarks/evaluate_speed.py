"""model.evaluate on cases drawn from the model, beside the same metrics by scikit-learn alone.

    python benchmarks/evaluate_speed.py [--rows N] [--n-boot N] [--missing RATE]

"sklearn only" is what an analyst would write by hand for the same point metrics: one
posterior_batch, then for each cause brier_score_loss, log_loss, roc_auc_score, roc_curve and
calibration_curve, and confusion_matrix of the most likely cause (no intervals). evaluate is
timed without intervals (the same work plus the tables) and with n_boot bootstrap resamples.
scikit-learn is imported before the clocks start. One run each (the machine is shared; rerun
for a spread).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from _common import machine

import gluteal_bn as gb


def sklearn_only(model: gb.DiagnosticModel, cases: pd.DataFrame) -> None:
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import (
        brier_score_loss,
        confusion_matrix,
        log_loss,
        roc_auc_score,
        roc_curve,
    )

    causes = list(model.causes)
    posterior = model.posterior_batch(cases.drop(columns=causes))
    truth = (cases[causes] == "yes").to_numpy()
    for k, cause in enumerate(causes):
        y, p = truth[:, k], posterior[cause].to_numpy()
        brier_score_loss(y, p)
        log_loss(y, p, labels=[0, 1])
        roc_auc_score(y, p)
        roc_curve(y, p)
        calibration_curve(y, p, n_bins=10)
    count = truth.sum(axis=1)
    label = np.where(count == 1, truth.argmax(axis=1), len(causes) + (count == 0))
    confusion_matrix(label, posterior.to_numpy().argmax(axis=1))


def seconds(function, *args, **kwargs) -> float:
    start = time.perf_counter()
    function(*args, **kwargs)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--n-boot", type=int, default=200)
    parser.add_argument("--missing", type=float, default=0.0, help="share of blank evidence")
    args = parser.parse_args()

    import sklearn.metrics  # noqa: F401  (its import, about 2 s, is not what we measure)

    model = gb.load_model()
    start = time.perf_counter()
    cases = model.sample_cases(args.rows, seed=1, missing=args.missing)
    drawn = time.perf_counter() - start
    causes = list(model.causes)
    print(
        f"evaluate, {args.rows:,} cases drawn from the model, {args.missing:.0%} of the "
        f"evidence blank ({machine()})"
    )
    print(f"  sample_cases                          {drawn:7.2f} s")
    baseline = seconds(sklearn_only, model, cases)
    plain = seconds(model.evaluate, cases, causes, n_boot=0)
    boot = seconds(model.evaluate, cases, causes, n_boot=args.n_boot, seed=1)
    print(f"  sklearn only (same point metrics)     {baseline:7.2f} s")
    print(f"  evaluate, n_boot=0                    {plain:7.2f} s  ({plain / baseline:.2f}x)")
    print(
        f"  evaluate, n_boot={args.n_boot:<5}                {boot:7.2f} s  "
        f"({boot / baseline:.2f}x; intervals for 5 metrics x 5 causes and the accuracy)"
    )


if __name__ == "__main__":
    main()
