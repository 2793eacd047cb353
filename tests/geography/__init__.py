"""Tests of profiles_module/geography/."""
