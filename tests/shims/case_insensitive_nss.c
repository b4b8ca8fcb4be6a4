/* An LD_PRELOAD stand-in for a case-insensitive directory (SSSD/AD): getpwnam_r("Alice")
 * answers with the account "alice", as such a directory does. Every other name goes to the
 * real getpwnam_r unchanged. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pwd.h>
#include <stddef.h>
#include <string.h>
#include <errno.h>

typedef int (*getpwnam_r_fn)(const char *, struct passwd *, char *, size_t, struct passwd **);

int getpwnam_r(const char *name, struct passwd *pwd, char *buf, size_t len, struct passwd **result) {
    getpwnam_r_fn real = (getpwnam_r_fn)dlsym(RTLD_NEXT, "getpwnam_r");
    if (real == NULL) {
        *result = NULL;
        return ENOENT;
    }
    if (name != NULL && (strcmp(name, "Alice") == 0 || strcmp(name, "ALICE") == 0)) {
        name = "alice";
    }
    return real(name, pwd, buf, len, result);
}
