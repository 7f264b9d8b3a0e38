// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: read a block device's own view of its atomic limits, chosen by
 * the driver behind its disk, and derive what the kernel should report.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fa_device.h"
#include "fa_limits.h"
#include "fa_nvme.h"
#include "fa_scsi.h"

/* The driver of a disk: the basename of /sys/block/<disk>/device/driver
 * for SCSI disks ("sd"); NVMe namespaces are named nvme<S>n<N>.
 */
static bool fa_disk_is_scsi(const char *disk)
{
	char link[PATH_MAX], target[PATH_MAX];
	const char *base;
	ssize_t n;

	snprintf(link, sizeof(link), "/sys/block/%s/device/driver", disk);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	base = strrchr(target, '/');
	return base && !strcmp(base + 1, "sd");
}

int fa_limits_read_device(struct fa_limits *lim)
{
	unsigned int subsys, ns;
	char node[96], tail;
	int ret;

	fa_limits_release(lim);
	lim->device_err = 0;
	if (lim->kind != FA_KIND_BLOCK || !lim->disk[0])
		return lim->device_err = -ENOTTY;
	lim->device = calloc(1, sizeof(*lim->device));
	if (!lim->device)
		return lim->device_err = -ENOMEM;

	if (sscanf(lim->disk, "nvme%un%u%c", &subsys, &ns, &tail) == 2) {
		/* The namespace itself, even when @path is a partition. */
		snprintf(node, sizeof(node), "/dev/%s", lim->disk);
		ret = fa_nvme_device_view(node, lim->device);
	} else if (fa_disk_is_scsi(lim->disk)) {
		snprintf(node, sizeof(node), "/dev/%s", lim->disk);
		ret = fa_scsi_device_view(node, lim->device);
	} else {
		ret = -ENOTTY;
	}
	if (ret) {
		fa_limits_release(lim);
		return lim->device_err = ret;
	}
	lim->device_read = true;
	fa_limits_expect(lim);
	return 0;
}
