"""The walkthrough: a run shown step by step, phase by phase, with its arithmetic.

``plan``         which frames show which step and phase, their numbers, the transcript
``updates``      each optimiser's update as equations, replayed from the History
``numbers``      how the strips round and write numbers and parameter names
``strip``        the equation strip, and ``--explain``'s strip for other views
``graph_panel``  the computation graph as coloured boxes and labelled edges
``panels``       the data table, the training log and the chart

The view itself is ``gdanim.views.walkthrough``.
"""
from .plan import MAX_FEATURES, PHASES, Frame, Walkthrough, check_model, check_objective, default_detail, parse_detail

__all__ = ["MAX_FEATURES", "PHASES", "Frame", "Walkthrough", "check_model", "check_objective", "default_detail",
           "parse_detail"]
