"""Workflows: each takes the database session explicitly and keeps views thin."""
