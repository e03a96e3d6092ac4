"""One level of `make loadtest`: N locust users for S seconds against one Odoo, in
this process (headless, locust as a library). Prints one line RESULT {json}: per
request name the count, failures, throughput and p50/p95/p99 in ms.

Usage: run_level.py HOST USERS SECONDS (configuration in $LOADTEST_CONFIG)."""

import gevent.monkey

gevent.monkey.patch_all()

import json
import sys

import gevent
from locust.env import Environment
from locustfile import Claimer, Guardian, Staff, save_sessions


def main():
    host, users, seconds = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    env = Environment(user_classes=[Guardian, Staff, Claimer], host=host)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=max(users / 10, 1))
    gevent.sleep(seconds)
    runner.quit()
    save_sessions()
    stats = {}
    for (name, _method), entry in env.stats.entries.items():
        if name == "login":
            continue
        stats[name] = {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "rps": round(entry.num_requests / seconds, 1),
            "p50_ms": entry.get_response_time_percentile(0.5),
            "p95_ms": entry.get_response_time_percentile(0.95),
            "p99_ms": entry.get_response_time_percentile(0.99),
        }
    errors = {
        f"{error.name}: {error.error}"[:200]: error.occurrences
        for error in env.stats.errors.values()
    }
    print("RESULT " + json.dumps({"users": users, "stats": stats, "errors": errors}))


if __name__ == "__main__":
    main()
