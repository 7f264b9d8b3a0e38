// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: NVMe Identify Controller and Identify Namespace: the atomic
 * write fields and the controller's identity (mn, sn, fr) parsed from the
 * raw structures, the admin commands that read them from a device, and a
 * namespace's node names from libnvme's sysfs scan. The one file that
 * talks to libnvme's tree and admin commands.
 *
 * The Identify parsers read the 4096-byte structures at the specification's
 * byte offsets (checked below against libnvme's structures at compile
 * time), so that canned or fuzzed buffers exercise exactly the code that
 * reads a real device. libnvme sends the admin commands.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libnvme.h>
#include "fa_unaligned.h"

#include "fa_nvme.h"
#include "fa_util.h"

/* Identify Controller (CNS 01h) byte offsets. */
#define ID_CTRL_SN	4
#define ID_CTRL_MN	24
#define ID_CTRL_FR	64
#define ID_CTRL_SQES	512
#define ID_CTRL_CQES	513
#define ID_CTRL_AWUN	526
#define ID_CTRL_AWUPF	528
#define ID_CTRL_ACWU	532

/* Identify Namespace (CNS 00h) byte offsets. */
#define ID_NS_NSZE	0
#define ID_NS_NSFEAT	24
#define ID_NS_NLBAF	25
#define ID_NS_FLBAS	26
#define ID_NS_NAWUN	34
#define ID_NS_NAWUPF	36
#define ID_NS_NACWU	38
#define ID_NS_NABSN	40
#define ID_NS_NABO	42
#define ID_NS_NABSPF	44
#define ID_NS_LBAF	128	/* 64 formats of 4 bytes: MS (2), LBADS, RP */

#define FA_NVME_MAX_LBAF	64
#define FA_NVME_LBADS_MIN	9
#define FA_NVME_LBADS_MAX	16

_Static_assert(sizeof(struct nvme_id_ctrl) == FA_NVME_ID_LEN, "id_ctrl");
_Static_assert(sizeof(struct nvme_id_ns) == FA_NVME_ID_LEN, "id_ns");
_Static_assert(offsetof(struct nvme_id_ctrl, sn) == ID_CTRL_SN, "sn");
_Static_assert(offsetof(struct nvme_id_ctrl, mn) == ID_CTRL_MN, "mn");
_Static_assert(offsetof(struct nvme_id_ctrl, fr) == ID_CTRL_FR, "fr");
_Static_assert(offsetof(struct nvme_id_ctrl, sqes) == ID_CTRL_SQES, "sqes");
_Static_assert(offsetof(struct nvme_id_ctrl, cqes) == ID_CTRL_CQES, "cqes");
_Static_assert(offsetof(struct nvme_id_ctrl, awun) == ID_CTRL_AWUN, "awun");
_Static_assert(offsetof(struct nvme_id_ctrl, awupf) == ID_CTRL_AWUPF, "awupf");
_Static_assert(offsetof(struct nvme_id_ctrl, acwu) == ID_CTRL_ACWU, "acwu");
_Static_assert(offsetof(struct nvme_id_ns, nsfeat) == ID_NS_NSFEAT, "nsfeat");
_Static_assert(offsetof(struct nvme_id_ns, flbas) == ID_NS_FLBAS, "flbas");
_Static_assert(offsetof(struct nvme_id_ns, nawun) == ID_NS_NAWUN, "nawun");
_Static_assert(offsetof(struct nvme_id_ns, nabspf) == ID_NS_NABSPF, "nabspf");
_Static_assert(offsetof(struct nvme_id_ns, lbaf) == ID_NS_LBAF, "lbaf");

static int fail(int ret, char *why, size_t why_len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(int ret, char *why, size_t why_len, const char *fmt, ...)
{
	va_list ap;

	if (why && why_len) {
		va_start(ap, fmt);
		vsnprintf(why, why_len, fmt, ap);
		va_end(ap);
	}
	return ret;
}

int fa_nvme_parse_id_ctrl(const void *buf, size_t len,
			  struct fa_nvme_atomic *a, char *why, size_t why_len)
{
	const uint8_t *b = buf;
	uint8_t sqes, cqes;

	if (!b || len < FA_NVME_ID_LEN)
		return fail(-EINVAL, why, why_len,
			    "Identify Controller data is %zu bytes, short of %d",
			    b ? len : 0, FA_NVME_ID_LEN);
	/*
	 * Every I/O controller takes 64-byte SQEs and 16-byte CQEs, so the
	 * required sizes (bits 3:0) are at least 6 and 4; zeroed or foreign
	 * data fails here rather than passing for "awupf=0".
	 */
	sqes = b[ID_CTRL_SQES];
	cqes = b[ID_CTRL_CQES];
	if ((sqes & 0xf) < 6 || (sqes >> 4) < (sqes & 0xf) ||
	    (cqes & 0xf) < 4 || (cqes >> 4) < (cqes & 0xf))
		return fail(-EPROTO, why, why_len,
			    "Identify Controller data has SQES=0x%02x CQES=0x%02x, but an NVM controller takes 64-byte submission and 16-byte completion entries (0x66, 0x44): not Identify Controller data",
			    sqes, cqes);
	a->awun = sg_get_unaligned_le16(b + ID_CTRL_AWUN);
	a->awupf = sg_get_unaligned_le16(b + ID_CTRL_AWUPF);
	a->acwu = sg_get_unaligned_le16(b + ID_CTRL_ACWU);
	return 0;
}

int fa_nvme_parse_id_ns(const void *buf, size_t len, struct fa_nvme_atomic *a,
			char *why, size_t why_len)
{
	const uint8_t *b = buf;
	struct fa_nvme_atomic n;
	const uint8_t *lbaf;

	if (!b || len < FA_NVME_ID_LEN)
		return fail(-EINVAL, why, why_len,
			    "Identify Namespace data is %zu bytes, short of %d",
			    b ? len : 0, FA_NVME_ID_LEN);
	memcpy(&n, a, sizeof(n));
	n.nsze = sg_get_unaligned_le64(b + ID_NS_NSZE);
	if (!n.nsze)
		return fail(-EPROTO, why, why_len,
			    "Identify Namespace data has nsze=0: the namespace is inactive (its data reads as zeroes)");
	n.nsfeat = b[ID_NS_NSFEAT];
	n.nlbaf = b[ID_NS_NLBAF];
	n.flbas = b[ID_NS_FLBAS];
	if (n.nlbaf >= FA_NVME_MAX_LBAF)
		return fail(-EPROTO, why, why_len,
			    "Identify Namespace data has nlbaf=%u, but there are at most %d LBA formats (nlbaf is 0's based)",
			    n.nlbaf, FA_NVME_MAX_LBAF);
	n.lbaf = (n.flbas & 0x0f) | (n.flbas & 0x60) >> 1;
	if (n.lbaf > n.nlbaf)
		return fail(-EPROTO, why, why_len,
			    "Identify Namespace data has flbas=0x%02x selecting LBA format %u, beyond nlbaf=%u (0's based)",
			    n.flbas, n.lbaf, n.nlbaf);
	lbaf = b + ID_NS_LBAF + 4 * n.lbaf;
	n.ms = sg_get_unaligned_le16(lbaf);
	n.lbads = lbaf[2];
	if (n.lbads < FA_NVME_LBADS_MIN || n.lbads > FA_NVME_LBADS_MAX)
		return fail(-EPROTO, why, why_len,
			    "Identify Namespace data has lbads=%u in LBA format %u: outside %d..%d (512 bytes..64 KiB)",
			    n.lbads, n.lbaf, FA_NVME_LBADS_MIN,
			    FA_NVME_LBADS_MAX);
	n.nawun = sg_get_unaligned_le16(b + ID_NS_NAWUN);
	n.nawupf = sg_get_unaligned_le16(b + ID_NS_NAWUPF);
	n.nacwu = sg_get_unaligned_le16(b + ID_NS_NACWU);
	n.nabsn = sg_get_unaligned_le16(b + ID_NS_NABSN);
	n.nabo = sg_get_unaligned_le16(b + ID_NS_NABO);
	n.nabspf = sg_get_unaligned_le16(b + ID_NS_NABSPF);
	memcpy(a, &n, sizeof(n));
	return 0;
}

/* libnvme returns -1 with errno, or a positive NVMe status. */
static int identify_error(int ret, const char *what, const char *path,
			  char *why, size_t why_len)
{
	char status[512];
	int err = ret < 0 ? -errno : ret;

	fa_nvme_status_message(err, status, sizeof(status));
	return fail(err < 0 ? err : -EIO, why, why_len, "%s of %s: %s", what,
		    path, status);
}

int fa_nvme_identify(const char *path, struct fa_nvme_atomic *a, char *why,
		     size_t why_len)
{
	struct fa_nvme_atomic n;
	void *ctrl = NULL, *ns = NULL;
	uint32_t result = 0;
	int fd, ret;

	memset(&n, 0, sizeof(n));
	fa_strlcpy(n.path, path, sizeof(n.path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(-errno, why, why_len, "cannot open %s: %s", path,
			    strerror(errno));
	if (nvme_get_nsid(fd, &n.nsid) < 0) {
		ret = fail(-errno, why, why_len,
			   "%s is not an NVMe namespace (NVME_IOCTL_ID: %s)",
			   path, strerror(errno));
		goto out;
	}
	if (posix_memalign(&ctrl, 4096, FA_NVME_ID_LEN) ||
	    posix_memalign(&ns, 4096, FA_NVME_ID_LEN)) {
		ret = fail(-ENOMEM, why, why_len, "out of memory");
		goto out;
	}
	memset(ctrl, 0, FA_NVME_ID_LEN);
	memset(ns, 0, FA_NVME_ID_LEN);
	ret = nvme_identify_ctrl(fd, ctrl);
	if (ret) {
		ret = identify_error(ret, "Identify Controller", path, why,
				     why_len);
		goto out;
	}
	ret = nvme_identify_ns(fd, n.nsid, ns);
	if (ret) {
		ret = identify_error(ret, "Identify Namespace", path, why,
				     why_len);
		goto out;
	}
	ret = fa_nvme_parse_id_ctrl(ctrl, FA_NVME_ID_LEN, &n, why, why_len);
	if (!ret)
		ret = fa_nvme_parse_id_ns(ns, FA_NVME_ID_LEN, &n, why,
					  why_len);
	if (ret)
		goto out;
	/* Optional feature: a controller without it just leaves DN unknown. */
	if (!nvme_get_features_write_atomic(fd, NVME_GET_FEATURES_SEL_CURRENT,
					    &result)) {
		n.dn_known = true;
		n.dn = result & 1;
	}
	memcpy(a, &n, sizeof(n));
out:
	free(ctrl);
	free(ns);
	close(fd);
	return ret;
}

int fa_nvme_parse_id_ctrl_identity(const void *buf, size_t len,
				   struct fa_nvme_identity *id)
{
	const uint8_t *b = buf;

	if (!b || !id || len < FA_NVME_ID_LEN)
		return -EINVAL;
	fa_ascii_field(b + ID_CTRL_MN, 40, id->mn, sizeof(id->mn));
	fa_ascii_field(b + ID_CTRL_SN, 20, id->sn, sizeof(id->sn));
	fa_ascii_field(b + ID_CTRL_FR, 8, id->fr, sizeof(id->fr));
	return 0;
}

int fa_nvme_read_identity(const char *path, struct fa_nvme_identity *id)
{
	void *ctrl = NULL;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (posix_memalign(&ctrl, 4096, FA_NVME_ID_LEN)) {
		close(fd);
		return -ENOMEM;
	}
	memset(ctrl, 0, FA_NVME_ID_LEN);
	ret = nvme_identify_ctrl(fd, ctrl);
	if (ret)
		ret = ret < 0 ? -errno : -EIO;
	else
		ret = fa_nvme_parse_id_ctrl_identity(ctrl, FA_NVME_ID_LEN, id);
	free(ctrl);
	close(fd);
	return ret;
}

static bool fa_nvme_ns_match(nvme_ns_t n, const char *name, char *block,
			     size_t block_len, char *generic,
			     size_t generic_len)
{
	const char *b = nvme_ns_get_name(n);
	const char *g = nvme_ns_get_generic_name(n);

	if (!b || !g || (strcmp(name, b) && strcmp(name, g)))
		return false;
	fa_strlcpy(block, b, block_len);
	fa_strlcpy(generic, g, generic_len);
	return true;
}

int fa_nvme_ns_names(const char *name, char *block, size_t block_len,
		     char *generic, size_t generic_len)
{
	nvme_root_t r;
	nvme_host_t h;
	nvme_subsystem_t s;
	nvme_ctrl_t c;
	nvme_ns_t n;
	bool found = false;

	if (!name || !block || !generic)
		return -EINVAL;
	r = nvme_scan(NULL);
	if (!r)
		return -ENODEV;
	/* Multipath heads hang off the subsystem, private ones off a ctrl. */
	nvme_for_each_host(r, h) {
		nvme_for_each_subsystem(h, s) {
			nvme_subsystem_for_each_ns(s, n)
				if (!found)
					found = fa_nvme_ns_match(n, name, block,
						block_len, generic,
						generic_len);
			nvme_subsystem_for_each_ctrl(s, c)
				nvme_ctrl_for_each_ns(c, n)
					if (!found)
						found = fa_nvme_ns_match(n,
							name, block, block_len,
							generic, generic_len);
		}
	}
	nvme_free_tree(r);
	return found ? 0 : -ENODEV;
}
