// SPDX-License-Identifier: GPL-2.0
/*
 * fio-atomic: helpers for a device's own view of its atomic limits.
 */
#include <errno.h>

#include "fa_device.h"
#include "fa_util.h"

int fa_device_add_field(struct fa_device_view *dv, const char *name,
			uint64_t value, const char *unit)
{
	struct fa_device_field *f;

	if (dv->nr_fields >= FA_DEV_MAX_FIELDS)
		return -E2BIG;
	f = &dv->fields[dv->nr_fields++];
	fa_strlcpy(f->name, name, sizeof(f->name));
	fa_strlcpy(f->unit, unit, sizeof(f->unit));
	f->value = value;
	return 0;
}

const struct fa_device_field *
fa_device_field_find(const struct fa_device_view *dv, const char *name)
{
	int i;

	for (i = 0; i < dv->nr_fields; i++)
		if (!strcmp(dv->fields[i].name, name))
			return &dv->fields[i];
	return NULL;
}
