// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: atomic-sg's checks when the job is set up (fa_sg.h): the
 * device's capacity and Block Limits page for the job's report, the guard
 * of the disk behind the node, and the job against the device's rules.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fa_sg.h"
#include "../lib/fa_util.h"

/* The target and its Block Limits, in bytes, for the job's report. */
static void sg_report_limits(struct thread_data *td, struct fio_file *f,
			     const struct fa_scsi_dev *dev)
{
	const struct fa_scsi_block_limits *bl = &dev->bl;
	uint64_t lbs = dev->cap.logical_block_length;
	char origin[320], blk[64];
	const char *p;

	p = strrchr(f->file_name, '/');
	if (fa_scsi_block_device(f->file_name, blk, sizeof(blk)))
		fa_strlcpy(blk, p ? p + 1 : f->file_name, sizeof(blk));
	else if (strrchr(blk, '/'))
		memmove(blk, strrchr(blk, '/') + 1, strlen(strrchr(blk, '/')));
	if (!fa_report_target(td, f->file_name,
			      f->filetype == FIO_TYPE_CHAR ? "sg" : "block",
			      blk))
		return;
	snprintf(origin, sizeof(origin), "READ CAPACITY(16) of %s",
		 f->file_name);
	fa_report_limit(td, "logical_block", lbs, origin);
	if (!dev->have_bl)
		return;
	snprintf(origin, sizeof(origin), "Block Limits VPD of %s",
		 f->file_name);
	fa_report_limit(td, "max_atomic_transfer_length",
			bl->max_atomic_transfer_length * lbs, origin);
	fa_report_limit(td, "atomic_alignment", bl->atomic_alignment * lbs,
			origin);
	fa_report_limit(td, "atomic_transfer_length_granularity",
			bl->atomic_transfer_length_granularity * lbs, origin);
	fa_report_limit(td, "max_atomic_transfer_length_with_boundary",
			bl->max_atomic_transfer_length_with_boundary * lbs,
			origin);
	fa_report_limit(td, "max_atomic_boundary_size",
			bl->max_atomic_boundary_size * lbs, origin);
}

/* Read the device's capacity and Block Limits page through a private fd. */
int sg_probe_file(struct thread_data *td, struct fio_file *f,
		  struct fa_scsi_dev *dev)
{
	struct sg_options *o = td->eo;
	char why[512];
	struct stat st;
	int fd, ret;

	if (stat(f->file_name, &st))
		return fa_refuse(td, &(struct fa_refusal_info){
					 .rule = "target", .err = errno },
				 ENGINE ": %s: %s", f->file_name,
				 strerror(errno));
	if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode))
		return fa_refuse(td, &(struct fa_refusal_info){
					 .rule = "target", .err = ENOTTY },
				 ENGINE ": %s is not a SCSI device: use its /dev/sgN or /dev/sdX",
				 f->file_name);
	if (o->mode == SG_MODE_ASYNC && !S_ISCHR(st.st_mode))
		return fa_refuse(td, &(struct fa_refusal_info){
					 .rule = "options", .err = EINVAL },
				 ENGINE ": sg_mode=async needs a SCSI generic node (/dev/sgN): %s is a block device, which takes only SG_IO (sg_mode=sync)",
				 f->file_name);
	fd = open(f->file_name, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return fa_refuse(td, &(struct fa_refusal_info){
					 .rule = "target", .err = errno },
				 ENGINE ": open %s: %s", f->file_name,
				 strerror(errno));
	ret = fa_scsi_probe(fd, dev, why, sizeof(why));
	close(fd);
	if (ret == -ENOTTY || ret == -EINVAL)
		return fa_refuse(td, &(struct fa_refusal_info){
					 .rule = "target", .err = -ret },
				 ENGINE ": %s is not a SCSI device (%s)",
				 f->file_name, why);
	if (ret)
		return fa_refuse(td, &(struct fa_refusal_info){
					 .rule = "limits", .err = -ret },
				 ENGINE ": %s: %s", f->file_name, why);
	sg_report_limits(td, f, dev);
	return 0;
}

/*
 * The guard of the RWF_ATOMIC engines, on the disk behind the node: a disk
 * in use (mounted, held, partitioned, with a filesystem or RAID signature)
 * is not written without allow_mounted_write=1.
 */
static int sg_guard(struct thread_data *td, struct fio_file *f)
{
	char blk[512];
	int ret;

	if (!td_write(td) || td->o.allow_mounted_write)
		return 0;
	ret = fa_scsi_block_device(f->file_name, blk, sizeof(blk));
	if (ret == -ENODEV)
		return fa_refuse(td, &(struct fa_refusal_info){
					 .rule = "in_use", .err = EBUSY },
				 ENGINE ": refusing to write: %s has no block device (no sd bound to it), so it cannot be checked for a filesystem or a mount (set allow_mounted_write=1 to write anyway)",
				 f->file_name);
	if (ret)
		return fa_refuse(td, &(struct fa_refusal_info){
					 .rule = "in_use", .err = -ret },
				 ENGINE ": cannot find the block device of %s: %s",
				 f->file_name, strerror(-ret));
	return fa_engine_guard_blk(td, ENGINE, f->file_name, blk);
}

int sg_check_job(struct thread_data *td, struct fio_file *f,
		 const struct fa_scsi_dev *dev)
{
	struct sg_options *o = td->eo;
	struct fa_scsi_verdict v;
	enum fa_scsi_rule rule;
	struct fa_job job;
	char msg[2048], source[320];

	if (fa_engine_job(td, NULL, &job, ENGINE))
		return 1;
	if (!job.nr_sizes)
		return 0;
	if (sg_guard(td, f))
		return 1;
	if (!sg_is_atomic(td))
		return 0;
	snprintf(source, sizeof(source), "Block Limits VPD of %s",
		 f->file_name);
	rule = fa_scsi_check_job(&dev->bl, dev->cap.logical_block_length, &job,
				 o->atomic_boundary, f->file_name, &v, msg,
				 sizeof(msg));
	if (rule == FA_SCSI_RULE_OK)
		return 0;
	if (!dev->have_bl)
		snprintf(msg, sizeof(msg),
			 "%s does not support WRITE ATOMIC(16): %s",
			 f->file_name, dev->no_bl_why);
	if (!sg_rule_sendable(rule))
		return fa_refuse(td, &(struct fa_refusal_info){
					 .rule = fa_scsi_rule_name(rule),
					 .value = v.value, .source = source,
					 .err = ECANCELED },
				 ENGINE ": %s (rule %s: no WRITE ATOMIC(16) can carry it)",
				 msg, fa_scsi_rule_name(rule));
	if (o->validate == FA_VALIDATE_OFF)
		return 0;
	return fa_refuse(td, &(struct fa_refusal_info){
				 .rule = fa_scsi_rule_name(rule),
				 .value = v.value, .source = source,
				 .err = ECANCELED },
			 ENGINE ": %s (rule %s; atomic_validate=off sends it anyway%s)",
			 msg, fa_scsi_rule_name(rule),
			 rule == FA_SCSI_RULE_UNSUPPORTED ?
			 ", write_atomic=0 sends plain WRITE(16)" : "");
}
