#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: fio's own atomic=1 (fio >= 3.38) is accepted by our engines,
# which set the FIO_ATOMICWRITES engine flag where the fio tree has it; on
# an older fio the option does not exist and the engines still write
# atomically by themselves. Also: the example program writes one validated
# atomic write and refuses an illegal one.
. "$(dirname "$0")/lib.sh"

fa_require_root
fa_require_fio
fa_make_xfs 512
f=$FA_MNT/target
fa_fill "$f" 8
version=$("$FIO" --version)

# fio 3.38 gave the old FusionIO atomic= option its RWF_ATOMIC meaning and
# the FIO_ATOMICWRITES engine flag; before that atomic=1 means O_ATOMIC.
if printf '%s\n' fio-3.38 "$("$FIO" --version)" | sort -V -C; then
	for engine in "${FA_ENGINES[@]}"; do
		out=$(fa_fio --name=a --ioengine="$(fa_engine "$engine")" \
			--filename="$f" --size=8m --bs=16k --rw=randwrite \
			--direct=1 --atomic=1 --verify=crc32c 2>&1)
		if grep -q "err= 0" <<<"$out" &&
		   ! grep -q "engine does not support atomic writes" <<<"$out"; then
			fa_pass "$version: $engine accepts atomic=1"
		else
			fa_fail "$version: $engine refused atomic=1"
			echo "$out" | grep -E "fio:|err=" | head -n 5
		fi
	done
	# fio's own engine without the flag is refused by fio itself: the
	# check our flag satisfies is real.
	out=$(fa_fio --name=a --ioengine=psync --filename="$f" --size=8m \
		--bs=16k --rw=write --direct=1 --atomic=1 2>&1)
	if grep -q "engine does not support atomic writes" <<<"$out"; then
		fa_pass "$version: psync (no FIO_ATOMICWRITES) is refused atomic=1"
	else
		fa_fail "$version: fio accepted atomic=1 for psync"
	fi
else
	# Nothing to ask of fio here; the engines' own RWF_ATOMIC is what
	# every other test exercises on this fio.
	fa_pass "$version predates fio's RWF_ATOMIC atomic= (3.38): engines set RWF_ATOMIC themselves"
fi

ex=$BUILD/examples/atomic-write-one
out=$("$ex" "$f" 2>&1)
if grep -q "wrote 1048576 bytes atomically at offset 0 (limits 4096..1048576 from statx on $f)" <<<"$out"; then
	fa_pass "example: $out"
else
	fa_fail "example: $out"
fi
out=$("$ex" "$f" 24576 2>&1)
if grep -q "refused: size=24576 is not a power of two" <<<"$out"; then
	fa_pass "example refuses 24576"
else
	fa_fail "example with 24576: $out"
fi

fa_done
