# SPDX-License-Identifier: GPL-2.0
# Helpers for scripts run inside UML by scripts/uml-run.

# TAP-style check lines: ok N - what (S s) / not ok N - what (S s).
dfs_nr=0
dfs_failed=0

# check DESCRIPTION CMD [ARGS...]: run CMD, print one ok/not ok line.
check() {
	local desc=$1 out start=$SECONDS
	shift
	dfs_nr=$((dfs_nr + 1))
	if out=$("$@" 2>&1); then
		echo "ok $dfs_nr - $desc ($((SECONDS - start)) s)"
	else
		echo "not ok $dfs_nr - $desc ($((SECONDS - start)) s)"
		printf '%s\n' "$out" | tail -n 15 | sed 's/^/#   /'
		dfs_failed=$((dfs_failed + 1))
	fi
}

# start_knfsd DIR: serve DIR with the kernel's nfsd as the NFSv4 root on
# 2049, with rpc.mountd for its export cache and no grace period.
start_knfsd() {
	local dir=$1

	mount -t tmpfs tmpfs /var/lib/nfs || return 1
	mkdir -p /var/lib/nfs/rpc_pipefs /var/lib/nfs/v4recovery /var/lib/nfs/sm
	touch /var/lib/nfs/etab /var/lib/nfs/rmtab
	mount -t rpc_pipefs sunrpc /var/lib/nfs/rpc_pipefs 2>/dev/null
	mount -t nfsd nfsd /proc/fs/nfsd || return 1
	exportfs -o rw,fsid=0,no_root_squash,insecure,no_subtree_check \
		"127.0.0.1:$dir" || return 1
	rpc.mountd -N 2 -N 3 -V 4 --no-udp || return 1
	echo 10 > /proc/fs/nfsd/nfsv4leasetime
	echo 10 > /proc/fs/nfsd/nfsv4gracetime
	rpc.nfsd -N 3 -V 4 -V 4.1 8 || return 1
	echo Y > /proc/fs/nfsd/v4_end_grace
	[ "$(cat /proc/fs/nfsd/threads)" -gt 0 ]
}

# stop_knfsd: stop the threads and the daemons started by start_knfsd.
stop_knfsd() {
	rpc.nfsd 0
	exportfs -ua
	pkill -x rpc.mountd
	umount /proc/fs/nfsd
	umount /var/lib/nfs/rpc_pipefs 2>/dev/null
	umount /var/lib/nfs
}

# rw_roundtrip DIR: write 1 MiB of random data to DIR, read it back.
rw_roundtrip() {
	local f=$1/roundtrip.$$ want got

	mountpoint -q "$1" || { echo "$1 is not mounted"; return 1; }
	head -c 1048576 /dev/urandom > "$DITTOFS_SCRATCH/rt" || return 1
	want=$(sha256sum < "$DITTOFS_SCRATCH/rt")
	cp "$DITTOFS_SCRATCH/rt" "$f" && sync || return 1
	echo 3 > /proc/sys/vm/drop_caches
	got=$(sha256sum < "$f")
	rm -f "$f"
	[ "$want" = "$got" ] || { echo "checksum mismatch: $want != $got"; return 1; }
}
