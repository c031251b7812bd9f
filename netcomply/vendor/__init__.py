"""The agency's own data for the banned-vendor checks: asset register, exception register, spot-check samples."""
