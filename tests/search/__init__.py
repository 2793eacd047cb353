"""Tests of profiles_module/search/."""
