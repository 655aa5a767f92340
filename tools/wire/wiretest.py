#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Wire tests for an NFSv4.1 server's session layer.

usage: wiretest.py --host H --port N [--server knfsd|dittofs] [-k PATTERN]

Each test asserts one line of session-lifecycle.md that crosses the wire,
following RFC 8881.  Output is TAP: one "ok N - desc" or "not ok N - desc"
per test, then "1..N".  A test that does not apply to the server under test
prints "ok N - desc # SKIP why"; a known deviation of that server from the
RFC prints "not ok N - desc # TODO why" and does not fail the run.  The
exit status is 1 when any other test failed.
"""

import argparse
import os
import random
import socket
import struct
import sys
import time
import traceback

sys.dont_write_bytecode = True     # no __pycache__ in the work tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nfs41 as n  # noqa: E402

TESTS = []
SERVERS = ("knfsd", "dittofs")


class Fail(Exception):
    """An assertion about the server did not hold."""


class Skip(Exception):
    """The test does not apply to this server."""


def test(desc, only=None, todo=None, skip=None, profile="open"):
    """Register a test.  only: the one server it applies to.  todo: a dict
    {server: reason} of known deviations from the RFC.  skip: a dict
    {server: reason} of servers the test must not be run against.
    profile: the export rules the test needs (PROFILES); a run tests one
    profile."""
    def register(fn):
        skips = dict(skip or {})
        if only:
            skips.update({s: "%s only" % only for s in SERVERS if s != only})
        fn.profile = profile
        TESTS.append((fn, desc, skips, todo or {}))
        return fn
    return register


# The export rules each profile's run is set up with (scripts/guest/wire):
#   open:   rw,no_root_squash,insecure for 127.0.0.1 (knfsd's usual test export)
#   secure: rw,root_squash,secure for 127.0.0.0/31 (knfsd adds subtree_check)
#   ro:     ro,all_squash,anonuid=1234,anongid=1234,insecure for 127.0.0.1
#   lease:  as open, with a 10 s lease
PROFILES = ("open", "secure", "ro", "lease")
# Where a connection comes from in each profile.
SOURCES = {"open": None, "secure": ("127.0.0.1", "resv"), "ro": None,
           "lease": None}


def check(cond, msg):
    if not cond:
        raise Fail(msg)


def expect(reply, status, what):
    """The COMPOUND's status must be `status` (a code or a set of codes)."""
    want = status if isinstance(status, (set, frozenset)) else {status}
    names = "/".join(sorted(n.errname(s) for s in want))
    check(reply.status in want, "%s: want %s, got %s"
          % (what, names, reply.describe()))


class Ctx:
    """What a test needs: where the server is and how to reach it."""

    def __init__(self, host, port, server, timeout, profile="open",
                 export_dir=None):
        self.host, self.port, self.server = host, port, server
        self.timeout = timeout
        self.profile = profile
        self.export_dir = export_dir
        self.source = SOURCES[profile]

    def conn(self, **kw):
        kw.setdefault("source", self.source)
        return n.RpcConnection(self.host, self.port, self.timeout, **kw)

    def client(self, **kw):
        kw.setdefault("source", self.source)
        return n.Client(self.host, self.port, timeout=self.timeout, **kw)

    def local(self, name):
        """The server-side path of `name` in the export (tests that set up
        files run on the server's machine, as root)."""
        if not self.export_dir:
            raise Skip("needs --export-dir")
        return os.path.join(self.export_dir, name)

    def session(self, **kw):
        """A client with a confirmed client id and one session."""
        c = self.client()
        c.setup(**kw)
        return c

    def alive(self):
        """A fresh client can still EXCHANGE_ID."""
        c = self.client()
        try:
            c.exchange_id()
        except (OSError, n.ConnectionClosed, n.Nfs41Error) as e:
            raise Fail("server no longer serves: %s" % e)
        finally:
            c.close()


# --- EXCHANGE_ID ---------------------------------------------------------


@test("EXCHANGE_ID: a new client gets a client id and honest flags")
def t_exid_new(ctx):
    c = ctx.client()
    r = c.exchange_id()
    x = r[0]
    check(not x["flags"] & n.EXCHGID4_FLAG_CONFIRMED_R,
          "CONFIRMED_R set for a new client: %#x" % x["flags"])
    roles = x["flags"] & n.EXCHGID4_FLAG_MASK_PNFS
    non, mds, ds = (n.EXCHGID4_FLAG_USE_NON_PNFS, n.EXCHGID4_FLAG_USE_PNFS_MDS,
                    n.EXCHGID4_FLAG_USE_PNFS_DS)
    # RFC 8881 13.1: one role, or a data server that is also one of the others
    check(roles in (non, mds, ds, non | ds, mds | ds),
          "pNFS role flags %#x" % roles)
    if ctx.server == "dittofs":
        check(roles == n.EXCHGID4_FLAG_USE_NON_PNFS,
              "dittofs must say USE_NON_PNFS, flags %#x" % x["flags"])
    check(x["state_protect"] == n.SP4_NONE, "state protection not SP4_NONE")
    check(len(x["owner_major"]) > 0, "empty server owner major id")
    check(len(x["impl_id"]) <= 1, "more than one impl id")
    check(not x["flags"] & n.EXCHGID4_FLAG_UPD_CONFIRMED_REC_A,
          "UPD_CONFIRMED_REC_A in a reply")
    c2 = ctx.client()
    c2.exchange_id()
    check(c2.clientid != c.clientid, "two owners got one client id")


@test("EXCHANGE_ID: CONFIRMED_R and the same client id once confirmed")
def t_exid_confirmed(ctx):
    c = ctx.session()
    first = c.clientid
    r = c.exchange_id()
    check(r[0]["flags"] & n.EXCHGID4_FLAG_CONFIRMED_R,
          "CONFIRMED_R clear after CREATE_SESSION: %#x" % r[0]["flags"])
    check(c.clientid == first, "client id changed %#x -> %#x"
          % (first, c.clientid))


@test("EXCHANGE_ID: SP4_SSV without algorithms gets a clean error")
def t_exid_ssv(ctx):
    c = ctx.client()
    r = c.compound([n.op_exchange_id(c.owner, c.verifier, how=n.SP4_SSV)])
    expect(r, {n.NFS4ERR_HASH_ALG_UNSUPP, n.NFS4ERR_ENCR_ALG_UNSUPP,
               n.NFS4ERR_INVAL}, "EXCHANGE_ID SP4_SSV")
    r = c.compound([n.op_exchange_id(c.owner, c.verifier)])
    expect(r, n.NFS4_OK, "EXCHANGE_ID SP4_NONE after it, same connection")


@test("EXCHANGE_ID with another op and no SEQUENCE: NFS4ERR_NOT_ONLY_OP")
def t_exid_not_only(ctx):
    c = ctx.client()
    r = c.compound([n.op_exchange_id(c.owner, c.verifier), n.op_putrootfh()])
    expect(r, n.NFS4ERR_NOT_ONLY_OP, "EXCHANGE_ID + PUTROOTFH")


# --- CREATE_SESSION ------------------------------------------------------


@test("CREATE_SESSION replay (csa_sequence equal): same bytes, no 2nd session")
def t_cs_replay(ctx):
    c = ctx.client()
    c.exchange_id()
    op = c.create_session_op()
    r1 = c.compound([op])
    expect(r1, n.NFS4_OK, "CREATE_SESSION")
    check(r1[0]["sequence"] == c.cs_seq, "csr_sequence %d != csa_sequence %d"
          % (r1[0]["sequence"], c.cs_seq))
    r2 = c.compound([op])
    check(r2.raw == r1.raw, "replay reply differs:\n  %s\n  %s"
          % (r1.raw.hex(), r2.raw.hex()))
    # With only the one session, destroying it leaves the client free.
    sid = r1[0]["sessionid"]
    expect(c.destroy_session(sid), n.NFS4_OK, "DESTROY_SESSION")
    expect(c.destroy_clientid(), n.NFS4_OK,
           "DESTROY_CLIENTID (a second session would make it BUSY)")


@test("CREATE_SESSION csa_sequence last+1: a new session")
def t_cs_next(ctx):
    c = ctx.session()
    first = c.sessionid
    c.create_session()
    check(c.sessionid != first, "same session id for a new session")
    r = c.seq()
    expect(r, n.NFS4_OK, "SEQUENCE on the second session")
    c.sessionid = first
    c.slots = {}
    expect(c.seq(), n.NFS4_OK, "SEQUENCE on the first session")


@test("CREATE_SESSION csa_sequence other: NFS4ERR_SEQ_MISORDERED")
def t_cs_misordered(ctx):
    c = ctx.session()
    last = (c.cs_seq - 1) & 0xffffffff
    for seq in ((last + 2) & 0xffffffff, (last - 1) & 0xffffffff,
                (last + 0x80000000) & 0xffffffff):
        r = c.compound([c.create_session_op(sequence=seq)])
        expect(r, n.NFS4ERR_SEQ_MISORDERED, "csa_sequence %d after %d"
               % (seq, last))
    expect(c.compound([c.create_session_op()]), n.NFS4_OK,
           "last+1 still works after the misordered ones")


@test("CREATE_SESSION for an unknown client id: NFS4ERR_STALE_CLIENTID")
def t_cs_stale(ctx):
    c = ctx.client()
    c.exchange_id()
    bogus = c.clientid ^ 0x5a5a5a5a00000000
    r = c.compound([n.op_create_session(bogus, c.cs_seq)])
    expect(r, n.NFS4ERR_STALE_CLIENTID, "CREATE_SESSION, unknown client id")


@test("CREATE_SESSION with tiny fore channel sizes: NFS4ERR_TOOSMALL")
def t_cs_toosmall(ctx):
    for size in (0, 16, 48):
        c = ctx.client()
        c.exchange_id()
        fore = n.FORE_ATTRS._replace(maxrequestsize=size,
                                     maxresponsesize=size)
        r = c.compound([c.create_session_op(fore=fore)])
        expect(r, n.NFS4ERR_TOOSMALL, "fore max sizes %d" % size)
        # Whether the error used the CREATE_SESSION slot is the server's
        # choice (RFC 8881 18.36.4); either way the client can go on.
        again = c.compound([c.create_session_op()])
        if again.status == n.NFS4ERR_TOOSMALL:
            check(again.raw == r.raw, "TOOSMALL replay differs")
            c.cs_seq += 1
            again = c.compound([c.create_session_op()])
        expect(again, n.NFS4_OK, "a sane CREATE_SESSION afterwards")
        c.close()


@test("CREATE_SESSION with only RPCSEC_GSS callback security: NFS4ERR_NOENT",
      todo={"knfsd": "knfsd 6.12 returns NFS4ERR_ENCR_ALG_UNSUPP"})
def t_cs_gss_only(ctx):
    c = ctx.client()
    c.exchange_id()
    r = c.compound([c.create_session_op(sec_parms=[n.CbSecGss()])])
    # RFC 8881 18.36.3: a gcbp_handle_from_server the server does not know
    # gets NFS4ERR_NOENT.
    expect(r, n.NFS4ERR_NOENT, "RPCSEC_GSS-only csa_sec_parms")


@test("CREATE_SESSION accepts AUTH_SYS and AUTH_NONE callback security")
def t_cs_sec_ok(ctx):
    c = ctx.client()
    c.exchange_id()
    c.create_session(sec_parms=[n.AuthSys(uid=1000, gid=1000)])
    c.create_session(sec_parms=[n.CbSecNone()])


@test("CREATE_SESSION clears PERSIST in the reply")
def t_cs_persist(ctx):
    c = ctx.client()
    c.exchange_id()
    r = c.create_session(flags=n.CREATE_SESSION4_FLAG_PERSIST)
    check(not r[0]["flags"] & n.CREATE_SESSION4_FLAG_PERSIST,
          "csr_flags %#x has PERSIST" % r[0]["flags"])
    check(not r[0]["flags"] & n.CREATE_SESSION4_FLAG_CONN_BACK_CHAN,
          "CONN_BACK_CHAN granted without being asked")


def check_not_above(got, asked, what):
    for field in n.ChannelAttrs._fields[:6]:
        check(getattr(got, field) <= getattr(asked, field),
              "%s %s: granted %d > asked %d" % (what, field,
                                                getattr(got, field),
                                                getattr(asked, field)))
    check(got.headerpadsize == 0, "%s headerpadsize %d" % (what,
                                                          got.headerpadsize))
    check(len(got.rdma_ird) <= len(asked.rdma_ird), "%s rdma_ird" % what)


DITTOFS_FORE = n.ChannelAttrs(0, (1 << 20) + 4096, (1 << 20) + 4096, 4096,
                              128, 64)
DITTOFS_BACK = n.ChannelAttrs(0, 64 << 10, 64 << 10, 64 << 10, 128, 8)


@test("CREATE_SESSION clamps: never grants more than asked or the limits")
def t_cs_clamp(ctx):
    c = ctx.client()
    c.exchange_id()
    huge = n.ChannelAttrs(64, 64 << 20, 64 << 20, 16 << 20, 100000, 100000)
    small = n.ChannelAttrs(0, 8192, 8192, 1024, 4, 2)
    for fore, back in ((huge, huge._replace(maxresponsesize_cached=0)),
                       (small, n.BACK_ATTRS)):
        r = c.create_session(fore=fore, back=back)
        got = r[0]
        check_not_above(got["fore"], fore, "fore")
        check_not_above(got["back"], back, "back")
        check(got["fore"].maxrequests >= 1, "no fore slots")
        if ctx.server == "dittofs":
            check_not_above(got["fore"], DITTOFS_FORE, "fore vs limits")
            check_not_above(got["back"], DITTOFS_BACK, "back vs limits")


@test("CREATE_SESSION keeps the back channel's ca_maxoperations/maxrequests")
def t_cs_back_unchanged(ctx):
    # RFC 8881 18.36.3: "For the backchannel, the server MUST NOT change
    # the value the client offers" (asked within every server's limits).
    c = ctx.client()
    c.exchange_id()
    back = n.ChannelAttrs(0, 8192, 8192, 0, 4, 4)
    r = c.create_session(back=back)
    got = r[0]["back"]
    check((got.maxoperations, got.maxrequests) == (4, 4),
          "back maxoperations/maxrequests %d/%d, asked 4/4"
          % (got.maxoperations, got.maxrequests))


@test("per-client session cap: the 17th CREATE_SESSION gets NFS4ERR_NOSPC",
      only="dittofs")
def t_cs_cap(ctx):
    c = ctx.client()
    c.exchange_id()
    for i in range(16):
        r = c.compound([c.create_session_op()])
        expect(r, n.NFS4_OK, "session %d of 16" % (i + 1))
        c.cs_seq += 1
        last = r[0]["sessionid"]
    op17 = c.create_session_op()
    r17 = c.compound([op17])
    expect(r17, n.NFS4ERR_NOSPC, "17th session")
    # An executed error is cached like a success (RFC 8881 18.36.4).
    check(c.compound([op17]).raw == r17.raw, "replayed NOSPC differs")
    expect(c.destroy_session(last), n.NFS4_OK, "DESTROY_SESSION")
    c.cs_seq += 1
    expect(c.compound([c.create_session_op()]), n.NFS4_OK,
           "a session again after destroying one")


# --- SEQUENCE ------------------------------------------------------------


@test("SEQUENCE executes and reports slots truthfully")
def t_seq_exec(ctx):
    c = ctx.session()
    nslots = c.session["fore"].maxrequests
    r = c.seq()
    expect(r, n.NFS4_OK, "SEQUENCE")
    s = r[0]
    check(s["sessionid"] == c.sessionid, "sr_sessionid differs")
    check((s["sequenceid"], s["slotid"]) == (1, 0),
          "sr_sequenceid/slotid %d/%d" % (s["sequenceid"], s["slotid"]))
    check(s["highest_slotid"] < nslots, "sr_highest_slotid %d with %d slots"
          % (s["highest_slotid"], nslots))
    check(s["target_highest_slotid"] < nslots,
          "sr_target_highest_slotid %d with %d slots"
          % (s["target_highest_slotid"], nslots))
    expect(c.seq(), n.NFS4_OK, "SEQUENCE seqid 2")
    if nslots > 1:
        r = c.seq(slot=nslots - 1)
        expect(r, n.NFS4_OK, "SEQUENCE on the last slot")


@test("SEQUENCE: the first sequence id on a slot must be 1")
def t_seq_first(ctx):
    c = ctx.session()
    expect(c.seq(seqid=2), n.NFS4ERR_SEQ_MISORDERED, "seqid 2 on a new slot")
    expect(c.seq(seqid=0), n.NFS4ERR_SEQ_MISORDERED, "seqid 0 on a new slot")
    expect(c.seq(), n.NFS4_OK, "seqid 1 afterwards")


@test("SEQUENCE retry with cachethis: the cached reply, byte for byte",
      todo={"knfsd": "knfsd 6.12 re-encodes sr_status_flags in a replay"})
def t_seq_replay_cached(ctx):
    c = ctx.session()
    ops = [n.op_putrootfh(), n.op_getfh()]
    r1 = c.seq(ops, cachethis=True)
    expect(r1, n.NFS4_OK, "SEQUENCE+PUTROOTFH+GETFH")
    r2 = c.seq(ops, cachethis=True, seqid=c.slots[0])
    check(r2.raw == r1.raw, "retry reply differs:\n  %s\n  %s"
          % (r1.raw.hex(), r2.raw.hex()))
    expect(c.seq(ops), n.NFS4_OK, "next seqid after the retry")


@test("SEQUENCE retry of an uncached reply: NFS4ERR_RETRY_UNCACHED_REP")
def t_seq_retry_uncached(ctx):
    c = ctx.session()
    ops = [n.op_putrootfh(), n.op_getfh()]
    expect(c.seq(ops), n.NFS4_OK, "SEQUENCE+PUTROOTFH+GETFH")
    r = c.seq(ops, seqid=c.slots[0])
    # RFC 8881 2.10.6.1.3: on SEQUENCE or on the op after it.
    expect(r, n.NFS4ERR_RETRY_UNCACHED_REP, "uncached retry")
    check(len(r.results) <= 2, "ops executed after the error")


@test("SEQUENCE false retry (other op count): NFS4ERR_SEQ_FALSE_RETRY")
def t_seq_false_retry_count(ctx):
    c = ctx.session()
    expect(c.seq([n.op_putrootfh()], cachethis=True), n.NFS4_OK, "original")
    r = c.seq([n.op_putrootfh(), n.op_getfh()], cachethis=True,
              seqid=c.slots[0])
    expect(r, n.NFS4ERR_SEQ_FALSE_RETRY, "same slot+seqid, other request")


@test("SEQUENCE false retry (same shape, other op): NFS4ERR_SEQ_FALSE_RETRY",
      todo={"knfsd": "knfsd 6.12 compares only op count, cachethis and "
                     "credential, not the request"})
def t_seq_false_retry_same_shape(ctx):
    c = ctx.session()
    expect(c.seq([n.op_putrootfh(), n.op_getfh()], cachethis=True),
           n.NFS4_OK, "original")
    r = c.seq([n.op_putrootfh(), n.op_getattr([1 << n.FATTR4_TYPE])],
              cachethis=True, seqid=c.slots[0])
    expect(r, n.NFS4ERR_SEQ_FALSE_RETRY, "same slot+seqid, GETATTR for GETFH")


@test("SEQUENCE misordered: NFS4ERR_SEQ_MISORDERED and the slot unchanged")
def t_seq_misordered(ctx):
    c = ctx.session()
    expect(c.seq(), n.NFS4_OK, "seqid 1")
    for seqid in (3, 0, 0xffffffff):
        expect(c.seq(seqid=seqid), n.NFS4ERR_SEQ_MISORDERED,
               "seqid %d after 1" % seqid)
    r = c.seq()
    expect(r, n.NFS4_OK, "seqid 2 still works")


@test("SEQUENCE on a slot beyond the table: NFS4ERR_BADSLOT")
def t_seq_badslot(ctx):
    c = ctx.session()
    nslots = c.session["fore"].maxrequests
    for slot in (nslots, nslots + 1000, 0xffffffff):
        r = c.compound([n.op_sequence(c.sessionid, 1, slot)])
        expect(r, n.NFS4ERR_BADSLOT, "slot %d of %d" % (slot, nslots))
    expect(c.seq(), n.NFS4_OK, "slot 0 afterwards")


@test("SEQUENCE with an unknown session: NFS4ERR_BADSESSION")
def t_seq_badsession(ctx):
    c = ctx.session()
    bogus = bytes(b ^ 0xa5 for b in c.sessionid)
    r = c.compound([n.op_sequence(bogus, 1, 0), n.op_putrootfh()])
    expect(r, n.NFS4ERR_BADSESSION, "SEQUENCE, unknown session")
    check(len(r.results) == 1, "ops executed after BADSESSION")


@test("SEQUENCE retry while the original executes: NFS4ERR_DELAY")
def t_seq_delay(ctx):
    c = ctx.session(fore=n.FORE_ATTRS._replace(maxoperations=64))
    maxops = c.session["fore"].maxoperations
    ops = [n.op_putrootfh()] + [n.op_getfh()] * (maxops - 2)
    seen = []
    for _ in range(30):
        seqid = c.slots.get(0, 0) + 1
        data = n.Compound([c.seq_op(seqid=seqid)] + ops).pack()
        x1 = c.conn.send(n.NFSPROC4_COMPOUND, data)
        x2 = c.conn.send(n.NFSPROC4_COMPOUND, data)
        r1 = n.CompoundReply(c.conn.wait(x1))
        r2 = n.CompoundReply(c.conn.wait(x2))
        c.slots[0] = seqid
        first, other = sorted((r1, r2), key=lambda r: r.status != n.NFS4_OK)
        expect(first, n.NFS4_OK, "one of the two copies")
        expect(other, {n.NFS4ERR_DELAY, n.NFS4ERR_RETRY_UNCACHED_REP},
               "the other copy")
        if other.status == n.NFS4ERR_DELAY:
            check(len(other.results) == 1, "ops after DELAY")
            seen.append(seqid)
            break
    if not seen:
        raise Skip("no retry arrived while the original ran (30 tries)")
    expect(c.seq(), n.NFS4_OK, "slot usable after DELAY")


FAULT_DELAY = "/sys/module/dittofs/parameters/fault_delay_ms"


class held_requests:
    """While active, dittofs holds every COMPOUND with a slot for `ms`
    after its SEQUENCE (the module's fault_delay_ms test hook), so that
    another request can arrive while one executes."""

    def __init__(self, ms):
        self.ms = ms

    def __enter__(self):
        with open(FAULT_DELAY, "w") as f:
            f.write(str(self.ms))

    def __exit__(self, *exc):
        with open(FAULT_DELAY, "w") as f:
            f.write("0")


@test("SEQUENCE retry while the original executes (held): NFS4ERR_DELAY",
      only="dittofs")
def t_seq_delay_held(ctx):
    c = ctx.session()
    other = ctx.conn()
    data = n.Compound([c.seq_op(), n.op_putrootfh(), n.op_getfh()]).pack()
    with held_requests(500):
        x1 = c.conn.send(n.NFSPROC4_COMPOUND, data)
        time.sleep(0.1)
        r2 = n.CompoundReply(other.call(n.NFSPROC4_COMPOUND, data))
        r1 = n.CompoundReply(c.conn.wait(x1))
    expect(r2, n.NFS4ERR_DELAY, "the retry while the original executes")
    check(len(r2.results) == 1, "ops after DELAY: %d" % len(r2.results))
    expect(r1, n.NFS4_OK, "the original")
    c.slots[0] = 1
    # The slot was not advanced by the DELAY: the next request is seqid 2.
    expect(c.seq(), n.NFS4_OK, "slot usable after DELAY")
    other.close()


@test("DESTROY_SESSION while a request executes: NFS4ERR_DELAY, then OK",
      only="dittofs")
def t_destroy_session_busy(ctx):
    c = ctx.session()
    other = ctx.conn()
    # DESTROY_SESSION alone must come on a connection bound to the session.
    expect(other.compound(n.Compound([n.op_bind_conn_to_session(
        c.sessionid, n.CDFC4_FORE)])), n.NFS4_OK, "BIND_CONN_TO_SESSION")
    data = n.Compound([c.seq_op(), n.op_putrootfh()]).pack()
    destroy = n.Compound([n.op_destroy_session(c.sessionid)])
    with held_requests(500):
        x1 = c.conn.send(n.NFSPROC4_COMPOUND, data)
        time.sleep(0.1)
        r2 = other.compound(destroy)
        r1 = n.CompoundReply(c.conn.wait(x1))
    expect(r2, n.NFS4ERR_DELAY, "DESTROY_SESSION with a request in flight")
    expect(r1, n.NFS4_OK, "the request in flight")
    expect(other.compound(destroy), n.NFS4_OK, "DESTROY_SESSION after it")
    c.slots[0] = 1
    expect(c.seq(), n.NFS4ERR_BADSESSION, "SEQUENCE after DESTROY_SESSION")
    other.close()


@test("SEQUENCE with more ops than ca_maxoperations: NFS4ERR_TOO_MANY_OPS")
def t_seq_too_many_ops(ctx):
    c = ctx.session(fore=n.FORE_ATTRS._replace(maxoperations=8))
    maxops = c.session["fore"].maxoperations
    check(maxops <= 8, "granted %d ops, asked 8" % maxops)
    r = c.seq([n.op_putrootfh()] * maxops)
    expect(r, n.NFS4ERR_TOO_MANY_OPS, "%d ops" % (maxops + 1))
    expect(c.seq([n.op_putrootfh()] * (maxops - 1)), n.NFS4_OK,
           "%d ops on the same seqid" % maxops)


@test("SEQUENCE in a request above ca_maxrequestsize: NFS4ERR_REQ_TOO_BIG")
def t_seq_req_too_big(ctx):
    c = ctx.session(fore=n.FORE_ATTRS._replace(maxrequestsize=512))
    limit = c.session["fore"].maxrequestsize
    check(limit <= 512, "granted maxrequestsize %d, asked 512" % limit)
    big = n.op_getattr([0] * 300)   # a 1.2 KB bitmap
    r = c.seq([n.op_putrootfh(), big])
    expect(r, n.NFS4ERR_REQ_TOO_BIG, "1.3 KB request")
    check(len(r.results) == 1, "ops executed after REQ_TOO_BIG")
    expect(c.seq([n.op_putrootfh()]), n.NFS4_OK, "same seqid, small request")


def getfh_ops(count):
    return [n.op_putrootfh()] + [n.op_getfh()] * count


@test("SEQUENCE with a reply above ca_maxresponsesize: NFS4ERR_REP_TOO_BIG")
def t_seq_rep_too_big(ctx):
    fore = n.FORE_ATTRS._replace(maxresponsesize=512, maxoperations=64)
    c = ctx.session(fore=fore)
    limit = c.session["fore"].maxresponsesize
    check(limit <= 512, "granted maxresponsesize %d, asked 512" % limit)
    count = min(c.session["fore"].maxoperations - 2, 40)
    r = c.seq(getfh_ops(count))
    expect(r, n.NFS4ERR_REP_TOO_BIG, "%d GETFH" % count)
    check(len(r.rpc.raw) <= limit, "reply of %d bytes > %d"
          % (len(r.rpc.raw), limit))


@test("SEQUENCE cachethis with a reply above the cache: "
      "NFS4ERR_REP_TOO_BIG_TO_CACHE",
      skip={"knfsd": "knfsd 6.12 hits WARN_ON_ONCE in nfsd4_check_resp_size "
                     "(a panic under panic_on_warn)"})
def t_seq_rep_too_big_to_cache(ctx):
    fore = n.FORE_ATTRS._replace(maxresponsesize_cached=256,
                                 maxoperations=64)
    c = ctx.session(fore=fore)
    limit = c.session["fore"].maxresponsesize_cached
    check(limit <= 256, "granted maxresponsesize_cached %d, asked 256"
          % limit)
    count = min(c.session["fore"].maxoperations - 2, 40)
    r = c.seq(getfh_ops(count), cachethis=True)
    expect(r, n.NFS4ERR_REP_TOO_BIG_TO_CACHE, "%d GETFH, cachethis" % count)
    r = c.seq(getfh_ops(count))
    check(r.status in (n.NFS4_OK, n.NFS4ERR_SEQ_MISORDERED),
          "the same without cachethis: %s" % r.describe())


@test("SEQUENCE not first: NFS4ERR_SEQUENCE_POS")
def t_seq_pos(ctx):
    c = ctx.session()
    r = c.seq([n.op_putrootfh(), c.seq_op(slot=0, seqid=2)])
    expect(r, n.NFS4ERR_SEQUENCE_POS, "SEQUENCE as the third op")
    check(len(r.results) == 3, "error not on the second SEQUENCE: %d results"
          % len(r.results))


@test("PUTROOTFH without SEQUENCE: NFS4ERR_OP_NOT_IN_SESSION")
def t_op_not_in_session(ctx):
    c = ctx.session()
    for ops in ([n.op_putrootfh()], [n.op_putrootfh(), n.op_getfh()]):
        r = c.compound(ops)
        expect(r, n.NFS4ERR_OP_NOT_IN_SESSION, "%d op(s), no SEQUENCE"
               % len(ops))
        check(len(r.results) == 1, "more than one result")


@test("PUTROOTFH, GETFH and GETATTR(type) in a session")
def t_rootfh(ctx):
    c = ctx.session()
    r = c.seq([n.op_putrootfh(), n.op_getfh(),
               n.op_getattr([1 << n.FATTR4_TYPE])])
    expect(r, n.NFS4_OK, "SEQUENCE+PUTROOTFH+GETFH+GETATTR")
    check(0 < len(r[2]["fh"]) <= n.NFS4_FHSIZE, "file handle length")
    check(r[3]["mask"][:1] == [1 << n.FATTR4_TYPE], "attr mask %s"
          % r[3]["mask"])
    ftype = n.Unpacker(r[3]["attrs"]).u32()
    check(ftype == n.NF4DIR, "root type %d, want NF4DIR" % ftype)


# --- file handles and names (the export holds hello.txt: "hello\\n") ------


@test("PUTFH of a handle this server never made: BADHANDLE or STALE")
def t_putfh_unknown(ctx):
    c = ctx.session()
    r = c.seq([n.op_putfh(b"\xff" * 32), n.op_getfh()])
    expect(r, {n.NFS4ERR_BADHANDLE, n.NFS4ERR_STALE}, "PUTFH of garbage")


@test("PUTFH of the root handle with another export id: NFS4ERR_STALE",
      only="dittofs")
def t_putfh_stale(ctx):
    c = ctx.session()
    r = c.seq([n.op_putrootfh(), n.op_getfh()])
    expect(r, n.NFS4_OK, "PUTROOTFH+GETFH")
    fh = bytearray(r[2]["fh"])
    fh[4] ^= 0xff                # the export id follows a 4-byte header
    expect(c.seq([n.op_putfh(bytes(fh))]), n.NFS4ERR_STALE,
           "PUTFH of a foreign export's handle")


@test("LOOKUP of '..' at the root: NFS4ERR_BADNAME")
def t_lookup_dotdot(ctx):
    c = ctx.session()
    expect(c.seq([n.op_putrootfh(), n.op_lookup(b"..")]), n.NFS4ERR_BADNAME,
           "LOOKUP ..")


@test("LOOKUP of a 256-byte name: NFS4ERR_NAMETOOLONG")
def t_lookup_long(ctx):
    c = ctx.session()
    expect(c.seq([n.op_putrootfh(), n.op_lookup(b"x" * 256)]),
           n.NFS4ERR_NAMETOOLONG, "LOOKUP of 256 bytes")


@test("READ beyond EOF: NFS4_OK, no data, eof set")
def t_read_eof(ctx):
    c = ctx.session()
    r = c.seq([n.op_putrootfh(), n.op_lookup(b"hello.txt"),
               n.op_read(1000, 100)])
    expect(r, n.NFS4_OK, "READ at 1000 of a 6-byte file")
    check(r[3]["eof"] and r[3]["data"] == b"", "eof %s, %d bytes"
          % (r[3]["eof"], len(r[3]["data"])))
    r = c.seq([n.op_putrootfh(), n.op_lookup(b"hello.txt"), n.op_read(0, 100)])
    expect(r, n.NFS4_OK, "READ at 0")
    check(r[3]["data"] == b"hello\n" and r[3]["eof"], "READ at 0: %r"
          % (r[3],))


@test("WRITE to a directory: NFS4ERR_ISDIR")
def t_write_dir(ctx):
    c = ctx.session()
    expect(c.seq([n.op_putrootfh(), n.op_write(0, b"x")]), n.NFS4ERR_ISDIR,
           "WRITE to the root directory")


@test("RECLAIM_COMPLETE once, then NFS4ERR_COMPLETE_ALREADY")
def t_reclaim_complete(ctx):
    c = ctx.session()
    expect(c.seq([n.op_reclaim_complete()]), n.NFS4_OK, "RECLAIM_COMPLETE")
    expect(c.seq([n.op_reclaim_complete()]), n.NFS4ERR_COMPLETE_ALREADY,
           "second RECLAIM_COMPLETE")


@test("minor versions 2 and 3: NFS4ERR_MINOR_VERS_MISMATCH, no results")
def t_minor_vers(ctx):
    c = ctx.client()
    minors = [3, 4, 0xffffffff]
    if ctx.server == "dittofs" or not knfsd_serves_42():
        minors.insert(0, 2)
    for minor in minors:
        r = c.compound([n.op_exchange_id(c.owner, c.verifier)],
                       minorversion=minor, tag=b"tag!")
        expect(r, n.NFS4ERR_MINOR_VERS_MISMATCH, "minor version %d" % minor)
        check(r.results == [], "%d results" % len(r.results))
        check(r.tag == b"tag!", "tag not echoed: %r" % r.tag)


def knfsd_serves_42():
    try:
        with open("/proc/fs/nfsd/versions") as f:
            return "+4.2" in f.read().split()
    except OSError:
        return True


# --- DESTROY_SESSION, BIND_CONN_TO_SESSION, DESTROY_CLIENTID --------------


@test("DESTROY_SESSION: the session is gone (NFS4ERR_BADSESSION after)")
def t_destroy_session(ctx):
    c = ctx.session()
    expect(c.seq(), n.NFS4_OK, "SEQUENCE")
    expect(c.destroy_session(), n.NFS4_OK, "DESTROY_SESSION")
    expect(c.seq(), n.NFS4ERR_BADSESSION, "SEQUENCE after DESTROY_SESSION")
    expect(c.destroy_session(), n.NFS4ERR_BADSESSION, "DESTROY_SESSION again")
    expect(c.compound([c.create_session_op()]), n.NFS4_OK,
           "the client can create another session")


@test("BIND_CONN_TO_SESSION from a second connection")
def t_bind_conn(ctx):
    c = ctx.session()
    other = ctx.conn()
    r = other.compound(n.Compound([n.op_bind_conn_to_session(
        c.sessionid, n.CDFC4_FORE_OR_BOTH)]))
    expect(r, n.NFS4_OK, "BIND_CONN_TO_SESSION FORE_OR_BOTH")
    check(r[0]["sessionid"] == c.sessionid, "bctsr_sessid differs")
    check(r[0]["dir"] in (n.CDFS4_FORE, n.CDFS4_BOTH), "bctsr_dir %d"
          % r[0]["dir"])
    check(not r[0]["rdma"], "RDMA mode granted")
    r = other.compound(n.Compound([c.seq_op()]))
    expect(r, n.NFS4_OK, "SEQUENCE on the bound connection")
    c.slots[0] = 1
    r = other.compound(n.Compound([n.op_bind_conn_to_session(
        c.sessionid, n.CDFC4_FORE)]))
    check(r.status in (n.NFS4_OK, n.NFS4ERR_INVAL),
          "rebinding FORE only: %s" % r.describe())
    if r.status == n.NFS4_OK:
        check(r[0]["dir"] == n.CDFS4_FORE, "CDFC4_FORE answered %d"
              % r[0]["dir"])
    bogus = bytes(b ^ 0x3c for b in c.sessionid)
    r = other.compound(n.Compound([n.op_bind_conn_to_session(bogus)]))
    expect(r, n.NFS4ERR_BADSESSION, "BIND_CONN_TO_SESSION, unknown session")
    other.close()


@test("DESTROY_CLIENTID with a session: NFS4ERR_CLIENTID_BUSY")
def t_destroy_clientid(ctx):
    c = ctx.session()
    expect(c.destroy_clientid(), n.NFS4ERR_CLIENTID_BUSY,
           "DESTROY_CLIENTID with a session")
    expect(c.seq(), n.NFS4_OK, "the session survives")
    expect(c.destroy_session(), n.NFS4_OK, "DESTROY_SESSION")
    expect(c.destroy_clientid(), n.NFS4_OK, "DESTROY_CLIENTID without")
    r = c.compound([c.create_session_op()])
    expect(r, n.NFS4ERR_STALE_CLIENTID, "CREATE_SESSION after it")


# --- RFC 8881 rules an independent suite checks ---------------------------


@test("CREATE_SESSION refused for its channel attributes uses no "
      "csa_sequence: the same sequence then creates the session")
def t_cs_toosmall_no_seq(ctx):
    c = ctx.client()
    c.exchange_id()
    tiny = n.FORE_ATTRS._replace(maxrequestsize=16, maxresponsesize=16)
    for i in range(4):
        expect(c.compound([c.create_session_op(fore=tiny)]),
               n.NFS4ERR_TOOSMALL, "CREATE_SESSION #%d, tiny fore channel"
               % (i + 1))
    r = c.compound([c.create_session_op()])
    expect(r, n.NFS4_OK, "CREATE_SESSION with that csa_sequence, good "
           "attributes")
    check(r[0]["sequence"] == c.cs_seq, "csr_sequence %d, asked %d"
          % (r[0]["sequence"], c.cs_seq))


@test("EXCHANGE_ID case 3: another principal, no state: the old record "
      "goes (CREATE_SESSION on its id: NFS4ERR_STALE_CLIENTID)")
def t_exid_case3_no_state(ctx):
    c = ctx.session()
    old = c.clientid
    expect(c.destroy_session(), n.NFS4_OK, "DESTROY_SESSION")
    c2 = ctx.client(owner=c.owner, verifier=c.verifier,
                    cred=n.AuthSys(uid=4242, gid=4242))
    c2.exchange_id()
    check(c2.clientid != old, "the same client id for another principal")
    r = c.compound([n.op_create_session(old, c.cs_seq)])
    expect(r, n.NFS4ERR_STALE_CLIENTID, "CREATE_SESSION on the old id")
    c2.create_session()
    expect(c2.seq(), n.NFS4_OK, "SEQUENCE of the new principal's session")


@test("EXCHANGE_ID case 3: another principal while the client holds an "
      "open (no session): NFS4ERR_CLID_INUSE")
def t_exid_case3_open(ctx):
    c = fs_session(ctx)
    local_file(ctx, "wt-case3", 0o644)
    r = c.seq([n.op_putrootfh(), open_op(c, b"wt-case3",
                                         n.SHARE_ACCESS_READ)])
    expect(r, n.NFS4_OK, "OPEN")
    expect(c.destroy_session(), n.NFS4_OK, "DESTROY_SESSION")
    c2 = ctx.client(owner=c.owner, verifier=c.verifier,
                    cred=n.AuthSys(uid=4242, gid=4242))
    r = c2.compound([n.op_exchange_id(c.owner, c.verifier)])
    expect(r, n.NFS4ERR_CLID_INUSE, "EXCHANGE_ID by another principal")
    # The owner's own principal still finds its record (case 2).
    r = c.compound([n.op_exchange_id(c.owner, c.verifier)])
    expect(r, n.NFS4_OK, "EXCHANGE_ID by the first principal")
    check(r[0]["clientid"] == c.clientid, "client id changed")


@test("DESTROY_SESSION of the COMPOUND's own session before its last op: "
      "NFS4ERR_NOT_ONLY_OP, the session stays")
def t_ds_not_last(ctx):
    c = ctx.session()
    r = c.seq([n.op_destroy_session(c.sessionid), n.op_putrootfh()])
    expect(r, n.NFS4ERR_NOT_ONLY_OP, "SEQUENCE, DESTROY_SESSION, PUTROOTFH")
    expect(c.seq(), n.NFS4_OK, "SEQUENCE afterwards")
    r = c.seq([n.op_putrootfh(), n.op_destroy_session(c.sessionid)])
    expect(r, n.NFS4_OK, "SEQUENCE, PUTROOTFH, DESTROY_SESSION (last)")
    expect(c.seq(), n.NFS4ERR_BADSESSION, "SEQUENCE after it")


@test("DESTROY_SESSION from a connection not bound to the session: "
      "NFS4ERR_CONN_NOT_BOUND_TO_SESSION; once bound it works",
      only="dittofs")
def t_ds_unbound_conn(ctx):
    c = ctx.session()
    other = ctx.conn()
    r = other.compound(n.Compound([n.op_destroy_session(c.sessionid)]))
    expect(r, n.NFS4ERR_CONN_NOT_BOUND_TO_SESSION,
           "DESTROY_SESSION alone, unbound connection")
    d = ctx.session()
    r = d.seq([n.op_destroy_session(c.sessionid)])
    expect(r, n.NFS4ERR_CONN_NOT_BOUND_TO_SESSION,
           "DESTROY_SESSION after another session's SEQUENCE")
    expect(c.seq(), n.NFS4_OK, "the session is still there")
    r = other.compound(n.Compound([n.op_bind_conn_to_session(
        c.sessionid, n.CDFC4_FORE)]))
    expect(r, n.NFS4_OK, "BIND_CONN_TO_SESSION")
    r = other.compound(n.Compound([n.op_destroy_session(c.sessionid)]))
    expect(r, n.NFS4_OK, "DESTROY_SESSION from the bound connection")
    other.close()


@test("BIND_CONN_TO_SESSION with another operation: NFS4ERR_NOT_ONLY_OP")
def t_bind_not_only(ctx):
    c = ctx.session()
    other = ctx.conn()
    r = other.compound(n.Compound([n.op_bind_conn_to_session(c.sessionid),
                                   n.op_putrootfh()]))
    expect(r, n.NFS4ERR_NOT_ONLY_OP, "BIND_CONN_TO_SESSION, PUTROOTFH")
    other.close()


@test("BIND_CONN_TO_SESSION after SEQUENCE: NFS4ERR_NOT_ONLY_OP",
      only="dittofs")
def t_bind_after_seq(ctx):
    c = ctx.session()
    r = c.seq([n.op_bind_conn_to_session(c.sessionid, n.CDFC4_FORE)])
    expect(r, n.NFS4ERR_NOT_ONLY_OP, "SEQUENCE, BIND_CONN_TO_SESSION")


@test("BIND_CONN_TO_SESSION cannot change a bound connection's direction "
      "(NFS4ERR_INVAL); asking for what it has is granted")
def t_bind_change_dir(ctx):
    c = ctx.session()
    other = ctx.conn()

    def bind(d):
        return other.compound(n.Compound([n.op_bind_conn_to_session(
            c.sessionid, d)]))
    r = bind(n.CDFC4_FORE)
    expect(r, n.NFS4_OK, "BIND_CONN_TO_SESSION FORE")
    check(r[0]["dir"] == n.CDFS4_FORE, "FORE granted %d" % r[0]["dir"])
    expect(bind(n.CDFC4_BACK), n.NFS4ERR_INVAL, "then BACK")
    r = bind(n.CDFC4_FORE)
    expect(r, n.NFS4_OK, "FORE again")
    r = bind(n.CDFC4_FORE_OR_BOTH)
    expect(r, n.NFS4_OK, "FORE_OR_BOTH")
    # How a client gets its back channel on a connection that a SEQUENCE
    # bound to the fore channel.
    check(r[0]["dir"] == n.CDFS4_BOTH,
          "FORE_OR_BOTH on a fore connection granted %d" % r[0]["dir"])
    r = other.compound(n.Compound([c.seq_op()]))
    expect(r, n.NFS4_OK, "SEQUENCE on it")
    other.close()


@test("SECINFO_NO_NAME for the parent of the root: NFS4ERR_NOENT")
def t_secinfo_parent_root(ctx):
    c = ctx.session()
    r = c.seq([n.op_putrootfh(), n.op_secinfo_no_name(style=1)])
    expect(r, n.NFS4ERR_NOENT, "SECINFO_NO_NAME PARENT on the root")
    r = c.seq([n.op_putrootfh(), n.op_secinfo_no_name(style=0)])
    expect(r, n.NFS4_OK, "SECINFO_NO_NAME CURRENT_FH on the root")
    r = c.seq([n.op_putrootfh(), n.op_secinfo_no_name(style=2)])
    expect(r, n.NFS4ERR_INVAL, "SECINFO_NO_NAME with style 2")


@test("COMPOUND tag that is not UTF-8: NFS4ERR_INVAL, no operation runs; "
      "a UTF-8 tag is echoed", only="dittofs")
def t_tag_utf8(ctx):
    c = ctx.session()
    for tag in (b"\xff\xfe", b"ok\xc0\xaf", b"\xed\xa0\x80"):
        r = c.compound([c.seq_op()], tag=tag)
        expect(r, n.NFS4ERR_INVAL, "tag %r" % tag)
        check(not r.results, "operations ran: %s" % r.describe())
    tag = "caf\u00e9 \U0001f600".encode()
    r = c.seq(tag=tag)
    expect(r, n.NFS4_OK, "UTF-8 tag")
    check(r.tag == tag, "tag echoed as %r" % r.tag)


# --- the current stateid (RFC 8881 16.2.3.1.2) ----------------------------

CUR = n.CURRENT_STATEID


@test("the current stateid: OPEN sets it; WRITE, READ and CLOSE use it in "
      "the same COMPOUND")
def t_cur_sid_open(ctx):
    c = fs_session(ctx)
    r = c.seq([n.op_putrootfh(),
               open_op(c, b"wt-cursid", n.SHARE_ACCESS_BOTH, create=True),
               n.op_write(0, b"current\n", stateid=CUR),
               n.op_read(0, 100, stateid=CUR),
               n.op_close(CUR)])
    expect(r, n.NFS4_OK, "OPEN, WRITE, READ, CLOSE with the current "
           "stateid")
    check(r[4]["data"] == b"current\n", "READ gave %r" % (r[4]["data"],))
    sid = r[2]["stateid"]
    expect(close_file(c, b"wt-cursid", sid), n.NFS4ERR_BAD_STATEID,
           "CLOSE of the open CLOSE released")


@test("the current stateid: LOCK takes it as the open stateid and sets it "
      "to the lock stateid; LOCKU and FREE_STATEID use it",
      todo={"knfsd": "knfsd 6.12 does not take the current stateid as "
                     "LOCK's open stateid"})
def t_cur_sid_lock(ctx):
    c = fs_session(ctx)
    r = c.seq([n.op_putrootfh(),
               open_op(c, b"wt-curlock", n.SHARE_ACCESS_BOTH, create=True),
               n.op_lock(n.WRITE_LT, 0, 10, CUR, c.clientid,
                         owner=b"wt-curlock"),
               n.op_locku(n.WRITE_LT, CUR, 0, 10),
               n.op_free_stateid(CUR)])
    expect(r, n.NFS4_OK, "OPEN, LOCK, LOCKU, FREE_STATEID with the "
           "current stateid")
    open_sid, lock_sid = r[2]["stateid"], r[3]["stateid"]
    r = c.seq([n.op_putrootfh(), n.op_lookup(b"wt-curlock"),
               n.op_locku(n.WRITE_LT, lock_sid, 0, 10)])
    expect(r, n.NFS4ERR_BAD_STATEID, "LOCKU of the freed lock stateid")
    expect(close_file(c, b"wt-curlock", open_sid), n.NFS4_OK, "CLOSE")


@test("the current stateid: unset until an operation sets it, cleared by a "
      "filehandle change, kept by SAVEFH and RESTOREFH")
def t_cur_sid_scope(ctx):
    c = fs_session(ctx)
    local_file(ctx, "wt-cursid2", 0o644)
    r = c.seq([n.op_putrootfh(), n.op_lookup(b"wt-cursid2"),
               n.op_read(0, 10, stateid=CUR)])
    expect(r, n.NFS4ERR_BAD_STATEID, "READ with no current stateid")
    fh = lookup_fh(c, b"wt-cursid2")
    r = c.seq([n.op_putrootfh(),
               open_op(c, b"wt-cursid2", n.SHARE_ACCESS_READ),
               n.op_putfh(fh), n.op_read(0, 10, stateid=CUR)])
    expect(r, n.NFS4ERR_BAD_STATEID, "READ after PUTFH of the same file")
    # seqid 0: whatever the open's seqid is when it is closed
    sid = bytes(4) + r[2]["stateid"][4:]
    r = c.seq([n.op_putrootfh(),
               open_op(c, b"wt-cursid2", n.SHARE_ACCESS_READ),
               n.op_savefh(), n.op_putrootfh(), n.op_restorefh(),
               n.op_read(0, 10, stateid=CUR)])
    expect(r, n.NFS4_OK, "OPEN, SAVEFH, PUTROOTFH, RESTOREFH, READ")
    expect(close_file(c, b"wt-cursid2", sid), n.NFS4_OK, "CLOSE")


@test("FREE_STATEID of a lock stateid that holds locks: NFS4ERR_LOCKS_HELD")
def t_free_locks_held(ctx):
    c = fs_session(ctx)
    r = c.seq([n.op_putrootfh(),
               open_op(c, b"wt-freeheld", n.SHARE_ACCESS_BOTH, create=True)])
    expect(r, n.NFS4_OK, "OPEN")
    open_sid = r[2]["stateid"]
    r = c.seq([n.op_putrootfh(), n.op_lookup(b"wt-freeheld"),
               n.op_lock(n.WRITE_LT, 0, 10, open_sid, c.clientid,
                         owner=b"wt-freeheld")])
    expect(r, n.NFS4_OK, "LOCK")
    lock_sid = r[3]["stateid"]
    r = c.seq([n.op_free_stateid(lock_sid)])
    expect(r, n.NFS4ERR_LOCKS_HELD, "FREE_STATEID while locked")
    r = c.seq([n.op_putrootfh(), n.op_lookup(b"wt-freeheld"),
               n.op_locku(n.WRITE_LT, lock_sid, 0, 10)])
    expect(r, n.NFS4_OK, "LOCKU")
    expect(c.seq([n.op_free_stateid(r[3]["stateid"])]), n.NFS4_OK,
           "FREE_STATEID after LOCKU")
    expect(close_file(c, b"wt-freeheld", open_sid), n.NFS4_OK, "CLOSE")


@test("TEST_STATEID: a status for each stateid (open OK, unknown "
      "BAD_STATEID, special BAD_STATEID, closed BAD_STATEID)")
def t_test_stateid(ctx):
    c = fs_session(ctx)
    r = c.seq([n.op_putrootfh(),
               open_op(c, b"wt-teststid", n.SHARE_ACCESS_READ, create=True)])
    expect(r, n.NFS4_OK, "OPEN")
    sid = r[2]["stateid"]
    # Another uniquifier: the server's verifier and the index are kept.
    bogus = sid[:12] + bytes(b ^ 0x55 for b in sid[12:])
    r = c.seq([n.op_test_stateid([sid, bogus, n.ANON_STATEID])])
    expect(r, n.NFS4_OK, "TEST_STATEID")
    codes = r[1]["codes"]
    check(codes[0] == n.NFS4_OK and len(codes) == 3 and
          all(x == n.NFS4ERR_BAD_STATEID for x in codes[1:]),
          "codes %s" % [n.errname(x) for x in codes])
    expect(close_file(c, b"wt-teststid", sid), n.NFS4_OK, "CLOSE")
    r = c.seq([n.op_test_stateid([sid])])
    expect(r, n.NFS4_OK, "TEST_STATEID after CLOSE")
    check(r[1]["codes"] == [n.NFS4ERR_BAD_STATEID], "closed: %s"
          % [n.errname(x) for x in r[1]["codes"]])


@test("the current stateid: OPEN_DOWNGRADE and SETATTR of the size use "
      "it; after CLOSE it is the invalid stateid (BAD_STATEID)")
def t_cur_sid_more(ctx):
    c = fs_session(ctx)
    # Opened for read first: knfsd downgrades only to an access some OPEN
    # of the stateid asked for.
    r = c.seq([n.op_putrootfh(),
               open_op(c, b"wt-cursid3", n.SHARE_ACCESS_READ, create=True)])
    expect(r, n.NFS4_OK, "OPEN for read")
    r = c.seq([n.op_putrootfh(),
               open_op(c, b"wt-cursid3", n.SHARE_ACCESS_BOTH),
               n.op_setattr(stateid=CUR, size=0),
               n.op_open_downgrade(CUR, n.SHARE_ACCESS_READ,
                                   n.SHARE_DENY_NONE),
               n.op_close(CUR)])
    expect(r, n.NFS4_OK, "OPEN, SETATTR size, OPEN_DOWNGRADE, CLOSE with "
           "the current stateid")
    r = c.seq([n.op_putrootfh(),
               open_op(c, b"wt-cursid3", n.SHARE_ACCESS_READ),
               n.op_close(CUR), n.op_read(0, 10, stateid=CUR)])
    expect(r, n.NFS4ERR_BAD_STATEID, "READ with the current stateid after "
           "CLOSE")
    check(len(r.results) == 5, "failed at op %d" % len(r.results))


@test("CREATE_SESSION with an unknown flag: NFS4ERR_INVAL, and the sequence "
      "is still free")
def t_cs_bad_flags(ctx):
    c = ctx.client()
    c.exchange_id()
    r = c.compound([c.create_session_op(flags=0x100)])
    expect(r, n.NFS4ERR_INVAL, "csa_flags 0x100")
    expect(c.compound([c.create_session_op()]), n.NFS4_OK,
           "the same csa_sequence without it")


@test("DESTROY_CLIENTID while the client holds an open (no session): "
      "NFS4ERR_CLIENTID_BUSY")
def t_destroy_clientid_state(ctx):
    c = fs_session(ctx)
    r = c.seq([n.op_putrootfh(),
               open_op(c, b"wt-dcbusy", n.SHARE_ACCESS_READ, create=True)])
    expect(r, n.NFS4_OK, "OPEN")
    expect(c.destroy_session(), n.NFS4_OK, "DESTROY_SESSION")
    expect(c.destroy_clientid(), n.NFS4ERR_CLIENTID_BUSY,
           "DESTROY_CLIENTID with an open")


# --- leases (the "lease" profile: a 10 s lease) ----------------------------

LEASE = 10


@test("an expired client never blocks another: each of 16 expired clients' "
      "deny-both opens and write locks gives way (dittofs: at once; knfsd "
      "answers NFS4ERR_DELAY while it expires the courtesy client)",
      profile="lease")
def t_expired_conflicts(ctx):
    holders = []
    rounds = 16
    # The profile has just (re)started the server: let its reaper's first
    # pass find nothing due, so that it sleeps as long as it ever does.
    time.sleep(2)
    for i in range(rounds):
        h = fs_session(ctx)
        name = b"wt-expired-%d" % i
        r = h.seq([n.op_putrootfh(),
                   n.op_open(b"wt-holder", name, n.SHARE_ACCESS_BOTH,
                             n.SHARE_DENY_BOTH, True, 0o644,
                             clientid=h.clientid), n.op_getfh()])
        expect(r, n.NFS4_OK, "holder %d: OPEN deny both" % i)
        r = h.seq([n.op_putfh(r[3]["fh"]),
                   n.op_lock(n.WRITE_LT, 0, 100, r[2]["stateid"],
                             h.clientid, owner=b"wt-holder")])
        expect(r, n.NFS4_OK, "holder %d: LOCK" % i)
        holders.append(h)
        # Spread the expiries over the lease, against the reaper's phase.
        time.sleep(LEASE / rounds)
    c = fs_session(ctx)
    deadline = time.time() + LEASE + 3
    while time.time() < deadline:
        expect(c.seq(), n.NFS4_OK, "the live client renews")
        time.sleep(1)
    if ctx.server == "dittofs":
        # The reaper came by on its own: its next pass is moved earlier
        # for each lease that ends before it.
        with open("/sys/kernel/debug/dittofs/state") as f:
            left = [int(x.split()[1]) for x in f if x.startswith("clients ")]
        check(left == [1], "clients left 3 s after the last holder's lease "
              "ran out: %s (only the live one should be)" % left)
    bad, delays = [], 0

    def retried(ops):
        """As a client does: NFS4ERR_DELAY is tried again, for 10 s."""
        nonlocal delays
        end = time.time() + 10
        while True:
            r = c.seq(ops)
            if r.status != n.NFS4ERR_DELAY or time.time() > end:
                return r
            delays += 1
            time.sleep(0.1)
    for i in range(rounds):
        name = b"wt-expired-%d" % i
        r = retried([n.op_putrootfh(),
                     open_op(c, name, n.SHARE_ACCESS_BOTH), n.op_getfh()])
        if r.status != n.NFS4_OK:
            bad.append((i, "OPEN " + r.describe()))
            continue
        fh, sid = r[3]["fh"], r[2]["stateid"]
        r = retried([n.op_putfh(fh),
                     n.op_lock(n.WRITE_LT, 0, 100, sid, c.clientid,
                               owner=b"wt-live-%d" % i)])
        if r.status != n.NFS4_OK:
            bad.append((i, "LOCK " + r.describe()))
        c.seq([n.op_putfh(fh), n.op_close(sid)])
    if ctx.server == "dittofs":
        check(not delays, "%d NFS4ERR_DELAY answers" % delays)
    check(not bad, "opens or locks refused after the holders expired: %s"
          % bad)
    for h in holders:
        h.close()


# --- RPC level -----------------------------------------------------------


@test("RPC: NULL answers; other NFS versions and procedures are refused")
def t_rpc_basics(ctx):
    conn = ctx.conn()
    check(conn.null().accepted(), "NULL not accepted")
    r = conn.call(n.NFSPROC4_NULL, vers=5)
    check(r.accept_stat == n.PROG_MISMATCH, "version 5: %s" % r.describe())
    check(r.mismatch[0] <= 4 <= r.mismatch[1], "mismatch range %s"
          % (r.mismatch,))
    r = conn.call(7)
    check(r.accept_stat == n.PROC_UNAVAIL, "procedure 7: %s" % r.describe())
    r = conn.call(n.NFSPROC4_COMPOUND, n.Compound([]).pack(),
                  cred=n.AuthNone())
    check(r.accepted(), "AUTH_NONE COMPOUND: %s" % r.describe())


# --- Malformed input -----------------------------------------------------

RPC_ERRORS = "rpc-error"


def outcome(conn, record, grace=0.05):
    """Send one record, then a NULL probe, and classify what happened:
    "closed", "dropped" (no reply, yet the probe is answered), RPC_ERRORS
    (a denied or non-SUCCESS RPC reply) or the COMPOUND's nfsstat4."""
    xid = struct.unpack(">I", record[:4])[0] if len(record) >= 4 else None
    try:
        conn.send_record(record)
        conn.wait(conn.send(n.NFSPROC4_NULL))
    except (n.ConnectionClosed, BrokenPipeError, ConnectionResetError):
        if xid not in conn.replies:
            return "closed"
    except socket.timeout:
        raise Fail("no reply to a NULL probe and no close: hung")
    reply = conn.replies.pop(xid, None)
    if reply is None and xid is not None:
        try:
            reply = conn.wait(xid, grace)
        except socket.timeout:
            pass
        except n.ConnectionClosed:
            return "closed"
    if reply is None:
        return "dropped"
    if not reply.accepted():
        return RPC_ERRORS
    try:
        return n.CompoundReply(reply).status
    except n.XdrError as e:
        raise Fail("undecodable COMPOUND reply: %s" % e)


class Prober:
    """Sends malformed records, reconnecting after each close."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.conn = None
        self.counts = {}

    def send(self, record, allowed, what):
        if self.conn is None:
            self.conn = self.ctx.conn()
        got = outcome(self.conn, record)
        key = n.errname(got) if isinstance(got, int) else got
        self.counts[key] = self.counts.get(key, 0) + 1
        if got == "closed" or self.conn.eof:
            self.conn.close()
            self.conn = None
        ok = allowed(got) if callable(allowed) else got in allowed
        check(ok, "%s: %s" % (what, key))

    def summary(self):
        return ", ".join("%s %d" % kv for kv in sorted(self.counts.items()))

    def close(self):
        if self.conn:
            self.conn.close()


BAD_ARGS = {"closed", RPC_ERRORS, n.NFS4ERR_BADXDR}


def valid_call(conn, ops=None):
    owner = b"wiretest-malformed-" + os.urandom(4).hex().encode()
    ops = ops or [n.op_exchange_id(owner, os.urandom(8))]
    return conn.build_call(conn.next_xid(), n.NFSPROC4_COMPOUND,
                           n.Compound(ops, tag=b"malformed").pack())


def header_len(call):
    """Bytes up to the end of the RPC call header (the verifier)."""
    u = n.Unpacker(call)
    for _ in range(6):
        u.u32()
    for _ in range(2):
        u.u32()
        u.opaque()
    return u.pos


@test("malformed: a valid COMPOUND truncated at every byte offset")
def t_truncated(ctx):
    p = Prober(ctx)
    conn = ctx.conn()
    call = valid_call(conn).bytes()
    conn.close()
    hdr = header_len(call)
    for cut in range(len(call)):
        data = bytearray(call[:cut])
        if cut >= 4:
            data[:4] = struct.pack(">I", (0x10000 + cut))  # fresh xid
        allowed = BAD_ARGS | {"dropped"} if cut < hdr else BAD_ARGS
        p.send(bytes(data), allowed, "cut at %d of %d" % (cut, len(call)))
    p.close()
    ctx.alive()
    print("# truncated: %s" % p.summary())


@test("malformed: 0xffffffff in every length field")
def t_huge_lengths(ctx):
    p = Prober(ctx)
    conn = ctx.conn()
    # SEQUENCE may run before a later op's bad length is decoded.
    calls = [(valid_call(conn), set()),
             (valid_call(conn, [n.op_create_session(
                 1, 1, sec_parms=[n.AuthSys(gids=[1, 2]), n.CbSecGss()])]),
              set()),
             (valid_call(conn, [n.op_sequence(b"\0" * 16, 1, 0),
                                n.op_getattr([1, 2])]),
              {n.NFS4ERR_BADSESSION})]
    conn.close()
    total = 0
    for call, extra in calls:
        data = call.bytes()
        hdr = header_len(data)
        for off, what in call.lengths:
            if off == CRED_LEN_OFFSET:
                continue    # its own test below
            bad = bytearray(data)
            bad[off:off + 4] = b"\xff\xff\xff\xff"
            if off >= 4:
                bad[:4] = struct.pack(">I", 0x20000 + total)
            allowed = BAD_ARGS | extra
            if off < hdr:
                allowed = allowed | {"dropped"}
            p.send(bytes(bad), allowed, "%s at offset %d" % (what, off))
            total += 1
    p.close()
    ctx.alive()
    check(total >= 20, "only %d length fields" % total)
    print("# %d length fields: %s" % (total, p.summary()))


# The credential's body length: the first length word of every call.
CRED_LEN_OFFSET = 28


@test("malformed: 0xffffffff as the credential's body length",
      todo={s: "sunrpc's svcauth_unix_accept() ignores the AUTH_SYS body "
               "length by design and the call executes" for s in SERVERS})
def t_huge_cred_len(ctx):
    p = Prober(ctx)
    conn = ctx.conn()
    call = valid_call(conn)
    conn.close()
    check(call.lengths[0] == (CRED_LEN_OFFSET, "auth body"),
          "credential length not at offset %d" % CRED_LEN_OFFSET)
    bad = bytearray(call.bytes())
    bad[CRED_LEN_OFFSET:CRED_LEN_OFFSET + 4] = b"\xff\xff\xff\xff"
    p.send(bytes(bad), BAD_ARGS | {"dropped"}, "credential length")
    p.close()
    ctx.alive()


@test("malformed: op count 0 is an empty reply, 2^32-1 is refused")
def t_opcounts(ctx):
    conn = ctx.conn()
    r = conn.compound(n.Compound([]))
    check(r.status in (n.NFS4_OK, n.NFS4ERR_OP_NOT_IN_SESSION),
          "0 ops: %s" % r.describe())
    check(len(r.results) == 0, "0 ops: %d results" % len(r.results))
    p = Prober(ctx)
    for ops in ([], [n.op_putrootfh()]):
        comp = n.Compound(ops, tag=b"malformed", opcount=0xffffffff).pack()
        call = conn.build_call(conn.next_xid(), n.NFSPROC4_COMPOUND, comp)
        p.send(call.bytes(), BAD_ARGS | {n.NFS4ERR_TOO_MANY_OPS},
               "2^32-1 ops with %d present" % len(ops))
    p.close()
    conn.close()
    ctx.alive()


@test("malformed: random bytes after a valid RPC header")
def t_random_args(ctx):
    seed = int(os.environ.get("WIRETEST_SEED", time.time()))
    rnd = random.Random(seed)
    p = Prober(ctx)
    conn = ctx.conn()
    opnums = [n.OP_EXCHANGE_ID, n.OP_CREATE_SESSION, n.OP_SEQUENCE,
              n.OP_DESTROY_SESSION, n.OP_BIND_CONN_TO_SESSION,
              n.OP_DESTROY_CLIENTID, n.OP_GETATTR, n.OP_PUTROOTFH]
    for i in range(400):
        body = bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(1, 600)))
        if i % 2:   # a sane COMPOUND header, then an op and random bytes
            head = n.Packer()
            head.opaque(b"")
            head.u32(1)
            head.u32(rnd.randrange(1, 4))
            head.u32(rnd.choice(opnums))
            body = head.bytes() + body
        call = conn.build_call(conn.next_xid(), n.NFSPROC4_COMPOUND, body)
        # Any error is fine; NFS4_OK would mean garbage was accepted.
        p.send(call.bytes(), lambda got: got != n.NFS4_OK and got !=
               "dropped", "seed %d, case %d" % (seed, i))
    p.close()
    conn.close()
    ctx.alive()
    print("# random (seed %d): %s" % (seed, p.summary()))


@test("200 idle connections do not close one that uses a session",
      todo={"knfsd": "knfsd 6.12 marks a connection valid only when it "
            "presents an export's handle, not the pseudo-root's"})
def t_idle_flood(ctx):
    c = ctx.session()
    # PUTROOTFH too: knfsd marks a connection valid on a file handle
    expect(c.seq([n.op_putrootfh()]), n.NFS4_OK, "before the flood")
    idle = []
    try:
        for _ in range(200):
            idle.append(socket.create_connection((ctx.host, ctx.port),
                                                 ctx.timeout))
        time.sleep(1)
        expect(c.seq([n.op_putrootfh()]), n.NFS4_OK,
               "the same connection after 200 idle ones")
    finally:
        for s in idle:
            s.close()


@test("malformed: 1000 connections dropped mid-request")
def t_dropped_conns(ctx):
    conn = ctx.conn()
    call = valid_call(conn).bytes()
    conn.close()
    mark = struct.pack(">I", 0x80000000 | len(call))
    socks = []
    for i in range(1000):
        s = socket.create_connection((ctx.host, ctx.port), ctx.timeout)
        part = (mark + call)[:4 + (i % len(call))]
        s.sendall(part)
        if i % 2:   # half end with a reset instead of a FIN
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                         struct.pack("ii", 1, 0))
        socks.append(s)
        if len(socks) >= 50:
            for s in socks:
                s.close()
            socks = []
    for s in socks:
        s.close()
    ctx.alive()
    c = ctx.session()
    expect(c.seq([n.op_putrootfh()]), n.NFS4_OK, "a session works after")


# --- runner --------------------------------------------------------------


# --- exports: containment, identity, rules, permissions -------------------
#
# These tests set files up on the server's side (--export-dir, as root) and
# look at them there; each profile's tests run against a server set up
# with that profile's export rules.

AT_FDCWD = -100
FS_IOC_GETFLAGS, FS_IOC_SETFLAGS = 0x80086601, 0x40086602
FS_IMMUTABLE_FL, FS_APPEND_FL = 0x10, 0x20
F_SETLEASE, F_RDLCK, F_UNLCK = 1024, 0, 2
# Where each server's handle keeps the exportfs fileid type.
FH_TYPE_OFFSET = {"knfsd": 3, "dittofs": 1}


def local_handle(path):
    """(type, fid) of `path` as exportfs encodes it: name_to_handle_at(2)."""
    import ctypes

    class FileHandle(ctypes.Structure):
        _fields_ = [("handle_bytes", ctypes.c_uint),
                    ("handle_type", ctypes.c_int),
                    ("f_handle", ctypes.c_ubyte * 128)]
    libc = ctypes.CDLL(None, use_errno=True)
    fh = FileHandle()
    fh.handle_bytes = 128
    mount_id = ctypes.c_int()
    if libc.name_to_handle_at(AT_FDCWD, path.encode(), ctypes.byref(fh),
                              ctypes.byref(mount_id), 0) != 0:
        raise OSError(ctypes.get_errno(), "name_to_handle_at " + path)
    return fh.handle_type, bytes(fh.f_handle[:fh.handle_bytes])


def local_file(ctx, name, mode=0o644, uid=0, gid=0, data=b"secret\n"):
    path = ctx.local(name)
    if os.path.isdir(path):
        os.rmdir(path)
    with open(path, "wb") as f:
        f.write(data)
    os.chown(path, uid, gid)
    os.chmod(path, mode)
    return path


def set_flags(path, flags):
    import fcntl
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.ioctl(fd, FS_IOC_SETFLAGS, struct.pack("i", flags))
    finally:
        os.close(fd)


def lookup_fh(c, name, **kw):
    r = c.seq([n.op_putrootfh(), n.op_lookup(name), n.op_getfh()], **kw)
    expect(r, n.NFS4_OK, "LOOKUP %s" % name.decode())
    return r[3]["fh"]


def forge(ctx, c, path):
    """A handle for the server-side `path`, forged the way a client that
    knows the handle layout can: another handle's header, `path`'s fid."""
    d = ctx.local("wt-fhdir")
    os.makedirs(d, exist_ok=True)
    dfh = lookup_fh(c, b"wt-fhdir")
    hdr = len(dfh) - len(local_handle(d)[1])
    check(hdr > 0, "cannot find the handle header")
    ftype, fid = local_handle(path)
    fh = bytearray(dfh[:hdr] + fid)
    fh[FH_TYPE_OFFSET[ctx.server]] = ftype
    return bytes(fh)


def outside(ctx, name):
    """A path on the export's file system but outside the export."""
    d = os.path.join(os.path.dirname(ctx.export_dir.rstrip("/")),
                     "wt-outside")
    os.makedirs(d, exist_ok=True)
    return os.path.join(d, name)


USER = n.AuthSys(uid=1000, gid=1000)


def fs_session(ctx):
    """A session that may open files: a 4.1 client's first OPEN follows
    RECLAIM_COMPLETE (knfsd answers NFS4ERR_GRACE before it)."""
    c = ctx.session()
    expect(c.seq([n.op_reclaim_complete()]), n.NFS4_OK, "RECLAIM_COMPLETE")
    return c


def close_file(c, name, sid):
    """CLOSE of `sid` on the export's `name`; the reply."""
    return c.seq([n.op_putrootfh(), n.op_lookup(name), n.op_close(sid)])


def open_op(c, name, access, deny=n.SHARE_DENY_NONE, create=False,
            mode=0o644):
    return n.op_open(b"wt-owner", name, access, deny, create, mode,
                     clientid=c.clientid)


@test("a forged handle of a file outside the export: NFS4ERR_STALE "
      "(the same forgery of a file inside works)", profile="secure")
def t_exp_forged_file(ctx):
    c = fs_session(ctx)
    local_file(ctx, "wt-inside")
    inside = forge(ctx, c, ctx.local("wt-inside"))
    r = c.seq([n.op_putfh(inside), n.op_read(0, 100)])
    expect(r, n.NFS4_OK, "READ through a forged handle inside the export")
    check(r[2]["data"] == b"secret\n", "read %r" % r[2]["data"])
    path = outside(ctx, "secret")
    with open(path, "w") as f:
        f.write("outside\n")
    r = c.seq([n.op_putfh(forge(ctx, c, path)), n.op_read(0, 100)])
    expect(r, n.NFS4ERR_STALE, "PUTFH+READ of a file outside the export")


@test("a forged handle of a directory outside the export: NFS4ERR_STALE",
      profile="secure")
def t_exp_forged_dir(ctx):
    c = fs_session(ctx)
    d = outside(ctx, "dir")
    os.makedirs(d, exist_ok=True)
    r = c.seq([n.op_putfh(forge(ctx, c, d)), n.op_getfh()])
    expect(r, n.NFS4ERR_STALE, "PUTFH of a directory outside the export")


@test("LOOKUPP at the export root: NFS4ERR_NOENT")
def t_exp_lookupp_root(ctx):
    c = fs_session(ctx)
    expect(c.seq([n.op_putrootfh(), n.op_lookupp(), n.op_getfh()]),
           n.NFS4ERR_NOENT, "LOOKUPP at the root")


@test("a secure export serves a client on a port below 1024",
      profile="secure")
def t_exp_secure_ok(ctx):
    c = fs_session(ctx)
    expect(c.seq([n.op_putrootfh(), n.op_getfh()]), n.NFS4_OK,
           "PUTROOTFH+GETFH from a reserved port")


@test("a secure export refuses a source port of 1024 or above: "
      "NFS4ERR_PERM", profile="secure")
def t_exp_secure_port(ctx):
    c = ctx.client(source=("127.0.0.1", 0))
    c.setup()
    expect(c.seq([n.op_putrootfh(), n.op_getattr([1 << n.FATTR4_TYPE])]),
           n.NFS4ERR_PERM, "PUTROOTFH+GETATTR from an unprivileged port")


AUTH_BADCRED = 1


@test("a client on no export's list (127.0.0.2): COMPOUND is refused "
      "with AUTH_ERROR/AUTH_BADCRED, NULL answered", profile="secure")
def t_exp_client_list(ctx):
    conn = ctx.conn(source=("127.0.0.2", "resv"))
    r = conn.null()
    check(r.accepted(), "NULL from 127.0.0.2: %s" % r.describe())
    r = conn.compound(n.Compound([n.op_exchange_id(b"wt-unlisted",
                                                   b"v" * 8)])).rpc
    check(r.reply_stat == n.MSG_DENIED and r.reject_stat == n.AUTH_ERROR
          and r.auth_stat == AUTH_BADCRED,
          "EXCHANGE_ID from 127.0.0.2: %s auth_stat %s"
          % (r.describe(), r.auth_stat))
    conn.close()
    c = ctx.client(source=("127.0.0.1", "resv"))
    c.setup()
    expect(c.seq([n.op_putrootfh(), n.op_getfh()]), n.NFS4_OK,
           "the same from 127.0.0.1")


@test("root_squash: uid 0 creates as 65534, group 0 becomes 65534",
      profile="secure")
def t_exp_root_squash(ctx):
    c = fs_session(ctx)
    for name, cred in ((b"wt-sq-root", None),
                       (b"wt-sq-grp", n.AuthSys(uid=1000, gid=0, gids=[0]))):
        path = ctx.local(name.decode())
        if os.path.exists(path):
            os.unlink(path)
        r = c.seq([n.op_putrootfh(),
                   open_op(c, name, n.SHARE_ACCESS_BOTH, create=True)],
                  cred=cred)
        expect(r, n.NFS4_OK, "OPEN create %s" % name.decode())
        st = os.stat(path)
        want = (65534, 65534) if cred is None else (1000, 65534)
        check((st.st_uid, st.st_gid) == want, "%s is %d:%d, want %d:%d"
              % ((name.decode(), st.st_uid, st.st_gid) + want))


@test("root_squash: uid 0 cannot read a root-only file", profile="secure")
def t_exp_root_squash_read(ctx):
    c = fs_session(ctx)
    local_file(ctx, "wt-rootonly", 0o600)
    r = c.seq([n.op_putrootfh(), n.op_lookup(b"wt-rootonly"),
               n.op_read(0, 10)])
    expect(r, n.NFS4ERR_ACCESS, "READ of a 0600 root file as squashed root")


@test("no_root_squash: uid 0 creates as root")
def t_exp_no_root_squash(ctx):
    c = fs_session(ctx)
    path = ctx.local("wt-nosq")
    if os.path.exists(path):
        os.unlink(path)
    r = c.seq([n.op_putrootfh(),
               open_op(c, b"wt-nosq", n.SHARE_ACCESS_BOTH, create=True)])
    expect(r, n.NFS4_OK, "OPEN create")
    st = os.stat(path)
    check((st.st_uid, st.st_gid) == (0, 0), "owner %d:%d" % (st.st_uid,
                                                             st.st_gid))


@test("sec=sys: AUTH_NONE gets NFS4ERR_WRONGSEC, SECINFO_NO_NAME says "
      "AUTH_SYS", profile="secure")
def t_exp_wrongsec(ctx):
    c = fs_session(ctx)
    r = c.seq([n.op_putrootfh(), n.op_getattr([1 << n.FATTR4_TYPE])],
              cred=n.AuthNone())
    expect(r, n.NFS4ERR_WRONGSEC, "GETATTR with AUTH_NONE")
    r = c.seq([n.op_putrootfh(), n.op_secinfo_no_name()])
    expect(r, n.NFS4_OK, "SECINFO_NO_NAME")
    check(r[2]["flavors"] == [n.AUTH_SYS], "flavors %s" % r[2]["flavors"])


@test("ro export: reads work; WRITE, OPEN for write, create, CREATE, REMOVE "
      "and SETATTR get NFS4ERR_ROFS", profile="ro")
def t_exp_ro(ctx):
    c = fs_session(ctx)
    local_file(ctx, "wt-ro", 0o666)
    r = c.seq([n.op_putrootfh(), n.op_lookup(b"wt-ro"), n.op_read(0, 100)])
    expect(r, n.NFS4_OK, "READ")
    look = [n.op_putrootfh(), n.op_lookup(b"wt-ro")]
    for what, ops in (
            ("WRITE", look + [n.op_write(0, b"x")]),
            ("OPEN for write", [n.op_putrootfh(),
                                open_op(c, b"wt-ro", n.SHARE_ACCESS_WRITE)]),
            ("OPEN create", [n.op_putrootfh(),
                             open_op(c, b"wt-ro-new", n.SHARE_ACCESS_BOTH,
                                     create=True)]),
            ("CREATE", [n.op_putrootfh(), n.op_create_dir(b"wt-ro-dir")]),
            ("REMOVE", [n.op_putrootfh(), n.op_remove(b"wt-ro")]),
            ("SETATTR", look + [n.op_setattr(mode=0o600)])):
        expect(c.seq(ops), n.NFS4ERR_ROFS, what)
    check(os.path.exists(ctx.local("wt-ro")) and
          os.stat(ctx.local("wt-ro")).st_mode & 0o777 == 0o666 and
          not os.path.exists(ctx.local("wt-ro-new")),
          "the export changed")


@test("ro export: ACCESS grants READ, not MODIFY, EXTEND or DELETE",
      profile="ro")
def t_exp_ro_access(ctx):
    c = fs_session(ctx)
    local_file(ctx, "wt-ro-acc", 0o666)
    bits = n.ACCESS4_READ | n.ACCESS4_MODIFY | n.ACCESS4_EXTEND
    r = c.seq([n.op_putrootfh(), n.op_lookup(b"wt-ro-acc"),
               n.op_access(bits)])
    expect(r, n.NFS4_OK, "ACCESS")
    check(r[3]["access"] == n.ACCESS4_READ, "granted %#x" % r[3]["access"])
    r = c.seq([n.op_putrootfh(), n.op_access(n.ACCESS4_DELETE)])
    expect(r, n.NFS4_OK, "ACCESS of the root")
    check(not r[2]["access"] & n.ACCESS4_DELETE, "DELETE granted")


@test("all_squash,anonuid=1234: uid 0 acts as 1234", profile="ro")
def t_exp_all_squash(ctx):
    c = fs_session(ctx)
    local_file(ctx, "wt-anon", 0o600, uid=1234, gid=1234)
    local_file(ctx, "wt-root", 0o600)
    r = c.seq([n.op_putrootfh(), n.op_lookup(b"wt-anon"), n.op_read(0, 10)])
    expect(r, n.NFS4_OK, "READ of 1234's 0600 file")
    r = c.seq([n.op_putrootfh(), n.op_lookup(b"wt-root"), n.op_read(0, 10)])
    expect(r, n.NFS4ERR_ACCESS, "READ of root's 0600 file")


@test("READDIR needs read permission on the directory: NFS4ERR_ACCESS")
def t_perm_readdir(ctx):
    c = fs_session(ctx)
    d = ctx.local("wt-noread")
    os.makedirs(d, exist_ok=True)
    os.chmod(d, 0o711)
    r = c.seq([n.op_putrootfh(), n.op_lookup(b"wt-noread"), n.op_readdir()])
    expect(r, n.NFS4_OK, "READDIR as root")
    r = c.seq([n.op_putrootfh(), n.op_lookup(b"wt-noread"), n.op_readdir()],
              cred=USER)
    expect(r, n.NFS4ERR_ACCESS, "READDIR of a 0711 directory as uid 1000")


@test("COMMIT needs write permission: NFS4ERR_ACCESS")
def t_perm_commit(ctx):
    c = fs_session(ctx)
    local_file(ctx, "wt-commit", 0o644)
    ops = [n.op_putrootfh(), n.op_lookup(b"wt-commit"), n.op_commit()]
    expect(c.seq(ops), n.NFS4_OK, "COMMIT as root")
    expect(c.seq(ops, cred=USER), n.NFS4ERR_ACCESS,
           "COMMIT of a 0644 root file as uid 1000")


@test("LOCKT needs read permission: NFS4ERR_ACCESS")
def t_perm_lockt(ctx):
    c = fs_session(ctx)
    local_file(ctx, "wt-lockt", 0o600)
    ops = [n.op_putrootfh(), n.op_lookup(b"wt-lockt"),
           n.op_lockt(clientid=c.clientid)]
    expect(c.seq(ops), n.NFS4_OK, "LOCKT as root")
    expect(c.seq(ops, cred=USER), n.NFS4ERR_ACCESS,
           "LOCKT of a 0600 root file as uid 1000")


def flagged_file(ctx, name, flag):
    """As root, a 0666 file with `flag` set on the server: OPEN for write
    and SETATTR of the size get NFS4ERR_PERM, OPEN for read works, and the
    file is unchanged."""
    c = fs_session(ctx)
    path = local_file(ctx, name.decode(), 0o666)
    set_flags(path, flag)
    try:
        expect(c.seq([n.op_putrootfh(),
                      open_op(c, name, n.SHARE_ACCESS_WRITE)]),
               n.NFS4ERR_PERM, "OPEN for write")
        expect(c.seq([n.op_putrootfh(), n.op_lookup(name),
                      n.op_setattr(size=0)]),
               n.NFS4ERR_PERM, "SETATTR size 0")
        expect(c.seq([n.op_putrootfh(),
                      open_op(c, name, n.SHARE_ACCESS_READ)]),
               n.NFS4_OK, "OPEN for read")
    finally:
        set_flags(path, 0)
    check(os.path.getsize(path) == 7, "the file changed")


@test("an immutable file, even as root: OPEN for write and SETATTR of the "
      "size get NFS4ERR_PERM, OPEN for read works")
def t_perm_immutable(ctx):
    flagged_file(ctx, b"wt-immutable", FS_IMMUTABLE_FL)


@test("an append-only file: OPEN for write and SETATTR of the size get "
      "NFS4ERR_PERM, OPEN for read works")
def t_perm_append(ctx):
    flagged_file(ctx, b"wt-append", FS_APPEND_FL)


@test("the owner's OPEN for write of its 0444 file: NFS4ERR_ACCESS")
def t_perm_owner_open(ctx):
    c = fs_session(ctx)
    local_file(ctx, "wt-owner444", 0o444, uid=1000, gid=1000)
    expect(c.seq([n.op_putrootfh(), open_op(c, b"wt-owner444",
                                            n.SHARE_ACCESS_WRITE)],
                 cred=USER), n.NFS4ERR_ACCESS, "OPEN for write as owner")


@test("WRITE through an open stateid is checked again: after the mode "
      "changes, NFS4ERR_ACCESS")
def t_perm_stateid_recheck(ctx):
    c = fs_session(ctx)
    path = local_file(ctx, "wt-recheck", 0o666)
    r = c.seq([n.op_putrootfh(), open_op(c, b"wt-recheck",
                                         n.SHARE_ACCESS_BOTH)], cred=USER)
    expect(r, n.NFS4_OK, "OPEN as uid 1000")
    sid = r[2]["stateid"]
    w = [n.op_putrootfh(), n.op_lookup(b"wt-recheck"),
         n.op_write(0, b"ok", stateid=sid)]
    expect(c.seq(w, cred=USER), n.NFS4_OK, "WRITE while allowed")
    os.chmod(path, 0o644)
    expect(c.seq(w, cred=USER), n.NFS4ERR_ACCESS, "WRITE after chmod 0644")
    rd = [n.op_putrootfh(), n.op_lookup(b"wt-recheck"),
          n.op_read(0, 10, stateid=sid)]
    expect(c.seq(rd, cred=n.AuthSys(uid=1001, gid=1001)), n.NFS4_OK,
           "READ by another user of a 0644 file")
    os.chmod(path, 0o600)
    expect(c.seq(rd, cred=n.AuthSys(uid=1001, gid=1001)), n.NFS4ERR_ACCESS,
           "READ by another user after chmod 0600")


@test("OPEN with DENY_READ needs write access: NFS4ERR_ACCESS")
def t_perm_deny(ctx):
    c = fs_session(ctx)
    local_file(ctx, "wt-deny", 0o644)
    expect(c.seq([n.op_putrootfh(), open_op(c, b"wt-deny",
                                            n.SHARE_ACCESS_READ)],
                 cred=USER), n.NFS4_OK, "OPEN for read, deny none")
    expect(c.seq([n.op_putrootfh(),
                  open_op(c, b"wt-deny", n.SHARE_ACCESS_READ,
                          n.SHARE_DENY_READ)], cred=USER),
           n.NFS4ERR_ACCESS, "OPEN for read, deny read, without write access")


@test("OPEN for write of a file a local process holds a lease on: "
      "NFS4ERR_DELAY at once, not a parked thread")
def t_perm_lease(ctx):
    import fcntl
    import signal
    c = fs_session(ctx)
    path = local_file(ctx, "wt-lease", 0o666)
    old = signal.signal(signal.SIGIO, signal.SIG_IGN)
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.fcntl(fd, F_SETLEASE, F_RDLCK)
        start = time.monotonic()
        r = c.seq([n.op_putrootfh(), open_op(c, b"wt-lease",
                                             n.SHARE_ACCESS_WRITE)])
        took = time.monotonic() - start
        expect(r, n.NFS4ERR_DELAY, "OPEN for write under a read lease")
        check(took < 2, "the answer took %.1f s" % took)
    finally:
        fcntl.fcntl(fd, F_SETLEASE, F_UNLCK)
        os.close(fd)
        signal.signal(signal.SIGIO, old)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=2049)
    ap.add_argument("--server", choices=("knfsd", "dittofs"),
                    default="dittofs")
    ap.add_argument("-k", dest="pattern", default=None,
                    help="run tests whose name or description contains this")
    ap.add_argument("--timeout", type=float, default=5.0)
    ap.add_argument("--profile", choices=PROFILES, default="open",
                    help="the export rules the server was set up with")
    ap.add_argument("--export-dir", default=None,
                    help="the export's directory (tests run on the server)")
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()

    tests = [t for t in TESTS if t[0].profile == args.profile and
             (args.pattern is None or
              args.pattern.lower() in (t[0].__name__ + " " + t[1]).lower())]
    if args.list:
        for fn, desc, _, _ in tests:
            print("%s: %s" % (fn.__name__, desc))
        return 0
    ctx = Ctx(args.host, args.port, args.server, args.timeout, args.profile,
              args.export_dir)
    failed = 0
    for i, (fn, desc, skips, todo) in enumerate(tests, 1):
        directive = ""
        if args.server in skips:
            print("ok %d - %s # SKIP %s" % (i, desc, skips[args.server]))
            continue
        start = time.monotonic()
        try:
            fn(ctx)
            ok, why = True, None
        except Skip as e:
            ok, directive = True, " # SKIP %s" % e
            why = None
        except Fail as e:
            ok, why = False, str(e)
        except Exception:
            ok, why = False, traceback.format_exc()
        if args.server in todo:
            directive = " # TODO %s" % todo[args.server]
        elif not ok:
            failed += 1
        print("%s %d - %s%s" % ("ok" if ok else "not ok", i, desc, directive))
        if why:
            for line in why.rstrip().splitlines():
                print("#   " + line)
        print("#   (%.2f s)" % (time.monotonic() - start))
        sys.stdout.flush()
    print("1..%d" % len(tests))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
