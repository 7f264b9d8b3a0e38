// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the run context: os-release(5) parsing (quotes, escapes,
 * comments, bad lines, the last assignment winning), the distribution from
 * a fake root, a disk's transport and sysfs identity from a fake sysfs
 * tree (loop, dm, NVMe, SCSI with VPD 80h, virtio), the SCSI INQUIRY and
 * VPD 80h and NVMe Identify Controller identity parsers, the JSON object
 * (unknown strings null, a round trip, a member of the wrong type), the
 * mount table by path, and collecting the context of a file here.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "fa_context.h"
#include "fa_fake_tree.h"
#include "fa_mount.h"
#include "fa_nvme.h"
#include "fa_scsi.h"
#include "fa_test.h"

static char out[256];

static int setup(void)
{
	strcpy(out, "untouched");
	return fa_tree_make("fa-context");
}

/* --- os-release -------------------------------------------------------- */

static int osr(const char *text, const char *key)
{
	return fa_os_release_get(text, strlen(text), key, out, sizeof(out));
}

/* @key looked up in @text: found (1) or not (0), and the value it gives */
struct osr_case {
	const char *text, *key;
	int found;
	const char *value;	/* NULL: not compared */
};

static void expect_osr(const struct osr_case *oc, size_t nr)
{
	size_t i;
	int ret;

	for (i = 0; i < nr; i++, oc++) {
		ret = osr(oc->text, oc->key);
		if (ret != oc->found || (oc->value && strcmp(out, oc->value)))
			FA_FAIL("case %zu, %s: %d \"%s\", not %d \"%s\"",
				i, oc->key, ret, out, oc->found,
				oc->value ? oc->value : "(any)");
	}
}

static void test_osr_debian(void)
{
	static const char f[] =
		"PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
		"NAME=\"Debian GNU/Linux\"\n"
		"VERSION_ID=\"12\"\n"
		"ID=debian\n";
	static const struct osr_case oc[] = {
		{ f, "PRETTY_NAME", 1, "Debian GNU/Linux 12 (bookworm)" },
		{ f, "ID", 1, "debian" },
		{ f, "VERSION_CODENAME", 0, "" },
	};

	expect_osr(oc, sizeof(oc) / sizeof(oc[0]));
}

static void test_osr_quotes_and_escapes(void)
{
	static const struct osr_case oc[] = {
		{ "A=\"say \\\"hi\\\" \\$HOME \\\\ \\n\"\n", "A", 1,
		  "say \"hi\" $HOME \\ \\n" },
		{ "A='single \"kept\" \\$'\n", "A", 1, "single \"kept\" \\$" },
		{ "A=one\\ word\n", "A", 1, "one word" },
		{ "A=\"glued\"'parts'x\n", "A", 1, "gluedpartsx" },
		{ "A=\"\"\n", "A", 1, "" },
	};

	expect_osr(oc, sizeof(oc) / sizeof(oc[0]));
}

static void test_osr_comments_blank_whitespace(void)
{
	static const char f[] =
		"# PRETTY_NAME=\"commented\"\n"
		"\n"
		"   \t\n"
		"  PRETTY_NAME=\"indented\"   # trailing comment\n";

	FA_ASSERT_EQ(osr(f, "PRETTY_NAME"), 1);
	FA_ASSERT_STREQ(out, "indented");
}

static void test_osr_last_assignment_wins(void)
{
	FA_ASSERT_EQ(osr("A=first\nA=second\n", "A"), 1);
	FA_ASSERT_STREQ(out, "second");
}

static void test_osr_bad_lines_skipped(void)
{
	/* an unterminated quote, two words, no '=' */
	static const struct osr_case oc[] = {
		{ "A=good\nA=\"open\nA=two words\nA\n", "A", 1, "good" },
		{ "A='never closed\n", "A", 0, "" },
	};

	expect_osr(oc, sizeof(oc) / sizeof(oc[0]));
}

static void test_osr_key_must_match_whole(void)
{
	static const struct osr_case oc[] = {
		{ "PRETTY_NAME_X=no\nXPRETTY_NAME=no\n", "PRETTY_NAME", 0,
		  NULL },
		{ "1A=x\n", "1A", 0, NULL },
	};

	expect_osr(oc, sizeof(oc) / sizeof(oc[0]));
}

static void test_osr_no_newline_nul_and_cut(void)
{
	static const char nul[] = "A=x\0y\nB=z";
	char small[4];

	FA_ASSERT_EQ(osr("A=last", "A"), 1);
	FA_ASSERT_STREQ(out, "last");
	FA_ASSERT_EQ(fa_os_release_get(nul, sizeof(nul) - 1, "A", out,
				       sizeof(out)), 0);
	FA_ASSERT_EQ(fa_os_release_get(nul, sizeof(nul) - 1, "B", out,
				       sizeof(out)), 1);
	FA_ASSERT_STREQ(out, "z");
	FA_ASSERT_EQ(fa_os_release_get("A=abcdef", 8, "A", small,
				       sizeof(small)), 1);
	FA_ASSERT_STREQ(small, "abc");
	FA_ASSERT_EQ(fa_os_release_get("", 0, "A", out, sizeof(out)), 0);
	FA_ASSERT_EQ(fa_os_release_get(NULL, 0, "A", out, sizeof(out)), 0);
	FA_ASSERT_EQ(fa_os_release_get("A=b", 3, "", out, sizeof(out)),
		     -EINVAL);
}

static void test_distro_from_fake_root(void)
{
	FA_ASSERT_EQ(fa_tree_put("usr/lib/os-release", "NAME=\"Fallback OS\"\n"
				 "PRETTY_NAME=\"Lib OS 1\"\n"), 0);
	fa_runctx_distro(fa_tree, out, sizeof(out));
	FA_ASSERT_STREQ(out, "Lib OS 1");
	/* etc/os-release comes first; without PRETTY_NAME, NAME */
	FA_ASSERT_EQ(fa_tree_put("etc/os-release", "NAME=\"Etc OS\"\n"), 0);
	fa_runctx_distro(fa_tree, out, sizeof(out));
	FA_ASSERT_STREQ(out, "Etc OS");
	FA_ASSERT_EQ(fa_tree_put("etc/os-release", "ID=x\n"), 0);
	fa_runctx_distro(fa_tree, out, sizeof(out));
	FA_ASSERT_STREQ(out, "");
}

/* --- transport and sysfs identity -------------------------------------- */

static int fake_disk(const char *disk, const char *devpath,
		     const char *subsystem)
{
	char rel[PATH_MAX], target[PATH_MAX];
	int ret;

	snprintf(rel, sizeof(rel), "sys/%s/%s/dev", devpath, disk);
	ret = fa_tree_put(rel, "1:1\n");
	if (ret)
		return ret;
	snprintf(rel, sizeof(rel), "sys/block/%s", disk);
	snprintf(target, sizeof(target), "../%s/%s", devpath, disk);
	ret = fa_tree_link(rel, target);
	if (ret || !subsystem)
		return ret;
	snprintf(rel, sizeof(rel), "sys/%s/subsystem", devpath);
	snprintf(target, sizeof(target), "../../../bus/%s", subsystem);
	ret = fa_tree_link(rel, target);
	if (ret)
		return ret;
	/* block/<disk>/device is the parent device: devpath */
	snprintf(rel, sizeof(rel), "sys/%s/%s/device", devpath, disk);
	return fa_tree_link(rel, "..");
}

/* <tree>/sys, the root the run context's sysfs readers are given */
static const char *fake_sys(void)
{
	static char sys[PATH_MAX];

	snprintf(sys, sizeof(sys), "%s/sys", fa_tree);
	return sys;
}

/* @want: disk, the transport fa_runctx_transport() must find for it */
static void expect_transports(const char *const want[][2], size_t nr)
{
	char t[16];
	size_t i;

	for (i = 0; i < nr; i++) {
		fa_runctx_transport(fake_sys(), want[i][0], t, sizeof(t));
		if (strcmp(t, want[i][1]))
			FA_FAIL("transport of %s: \"%s\", not \"%s\"",
				want[i][0], t, want[i][1]);
	}
}

static void test_transport_virtual_disks(void)
{
	static const char *const want[][2] = {
		{ "loop0", "loop" },	{ "dm-3", "dm" },
		{ "md127", "md" },	{ "weird0", "virtual" },
		{ "missing", "" },	{ "../etc", "" },
	};

	FA_ASSERT_EQ(fake_disk("loop0", "devices/virtual/block", NULL), 0);
	FA_ASSERT_EQ(fake_disk("dm-3", "devices/virtual/block", NULL), 0);
	FA_ASSERT_EQ(fake_disk("md127", "devices/virtual/block", NULL), 0);
	FA_ASSERT_EQ(fake_disk("weird0", "devices/virtual/block", NULL), 0);
	expect_transports(want, sizeof(want) / sizeof(want[0]));
}

static void test_transport_by_subsystem(void)
{
	static const char *const want[][2] = {
		{ "nvme0n1", "nvme" },	{ "sda", "scsi" },
		{ "vda", "virtio" },	{ "xyz", "odd_bus" },
	};

	FA_ASSERT_EQ(fake_disk("nvme0n1", "devices/pci0/nvme/nvme0", "nvme"),
		     0);
	FA_ASSERT_EQ(fake_disk("sda", "devices/pci0/host0/0:0:0:0", "scsi"),
		     0);
	FA_ASSERT_EQ(fake_disk("vda", "devices/pci0/virtio1", "virtio"), 0);
	FA_ASSERT_EQ(fake_disk("xyz", "devices/pci0/odd", "odd_bus"), 0);
	expect_transports(want, sizeof(want) / sizeof(want[0]));
}

/*
 * A disk in the fake sysfs, the attribute files of its device and the
 * identity fa_runctx_device_sysfs() must read from them.
 */
struct identity_case {
	const char *disk, *transport, *devpath, *subsystem;
	const char *const *attrs;	/* name, contents pairs, then NULL */
	const char *vendor, *model, *firmware, *serial, *source;
};

static void expect_identity(const struct identity_case *ic)
{
	struct fa_runctx_device d = { 0 };
	char rel[PATH_MAX];
	const char *const *a;

	snprintf(d.name, sizeof(d.name), "%s", ic->disk);
	snprintf(d.transport, sizeof(d.transport), "%s", ic->transport);
	FA_ASSERT_EQ(fake_disk(ic->disk, ic->devpath, ic->subsystem), 0);
	for (a = ic->attrs; a && a[0]; a += 2) {
		snprintf(rel, sizeof(rel), "sys/%s/%s", ic->devpath, a[0]);
		FA_ASSERT_EQ(fa_tree_put(rel, a[1]), 0);
	}
	fa_runctx_device_sysfs(fake_sys(), &d);
	FA_ASSERT_STREQ(d.vendor, ic->vendor);
	FA_ASSERT_STREQ(d.model, ic->model);
	FA_ASSERT_STREQ(d.firmware, ic->firmware);
	FA_ASSERT_STREQ(d.serial, ic->serial);
	FA_ASSERT_STREQ(d.source, ic->source);
}

static void test_sysfs_identity_scsi_with_vpd80(void)
{
	static const unsigned char pg80[] = { 0x00, 0x80, 0x00, 0x0a,
		' ', ' ', 'S', 'N', '-', '0', '0', '4', '2', ' ' };
	static const char *const attrs[] = {
		"vendor", "Linux   \n",
		"model", "scsi_debug      \n",
		"rev", "0191\n",
		NULL,
	};
	static const struct identity_case ic = {
		"sda", "scsi", "devices/pci0/host0/0:0:0:0", "scsi", attrs,
		"Linux", "scsi_debug", "0191", "SN-0042", FA_RUNCTX_SRC_SYSFS,
	};

	FA_ASSERT_EQ(fa_tree_write("sys/devices/pci0/host0/0:0:0:0/vpd_pg80",
				   pg80, sizeof(pg80)), 0);
	expect_identity(&ic);
}

static void test_sysfs_identity_nvme(void)
{
	static const char *const attrs[] = {
		"model", "QEMU NVMe Ctrl                          \n",
		"serial", "lab0001             \n",
		"firmware_rev", "10.0.2  \n",
		NULL,
	};
	static const struct identity_case ic = {
		"nvme0n1", "nvme", "devices/pci0/nvme/nvme0", "nvme", attrs,
		"", "QEMU NVMe Ctrl", "10.0.2", "lab0001", FA_RUNCTX_SRC_SYSFS,
	};

	expect_identity(&ic);
}

static void test_sysfs_identity_loop_has_none(void)
{
	static const struct identity_case ic = {
		"loop0", "loop", "devices/virtual/block", NULL, NULL,
		"", "", "", "", "",
	};

	expect_identity(&ic);
}

/* --- device parsers ---------------------------------------------------- */

static void test_scsi_inquiry_identity(void)
{
	uint8_t inq[36] = { 0 };
	char vendor[33], product[33], rev[33];

	memcpy(inq + 8, "Linux   scsi_debug      0191", 28);
	FA_ASSERT_EQ(fa_scsi_parse_inquiry(inq, sizeof(inq), vendor, product,
					   rev), 0);
	FA_ASSERT_STREQ(vendor, "Linux");
	FA_ASSERT_STREQ(product, "scsi_debug");
	FA_ASSERT_STREQ(rev, "0191");
	/* bytes that are not printable ASCII cannot reach the JSON */
	inq[16] = 0xff;
	inq[17] = '\n';
	FA_ASSERT_EQ(fa_scsi_parse_inquiry(inq, sizeof(inq), vendor, product,
					   rev), 0);
	FA_ASSERT_STREQ(product, "..si_debug");
	FA_ASSERT_EQ(fa_scsi_parse_inquiry(inq, 35, vendor, product, rev),
		     -EPROTO);
}

static void test_scsi_unit_serial_page(void)
{
	uint8_t pg[16] = { 0x00, 0x80, 0x00, 0x04, 'A', 'B', 'C', ' ' };
	char s[8];

	FA_ASSERT_EQ(fa_scsi_parse_unit_serial(pg, 8, s, sizeof(s)), 0);
	FA_ASSERT_STREQ(s, "ABC");
	pg[3] = 5;	/* PAGE LENGTH beyond the data */
	FA_ASSERT_EQ(fa_scsi_parse_unit_serial(pg, 8, s, sizeof(s)), -EPROTO);
	pg[1] = 0x83;
	FA_ASSERT_EQ(fa_scsi_parse_unit_serial(pg, 16, s, sizeof(s)), -EPROTO);
	FA_ASSERT_EQ(fa_scsi_parse_unit_serial(pg, 3, s, sizeof(s)), -EPROTO);
}

static void test_nvme_id_ctrl_identity(void)
{
	static uint8_t id[FA_NVME_ID_LEN];
	struct fa_nvme_identity ident;

	memset(id, 0, sizeof(id));
	memcpy(id + 4, "lab0001             ", 20);
	memcpy(id + 24, "QEMU NVMe Ctrl                          ", 40);
	memcpy(id + 64, "10.0.2  ", 8);
	FA_ASSERT_EQ(fa_nvme_parse_id_ctrl_identity(id, sizeof(id), &ident),
		     0);
	FA_ASSERT_STREQ(ident.mn, "QEMU NVMe Ctrl");
	FA_ASSERT_STREQ(ident.sn, "lab0001");
	FA_ASSERT_STREQ(ident.fr, "10.0.2");
	FA_ASSERT_EQ(fa_nvme_parse_id_ctrl_identity(id, 4095, &ident),
		     -EINVAL);
}

/* --- JSON -------------------------------------------------------------- */

static const char *plain(struct json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
}

static void fill(struct fa_runctx *c)
{
	memset(c, 0, sizeof(*c));
	c->present = true;
	strcpy(c->host, "vm");
	strcpy(c->kernel, "6.18.44");
	strcpy(c->distro, "Debian GNU/Linux 12 (bookworm)");
	strcpy(c->fio_version, "fio-3.33");
	strcpy(c->build, "v0.3-1-gabc");
	strcpy(c->target_path, "/mnt/x/f");
	strcpy(c->target_kind, "file");
	c->device.known = true;
	strcpy(c->device.name, "nvme0n1");
	strcpy(c->device.transport, "nvme");
	strcpy(c->device.model, "QEMU NVMe Ctrl");
	strcpy(c->device.serial, "lab0001");
	strcpy(c->device.firmware, "10.0.2");
	strcpy(c->device.source, FA_RUNCTX_SRC_NVME);
	c->filesystem.known = true;
	strcpy(c->filesystem.type, "xfs");
	strcpy(c->filesystem.mountpoint, "/mnt/x");
	strcpy(c->filesystem.source, "/dev/loop0");
	strcpy(c->filesystem.options, "rw,relatime");
	c->limits.known = FA_RUNCTX_UNIT_MIN | FA_RUNCTX_UNIT_MAX |
			  FA_RUNCTX_UNIT_MAX_OPT;
	c->limits.unit_min = 4096;
	c->limits.unit_max = 2097152;
	strcpy(c->limits.source, "statx on /mnt/x/f");
}

static void test_json_round_trip(void)
{
	static struct fa_runctx c, back;
	struct json_object *o, *v;
	const char *bad = NULL;

	fill(&c);
	o = fa_runctx_json(&c);
	FA_ASSERT(o != NULL);
	FA_ASSERT_EQ(fa_runctx_parse(o, &back, &bad), 0);
	FA_ASSERT(back.present);
	FA_ASSERT_STREQ(back.distro, c.distro);
	FA_ASSERT_STREQ(back.target_kind, "file");
	FA_ASSERT_STREQ(back.device.serial, "lab0001");
	FA_ASSERT_STREQ(back.filesystem.options, "rw,relatime");
	FA_ASSERT_UEQ(back.limits.unit_max, 2097152);
	FA_ASSERT_UEQ(back.limits.known, c.limits.known);
	/* unknown strings and numbers are null, not "" or 0 */
	FA_ASSERT(json_object_object_get_ex(o, "device", &v));
	FA_ASSERT(json_object_object_get_ex(v, "vendor", &v));
	FA_ASSERT(v == NULL);
	FA_ASSERT_CONTAINS(plain(o),
			   "\"segments_max\":null");
	json_object_put(o);
}

static void test_json_nulls_and_wrong_type(void)
{
	static struct fa_runctx c;
	struct json_object *o;
	const char *bad = NULL;

	memset(&c, 0, sizeof(c));
	o = fa_runctx_json(&c);
	FA_ASSERT(o != NULL);
	FA_ASSERT_CONTAINS(plain(o), "\"device\":null");
	FA_ASSERT_CONTAINS(plain(o),
			   "\"filesystem\":null");
	FA_ASSERT_CONTAINS(plain(o), "\"host\":null");
	json_object_put(o);
	o = json_tokener_parse("{\"device\":{\"serial\":42}}");
	FA_ASSERT_EQ(fa_runctx_parse(o, &c, &bad), -EINVAL);
	FA_ASSERT_STREQ(bad, "serial");
	json_object_put(o);
	o = json_tokener_parse("{\"limits\":{\"unit_max\":-1}}");
	FA_ASSERT_EQ(fa_runctx_parse(o, &c, &bad), -EINVAL);
	FA_ASSERT_STREQ(bad, "unit_max");
	json_object_put(o);
	FA_ASSERT_EQ(fa_runctx_parse(NULL, &c, &bad), 0);
	FA_ASSERT(!c.present);
}

/* --- the mount table and the host -------------------------------------- */

static void test_mount_by_path_longest_and_last(void)
{
	static struct fa_mount m;
	char mi[PATH_MAX];

	FA_ASSERT_EQ(fa_tree_put("mountinfo",
		"22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
		"40 22 7:0 / /mnt/x rw,relatime - xfs /dev/loop0 rw,attr2,noquota\n"
		"41 22 7:1 / /mnt/xy rw - xfs /dev/loop1 rw\n"
		"42 40 7:2 / /mnt/x rw,noatime - ext4 /dev/loop2 rw\n"), 0);
	snprintf(mi, sizeof(mi), "%s/mountinfo", fa_tree);
	FA_ASSERT_EQ(fa_mount_find_path(mi, "/mnt/x/dir/f", &m), 1);
	/* the later mount on /mnt/x hides the first */
	FA_ASSERT_STREQ(m.source, "/dev/loop2");
	FA_ASSERT_STREQ(m.type, "ext4");
	FA_ASSERT_EQ(fa_mount_find_path(mi, "/mnt/xyz", &m), 1);
	FA_ASSERT_STREQ(m.target, "/");
	FA_ASSERT_EQ(fa_mount_find_devno(mi, 7, 0, &m), 1);
	FA_ASSERT_STREQ(m.options, "rw,relatime,attr2,noquota");
	FA_ASSERT_EQ(fa_mount_find_path(mi, "relative", &m), -EINVAL);
}

static void test_collect_file_here(void)
{
	static struct fa_runctx c;
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/not-yet", fa_tree);
	FA_ASSERT_EQ(fa_runctx_collect(&c, path), 0);
	FA_ASSERT(c.present);
	FA_ASSERT_STREQ(c.target_kind, "file");
	FA_ASSERT(c.target_path[0] == '/');
	FA_ASSERT_CONTAINS(c.target_path, "/not-yet");
	FA_ASSERT(c.host[0] && c.kernel[0] && c.build[0]);
	if (access("/proc/self/mountinfo", R_OK))
		FA_SKIP("no /proc/self/mountinfo");
	FA_ASSERT(c.filesystem.known);
	FA_ASSERT(c.filesystem.type[0]);
	FA_ASSERT_EQ(fa_runctx_collect(&c, fa_tree), 0);
	FA_ASSERT_STREQ(c.target_kind, "dir");
	FA_ASSERT_EQ(fa_runctx_collect(&c, ""), -EINVAL);
}

static const struct fa_test_case cases[] = {
	FA_TEST(test_osr_debian),
	FA_TEST(test_osr_quotes_and_escapes),
	FA_TEST(test_osr_comments_blank_whitespace),
	FA_TEST(test_osr_last_assignment_wins),
	FA_TEST(test_osr_bad_lines_skipped),
	FA_TEST(test_osr_key_must_match_whole),
	FA_TEST(test_osr_no_newline_nul_and_cut),
	FA_TEST(test_distro_from_fake_root),
	FA_TEST(test_transport_virtual_disks),
	FA_TEST(test_transport_by_subsystem),
	FA_TEST(test_sysfs_identity_scsi_with_vpd80),
	FA_TEST(test_sysfs_identity_nvme),
	FA_TEST(test_sysfs_identity_loop_has_none),
	FA_TEST(test_scsi_inquiry_identity),
	FA_TEST(test_scsi_unit_serial_page),
	FA_TEST(test_nvme_id_ctrl_identity),
	FA_TEST(test_json_round_trip),
	FA_TEST(test_json_nulls_and_wrong_type),
	FA_TEST(test_mount_by_path_longest_and_last),
	FA_TEST(test_collect_file_here),
};

FA_TEST_MAIN(cases, setup, fa_tree_remove)
