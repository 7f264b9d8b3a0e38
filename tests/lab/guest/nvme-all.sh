#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Description: runs inside the lab VM. The NVMe guest scripts in one boot:
# nvme-identify.sh (given the geometry booted), nvme-write.sh,
# nvme-reject.sh, and in the lab's default geometry (4096-byte blocks,
# awupf 15, which the job files assume) nvme-jobs.sh. Exit 1 if any failed,
# else 77 if any skipped, else 0.
#
#   nvme-all.sh AWUN AWUPF LBS DN
g=$(dirname "$0")
worst=0
scripts=("nvme-identify.sh $*" nvme-write.sh nvme-reject.sh)
[ "${2:-}" = 15 ] && [ "${3:-}" = 4096 ] && scripts+=(nvme-jobs.sh)
for s in "${scripts[@]}"; do
	echo "=== $s"
	start=$SECONDS
	# shellcheck disable=SC2086 # the geometry is split on purpose
	"$g"/$s
	rc=$?
	echo "=== $s: exit $rc, $((SECONDS - start)) s"
	case $rc in
	0) ;;
	77) [ $worst = 0 ] && worst=77 ;;
	*) worst=1 ;;
	esac
done
exit $worst
