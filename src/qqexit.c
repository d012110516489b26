/* qqexit.c: the meaning of queue's exit codes, as qmail-queue(8) lists them,
 * in the words qmail's callers used, with enhanced status codes. */
#include "qqexit.h"

char const *qqexit_text(int code)
{
  switch (code)
  {
    case 0: return "ok" ;
    case 11: return "envelope address too long for qq (#5.1.3)" ;
    case 31: return "mail server permanently rejected message (#5.3.0)" ;
    case 51: return "qq out of memory (#4.3.0)" ;
    case 52: return "qq timeout (#4.3.0)" ;
    case 53: return "qq write error or disk full (#4.3.0)" ;
    case 54: return "qq read error (#4.3.0)" ;
    case 55: return "qq unable to read configuration (#4.3.0)" ;
    case 56: return "qq trouble making network connection (#4.3.0)" ;
    case 61: return "qq trouble in home directory (#4.3.0)" ;
    case 62: case 63: case 64: case 65: case 66:
      return "qq trouble creating files in queue (#4.3.0)" ;
    case 71: return "mail server temporarily rejected message (#4.3.0)" ;
    case 72: return "connection to mail server timed out (#4.4.1)" ;
    case 73: return "connection to mail server rejected (#4.4.1)" ;
    case 74: return "communication with mail server failed (#4.4.2)" ;
    case 81: case 91: return "qq internal bug (#4.3.0)" ;
    case 120: return "unable to exec qq (#4.3.0)" ;
  }
  return qqexit_permanent(code) ? "qq permanent problem (#5.3.0)" : "qq temporary problem (#4.3.0)" ;
}

int qqexit_permanent(int code)
{
  return code >= 11 && code <= 40 ;
}
