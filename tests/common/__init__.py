"""Tests of profiles_module/common/."""
