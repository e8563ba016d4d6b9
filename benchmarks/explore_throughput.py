"""Benchmark: IVR exploration throughput (calls per second) against a plain httpx loop, side by side.

One DemoServer (as-is by default) on loopback. A first exploration of the telecom IVR records every
HTTP request it makes (method, URL, form body) through an httpx event hook. Then, interleaved N times:

  explore   explore_ivr() on the IVR with a keep-alive httpx.Client passed in (no hook)
  plain     a plain httpx.Client loop sending exactly the recorded requests, reading each body

Both count the same calls (the exploration's), so each rate is calls / wall seconds. Prints the
median rate of each, and the explore/plain ratio against the 0.8 target. Exit status 0 whatever the
ratio (a measurement); 1 if an exploration's calls or requests differ from the recorded run.

    .venv/bin/python benchmarks/explore_throughput.py [--repeat N] [--mode as-is] [--entry PATH]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass

import httpx

TARGET_RATIO = 0.8
HEADERS = {"User-Agent": "simsuite-phone/0.2 (TwilioProxy compatible)"}


@dataclass(frozen=True)
class Recorded:
    """One request the exploration made."""

    method: str
    url: str
    content_type: str
    body: bytes


def _client(**extra) -> httpx.Client:
    return httpx.Client(timeout=httpx.Timeout(10.0), follow_redirects=False, headers=HEADERS, **extra)


def record(url: str, entry: str, **bounds) -> tuple[list[Recorded], int]:
    """Explore once, recording every request; returns the requests and the number of calls."""
    from simsuite.explore.ivr import explore_ivr

    requests: list[Recorded] = []

    def hook(request: httpx.Request) -> None:
        requests.append(Recorded(request.method, str(request.url), request.headers.get("content-type", ""),
                                 request.read()))

    with _client(event_hooks={"request": [hook]}) as http:
        explored = explore_ivr(url, entry, http=http, **bounds)
    return requests, explored.stats["calls"]


def time_explore(url: str, entry: str, http: httpx.Client, **bounds) -> tuple[float, int, int]:
    """Wall seconds of one exploration, its calls, and its requests."""
    from simsuite.explore.ivr import explore_ivr

    count = 0

    def hook(request: httpx.Request) -> None:
        nonlocal count
        count += 1

    http.event_hooks = {"request": [hook]}
    started = time.perf_counter()
    explored = explore_ivr(url, entry, http=http, **bounds)
    elapsed = time.perf_counter() - started
    http.event_hooks = {"request": []}
    return elapsed, explored.stats["calls"], count


def time_plain(requests: list[Recorded], http: httpx.Client) -> float:
    """Wall seconds to send the recorded requests with a plain client, reading every answer."""
    started = time.perf_counter()
    for r in requests:
        headers = {"content-type": r.content_type} if r.content_type else {}
        response = http.request(r.method, r.url, content=r.body or None, headers=headers)
        response.read()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="IVR exploration throughput versus a plain httpx loop "
                                     "sending the same requests (calls per second, side by side).")
    parser.add_argument("--repeat", type=int, default=15, help="timed rounds of each (default 15)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds of each first (default 1)")
    parser.add_argument("--mode", default="as-is", help="demo mode: as-is or recovered (default as-is)")
    parser.add_argument("--entry", default="/telecom/ivr/voice", help="IVR entry path (default /telecom/ivr/voice)")
    parser.add_argument("--max-calls", type=int, default=200)
    args = parser.parse_args(argv)

    from simsuite.demo import DemoServer

    bounds = {"max_calls": args.max_calls}
    with DemoServer(args.mode) as server:
        requests, calls = record(server.url, args.entry, **bounds)
        print(f"IVR {args.mode} {args.entry}: {calls} calls, {len(requests)} HTTP requests per exploration "
              f"({len(requests) / calls:.1f} per call)")
        explore_times, plain_times = [], []
        with _client() as explore_http, _client() as plain_http:
            for i in range(args.warmup + args.repeat):
                seconds, made, sent = time_explore(server.url, args.entry, explore_http, **bounds)
                if made != calls or sent != len(requests):
                    print(f"exploration changed: {made} calls / {sent} requests, recorded {calls} / {len(requests)}",
                          file=sys.stderr)
                    return 1
                plain = time_plain(requests, plain_http)
                if i >= args.warmup:
                    explore_times.append(seconds)
                    plain_times.append(plain)
    explore_rate = calls / statistics.median(explore_times)
    plain_rate = calls / statistics.median(plain_times)
    ratio = explore_rate / plain_rate
    print(f"{'':10}{'calls/s':>10}{'req/s':>10}{'median s':>10}")
    for name, rate, times in (("explore", explore_rate, explore_times), ("plain", plain_rate, plain_times)):
        print(f"{name:10}{rate:10.1f}{rate * len(requests) / calls:10.1f}{statistics.median(times):10.3f}")
    verdict = "meets" if ratio >= TARGET_RATIO else "below"
    print(f"ratio explore/plain = {ratio:.2f} ({verdict} the {TARGET_RATIO} target; {args.repeat} rounds, medians)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
