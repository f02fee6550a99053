"""Routes over the network: the best by mid-range time, then distinct alternatives, with clear errors.

The search runs on a state graph (an ``nx.DiGraph``): a state is a node reached by a mode, so a change of mode
at a node is an edge that costs the transshipment dwell; each leg is an edge carrying its id (a leg parallel to
one already there goes through a small node of its own, so parallel legs between two nodes all stay); ``--via``
stacks one copy of the graph per via node, joined at that node. The alternatives come from networkx's
k-shortest simple paths (Yen), kept only when they differ from every route kept before in their corridors,
their sequence of countries or their land border-crossing places, so a detour of the same route never counts
as an alternative.
"""

from __future__ import annotations

import copy
import difflib
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..schema import STATUSES
from .graph import Leg, Network
from .params import Missing, Parameters, Span, leg_span, transshipment_span

if TYPE_CHECKING:  # imported where a search runs: a build's workers, which only draw routes, never load it
    import networkx as nx

#: ``--status`` → the statuses of the legs a route may use.
STATUS_LEVELS: dict[str, tuple[str, ...]] = {
    "operating": ("operating",),
    "construction": ("operating", "construction"),
    "all": STATUSES,
}
#: How many k-shortest candidates to examine at most when looking for distinct alternatives.
MAX_CANDIDATES = 120
#: How many of Yen's paths (simple or not) a query for the best route only examines at most (four times
#: MAX_CANDIDATES when alternatives are wanted).
MAX_RAW_PATHS = 20
#: An alternative's stretches up to this share of its time must be fastest ways (no doubling back).
ALPHA = 0.5
#: ... and take at most this many times the fastest way between their ends.
LOCAL_STRETCH = 2.0


class RouteError(ValueError):
    """A route query that cannot be answered: an unknown name, or constraints that cut every route."""


@dataclass(frozen=True)
class Route:
    """One alternative: its legs in order (oriented), with km, days, crossings, transshipments, countries."""

    name: str
    legs: tuple[Leg, ...]
    days: Span
    transfers: tuple[tuple[str, str, str], ...] = ()
    parameters: frozenset[str] = field(default_factory=frozenset)

    @property
    def km(self) -> float:
        return round(sum(leg.km for leg in self.legs), 1)

    @property
    def border_crossings(self) -> int:
        return sum(len(leg.crossings) for leg in self.legs)

    @property
    def transshipments(self) -> int:
        return len(self.transfers)

    @property
    def countries(self) -> list[str]:
        return list(dict.fromkeys(c for leg in self.legs for c in leg.countries))

    @property
    def statuses(self) -> list[str]:
        """Statuses other than operating among its legs (the flags), in vocabulary order."""
        used = {leg.status for leg in self.legs}
        return [s for s in STATUSES if s in used and s != "operating"]

    @property
    def crossing_places(self) -> list[str]:
        return [c.node for leg in self.legs for c in leg.crossings if not c.ferry]

    @property
    def corridors(self) -> list[str]:
        return list(dict.fromkeys(leg.corridor for leg in self.legs))

    def signature(self) -> tuple:
        return (frozenset(self.corridors), tuple(self.countries), frozenset(self.crossing_places))

    def distinct_from(self, other: Route) -> bool:
        """Different corridors, countries (or their order) or land crossing places; else a detour of *other*."""
        return self.signature() != other.signature()

    def as_dict(self) -> dict:
        """The JSON shape of ``corridormap route --format json`` (one alternative)."""
        return {"name": self.name, "km": self.km, "days": [round(self.days.low, 1), round(self.days.high, 1)],
                "border_crossings": self.border_crossings, "transshipments": self.transshipments,
                "countries": self.countries,
                "legs": [{"segment": leg.id, "km": leg.km, "mode": leg.mode, "status": leg.status,
                          "countries": list(leg.countries)} for leg in self.legs]}


@dataclass(frozen=True)
class Query:
    """A route query: ends, via nodes (in order), countries to avoid, status level, alternatives wanted."""

    start: str
    end: str
    via: tuple[str, ...] = ()
    avoid: frozenset[str] = frozenset()
    status: str = "operating"
    alternatives: int = 0

    def describe(self) -> str:
        parts = [f"--status {self.status}"]
        if self.via:
            parts.append(f"--via {','.join(self.via)}")
        if self.avoid:
            parts.append(f"--avoid {','.join(sorted(self.avoid))}")
        return " ".join(parts)


class Router:
    """The network with every leg's and transfer's time computed once; answers :class:`Query`s."""

    def __init__(self, network: Network, params: Parameters):
        self.network, self.params = network, params
        self.leg_time: dict[str, Span | Missing] = {lid: leg_span(params, leg) for lid, leg in network.legs.items()}
        self._transfers: dict[tuple[str, ...], Span | Missing] = {}

    def for_drawing(self) -> Router:
        """This router without its graph, for a process that only draws routes (renderers read the legs, nodes
        and parameters): it pickles without networkx (0.1 MB), and such a process never imports networkx."""
        drawing = copy.copy(self)
        drawing.network = replace(self.network, graph=None)
        return drawing

    def transfer(self, node: str, a: str, b: str) -> Span | Missing:
        key = (node, *sorted((a, b)))
        if key not in self._transfers:
            self._transfers[key] = transshipment_span(self.params, node, a, b)
        return self._transfers[key]

    # -- names ------------------------------------------------------------------------------------------------
    def check_node(self, node: str, what: str) -> str:
        """*node* as a node id (ids and names match case-insensitively), or a RouteError with close matches."""
        nodes = self.network.nodes
        if node in nodes:
            found = node
        else:
            lowered = {k.lower(): k for k in nodes} | {str(v["name"]).lower(): k for k, v in nodes.items()}
            if node.lower() not in lowered:
                close = difflib.get_close_matches(node.lower(), list(lowered), n=5, cutoff=0.6)
                ids = list(dict.fromkeys(lowered[c] for c in close))
                hint = f"close matches: {', '.join(ids)}" if ids else "no close match (see geo/nodes.csv)"
                raise RouteError(f"{what}: unknown node {node!r}, expected a node id of geo/nodes.csv; {hint}")
            found = lowered[node.lower()]
        assert self.network.graph is not None, "a router made for drawing (for_drawing) does not route"
        if found not in self.network.graph:
            raise RouteError(f"{what}: node {found!r} ({self.network.node_name(found)}) is on no rail, road or "
                             "sea leg of the network")
        return found

    def check_country(self, code: str) -> str:
        """*code* as an ISO3 code of geo/countries.geojson (codes and names match case-insensitively)."""
        codes = self.network.countries
        names = {str(name).lower(): iso3 for iso3, name in codes.items()}
        if code.upper() in codes:
            return code.upper()
        if code.lower() in names:
            return names[code.lower()]
        close = difflib.get_close_matches(code.upper(), list(codes), n=5, cutoff=0.6)
        close += [names[n] for n in difflib.get_close_matches(code.lower(), list(names), n=3, cutoff=0.75)]
        close = list(dict.fromkeys(close))
        hint = f"close matches: {', '.join(close)}" if close else "no close match"
        raise RouteError(f"--avoid: unknown country {code!r}, expected an ISO3 code of geo/countries.geojson; "
                         f"{hint}")

    def query(self, start: str, end: str, *, via: Sequence[str] = (), avoid: Iterable[str] = (),
              status: str = "operating", alternatives: int = 0) -> Query:
        """A checked :class:`Query` (node ids or names, ISO3 codes); raises RouteError on unknown names."""
        if status not in STATUS_LEVELS:
            raise RouteError(f"--status: expected one of {', '.join(STATUS_LEVELS)}, found {status!r}")
        if alternatives < 0:
            raise RouteError(f"--alternatives: expected 0 or more, found {alternatives}")
        q = Query(self.check_node(start, "FROM"), self.check_node(end, "TO"),
                  tuple(self.check_node(v, "--via") for v in via),
                  frozenset(self.check_country(c) for c in avoid), status, alternatives)
        for role, node in (("FROM", q.start), ("TO", q.end), *(("--via", v) for v in q.via)):
            iso3 = self.network.nodes[node]["iso3"]
            if iso3 in q.avoid:
                raise RouteError(f"{role} {node} ({self.network.node_name(node)}) lies in {iso3}, which --avoid "
                                 "excludes")
        if q.start == q.end:
            raise RouteError(f"FROM and TO are the same node: {q.start}")
        return q

    # -- search -----------------------------------------------------------------------------------------------
    def usable(self, leg: Leg, q: Query, *, timed: bool = True, statuses: Sequence[str] | None = None,
               avoid: frozenset[str] | None = None) -> bool:
        allowed = STATUS_LEVELS[q.status] if statuses is None else statuses
        avoided = q.avoid if avoid is None else avoid
        if leg.status not in allowed or leg.touches() & avoided:
            return False
        return not timed or not isinstance(self.leg_time[leg.id], Missing)

    def state_graph(self, legs: list[Leg], layers: int, via: tuple[str, ...], *, timed: bool = True) -> nx.DiGraph:
        import networkx as nx

        g = nx.DiGraph()
        modes_at: dict[str, set[str]] = {}
        for leg in legs:
            time = self.leg_time[leg.id]
            weight = time.mid if isinstance(time, Span) else 1.0
            for layer, (a, b) in itertools.product(range(layers), ((leg.start, leg.end), (leg.end, leg.start))):
                u, v = ("at", layer, a, leg.mode), ("at", layer, b, leg.mode)
                if g.has_edge(u, v):  # a parallel leg: through its own node, so both stay
                    hop = ("leg", layer, leg.id, a)
                    g.add_edge(u, hop, weight=weight, leg=(leg.id, a))
                    g.add_edge(hop, v, weight=0.0)
                else:
                    g.add_edge(u, v, weight=weight, leg=(leg.id, a))
            modes_at.setdefault(leg.start, set()).add(leg.mode)
            modes_at.setdefault(leg.end, set()).add(leg.mode)
        for node, modes in modes_at.items():
            for a, b in itertools.permutations(sorted(modes), 2):
                time = self.transfer(node, a, b)
                if isinstance(time, Missing) and timed:
                    continue
                for layer in range(layers):
                    g.add_edge(("at", layer, node, a), ("at", layer, node, b),
                               weight=time.mid if isinstance(time, Span) else 1.0)
        for layer, node in enumerate(via):
            for mode in modes_at.get(node, ()):
                g.add_edge(("at", layer, node, mode), ("at", layer + 1, node, mode), weight=0.0)
        return g

    def candidates(self, q: Query, *, timed: bool = True, statuses: Sequence[str] | None = None,
                   avoid: frozenset[str] | None = None, via: tuple[str, ...] | None = None,
                   exclude: frozenset[str] = frozenset()):
        """Simple routes (lists of oriented legs) in increasing mid-range time; empty when none.

        Yen's paths on the state graph may pass a node twice (a via node on a spur invites doubling back); at
        most :data:`MAX_RAW_PATHS` are examined, and when none of them is simple the route is found stage by
        stage instead (:meth:`staged`)."""
        via = q.via if via is None else via
        legs = [leg for leg in self.network.legs.values()
                if self.usable(leg, q, timed=timed, statuses=statuses, avoid=avoid)
                and leg.start not in exclude and leg.end not in exclude]
        layers = len(via) + 1
        import networkx as nx

        g = self.state_graph(legs, layers, via, timed=timed)
        source, target = ("from",), ("to",)
        for leg in legs:
            for node in (leg.start, leg.end):
                if node == q.start:
                    g.add_edge(source, ("at", 0, node, leg.mode), weight=0.0)
                if node == q.end:
                    g.add_edge(("at", layers - 1, node, leg.mode), target, weight=0.0)
        if source not in g or target not in g or not nx.has_path(g, source, target):
            return
        found = False
        paths = nx.shortest_simple_paths(g, source, target, weight="weight")
        for path in itertools.islice(paths, MAX_RAW_PATHS if q.alternatives == 0 else MAX_CANDIDATES * 4):
            legs_of_path = self.path_legs(g, path)
            if legs_of_path is not None:
                found = True
                yield legs_of_path
        if not found and via:
            staged = self.staged(q, timed=timed, statuses=statuses, avoid=avoid, via=via)
            if staged is not None:
                yield staged

    def staged(self, q: Query, *, via: tuple[str, ...], **relax) -> list[Leg] | None:
        """The fastest way to the first via node (not through the stops ahead), then on to the next without
        passing a node already passed, and so on to the end: a simple route, not always the fastest one."""
        stops = [q.start, *via, q.end]
        legs: list[Leg] = []
        for i, (a, b) in enumerate(zip(stops, stops[1:])):
            passed = frozenset(n for leg in legs for n in (leg.start, leg.end)) - {a}
            passed |= frozenset(stops[i + 2:])  # nor the stops still ahead
            stage = Query(a, b, (), q.avoid, q.status, 0)
            first = next(iter(self.candidates(stage, via=(), exclude=passed, **relax)), None)
            if first is None:
                return None
            legs += first
        return legs

    def path_legs(self, g: nx.DiGraph, path: list) -> list[Leg] | None:
        """The oriented legs of a state path, or ``None`` when it passes a node twice (not a simple route)."""
        steps = (g.edges[u, v].get("leg") for u, v in zip(path, path[1:]))
        legs = [self.network.legs[lid].oriented(start) for lid, start in filter(None, steps)]
        visited = [legs[0].start, *(leg.end for leg in legs)]
        return legs if len(set(visited)) == len(visited) else None

    def route_of(self, legs: list[Leg]) -> Route:
        days = Span(0.0, 0.0)
        transfers = []
        for prev, leg in zip([None, *legs], legs):
            days = days + self.leg_time[leg.id]  # type: ignore[operator]
            if prev is not None and prev.mode != leg.mode:
                transfers.append((leg.start, prev.mode, leg.mode))
                days = days + self.transfer(leg.start, prev.mode, leg.mode)  # type: ignore[operator]
        return Route(self.name_of(legs), tuple(legs), days, tuple(transfers), days.ids)

    def name_of(self, legs: list[Leg]) -> str:
        """``Northern route through Russia, Belarus``: the most specific corridor that draws most of the route,
        then the countries it passes between its end countries."""
        km: dict[str, float] = {}
        for leg in legs:
            for cid in leg.drawn_by:
                km[cid] = km.get(cid, 0.0) + leg.km
        top = max(km.values())
        sizes = self.network.corridor_km
        main = min((c for c in km if km[c] >= 0.99 * top), key=lambda c: (sizes.get(c, 0.0), c))
        sequence = [c for leg in legs for c in leg.countries]
        order = [c for i, c in enumerate(sequence) if i == 0 or sequence[i - 1] != c]
        inner = [c for c in dict.fromkeys(order[1:-1]) if c not in (order[0], order[-1])]
        name = short(self.network.corridor_names.get(main, main))
        countries = ", ".join(short(self.network.countries.get(c, c)) for c in inner)
        return f"{name} through {countries}" if inner else name

    def crossing_names(self, route: Route) -> list[str]:
        """Where *route* crosses borders (land crossings and ferry ports), short names in order."""
        ends = {route.legs[0].start, route.legs[-1].end}
        places = [c.node for leg in route.legs for c in leg.crossings if c.node not in ends]
        return list(dict.fromkeys(short(self.network.node_name(p)) for p in places))

    def locally_optimal(self, route: Route, q: Query, alpha: float = ALPHA) -> bool:
        """Whether every stretch of *route* up to *alpha* of its time takes at most :data:`LOCAL_STRETCH` times
        the fastest way between its ends (transshipments included, on the state graph): a route that doubles
        back (through China and back to re-enter Kazakhstan) fails; another border crossing between the same
        places (Khorgos for Dostyk) passes."""
        import networkx as nx

        legs = [leg for leg in self.network.legs.values() if self.usable(leg, q)]
        g = self.state_graph(legs, 1, ())
        steps = [self.leg_time[leg.id].mid for leg in route.legs]  # type: ignore[union-attr]
        for k in range(1, len(route.legs)):
            a, b = route.legs[k - 1], route.legs[k]
            if a.mode != b.mode:
                steps[k] += self.transfer(b.start, a.mode, b.mode).mid  # type: ignore[union-attr]
        limit = alpha * sum(steps)
        for i, first in enumerate(route.legs):
            dist = nx.single_source_dijkstra_path_length(g, ("at", 0, first.start, first.mode), cutoff=limit)
            run = 0.0
            for j in range(i, len(route.legs)):
                run += steps[j] if j > i else self.leg_time[first.id].mid  # type: ignore[union-attr]
                leg = route.legs[j]
                if run > limit or leg.end in q.via:
                    break
                if run > dist.get(("at", 0, leg.end, leg.mode), float("inf")) * LOCAL_STRETCH + 1e-9:
                    return False
        return True

    def routes(self, q: Query) -> list[Route]:
        """The best route for *q*, then up to ``q.alternatives`` distinct others; RouteError when none."""
        kept: list[Route] = []
        candidates: list[Route] = []
        for i, legs in enumerate(self.candidates(q)):
            route = self.route_of(legs)
            if candidates and not self.locally_optimal(route, q):
                continue
            candidates.append(route)
            kept = select(candidates, q.alternatives + 1)  # (the next one may tie with the last kept)
            if i + 1 >= MAX_CANDIDATES or (len(kept) > q.alternatives and route.days.mid > kept[-1].days.mid + 1e-9):
                break
        if not candidates:
            raise RouteError(self.why_none(q))
        return named(kept, self)

    # -- no route ---------------------------------------------------------------------------------------------
    def reachable(self, q: Query, **relax) -> bool:
        return next(iter(self.candidates(q, **relax)), None) is not None

    def missing_on(self, legs: list[Leg]) -> list[str]:
        """The parameters missing for these legs and the transfers between them."""
        out = [self.leg_time[leg.id] for leg in legs]
        out += [self.transfer(b.start, a.mode, b.mode) for a, b in zip(legs, legs[1:]) if a.mode != b.mode]
        return list(dict.fromkeys(str(m) for m in out if isinstance(m, Missing)))

    def why_none(self, q: Query) -> str:
        """Which constraint cuts every route: each is relaxed alone (``--avoid``, ``--status``, ``--via``) on the
        network's structure; when none does, the missing time parameters on the route that exists are named."""
        head = (f"no route from {q.start} ({self.network.node_name(q.start)}) to {q.end} "
                f"({self.network.node_name(q.end)}) with {q.describe()}")
        if not self.reachable(q, timed=False, statuses=STATUSES, avoid=frozenset(), via=()):
            return f"{head}: no rail, road or sea legs connect them"
        untimed = next(iter(self.candidates(q, timed=False)), None)
        if untimed is not None:
            return (f"{head}: the only routes need times that routes/parameters.csv does not give: "
                    + "; ".join(self.missing_on(untimed)))
        reasons = []
        if q.avoid and self.reachable(q, timed=False, avoid=frozenset()):
            reasons.append(f"--avoid {','.join(sorted(q.avoid))} cuts every route (there is one without it)")
        if q.status != "all":
            wider = next((s for s in STATUS_LEVELS if set(STATUS_LEVELS[s]) > set(STATUS_LEVELS[q.status])
                          and self.reachable(q, timed=False, statuses=STATUS_LEVELS[s])), None)
            if wider:
                reasons.append(f"--status {q.status} cuts every route (--status {wider} has one)")
        if q.via and self.reachable(q, timed=False, via=()):
            reasons.append(f"--via {','.join(q.via)} cuts every route (there is one without it)")
        if not reasons:
            return f"{head}: the constraints together cut every route (relaxing any one of them alone leaves none)"
        return f"{head}: " + "; ".join(reasons)


def short(name: str) -> str:
    """A name without its parenthesis: ``Dostyk (Druzhba)`` → ``Dostyk``."""
    return name.split(" (")[0].strip()


def select(candidates: list[Route], count: int) -> list[Route]:
    """The first *count* mutually distinct routes of *candidates*, ordered by mid-range time, then km, then ids
    (so ties are broken the same way every time)."""
    ordered = sorted(candidates, key=lambda r: (round(r.days.mid, 9), r.km, [leg.id for leg in r.legs]))
    kept: list[Route] = []
    for route in ordered:
        if all(route.distinct_from(k) for k in kept):
            kept.append(route)
        if len(kept) == count:
            break
    return kept


def named(routes: list[Route], router: Router) -> list[Route]:
    """*routes* with unique names: a name that repeats gains the border crossings that set the route apart
    (``via Khorgos``), else the mode it changes to and its rank."""
    out: list[Route] = []
    for route in routes:
        name = route.name
        twins = [r for r in routes if r.name == route.name and r is not route]
        if twins:
            seen = {p for r in twins for p in router.crossing_names(r)}
            own = [p for p in router.crossing_names(route) if p not in seen] or router.crossing_names(route)
            name = f"{name} via {', '.join(own)}" if own else name
            if any(r.name == name for r in out):
                name = f"{name} ({len(out) + 1})"
        out.append(Route(name, route.legs, route.days, route.transfers, route.parameters))
    return out
