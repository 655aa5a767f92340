# SPDX-License-Identifier: GPL-2.0
"""A small raw NFSv4.1 client for wire tests (Python 3, stdlib only).

Four concerns, one class each, bottom up:

  Packer / Unpacker   XDR (RFC 4506) with bounds checks; the packer records
                      the offset of every length and count it writes, so a
                      test can corrupt exactly those fields.
  RpcConnection       ONC RPC (RFC 5531) over TCP with record marking:
                      AUTH_NONE / AUTH_SYS, raw sends, several calls
                      outstanding on one connection, replies matched by xid.
  Compound            the NFSv4.1 COMPOUND request (RFC 8881 XDR), built from
                      Op values made by the op_* functions below.
  CompoundReply       the decoded COMPOUND4res: status, tag, one OpResult per
                      operation, and the raw reply bytes for byte comparisons.

Client ties them together for the common case (one client id, one session,
per-slot sequence ids).  Nothing here checks the server's behaviour: that is
the tests' job.
"""

import os
import random
import socket
import struct
import time
from collections import namedtuple

# ONC RPC (RFC 5531)
RPC_CALL, RPC_REPLY = 0, 1
MSG_ACCEPTED, MSG_DENIED = 0, 1
ACCEPT_STAT = {0: "SUCCESS", 1: "PROG_UNAVAIL", 2: "PROG_MISMATCH",
               3: "PROC_UNAVAIL", 4: "GARBAGE_ARGS", 5: "SYSTEM_ERR"}
SUCCESS, PROG_UNAVAIL, PROG_MISMATCH, PROC_UNAVAIL, GARBAGE_ARGS, \
    SYSTEM_ERR = range(6)
RPC_MISMATCH, AUTH_ERROR = 0, 1
AUTH_NONE, AUTH_SYS, RPCSEC_GSS = 0, 1, 6
RPC_GSS_SVC_NONE, RPC_GSS_SVC_INTEGRITY, RPC_GSS_SVC_PRIVACY = 1, 2, 3

NFS4_PROGRAM, NFS_V4 = 100003, 4
NFSPROC4_NULL, NFSPROC4_COMPOUND = 0, 1

# Operation numbers (RFC 8881 section 16.2.1)
OP_ACCESS = 3
OP_CLOSE = 4
OP_COMMIT = 5
OP_CREATE = 6
OP_GETATTR = 9
OP_LOCK = 12
OP_LOCKT = 13
OP_LOCKU = 14
OP_OPEN_DOWNGRADE = 21
OP_RESTOREFH = 31
OP_SAVEFH = 32
OP_FREE_STATEID = 45
OP_TEST_STATEID = 55
OP_LOOKUP = 15
OP_LOOKUPP = 16
OP_OPEN = 18
OP_READDIR = 26
OP_REMOVE = 28
OP_SETATTR = 34
OP_SECINFO_NO_NAME = 52
OP_PUTFH = 22
OP_READ = 25
OP_WRITE = 38
OP_GETFH = 10
OP_PUTROOTFH = 24
OP_BIND_CONN_TO_SESSION = 41
OP_EXCHANGE_ID = 42
OP_CREATE_SESSION = 43
OP_DESTROY_SESSION = 44
OP_SEQUENCE = 53
OP_DESTROY_CLIENTID = 57
OP_RECLAIM_COMPLETE = 58
OP_ILLEGAL = 10044

# nfsstat4 values the tests use (RFC 8881 section 15.1)
NFS4ERR = {
    0: "NFS4_OK", 1: "NFS4ERR_PERM", 2: "NFS4ERR_NOENT", 5: "NFS4ERR_IO",
    13: "NFS4ERR_ACCESS", 22: "NFS4ERR_INVAL", 28: "NFS4ERR_NOSPC",
    10004: "NFS4ERR_NOTSUPP", 10005: "NFS4ERR_TOOSMALL",
    10006: "NFS4ERR_SERVERFAULT", 10008: "NFS4ERR_DELAY",
    10016: "NFS4ERR_WRONGSEC", 10017: "NFS4ERR_CLID_INUSE",
    10018: "NFS4ERR_RESOURCE", 10020: "NFS4ERR_NOFILEHANDLE",
    10021: "NFS4ERR_MINOR_VERS_MISMATCH", 10022: "NFS4ERR_STALE_CLIENTID",
    10036: "NFS4ERR_BADXDR", 10044: "NFS4ERR_OP_ILLEGAL",
    10052: "NFS4ERR_BADSESSION", 10053: "NFS4ERR_BADSLOT",
    10054: "NFS4ERR_COMPLETE_ALREADY",
    10055: "NFS4ERR_CONN_NOT_BOUND_TO_SESSION",
    10063: "NFS4ERR_SEQ_MISORDERED", 10064: "NFS4ERR_SEQUENCE_POS",
    10065: "NFS4ERR_REQ_TOO_BIG", 10066: "NFS4ERR_REP_TOO_BIG",
    10067: "NFS4ERR_REP_TOO_BIG_TO_CACHE",
    10068: "NFS4ERR_RETRY_UNCACHED_REP", 10070: "NFS4ERR_TOO_MANY_OPS",
    10071: "NFS4ERR_OP_NOT_IN_SESSION", 10072: "NFS4ERR_HASH_ALG_UNSUPP",
    10074: "NFS4ERR_CLIENTID_BUSY", 10076: "NFS4ERR_SEQ_FALSE_RETRY",
    10077: "NFS4ERR_BAD_HIGH_SLOT", 10078: "NFS4ERR_DEADSESSION",
    10079: "NFS4ERR_ENCR_ALG_UNSUPP", 10081: "NFS4ERR_NOT_ONLY_OP",
    10082: "NFS4ERR_WRONG_CRED",
    21: "NFS4ERR_ISDIR", 63: "NFS4ERR_NAMETOOLONG", 70: "NFS4ERR_STALE",
    30: "NFS4ERR_ROFS", 10038: "NFS4ERR_OPENMODE",
    10001: "NFS4ERR_BADHANDLE", 10041: "NFS4ERR_BADNAME",
    10010: "NFS4ERR_DENIED", 10011: "NFS4ERR_EXPIRED",
    10015: "NFS4ERR_SHARE_DENIED", 10023: "NFS4ERR_STALE_STATEID",
    10024: "NFS4ERR_OLD_STATEID", 10025: "NFS4ERR_BAD_STATEID",
    10037: "NFS4ERR_LOCKS_HELD",
}
# Module-level names: NFS4_OK, NFS4ERR_BADSESSION, ...
globals().update({name: code for code, name in NFS4ERR.items()})


def errname(status):
    """Return the symbolic name of an nfsstat4 value."""
    return NFS4ERR.get(status, "nfsstat4(%d)" % status)


# EXCHANGE_ID flags and state protection (RFC 8881 section 18.35)
EXCHGID4_FLAG_SUPP_MOVED_REFER = 0x00000001
EXCHGID4_FLAG_SUPP_MOVED_MIGR = 0x00000002
EXCHGID4_FLAG_BIND_PRINC_STATEID = 0x00000100
EXCHGID4_FLAG_USE_NON_PNFS = 0x00010000
EXCHGID4_FLAG_USE_PNFS_MDS = 0x00020000
EXCHGID4_FLAG_USE_PNFS_DS = 0x00040000
EXCHGID4_FLAG_MASK_PNFS = 0x00070000
EXCHGID4_FLAG_UPD_CONFIRMED_REC_A = 0x40000000
EXCHGID4_FLAG_CONFIRMED_R = 0x80000000
SP4_NONE, SP4_MACH_CRED, SP4_SSV = 0, 1, 2

# CREATE_SESSION flags (RFC 8881 section 18.36)
CREATE_SESSION4_FLAG_PERSIST = 0x1
CREATE_SESSION4_FLAG_CONN_BACK_CHAN = 0x2
CREATE_SESSION4_FLAG_CONN_RDMA = 0x4

# BIND_CONN_TO_SESSION directions (RFC 8881 section 18.34)
CDFC4_FORE, CDFC4_BACK, CDFC4_FORE_OR_BOTH, CDFC4_BACK_OR_BOTH = 1, 2, 3, 7
CDFS4_FORE, CDFS4_BACK, CDFS4_BOTH = 1, 2, 3

FATTR4_TYPE = 1
NF4DIR = 2
NFS4_SESSIONID_SIZE = 16
NFS4_FHSIZE = 128


class XdrError(Exception):
    """Malformed or short XDR data."""


class Packer:
    """XDR encoder.  `lengths` lists (offset, what) for every length or
    count word written, so tests can corrupt them one at a time."""

    def __init__(self):
        self.buf = bytearray()
        self.lengths = []

    def u32(self, v):
        self.buf += struct.pack(">I", v & 0xffffffff)

    def u64(self, v):
        self.buf += struct.pack(">Q", v & 0xffffffffffffffff)

    def boolean(self, v):
        self.u32(1 if v else 0)

    def length(self, n, what):
        self.lengths.append((len(self.buf), what))
        self.u32(n)

    def fixed(self, data, size):
        if len(data) != size:
            raise XdrError("fixed opaque: %d bytes, want %d"
                           % (len(data), size))
        self.buf += data + bytes(-size % 4)

    def opaque(self, data, what="opaque"):
        self.length(len(data), what)
        self.buf += data + bytes(-len(data) % 4)

    def string(self, s, what="string"):
        self.opaque(s.encode() if isinstance(s, str) else s, what)

    def array(self, items, pack_one, what="array"):
        self.length(len(items), what)
        for item in items:
            pack_one(self, item)

    def bitmap(self, words):
        self.array(words, Packer.u32, "bitmap4")

    def raw(self, data):
        self.buf += data

    def bytes(self):
        return bytes(self.buf)


class Unpacker:
    """XDR decoder; every read is checked against what remains."""

    def __init__(self, data, pos=0):
        self.data = bytes(data)
        self.pos = pos

    def remaining(self):
        return len(self.data) - self.pos

    def take(self, n):
        if n < 0 or n > self.remaining():
            raise XdrError("need %d bytes at offset %d, %d left"
                           % (n, self.pos, self.remaining()))
        out = self.data[self.pos:self.pos + n]
        self.pos += n
        return out

    def u32(self):
        return struct.unpack(">I", self.take(4))[0]

    def u64(self):
        return struct.unpack(">Q", self.take(8))[0]

    def boolean(self):
        v = self.u32()
        if v > 1:
            raise XdrError("bool %d" % v)
        return v == 1

    def fixed(self, size):
        out = self.take(size)
        self.take(-size % 4)
        return out

    def opaque(self, limit=None):
        n = self.u32()
        if limit is not None and n > limit:
            raise XdrError("opaque of %d bytes, limit %d" % (n, limit))
        return self.fixed(n)

    def array(self, unpack_one, limit=None):
        n = self.u32()
        if limit is not None and n > limit:
            raise XdrError("array of %d, limit %d" % (n, limit))
        if n > self.remaining():  # every element takes at least 1 byte
            raise XdrError("array of %d with %d bytes left"
                           % (n, self.remaining()))
        return [unpack_one(self) for _ in range(n)]

    def bitmap(self):
        return self.array(Unpacker.u32)

    def done(self):
        if self.remaining():
            raise XdrError("%d trailing bytes" % self.remaining())


# --- RPC ---------------------------------------------------------------


class AuthNone:
    flavor = AUTH_NONE

    def pack(self, p):
        p.u32(AUTH_NONE)
        p.opaque(b"", "auth body")


class AuthSys:
    """AUTH_SYS credential (authsys_parms), also a callback_sec_parms4."""
    flavor = AUTH_SYS

    def __init__(self, uid=0, gid=0, gids=(), machine="wiretest", stamp=None):
        self.uid, self.gid, self.gids = uid, gid, list(gids)
        self.machine = machine
        self.stamp = int(time.time()) if stamp is None else stamp

    def pack_parms(self, p):
        p.u32(self.stamp)
        p.string(self.machine, "machinename")
        p.u32(self.uid)
        p.u32(self.gid)
        p.array(self.gids, Packer.u32, "gids")

    def pack(self, p):
        body = Packer()
        self.pack_parms(body)
        p.u32(AUTH_SYS)
        # Record the body's own length fields at their final offsets.
        start = len(p.buf) + 4
        p.opaque(body.bytes(), "auth body")
        p.lengths += [(start + off, what) for off, what in body.lengths]


class RpcReply:
    """One decoded RPC reply.  `body` is what follows the accept header
    (the procedure's result on SUCCESS); `raw` is the whole record."""

    def __init__(self, record):
        self.raw = record
        u = Unpacker(record)
        self.xid = u.u32()
        if u.u32() != RPC_REPLY:
            raise XdrError("not a reply")
        self.reply_stat = u.u32()
        self.accept_stat = self.reject_stat = None
        self.mismatch = None
        self.auth_stat = None
        if self.reply_stat == MSG_ACCEPTED:
            u.u32()          # verifier flavor
            u.opaque(400)    # verifier body
            self.accept_stat = u.u32()
            if self.accept_stat == PROG_MISMATCH:
                self.mismatch = (u.u32(), u.u32())
        elif self.reply_stat == MSG_DENIED:
            self.reject_stat = u.u32()
            if self.reject_stat == RPC_MISMATCH:
                self.mismatch = (u.u32(), u.u32())
            else:
                self.auth_stat = u.u32()
        else:
            raise XdrError("reply_stat %d" % self.reply_stat)
        self.body = record[u.pos:]

    def accepted(self):
        return self.reply_stat == MSG_ACCEPTED and self.accept_stat == SUCCESS

    def describe(self):
        if self.reply_stat == MSG_DENIED:
            return "MSG_DENIED reject_stat=%d" % self.reject_stat
        return ACCEPT_STAT.get(self.accept_stat, str(self.accept_stat))


def connect(host, port, timeout, source=None):
    """A TCP connection; `source` is (address, port), port 0 for any,
    or (address, "resv") for a free port below 1024 (as root)."""
    if not source:
        return socket.create_connection((host, port), timeout=timeout)
    addr, sport = source
    ports = [sport] if sport != "resv" else random.sample(range(600, 1024),
                                                          424)
    err = None
    for sp in ports:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.settimeout(timeout)
        try:
            s.bind((addr, sp))
            s.connect((host, port))
            return s
        except OSError as e:
            s.close()
            err = e
    raise err


class ConnectionClosed(Exception):
    """The server closed the connection."""


class RpcConnection:
    """ONC RPC over one TCP connection with record marking (RFC 5531
    section 11).  Calls may be pipelined: send() returns the xid, wait(xid)
    returns that call's reply and keeps others for later.  Calls that the
    server sends us (back channel) are kept in `callbacks`."""

    def __init__(self, host, port, timeout=5.0, cred=None, source=None):
        self.sock = connect(host, port, timeout, source)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.timeout = timeout
        self.cred = cred or AuthSys()
        self.xid = struct.unpack(">I", os.urandom(4))[0]
        self.replies = {}
        self.callbacks = []
        self.rbuf = bytearray()
        self.eof = False

    def next_xid(self):
        self.xid = (self.xid + 1) & 0xffffffff
        return self.xid

    def build_call(self, xid, proc, args=b"", prog=NFS4_PROGRAM,
                   vers=NFS_V4, cred=None):
        """Return a Packer holding the call message (without marker)."""
        p = Packer()
        for v in (xid, RPC_CALL, 2, prog, vers, proc):
            p.u32(v)
        (cred or self.cred).pack(p)
        AuthNone().pack(p)  # verifier
        if isinstance(args, Packer):
            base = len(p.buf)
            p.lengths += [(base + o, w) for o, w in args.lengths]
            args = args.bytes()
        p.raw(args)
        return p

    def send_raw(self, data):
        self.sock.sendall(data)

    def send_record(self, data):
        self.send_raw(struct.pack(">I", 0x80000000 | len(data)) + data)

    def send(self, proc, args=b"", **kw):
        xid = self.next_xid()
        self.send_record(self.build_call(xid, proc, args, **kw).bytes())
        return xid

    def _fill(self, size, deadline):
        """Receive until rbuf holds `size` bytes."""
        while len(self.rbuf) < size:
            left = deadline - time.monotonic()
            if left <= 0:
                raise socket.timeout("no reply in time")
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                self.eof = True
                raise ConnectionClosed("server closed the connection")
            self.rbuf += chunk

    def read_record(self, timeout=None):
        """Read one whole record (all fragments).  A timeout leaves any
        partial record buffered, so the stream stays in step."""
        deadline = time.monotonic() + (timeout or self.timeout)
        pos, record = 0, b""
        while True:
            self._fill(pos + 4, deadline)
            mark = struct.unpack(">I", self.rbuf[pos:pos + 4])[0]
            size = mark & 0x7fffffff
            self._fill(pos + 4 + size, deadline)
            record += self.rbuf[pos + 4:pos + 4 + size]
            pos += 4 + size
            if mark & 0x80000000:
                del self.rbuf[:pos]
                return bytes(record)

    def wait(self, xid, timeout=None):
        """Return the RpcReply for xid, reading and stashing others."""
        while xid not in self.replies:
            record = self.read_record(timeout)
            if len(record) >= 8 and record[4:8] == b"\0\0\0\0":
                self.callbacks.append(record)
                continue
            reply = RpcReply(record)
            self.replies[reply.xid] = reply
        return self.replies.pop(xid)

    def call(self, proc, args=b"", timeout=None, **kw):
        return self.wait(self.send(proc, args, **kw), timeout)

    def null(self):
        return self.call(NFSPROC4_NULL)

    def compound(self, compound, timeout=None, cred=None):
        """Send a Compound and return its CompoundReply."""
        return CompoundReply(self.call(NFSPROC4_COMPOUND, compound.pack(),
                                       timeout, cred=cred))

    def close(self):
        self.sock.close()


# --- NFSv4.1 arguments -------------------------------------------------

ChannelAttrs = namedtuple("ChannelAttrs", "headerpadsize maxrequestsize "
                          "maxresponsesize maxresponsesize_cached "
                          "maxoperations maxrequests rdma_ird")
ChannelAttrs.__new__.__defaults__ = ((),)

# What a plain client asks for; small enough for every server's limits.
FORE_ATTRS = ChannelAttrs(0, 1 << 20, 1 << 20, 4096, 32, 16)
BACK_ATTRS = ChannelAttrs(0, 4096, 4096, 0, 2, 1)


def pack_channel_attrs(p, ca):
    for v in ca[:6]:
        p.u32(v)
    p.array(list(ca.rdma_ird), Packer.u32, "ca_rdma_ird")


def unpack_channel_attrs(u):
    vals = [u.u32() for _ in range(6)]
    return ChannelAttrs(*vals, tuple(u.array(Unpacker.u32, 1)))


class CbSecGss:
    """RPCSEC_GSS callback_sec_parms4 (gss_cb_handles4)."""
    flavor = RPCSEC_GSS

    def __init__(self, service=RPC_GSS_SVC_NONE, from_server=b"\1" * 8,
                 from_client=b"\2" * 8):
        self.service = service
        self.from_server, self.from_client = from_server, from_client

    def pack_parms(self, p):
        p.u32(self.service)
        p.opaque(self.from_server, "gcbp_handle_from_server")
        p.opaque(self.from_client, "gcbp_handle_from_client")


class CbSecNone:
    flavor = AUTH_NONE

    def pack_parms(self, p):
        pass


def pack_cb_sec(p, sec):
    p.u32(sec.flavor)
    sec.pack_parms(p)


Op = namedtuple("Op", "opnum args")  # args: a Packer


def _op(opnum, fill=None):
    p = Packer()
    p.u32(opnum)
    if fill:
        fill(p)
    return Op(opnum, p)


def op_exchange_id(owner, verifier, flags=0, how=SP4_NONE, impl=True):
    """EXCHANGE_ID; how=SP4_SSV sends an SSV request with no algorithms."""
    def fill(p):
        p.fixed(verifier, 8)
        p.opaque(owner, "co_ownerid")
        p.u32(flags)
        p.u32(how)
        if how == SP4_MACH_CRED:
            p.bitmap([])
            p.bitmap([])
        elif how == SP4_SSV:
            p.bitmap([])
            p.bitmap([])
            p.array([], Packer.opaque, "ssp_hash_algs")
            p.array([], Packer.opaque, "ssp_encr_algs")
            p.u32(0)      # ssp_window
            p.u32(0)      # ssp_num_gss_handles
        if impl:
            p.length(1, "eia_client_impl_id")
            p.string("dittofs.test", "nii_domain")
            p.string("wiretest", "nii_name")
            p.u64(0)      # nii_date seconds
            p.u32(0)      # nii_date nseconds
        else:
            p.length(0, "eia_client_impl_id")
    return _op(OP_EXCHANGE_ID, fill)


def op_create_session(clientid, sequence, flags=0, fore=FORE_ATTRS,
                      back=BACK_ATTRS, cb_program=0x40000000,
                      sec_parms=(CbSecNone(),)):
    def fill(p):
        p.u64(clientid)
        p.u32(sequence)
        p.u32(flags)
        pack_channel_attrs(p, fore)
        pack_channel_attrs(p, back)
        p.u32(cb_program)
        p.array(list(sec_parms), pack_cb_sec, "csa_sec_parms")
    return _op(OP_CREATE_SESSION, fill)


def op_sequence(sessionid, sequenceid, slotid=0, highest_slotid=None,
                cachethis=False):
    def fill(p):
        p.fixed(sessionid, NFS4_SESSIONID_SIZE)
        p.u32(sequenceid)
        p.u32(slotid)
        p.u32(slotid if highest_slotid is None else highest_slotid)
        p.boolean(cachethis)
    return _op(OP_SEQUENCE, fill)


def op_destroy_session(sessionid):
    return _op(OP_DESTROY_SESSION,
               lambda p: p.fixed(sessionid, NFS4_SESSIONID_SIZE))


def op_bind_conn_to_session(sessionid, direction=CDFC4_FORE_OR_BOTH,
                            rdma=False):
    def fill(p):
        p.fixed(sessionid, NFS4_SESSIONID_SIZE)
        p.u32(direction)
        p.boolean(rdma)
    return _op(OP_BIND_CONN_TO_SESSION, fill)


def op_destroy_clientid(clientid):
    return _op(OP_DESTROY_CLIENTID, lambda p: p.u64(clientid))


def op_reclaim_complete(one_fs=False):
    return _op(OP_RECLAIM_COMPLETE, lambda p: p.boolean(one_fs))


def op_putrootfh():
    return _op(OP_PUTROOTFH)


def op_getfh():
    return _op(OP_GETFH)


def op_getattr(words):
    return _op(OP_GETATTR, lambda p: p.bitmap(list(words)))


ANON_STATEID = bytes(16)         # the anonymous special stateid
# The current stateid (RFC 8881 16.2.3.1.2): seqid 1, other all zero.
CURRENT_STATEID = struct.pack(">I", 1) + bytes(12)
READ_LT, WRITE_LT = 1, 2
FILE_SYNC4 = 2


def op_putfh(fh):
    return _op(OP_PUTFH, lambda p: p.opaque(fh))


def op_lookup(name):
    return _op(OP_LOOKUP, lambda p: p.opaque(name))


def op_read(offset, count, stateid=ANON_STATEID):
    def fill(p):
        p.raw(stateid)
        p.u64(offset)
        p.u32(count)
    return _op(OP_READ, fill)


def op_write(offset, data, stable=FILE_SYNC4, stateid=ANON_STATEID):
    def fill(p):
        p.raw(stateid)
        p.u64(offset)
        p.u32(stable)
        p.opaque(data)
    return _op(OP_WRITE, fill)


def op_lookupp():
    return _op(OP_LOOKUPP)


def op_access(bits):
    return _op(OP_ACCESS, lambda p: p.u32(bits))


ACCESS4_READ, ACCESS4_LOOKUP, ACCESS4_MODIFY = 0x01, 0x02, 0x04
ACCESS4_EXTEND, ACCESS4_DELETE, ACCESS4_EXECUTE = 0x08, 0x10, 0x20
SHARE_ACCESS_READ, SHARE_ACCESS_WRITE, SHARE_ACCESS_BOTH = 1, 2, 3
SHARE_DENY_NONE, SHARE_DENY_READ, SHARE_DENY_WRITE = 0, 1, 2
SHARE_DENY_BOTH = 3
FATTR4_SIZE, FATTR4_MODE = 4, 33


def pack_fattr(p, size=None, mode=None):
    """A fattr4 with a size and/or a mode."""
    words, vals = [0, 0], Packer()
    if size is not None:
        words[0] |= 1 << FATTR4_SIZE
        vals.u64(size)
    if mode is not None:
        words[1] |= 1 << (FATTR4_MODE - 32)
        vals.u32(mode)
    p.bitmap(words)
    p.opaque(vals.bytes())


def op_open(owner, name, access=SHARE_ACCESS_READ, deny=SHARE_DENY_NONE,
            create=False, mode=0o644, clientid=0, seqid=0):
    """OPEN CLAIM_NULL of `name`, with an UNCHECKED4 create if asked."""
    def fill(p):
        p.u32(seqid)
        p.u32(access)
        p.u32(deny)
        p.u64(clientid)
        p.opaque(owner)
        p.u32(1 if create else 0)
        if create:
            p.u32(0)             # UNCHECKED4
            pack_fattr(p, mode=mode)
        p.u32(0)                 # CLAIM_NULL
        p.opaque(name)
    return _op(OP_OPEN, fill)


def op_close(stateid, seqid=0):
    def fill(p):
        p.u32(seqid)
        p.raw(stateid)
    return _op(OP_CLOSE, fill)


def op_commit(offset=0, count=0):
    def fill(p):
        p.u64(offset)
        p.u32(count)
    return _op(OP_COMMIT, fill)


def op_lock(locktype, offset, length, open_stateid, clientid,
            owner=b"wiretest-lock", open_seqid=0, lock_seqid=0):
    """LOCK for a new lock-owner (open_to_lock_owner4)."""
    def fill(p):
        p.u32(locktype)
        p.boolean(False)             # reclaim
        p.u64(offset)
        p.u64(length)
        p.boolean(True)              # new_lock_owner
        p.u32(open_seqid)
        p.raw(open_stateid)
        p.u32(lock_seqid)
        p.u64(clientid)
        p.opaque(owner)
    return _op(OP_LOCK, fill)


def op_lock_existing(locktype, offset, length, lock_stateid, lock_seqid=0):
    """LOCK for a lock-owner that has a lock stateid (exist_lock_owner4)."""
    def fill(p):
        p.u32(locktype)
        p.boolean(False)
        p.u64(offset)
        p.u64(length)
        p.boolean(False)
        p.raw(lock_stateid)
        p.u32(lock_seqid)
    return _op(OP_LOCK, fill)


def op_locku(locktype, stateid, offset=0, length=0xffffffffffffffff,
             seqid=0):
    def fill(p):
        p.u32(locktype)
        p.u32(seqid)
        p.raw(stateid)
        p.u64(offset)
        p.u64(length)
    return _op(OP_LOCKU, fill)


def op_test_stateid(stateids):
    def fill(p):
        p.u32(len(stateids))
        for sid in stateids:
            p.raw(sid)
    return _op(OP_TEST_STATEID, fill)


def op_free_stateid(stateid):
    return _op(OP_FREE_STATEID, lambda p: p.raw(stateid))


def op_savefh():
    return _op(OP_SAVEFH)


def op_restorefh():
    return _op(OP_RESTOREFH)


def op_open_downgrade(stateid, access, deny, seqid=0):
    def fill(p):
        p.raw(stateid)
        p.u32(seqid)
        p.u32(access)
        p.u32(deny)
    return _op(OP_OPEN_DOWNGRADE, fill)


def op_lockt(offset=0, length=0xffffffffffffffff, clientid=0,
             owner=b"wiretest-lockt", write=False):
    def fill(p):
        p.u32(2 if write else 1)     # WRITE_LT or READ_LT
        p.u64(offset)
        p.u64(length)
        p.u64(clientid)
        p.opaque(owner)
    return _op(OP_LOCKT, fill)


def op_readdir(cookie=0, verf=bytes(8), dircount=4096, maxcount=8192,
               words=(0, 0)):
    def fill(p):
        p.u64(cookie)
        p.fixed(verf, 8)
        p.u32(dircount)
        p.u32(maxcount)
        p.bitmap(list(words))
    return _op(OP_READDIR, fill)


def op_setattr(stateid=ANON_STATEID, size=None, mode=None):
    def fill(p):
        p.raw(stateid)
        pack_fattr(p, size, mode)
    return _op(OP_SETATTR, fill)


def op_create_dir(name, mode=0o755):
    def fill(p):
        p.u32(2)                 # NF4DIR
        p.opaque(name)
        pack_fattr(p, mode=mode)
    return _op(OP_CREATE, fill)


def op_remove(name):
    return _op(OP_REMOVE, lambda p: p.opaque(name))


def op_secinfo_no_name(style=0):
    return _op(OP_SECINFO_NO_NAME, lambda p: p.u32(style))


def op_raw(opnum, data=b""):
    """Any operation with hand-made argument bytes."""
    return _op(opnum, lambda p: p.raw(data))


class Compound:
    """COMPOUND4args: tag, minor version, operations."""

    def __init__(self, ops, minorversion=1, tag=b"", opcount=None):
        self.ops = list(ops)
        self.minorversion = minorversion
        self.tag = tag
        self.opcount = opcount  # override the count word (malformed tests)

    def pack(self):
        p = Packer()
        p.opaque(self.tag, "tag")
        p.u32(self.minorversion)
        count = len(self.ops) if self.opcount is None else self.opcount
        p.length(count, "argarray")
        for op in self.ops:
            base = len(p.buf)
            p.lengths += [(base + o, w) for o, w in op.args.lengths]
            p.raw(op.args.bytes())
        return p


# --- NFSv4.1 results ---------------------------------------------------


def _impl_id(u):
    return {"domain": u.opaque(), "name": u.opaque(),
            "date": (u.u64(), u.u32())}


def dec_exchange_id(u):
    r = {"clientid": u.u64(), "sequenceid": u.u32(), "flags": u.u32()}
    r["state_protect"] = how = u.u32()
    if how == SP4_MACH_CRED:
        r["mach_ops"] = (u.bitmap(), u.bitmap())
    elif how == SP4_SSV:
        raise XdrError("SP4_SSV result not decoded")
    elif how != SP4_NONE:
        raise XdrError("state_protect4_r %d" % how)
    r["owner_minor"] = u.u64()
    r["owner_major"] = u.opaque(1024)
    r["scope"] = u.opaque(1024)
    r["impl_id"] = u.array(_impl_id, 1)
    return r


def dec_create_session(u):
    return {"sessionid": u.fixed(NFS4_SESSIONID_SIZE),
            "sequence": u.u32(), "flags": u.u32(),
            "fore": unpack_channel_attrs(u), "back": unpack_channel_attrs(u)}


def dec_sequence(u):
    return {"sessionid": u.fixed(NFS4_SESSIONID_SIZE),
            "sequenceid": u.u32(), "slotid": u.u32(),
            "highest_slotid": u.u32(), "target_highest_slotid": u.u32(),
            "status_flags": u.u32()}


def dec_bind_conn(u):
    return {"sessionid": u.fixed(NFS4_SESSIONID_SIZE), "dir": u.u32(),
            "rdma": u.boolean()}


def dec_getfh(u):
    return {"fh": u.opaque(NFS4_FHSIZE)}


def dec_getattr(u):
    return {"mask": u.bitmap(), "attrs": u.opaque()}


def dec_void(u):
    return {}


def dec_access(u):
    return {"supported": u.u32(), "access": u.u32()}


def _cinfo(u):
    return (u.boolean(), u.u64(), u.u64())


def dec_open(u):
    r = {"stateid": u.fixed(16), "cinfo": _cinfo(u), "rflags": u.u32(),
         "attrset": u.bitmap()}
    r["deleg"] = dt = u.u32()
    if dt == 3:                  # OPEN_DELEGATE_NONE_EXT
        why = u.u32()
        if why in (2, 3):        # WND4_CONTENTION, WND4_RESOURCE
            u.boolean()
    elif dt != 0:
        raise XdrError("delegation %d not decoded" % dt)
    return r


def dec_stateid(u):
    return {"stateid": u.fixed(16)}


def dec_commit(u):
    return {"verf": u.fixed(8)}


def dec_readdir(u):
    r = {"verf": u.fixed(8), "names": []}
    while u.boolean():
        u.u64()
        r["names"].append(u.opaque())
        u.bitmap()
        u.opaque()
    r["eof"] = u.boolean()
    return r


def dec_attrsset(u):
    return {"attrsset": u.bitmap()}


def dec_create(u):
    return {"cinfo": _cinfo(u), "attrset": u.bitmap()}


def dec_cinfo(u):
    return {"cinfo": _cinfo(u)}


def dec_secinfo(u):
    def one(u):
        flavor = u.u32()
        if flavor == RPCSEC_GSS:
            u.opaque()
            u.u32()
            u.u32()
        return flavor
    return {"flavors": u.array(one)}


def dec_read(u):
    return {"eof": u.u32() != 0, "data": u.opaque()}


def dec_write(u):
    return {"count": u.u32(), "committed": u.u32(), "verf": u.fixed(8)}


DECODERS = {
    OP_EXCHANGE_ID: dec_exchange_id, OP_CREATE_SESSION: dec_create_session,
    OP_SEQUENCE: dec_sequence, OP_BIND_CONN_TO_SESSION: dec_bind_conn,
    OP_GETFH: dec_getfh, OP_GETATTR: dec_getattr,
    OP_DESTROY_SESSION: dec_void, OP_DESTROY_CLIENTID: dec_void,
    OP_RECLAIM_COMPLETE: dec_void, OP_PUTROOTFH: dec_void,
    OP_PUTFH: dec_void, OP_LOOKUP: dec_void, OP_READ: dec_read,
    OP_WRITE: dec_write, OP_ILLEGAL: dec_void,
    OP_ACCESS: dec_access, OP_OPEN: dec_open, OP_CLOSE: dec_stateid,
    OP_COMMIT: dec_commit, OP_LOCKT: dec_void, OP_READDIR: dec_readdir,
    OP_SETATTR: dec_attrsset, OP_CREATE: dec_create, OP_REMOVE: dec_cinfo,
    OP_LOOKUPP: dec_void, OP_SECINFO_NO_NAME: dec_secinfo,
    OP_LOCK: dec_stateid, OP_LOCKU: dec_stateid, OP_FREE_STATEID: dec_void,
    OP_SAVEFH: dec_void, OP_RESTOREFH: dec_void,
    OP_OPEN_DOWNGRADE: dec_stateid,
    OP_TEST_STATEID: lambda u: {"codes": [u.u32() for _ in range(u.u32())]},
}
# Operations whose result has a body also when they fail.
BODY_ON_ERROR = {OP_SETATTR}


def dec_denied(u):
    """LOCK4denied, after LOCK's or LOCKT's NFS4ERR_DENIED."""
    return {"offset": u.u64(), "length": u.u64(), "locktype": u.u32(),
            "clientid": u.u64(), "owner": u.opaque()}

OpResult = namedtuple("OpResult", "opnum status fields")


class CompoundReply:
    """A decoded COMPOUND4res.  `raw` is the COMPOUND4res bytes (what
    follows the RPC accept header), `rpc` the RpcReply.  When the RPC call
    itself was not accepted, `status` is None and `results` is empty."""

    def __init__(self, rpc):
        self.rpc = rpc
        self.raw = rpc.body
        self.status, self.tag, self.results = None, None, []
        if not rpc.accepted():
            return
        u = Unpacker(rpc.body)
        self.status = u.u32()
        self.tag = u.opaque()
        n = u.u32()
        for _ in range(n):
            opnum, status = u.u32(), u.u32()
            decode = DECODERS.get(opnum)
            if decode is None:
                raise XdrError("no decoder for op %d" % opnum)
            ok = status == NFS4_OK or opnum in BODY_ON_ERROR
            if status == NFS4ERR_DENIED and opnum in (OP_LOCK, OP_LOCKT):
                fields = dec_denied(u)
            else:
                fields = decode(u) if ok else {}
            self.results.append(OpResult(opnum, status, fields))
        u.done()

    def __getitem__(self, i):
        return self.results[i].fields

    def describe(self):
        if self.status is None:
            return "RPC " + self.rpc.describe()
        return "%s after %d op(s)" % (errname(self.status), len(self.results))


# --- A client: one client id, one session ------------------------------


class Nfs41Error(Exception):
    def __init__(self, what, reply):
        super().__init__("%s: %s" % (what, reply.describe()))
        self.reply = reply
        self.status = reply.status


class Client:
    """One client id and (optionally) one session over one connection.
    Slot sequence ids are tracked in `slots`; seq() advances them only on
    a reply whose SEQUENCE succeeded."""

    def __init__(self, host, port, owner=None, verifier=None, timeout=5.0,
                 cred=None, source=None):
        self.conn = RpcConnection(host, port, timeout, cred, source)
        self.owner = owner or b"wiretest-" + os.urandom(8).hex().encode()
        self.verifier = verifier or os.urandom(8)
        self.clientid = None
        self.cs_seq = None
        self.exid = None
        self.session = None
        self.sessionid = None
        self.slots = {}

    def compound(self, ops, cred=None, **kw):
        return self.conn.compound(Compound(ops, **kw), cred=cred)

    def exchange_id(self, flags=0, **kw):
        r = self.compound([op_exchange_id(self.owner, self.verifier, flags,
                                          **kw)])
        if r.status != NFS4_OK:
            raise Nfs41Error("EXCHANGE_ID", r)
        self.exid = r[0]
        self.clientid = r[0]["clientid"]
        self.cs_seq = r[0]["sequenceid"]
        return r

    def create_session_op(self, **kw):
        kw.setdefault("sequence", self.cs_seq)
        return op_create_session(self.clientid, **kw)

    def create_session(self, **kw):
        """Create a session and make it the client's current one."""
        r = self.compound([self.create_session_op(**kw)])
        if r.status != NFS4_OK:
            raise Nfs41Error("CREATE_SESSION", r)
        self.cs_seq = (r[0]["sequence"] + 1) & 0xffffffff
        self.session = r[0]
        self.sessionid = r[0]["sessionid"]
        self.slots = {}
        return r

    def setup(self, **kw):
        """EXCHANGE_ID then CREATE_SESSION."""
        self.exchange_id()
        return self.create_session(**kw)

    def seq_op(self, slot=0, cachethis=False, seqid=None):
        if seqid is None:
            seqid = self.slots.get(slot, 0) + 1
        return op_sequence(self.sessionid, seqid, slot, cachethis=cachethis)

    def seq(self, ops=(), slot=0, cachethis=False, seqid=None, cred=None,
            **kw):
        """SEQUENCE + ops on a slot; the slot advances on success."""
        op = self.seq_op(slot, cachethis, seqid)
        r = self.compound([op] + list(ops), cred=cred, **kw)
        if r.results and r.results[0].opnum == OP_SEQUENCE and \
                r.results[0].status == NFS4_OK:
            self.slots[slot] = r[0]["sequenceid"]
        return r

    def destroy_session(self, sessionid=None):
        return self.compound([op_destroy_session(sessionid or
                                                 self.sessionid)])

    def destroy_clientid(self):
        return self.compound([op_destroy_clientid(self.clientid)])

    def close(self):
        self.conn.close()
