// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the power_fail probe's readers: xfs_info's geometry (data
 * bsize and meta-data sectsz, not the log's or the naming section's),
 * dumpe2fs -h's (block size, and the cluster size only with bigalloc),
 * tearscan --acks --json reports into counts and examples (a report
 * without acks refused), points and control added to the guarantee
 * result, and the verdict line.
 */
#include <errno.h>
#include <string.h>

#include "fa_powerfail.h"
#include "fa_test.h"

static const char xfs_info_4k[] =
	"meta-data=/dev/loop0             isize=512    agcount=4, agsize=524288 blks\n"
	"         =                       sectsz=512   attr=2, projid32bit=1\n"
	"         =                       crc=1        finobt=1, sparse=1, rmapbt=0\n"
	"         =                       reflink=1    bigtime=1 inobtcount=1 nrext64=0\n"
	"data     =                       bsize=4096   blocks=2097152, imaxpct=25\n"
	"         =                       sunit=0      swidth=0 blks\n"
	"naming   =version 2              bsize=4096   ascii-ci=0, ftype=1\n"
	"log      =internal log           bsize=4096   blocks=16384, version=2\n"
	"         =                       sectsz=4096  sunit=1 blks, lazy-count=1\n"
	"realtime =none                   extsz=4096   blocks=0, rtextents=0\n";

static void test_xfs_info(void)
{
	struct fa_pf_xfs_geometry g;
	char text[sizeof(xfs_info_4k)];
	char *p;

	FA_ASSERT_EQ(fa_pf_parse_xfs_info(xfs_info_4k, &g), 0);
	FA_ASSERT_EQ(g.block_size, 4096);
	/* the meta-data sector, not the log's 4096 */
	FA_ASSERT_EQ(g.sector_size, 512);

	memcpy(text, xfs_info_4k, sizeof(text));
	p = strstr(text, "data     =                       bsize=4096");
	memcpy(strstr(p, "4096"), "1024", 4);
	FA_ASSERT_EQ(fa_pf_parse_xfs_info(text, &g), 0);
	FA_ASSERT_EQ(g.block_size, 1024);

	memcpy(strstr(p, "1024"), "3000", 4);
	FA_ASSERT_EQ(fa_pf_parse_xfs_info(text, &g), -EINVAL);
	FA_ASSERT_EQ(fa_pf_parse_xfs_info("", &g), -EINVAL);
	FA_ASSERT_EQ(fa_pf_parse_xfs_info("xfs_info: /tmp is not a mounted XFS filesystem\n", &g),
		     -EINVAL);
}

/* dumpe2fs 1.47 -h, cut */
static const char dumpe2fs_bigalloc[] =
	"dumpe2fs 1.47.0 (5-Feb-2023)\n"
	"Filesystem volume name:   <none>\n"
	"Filesystem magic number:  0xEF53\n"
	"Filesystem features:      has_journal ext_attr resize_inode dir_index filetype extent 64bit flex_bg sparse_super large_file huge_file dir_nlink extra_isize bigalloc metadata_csum\n"
	"Inode count:              32768\n"
	"Block count:              131072\n"
	"Block size:               4096\n"
	"Cluster size:             16384\n"
	"Blocks per group:         131072\n"
	"Journal size:             16M\n";

static void test_dumpe2fs(void)
{
	struct fa_pf_ext4_geometry g;
	char text[sizeof(dumpe2fs_bigalloc)];
	char *p;

	FA_ASSERT_EQ(fa_pf_parse_dumpe2fs(dumpe2fs_bigalloc, &g), 0);
	FA_ASSERT_EQ(g.block_size, 4096);
	FA_ASSERT_EQ(g.cluster_size, 16384);

	/* without bigalloc a cluster is one block: 0, whatever is printed */
	memcpy(text, dumpe2fs_bigalloc, sizeof(text));
	p = strstr(text, " bigalloc ");
	memcpy(p, " xigalloc ", 10);
	FA_ASSERT_EQ(fa_pf_parse_dumpe2fs(text, &g), 0);
	FA_ASSERT_EQ(g.block_size, 4096);
	FA_ASSERT_EQ(g.cluster_size, 0);

	/* bigalloc with a cluster below the block, or none */
	memcpy(text, dumpe2fs_bigalloc, sizeof(text));
	memcpy(strstr(text, "16384"), "02048", 5);
	FA_ASSERT_EQ(fa_pf_parse_dumpe2fs(text, &g), -EINVAL);
	memcpy(strstr(text, "Cluster size"), "Clxster", 7);
	FA_ASSERT_EQ(fa_pf_parse_dumpe2fs(text, &g), -EINVAL);

	/* the block size must be there and a power of two */
	memcpy(text, dumpe2fs_bigalloc, sizeof(text));
	memcpy(strstr(text, "Block size:               4096"),
	       "Block size:               3000", 30);
	FA_ASSERT_EQ(fa_pf_parse_dumpe2fs(text, &g), -EINVAL);
	FA_ASSERT_EQ(fa_pf_parse_dumpe2fs("", &g), -EINVAL);
	FA_ASSERT_EQ(fa_pf_parse_dumpe2fs("dumpe2fs: Bad magic number in super-block while trying to open /dev/sda\n", &g),
		     -EINVAL);
}

static const char scan_torn[] =
	"{\"unit\": 1048576, \"units\": 64, \"unwritten\": 2, \"intact\": 57,"
	" \"torn\": 5, \"examples\": [{\"offset\": 3145728,"
	" \"reasons\": [\"partial\"]}],"
	" \"acks\": {\"acked\": 200, \"lost\": 3, \"lost_examples\":"
	" [{\"offset\": 1048576, \"generation\": 42, \"found\": 0,"
	" \"reason\": \"torn\"}]}}";

static void test_scan(void)
{
	struct fa_g_result r;
	struct fa_pf_counts c, sum = { 0 };

	fa_g_init(&r, FA_G_POWER_FAIL);
	FA_ASSERT_EQ(fa_pf_scan_parse(scan_torn, &c, &r, "control 1m"), 0);
	FA_ASSERT_UEQ(c.units, 62);
	FA_ASSERT_UEQ(c.torn, 5);
	FA_ASSERT_UEQ(c.acked, 200);
	FA_ASSERT_UEQ(c.lost, 3);
	FA_ASSERT_EQ(r.nr_examples, 2);
	FA_ASSERT_UEQ(r.examples[0].offset, 3145728);
	FA_ASSERT_UEQ(r.examples[0].size, 1048576);
	FA_ASSERT_CONTAINS(r.examples[0].what, "control 1m: torn unit ([\"partial\"])");
	FA_ASSERT_CONTAINS(r.examples[1].what, "generation 42, unit torn");
	fa_pf_counts_add(&sum, &c);
	fa_pf_counts_add(&sum, &c);
	FA_ASSERT_UEQ(sum.scans, 2);
	FA_ASSERT_UEQ(sum.lost, 6);

	/* no acks: the logs were not given, nothing was judged */
	FA_ASSERT_EQ(fa_pf_scan_parse("{\"intact\": 3, \"torn\": 0}", &c,
				      NULL, NULL), -EINVAL);
	FA_ASSERT_EQ(fa_pf_scan_parse("{\"intact\": 3, \"torn\": 0, \"acks\": {\"acked\": 1, \"lost\": 2}}",
				      &c, NULL, NULL), -EINVAL);
	FA_ASSERT_EQ(fa_pf_scan_parse("{\"intact\": -1, \"torn\": 0, \"acks\": {\"acked\": 1, \"lost\": 0}}",
				      &c, NULL, NULL), -EINVAL);
	FA_ASSERT_EQ(fa_pf_scan_parse("not json", &c, NULL, NULL), -EINVAL);
	FA_ASSERT_EQ(fa_pf_scan_parse("[1]", &c, NULL, NULL), -EINVAL);
}

static void test_result(void)
{
	struct fa_pf_counts a = { .scans = 1, .units = 100, .acked = 400 };
	struct fa_pf_counts ctl = { .scans = 1, .units = 60, .torn = 4,
				    .acked = 90, .lost = 2 };
	struct fa_g_result r;
	char line[512];

	fa_g_init(&r, FA_G_POWER_FAIL);
	FA_ASSERT_EQ(fa_pf_add_point(&r, "atomic-uring", 65536, &a), 0);
	FA_ASSERT_EQ(fa_pf_add_point(&r, "atomic-uring", 65536, &a), 0);
	FA_ASSERT_EQ(r.nr_points, 1);
	FA_ASSERT_UEQ(r.points[0].trials, 200);
	FA_ASSERT_UEQ(r.points[0].failures, 0);
	FA_ASSERT_EQ(r.points[0].nr_outcomes, 3);
	FA_ASSERT_STREQ(r.points[0].outcome_name[2], "acked");
	FA_ASSERT_UEQ(r.points[0].outcome[2], 800);

	/* a control that saw nothing proves nothing */
	fa_pf_add_control(&r, &(struct fa_pf_counts){ .units = 60 });
	fa_g_judge(&r);
	FA_ASSERT_EQ(r.status, FA_G_NOT_TESTED);
	fa_pf_add_control(&r, &ctl);
	fa_g_judge(&r);
	FA_ASSERT_EQ(r.status, FA_G_PROVIDED);
	FA_ASSERT_UEQ(r.control_trials, 120);
	FA_ASSERT_UEQ(r.control_failures, 4);
	a.acked = 800;
	a.units = 200;
	fa_pf_verdict(&r, &a, &ctl, 2, line, sizeof(line));
	FA_ASSERT_STREQ(line, "power_fail: PROVIDED: 0 torn of 200 units, 0 of 800 durable writes lost in 2 crashes; control: 4 torn of 60 units");

	/* one lost write is a failure */
	a.lost = 1;
	FA_ASSERT_EQ(fa_pf_add_point(&r, "atomic-pvsync2", 1048576, &a), 0);
	fa_g_judge(&r);
	FA_ASSERT_EQ(r.status, FA_G_NOT_PROVIDED);
	fa_pf_verdict(&r, &a, &ctl, 1, line, sizeof(line));
	FA_ASSERT_CONTAINS(line, "NOT PROVIDED: 0 torn of 200 units, 1 of 800 durable writes lost in 1 crash;");
}

static const struct fa_test_case cases[] = {
	FA_TEST(test_xfs_info),
	FA_TEST(test_dumpe2fs),
	FA_TEST(test_scan),
	FA_TEST(test_result),
};

FA_TEST_MAIN(cases, NULL, NULL)
