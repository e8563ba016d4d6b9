"""The core of a journey: its journal, clock, target, persona, phrases, detectors, scenario and index.

Depends only on the data model (`simsuite.model`, `simsuite.errors`); every channel builds on it.
"""
