"""Lessons: guided scenarios that teach batch vs online learning, each backed by its own evidence.

A lesson is a preset config plus the words a teacher would say over it, and one **claim** that
the lab checks on the numbers of the run; when a user changes the settings so that the claim no
longer holds, the check says so with the actual numbers: a lesson never pretends.

The package, one concern per module (each imports only the ones above it in this list):

- :mod:`lab.lessons.gradient`, :mod:`lab.lessons.kmeans` -- the two lessons that are not races
  (lesson 10: full batch, mini-batch and SGD; lesson 11: batch vs online k-means);
- :mod:`lab.lessons.wording` -- a run's settings in words, for the verdicts (a verdict names
  the settings of the run it judges, read from its config);
- :mod:`lab.lessons.checks` -- :class:`ClaimCheck` and the claim / "try this" checks, which read
  only a run's summary dict (:func:`check_claim`, :func:`check_try`);
- :mod:`lab.lessons.checks_field`, :mod:`lab.lessons.catalogue_field` -- lessons 12-15 (virtual
  vs real drift, adaptive vs incremental, class-prior drift, the no-change baseline on Elec2);
- :mod:`lab.lessons.checks_economics`, :mod:`lab.lessons.catalogue_economics` -- lesson 16
  (how often to retrain: one stream priced two ways, and the best schedule in hindsight);
- :mod:`lab.lessons.catalogue` -- the :class:`Lesson` record and :data:`LESSONS`;
- :mod:`lab.lessons.runner` -- configs, :func:`run_lesson`, decision-boundary moments and
  :func:`lesson_figures`.

The command line is ``python -m lab lesson list | show KEY | run KEY`` (``lessons`` works too;
:mod:`lab.cli`;
``python -m lab.lessons ...`` does the same).

>>> from lab.lessons.catalogue import LESSONS
>>> from lab.lessons.checks import check_claim
>>> [lesson.number for lesson in LESSONS.values()]
[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]
>>> check_claim(LESSONS["lesson-stable"], {"contenders": []}).holds
False
"""
