"""Network isolation of a query process, set up before it runs any query, on two layers:

1. a network namespace of its own with no interface up (``unshare``; needs user namespaces or
   privileges), so that nothing it sends can reach another host, or this one;
2. a seccomp filter that makes ``socket``, ``connect`` and ``io_uring_setup`` fail with
   ``EACCES``, which needs neither privileges nor user namespaces.

Whatever a query text says, a process with either layer cannot open a connection. Which layers
are in force is reported; the pool refuses to run queries when there is none (unless networked
query execution is explicitly allowed). Linux only: elsewhere there is no isolation.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import platform
import struct
import sys
from dataclasses import dataclass

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2

# BPF instruction codes and seccomp return values (linux/filter.h, linux/seccomp.h).
LOAD_WORD = 0x20  # BPF_LD | BPF_W | BPF_ABS
JUMP_EQUAL = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
JUMP_AT_LEAST = 0x35  # BPF_JMP | BPF_JGE | BPF_K
RETURN = 0x06  # BPF_RET | BPF_K
ALLOW = 0x7FFF0000
KILL_PROCESS = 0x80000000
ERRNO = 0x00050000
ARCH_OFFSET, NR_OFFSET, FIRST_ARG_OFFSET = 4, 0, 16
X32_SYSCALL_BIT = 0x40000000


@dataclass(frozen=True)
class Architecture:
    audit: int
    syscalls: dict[str, int]
    x32_bit: bool = False


ARCHITECTURES = {
    "x86_64": Architecture(
        0xC000003E,
        {"socket": 41, "connect": 42, "io_uring_setup": 425, "unshare": 272, "seccomp": 317, "prctl": 157},
        x32_bit=True,
    ),
    "aarch64": Architecture(
        0xC00000B7,
        {"socket": 198, "connect": 203, "io_uring_setup": 425, "unshare": 97, "seccomp": 277, "prctl": 167},
    ),
}
NETWORK_SYSCALLS = ("socket", "connect", "io_uring_setup")


@dataclass(frozen=True)
class Isolation:
    """Which layers are in force in a process, and why a missing one is missing."""

    namespace: bool
    seccomp: bool
    reasons: tuple[str, ...] = ()

    @property
    def isolated(self) -> bool:
        return self.namespace or self.seccomp

    @property
    def state(self) -> str:
        layers = (("network namespace", self.namespace), ("seccomp", self.seccomp))
        return " + ".join(name for name, on in layers if on) or "none"


def isolate() -> Isolation:
    """Put this process behind both layers, as far as the host allows. Call before any thread
    starts and before any query runs."""
    if not sys.platform.startswith("linux"):
        return Isolation(False, False, ("network isolation needs Linux",))
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    reasons = []
    namespace = _leave_the_network(libc)
    if not namespace:
        reasons.append(f"no network namespace ({os.strerror(ctypes.get_errno())})")
    seccomp = _install(libc, network_filter())
    if not seccomp:
        reasons.append(f"no seccomp filter ({os.strerror(ctypes.get_errno()) or 'unsupported architecture'})")
    return Isolation(namespace, seccomp, tuple(reasons))


def _leave_the_network(libc: ctypes.CDLL) -> bool:
    return any(libc.unshare(flags) == 0 for flags in (CLONE_NEWUSER | CLONE_NEWNET, CLONE_NEWNET))


def _architecture() -> Architecture | None:
    return ARCHITECTURES.get(platform.machine())


def _instruction(code: int, jump_true: int, jump_false: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jump_true, jump_false, k)


def deny_filter(denied: dict[str, int | None]) -> bytes | None:
    """A seccomp program failing each named syscall with ``EACCES`` — for every call, or only
    when its first argument equals the given value — and killing the process on a foreign
    architecture (or x86_64's x32 ABI); everything else is allowed. None on an unknown machine."""
    arch = _architecture()
    if arch is None:
        return None
    rules = [(arch.syscalls[name], argument) for name, argument in denied.items()]
    body: list[tuple[int, int, int, int]] = []  # (code, jt, jf, k), jumps relative, resolved below
    for number, argument in rules:
        if argument is None:
            body.append((JUMP_EQUAL, -1, 0, number))  # -1: to the deny instruction
        else:
            body += [
                (JUMP_EQUAL, 0, 3, number),
                (LOAD_WORD, 0, 0, FIRST_ARG_OFFSET),
                (JUMP_EQUAL, -1, 0, argument),
                (LOAD_WORD, 0, 0, NR_OFFSET),
            ]
    head = [(LOAD_WORD, 0, 0, ARCH_OFFSET), (JUMP_EQUAL, 0, -2, arch.audit), (LOAD_WORD, 0, 0, NR_OFFSET)]
    if arch.x32_bit:
        head.append((JUMP_AT_LEAST, -2, 0, X32_SYSCALL_BIT))
    program = head + body + [(RETURN, 0, 0, ALLOW), (RETURN, 0, 0, ERRNO | errno.EACCES)]
    program.append((RETURN, 0, 0, KILL_PROCESS))
    deny_at, kill_at = len(program) - 2, len(program) - 1
    resolved = []
    for index, (code, jump_true, jump_false, k) in enumerate(program):
        target = {-1: deny_at, -2: kill_at}
        true_at, false_at = (target.get(j, index + 1 + j) for j in (jump_true, jump_false))
        resolved.append(_instruction(code, true_at - index - 1, false_at - index - 1, k))
    return b"".join(resolved)


def network_filter() -> bytes | None:
    return deny_filter({name: None for name in NETWORK_SYSCALLS})


def _install(libc: ctypes.CDLL, program: bytes | None) -> bool:
    if program is None:
        return False
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    instructions = ctypes.create_string_buffer(program)

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = SockFprog(len(program) // 8, ctypes.addressof(instructions))
    return bool(libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) == 0)


def install_filter(program: bytes | None) -> bool:
    """Install a seccomp program in this process (tests use it to make isolation impossible)."""
    if not sys.platform.startswith("linux"):
        return False
    return _install(ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True), program)
