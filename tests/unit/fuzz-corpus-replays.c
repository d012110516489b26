/* fuzz-corpus-replays: every input kept in tests/fuzz/corpus/NAME/ goes
 * through the checks of the libFuzzer target tests/fuzz/NAME.c again,
 * built with the ordinary compiler, so that "make test" keeps what the
 * fuzzers found without needing clang. A violated check aborts; the
 * abort handler names the input. The corpus is found under $CAIRN_TOP
 * (set by "make test"), else the current directory. */
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/djbunix.h>
#include <skalibs/stralloc.h>
#include "tap.h"

#define FUZZ_ENTRY fuzz_smtpdata
#include "../fuzz/smtpdata.c"
#undef FUZZ_ENTRY
#define FUZZ_ENTRY fuzz_smtpaddr
#include "../fuzz/smtpaddr.c"
#undef FUZZ_ENTRY
#define FUZZ_ENTRY fuzz_smtpcmd
#include "../fuzz/smtpcmd.c"
#undef FUZZ_ENTRY
#define FUZZ_ENTRY fuzz_tlspem
#include "../fuzz/tlspem.c"
#undef FUZZ_ENTRY
#define FUZZ_ENTRY fuzz_smtpreply
#include "../fuzz/smtpreply.c"
#undef FUZZ_ENTRY
#define FUZZ_ENTRY fuzz_qqproto
#include "../fuzz/qqproto.c"
#undef FUZZ_ENTRY

static char current[4096] ;

static void aborted(int sig)
{
  (void)sig ;
  printf("not ok - a check failed on %s\n", current) ;
  fflush(stdout) ;
  _exit(1) ;
}

static void replay(char const *name, int (*entry)(uint8_t const *, size_t))
{
  char const *top = getenv("CAIRN_TOP") ;
  char dir[3000] ;
  stralloc data = STRALLOC_ZERO ;
  unsigned int n = 0 ;
  DIR *d ;
  struct dirent *e ;
  snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", top ? top : ".", name) ;
  d = opendir(dir) ;
  if (!d) { printf("Bail out! cannot open %s\n", dir) ; exit(1) ; }
  while ((e = readdir(d)))
  {
    if (e->d_name[0] == '.') continue ;
    snprintf(current, sizeof current, "%s/%s", dir, e->d_name) ;
    data.len = 0 ;
    if (!openslurpclose(&data, current)) { printf("Bail out! cannot read %s\n", current) ; exit(1) ; }
    entry((uint8_t const *)data.s, data.len) ;
    n++ ;
  }
  closedir(d) ;
  stralloc_free(&data) ;
  {
    char msg[200] ;
    snprintf(msg, sizeof msg, "%u inputs of the %s corpus pass the fuzzer's checks", n, name) ;
    ok(n > 0, msg) ;
  }
}

int main(void)
{
  signal(SIGABRT, &aborted) ;
  replay("smtpdata", &fuzz_smtpdata) ;
  replay("smtpaddr", &fuzz_smtpaddr) ;
  replay("smtpcmd", &fuzz_smtpcmd) ;
  replay("tlspem", &fuzz_tlspem) ;
  replay("smtpreply", &fuzz_smtpreply) ;
  replay("qqproto", &fuzz_qqproto) ;
  return tap_done() ;
}
