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
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "fa_context.h"
#include "fa_mount.h"
#include "fa_nvme.h"
#include "fa_scsi.h"
#include "fa_test.h"

static char dir[256];
static bool dir_made;
static char out[256];

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* only ever the directory setup() made, not following links */
static int rm_tree(const char *path)
{
	return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int setup(void)
{
	const char *tmp = getenv("TMPDIR");

	if ((size_t)snprintf(dir, sizeof(dir), "%s/fa-context.XXXXXX",
			     tmp ? tmp : "/tmp") >= sizeof(dir))
		return -ENAMETOOLONG;
	if (!mkdtemp(dir))
		return -errno;
	dir_made = true;
	strcpy(out, "untouched");
	return 0;
}

static void teardown(void)
{
	if (dir_made)
		rm_tree(dir);
	dir_made = false;
}

/* Write @len bytes to @rel under the test directory, making its parents. */
static int put(const char *rel, const void *data, size_t len)
{
	char path[PATH_MAX], *p;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -errno;
	n = write(fd, data, len);
	close(fd);
	return n == (ssize_t)len ? 0 : -EIO;
}

static int put_str(const char *rel, const char *text)
{
	return put(rel, text, strlen(text));
}

static int link_to(const char *rel, const char *target)
{
	char path[PATH_MAX], *p;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return symlink(target, path) ? -errno : 0;
}

static int osr(const char *text, const char *key)
{
	return fa_os_release_get(text, strlen(text), key, out, sizeof(out));
}

/* --- os-release -------------------------------------------------------- */

static void test_osr_debian(void)
{
	static const char f[] =
		"PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
		"NAME=\"Debian GNU/Linux\"\n"
		"VERSION_ID=\"12\"\n"
		"ID=debian\n";

	FA_ASSERT_EQ(osr(f, "PRETTY_NAME"), 1);
	FA_ASSERT_STREQ(out, "Debian GNU/Linux 12 (bookworm)");
	FA_ASSERT_EQ(osr(f, "ID"), 1);
	FA_ASSERT_STREQ(out, "debian");
	FA_ASSERT_EQ(osr(f, "VERSION_CODENAME"), 0);
	FA_ASSERT_STREQ(out, "");
}

static void test_osr_quotes_and_escapes(void)
{
	FA_ASSERT_EQ(osr("A=\"say \\\"hi\\\" \\$HOME \\\\ \\n\"\n", "A"), 1);
	FA_ASSERT_STREQ(out, "say \"hi\" $HOME \\ \\n");
	FA_ASSERT_EQ(osr("A='single \"kept\" \\$'\n", "A"), 1);
	FA_ASSERT_STREQ(out, "single \"kept\" \\$");
	FA_ASSERT_EQ(osr("A=one\\ word\n", "A"), 1);
	FA_ASSERT_STREQ(out, "one word");
	FA_ASSERT_EQ(osr("A=\"glued\"'parts'x\n", "A"), 1);
	FA_ASSERT_STREQ(out, "gluedpartsx");
	FA_ASSERT_EQ(osr("A=\"\"\n", "A"), 1);
	FA_ASSERT_STREQ(out, "");
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
	FA_ASSERT_EQ(osr("A=good\nA=\"open\nA=two words\nA\n", "A"), 1);
	FA_ASSERT_STREQ(out, "good");
	FA_ASSERT_EQ(osr("A='never closed\n", "A"), 0);
	FA_ASSERT_STREQ(out, "");
}

static void test_osr_key_must_match_whole(void)
{
	FA_ASSERT_EQ(osr("PRETTY_NAME_X=no\nXPRETTY_NAME=no\n", "PRETTY_NAME"),
		     0);
	FA_ASSERT_EQ(osr("1A=x\n", "1A"), 0);
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
	FA_ASSERT_EQ(put_str("usr/lib/os-release",
			     "NAME=\"Fallback OS\"\nPRETTY_NAME=\"Lib OS 1\"\n"),
		     0);
	fa_runctx_distro(dir, out, sizeof(out));
	FA_ASSERT_STREQ(out, "Lib OS 1");
	/* etc/os-release comes first; without PRETTY_NAME, NAME */
	FA_ASSERT_EQ(put_str("etc/os-release", "NAME=\"Etc OS\"\n"), 0);
	fa_runctx_distro(dir, out, sizeof(out));
	FA_ASSERT_STREQ(out, "Etc OS");
	FA_ASSERT_EQ(put_str("etc/os-release", "ID=x\n"), 0);
	fa_runctx_distro(dir, out, sizeof(out));
	FA_ASSERT_STREQ(out, "");
}

/* --- transport and sysfs identity -------------------------------------- */

static int fake_disk(const char *disk, const char *devpath,
		     const char *subsystem)
{
	char rel[PATH_MAX], target[PATH_MAX];
	int ret;

	snprintf(rel, sizeof(rel), "sys/%s/%s/dev", devpath, disk);
	ret = put_str(rel, "1:1\n");
	if (ret)
		return ret;
	snprintf(rel, sizeof(rel), "sys/block/%s", disk);
	snprintf(target, sizeof(target), "../%s/%s", devpath, disk);
	ret = link_to(rel, target);
	if (ret || !subsystem)
		return ret;
	snprintf(rel, sizeof(rel), "sys/%s/subsystem", devpath);
	snprintf(target, sizeof(target), "../../../bus/%s", subsystem);
	ret = link_to(rel, target);
	if (ret)
		return ret;
	/* block/<disk>/device is the parent device: devpath */
	snprintf(rel, sizeof(rel), "sys/%s/%s/device", devpath, disk);
	return link_to(rel, "..");
}

static void transport_of(const char *disk, char *t, size_t len)
{
	char sys[PATH_MAX];

	snprintf(sys, sizeof(sys), "%s/sys", dir);
	fa_runctx_transport(sys, disk, t, len);
}

static void test_transport_virtual_disks(void)
{
	char t[16];

	FA_ASSERT_EQ(fake_disk("loop0", "devices/virtual/block", NULL), 0);
	FA_ASSERT_EQ(fake_disk("dm-3", "devices/virtual/block", NULL), 0);
	FA_ASSERT_EQ(fake_disk("md127", "devices/virtual/block", NULL), 0);
	FA_ASSERT_EQ(fake_disk("weird0", "devices/virtual/block", NULL), 0);
	transport_of("loop0", t, sizeof(t));
	FA_ASSERT_STREQ(t, "loop");
	transport_of("dm-3", t, sizeof(t));
	FA_ASSERT_STREQ(t, "dm");
	transport_of("md127", t, sizeof(t));
	FA_ASSERT_STREQ(t, "md");
	transport_of("weird0", t, sizeof(t));
	FA_ASSERT_STREQ(t, "virtual");
	transport_of("missing", t, sizeof(t));
	FA_ASSERT_STREQ(t, "");
	transport_of("../etc", t, sizeof(t));
	FA_ASSERT_STREQ(t, "");
}

static void test_transport_by_subsystem(void)
{
	char t[16];

	FA_ASSERT_EQ(fake_disk("nvme0n1", "devices/pci0/nvme/nvme0", "nvme"),
		     0);
	FA_ASSERT_EQ(fake_disk("sda", "devices/pci0/host0/0:0:0:0", "scsi"),
		     0);
	FA_ASSERT_EQ(fake_disk("vda", "devices/pci0/virtio1", "virtio"), 0);
	FA_ASSERT_EQ(fake_disk("xyz", "devices/pci0/odd", "odd_bus"), 0);
	transport_of("nvme0n1", t, sizeof(t));
	FA_ASSERT_STREQ(t, "nvme");
	transport_of("sda", t, sizeof(t));
	FA_ASSERT_STREQ(t, "scsi");
	transport_of("vda", t, sizeof(t));
	FA_ASSERT_STREQ(t, "virtio");
	transport_of("xyz", t, sizeof(t));
	FA_ASSERT_STREQ(t, "odd_bus");
}

static void test_sysfs_identity_scsi_with_vpd80(void)
{
	static const unsigned char pg80[] = { 0x00, 0x80, 0x00, 0x0a,
		' ', ' ', 'S', 'N', '-', '0', '0', '4', '2', ' ' };
	struct fa_runctx_device d = { .name = "sda", .transport = "scsi" };
	char sys[PATH_MAX];

	FA_ASSERT_EQ(fake_disk("sda", "devices/pci0/host0/0:0:0:0", "scsi"),
		     0);
	FA_ASSERT_EQ(put_str("sys/devices/pci0/host0/0:0:0:0/vendor",
			     "Linux   \n"), 0);
	FA_ASSERT_EQ(put_str("sys/devices/pci0/host0/0:0:0:0/model",
			     "scsi_debug      \n"), 0);
	FA_ASSERT_EQ(put_str("sys/devices/pci0/host0/0:0:0:0/rev", "0191\n"),
		     0);
	FA_ASSERT_EQ(put("sys/devices/pci0/host0/0:0:0:0/vpd_pg80", pg80,
			 sizeof(pg80)), 0);
	snprintf(sys, sizeof(sys), "%s/sys", dir);
	fa_runctx_device_sysfs(sys, &d);
	FA_ASSERT_STREQ(d.vendor, "Linux");
	FA_ASSERT_STREQ(d.model, "scsi_debug");
	FA_ASSERT_STREQ(d.firmware, "0191");
	FA_ASSERT_STREQ(d.serial, "SN-0042");
	FA_ASSERT_STREQ(d.source, FA_RUNCTX_SRC_SYSFS);
}

static void test_sysfs_identity_nvme(void)
{
	struct fa_runctx_device d = { .name = "nvme0n1", .transport = "nvme" };
	char sys[PATH_MAX];

	FA_ASSERT_EQ(fake_disk("nvme0n1", "devices/pci0/nvme/nvme0", "nvme"),
		     0);
	FA_ASSERT_EQ(put_str("sys/devices/pci0/nvme/nvme0/model",
			     "QEMU NVMe Ctrl                          \n"), 0);
	FA_ASSERT_EQ(put_str("sys/devices/pci0/nvme/nvme0/serial",
			     "lab0001             \n"), 0);
	FA_ASSERT_EQ(put_str("sys/devices/pci0/nvme/nvme0/firmware_rev",
			     "10.0.2  \n"), 0);
	snprintf(sys, sizeof(sys), "%s/sys", dir);
	fa_runctx_device_sysfs(sys, &d);
	FA_ASSERT_STREQ(d.model, "QEMU NVMe Ctrl");
	FA_ASSERT_STREQ(d.serial, "lab0001");
	FA_ASSERT_STREQ(d.firmware, "10.0.2");
	FA_ASSERT_STREQ(d.vendor, "");
	FA_ASSERT_STREQ(d.source, FA_RUNCTX_SRC_SYSFS);
}

static void test_sysfs_identity_loop_has_none(void)
{
	struct fa_runctx_device d = { .name = "loop0", .transport = "loop" };
	char sys[PATH_MAX];

	FA_ASSERT_EQ(fake_disk("loop0", "devices/virtual/block", NULL), 0);
	snprintf(sys, sizeof(sys), "%s/sys", dir);
	fa_runctx_device_sysfs(sys, &d);
	FA_ASSERT_STREQ(d.model, "");
	FA_ASSERT_STREQ(d.serial, "");
	FA_ASSERT_STREQ(d.firmware, "");
	FA_ASSERT_STREQ(d.source, "");
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

	FA_ASSERT_EQ(put_str("mountinfo",
		"22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
		"40 22 7:0 / /mnt/x rw,relatime - xfs /dev/loop0 rw,attr2,noquota\n"
		"41 22 7:1 / /mnt/xy rw - xfs /dev/loop1 rw\n"
		"42 40 7:2 / /mnt/x rw,noatime - ext4 /dev/loop2 rw\n"), 0);
	snprintf(mi, sizeof(mi), "%s/mountinfo", dir);
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

	snprintf(path, sizeof(path), "%s/not-yet", dir);
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
	FA_ASSERT_EQ(fa_runctx_collect(&c, dir), 0);
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

FA_TEST_MAIN(cases, setup, teardown)
