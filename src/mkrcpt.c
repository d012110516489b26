/* mkrcpt: writes conf-home/users/rcpt.cdb, the table of local parts that
 * local delivery would take, with which smtpd refuses at RCPT time the
 * ones it would bounce (rcptcheck.h, rcptmake.h, mkrcpt(8)). Run as root
 * (it reads the homes) after any change to users/assign, the password
 * database, or a .qmail file.
 *
 *  step                                   a crash or an error after it leaves
 *  1 collect the keys in memory           nothing changed
 *  2 write users/rcpt.cdb.tmp             users/rcpt.cdb.tmp, which the next
 *                                         run truncates; the old table
 *  3 fsync users/rcpt.cdb.tmp             the same
 *  4 rename it to users/rcpt.cdb,         the new table, whole
 *    fsync users
 * smtpd opens the table once per connection: it sees the old one or the
 * new one, never a mix. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <skalibs/cdbmake.h>
#include <skalibs/djbunix.h>
#include <skalibs/gccattributes.h>
#include <skalibs/strerr.h>
#include "auto.h"
#include "rcptmake.h"

#define TMP "users/rcpt.cdb.tmp"

static void warn(char const *s)
{
  strerr_warnw(s) ;
}

static void die_tmp(void) gccattr_noreturn ;
static void die_tmp(void)
{
  int e = errno ;
  unlink(TMP) ;
  errno = e ;
  strerr_diefusys(111, "write " TMP) ;
}

int main(void)
{
  struct rcptmake t = RCPTMAKE_ZERO ;
  cdbmaker c = CDBMAKER_ZERO ;
  int fd ;

  PROG = "mkrcpt" ;
  if (chdir(auto_home) < 0) strerr_diefusys(111, "chdir to ", auto_home) ;
  if (!rcptmake_collect(&t, &warn)) strerr_dief(111, rcptmake_error.s) ;
  fd = open(TMP, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) ;
  /* smtpd reads it as qmaild, whatever the umask */
  if (fd < 0) strerr_diefusys(111, "create " TMP) ;
  if (fchmod(fd, 0644) < 0 || !cdbmake_start(&c, fd) || !rcptmake_write(&t, &c) || !cdbmake_finish(&c)
   || fd_sync(fd) < 0 || close(fd) < 0) die_tmp() ;
  rcptmake_free(&t) ;
  if (rename(TMP, "users/rcpt.cdb") < 0) strerr_diefusys(111, "rename " TMP " to users/rcpt.cdb") ;
  fd = open_read("users") ;
  if (fd < 0 || fd_sync(fd) < 0) strerr_diefusys(111, "fsync users") ;
  return 0 ;
}
