"""What this process has open: file descriptors and TCP connections, read from ``/proc``."""

from __future__ import annotations

import os
from collections import Counter


def open_fds() -> Counter[str]:
    """What this process's file descriptors point at (``socket:[inode]``, ``pipe:[inode]``, paths).

    Compared as multisets, so descriptors other threads close meanwhile, or numbers reused,
    cannot hide a descriptor the client left open.
    """
    targets: Counter[str] = Counter()
    for fd in os.listdir("/proc/self/fd"):
        try:
            targets[os.readlink(f"/proc/self/fd/{fd}")] += 1
        except OSError:
            continue  # the descriptor of the listing itself
    return targets


def opened_since(before: Counter[str]) -> int:
    """How many descriptors open now were not open at ``before``."""
    return sum((open_fds() - before).values())


def sockets_to(port: int) -> int:
    """How many of this process's open sockets are TCP connections to 127.0.0.1:``port``."""
    inodes = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue  # the descriptor of the listing itself
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        with open(table) as lines:
            next(lines)
            for line in lines:
                fields = line.split()
                remote_port = int(fields[2].rsplit(":", 1)[1], 16)
                if remote_port == port and fields[9] in inodes:
                    count += 1
    return count
