/*
 * test_json.c - the streaming JSON writer produces exact, valid text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/json.h"

static char *render(void (*fn)(jr_json *), bool pretty)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	jr_json j;

	assert_non_null(f);
	jr_json_init(&j, f, pretty);
	fn(&j);
	fclose(f);
	return buf;
}

static void doc_record(jr_json *j)
{
	jr_json_object_begin(j, NULL);
	jr_json_str(j, "type", "Insert");
	jr_json_u64(j, "gen", 0x5c);
	jr_json_i64(j, "err", -501);
	jr_json_array_begin(j, "list");
	jr_json_u64(j, NULL, 1);
	jr_json_bool(j, NULL, true);
	jr_json_null(j, NULL);
	jr_json_array_end(j);
	jr_json_object_begin(j, "empty");
	jr_json_object_end(j);
	jr_json_object_end(j);
	jr_json_newline(j);
}

static void test_compact(void **state)
{
	char *s = render(doc_record, false);

	(void)state;
	assert_string_equal(s, "{\"type\":\"Insert\",\"gen\":92,\"err\":-501,"
			       "\"list\":[1,true,null],\"empty\":{}}\n");
	free(s);
}

static void test_pretty(void **state)
{
	char *s = render(doc_record, true);

	(void)state;
	assert_string_equal(s, "{\n  \"type\": \"Insert\",\n  \"gen\": 92,\n"
			       "  \"err\": -501,\n  \"list\": [\n    1,\n"
			       "    true,\n    null\n  ],\n  \"empty\": {}\n}\n");
	free(s);
}

static void doc_escapes(jr_json *j)
{
	/* quote, backslash, control, valid UTF-8 (é), invalid byte 0xff */
	jr_json_strn(j, NULL, "a\"b\\c\x01\xc3\xa9\xff", 9);
}

static void test_escapes(void **state)
{
	char *s = render(doc_escapes, false);

	(void)state;
	assert_string_equal(s, "\"a\\\"b\\\\c\\u0001\xc3\xa9\\u00ff\"");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compact),
		cmocka_unit_test(test_pretty),
		cmocka_unit_test(test_escapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
