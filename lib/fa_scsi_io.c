// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: talking to a SCSI device: SG_IO, INQUIRY and READ CAPACITY(16),
 * the probe and device view of an open node, and the sysfs lookup from an
 * sg node to its block device.
 *
 * INQUIRY and READ CAPACITY(16) are sent with a plain SG_IO ioctl rather
 * than libsgutils2's sg_ll_inquiry() and sg_ll_readcap_16(): those drop the
 * residual count, which is how a page the device cut short is noticed, and
 * report trouble by printing when asked to be noisy; one small function
 * serves both /dev/sdX and /dev/sgN.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <scsi/sg.h>

#include "fa_scsi.h"
#include "fa_unaligned.h"
#include "fa_util.h"

/* Talking to the device */

int fa_scsi_sgio(int fd, const uint8_t *cdb, unsigned int cdb_len,
		 bool to_device, void *buf, size_t len,
		 unsigned int timeout_ms, struct fa_scsi_result *res)
{
	uint8_t cmd[FA_SCSI_CDB16_LEN], sense[FA_SCSI_SENSE_LEN];
	struct sg_io_hdr hdr;

	if (!cdb || !res || !cdb_len || cdb_len > sizeof(cmd) ||
	    len > UINT_MAX || (len && !buf))
		return -EINVAL;
	memcpy(cmd, cdb, cdb_len);
	memset(sense, 0, sizeof(sense));
	memset(&hdr, 0, sizeof(hdr));
	hdr.interface_id = 'S';
	hdr.cmdp = cmd;
	hdr.cmd_len = cdb_len;
	hdr.sbp = sense;
	hdr.mx_sb_len = sizeof(sense);
	hdr.dxfer_direction = !len ? SG_DXFER_NONE :
			      to_device ? SG_DXFER_TO_DEV : SG_DXFER_FROM_DEV;
	hdr.dxferp = buf;
	hdr.dxfer_len = (unsigned int)len;
	hdr.timeout = timeout_ms ? timeout_ms : FA_SCSI_TIMEOUT_MS;
	if (ioctl(fd, SG_IO, &hdr) < 0)
		return -errno;
	fa_scsi_result_set(res, hdr.status, hdr.host_status,
			   hdr.driver_status, hdr.resid, sense,
			   hdr.sb_len_wr);
	return 0;
}

static int fa_scsi_data_in(int fd, const uint8_t *cdb, unsigned int cdb_len,
			   uint8_t *buf, size_t len, size_t *got,
			   struct fa_scsi_result *res)
{
	int ret;

	memset(buf, 0, len);
	ret = fa_scsi_sgio(fd, cdb, cdb_len, false, buf, len, 0, res);
	if (ret)
		return ret;
	if (!fa_scsi_result_ok(res))
		return -EIO;
	*got = res->resid > 0 && (size_t)res->resid < len ?
	       len - (size_t)res->resid : len;
	return 0;
}

int fa_scsi_inquiry_vpd(int fd, uint8_t page, uint8_t *buf, size_t len,
			size_t *got, struct fa_scsi_result *res)
{
	uint8_t cdb[6] = { 0x12, 0x01, page };

	if (!buf || !got || len > 0xffff)
		return -EINVAL;
	sg_put_unaligned_be16((uint16_t)len, cdb + 3);
	return fa_scsi_data_in(fd, cdb, sizeof(cdb), buf, len, got, res);
}

int fa_scsi_inquiry_std(int fd, uint8_t *buf, size_t len, size_t *got,
			struct fa_scsi_result *res)
{
	uint8_t cdb[6] = { 0x12 };

	if (!buf || !got || len > 0xffff)
		return -EINVAL;
	sg_put_unaligned_be16((uint16_t)len, cdb + 3);
	return fa_scsi_data_in(fd, cdb, sizeof(cdb), buf, len, got, res);
}

int fa_scsi_read_capacity16(int fd, uint8_t *buf, size_t len, size_t *got,
			    struct fa_scsi_result *res)
{
	uint8_t cdb[16] = { 0x9e, 0x10 };

	if (!buf || !got || len > UINT32_MAX)
		return -EINVAL;
	sg_put_unaligned_be32((uint32_t)len, cdb + 10);
	return fa_scsi_data_in(fd, cdb, sizeof(cdb), buf, len, got, res);
}

int fa_scsi_probe(int fd, struct fa_scsi_dev *dev, char *why, size_t len)
{
	uint8_t buf[FA_SCSI_VPD_ALLOC_LEN];
	struct fa_scsi_result res;
	char status[384];
	size_t got = 0;
	int ret;

	memset(dev, 0, sizeof(*dev));
	if (len)
		why[0] = '\0';
	ret = fa_scsi_read_capacity16(fd, buf, FA_SCSI_READ_CAPACITY16_LEN,
				      &got, &res);
	if (ret == -EIO) {
		fa_scsi_result_str(&res, status, sizeof(status));
		snprintf(why, len, "READ CAPACITY(16) failed: %s", status);
		return ret;
	}
	if (ret) {
		snprintf(why, len, "SG_IO: %s", strerror(-ret));
		return ret;
	}
	ret = fa_scsi_parse_read_capacity16(buf, got, &dev->cap);
	if (ret) {
		snprintf(why, len,
			 "READ CAPACITY(16) returned %zu bytes that are no capacity data",
			 got);
		return ret;
	}

	ret = fa_scsi_inquiry_vpd(fd, FA_SCSI_VPD_BLOCK_LIMITS, buf,
				  sizeof(buf), &got, &res);
	if (ret == -EIO) {
		fa_scsi_result_str(&res, status, sizeof(status));
		snprintf(dev->no_bl_why, sizeof(dev->no_bl_why),
			 "INQUIRY for the Block Limits VPD page (B0h) failed: %.240s",
			 status);
		return 0;
	}
	if (ret) {
		snprintf(why, len, "SG_IO: %s", strerror(-ret));
		return ret;
	}
	if (fa_scsi_parse_block_limits(buf, got, &dev->bl)) {
		snprintf(dev->no_bl_why, sizeof(dev->no_bl_why),
			 "the Block Limits VPD page (B0h) is malformed (%zu bytes, page code %02Xh, PAGE LENGTH %u)",
			 got, got > 1 ? buf[1] : 0,
			 got > 3 ? sg_get_unaligned_be16(buf + 2) : 0);
		return 0;
	}
	dev->have_bl = true;
	return 0;
}

int fa_scsi_device_view(const char *path, struct fa_device_view *dv)
{
	uint8_t vpd[FA_SCSI_VPD_ALLOC_LEN], rcap[FA_SCSI_READ_CAPACITY16_LEN];
	char note[sizeof(dv->why_none)] = "", status[384];
	size_t vpd_got = 0, rcap_got = 0;
	struct fa_scsi_result res;
	bool have_vpd = true;
	int fd, ret;

	if (!path || !dv)
		return -EINVAL;
	/* O_NONBLOCK: an sg node held O_EXCL elsewhere fails at once. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = fa_scsi_read_capacity16(fd, rcap, sizeof(rcap), &rcap_got, &res);
	if (ret)
		goto out;
	ret = fa_scsi_inquiry_vpd(fd, FA_SCSI_VPD_BLOCK_LIMITS, vpd,
				  sizeof(vpd), &vpd_got, &res);
	if (ret == -EIO) {
		fa_scsi_result_str(&res, status, sizeof(status));
		snprintf(note, sizeof(note),
			 "the device has no Block Limits VPD page (B0h): INQUIRY failed: %.180s",
			 status);
		have_vpd = false;
	} else if (ret) {
		goto out;
	}

	ret = fa_scsi_view_from_pages(have_vpd ? vpd : NULL, vpd_got, rcap,
				      rcap_got, path, dv);
	if (ret == -EPROTO && have_vpd) {
		/* The driver ignores a page it cannot use; so does the view. */
		snprintf(note, sizeof(note),
			 "the Block Limits VPD page (B0h) is malformed (%zu bytes, page code %02Xh, PAGE LENGTH %u): sd enables no atomic writes",
			 vpd_got, vpd_got > 1 ? vpd[1] : 0,
			 vpd_got > 3 ? sg_get_unaligned_be16(vpd + 2) : 0);
		ret = fa_scsi_view_from_pages(NULL, 0, rcap, rcap_got, path,
					      dv);
	}
	if (!ret && note[0])
		fa_strlcpy(dv->why_none, note, sizeof(dv->why_none));
out:
	close(fd);
	return ret;
}

int fa_scsi_block_name(const char *sysfs_root, unsigned int major,
		       unsigned int minor, char *name, size_t len)
{
	char dir[PATH_MAX];
	struct dirent *de;
	int ret = -ENODEV;
	DIR *d;

	if (!sysfs_root || !name || !len)
		return -EINVAL;
	snprintf(dir, sizeof(dir), "%s/dev/char/%u:%u/device/block",
		 sysfs_root, major, minor);
	d = opendir(dir);
	if (!d)
		return errno == ENOENT || errno == ENOTDIR ? -ENODEV : -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (fa_strlcpy(name, de->d_name, len) >= len)
			ret = -ENAMETOOLONG;
		else
			ret = 0;
		break;
	}
	closedir(d);
	return ret;
}

int fa_scsi_block_device(const char *path, char *blk, size_t len)
{
	char name[256];
	struct stat st;
	int ret;

	if (!path || !blk || !len)
		return -EINVAL;
	if (stat(path, &st) < 0)
		return -errno;
	if (S_ISBLK(st.st_mode))
		return fa_strlcpy(blk, path, len) >= len ? -ENAMETOOLONG : 0;
	if (!S_ISCHR(st.st_mode))
		return -ENOTBLK;
	ret = fa_scsi_block_name("/sys", major(st.st_rdev),
				 minor(st.st_rdev), name, sizeof(name));
	if (ret)
		return ret;
	if ((size_t)snprintf(blk, len, "/dev/%s", name) >= len)
		return -ENAMETOOLONG;
	return 0;
}
