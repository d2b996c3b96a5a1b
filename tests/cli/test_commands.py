"""`easify sms send|status|wait` and `easify email send` against a server on 127.0.0.1."""

from __future__ import annotations

import pytest

from tests.cli._run import clean_env, easify
from tests.cli._server import NEVER_DELIVERED, TOKEN, Ledger, free_port

SEND_SMS = ("sms", "send", "--from", "3152930000", "--to", "+13151350000", "-m", "Hi")


def test_sms_send_prints_the_id(api_env: dict[str, str], ledger: Ledger) -> None:
    """`sms send` sends once, with the E.164 number split, and prints the new sms_id."""
    done = easify(*SEND_SMS, env=api_env)
    assert (done.code, done.out.strip()) == (
        0,
        "SMS sent: sms_id 31529 (SMS Processed successfully.)",
    )
    assert ledger.sms == [
        {
            "from_number": "3152930000",
            "to_number": "3151350000",
            "country_code": "+1",
            "message": "Hi",
        }
    ]


def test_sms_send_json(api_env: dict[str, str]) -> None:
    """--json prints the reply as one JSON object."""
    done = easify(*SEND_SMS, "--json", env=api_env)
    assert (done.code, done.lines) == (
        0,
        [{"sms_id": 31529, "message": "SMS Processed successfully."}],
    )


def test_token_option_wins_over_the_environment(api_env: dict[str, str]) -> None:
    """--token overrides EASIFY_API_TOKEN."""
    env = {**api_env, "EASIFY_API_TOKEN": "wrong"}
    assert easify(*SEND_SMS, env=env).code == 3
    assert easify(*SEND_SMS, "--token", TOKEN, env=env).code == 0


@pytest.mark.parametrize("json", [False, True], ids=["text", "json"])
def test_api_error_exits_3_without_showing_the_token(api_env: dict[str, str], json: bool) -> None:
    """A refused token exits 3 with the server's reason, and the token is printed nowhere."""
    secret = "1087|this-token-must-never-be-printed"
    done = easify(
        *SEND_SMS, *(["--json"] if json else []), env={**api_env, "EASIFY_API_TOKEN": secret}
    )
    assert done.code == 3
    assert secret not in done.out + done.err
    if json:
        assert done.lines == [
            {
                "error": {
                    "type": "AuthenticationError",
                    "message": "HTTP 401: Unauthenticated",
                    "status_code": 401,
                    "errors": {},
                    "maybe_sent": False,
                }
            }
        ]
    else:
        assert "error: HTTP 401: Unauthenticated (AuthenticationError)" in done.err


def test_invalid_argument_exits_3_and_sends_nothing(
    api_env: dict[str, str], ledger: Ledger
) -> None:
    """A number of an unsupported country is refused before any request: exit 3."""
    done = easify(
        "sms",
        "send",
        "--from",
        "3152930000",
        "--to",
        "+33612345678",
        "-m",
        "Hi",
        "--json",
        env=api_env,
    )
    assert done.code == 3
    assert done.lines[0]["error"]["type"] == "UnsupportedCountryError"
    assert ledger.sms == []


def test_connection_error_exits_5() -> None:
    """Nobody listening: exit 5, and the error says the request never reached a server."""
    env = clean_env(
        EASIFY_API_TOKEN=TOKEN, EASIFY_BASE_URL=f"http://127.0.0.1:{free_port()}/api/v2"
    )
    done = easify(*SEND_SMS, "--json", env=env)
    assert done.code == 5
    assert done.lines[0]["error"]["type"] == "APIConnectionError"
    assert done.lines[0]["error"]["maybe_sent"] is False


def test_sms_status(api_env: dict[str, str]) -> None:
    """`sms status` prints the delivery status, as text or JSON."""
    assert easify(*SEND_SMS, env=api_env).code == 0  # the sandbox's first id: 31529
    assert easify("sms", "status", "31529", env=api_env).out.strip() == "31529: Delivered"
    done = easify("sms", "status", "31529", "--json", env=api_env)
    assert done.lines == [{"sms_id": 31529, "status": "Delivered", "remarks": ""}]


def test_sms_status_of_an_unknown_id_exits_3(api_env: dict[str, str]) -> None:
    """An id the server does not know is the typed API error, exit 3."""
    done = easify("sms", "status", "404", "--json", env=api_env)
    assert done.code == 3
    assert done.lines[0]["error"]["type"] == "InvalidSmsIdError"


def test_sms_wait_prints_the_final_status(api_env: dict[str, str]) -> None:
    """`sms wait` returns once the status is final."""
    assert easify(*SEND_SMS, env=api_env).code == 0
    done = easify("sms", "wait", "31529", "--json", env=api_env)
    assert (done.code, done.lines) == (
        0,
        [{"sms_id": 31529, "status": "Delivered", "remarks": ""}],
    )


def test_sms_wait_times_out_with_exit_6(api_env: dict[str, str]) -> None:
    """No final status within --timeout: exit 6, saying the last status read."""
    pending = ("sms", "send", "--from", "3152930000", "--to", NEVER_DELIVERED, "-m", "Hi")
    assert easify(*pending, env=api_env).code == 0
    # 2 s, not less: the status must have been read once before the time is up, however
    # slowly a loaded machine starts the command (0.3 s was not always enough).
    done = easify("sms", "wait", "31529", "--timeout", "2", "--poll-interval", "0.05", env=api_env)
    assert done.code == 6
    assert "no final status for SMS 31529 within 2 s (last status Pending)" in done.err
    assert "(WaitTimeoutError)" in done.err


def test_email_send(api_env: dict[str, str], ledger: Ledger) -> None:
    """`email send` passes every field, --additional-data as a JSON object; prints the id."""
    done = easify(
        "email", "send", "--sender", "qa@example.com", "--to", "ann@example.com",
        "--subject", "Hello", "-m", "<p>Hi</p>", "--additional-data", '{"order": 42}', "--json",
        env=api_env,
    )  # fmt: skip
    assert (done.code, done.lines) == (
        0,
        [{"email_id": ledger.emails[0]["email_id"], "message": "Email processed successfully"}],
    )
    assert ledger.emails[0]["additional_data"] == {"order": 42}
    assert ledger.emails[0]["receiver"] == "ann@example.com"
