/* Runs a fuzz target without libFuzzer: LLVMFuzzerInitialize once, then
 * LLVMFuzzerTestOneInput on every file named on the command line and on
 * every file in every folder named (sorted, hidden files skipped). ctest
 * uses it to replay the seed corpora and the regression inputs with any
 * compiler, under the sanitizers too (tests/fuzz/CMakeLists.txt).
 * Missing paths are skipped with a note; no input at all is an error.
 * At the end sg_fuzz_cleanup() frees the target's state (fuzz_common.h).
 * SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void sg_fuzz_cleanup(void);

/* Run the target on one file. \return 1 if it was run, 0 if unreadable. */
static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        return 0;
    }
    size_t cap = 4096, n = 0, got;
    uint8_t *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            uint8_t *b = realloc(buf, cap * 2);
            if (!b) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = b;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf) {
        fprintf(stderr, "replay: out of memory reading %s\n", path);
        exit(1);
    }
    fprintf(stderr, "replay: %s (%zu bytes)\n", path, n);
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    return 1;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

int main(int argc, char **argv)
{
    struct stat sb;
    long runs = 0;
    LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++) {
        if (stat(argv[i], &sb) != 0) {
            fprintf(stderr, "replay: %s does not exist; skipped\n", argv[i]);
            continue;
        }
        if (!S_ISDIR(sb.st_mode)) {
            runs += run_file(argv[i]);
            continue;
        }
        struct dirent **list = NULL;
        int n = scandir(argv[i], &list, NULL, by_name);
        for (int k = 0; k < n; k++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[i], list[k]->d_name);
            if (list[k]->d_name[0] != '.' && stat(path, &sb) == 0 &&
                S_ISREG(sb.st_mode))
                runs += run_file(path);
            free(list[k]);
        }
        free(list);
    }
    sg_fuzz_cleanup();
    printf("replayed %ld inputs\n", runs);
    return runs > 0 ? 0 : 1;
}
