/* Host tests for libsys's error vocabulary. */
#include <string.h>

#include "cairn/errors.h"
#include "harness.h"

HOST_TEST(libsys, error_names_match_table)
{
    CHECK(strcmp(cairn_error_name(ERR_OK), "OK") == 0);
    CHECK(strcmp(cairn_error_name(ERR_REVOKED), "REVOKED") == 0);
    CHECK(strcmp(cairn_error_name(ERR_REPLY_STALE), "REPLY_STALE") == 0);
    CHECK(strcmp(cairn_error_name((cairn_error_t)9999), "UNKNOWN_ERROR") == 0);
}

HOST_TEST(libsys, every_error_has_distinct_name_and_text)
{
    for (int a = 0; a < ERR_COUNT; a++) {
        CHECK_MSG(strcmp(cairn_error_name((cairn_error_t)a), "UNKNOWN_ERROR") != 0,
                  "code %d has no name (gap in errors.def?)", a);
        CHECK(strlen(cairn_error_text((cairn_error_t)a)) > 5);
        for (int b = a + 1; b < ERR_COUNT; b++)
            CHECK_MSG(strcmp(cairn_error_name((cairn_error_t)a),
                             cairn_error_name((cairn_error_t)b)) != 0,
                      "codes %d and %d share a name", a, b);
    }
}
