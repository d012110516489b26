/* newu: compiles conf-home/users/assign into users/cdb (qmail-newu).
 *
 *  step                                  a crash or an error after it leaves
 *  1 read all of users/assign            nothing changed
 *  2 write users/cdb.tmp as it is parsed users/cdb.tmp, which the next run
 *                                        truncates; users/cdb as it was
 *  3 fsync users/cdb.tmp                 the same
 *  4 rename it to users/cdb, fsync users the new users/cdb, whole
 *
 * So lspawn sees the old table or the new one, never a mix, and a
 * malformed users/assign changes nothing. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <skalibs/cdbmake.h>
#include <skalibs/djbunix.h>
#include <skalibs/gccattributes.h>
#include <skalibs/stralloc.h>
#include <skalibs/strerr.h>
#include <skalibs/types.h>
#include "assign.h"
#include "auto.h"

static void die_tmp(void) gccattr_noreturn ;
static void die_tmp(void)
{
  int e = errno ;
  unlink("users/cdb.tmp") ;
  errno = e ;
  strerr_diefusys(111, "write users/cdb.tmp") ;
}

int main(void)
{
  stralloc text = STRALLOC_ZERO ;
  cdbmaker c = CDBMAKER_ZERO ;
  size_t lineno ;
  char const *why ;
  int fd ;

  PROG = "newu" ;
  umask(033) ;
  if (chdir(auto_home) < 0) strerr_diefusys(111, "chdir to ", auto_home) ;
  if (!openslurpclose(&text, "users/assign")) strerr_diefusys(111, "read users/assign") ;
  fd = open("users/cdb.tmp", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) ;
  if (fd < 0) strerr_diefusys(111, "create users/cdb.tmp") ;
  if (!cdbmake_start(&c, fd)) die_tmp() ;
  switch (assign_compile(&c, text.s, text.len, &lineno, &why))
  {
    case 0:
    {
      char num[SIZE_FMT] ;
      num[size_fmt(num, lineno)] = 0 ;
      unlink("users/cdb.tmp") ;
      strerr_dief(111, "users/assign line ", num, ": ", why) ;
    }
    case -1: die_tmp() ;
  }
  stralloc_free(&text) ;
  if (!cdbmake_finish(&c) || fd_sync(fd) < 0 || close(fd) < 0) die_tmp() ;
  if (rename("users/cdb.tmp", "users/cdb") < 0) strerr_diefusys(111, "rename users/cdb.tmp to users/cdb") ;
  fd = open_read("users") ;
  if (fd < 0 || fd_sync(fd) < 0) strerr_diefusys(111, "fsync users") ;
  return 0 ;
}
