"""Settings resolve defaults → file → environment → overrides, and bad values are named."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kgapp.config import load_settings
from kgapp.errors import ConfigError


def test_defaults_without_file_or_environment() -> None:
    settings = load_settings(environ={})
    assert settings.port == 8000 and settings.query_timeout_s == 10.0
    assert settings.base_iri == "https://w3id.org/hkus/"


def test_file_then_environment_then_overrides(tmp_path: Path) -> None:
    config = tmp_path / "kgapp.toml"
    config.write_text("[kgapp]\nport = 9000\nweb_threads = 3\nquery_timeout_s = 4\n")
    settings = load_settings(
        config_file=config,
        environ={"KGAPP_PORT": "9100", "KGAPP_THREADS": "5"},
        overrides={"web_threads": 7},
    )
    assert (settings.port, settings.web_threads, settings.query_timeout_s) == (9100, 7, 4.0)


def test_config_file_named_by_environment(tmp_path: Path) -> None:
    config = tmp_path / "kgapp.toml"
    config.write_text("[kgapp]\ninclude_inferred_by_default = false\n")
    assert load_settings(environ={"KGAPP_CONFIG": str(config)}).include_inferred_by_default is False


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[kgapp]\nprot = 1\n", "unknown setting 'prot'"),
        ("[kgapp]\nport = 'x'\n", "setting 'port'"),
        ("[kgapp\n", "kgapp.toml"),
        ("[kgapp]\nbase_iri = 'https://example.org/no-slash'\n", "must end with '/'"),
    ],
)
def test_bad_file_is_named(tmp_path: Path, content: str, expected: str) -> None:
    config = tmp_path / "kgapp.toml"
    config.write_text(content)
    with pytest.raises(ConfigError, match=expected.replace("[", r"\[")):
        load_settings(config_file=config, environ={})


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(config_file=tmp_path / "absent.toml", environ={})


@given(st.text(max_size=20))
def test_any_environment_value_either_applies_or_is_refused_with_the_setting_named(value: str) -> None:
    try:
        settings = load_settings(environ={"KGAPP_QUERY_TIMEOUT_S": value})
    except ConfigError as error:
        assert "query_timeout_s" in error.message
    else:
        assert settings.query_timeout_s == float(value)


# Write tokens ------------------------------------------------------------------------------------
def test_a_configuration_file_holds_write_tokens_as_hashes_only(tmp_path: Path) -> None:
    from kgapp.tokens import hashed

    plain = tmp_path / "plain.toml"
    plain.write_text('[kgapp]\nwrite_tokens = ["alice:*:s3cret-token"]\n')
    with pytest.raises(ConfigError, match="hashes"):
        load_settings(plain, environ={})
    safe = tmp_path / "safe.toml"
    safe.write_text(f'[kgapp]\nwrite_tokens = ["alice:*:{hashed("s3cret-token")}"]\n')
    assert load_settings(safe, environ={}).write_tokens.startswith("alice:*:sha256-")


def test_write_tokens_from_the_environment_name_a_writer_and_a_scope() -> None:
    from kgapp.tokens import matching, parse_tokens

    settings = load_settings(
        environ={
            "KGAPP_WRITE_TOKENS": "alice:*:s3cret-token,bot:<https://w3id.org/hkus/graph/entities>:t0ken-bot"
        }
    )
    tokens = parse_tokens(settings.write_tokens, origin="test", plain_allowed=True)
    alice, bot = matching(tokens, "s3cret-token"), matching(tokens, "t0ken-bot")
    assert alice is not None and alice.name == "alice" and alice.may_write("https://example.org/any")
    assert bot is not None and bot.may_write("https://w3id.org/hkus/graph/entities")
    assert not bot.may_write("https://w3id.org/hkus/graph/source/x")
    assert matching(tokens, "s3cret-tokeN") is None


@pytest.mark.parametrize(
    "entry",
    [
        "alice",
        "alice:*:",
        ":*:s3cret-token",
        "alice:not-an-iri:s3cret-token",
        "alice:*:short",
        "a:*:s3cret-1,a:*:s3cret-2",
    ],
)
def test_a_malformed_write_token_entry_stops_start_up(entry: str) -> None:
    with pytest.raises(ConfigError):
        load_settings(environ={"KGAPP_WRITE_TOKENS": entry})
