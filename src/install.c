/* install: creates what is missing of the cairn home compiled into it
 * (conf-home), with qmail's owners and modes, and installs the programs
 * found in SRCDIR (default: the directory install itself was run from).
 * Control files, alias files and the queue that exist are kept.
 * install -d [SRCDIR] also writes the configuration of a fresh home
 * (homedefaults.h) where the home has none ("make setup").
 * install -s [ROOT] points ROOT/usr/sbin/sendmail, /usr/lib/sendmail,
 * /usr/bin/mailq and /usr/bin/newaliases at the home's programs
 * (sendmaillinks.h), keeping what was there as NAME.orig-cairn. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <skalibs/buffer.h>
#include <skalibs/strerr.h>
#include <skalibs/stralloc.h>
#include <skalibs/djbunix.h>
#include "auto.h"
#include "hier.h"
#include "homedefaults.h"
#include "sendmaillinks.h"
#include "users.h"

static void say(char const *what, char const *path)
{
  if (buffer_puts(buffer_1, "install: ") < 0 || buffer_puts(buffer_1, what) < 0
   || buffer_puts(buffer_1, path) < 0 || buffer_putsflush(buffer_1, "\n") < 0)
    strerr_diefu1sys(111, "write to stdout") ;
}

static void gccattr_noreturn sendmail(char const *root)
{
  char const *what ;
  stralloc prog = STRALLOC_ZERO ;
  if (!stralloc_cats(&prog, auto_home) || !stralloc_cats(&prog, "/bin/sendmail") || !stralloc_0(&prog))
    strerr_diefu1sys(111, "allocate") ;
  if (access(prog.s, X_OK) < 0) strerr_diefu3sys(111, "find ", prog.s, " (install the home first)") ;
  if (!sendmaillinks_install(root, auto_home, &say, &what))
  {
    if (errno == EEXIST) strerr_dief3x(111, what, " exists already: ", "move it away by hand, then run install -s again") ;
    strerr_diefu2sys(111, "link ", what) ;
  }
  _exit(0) ;
}

int main(int argc, char const *const *argv)
{
  struct users u ;
  char const *what ;
  char const *srcdir ;
  int defaults = 0 ;
  stralloc dir = STRALLOC_ZERO ;
  PROG = "install" ;
  if (argc > 1 && !strcmp(argv[1], "-s")) sendmail(argc > 2 ? argv[2] : "") ;
  if (argc > 1 && !strcmp(argv[1], "-d")) { defaults = 1 ; argc-- ; argv++ ; }
  srcdir = argc > 1 ? argv[1] : 0 ;
  if (!srcdir)
  {
    char const *slash = strrchr(argv[0], '/') ;
    if (!slash) strerr_dieusage(100, "install [ -d ] [ srcdir ] | install -s [ root ]") ;
    if (!stralloc_catb(&dir, argv[0], slash - argv[0]) || !stralloc_0(&dir)) strerr_diefu(111, "allocate") ;
    srcdir = dir.s ;
  }
  if (!users_load(&u, &what))
    strerr_dief(111, "unknown user or group ", what, " (see conf-users; INSTALL says how to create them)") ;
  if (!hier_install(auto_home, srcdir, &u, &what)) strerr_diefusys(111, "install ", what) ;
  if (defaults && !homedefaults_write(auto_home, &u, &say, &what)) strerr_diefusys(111, "write ", what) ;
  return 0 ;
}
