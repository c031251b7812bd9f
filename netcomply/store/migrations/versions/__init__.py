"""Revision scripts of the store's schema, oldest first (see ``netcomply.store.migrations``)."""
