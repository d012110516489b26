/* qsync.c: may a syncfs replace a group's fsyncs (qsync.h). */
#include <sys/utsname.h>
#include <skalibs/types.h>
#include "qsync.h"

int qsync_fs_reports_errors(void)
{
  static int known = -1 ;
  if (known < 0)
  {
    struct utsname u ;
    unsigned long major = 0, minor = 0 ;
    size_t n ;
    known = 0 ;
    if (uname(&u) == 0 && (n = ulong_scan(u.release, &major)) && u.release[n] == '.' && ulong_scan(u.release + n + 1, &minor))
      known = major > 5 || (major == 5 && minor >= 8) ;
  }
  return known ;
}
