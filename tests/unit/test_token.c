/*
 * Unit tests for inbox/token: a reply address names its message and
 * proves it is ours, for that agency; nothing else passes.
 */
#include "check.h"

#include "inbox/token.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const unsigned char key[TOKEN_KEY_LEN] = "0123456789abcdef0123456789abcde";
static const char *const id = "deadlined.20250620T020000.c361c928b0c2a3dc@quangngai.example";

static void test_a_token_names_its_message_and_checks_only_for_it(void **state)
{
	char t[TOKEN_LEN + 1], other[TOKEN_LEN + 1];
	unsigned char key2[TOKEN_KEY_LEN];

	(void)state;
	assert_int_equal(token_make(key, id, "sct", t), 0);
	check_int("length", strlen(t), TOKEN_LEN);
	check_int("ref first", strncmp(t, "c361c928b0c2a3dc", TOKEN_REF_LEN), 0);
	check_int("lowercase hex", strspn(t, "0123456789abcdef"), TOKEN_LEN);
	check_int("its own", token_check(key, t, id, "sct"), 1);
	check_int("another agency", token_check(key, t, id, "skhcn"), 0);
	check_int("another message",
	          token_check(key, t,
	                      "deadlined.20250620T020000.c361c928b0c2a3dd@quangngai.example",
	                      "sct"),
	          0);
	memcpy(key2, key, sizeof(key2));
	key2[0] ^= 1;
	check_int("another key", token_check(key2, t, id, "sct"), 0);
	for (size_t i = TOKEN_REF_LEN; i < TOKEN_LEN; i++) {
		strcpy(other, t);
		other[i] = other[i] == '0' ? '1' : '0';
		check_int("one digit changed", token_check(key, other, id, "sct"), 0);
	}
	check_int("cut short", token_check(key, "c361c928b0c2a3dc", id, "sct"), 0);
	check_int("an id without a ref", token_make(key, "x@y", "sct", t), -1);
}

static void test_finding_a_token_in_an_address(void **state)
{
	static const struct {
		const char *addr;
		int found;
	} cases[] = {
	    {"nhacviec+c361c928b0c2a3dc0123456789abcdef0123@quangngai.example", 0},
	    {"NhacViec+C361C928B0C2A3DC0123456789ABCDEF0123@QuangNgai.example", 0},
	    {"nhacviec+c361c928b0c2a3dc0123456789abcdef0123@alias.example", 0},
	    {"nhacviec@quangngai.example", -1},
	    {"khac+c361c928b0c2a3dc0123456789abcdef0123@quangngai.example", -1},
	    {"nhacviec+c361c928b0c2a3dc0123456789abcdef012@quangngai.example", -1},
	    {"nhacviec+c361c928b0c2a3dc0123456789abcdef012g@quangngai.example", -1},
	    {"nhacviec+c361c928b0c2a3dc0123456789abcdef0123", -1},
	    {"nhacviecx+c361c928b0c2a3dc0123456789abcdef0123@quangngai.example", -1},
	};
	char t[TOKEN_LEN + 1];

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		int got = token_find(cases[i].addr, "nhacviec@quangngai.example", t);
		check_int(cases[i].addr, got, cases[i].found);
		if (got == 0)
			check_str(cases[i].addr, t, "c361c928b0c2a3dc0123456789abcdef0123");
	}
	char *a = token_address("nhacviec@quangngai.example", "abc");
	check_str("address", a, "nhacviec+abc@quangngai.example");
	free(a);
}

static void test_the_key_file_is_the_services_secret(void **state)
{
	char dir[] = "/tmp/deadlined-token-XXXXXX", path[64], err[256];
	unsigned char k1[TOKEN_KEY_LEN], k2[TOKEN_KEY_LEN];
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/inbox.key", dir);
	check_int("missing", token_key_load(path, false, k1, err, sizeof(err)), -1);
	check_int("made", token_key_load(path, true, k1, err, sizeof(err)), 0);
	assert_int_equal(stat(path, &st), 0);
	check_int("mode", st.st_mode & 0777, 0600);
	check_int("read again", token_key_load(path, true, k2, err, sizeof(err)), 0);
	check_int("the same key", memcmp(k1, k2, sizeof(k1)), 0);
	chmod(path, 0640);
	check_int("group-readable", token_key_load(path, false, k2, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "chmod 600"));
	write_all(path, "short\n");
	chmod(path, 0600);
	check_int("too short", token_key_load(path, false, k2, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "16 or more"));
	rm_rf(dir);
}

static void test_hash(void **state)
{
	char h[65];

	(void)state;
	token_hash("abc", 3, h);
	check_str("sha-256", h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_a_token_names_its_message_and_checks_only_for_it),
	    cmocka_unit_test(test_finding_a_token_in_an_address),
	    cmocka_unit_test(test_the_key_file_is_the_services_secret),
	    cmocka_unit_test(test_hash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
