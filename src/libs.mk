LIBS_remote := -lcares
LIBS_dns-lookups := -lcares
LIBS_showctl := -lcares
