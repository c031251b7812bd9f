"""Exit codes, documented in README ("Exit codes") so that cron, systemd and AWX can act on them."""

OK = 0  # the run completed: every device answered
INTERNAL = 1  # netcomply itself failed (a bug, or the store could not be written)
BAD_INPUT = 2  # the inventory, a file or a flag is wrong; nothing was run
PARTIAL = 3  # the run finished, but some devices failed (see `netcomply runs show`)
TAMPERED = 4  # `netcomply evidence verify`: the pack was changed after it was signed (the files are named)
UNVERIFIED = 5  # `netcomply evidence verify`: every hash matches, but no trusted key vouches for the signer
LOCKED = 75  # `netcomply audit --resume`: another live process is collecting that run (sysexits EX_TEMPFAIL)
INTERRUPTED = 130  # stopped by Ctrl-C or SIGTERM; finished devices are stored (128 + SIGINT, as shells do)
