// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: the CDBs of SCSI atomic writes: WRITE ATOMIC(16), and WRITE(16)
 * and READ(16) laid out alike.
 */
#include <errno.h>
#include <string.h>

#include "fa_scsi.h"
#include "fa_unaligned.h"

/* CDBs */

static uint8_t fa_scsi_rw_byte1(const struct fa_scsi_rw *rw)
{
	return (rw->dpo ? 0x10 : 0) | (rw->fua ? 0x08 : 0);
}

int fa_scsi_write_atomic16_cdb(uint8_t *cdb, const struct fa_scsi_rw *rw)
{
	if (!cdb || !rw || rw->blocks > FA_SCSI_ATOMIC16_MAX_BLOCKS ||
	    rw->atomic_boundary > FA_SCSI_ATOMIC16_MAX_BLOCKS ||
	    rw->group_number > FA_SCSI_GROUP_NUMBER_MAX)
		return -EINVAL;
	memset(cdb, 0, FA_SCSI_CDB16_LEN);
	cdb[0] = FA_SCSI_OP_WRITE_ATOMIC16;
	cdb[1] = fa_scsi_rw_byte1(rw);
	sg_put_unaligned_be64(rw->lba, cdb + 2);
	sg_put_unaligned_be16((uint16_t)rw->atomic_boundary, cdb + 10);
	sg_put_unaligned_be16((uint16_t)rw->blocks, cdb + 12);
	cdb[14] = rw->group_number;
	return 0;
}

static int fa_scsi_rw16_cdb(uint8_t *cdb, uint8_t opcode,
			    const struct fa_scsi_rw *rw)
{
	if (!cdb || !rw || rw->atomic_boundary ||
	    rw->group_number > FA_SCSI_GROUP_NUMBER_MAX)
		return -EINVAL;
	memset(cdb, 0, FA_SCSI_CDB16_LEN);
	cdb[0] = opcode;
	cdb[1] = fa_scsi_rw_byte1(rw);
	sg_put_unaligned_be64(rw->lba, cdb + 2);
	sg_put_unaligned_be32(rw->blocks, cdb + 10);
	cdb[14] = rw->group_number;
	return 0;
}

int fa_scsi_write16_cdb(uint8_t *cdb, const struct fa_scsi_rw *rw)
{
	return fa_scsi_rw16_cdb(cdb, FA_SCSI_OP_WRITE16, rw);
}

int fa_scsi_read16_cdb(uint8_t *cdb, const struct fa_scsi_rw *rw)
{
	return fa_scsi_rw16_cdb(cdb, FA_SCSI_OP_READ16, rw);
}
