// SPDX-License-Identifier: MIT
/*
 * mls-vectors TYPE FILE.json: run every entry of an official MLS test
 * vector file (github.com/mlswg/mls-implementations) of the given type.
 * Exit 0 if all entries passed and there was at least one, 1 if any
 * failed, 2 for usage, file or JSON errors.
 */
#include <stdio.h>
#include <string.h>

#include "vectors.h"

struct vec_type {
	const char *name;
	int (*run)(const json_t *tc, struct vec_report *rep);
};

#define VEC_ENTRY(name, fn) { name, vec_run_##fn },
static const struct vec_type vec_types[] = { VEC_TYPES(VEC_ENTRY) };
#undef VEC_ENTRY

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: mls-vectors TYPE FILE.json | --list\ntypes:");
	for (i = 0; i < sizeof(vec_types) / sizeof(vec_types[0]); i++)
		fprintf(f, " %s", vec_types[i].name);
	fprintf(f, "\n");
}

/* One supported type per line, for scripts (make check). */
static void list_types(void)
{
	size_t i;

	for (i = 0; i < sizeof(vec_types) / sizeof(vec_types[0]); i++)
		printf("%s\n", vec_types[i].name);
}

static const struct vec_type *find_type(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(vec_types) / sizeof(vec_types[0]); i++)
		if (strcmp(vec_types[i].name, name) == 0)
			return &vec_types[i];
	return NULL;
}

static int run_file(const struct vec_type *type, const json_t *cases)
{
	size_t i, passed = 0, failed = 0;
	struct vec_report rep;

	for (i = 0; i < json_array_size(cases); i++) {
		const json_t *tc = json_array_get(cases, i);

		memset(&rep, 0, sizeof(rep));
		if (!json_is_object(tc))
			vec_fail(&rep, "entry is not a JSON object");
		else if (type->run(tc, &rep) && !rep.failed)
			vec_fail(&rep, "failed without a reason");
		if (rep.failed) {
			printf("FAIL case %zu: %s\n", i, rep.msg);
			failed++;
		} else {
			passed++;
		}
	}
	printf("%zu passed, %zu failed\n", passed, failed);
	if (passed + failed == 0)
		fprintf(stderr, "mls-vectors: the file holds no test cases\n");
	return (failed == 0 && passed > 0) ? 0 : 1;
}

int main(int argc, char **argv)
{
	const struct vec_type *type;
	json_error_t jerr;
	json_t *root;
	int rc;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "--list")) {
		list_types();
		return 0;
	}
	if (argc != 3) {
		usage(stderr);
		return 2;
	}
	type = find_type(argv[1]);
	if (!type) {
		fprintf(stderr, "mls-vectors: unknown vector type '%s'\n", argv[1]);
		usage(stderr);
		return 2;
	}
	root = json_load_file(argv[2], JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		if (jerr.line > 0)
			fprintf(stderr, "mls-vectors: %s:%d:%d: %s\n", argv[2],
				jerr.line, jerr.column, jerr.text);
		else
			fprintf(stderr, "mls-vectors: %s\n", jerr.text);
		return 2;
	}
	if (!json_is_array(root)) {
		fprintf(stderr, "mls-vectors: %s: top level is not a JSON array\n",
			argv[2]);
		json_decref(root);
		return 2;
	}
	rc = run_file(type, root);
	json_decref(root);
	return rc;
}
