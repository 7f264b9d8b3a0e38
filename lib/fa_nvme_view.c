// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: an NVMe namespace's node names (the block device behind a
 * generic /dev/ngXnY node), and the device view: the Identify fields and
 * the limits Linux's nvme driver derives from them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>

#include "fa_nvme.h"
#include "fa_util.h"

int fa_nvme_block_path(const char *path, char *out, size_t len)
{
	const char *base = strrchr(path, '/');
	unsigned int ctrl, ns;
	char tail;
	int dir;

	base = base ? base + 1 : path;
	dir = (int)(base - path);
	if (sscanf(base, "nvme%un%u%c", &ctrl, &ns, &tail) == 2) {
		if ((size_t)snprintf(out, len, "%s", path) >= len)
			return -ENAMETOOLONG;
		return 0;
	}
	if (sscanf(base, "ng%un%u%c", &ctrl, &ns, &tail) != 2 ||
	    strncmp(base, "ng", 2) || base[2] < '0' || base[2] > '9')
		return -ENODEV;
	if ((size_t)snprintf(out, len, "%.*snvme%un%u", dir, path, ctrl, ns) >=
	    len)
		return -ENAMETOOLONG;
	return 0;
}

/* A limit the NVMe Identify data gives */
static void set_hw(struct fa_value *val, uint64_t value, const char *origin)
{
	fa_value_set(val, value, FA_SRC_NVME_ID, origin);
}

enum fa_nvme_driver fa_nvme_driver_running(void)
{
	struct utsname u;
	unsigned int major = 0;

	if (!uname(&u))
		sscanf(u.release, "%u", &major);
	return major >= 7 ? FA_NVME_DRIVER_7 : FA_NVME_DRIVER_6_12;
}

void fa_nvme_view_from_id(const struct fa_nvme_atomic *a,
			  struct fa_device_view *dv)
{
	fa_nvme_view_from_id_for(a, fa_nvme_driver_running(), dv);
}

void fa_nvme_view_from_id_for(const struct fa_nvme_atomic *a,
			      enum fa_nvme_driver drv,
			      struct fa_device_view *dv)
{
	const char *by = drv == FA_NVME_DRIVER_7 ? "Linux 7.x's nvme driver" :
			 "Linux 6.12's nvme driver";
	static const char zb[] = "0's based blocks";
	long page = sysconf(_SC_PAGESIZE);
	uint64_t bs = fa_nvme_lba_size(a), atomic_bs, boundary = 0;
	char origin[FA_ORIGIN_LEN + 128];	/* set_hw() cuts it */
	bool nsabp = a->nsfeat & FA_NVME_NSFEAT_NSABP;

	memset(dv, 0, sizeof(*dv));
	dv->source = FA_SRC_NVME_ID;
	snprintf(dv->origin, sizeof(dv->origin),
		 "NVMe Identify Controller/Namespace of %s (nsid %" PRIu32 ")",
		 a->path, a->nsid);
	fa_device_add_field(dv, "nsid", a->nsid, "namespace identifier");
	fa_device_add_field(dv, "awun", a->awun, zb);
	fa_device_add_field(dv, "awupf", a->awupf, zb);
	fa_device_add_field(dv, "acwu", a->acwu, zb);
	fa_device_add_field(dv, "nsze", a->nsze, "blocks");
	fa_device_add_field(dv, "nsfeat", a->nsfeat, "flags (bit 1 NSABP)");
	fa_device_add_field(dv, "nlbaf", a->nlbaf, "0's based count");
	fa_device_add_field(dv, "flbas", a->flbas, "flags, format index");
	fa_device_add_field(dv, "lbads", a->lbads, "log2 bytes");
	fa_device_add_field(dv, "ms", a->ms, "bytes");
	fa_device_add_field(dv, "nawun", a->nawun, zb);
	fa_device_add_field(dv, "nawupf", a->nawupf, zb);
	fa_device_add_field(dv, "nacwu", a->nacwu, zb);
	fa_device_add_field(dv, "nabsn", a->nabsn, zb);
	fa_device_add_field(dv, "nabo", a->nabo, "blocks (LBA)");
	fa_device_add_field(dv, "nabspf", a->nabspf, zb);
	if (a->dn_known)
		fa_device_add_field(dv, "dn", a->dn, "flag (Get Features 0Ah)");
	set_hw(&dv->logical_block, bs, dv->origin);

	/* nvme_update_disk_info(): block I/O only for 512..PAGE_SIZE blocks */
	if (a->lbads < 9 || (page > 0 && bs > (uint64_t)page))
		bs = 512;
	if (a->nabo) {
		snprintf(origin, sizeof(origin),
			 "nabo=%u from NVMe Identify Namespace of %s, by %s",
			 a->nabo, a->path, by);
		set_hw(&dv->hw_unit_min, 0, origin);
		set_hw(&dv->hw_unit_max, 0, origin);
		set_hw(&dv->hw_max_bytes, 0, origin);
		set_hw(&dv->hw_boundary, 0, origin);
		snprintf(dv->why_none, sizeof(dv->why_none),
			 "nabo=%u: Linux's nvme driver does not support an atomic boundary offset and enables no atomic writes",
			 a->nabo);
		return;
	}
	if (nsabp && a->nawupf) {
		atomic_bs = (1 + (uint64_t)a->nawupf) * bs;
		if (a->nabspf)
			boundary = (1 + (uint64_t)a->nabspf) * bs;
		snprintf(origin, sizeof(origin),
			 "nawupf=%u, nabspf=%u (NSABP set) from NVMe Identify Namespace of %s, by %s",
			 a->nawupf, a->nabspf, a->path, by);
	} else if (drv == FA_NVME_DRIVER_7) {
		/*
		 * Seen on 7.3: without a namespace unit the controller's
		 * AWUPF is not used ("AWUPF ignored, only NAWUPF accepted"
		 * in the kernel log): one logical block.
		 */
		atomic_bs = bs;
		snprintf(origin, sizeof(origin),
			 "no NAWUPF in NVMe Identify Namespace of %s (awupf=%u ignored), by %s",
			 a->path, a->awupf, by);
	} else {
		atomic_bs = (1 + (uint64_t)a->awupf) * bs;
		snprintf(origin, sizeof(origin),
			 "awupf=%u from NVMe Identify Controller of %s, by %s",
			 a->awupf, a->path, by);
	}
	set_hw(&dv->hw_unit_min, bs, origin);
	set_hw(&dv->hw_unit_max, fa_rounddown_pow2(atomic_bs), origin);
	set_hw(&dv->hw_max_bytes, atomic_bs, origin);
	set_hw(&dv->hw_boundary, boundary, origin);
}

int fa_nvme_device_view(const char *path, struct fa_device_view *dv)
{
	struct fa_nvme_atomic a;
	char why[512];
	int ret;

	ret = fa_nvme_identify(path, &a, why, sizeof(why));
	if (ret) {
		memset(dv, 0, sizeof(*dv));
		dv->source = FA_SRC_NVME_ID;
		fa_strlcpy(dv->why_none, why, sizeof(dv->why_none));
		return ret;
	}
	fa_nvme_view_from_id(&a, dv);
	return 0;
}
