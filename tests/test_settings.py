"""The typed settings: what each derived view of them says."""

from __future__ import annotations

from contract_tools.settings import Outputs, ParitySettings


def test_defaults_are_the_documented_ones() -> None:
    settings = ParitySettings()
    assert (settings.max_examples, settings.mode.value, settings.database, settings.timeout) == (
        100,
        "all",
        None,  # no drift store unless asked: nothing is written into the working directory
        30.0,
    )
    assert settings.fail_on.level is not None and str(settings.fail_on) == "error"


def test_derived_views() -> None:
    settings = ParitySettings(
        normalize={"allow-as-set": False, "json-parsed": True},
        disable=("redirect-307-308",),
        headers={"Authorization": "t"},
        ignore_paths={"GET /a": ("$.x", "$.y"), "*": ("$.at",)},
    )
    assert settings.disabled_rules == ("allow-as-set", "redirect-307-308")
    assert settings.header_pairs == (("Authorization", "t"),)
    assert settings.ignore_pairs == (("GET /a", "$.x"), ("GET /a", "$.y"), ("*", "$.at"))


def test_report_files_leave_out_standard_output() -> None:
    assert Outputs(json="r.json", html="-", junit=None).report_files() == {"json": "r.json"}
