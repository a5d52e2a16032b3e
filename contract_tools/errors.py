"""Errors the library raises; only the CLI turns them into one-line messages and exit codes.

ContractToolsError            exit 3 unless a child says otherwise
 +-- UsageError               exit 2: the user asked for something that cannot be done
 +-- LoadError                exit 3: an app, spec or file could not be loaded
 |    +-- AppLoadError        APP reference not importable / not an app / factory failed
 |    +-- SpecLoadError       a spec file or URL that is not a usable OpenAPI document
 +-- SpecError                exit 3: we produced a document that would not be valid
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """What every command exits with; CI reads these."""

    OK = 0
    GATE_FAILED = 1
    USAGE = 2
    LOAD_FAILED = 3
    INTERRUPTED = 130
    TERMINATED = 143


class ContractToolsError(Exception):
    """Base of every error the library raises on purpose."""

    exit_code: ExitCode = ExitCode.LOAD_FAILED


class UsageError(ContractToolsError):
    """The request cannot be done as asked (bad option value, conflicting flags)."""

    exit_code = ExitCode.USAGE


class LoadError(ContractToolsError):
    """Something named by the user could not be loaded."""


class AppLoadError(LoadError):
    """An APP reference (``module:attr`` or ``module:factory()``) did not give an app."""


class SpecLoadError(LoadError):
    """A spec file, URL or app did not give a usable OpenAPI document."""


class SpecError(ContractToolsError):
    """An OpenAPI document we built or read does not validate."""
