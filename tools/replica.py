"""A local streaming replica for `make loadtest` with REPLICA=1: a second
PostgreSQL server made with pg_basebackup from the local cluster, in hot standby on
its own port and socket, so that Odoo (--db_replica_host/--db_replica_port) sends
its read-only routes there. Local only; removed when the load test ends."""

import shutil
import subprocess
import time
from pathlib import Path

from odoo_tests import CACHE_DIR, free_port

SOCKET_DIR = Path("/tmp/care_network_replica")


def as_postgres(*command, check=True, **kwargs):
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", *command], check=check, **kwargs
    )


class Replica:
    def __init__(self, db):
        self.db = db
        clusters = subprocess.run(
            ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=True
        ).stdout.split()
        self.version, self.primary_port = clusters[0], clusters[2]
        self.bin = Path(f"/usr/lib/postgresql/{self.version}/bin")
        self.data = Path(f"/var/lib/postgresql/{self.version}/care_network_replica")
        self.port = free_port()
        self.log = CACHE_DIR / "logs" / "replica.log"

    def start(self):
        self.stop()
        SOCKET_DIR.mkdir(exist_ok=True)
        shutil.chown(SOCKET_DIR, "postgres", "postgres")
        as_postgres(
            str(self.bin / "pg_basebackup"),
            "-h",
            "/var/run/postgresql",
            "-p",
            self.primary_port,
            "-D",
            str(self.data),
            "-X",
            "stream",
            "-R",
            "-c",
            "fast",
            check=True,
        )
        # Debian keeps a cluster's configuration outside its data directory.
        conf = (
            f"port = {self.port}\nlisten_addresses = ''\n"
            f"unix_socket_directories = '{SOCKET_DIR}'\nhot_standby = on\n"
        )
        for name, text in (
            ("postgresql.conf", conf),
            ("pg_hba.conf", "local all all trust\n"),
        ):
            path = self.data / name
            path.write_text(text)
            shutil.chown(path, "postgres", "postgres")
        self.log.parent.mkdir(parents=True, exist_ok=True)
        log = Path("/tmp/care_network_replica.log")
        as_postgres(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(log),
            "-w",
            "start",
            check=True,
            capture_output=True,
        )
        for _ in range(60):
            if self.query("SELECT pg_is_in_recovery()") == "t":
                print(f"==> Replica in hot standby on port {self.port}")
                return
            time.sleep(0.5)
        raise SystemExit(f"loadtest: the replica did not start, see {log}")

    def stop(self):
        if (self.data / "PG_VERSION").exists():
            as_postgres(
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.data),
                "-m",
                "fast",
                "-w",
                "stop",
                check=False,
                capture_output=True,
            )
        if self.data.exists():
            shutil.rmtree(self.data, ignore_errors=True)

    def query(self, sql, db=None):
        return subprocess.run(
            [
                "psql",
                "-XAtq",
                "-h",
                str(SOCKET_DIR),
                "-p",
                str(self.port),
                "-d",
                db or self.db,
                "-c",
                sql,
            ],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()

    def odoo_options(self):
        return [f"--db_replica_host={SOCKET_DIR}", f"--db_replica_port={self.port}"]

    def transactions(self):
        sql = (
            "SELECT xact_commit + xact_rollback FROM pg_stat_database "
            f"WHERE datname = '{self.db}'"
        )
        primary = subprocess.run(
            ["psql", "-XAtq", "-d", "postgres", "-c", sql],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return int(primary or 0), int(self.query(sql, db="postgres") or 0)

    def share_since(self, before):
        primary, replica = self.transactions()
        primary_xacts, replica_xacts = primary - before[0], replica - before[1]
        return {
            "primary_xacts": primary_xacts,
            "replica_xacts": replica_xacts,
            "replica_share": replica_xacts / max(primary_xacts + replica_xacts, 1),
        }
