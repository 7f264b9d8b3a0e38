# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # lab-run's option variables
#
# Description: the QEMU side of tests/lab/lab-run, sourced by it: the
# checks that this QEMU has the devices the lab needs, the pipes between
# the guest's serial ports and lab-run's output, and QEMU's command line
# (accelerator, kernel, the host root and results over virtio-9p, the
# serial channels, the NVMe controller and its namespaces).

check_qemu() {
	local have dev
	command -v qemu-system-x86_64 >/dev/null 2>&1 ||
		die "missing tool 'qemu-system-x86_64': apt-get install" \
			"--no-install-recommends -t bookworm-backports qemu-system-x86" \
			"(or run: make deps)"
	have=$(qemu-system-x86_64 -device help 2>&1) ||
		die "qemu-system-x86_64 -device help failed: $have"
	# QEMU older than 9.2 has nvme but not its atomic.* properties.
	for dev in nvme nvme-ns virtio-9p-pci virtio-serial-pci virtserialport; do
		grep -q "name \"$dev\"" <<<"$have" ||
			die "qemu-system-x86_64 lacks device '$dev': install qemu-system-x86" \
				"10.0 from bookworm-backports (or run: make deps)"
	done
	if [ "$nvme" = 1 ]; then
		qemu-system-x86_64 -device nvme,help 2>&1 | grep -q 'atomic\.awupf' ||
			die "qemu-system-x86_64's nvme lacks atomic.awun/atomic.awupf:" \
				"install qemu-system-x86 10.0 from bookworm-backports (or run: make deps)"
	fi
}

# QEMU's option parser takes ",," for a literal comma in a value.
qesc() {
	printf '%s' "${1//,/,,}"
}

# qemu_channels: the fifos of the out, err and ctl channels and their
# readers (reader_pids), and lab-run's own writers on them (keep_fds).
qemu_channels() {
	local ch line fd

	# QEMU's "pipe" chardev writes to NAME.out and reads NAME.in.  The readers
	# start first and block in open(); the parent then holds a writer on each
	# .out fifo itself, so a reader sees EOF only once QEMU has exited *and* we
	# let go: nothing the guest wrote can be lost between QEMU's exit and the
	# reader's drain, and a QEMU that never starts cannot hang the readers.
	for ch in out err ctl; do
		mkfifo "$run/$ch.in" "$run/$ch.out"
	done
	# Should our stdout go away (lab-run ... | head), keep draining: a full
	# fifo would stall the guest's writes until the watchdog fires.
	(cat "$run/out.out" || exec cat "$run/out.out" >/dev/null) &
	reader_pids+=($!)
	(cat "$run/err.out" >&2 || exec cat "$run/err.out" >/dev/null) &
	reader_pids+=($!)
	# Host timestamps on control lines give a boot time that includes QEMU's
	# own start-up, not just the guest's uptime.
	(
		while IFS= read -r line; do
			printf '%s %s\n' "$EPOCHREALTIME" "$line"
		done <"$run/ctl.out" >"$run/ctl.log"
	) &
	reader_pids+=($!)
	keep_fds=()
	for ch in out err ctl; do
		exec {fd}<>"$run/$ch.out"
		keep_fds+=("$fd")
	done
}

# qemu_build_args: QEMU's command line in qemu_args.
qemu_build_args() {
	local ch img drive_cache ns

	# shellcheck disable=SC2054 # commas belong to QEMU's option syntax
	qemu_args=(
		-accel tcg -cpu max -m 1024 -smp 2
		# -nographic would put the monitor on our stdin/stdout: keep the
		# console in a log file so it never mixes with COMMAND's output.
		-display none -monitor none -serial "file:$(qesc "$run")/console.log"
		-no-reboot -nic none -nodefaults -no-user-config
		-kernel "$KERNEL" -initrd "$run/initrd"
		-append "console=ttyS0 quiet loglevel=3 panic=-1 rdinit=/init ${LAB_KERNEL_ARGS:-}"
		# multidevs=remap: the host root spans several filesystems; without
		# it QEMU warns about possible inode number clashes on stderr.
		-fsdev "local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap"
		-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot
		-fsdev "local,id=labresults,path=$(qesc "$results"),security_model=none,multidevs=remap"
		-device virtio-9p-pci,fsdev=labresults,mount_tag=labresults
		-device virtio-serial-pci
	)
	if [ ${#cmds[@]} -gt 1 ]; then
		mkdir "$run/io"
		# shellcheck disable=SC2054 # commas belong to QEMU's syntax
		qemu_args+=(
			-fsdev "local,id=labio,path=$(qesc "$run/io"),security_model=none"
			-device virtio-9p-pci,fsdev=labio,mount_tag=labio
		)
	fi
	for ch in out err ctl; do
		qemu_args+=(
			-chardev "pipe,id=$ch,path=$(qesc "$run/$ch")"
			-device "virtserialport,chardev=$ch,name=lab.$ch"
		)
	done
	if [ "$nvme" = 1 ]; then
		# Sparse and fresh per run: tests always start from zeroes, and the
		# VM only ever writes to files it owns. --nvme-image keeps one across
		# runs (the power-cut harness boots again to scan what survived).
		img=$run/nvme.img
		drive_cache=""
		if [ -n "$nvme_image" ]; then
			img=$nvme_image
			[ -e "$img" ] || truncate -s "${nvme_size_mb}M" "$img"
			[ -f "$img" ] || die "--nvme-image $img is not a regular file"
			# A kept image is for power cuts: with the default thread-pool
			# buffered I/O a SIGKILL can stop QEMU's pwritev() between
			# pages and leave half a command on the image, a tear the
			# emulated device never made. O_DIRECT through Linux AIO hands
			# each command to the host kernel whole, and the host finishes
			# what it was handed when QEMU dies: the cut loses what the
			# device had not taken, as a power cut does.
			drive_cache=",cache.direct=on,aio=native"
		else
			truncate -s "${nvme_size_mb}M" "$img"
		fi
		qemu_args+=(
			-drive "file=$(qesc "$img"),if=none,id=nvm,format=raw$drive_cache"
			-device "nvme,serial=fioatomic,id=nvme0,atomic.dn=$nvme_dn,atomic.awun=$nvme_awun,atomic.awupf=$nvme_awupf"
			-device "nvme-ns,drive=nvm,nsid=1,logical_block_size=$nvme_lbs,physical_block_size=$nvme_lbs"
		)
		# More namespaces on the same controller (stack members): the
		# controller's awun/awupf hold for each.
		for ((ns = 2; ns <= nvme_namespaces; ns++)); do
			truncate -s "${nvme_size_mb}M" "$run/nvme$ns.img"
			# shellcheck disable=SC2054 # commas belong to QEMU's syntax
			qemu_args+=(
				-drive "file=$(qesc "$run/nvme$ns.img"),if=none,id=nvm$ns,format=raw"
				-device "nvme-ns,drive=nvm$ns,nsid=$ns,logical_block_size=$nvme_lbs,physical_block_size=$nvme_lbs"
			)
		done
	fi
}
