"""What-if sweeps: one experiment over a grid of settings and several seeds, in parallel, resumable.

A *setting* gives values to a few config paths (``contenders[1].policy.every``,
``stream.drifts[0].width``, ``evaluation.label_delay``; :func:`lab.spec.experiment.set_path`
syntax). The
grid is the Cartesian product of the value lists, and every setting runs with the seeds
``seed + k`` for ``k`` in ``range(seeds)``. One *task* is one (setting, seed): validate the config,
:func:`lab.race.engine.run_race`, :func:`lab.race.metrics.summarise`. Tasks are independent and
seeded, so
the numbers are the same whoever runs them (in this process, joblib worker processes or a Dask
cluster) -- all but ``train_cpu_s``, which is measured.

Resume: each finished task is stored as ``OUT/runs/<key>.json`` the moment it completes (written
to a temporary file, then renamed), where ``<key>`` hashes the task's normalised config, seed
included. Running the same sweep again reuses the stored tasks and runs only the missing ones; a
sweep of a different config has different keys, so nothing is reused by mistake, and a record
made with other library versions is run again.

Outputs (``docs/outputs.md``): ``sweep.csv`` (one row per setting, seed and contender:
``setting``, the
varied paths, ``seed``, ``contender``, ``status``, the summary figures, ``error``),
``sweep_summary.csv`` (per setting and contender: mean and 95 % Student-t confidence interval over
seeds, the cost ledger's included) and ``sweep.json`` (base config, grid, seeds, task keys); with
``--target``, ``answer.json``.

The package, one concern per module (each imports only the ones above it in this list):

- :mod:`lab.sweep.grammar` -- the ``--vary PATH=V1,V2,...`` value grammar (:func:`parse_vary`);
- :mod:`lab.sweep.cost` -- the time-estimate model (also used by :mod:`lab.budget`);
- :mod:`lab.sweep.store` -- the task store ``runs/`` and atomic writes;
- :mod:`lab.sweep.plan` -- the validated grid: settings, tasks and their keys (:func:`plan_sweep`);
- :mod:`lab.sweep.stats` -- the tables: rows, means and confidence intervals, the Pareto front;
- :mod:`lab.sweep.answer` -- the answer: settings ranked by cost, the cheapest that keeps a score
  above a target (:func:`answer_sweep`; ``python -m lab sweep --target``, ``answer.json``);
- :mod:`lab.sweep.executors` -- running the tasks here, on joblib workers or on Dask
  (:func:`run_sweep`).

The app calls :func:`plan_sweep`, :meth:`SweepPlan.estimate_seconds`, :func:`run_sweep`,
:func:`summarise_sweep`, :func:`pareto_front` and :func:`sweep_files`; the CLI
(``python -m lab sweep``) does the same.

>>> from lab.presets import load_preset
>>> from lab.sweep.grammar import parse_vary
>>> from lab.sweep.plan import plan_sweep
>>> exp = load_preset("stable").with_overrides({"stream.n_samples": 3000})
>>> plan = plan_sweep(exp, {"contenders[1].policy.every": [500, 1000]}, seeds=2)
>>> plan.n_runs, [s.values for s in plan.settings]
(4, [{'contenders[1].policy.every': 500}, {'contenders[1].policy.every': 1000}])
>>> parse_vary('contenders[1].policy.data=all,window')
('contenders[1].policy.data', ['all', 'window'])
"""
