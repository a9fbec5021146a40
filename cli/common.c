/*
 * What every subcommand needs: opening the dump (or the sample), one-line errors with
 * the documented exit status, and the output of findings as text or JSON.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli.h"

extern const unsigned char tce_sample_start[], tce_sample_end[];

/* The embedded sample, opened from an anonymous memory file. */
static int open_sample(struct tce_dump **d)
{
	size_t len = tce_sample_end - tce_sample_start, off = 0;
	int fd, ret;

	fd = memfd_create("tce-inspect-sample", MFD_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "tce-inspect: cannot hold the sample: %s\n", strerror(errno));
		return -1;
	}
	while (off < len) {
		ssize_t n = write(fd, tce_sample_start + off, len - off);

		if (n <= 0) {
			fprintf(stderr, "tce-inspect: cannot hold the sample: %s\n",
				strerror(errno));
			close(fd);
			return -1;
		}
		off += n;
	}
	ret = tce_dump_open_fd(fd, TCE_SAMPLE_NAME, d);
	close(fd);
	return ret;
}

struct tce_dump *cli_open(struct cli *c, const char **path)
{
	struct tce_dump *d = NULL;
	int ret;

	*path = c->nargs > 1 ? c->args[1] : "@sample";
	if (!strcmp(*path, "@sample")) {
		*path = TCE_SAMPLE_NAME;
		ret = open_sample(&d);
	} else {
		ret = tce_dump_open(*path, &d);
	}
	if (ret) {
		if (d)
			fprintf(stderr, "tce-inspect: %s\n", tce_errmsg(d));
		tce_dump_close(d);
		return NULL;
	}
	return d;
}

json_object *cli_hex(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	return json_object_new_string(buf);
}

void cli_json_print(json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

json_object *cli_findings_json(const struct tce_finding *f, size_t n)
{
	json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "id", json_object_new_string(f[i].id));
		json_object_object_add(o, "severity",
				       json_object_new_string(tce_severity_name(f[i].severity)));
		json_object_object_add(o, "key", json_object_new_string(f[i].key));
		json_object_object_add(o, "message", json_object_new_string(f[i].message));
		if (f[i].pfn_first != TCE_NO_PFN) {
			json_object_object_add(o, "pfn_first",
					       json_object_new_uint64(f[i].pfn_first));
			json_object_object_add(o, "pfn_last",
					       json_object_new_uint64(f[i].pfn_last));
		}
		json_object_array_add(a, o);
	}
	return a;
}

void cli_findings_text(const struct tce_finding *f, size_t n)
{
	size_t i;

	if (!n) {
		printf("findings: none\n");
		return;
	}
	printf("findings: %zu\n", n);
	for (i = 0; i < n; i++)
		printf("  %-7s %s [%s]: %s\n", tce_severity_name(f[i].severity), f[i].id,
		       f[i].key, f[i].message);
}

int cli_findings_status(const struct cli *c, const struct tce_finding *f, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (f[i].severity >= c->fail_on)
			return EXIT_FINDINGS;
	return EXIT_OK;
}
