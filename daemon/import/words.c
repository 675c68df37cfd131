/* words — see import/words.h. */
#include "import/words.h"

#include "text.h"
#include "util.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

const char *words_fold(const char *s, char *buf, size_t cap)
{
	text_fold(s, strlen(s), buf, NULL, cap);
	return util_trim(buf);
}

static bool boundary(char c)
{
	return !isalnum((unsigned char)c);
}

bool words_starts(const char *f, const char *prefix)
{
	size_t n = strlen(prefix);

	return !strncmp(f, prefix, n) && boundary(f[n]);
}

bool words_has(const char *f, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = strstr(f, word); p; p = strstr(p + 1, word))
		if ((p == f || boundary(p[-1])) && boundary(p[n]))
			return true;
	return false;
}

size_t words_count(const char *f)
{
	size_t n = 0;
	bool in = false;

	for (; *f; f++) {
		bool w = isalnum((unsigned char)*f) || *f == '~';
		n += w && !in;
		in = w;
	}
	return n;
}

bool words_roman(const char *s, size_t n)
{
	if (n == 0 || n > 6)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr("IVXL", s[i]))
			return false;
	return true;
}

bool words_index(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 12)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr(".)", s[i]))
			return false;
	if (isdigit((unsigned char)s[0]))
		return strspn(s, "0123456789") <= 5;
	if (words_roman(s, strcspn(s, ".)")))
		return true;
	return isalpha((unsigned char)s[0]) && (n == 1 || strchr(".)", s[1]));
}

bool words_section_index(const char *s)
{
	size_t n = strlen(s);

	while (n && s[n - 1] == '.')
		n--;
	if (n == 1 && isupper((unsigned char)s[0]))
		return true;
	size_t roman = strcspn(s, ".");
	if (roman > n)
		roman = n;
	if (words_roman(s, roman))
		return strspn(s + roman, ".0123456789") >= n - roman;
	return n && strspn(s, "0123456789") == n;
}

int words_section_level(const char *s)
{
	size_t n = strlen(s), dots = 0;

	while (n && s[n - 1] == '.')
		n--;
	for (size_t i = 0; i < n; i++)
		dots += s[i] == '.';
	if (n == 1 && isupper((unsigned char)s[0]) && !words_roman(s, 1))
		return 0;
	if (words_roman(s, strcspn(s, ".")))
		return 1 + (int)dots;
	return 4 + (int)dots;
}

char *words_index_key(const char *index)
{
	char *k = xstrdup(index);
	size_t n = strlen(k);

	/* A CR/LF or a space inside the cell never reaches the key. */
	size_t out = 0;
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)k[i]))
			k[out++] = k[i];
	k[out] = '\0';
	while (out && strchr(".)", k[out - 1]))
		k[--out] = '\0';
	return k;
}

/* Head words in Vietnamese: compared as name keys (diacritics kept), so that
 * "Sở" is a head and "số" is not. Longest first where one starts another. */
static const char *const org_heads[] = {"Ủy ban nhân dân",
                                        "Ủy ban Mặt trận",
                                        "Ủy ban",
                                        "UBND",
                                        "Hội đồng nhân dân",
                                        "HĐND",
                                        "Hội đồng",
                                        "Tổng cục",
                                        "Tổng công ty",
                                        "Tổng Liên đoàn",
                                        "Cục",
                                        "Chi cục",
                                        "Bộ Chỉ huy",
                                        "Bộ",
                                        "Sở",
                                        "Ban Chỉ đạo",
                                        "Ban Quản lý",
                                        "Ban",
                                        "Vụ",
                                        "Văn phòng",
                                        "Thanh tra",
                                        "Công an",
                                        "Ngân hàng",
                                        "Kho bạc",
                                        "Đài",
                                        "Báo",
                                        "Viện kiểm sát",
                                        "Viện",
                                        "Học viện",
                                        "Trường",
                                        "Đại học",
                                        "Bệnh viện",
                                        "Trung tâm",
                                        "Hội",
                                        "Hiệp hội",
                                        "Liên đoàn",
                                        "Liên minh",
                                        "Tỉnh đoàn",
                                        "Thành đoàn",
                                        "Đoàn",
                                        "Tập đoàn",
                                        "Công ty",
                                        "Doanh nghiệp",
                                        "Kiểm toán",
                                        "Tòa án",
                                        "Thông tấn xã",
                                        "Bảo hiểm xã hội",
                                        "Mặt trận",
                                        "Phòng",
                                        "Các",
                                        "Tỉnh ủy",
                                        "Thành ủy",
                                        "Huyện ủy",
                                        "Đảng ủy",
                                        "Quỹ",
                                        "Cơ quan",
                                        "Đơn vị",
                                        "Tổ",
                                        "Chính phủ",
                                        "Thủ tướng",
                                        "Quốc hội",
                                        "Địa phương",
                                        "Những",
                                        "TAND",
                                        "VKSND",
                                        "TTXVN",
                                        "VTV",
                                        "VOV",
                                        "BQL",
                                        "BCĐ",
                                        "VP"};

/* Heads after which the words of a name never start another one with "và". */
static const char *const strong_heads[] = {
    "Ủy ban nhân dân", "Ủy ban",   "UBND",      "HĐND",      "Bộ",        "Sở",   "Cục",
    "Tổng cục",        "Chi cục",  "Vụ",        "Văn phòng", "Trung tâm", "Ban",  "Công an",
    "Tỉnh ủy",         "Thành ủy", "Thanh tra", "Kho bạc",   "Các",       "Những"};
static char *strong_keys[UTIL_NELEM(strong_heads)];

/* Bodies named by their mission (see words_mission_head). */
static const char *const mission_heads[] = {"Ban Chỉ đạo", "Hội đồng",     "Tổ công tác",
                                            "Ban Quản lý", "Tổ giúp việc", "Tiểu ban",
                                            "Ban Tổ chức", "Ban Điều hành"};
static char *mission_keys[UTIL_NELEM(mission_heads)];

/* The titles of an agency's head (see words_office_title). */
static const char *const office_titles[] = {
    "Giám đốc",   "Phó Giám đốc", "Tổng Giám đốc", "Chủ tịch",       "Phó Chủ tịch",  "Chánh",
    "Thủ trưởng", "Trưởng",       "Trưởng ban",    "Người đứng đầu", "Lãnh đạo",      "Hiệu trưởng",
    "Bộ trưởng",  "Cục trưởng",   "Vụ trưởng",     "Viện trưởng",    "Chi cục trưởng"};
static char *office_keys[UTIL_NELEM(office_titles)];

static char *head_keys[UTIL_NELEM(org_heads)];
static pthread_once_t heads_once = PTHREAD_ONCE_INIT;

static void make_head_keys(void)
{
	for (size_t i = 0; i < UTIL_NELEM(mission_heads); i++)
		mission_keys[i] = text_name_key(mission_heads[i]);
	for (size_t i = 0; i < UTIL_NELEM(org_heads); i++)
		head_keys[i] = text_name_key(org_heads[i]);
	for (size_t i = 0; i < UTIL_NELEM(strong_heads); i++)
		strong_keys[i] = text_name_key(strong_heads[i]);
	for (size_t i = 0; i < UTIL_NELEM(office_titles); i++)
		office_keys[i] = text_name_key(office_titles[i]);
}

static size_t head_len(const char *key, char *const *keys, size_t n_keys)
{
	size_t best = 0;

	for (size_t i = 0; i < n_keys; i++) {
		size_t n = strlen(keys[i]);
		if (n > best && !strncmp(key, keys[i], n) && (key[n] == ' ' || !key[n]))
			best = n;
	}
	return best;
}

size_t words_org_head_strong(const char *key)
{
	pthread_once(&heads_once, make_head_keys);
	return head_len(key, strong_keys, UTIL_NELEM(strong_heads));
}

size_t words_org_head(const char *key)
{
	pthread_once(&heads_once, make_head_keys);
	return head_len(key, head_keys, UTIL_NELEM(org_heads));
}

/* One-word heads that are also common words: "sở hữu", "Báo cáo", "Ban hành",
 * "Trường hợp", "Hội nghị", "vụ việc", "tổ chức", "phòng, chống". */
static const char *const weak_words[] = {"so",   "bo",     "ban", "cuc",  "vu",  "dai", "bao",
                                         "vien", "truong", "hoi", "doan", "quy", "to",  "phong"};

bool words_org_head_weak(const char *key)
{
	size_t n = words_org_head(key);
	char f[16];

	if (!n || n >= sizeof(f) || memchr(key, ' ', n))
		return false;
	text_fold(key, n, f, NULL, sizeof(f));
	for (size_t i = 0; i < UTIL_NELEM(weak_words); i++)
		if (!strcmp(f, weak_words[i]))
			return true;
	return false;
}

bool words_org_name(const char *text)
{
	char *key = text_name_key(text);
	size_t n = words_org_head(key);
	bool weak = words_org_head_weak(key);

	free(key);
	if (!n || !weak)
		return n > 0;
	/* The word after a weak head: a capital, or "các" ("Sở Y tế", "Ban Quản lý"). */
	const char *s = text;
	while (*s && *s != ' ')
		s++;
	while (*s == ' ')
		s++;
	char f[8];
	text_fold(s, strnlen(s, 6), f, NULL, sizeof(f));
	if (!strncmp(f, "cac ", 4))
		return true;
	utf8proc_int32_t cp;
	return *s && utf8proc_iterate((const utf8proc_uint8_t *)s, -1, &cp) > 0 &&
	       utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
}

size_t words_office_title(const char *key)
{
	size_t best = 0;

	pthread_once(&heads_once, make_head_keys);
	for (size_t i = 0; i < UTIL_NELEM(office_titles); i++) {
		size_t n = strlen(office_keys[i]);
		if (n + 1 > best && !strncmp(key, office_keys[i], n) && key[n] == ' ' &&
		    head_len(key + n + 1, head_keys, UTIL_NELEM(org_heads)))
			best = n + 1;
	}
	return best;
}

bool words_mission_head(const char *key)
{
	pthread_once(&heads_once, make_head_keys);
	for (size_t i = 0; i < UTIL_NELEM(mission_heads); i++)
		if (!strcmp(mission_keys[i], key))
			return true;
	return false;
}

bool words_ends_name(const char *f)
{
	static const char *const words[] = {
	    "voi",       "theo",       "nham",        "ve viec",        "tien hanh",
	    "chu tri",   "phoi hop",   "thuc hien",   "ra soat",        "trien khai",
	    "tham muu",  "huong dan",  "theo doi",    "don doc",        "tap trung",
	    "chi dao",   "gui",        "dinh ky",     "co trach nhiem", "chiu trach nhiem",
	    "kien toan", "tang cuong", "khan truong", "chu dong",       "xay dung ke hoach",
	    "dieu phoi", "bo tri",     "quan tam",    "tiep tuc",       "can cu"};

	for (size_t i = 0; i < UTIL_NELEM(words); i++)
		if (words_starts(f, words[i]))
			return true;
	return false;
}

bool words_timeframe_like(const char *s)
{
	static const char *const starts[] = {
	    "quy",  "thang",    "nam",      "giai doan",  "thuong xuyen",
	    "hang", "hang nam", "dinh ky",  "truoc",      "tu",
	    "den",  "trong",    "moi",      "hoan thanh", "nhiem vu thuong xuyen",
	    "theo", "ngay",     "dau",      "cuoi",       "sau khi",
	    "khi",  "lien tuc", "kip thoi", "ban hanh",   "trinh"};
	char buf[256];
	const char *f;

	if (strlen(s) > 160)
		return false;
	f = words_fold(s, buf, sizeof(buf));
	if (!*f)
		return false;
	for (size_t i = 0; i < UTIL_NELEM(starts); i++)
		if (words_starts(f, starts[i]))
			return true;
	/* A year, "2025-2030", "6/2025", "31/12/2025". */
	for (const char *p = f; *p; p++)
		if ((p == f || !isdigit((unsigned char)p[-1])) &&
		    (!strncmp(p, "20", 2) || !strncmp(p, "19", 2)) && strspn(p, "0123456789") == 4)
			return words_count(f) <= 8;
	return false;
}

bool words_figure_start(const char *s)
{
	char buf[128];
	const char *f = words_fold(s, buf, sizeof(buf));
	size_t d = strspn(f, "0123456789");

	if (!d)
		return false;
	const char *rest = f + d;
	/* "12 tháng 3", "2026 - 2030", "2026-2030", "15/12/2025", "300.000 hộ", "50%". */
	if (words_starts(rest + strspn(rest, " "), "thang") || rest[0] == '/' || rest[0] == '%' ||
	    rest[0] == ',')
		return true;
	if (rest[0] == '.' && strspn(rest + 1, "0123456789") == 3)
		return true;
	if (d == 4 && strspn(rest, " -") && isdigit((unsigned char)rest[strspn(rest, " -")]))
		return true;
	return d >= 4;
}
