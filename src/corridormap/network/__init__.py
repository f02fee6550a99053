"""Routing over the corridor network: the graph (:mod:`.graph`), cited time parameters (:mod:`.params`), routes
and alternatives (:mod:`.route`) and the scenarios users compare (:mod:`.scenarios`).

>>> from corridormap.network import Router, build_network, read_parameters   # doctest: +SKIP
>>> router = Router(build_network(layers), read_parameters("."))               # doctest: +SKIP
>>> [r.as_dict() for r in router.routes(router.query("baku", "kars", alternatives=2))]  # doctest: +SKIP
"""

from __future__ import annotations

from .graph import FREIGHT_MODES, Crossing, Leg, Network, build_network, network_from_legs
from .params import Missing, Parameters, Span, read_parameters
from .route import STATUS_LEVELS, Query, Route, RouteError, Router

__all__ = ["FREIGHT_MODES", "STATUS_LEVELS", "Crossing", "Leg", "Missing", "Network", "Parameters", "Query",
           "Route", "RouteError", "Router", "Span", "build_network", "network_from_legs", "read_parameters"]
