LIBS_remote := -lcares
LIBS_dns-lookups := -lcares
LIBS_showctl := -lcares -lbearssl
LIBS_remotehosts-backup-mx := -lcares
LIBS_tlsdest-levels := -lcares
# BearSSL: only the TLS engine links it, and the unit tests and fuzz
# targets that reach its modules (tlspem, tlsctx).
LIBS_tlsd := -lbearssl
LIBS_fuzz-corpus-replays := -lbearssl
LIBS_tlspem := -lbearssl
LIBS_tls-files-and-records := -lbearssl
