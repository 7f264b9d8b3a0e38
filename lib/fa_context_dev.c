// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: the disk of the run context: its transport and its identity
 * (model, serial, firmware), read from the device itself (NVMe Identify
 * Controller, SCSI INQUIRY and VPD 80h) or else from the attributes sysfs
 * shows for it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fa_context.h"
#include "fa_nvme.h"
#include "fa_scsi.h"
#include "fa_util.h"

/* Virtual disks, told by their names' prefixes. */
static const struct {
	const char *prefix;
	const char *transport;
} fa_ctx_virtual[] = {
	{ "loop", "loop" }, { "dm-", "dm" }, { "md", "md" },
	{ "zram", "zram" }, { "nbd", "nbd" }, { "ram", "ram" },
	{ "nullb", "null_blk" }, { "rbd", "rbd" },
};

/* Device subsystems (device/subsystem in sysfs) and their transports. */
static const struct {
	const char *subsystem;
	const char *transport;
} fa_ctx_subsys[] = {
	{ "nvme", "nvme" }, { "nvme-subsystem", "nvme" },
	{ "scsi", "scsi" }, { "virtio", "virtio" }, { "mmc", "mmc" },
	{ "xen", "xen" },
};

static int fa_ctx_link_base(const char *link, char *out, size_t len)
{
	char target[PATH_MAX];
	const char *base;
	ssize_t n;

	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	fa_strlcpy(out, base ? base + 1 : target, len);
	return 0;
}

void fa_runctx_transport(const char *sysfs_root, const char *disk,
			  char *out, size_t len)
{
	char link[PATH_MAX], target[PATH_MAX], sub[64];
	ssize_t n;
	size_t i;

	if (!len)
		return;
	out[0] = '\0';
	if (!disk || !disk[0] || strchr(disk, '/'))
		return;
	snprintf(link, sizeof(link), "%s/block/%s", sysfs_root, disk);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return;
	target[n] = '\0';
	if (strstr(target, "/virtual/")) {
		for (i = 0; i < FA_ARRAY_SIZE(fa_ctx_virtual); i++)
			if (!strncmp(disk, fa_ctx_virtual[i].prefix,
				     strlen(fa_ctx_virtual[i].prefix))) {
				fa_strlcpy(out, fa_ctx_virtual[i].transport,
					   len);
				return;
			}
		fa_strlcpy(out, "virtual", len);
		return;
	}
	snprintf(link, sizeof(link), "%s/block/%s/device/subsystem",
		 sysfs_root, disk);
	if (fa_ctx_link_base(link, sub, sizeof(sub)))
		return;
	for (i = 0; i < FA_ARRAY_SIZE(fa_ctx_subsys); i++)
		if (!strcmp(sub, fa_ctx_subsys[i].subsystem)) {
			fa_strlcpy(out, fa_ctx_subsys[i].transport, len);
			return;
		}
	fa_strlcpy(out, sub, len);
}

/* One sysfs attribute of the disk as a trimmed string; "" when absent. */
static void fa_ctx_attr(const char *sysfs_root, const char *disk,
			const char *attr, char *out, size_t len)
{
	char path[PATH_MAX];
	uint8_t buf[512];
	ssize_t n;
	int fd;

	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/block/%s/%s", sysfs_root, disk, attr);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0)
		return;
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	fa_ascii_field(buf, (size_t)n, out, len);
}

/* vpd_pg80 is the raw page: the header, then the serial number. */
static void fa_ctx_vpd80(const char *sysfs_root, const char *disk, char *out,
			 size_t len)
{
	char path[PATH_MAX];
	uint8_t buf[260];
	ssize_t n;
	int fd;

	out[0] = '\0';
	snprintf(path, sizeof(path), "%s/block/%s/device/vpd_pg80",
		 sysfs_root, disk);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n > 0 && fa_scsi_parse_unit_serial(buf, (size_t)n, out, len))
		out[0] = '\0';
}

void fa_runctx_device_sysfs(const char *sysfs_root, struct fa_runctx_device *d)
{
	const char *t = d->transport;

	if (!d->name[0] || strchr(d->name, '/'))
		return;
	if (!strcmp(t, "nvme")) {
		fa_ctx_attr(sysfs_root, d->name, "device/model", d->model,
			    sizeof(d->model));
		fa_ctx_attr(sysfs_root, d->name, "device/serial", d->serial,
			    sizeof(d->serial));
		fa_ctx_attr(sysfs_root, d->name, "device/firmware_rev",
			    d->firmware, sizeof(d->firmware));
	} else if (!strcmp(t, "scsi")) {
		fa_ctx_attr(sysfs_root, d->name, "device/vendor", d->vendor,
			    sizeof(d->vendor));
		fa_ctx_attr(sysfs_root, d->name, "device/model", d->model,
			    sizeof(d->model));
		fa_ctx_attr(sysfs_root, d->name, "device/rev", d->firmware,
			    sizeof(d->firmware));
		fa_ctx_vpd80(sysfs_root, d->name, d->serial,
			     sizeof(d->serial));
	} else if (!strcmp(t, "virtio")) {
		fa_ctx_attr(sysfs_root, d->name, "serial", d->serial,
			    sizeof(d->serial));
	} else if (!strcmp(t, "mmc")) {
		fa_ctx_attr(sysfs_root, d->name, "device/name", d->model,
			    sizeof(d->model));
		fa_ctx_attr(sysfs_root, d->name, "device/serial", d->serial,
			    sizeof(d->serial));
		fa_ctx_attr(sysfs_root, d->name, "device/fwrev", d->firmware,
			    sizeof(d->firmware));
	}
	if (d->model[0] || d->serial[0] || d->firmware[0])
		fa_strlcpy(d->source, FA_RUNCTX_SRC_SYSFS, sizeof(d->source));
}

static int fa_ctx_scsi_identity(const char *node, struct fa_runctx_device *d)
{
	uint8_t std[96], vpd[260];
	char vendor[33], product[33], rev[33];
	struct fa_scsi_result res;
	size_t got;
	int fd, ret;

	/* O_NONBLOCK: a node held O_EXCL elsewhere fails at once. */
	fd = open(node, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = fa_scsi_inquiry_std(fd, std, sizeof(std), &got, &res);
	if (!ret)
		ret = fa_scsi_parse_inquiry(std, got, vendor, product, rev);
	if (ret)
		goto out;
	fa_strlcpy(d->vendor, vendor, sizeof(d->vendor));
	fa_strlcpy(d->model, product, sizeof(d->model));
	fa_strlcpy(d->firmware, rev, sizeof(d->firmware));
	/* The serial number page is optional. */
	d->serial[0] = '\0';
	if (!fa_scsi_inquiry_vpd(fd, FA_SCSI_VPD_UNIT_SERIAL, vpd, sizeof(vpd),
				 &got, &res) &&
	    fa_scsi_parse_unit_serial(vpd, got, d->serial, sizeof(d->serial)))
		d->serial[0] = '\0';
	fa_strlcpy(d->source, FA_RUNCTX_SRC_SCSI, sizeof(d->source));
out:
	close(fd);
	return ret;
}

int fa_runctx_identity_device(const char *node, struct fa_runctx_device *d)
{
	struct fa_nvme_identity id;
	int ret;

	if (!node || !d)
		return -EINVAL;
	if (!strcmp(d->transport, "scsi"))
		return fa_ctx_scsi_identity(node, d);
	if (strcmp(d->transport, "nvme"))
		return -ENOTTY;
	ret = fa_nvme_read_identity(node, &id);
	if (ret)
		return ret;
	fa_strlcpy(d->vendor, "", sizeof(d->vendor));
	fa_strlcpy(d->model, id.mn, sizeof(d->model));
	fa_strlcpy(d->serial, id.sn, sizeof(d->serial));
	fa_strlcpy(d->firmware, id.fr, sizeof(d->firmware));
	fa_strlcpy(d->source, FA_RUNCTX_SRC_NVME, sizeof(d->source));
	return 0;
}
