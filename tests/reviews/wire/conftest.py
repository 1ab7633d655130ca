"""The Slack engineer's wire fixtures (fake Slack Web API, signed requests, the real server), reused."""

from tests.slack.conftest import fake_slack, settings, slack_env, wire  # noqa: F401
