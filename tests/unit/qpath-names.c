/* qpath-names: queue file names and the directory-hash arithmetic (qpath.c),
 * for qmail's default split 23 and for split 1, hashed and flat dirs, and
 * the longest possible name within QPATH_MAX. */
#include <limits.h>
#include <string.h>
#include "qpath.h"
#include "tap.h"

static char const *fmt(char const *dir, unsigned long id, unsigned int split)
{
  static char s[QPATH_MAX] ;
  size_t n = qpath_fmt(s, dir, id, split) ;
  if (n != strlen(s)) return "(length returned differs from the string)" ;
  return s ;
}

int main(void)
{
  /* bucket = id % split */
  is_int(qpath_bucket(0, 23), 0, "split 23: id 0 in bucket 0") ;
  is_int(qpath_bucket(22, 23), 22, "split 23: id 22 in bucket 22") ;
  is_int(qpath_bucket(23, 23), 0, "split 23: id 23 in bucket 0") ;
  is_int(qpath_bucket(457983, 23), 457983 % 23, "split 23: id 457983 in bucket 457983 % 23") ;
  is_int(qpath_bucket(457983, 23), 7, "split 23: id 457983 in bucket 7 (by hand: 23*19912 = 457976)") ;
  is_int(qpath_bucket(ULONG_MAX, 23), ULONG_MAX % 23, "split 23: largest id") ;
  is_int(qpath_bucket(12345, 1), 0, "split 1: every id in bucket 0") ;
  is_int(qpath_bucket(ULONG_MAX, 1), 0, "split 1: largest id in bucket 0") ;
  is_int(qpath_bucket(7, 0), 0, "split 0 (never configured) does not divide by zero") ;

  /* hashed directories */
  is_str(fmt("mess/", 457983, 23), "mess/7/457983", "mess/ is hashed: mess/7/457983") ;
  is_str(fmt("info/", 457983, 23), "info/7/457983", "info/ is hashed") ;
  is_str(fmt("local/", 46, 23), "local/0/46", "local/ is hashed") ;
  is_str(fmt("remote/", 45, 23), "remote/22/45", "remote/ is hashed") ;
  is_str(fmt("mess/", 457983, 1), "mess/0/457983", "split 1: mess/0/ID") ;
  is_str(fmt("remote/", 99, 1), "remote/0/99", "split 1: remote/0/ID") ;
  ok(qpath_hashed("mess/") && qpath_hashed("info/") && qpath_hashed("local/") && qpath_hashed("remote/"), "mess info local remote are hashed") ;

  /* flat directories */
  is_str(fmt("todo/", 457983, 23), "todo/457983", "todo/ is flat") ;
  is_str(fmt("intd/", 457983, 23), "intd/457983", "intd/ is flat") ;
  is_str(fmt("bounce/", 457983, 23), "bounce/457983", "bounce/ is flat") ;
  is_str(fmt("pid/", 457983, 23), "pid/457983", "pid/ is flat") ;
  ok(!qpath_hashed("todo/") && !qpath_hashed("intd/") && !qpath_hashed("bounce/") && !qpath_hashed("pid/"), "todo intd bounce pid are flat") ;
  ok(!qpath_hashed("mess") && !qpath_hashed("messy/"), "only the exact names are hashed") ;

  /* the longest name fits */
  {
    char s[QPATH_MAX + 8] ;
    size_t n ;
    memset(s, 'Z', sizeof s) ;
    n = qpath_fmt(s, "remote/", ULONG_MAX - 1, UINT_MAX) ;
    is_str(s, "remote/4294967294/18446744073709551614", "longest bucket and id: exact name") ;
    ok(n + 1 <= QPATH_MAX, "largest name with its NUL fits QPATH_MAX") ;
    is_int(s[QPATH_MAX], 'Z', "nothing written past QPATH_MAX") ;
  }
  return tap_done() ;
}
