"""Safety rules that hold everywhere: read-only on devices, secrets redacted, traffic only where allowed."""
