"""The river flavour of :class:`lab.learners.base.Learner`: one ``dict`` at a time
(``predict_one`` / ``learn_one``), ``learn_many`` for a mini-batch where the model has it. The
registry's ``baseline.*`` models are river learners too."""

from __future__ import annotations

import numpy as np

from lab.learners.base import ActiveBudget, Learner, cpu_clock, wall_clock


class RiverLearner(Learner):
    """Drives a river classifier."""

    prediction_chunk = 0
    """river predicts per sample anyway, so scoring ahead would only waste work when a retrain
    lands."""

    def fit(self, stream, lo: int, hi: int, weights: np.ndarray | None = None):
        """A new model that learned samples ``[lo, hi)`` one by one (river has no batch fit)."""
        model = self.new()
        self.learn(model, stream, lo, hi, weights)
        return model

    def learn(self, model, stream, lo: int, hi: int, weights: np.ndarray | None = None) -> None:
        """``learn_one`` over the samples, in order."""
        if hi <= lo:
            return
        dicts = stream.dicts(lo, hi)
        ys = stream.y_list[lo:hi]
        learn = model.learn_one
        if weights is None:
            for x, y in zip(dicts, ys):
                learn(x, y)
        else:
            for x, y, w in zip(dicts, ys, weights.tolist()):
                learn(x, y, w=w)

    def learn_batch(self, model, stream, lo: int, hi: int) -> None:
        """``learn_many`` where the model has it, otherwise ``learn_one`` over the batch."""
        if hi <= lo:
            return
        if self.info.learn_many:
            model.learn_many(stream.frame(lo, hi), stream.series(lo, hi))
        else:
            self.learn(model, stream, lo, hi)

    def predict(self, model, stream, lo: int, hi: int) -> np.ndarray:
        """``predict_one`` per sample, as an object array (None where the model gave none)."""
        predict = model.predict_one
        return np.array([predict(x) for x in stream.dicts(lo, hi)], dtype=object)

    def correct(self, model, stream, lo: int, hi: int) -> np.ndarray:
        pred = self.predict(model, stream, lo, hi)
        return np.fromiter((p == y for p, y in zip(pred, stream.y_list[lo:hi])),
                           dtype=np.int8, count=hi - lo)

    def prequential(self, model, stream, lo: int, hi: int, lag: int, warmup: int
                    ) -> tuple[list, float]:
        """Predict, then learn, sample by sample. The CPU seconds returned are this stretch's
        process CPU time times the share of its wall time spent in ``learn_one``
        (``lab.policies.base`` says why)."""
        ys = stream.y_list
        predict, learn = model.predict_one, model.learn_one
        learn_lo = max(lo - lag, warmup)
        xs = stream.dicts(lo, hi)
        past = stream.dicts_uncached(learn_lo, max(hi - lag, warmup)) if lag else None
        out = []
        spent = 0.0
        cpu_start, wall_start = cpu_clock(), wall_clock()
        if lag == 0:
            # The hot loop of the lab: keep it as bare as river's own progressive_val_score.
            # It keeps the predictions, not ``prediction == y``: one numpy comparison afterwards
            # gives ``correct`` for the whole stretch.
            for i, x in enumerate(xs, lo):
                y = ys[i]
                out.append(predict(x))
                t0 = wall_clock()
                learn(x, y)
                spent += wall_clock() - t0
        else:
            for i, x in enumerate(xs, lo):
                out.append(predict(x))
                j = i - lag
                if j >= warmup:
                    t0 = wall_clock()
                    learn(past[j - learn_lo], ys[j])
                    spent += wall_clock() - t0
        wall, cpu = wall_clock() - wall_start, cpu_clock() - cpu_start
        return out, (cpu * min(1.0, spent / wall) if wall > 0 else 0.0)

    # -- labels on a schedule (lab.policies.label_plan)
    def _dicts_at(self, stream, rows: np.ndarray) -> list[dict]:
        names = stream.feature_names
        return [dict(zip(names, row)) for row in stream.X[rows].tolist()]

    def fit_rows(self, stream, rows: np.ndarray, weights: np.ndarray | None = None):
        """A new model that learned the samples ``rows`` one by one."""
        model = self.new()
        ys = stream.y[rows].tolist()
        if weights is None:
            for x, y in zip(self._dicts_at(stream, rows), ys):
                model.learn_one(x, y)
        else:
            for x, y, w in zip(self._dicts_at(stream, rows), ys, weights.tolist()):
                model.learn_one(x, y, w=w)
        return model

    def learn_rows(self, model, stream, rows: np.ndarray) -> None:
        for x, y in zip(self._dicts_at(stream, rows), stream.y[rows].tolist()):
            model.learn_one(x, y)

    def learn_batch_rows(self, model, stream, rows: np.ndarray) -> None:
        if len(rows) == 0:
            return
        if self.info.learn_many:
            import pandas as pd

            index = np.asarray(rows)
            model.learn_many(pd.DataFrame(stream.X[rows], columns=stream.feature_names,
                                          index=index),
                             pd.Series(stream.y[rows], index=index))
        else:
            self.learn_rows(model, stream, rows)

    def prequential_plan(self, model, stream, lo: int, hi: int, steps: np.ndarray,
                         samples: np.ndarray) -> tuple[list, float]:
        """``predict_one``, then ``learn_one`` of each label that arrived; CPU apportioned as in
        :meth:`prequential`."""
        predict, learn = model.predict_one, model.learn_one
        xs = stream.dicts(lo, hi)
        past = self._dicts_at(stream, samples)
        ys = stream.y[samples].tolist()
        out = []
        spent = 0.0
        k, m = 0, len(steps)
        steps = steps.tolist()
        cpu_start, wall_start = cpu_clock(), wall_clock()
        for i, x in enumerate(xs, lo):
            out.append(predict(x))
            while k < m and steps[k] == i:
                t0 = wall_clock()
                learn(past[k], ys[k])
                spent += wall_clock() - t0
                k += 1
        wall, cpu = wall_clock() - wall_start, cpu_clock() - cpu_start
        return out, (cpu * min(1.0, spent / wall) if wall > 0 else 0.0)

    def prequential_active(self, model, stream, lo: int, hi: int, budget: ActiveBudget
                           ) -> tuple[list, tuple[list[int], list[int]], float]:
        """Test then train where the contender chooses its labels (the uncertainty strategy,
        :class:`lab.learners.base.ActiveBudget`): predict sample ``i``, let river's sampler
        decide whether its label is bought, then learn the bought labels that arrive now.
        Returns the predictions, ``(steps, samples)`` learned (sample ``samples[k]`` right after
        predicting sample ``steps[k]``) and the learning CPU seconds."""
        predict, learn = model.predict_one, model.learn_one
        ask_for = budget.sampler.predict_proba_one
        xs = stream.dicts(lo, hi)
        ys = stream.y_list
        out, steps, learned = [], [], []
        spent = 0.0
        cpu_start, wall_start = cpu_clock(), wall_clock()
        for i, x in enumerate(xs, lo):
            out.append(predict(x))
            budget.consider(i, ask_for(x)[1])
            due = budget.due(i)
            if due:
                rows = np.asarray(due, dtype=np.int64)
                for j, xj in zip(due, self._dicts_at(stream, rows)):
                    t0 = wall_clock()
                    learn(xj, ys[j])
                    spent += wall_clock() - t0
                learned.extend(due)
                steps.extend([i] * len(due))
        wall, cpu = wall_clock() - wall_start, cpu_clock() - cpu_start
        return out, (steps, learned), (cpu * min(1.0, spent / wall) if wall > 0 else 0.0)
