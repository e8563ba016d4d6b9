"""Explorers: walk every path a customer could take (IVR, chat, web) or read a flow export, and map it."""

from .map import ENDS, ExploreMap, Finding, MapEdge, MapNode

__all__ = ["ENDS", "ExploreMap", "Finding", "MapEdge", "MapNode"]
