/* tests/unit-sha256.c - SHA-256 against FIPS 180-4's examples, whole and in pieces. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/model.h"
#include "../stats/stats.h"
#include "tap.h"

static int soft; /* the portable code, not the CPU's SHA instructions */

static void digest(const void *p, size_t n, size_t piece, char hex[65])
{
	struct rl_sha256 s;
	const char *q = p;
	size_t off;

	rl_sha256_init(&s);
	s.soft = soft;
	for (off = 0; off < n; off += piece)
		rl_sha256_add(&s, q + off, n - off < piece ? n - off : piece);
	rl_sha256_hex(&s, hex);
}

int main(void)
{
	static const struct {
		const char *msg, *hex;
	} v[] = {
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
		{"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqk"
		 "lm"
		 "nopqrlmnopqrsmnopqrstnopqrstu",
		 "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
	};
	static const size_t pieces[] = {1, 3, 63, 64, 65, 1000};
	char hex[65], hex2[65], *a;
	size_t i, k;
	uint32_t x = 12345;

again:
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		for (k = 0; k < sizeof(pieces) / sizeof(pieces[0]); k++) {
			digest(v[i].msg, strlen(v[i].msg), pieces[k], hex);
			is_str(hex, v[i].hex, "FIPS 180-4 example %zu (%zu bytes) in pieces of %zu",
			       i, strlen(v[i].msg), pieces[k]);
		}
	/* a million 'a': many blocks, the length past 32 bits of bit count */
	a = malloc(1000000);
	if (!a)
		return 1;
	memset(a, 'a', 1000000);
	digest(a, 1000000, 4096, hex);
	is_str(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
	       "a million 'a'");
	/* lengths around the padding boundary: 55, 56, 64 bytes differ from each other */
	digest(a, 55, 55, hex);
	is_str(hex, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318",
	       "55 bytes: padding and length in one block");
	digest(a, 56, 56, hex);
	is_str(hex, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a",
	       "56 bytes: the length needs a second block");
	/* both ways agree on bytes of every value, at every length up to 300 */
	for (i = 0; i < 1000000; i++)
		a[i] = (char)((x = x * 1103515245u + 12345u) >> 16);
	for (k = 0; k <= 300; k++) {
		int was = soft;

		digest(a, k, 7, hex);
		soft = !was;
		digest(a, k, 64, hex2);
		soft = was;
		if (strcmp(hex, hex2))
			break;
	}
	is_int((long long)k, 301, "portable and SHA-instruction digests agree (%s)",
	       soft ? "portable first" : "instructions first");
	free(a);
	if (!soft++)
		goto again;
	done_testing();
	return exit_status();
}
