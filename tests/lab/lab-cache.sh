# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# lab-cache.sh: sourced by tests/lab/lab-run.  The lab VM's kernel and
# initramfs, built once per kernel from Debian's registry and cached in
# build/lab/kernel-<ABI>/: which kernel a --kernel spec names (an ABI, a
# version such as 7.3 or 7.2.12, or a suite such as trixie-backports: the
# newest there), its download through a private apt configuration, the
# module load order from kmod (modprobe --show-depends), the PVH vmlinux
# and the busybox initramfs, plus the modules stacked targets and
# filesystems need, in an archive of their own.
#
# Uses lab-run's CACHE_DIR, REPO_ROOT, kernel_ver, die, need_tool, verbose;
# sets KDIR, KERNEL and kernel_ver (the ABI).
# shellcheck disable=SC2154 # prog: lab-run's

# Everything comes from Debian's registry.  6.12 is the first Debian kernel
# built for bookworm (bookworm-backports, later bookworm-security too) that
# has the block layer's atomic write limits and scsi_debug's atomic_wr
# emulation, both new in 6.11: the default.  --kernel takes any kernel the
# suites below serve (trixie-backports: 7.x, with md and dm atomic limit
# stacking, 6.13 and 6.14).
DEFAULT_KERNEL=6.12
KERNEL_SUITES=(
	"http://deb.debian.org/debian-security bookworm-security"
	"http://deb.debian.org/debian bookworm-backports"
	"http://deb.debian.org/debian trixie-backports"
)

# The guest needs three independent driver stacks.  Each group is resolved
# at cache build time with kmod (dependencies first: scsi_common scsi_mod
# scsi_debug sd_mod sg / nvme-auth nvme-core nvme / netfs 9pnet 9p
# 9pnet_virtio) and the init loads the groups concurrently: insmod of
# scsi_debug and sd_mod alone takes most of a second under TCG.
MODULE_GROUPS=("scsi_debug sd_mod sg" "nvme" "9p 9pnet_virtio")

# What a stacked target or a filesystem needs, loaded only then (--stack,
# --fs, --modules).  dm-linear and dm-stripe are built into dm-mod;
# dm-log-writes and dm-snapshot are for a command that builds its own
# stack (tests/lab/crash-states); loop for one that mounts an image
# (qualify's power-fail step crashes a scratch XFS on a loop device).
declare -A EXTRA_MODULES=(
	[md-raid0]="raid0" [md-raid1]="raid1" [md-raid10]="raid10"
	[dm]="dm-mod" [dm-mirror]="dm-mirror"
	[dm-log-writes]="dm-log-writes" [dm-snapshot]="dm-snapshot"
	[xfs]="xfs" [ext4]="ext4" [loop]="loop"
)

# A kernel is named by its ABI (6.12.118+deb12-amd64), a version (7.3, or
# 7.2.12) or a suite (trixie-backports): the newest it serves.
abi_version() { # ABI: its upstream version, 7.3.4 of 7.3.4+deb13-amd64
	echo "${1%%+*}"
}

# matches SPEC ABI: does the ABI answer a version or ABI spec?
matches() {
	local spec=$1 abi=$2 ver
	ver=$(abi_version "$abi")
	[[ $spec == "$abi" || $spec == "$ver" || $ver == "$spec".* ]]
}

# An existing cache wins over a newer kernel in the archive: runs stay
# reproducible, and offline, until --kernel asks for another one.
#
# A complete cache is marked "cached"; caches from before --kernel took
# versions and suites are marked "ok".  Those older lab-runs boot the
# newest "ok" cache whatever its version, so a 7.x cache must not carry
# that mark: it would become their default.
cache_complete() { # DIR
	[ -e "$1/cached" ] || [ -e "$1/ok" ]
}
newest_cached_kernel() { # SPEC (a version or an ABI)
	local d abi
	for d in "$CACHE_DIR"/kernel-*/; do
		cache_complete "$d" || continue
		d=${d%/}
		abi=${d##*/kernel-}
		if matches "$1" "$abi"; then echo "$abi"; fi
	done | sort -V | tail -n 1
}

# apt with a private configuration under build/apt (as scripts/fetch-fio.sh
# does): the system's sources are never read nor touched, and the suites
# below need not be in them.
APT_DIR=$REPO_ROOT/build/apt/lab-kernels
APT_OPTS=(-o "Dir::Etc::SourceList=$APT_DIR/sources.list"
	  -o "Dir::Etc::SourceParts=/dev/null"
	  -o "Dir::State::Lists=$APT_DIR/lists"
	  -o "Dir::Cache=$APT_DIR/cache"
	  -o "Dir::State::Status=/dev/null"
	  -o "APT::Sandbox::User=root" -q)

apt_update() {
	local keyring=/usr/share/keyrings/debian-archive-keyring.gpg s
	need_tool apt-get apt
	[ -r "$keyring" ] ||
		die "missing $keyring: install Debian package 'debian-archive-keyring' (or run: make deps)"
	mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial"
	{
		for s in "${KERNEL_SUITES[@]}"; do
			echo "deb [signed-by=$keyring] ${s%% *} ${s#* } main"
		done
	} >"$APT_DIR/sources.list"
	apt-get "${APT_OPTS[@]}" update >"$APT_DIR/update.log" 2>&1 || {
		tail -n 5 "$APT_DIR/update.log" >&2
		die "apt-get update of ${KERNEL_SUITES[*]#* } failed (see $APT_DIR/update.log)"
	}
}

# kernels [SUITE]: every ABI the archive (or SUITE) serves whole, one a
# line, oldest first.  Since trixie a kernel is three packages: linux-image
# (a stub), linux-binary (vmlinuz) and linux-modules; a superseded one can
# keep its image and binary in the index after its modules left it.
kernels() {
	local lists
	if [ -n "${1:-}" ]; then
		lists=("$APT_DIR"/lists/*_dists_"$1"_main_binary-amd64_Packages*)
	else
		lists=("$APT_DIR"/lists/*_dists_*_main_binary-amd64_Packages*)
	fi
	[ -e "${lists[0]}" ] || return 0
	# apt may keep its lists compressed (Acquire::GzipIndexes)
	/usr/lib/apt/apt-helper cat-file "${lists[@]}" |
		awk '$1 == "Package:" { print $2 }' | sort -u | awk '
	{ have[$1] = 1 }
	match($1, /^linux-image-[0-9]+\.[0-9]+\.[0-9]+\+deb[0-9]+(\.[0-9]+)?-amd64(-unsigned)?$/) {
		abi = $1; sub(/^linux-image-/, "", abi); sub(/-unsigned$/, "", abi)
		abis[abi] = 1
	}
	END {
		for (a in abis)
			if (!(("linux-binary-" a) in have) || (("linux-modules-" a) in have))
				print a
	}' | sort -V
}

# packages ABI: what to download for it
packages() {
	if apt-cache "${APT_OPTS[@]}" show "linux-binary-$1" >/dev/null 2>&1; then
		echo "linux-binary-$1 linux-modules-$1"
	elif apt-cache "${APT_OPTS[@]}" show "linux-image-$1-unsigned" >/dev/null 2>&1; then
		echo "linux-image-$1-unsigned"
	else
		echo "linux-image-$1"
	fi
}

# resolve SPEC: the ABI to build a cache for, from the archive
resolve_kernel() {
	local spec=$1 abi list
	apt_update
	if [[ $spec =~ ^[a-z]+-[a-z]+$ ]]; then
		grep -q " $spec\$" < <(printf '%s\n' "${KERNEL_SUITES[@]}") ||
			die "--kernel $spec: not a suite lab-run knows (${KERNEL_SUITES[*]#* })"
		abi=$(kernels "$spec" | tail -n 1)
		[ -n "$abi" ] || die "--kernel $spec: no whole amd64 kernel in $spec"
		echo "$abi"
		return
	fi
	list=$(kernels)
	abi=$(while read -r a; do
		if matches "$spec" "$a"; then echo "$a"; fi
	done <<<"$list" | tail -n 1)
	[ -n "$abi" ] && { echo "$abi"; return; }
	if apt-cache "${APT_OPTS[@]}" pkgnames linux-image- 2>/dev/null |
		grep -qE "^linux-image-$(sed 's/[.+]/\\&/g' <<<"$spec")[.+]"; then
		die "--kernel $spec: its image is listed but not its modules" \
			"(superseded); whole kernels: $(awk -F+ '{ print $1 }' <<<"$list" | xargs)"
	fi
	die "--kernel $spec: no such amd64 kernel in ${KERNEL_SUITES[*]#* };" \
		"there are: $(awk -F+ '{ print $1 }' <<<"$list" | xargs)"
}

# resolve_modules ROOT ABI GROUP...: one line per group, the module files
# (relative to the modules dir) in load order, dependencies first, each
# module once, from kmod's own resolver (modprobe --show-depends, softdeps
# included; built-in ones skipped).  Should two groups share a module they
# could race to load it, so those are merged into one sequential group.
resolve_modules() {
	local root=$1 abi=$2 group m out moddir
	shift 2
	moddir=$root/lib/modules/$abi
	for group; do
		for m in $group; do
			# -C /dev/null: the host's modprobe.d (blacklists, options)
			# is not the guest's.
			out=$(modprobe -C /dev/null -d "$root" -S "$abi" \
				--show-depends "$m" 2>&1) ||
				{ echo "MISSING:$m"; continue; }
			awk '$1 == "insmod" { print $2 }' <<<"$out"
		done | sed "s#^$moddir/##; s#^.*/lib/modules/$abi/##" |
			awk '!seen[$0]++' | xargs
	done | awk '
	/MISSING:/ {
		k = split($0, w, " ")
		for (i = 1; i <= k; i++)
			if (sub(/^MISSING:/, "", w[i])) print "MISSING " w[i]
		missing = 1
		next
	}
	{
		line[++n] = $0
		k = split($0, w, " ")
		for (i = 1; i <= k; i++)
			if (owner[w[i]] && owner[w[i]] != n) shared = 1
			else owner[w[i]] = n
	}
	END {
		if (missing) exit
		for (g = 1; g <= n; g++) {
			if (!shared) { print line[g]; continue }
			k = split(line[g], w, " ")
			for (i = 1; i <= k; i++)
				if (!seen[w[i]]++) all = all " " w[i]
		}
		if (shared) print substr(all, 2)
	}'
}

# Booting the ELF vmlinux through its PVH entry point skips the real-mode
# setup and the in-guest decompression, about 0.7 s of TCG time per run.
# The bzImage header says where its payload is (setup_sects at 0x1f1,
# payload_offset/length at 0x248/0x24c); Debian compresses it with zstd.
# Anything unexpected (not zstd, no PVH entry note, no zstd tool) falls
# back to the bzImage.
extract_pvh_vmlinux() {
	local bz=$1 out=$2 setup_sects off len
	command -v zstd >/dev/null 2>&1 || return 1
	command -v readelf >/dev/null 2>&1 || return 1
	setup_sects=$(od -An -tu1 -j $((0x1f1)) -N1 "$bz" | tr -d ' ')
	off=$(od -An -tu4 -j $((0x248)) -N4 "$bz" | tr -d ' ')
	len=$(od -An -tu4 -j $((0x24c)) -N4 "$bz" | tr -d ' ')
	off=$(((setup_sects + 1) * 512 + off))
	[ "$(od -An -tx1 -j "$off" -N4 "$bz" | tr -d ' ')" = 28b52ffd ] || return 1
	# The last 4 bytes of the payload are the decompressed size, which
	# zstd would reject as trailing garbage.
	dd if="$bz" iflag=skip_bytes,count_bytes skip="$off" count=$((len - 4)) \
		bs=1M status=none | zstd -qdc >"$out" 2>/dev/null || return 1
	[ "$(head -c 4 "$out" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] || return 1
	# XEN_ELFNOTE_PHYS32_ENTRY (18): the PVH entry point QEMU needs
	readelf -n "$out" 2>/dev/null | grep -q 'Xen .*(0x00000012)'
}

# initrd_modules ROOT ABI DEST LISTFILE GROUP...: decompressed modules in
# DEST, one line of names per group in LISTFILE (busybox insmod neither
# resolves dependencies nor decompresses, so both are done here, once)
initrd_modules() {
	local root=$1 abi=$2 dest=$3 list=$4 group rel base names
	shift 4
	resolve_modules "$root" "$abi" "$@" >"$tmp/groups"
	if grep '^MISSING ' "$tmp/groups" >&2; then
		die "kernel $abi lacks the modules listed above"
	fi
	mkdir -p "$dest"
	while read -r group; do
		names=
		for rel in $group; do
			base=${rel##*/}
			base=${base%.ko*}
			case "$rel" in
			*.ko.xz) xz -dc "$root/lib/modules/$abi/$rel" ;;
			*.ko.zst) zstd -qdc "$root/lib/modules/$abi/$rel" ;;
			*.ko) cat "$root/lib/modules/$abi/$rel" ;;
			*) die "unexpected module file $rel" ;;
			esac >"$dest/$base.ko"
			names+=" $base"
		done
		echo "${names# }" >>"$list"
	done <"$tmp/groups"
}

build_cache() {
	local abi=$1 pkgs kdir root mods vmlinuz p f
	kdir=$CACHE_DIR/kernel-$abi

	need_tool dpkg dpkg
	need_tool depmod kmod
	need_tool modprobe kmod
	need_tool xz xz-utils
	need_tool cpio cpio
	need_tool gzip gzip
	[ -x /bin/busybox ] ||
		die "missing /bin/busybox: install Debian package 'busybox-static' (or run: make deps)"
	# A dynamically linked busybox (package 'busybox') cannot run in an
	# initramfs that has no libc.
	case "$(ldd /bin/busybox 2>&1 || true)" in
	*"not a dynamic executable"*) ;;
	*)
		die "/bin/busybox is dynamically linked: install Debian package" \
			"'busybox-static' instead of 'busybox' (or run: make deps)"
		;;
	esac

	echo "$prog: building lab cache for kernel $abi (one-time)" >&2
	tmp=$(mktemp -d "$CACHE_DIR/.build.XXXXXX")
	# shellcheck disable=SC2064 # expand now: tmp is global, reused
	trap "rm -rf '$tmp'" EXIT

	pkgs=$(packages "$abi")
	# apt's sandbox user cannot write into a root-owned mktemp directory;
	# the download is verified against apt's signed lists either way.
	# shellcheck disable=SC2086 # a list of package names
	(cd "$tmp" && apt-get "${APT_OPTS[@]}" download $pkgs) >"$tmp/apt.log" 2>&1 || {
		cat "$tmp/apt.log" >&2
		die "download of $pkgs failed; retry (a superseded kernel" \
			"disappears from the archive)"
	}
	root=$tmp/root
	for p in $pkgs; do
		dpkg -x "$tmp/${p}"_*.deb "$root" || die "dpkg -x $p failed"
	done
	# trixie's packages ship /usr/lib/modules; kmod looks in /lib/modules
	if [ ! -d "$root/lib/modules/$abi" ] && [ -d "$root/usr/lib/modules/$abi" ]; then
		mkdir -p "$root/lib"
		ln -s ../usr/lib/modules "$root/lib/modules"
	fi
	mods=$root/lib/modules/$abi
	[ -d "$mods" ] || die "$pkgs: no lib/modules/$abi"
	vmlinuz=
	for f in "$root/boot/vmlinuz-$abi" "$mods/vmlinuz"; do
		[ -f "$f" ] && vmlinuz=$f && break
	done
	[ -n "$vmlinuz" ] || die "$pkgs: no vmlinuz (in /boot or lib/modules/$abi)"
	depmod -b "$root" "$abi" 2>"$tmp/depmod.log" ||
		{ cat "$tmp/depmod.log" >&2; die "depmod failed for $abi"; }

	mkdir -p "$tmp/initrd/bin" "$tmp/initrd/lib/modules" "$tmp/initrd/lab"
	for d in dev proc sys host tmp; do
		mkdir -p "$tmp/initrd/$d"
	done
	cp /bin/busybox "$tmp/initrd/bin/busybox"
	# Applet links are made here once rather than by --install at every boot.
	for a in $(/bin/busybox --list); do
		[ "$a" = busybox ] || ln -s busybox "$tmp/initrd/bin/$a"
	done
	initrd_modules "$root" "$abi" "$tmp/initrd/lib/modules" \
		"$tmp/initrd/lib/modules/modules.lab" "${MODULE_GROUPS[@]}"

	mkdir -p "$tmp/kernel"
	if ! extract_pvh_vmlinux "$vmlinuz" "$tmp/kernel/vmlinux"; then
		rm -f "$tmp/kernel/vmlinux"
		cp "$vmlinuz" "$tmp/kernel/vmlinuz"
	fi
	(cd "$tmp/initrd" && find . -mindepth 1 | LC_ALL=C sort |
		cpio --quiet -o -H newc -R 0:0) | gzip -9 >"$tmp/kernel/initrd.gz"

	# The stacked targets' modules, in an archive of their own appended
	# only for a run that asks for one: every other boot stays as small.
	build_extra "$root" "$abi" "$tmp/kernel"

	for p in $pkgs; do
		echo "$p $(dpkg-deb -f "$tmp/${p}"_*.deb Version)"
	done >"$tmp/kernel/package"
	cp "$tmp/initrd/lib/modules/modules.lab" "$tmp/kernel/modules.lab"
	touch "$tmp/kernel/cached"

	rm -rf "$kdir"
	mv "$tmp/kernel" "$kdir"
	rm -rf "$tmp"
	trap - EXIT
	echo "$prog: cached $(head -n 1 "$kdir/package" | cut -d' ' -f1) in ${kdir#"$REPO_ROOT"/}" >&2
}

# build_extra ROOT ABI KDIR: extra.cpio.gz with one module group per
# feature (lib/modules/extra/<feature>.lab) and extra.lab naming the
# features; a kernel without some of them simply lacks those features.
# extra.wanted names every feature looked for, so that a feature added to
# EXTRA_MODULES later is told apart from one the kernel lacks
# (refresh_cache).
build_extra() {
	local root=$1 abi=$2 out=$3 feat mods x=$tmp/extra
	mkdir -p "$x/lib/modules/extra"
	printf '%s\n' "${!EXTRA_MODULES[@]}" | sort >"$out/extra.wanted"
	for feat in "${!EXTRA_MODULES[@]}"; do
		mods=${EXTRA_MODULES[$feat]}
		if ! resolve_modules "$root" "$abi" "$mods" | grep -q '^MISSING'; then
			initrd_modules "$root" "$abi" "$x/lib/modules/extra" \
				"$x/lib/modules/extra/$feat.lab" "$mods"
			echo "$feat" >>"$out/extra.lab"
		fi
	done
	[ -s "$out/extra.lab" ] || return 0
	sort -o "$out/extra.lab" "$out/extra.lab"
	(cd "$x" && find . -mindepth 1 | LC_ALL=C sort |
		cpio --quiet -o -H newc -R 0:0) | gzip -9 >"$out/extra.cpio.gz"
}

# A complete cache is renamed into place with its mark, so reading
# one needs no lock; building one is serialised per kernel, so that two
# concurrent first runs do not both download 100 MB while runs on other
# kernels go on.
prepare_cache() {
	need_tool flock util-linux
	mkdir -p "$CACHE_DIR"

	local spec=${kernel_ver:-$DEFAULT_KERNEL} abi=
	# A suite always asks the archive: "the newest there" changes.
	[[ $spec =~ ^[a-z]+-[a-z]+$ ]] || abi=$(newest_cached_kernel "$spec")
	if [ -z "$abi" ]; then
		exec 9>"$CACHE_DIR/.lock-apt"
		flock 9
		abi=$(resolve_kernel "$spec")
		exec 9>"$CACHE_DIR/.lock-$abi"
		flock 9
		cache_complete "$CACHE_DIR/kernel-$abi" || build_cache "$abi"
		exec 9>&-
	fi
	kernel_ver=$abi
	KDIR=$CACHE_DIR/kernel-$kernel_ver
	KERNEL=$KDIR/vmlinux
	[ -e "$KERNEL" ] || KERNEL=$KDIR/vmlinuz
	verbose "kernel $kernel_ver ($(xargs <"$KDIR/package")), ${KERNEL##*/}"
}

# refresh_cache FEATURE...: a cache built before a module group was added
# to EXTRA_MODULES lacks it without saying the kernel does; such a cache
# is built again, once (about 120 MB from Debian's registry for a 7.x
# kernel), under the same locks as a first build.
refresh_cache() {
	local f stale=
	for f; do
		grep -qx "$f" "$KDIR/extra.lab" 2>/dev/null && continue
		grep -qx "$f" "$KDIR/extra.wanted" 2>/dev/null && continue
		stale+=" $f"
	done
	[ -n "$stale" ] || return 0
	echo "$prog: the lab cache of kernel $kernel_ver was built before" \
		"the module groups$stale: building it again" >&2
	exec 9>"$CACHE_DIR/.lock-apt"
	flock 9
	apt_update
	exec 9>"$CACHE_DIR/.lock-$kernel_ver"
	flock 9
	# another lab-run may have built it while this one waited
	for f in $stale; do
		grep -qx "$f" "$KDIR/extra.wanted" 2>/dev/null && continue
		build_cache "$kernel_ver"
		break
	done
	exec 9>&-
}
