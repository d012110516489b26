/* getpw: prints the user that lspawn would deliver a local part to
 * (qmail-getpw's output), for administrators and tests. The lookup is the
 * whole of lookup.h's: users/cdb, the password database, the alias user. */
#include <string.h>
#include <unistd.h>
#include <skalibs/buffer.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "auto.h"
#include "lookup.h"

static void put(char const *s, size_t len)
{
  if (buffer_put(buffer_1, s, len) < 0 || buffer_put(buffer_1, "", 1) < 0)
    strerr_diefusys(111, "write to stdout") ;
}

int main(int argc, char const *const *argv)
{
  struct lookup r = LOOKUP_ZERO ;
  char num[UINT32_FMT] ;

  PROG = "getpw" ;
  if (argc != 2) strerr_dief(100, "usage: getpw local") ;
  if (chdir(auto_home) < 0) strerr_diefusys(111, "chdir to ", auto_home) ;
  switch (lookup_local(argv[1], strlen(argv[1]), &r))
  {
    case 0: strerr_dief(100, lookup_error.s) ;
    case -1: strerr_dief(111, lookup_error.s) ;
  }
  put(r.user, strlen(r.user)) ;
  put(num, uint32_fmt(num, (uint32_t)r.uid)) ;
  put(num, uint32_fmt(num, (uint32_t)r.gid)) ;
  put(r.home, strlen(r.home)) ;
  put(r.dash, strlen(r.dash)) ;
  put(r.ext, strlen(r.ext)) ;
  if (!buffer_flush(buffer_1)) strerr_diefusys(111, "write to stdout") ;
  lookup_free(&r) ;
  return 0 ;
}
