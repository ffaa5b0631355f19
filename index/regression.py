"""Logistic regression by Newton's method, L2-penalised: what the refusal model and the
reranker are fitted with."""

from __future__ import annotations

import numpy as np


def fit_logistic(x: np.ndarray, labels: np.ndarray, l2: float, *,
                 free_first: bool = False) -> np.ndarray:
    """The coefficients over the columns of ``x`` for 0/1 ``labels``; with ``free_first`` the
    first column (a bias of ones) is not shrunk."""
    beta = np.zeros(x.shape[1])
    penalty = np.eye(x.shape[1]) * l2
    if free_first:
        penalty[0, 0] = 0.0
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ beta, -60, 60)))
        gradient = x.T @ (p - labels) + penalty @ beta
        hessian = (x * (p * (1 - p))[:, None]).T @ x + penalty
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return beta
